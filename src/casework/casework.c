#include "casework/casework.h"
#include "casework/casework_impl.h"

#include "core/words.h"
#include "core/date.h"
#include "core/idcard.h"
#include "core/view.h"
#include "domain/match.h"
#include "domain/run.h"
#include "domain/settings.h"
#include "ingest/category.h"
#include "ingest/field.h"
#include "store/store.h"
#include "util/common.h"

/* ---- settings ---- */

static const struct setting_field casework_fields[] = {
    {"casework_verify_days", offsetof(struct casework_settings, verify_days), SETTING_INT},
    {"casework_review_days", offsetof(struct casework_settings, review_days), SETTING_INT},
    {"casework_first_visit_days", offsetof(struct casework_settings, first_visit_days),
     SETTING_INT},
    {"casework_ladder_days", offsetof(struct casework_settings, ladder_days), SETTING_INT},
    {"casework_followup_months", offsetof(struct casework_settings, followup_months), SETTING_INT},
    {"casework_followup_count", offsetof(struct casework_settings, followup_count), SETTING_INT},
};

int casework_settings_load(struct store *s, struct casework_settings *cs, struct outcome *o)
{
    /* defaults, ranges and the check of stored values: the registry (domain/settings.c) */
    *cs = (struct casework_settings){.holidays = HOLIDAYS_INIT};
    if (settings_load(s, casework_fields, ARRAY_SIZE(casework_fields), cs) < 0)
        return fail_store(s, o);
    struct buf h = BUF_INIT, why = BUF_INIT;
    int rc = store_get_setting(s, "school_holidays", &h);
    if (rc < 0)
        fail_store(s, o);
    else if (rc == 1 && holidays_parse(&cs->holidays, h.buf, &why) < 0)
        rc = failed(o, OUT_ERROR, "设置“学校假期”的值无效：%s", why.buf);
    buf_release(&h);
    buf_release(&why);
    return rc < 0 ? -1 : 0;
}

void casework_settings_release(struct casework_settings *cs)
{
    holidays_release(&cs->holidays);
}

/* ---- identity ---- */

void child_key(const char *id_number, int id_flags, const char *name_key, const char *birth,
               int gender, struct buf *out)
{
    const int unusable = ID_EMPTY | ID_BAD_FORMAT | ID_BAD_CHECK | ID_BAD_BIRTH | ID_PRECISION_LOST;
    buf_reset(out);
    if (id_number && strlen(id_number) == 18 && !(id_flags & unusable) && id_is_valid(id_number))
        buf_addf(out, "I:%s", id_number);
    else
        buf_addf(out, "N:%s/%s/%d", name_key ? name_key : "", birth ? birth : "", gender);
}

/* ---- small helpers ---- */

int casework_date(const char *what, const char *field, const char *text, int not_before, int *ymd,
                  struct outcome *o)
{
    int today = date_today();
    char t[11], b[11];
    if (!text || !*text)
        *ymd = today;
    else if (date_parse(text, strlen(text), ymd) < 0)
        return failed_at(o, OUT_INVALID, field,
                         "%s“%s”不是有效日期，请按年-月-日写，例如 2026-11-20", what, text);
    date_format(today, t);
    if (*ymd > today)
        return failed_at(o, OUT_INVALID, field, "%s不能晚于今天（%s）", what, t);
    if (not_before && *ymd < not_before) {
        date_format(not_before, b);
        return failed_at(o, OUT_INVALID, field, "%s不能早于 %s（任务或案件开始的日期）", what, b);
    }
    return 0;
}

int casework_vocab_refused(struct outcome *o, const char *field, const char *lead,
                           const struct vocab *v, const char *text)
{
    struct buf m = BUF_INIT;
    buf_adds(&m, lead ? lead : "");
    vocab_error(v, text, &m);
    failed_at(o, OUT_INVALID, field, "%s", m.buf);
    buf_release(&m);
    return -1;
}

int casework_assignees(struct store *s, int64_t task_id, int64_t case_id, struct buf *out)
{
    struct stmt *q = store_prepare(
        s, "SELECT a.role, p.name, p.active FROM assignment a JOIN person p ON p.id = a.person_id"
           " WHERE a.id IN (SELECT max(id) FROM assignment"
           "  WHERE (task_id = $1 AND $2 = 0) OR case_id = $2 GROUP BY role)"
           " ORDER BY CASE a.role WHEN 'township' THEN 1 WHEN 'village' THEN 2 ELSE 3 END");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, task_id);
    stmt_bind_int(q, 2, case_id);
    int rc;
    size_t start = out->len;
    while ((rc = stmt_step(q)) == 1)
        buf_addf(out, "%s%s（%s）%s", out->len > start ? "、" : "", stmt_text(q, 1),
                 vocab_label(&assignee_roles, stmt_text(q, 0)), stmt_int(q, 2) ? "" : "[已停用]");
    stmt_finalize(q);
    if (out->len == start)
        buf_adds(out, "（未指派）");
    return rc < 0 ? -1 : 0;
}

int casework_child_header(struct store *s, int64_t child_id, int64_t record_id, bool full,
                          struct buf *out)
{
    struct view v;
    if (run_view(s, full, &v) < 0)
        return -1;
    struct stmt *q = store_prepare(
        s, "SELECT coalesce(name, ''), coalesce(gender, 0), coalesce(birth_date, ''),"
           " coalesce(id_number, id_raw, ''), coalesce(township, ''), coalesce(village, ''),"
           " coalesce(guardian, ''), coalesce(phone, ''), coalesce(address, '')"
           " FROM record WHERE id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, record_id);
    int rc = stmt_step(q);
    if (rc == 1) {
        const char *idn = stmt_text(q, 3);
        char m[VIEW_ID_SIZE];
        view_id(&v, idn, m);
        struct buf ph = BUF_INIT, born = BUF_INIT;
        view_phone(&v, stmt_text(q, 7), &ph);
        view_birth_text(&v, stmt_text(q, 2), &born);
        buf_addf(out, "儿童：%s，%s，%s，身份证号 %s\n", stmt_text(q, 0),
                 gender_label((int)stmt_int(q, 1)), born.buf, *m ? m : "（无）");
        buf_addf(out, "户籍：%s %s%s%s\n", stmt_text(q, 4), stmt_text(q, 5),
                 full && *stmt_text(q, 8) ? "，住址 " : "", full ? stmt_text(q, 8) : "");
        buf_addf(out, "监护人：%s，电话 %s\n", *stmt_text(q, 6) ? stmt_text(q, 6) : "（未填）",
                 ph.len ? ph.buf : "（未填）");
        buf_release(&ph);
        buf_release(&born);
    }
    stmt_finalize(q);
    unsigned bits = 0;
    if (rc == 1 && child_groups_one(s, child_id, &bits) < 0)
        return -1;
    if (bits) {
        struct buf g = BUF_INIT;
        groups_labels(bits, &g);
        buf_addf(out, "重点群体：%s（优先核查、优先劝返）\n", g.buf);
        buf_release(&g);
    }
    return rc == 1 ? 0 : -1;
}

int64_t casework_one_int(struct store *s, const char *sql, int64_t a, int *rc)
{
    struct stmt *q = store_prepare(s, sql);
    int64_t v = 0;
    if (!q) {
        *rc = -1;
        return 0;
    }
    stmt_bind_int(q, 1, a);
    int r = stmt_step(q);
    if (r == 1)
        v = stmt_int(q, 0);
    if (r < 0)
        *rc = -1;
    stmt_finalize(q);
    return v;
}

int casework_assign_one(struct store *s, int64_t task_id, int64_t case_id, const char *role,
                        int64_t person, int on, const char *actor, const char *reason)
{
    char day[11];
    date_format(on, day);
    struct stmt *q = store_prepare(s, "INSERT INTO assignment (task_id, case_id, role, person_id,"
                                      " assigned_on, assigned_by, reason)"
                                      " VALUES ($1, $2, $3, $4, $5, $6, $7)");
    if (!q)
        return -1;
    if (task_id)
        stmt_bind_int(q, 1, task_id);
    else
        stmt_bind_null(q, 1);
    if (case_id)
        stmt_bind_int(q, 2, case_id);
    else
        stmt_bind_null(q, 2);
    stmt_bind_str(q, 3, role);
    stmt_bind_int(q, 4, person);
    stmt_bind_str(q, 5, day);
    stmt_bind_str(q, 6, actor && *actor ? actor : "unknown");
    stmt_bind_str(q, 7, reason);
    int rc = stmt_step(q);
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

const char *casework_suspect_label(const char *status)
{
    int st = status_parse(status);
    return st >= 0 ? status_label((enum child_status)st) : status;
}

int64_t casework_child_row(struct store *s, int64_t record_id, int64_t run_id, bool create)
{
    struct stmt *q = store_prepare(s, "SELECT id_number, coalesce(id_flags, 0), name_key,"
                                      " birth_date, coalesce(gender, 0) FROM record WHERE id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, record_id);
    struct buf key = BUF_INIT;
    if (stmt_step(q) == 1)
        child_key(stmt_is_null(q, 0) ? NULL : stmt_text(q, 0), (int)stmt_int(q, 1), stmt_text(q, 2),
                  stmt_text(q, 3), (int)stmt_int(q, 4), &key);
    stmt_finalize(q);
    if (!key.len) {
        buf_release(&key);
        return -1;
    }
    if (!create) {
        q = store_prepare(s, "SELECT id FROM child WHERE child_key = $1");
        int64_t id = -1;
        if (q) {
            stmt_bind_str(q, 1, key.buf);
            int rc = stmt_step(q);
            id = rc == 1 ? stmt_int(q, 0) : rc == 0 ? 0 : -1;
            stmt_finalize(q);
        }
        buf_release(&key);
        return id;
    }
    q = store_prepare(
        s, "INSERT INTO child (child_key, first_run, first_record, last_run, last_record)"
           " VALUES ($1, $2, $3, $2, $3) ON CONFLICT (child_key) DO UPDATE SET"
           " last_run = excluded.last_run, last_record = excluded.last_record"
           " RETURNING id");
    int64_t id = -1;
    if (q) {
        stmt_bind_str(q, 1, key.buf);
        stmt_bind_int(q, 2, run_id);
        stmt_bind_int(q, 3, record_id);
        id = stmt_step(q) == 1 ? stmt_int(q, 0) : -1;
        stmt_finalize(q);
    }
    buf_release(&key);
    return id;
}

int child_groups_load(struct store *s, struct child_groups *g)
{
    memset(g, 0, sizeof(*g));
    struct stmt *q = store_prepare(
        s, "SELECT DISTINCT ch.id, gm.grp FROM child ch JOIN group_member gm"
           " ON gm.run_id = ch.last_run AND gm.record_id = ch.last_record ORDER BY ch.id");
    if (!q)
        return -1;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        int k = vocab_parse(&priority_groups, stmt_text(q, 1));
        if (k < 0)
            continue;
        int64_t id = stmt_int(q, 0);
        if (!g->n || g->child[g->n - 1] != id) {
            size_t a = g->alloc;
            ALLOC_GROW(g->child, g->n + 1, a);
            ALLOC_GROW(g->bits, g->n + 1, g->alloc);
            g->child[g->n] = id;
            g->bits[g->n++] = 0;
        }
        g->bits[g->n - 1] |= 1u << k;
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

int child_groups_one(struct store *s, int64_t child_id, unsigned *bits)
{
    *bits = 0;
    struct stmt *q = store_prepare(
        s, "SELECT DISTINCT gm.grp FROM child ch JOIN group_member gm"
           " ON gm.run_id = ch.last_run AND gm.record_id = ch.last_record WHERE ch.id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, child_id);
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        int k = vocab_parse(&priority_groups, stmt_text(q, 0));
        if (k >= 0)
            *bits |= 1u << k;
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

void child_groups_release(struct child_groups *g)
{
    free(g->child);
    free(g->bits);
    memset(g, 0, sizeof(*g));
}

unsigned child_groups_of(const struct child_groups *g, int64_t child_id, const char *seen)
{
    size_t lo = 0, hi = g->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (g->child[mid] < child_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == g->n || g->child[lo] != child_id)
        return 0;
    unsigned bits = g->bits[lo];
    for (size_t k = 0; seen && k < priority_groups.n; k++) {
        char key[40];
        snprintf(key, sizeof(key), ",%s,", priority_groups.words[k].key);
        if (!strstr(seen, key))
            bits &= ~(1u << k);
    }
    return bits;
}

void groups_labels(unsigned bits, struct buf *out)
{
    bool first = true;
    for (size_t k = 0; k < priority_groups.n; k++)
        if (bits & (1u << k)) {
            buf_addf(out, "%s%s", first ? "" : "、", priority_groups.words[k].label);
            first = false;
        }
}

int casework_group_arg(const char *text, const char **key, struct outcome *o)
{
    *key = NULL;
    if (!text || !*text)
        return 0;
    int k = vocab_parse(&priority_groups, text);
    if (k < 0) {
        struct buf b = BUF_INIT;
        vocab_error(&priority_groups, text, &b);
        failed_at(o, OUT_INVALID, "group", "%s", b.buf);
        buf_release(&b);
        return -1;
    }
    *key = priority_groups.words[k].key;
    return 0;
}
