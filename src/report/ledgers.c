/*
 * What the three ledgers (适龄儿童台账, 疑似失学辍学台账, 失学辍学台账) and the county's monthly
 * report share (docs/reports.md; ledger_impl.h names the file of each). They only read: a run's
 * statuses (run_status), the records, and the casework tables.
 */
#include "report/reports.h"
#include "report/ledger_impl.h"

#include "casework/case.h"
#include "casework/casework.h"
#include "casework/people.h"
#include "core/words.h"
#include "core/date.h"
#include "core/division.h"
#include "domain/status.h"
#include "store/store.h"
#include "util/common.h"

/* A child's birth date, age, ID and phone as the view shows them; `age` -1 computes it from
 * the date (on the view's cutoff). */
void ledger_set_person(struct report_table *t, const struct view *v, struct person_cols c,
                       const char *date, int age, const char *idn, const char *tel,
                       struct buf *scratch)
{
    char m[VIEW_ID_SIZE];
    table_set(t, c.birth, view_birth(v, date));
    if (age < 0)
        age = view_age(v, date);
    if (age >= 0)
        table_setf(t, c.age, "%d", age);
    view_id(v, idn, m);
    table_set(t, c.id, m);
    buf_reset(scratch);
    view_phone(v, tel, scratch);
    table_set(t, c.phone, scratch->buf);
}

/* The county's code (setting) and name for captions: "沁水县", or "本县" when unknown. */
const char *ledger_county_name(struct store *s, char county[7])
{
    struct buf v = BUF_INIT;
    county[0] = '\0';
    if (store_get_setting(s, "county", &v) == 1 && v.len == 6)
        memcpy(county, v.buf, 7);
    buf_release(&v);
    const char *n = county[0] ? division_county_name(county) : NULL;
    return n ? n : "本县";
}

/*
 * --township for the casework ledgers: the official code (or NULL for the county) and its
 * name for the caption. -1 (OUT_INVALID) when it is not a township of the county.
 */
int ledger_township_arg(struct store *s, const char *arg, char code[10], const char **name,
                        struct outcome *o)
{
    code[0] = '\0';
    *name = NULL;
    if (!arg)
        return 0;
    if (casework_township(s, arg, code, name) < 0)
        return failed_at(o, OUT_INVALID, "township", "乡镇“%s”不是本县的乡镇", arg);
    return 0;
}

/* "沁水县郑庄镇" + what; the subtitle: unit, data date, drawing date. */
void ledger_caption(struct report_table *t, const char *county, const char *township,
                    const char *what, const char *data_date_label, int data_date, int drawn)
{
    struct buf c = BUF_INIT, sub = BUF_INIT;
    char d1[24], d2[24];
    buf_addf(&c, "%s%s%s", county, township ? township : "", what);
    date_format_cn(data_date, d1, sizeof(d1));
    date_format_cn(drawn, d2, sizeof(d2));
    buf_addf(&sub, "填报单位：%s教育局（控辍保学办）　　%s：%s　　制表日期：%s", county,
             data_date_label, d1, d2);
    table_caption(t, c.buf, sub.buf);
    buf_release(&c);
    buf_release(&sub);
}

void ledger_signature_note(struct report_table *t)
{
    table_note(t, "填表人：　　　　　　审核人：　　　　　　单位负责人：　　　　　　联系电话：");
}

/* "learning,work" → "学习困难/厌学、外出打工" */
void ledger_reasons_label(const char *keys, struct buf *out)
{
    const char *p = keys;
    while (p && *p) {
        const char *c = strchr(p, ',');
        char k[32];
        snprintf(k, sizeof(k), "%.*s", (int)(c ? (size_t)(c - p) : strlen(p)), p);
        buf_addf(out, "%s%s", p == keys ? "" : "、", vocab_label(&case_reasons, k));
        p = c ? c + 1 : NULL;
    }
}
