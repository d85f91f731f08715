/* Children with disabilities: a child's placement and the 送教上门 visits (placement.h). */
#include "casework/placement.h"

#include <errno.h>
#include <jansson.h>

#include "casework/casework.h"
#include "casework/event.h"
#include "core/date.h"
#include "core/words.h"
#include "domain/batch.h"
#include "domain/settings.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"
#include "util/fieldtext.h"

static const struct word kind_words[] = {
    {"regular", "随班就读", "随班", 0, TONE_OK},
    {"special_school", "特殊教育学校", "特殊学校|特教学校|特校", 0, TONE_OK},
    {"home_teaching", "送教上门", "送教", 0, TONE_INFO},
    {"deferred", "缓学", "延缓入学|缓学（已批准）", 0, TONE_WARN},
    {"exempt", "免学", "免予入学|免学（已批准）", 0, TONE_WARN},
};
const struct vocab placement_kinds = {"安置方式", kind_words, ARRAY_SIZE(kind_words)};

static bool approved_kind(const char *key)
{
    return !strcmp(key, "deferred") || !strcmp(key, "exempt");
}

static bool blank(const char *s)
{
    return !s || !*s;
}

/* ---- the monthly minimum ---- */

static const struct setting_field minimum_fields[] = {
    {"send_teach_visits", offsetof(struct send_minimum, visits), SETTING_INT},
    {"send_teach_hours", offsetof(struct send_minimum, hours), SETTING_INT},
};

int send_minimum_load(struct store *s, struct send_minimum *m, struct outcome *o)
{
    *m = (struct send_minimum){0};
    if (settings_load(s, minimum_fields, ARRAY_SIZE(minimum_fields), m) < 0)
        return fail_store(s, o);
    return 0;
}

bool send_month_short(const struct send_minimum *m, const struct send_month *sm)
{
    return sm->visits < m->visits || sm->tenths < m->hours * 10;
}

int month_first_day(int ymd)
{
    return ymd_make(ymd_year(ymd), ymd_month(ymd), 1);
}

int month_last_day(int ymd)
{
    int y = ymd_year(ymd), m = ymd_month(ymd);
    int next = m == 12 ? ymd_make(y + 1, 1, 1) : ymd_make(y, m + 1, 1);
    return days_to_ymd(ymd_to_days(next) - 1);
}

bool send_month_checked(int since, int ymd)
{
    return since && since <= month_first_day(ymd);
}

int send_month_load(struct store *s, int64_t child_id, int ymd, struct send_month *out)
{
    char a[11], b[11];
    date_format(month_first_day(ymd), a);
    date_format(month_last_day(ymd), b);
    *out = (struct send_month){0};
    struct stmt *q = store_prepare(
        s, "SELECT count(*), coalesce(sum(v.tenths), 0) FROM send_visit v WHERE v.child_id = $1"
           " AND v.on_date >= $2 AND v.on_date <= $3"
           " AND NOT EXISTS (SELECT 1 FROM send_visit x WHERE x.corrects = v.id)");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, child_id);
    stmt_bind_str(q, 2, a);
    stmt_bind_str(q, 3, b);
    int rc = stmt_step(q);
    if (rc == 1) {
        out->visits = (int)stmt_int(q, 0);
        out->tenths = (int)stmt_int(q, 1);
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

void tenths_format(int tenths, char out[16])
{
    if (tenths % 10)
        snprintf(out, 16, "%d.%d", tenths / 10, tenths % 10);
    else
        snprintf(out, 16, "%d", tenths / 10);
}

int tenths_parse(const char *text)
{
    if (blank(text))
        return -1;
    const char *p = text;
    long whole = 0, frac = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 4)
        whole = whole * 10 + (*p++ - '0'), digits++;
    if (!digits)
        return -1;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return -1;
        frac = *p++ - '0';
        if (*p == '0') /* 1.50 */
            p++;
    }
    if (!strcmp(p, "课时") || !strcmp(p, "节") || !strcmp(p, "小时"))
        p += strlen(p);
    if (*p)
        return -1;
    long t = whole * 10 + frac;
    return t >= 1 && t <= 240 ? (int)t : -1;
}

/* ---- the child ---- */

struct child_ref {
    int64_t record_id, run_id, child_id;
    char tcode[10], township[64], name[64];
    struct buf key;
    /* its placement, when it has one */
    bool placed;
    char kind[16], school[32], school_name[128], approved_by[TEXT_LINE_MAX + 1],
        approval_no[TEXT_LINE_MAX + 1], approved_on[11], ends_on[11], since[11];
    char *note;
};

static void child_ref_release(struct child_ref *c)
{
    buf_release(&c->key);
    free(c->note);
    c->note = NULL;
}

static int placement_load(struct store *s, struct child_ref *c)
{
    c->placed = false;
    if (!c->child_id)
        return 0;
    struct stmt *q = store_prepare(
        s,
        "SELECT kind, coalesce(school, ''), coalesce(school_name, ''), coalesce(approved_by, ''),"
        " coalesce(approval_no, ''), coalesce(approved_on, ''), coalesce(ends_on, ''), since,"
        " coalesce(note, '') FROM placement WHERE child_id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, c->child_id);
    int rc = stmt_step(q);
    if (rc == 1) {
        c->placed = true;
        snprintf(c->kind, sizeof(c->kind), "%s", stmt_text(q, 0));
        snprintf(c->school, sizeof(c->school), "%s", stmt_text(q, 1));
        snprintf(c->school_name, sizeof(c->school_name), "%s", stmt_text(q, 2));
        snprintf(c->approved_by, sizeof(c->approved_by), "%s", stmt_text(q, 3));
        snprintf(c->approval_no, sizeof(c->approval_no), "%s", stmt_text(q, 4));
        snprintf(c->approved_on, sizeof(c->approved_on), "%s", stmt_text(q, 5));
        snprintf(c->ends_on, sizeof(c->ends_on), "%s", stmt_text(q, 6));
        snprintf(c->since, sizeof(c->since), "%s", stmt_text(q, 7));
        free(c->note);
        c->note = xstrdup(stmt_text(q, 8));
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

/* The child of population record `record_id` of a finished cross-check, its child row (made
 * when `make`, inside the caller's transaction) and its placement. */
static int child_resolve(struct store *s, int64_t record_id, bool make, struct child_ref *c,
                         struct outcome *o)
{
    struct stmt *q = store_prepare(
        s, "SELECT r.id_number, coalesce(r.id_flags, 0), coalesce(r.name_key, ''),"
           " coalesce(r.birth_date, ''), coalesce(r.gender, 0), coalesce(r.township_code, ''),"
           " coalesce(r.township, ''), coalesce(r.name, ''), (SELECT max(m.id) FROM match_run m"
           " WHERE m.population_batch = r.batch_id AND m.finished_at IS NOT NULL)"
           " FROM record r WHERE r.id = $1");
    if (!q)
        return fail_store(s, o);
    stmt_bind_int(q, 1, record_id);
    int rc = stmt_step(q);
    if (rc == 1 && !stmt_is_null(q, 8)) {
        c->record_id = record_id;
        c->run_id = stmt_int(q, 8);
        child_key(stmt_is_null(q, 0) ? NULL : stmt_text(q, 0), (int)stmt_int(q, 1), stmt_text(q, 2),
                  stmt_text(q, 3), (int)stmt_int(q, 4), &c->key);
        snprintf(c->tcode, sizeof(c->tcode), "%s", stmt_text(q, 5));
        snprintf(c->township, sizeof(c->township), "%s", stmt_text(q, 6));
        snprintf(c->name, sizeof(c->name), "%s", stmt_text(q, 7));
    }
    bool found = rc == 1 && !stmt_is_null(q, 8);
    stmt_finalize(q);
    if (rc < 0)
        return fail_store(s, o);
    if (!found)
        return failed(o, OUT_NOT_FOUND,
                      "没有记录编号为 %lld 的儿童（应为比对结果中户籍名单的记录）",
                      (long long)record_id);
    const char *p[] = {c->key.buf};
    if (store_int(s, "SELECT id FROM child WHERE child_key = $1", 1, p, &c->child_id) < 0)
        return fail_store(s, o);
    if (!c->child_id && make) {
        struct stmt *ins = store_prepare(
            s, "INSERT INTO child (child_key, first_run, first_record, last_run, last_record)"
               " VALUES ($1, $2, $3, $2, $3) RETURNING id");
        if (!ins)
            return fail_store(s, o);
        stmt_bind_str(ins, 1, c->key.buf);
        stmt_bind_int(ins, 2, c->run_id);
        stmt_bind_int(ins, 3, record_id);
        if (stmt_step(ins) == 1)
            c->child_id = stmt_int(ins, 0);
        stmt_finalize(ins);
        if (!c->child_id)
            return fail_store(s, o);
    }
    if (placement_load(s, c) < 0)
        return fail_store(s, o);
    return 0;
}

static int reach_check(const struct scope *sc, const struct child_ref *c, enum scope_action act,
                       const char *what, struct outcome *o)
{
    if (!sc)
        return 0;
    enum outcome_kind k = scope_placement_allows(sc, c->tcode, c->placed ? c->school : "", act);
    if (k == OUT_NOT_FOUND)
        return failed(o, OUT_NOT_FOUND, "没有记录编号为 %lld 的儿童，或不在您的管辖范围内",
                      (long long)c->record_id);
    if (k != OUT_OK)
        return failed(o, OUT_FORBIDDEN, "您的账号不能%s", what);
    return 0;
}

/* The school a placement names: its 学籍 code, or its name in the current 学籍 list. */
static int school_resolve(struct store *s, const char *text, char code[32], char name[128],
                          struct outcome *o)
{
    int rc = batch_school_name(s, text, name, 128);
    if (rc < 0)
        return fail_store(s, o);
    if (rc == 1) {
        snprintf(code, 32, "%s", text);
        if (!*name)
            snprintf(name, 128, "%s", text);
        return 0;
    }
    json_t *all = batch_schools(s);
    if (!all)
        return fail_store(s, o);
    json_t *list = json_is_array(all) ? all : json_object_get(all, "schools");
    size_t i, hits = 0;
    json_t *sch;
    json_array_foreach(list, i, sch)
    {
        if (!strcmp(json_string_value(json_object_get(sch, "name")), text)) {
            if (!hits++) {
                snprintf(code, 32, "%s", json_string_value(json_object_get(sch, "code")));
                snprintf(name, 128, "%s", text);
            }
        }
    }
    json_decref(all);
    if (hits == 1)
        return 0;
    return failed_at(o, OUT_INVALID, "school",
                     hits ? "学校“%s”在学籍名单中不止一所，请填写学校的学籍代码"
                          : "学校“%s”不在当前学籍名单中，请填写学籍名单中的学校名称或代码",
                     text);
}

static int optional_date(const char *what, const char *field, const char *text, int *ymd,
                         struct outcome *o)
{
    if (date_parse(text, strlen(text), ymd) < 0)
        return failed_at(o, OUT_INVALID, field,
                         "%s“%s”不是有效日期，请按年-月-日写，例如 2026-11-20", what, text);
    return 0;
}

/* ---- placement_set ---- */

static void describe(struct buf *b, const char *kind, const char *school_name,
                     const char *approved_by, const char *approval_no, const char *approved_on,
                     const char *ends_on)
{
    buf_adds(b, vocab_label(&placement_kinds, kind));
    if (approved_kind(kind))
        buf_addf(b, "（%s批准，文号 %s，%s 批准，至 %s）", approved_by, approval_no, approved_on,
                 ends_on);
    else if (!strcmp(kind, "home_teaching"))
        buf_addf(b, "（送教学校 %s）", school_name);
    else
        buf_addf(b, "（%s）", school_name);
}

int placement_set(struct store *s, const struct scope *sc, int64_t record_id,
                  const struct placement_input *in, const char *actor, struct buf *msg,
                  struct outcome *o)
{
    const struct text_field typed[] = {
        {"学校", in->school, TEXT_LINE, "school"},
        {"批准机关", in->approved_by, TEXT_LINE, "approved_by"},
        {"批准文号", in->approval_no, TEXT_LINE, "approval_no"},
        {"说明", in->note, TEXT_NOTE, "note"},
    };
    if (text_check_all(typed, ARRAY_SIZE(typed), o) < 0)
        return -1;
    int k = vocab_parse(&placement_kinds, in->kind);
    if (k < 0)
        return casework_vocab_refused(o, "kind", NULL, &placement_kinds, in->kind);
    const char *kind = placement_kinds.words[k].key;
    char code[32] = "", sname[128] = "", appr[11] = "", ends[11] = "", since[11];
    int since_ymd;
    if (casework_date("安置开始日期", "since", in->since, 0, &since_ymd, o) < 0)
        return -1;
    date_format(since_ymd, since);
    if (approved_kind(kind)) {
        if (!blank(in->school))
            return failed_at(o, OUT_INVALID, "school", "%s不填学校，请填写批准机关、文号和期限",
                             placement_kinds.words[k].label);
        static const struct {
            const char *key, *label;
        } need[] = {{"approved_by", "批准机关（乡镇人民政府或县教育局）"},
                    {"approval_no", "批准文号"},
                    {"approved_on", "批准日期"},
                    {"ends_on", "截止日期"}};
        const char *vals[] = {in->approved_by, in->approval_no, in->approved_on, in->ends_on};
        for (size_t i = 0; i < ARRAY_SIZE(need); i++)
            if (blank(vals[i]))
                return failed_at(o, OUT_INVALID, need[i].key,
                                 "%s须经监护人申请、乡镇人民政府或县教育局批准：请填写%s",
                                 placement_kinds.words[k].label, need[i].label);
        int a, e;
        if (casework_date("批准日期", "approved_on", in->approved_on, 0, &a, o) < 0 ||
            optional_date("截止日期", "ends_on", in->ends_on, &e, o) < 0)
            return -1;
        if (e <= a)
            return failed_at(o, OUT_INVALID, "ends_on", "截止日期应晚于批准日期");
        date_format(a, appr);
        date_format(e, ends);
    } else {
        if (!blank(in->approved_by) || !blank(in->approval_no) || !blank(in->approved_on) ||
            !blank(in->ends_on))
            return failed_at(o, OUT_INVALID, "approved_by",
                             "批准机关、文号和期限只用于缓学、免学，%s不填",
                             placement_kinds.words[k].label);
        if (blank(in->school))
            return failed_at(o, OUT_INVALID, "school",
                             !strcmp(kind, "home_teaching")
                                 ? "送教上门须填写派出送教教师的学校（学籍名单中的名称或代码）"
                                 : "%s须填写学校（学籍名单中的名称或代码）",
                             placement_kinds.words[k].label);
        if (school_resolve(s, in->school, code, sname, o) < 0)
            return -1;
    }
    if (store_begin(s) < 0)
        return fail_store(s, o);
    struct child_ref c = {.key = BUF_INIT};
    if (child_resolve(s, record_id, true, &c, o) < 0 ||
        reach_check(sc, &c, ACT_WRITE, "设置这名儿童的安置方式", o) < 0) {
        store_rollback(s);
        child_ref_release(&c);
        return -1;
    }
    const char *note = blank(in->note) ? "" : in->note;
    if (c.placed && !strcmp(c.kind, kind) && !strcmp(c.school, code) &&
        !strcmp(c.approved_by, blank(in->approved_by) ? "" : in->approved_by) &&
        !strcmp(c.approval_no, blank(in->approval_no) ? "" : in->approval_no) &&
        !strcmp(c.approved_on, appr) && !strcmp(c.ends_on, ends) && !strcmp(c.since, since) &&
        !strcmp(c.note ? c.note : "", note)) {
        store_rollback(s);
        buf_addf(msg, "%s的安置方式没有变化", c.name);
        child_ref_release(&c);
        return 0;
    }
    char now[32];
    date_now_text(now, sizeof(now));
    struct stmt *q = store_prepare(
        s, c.placed ? "UPDATE placement SET record_id = $2, township_code = $3, township = $4,"
                      " kind = $5, school = $6, school_name = $7, approved_by = $8,"
                      " approval_no = $9, approved_on = $10, ends_on = $11, since = $12,"
                      " note = $13, set_by = $14, set_at = $15 WHERE child_id = $1"
                    : "INSERT INTO placement (child_id, record_id, township_code, township, kind,"
                      " school, school_name, approved_by, approval_no, approved_on, ends_on,"
                      " since, note, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
                      " $10, $11, $12, $13, $14, $15)");
    int rc = -1;
    if (q) {
        const char *texts[] = {c.tcode,
                               c.township,
                               kind,
                               code,
                               sname,
                               in->approved_by,
                               in->approval_no,
                               appr,
                               ends,
                               since,
                               note,
                               actor && *actor ? actor : "unknown",
                               now};
        stmt_bind_int(q, 1, c.child_id);
        stmt_bind_int(q, 2, record_id);
        for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
            if (blank(texts[i]) && i != 0 && i != 1)
                stmt_bind_null(q, (int)i + 3);
            else
                stmt_bind_str(q, (int)i + 3, texts[i]);
        }
        rc = stmt_step(q) < 0 ? -1 : 0;
        stmt_finalize(q);
    }
    struct buf t = BUF_INIT;
    if (c.placed) {
        buf_adds(&t, "安置方式由");
        describe(&t, c.kind, c.school_name, c.approved_by, c.approval_no, c.approved_on, c.ends_on);
        buf_adds(&t, "改为");
    } else {
        buf_adds(&t, "安置方式：");
    }
    describe(&t, kind, sname, in->approved_by, in->approval_no, appr, ends);
    buf_addf(&t, "，自 %s 起", since);
    if (*note)
        buf_addf(&t, "；说明：%s", note);
    char target[AUDIT_TARGET_SIZE];
    audit_target(target, OBJ_RECORD, record_id);
    if (rc < 0 || event_add(s, c.child_id, 0, 0, "placement", since_ymd, actor, t.buf) < 0 ||
        audit_record(s, actor, NULL, "placement_set", target, placement_kinds.words[k].label) < 0 ||
        store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        buf_release(&t);
        child_ref_release(&c);
        return -1;
    }
    buf_addf(msg, "已%s%s的安置方式：%s", c.placed ? "更改" : "设置", c.name,
             t.buf + strlen(c.placed ? "安置方式" : "安置方式："));
    buf_release(&t);
    child_ref_release(&c);
    return 0;
}

/* ---- placement_visit ---- */

int placement_visit(struct store *s, const struct scope *sc, int64_t record_id,
                    const struct send_visit_input *in, const char *actor, struct buf *msg,
                    struct outcome *o)
{
    const struct text_field typed[] = {
        {"送教教师", in->teachers, TEXT_LINE, "teachers"},
        {"送教内容", in->content, TEXT_NOTE, "content"},
        {"更正原因", in->reason, TEXT_NOTE, "reason"},
    };
    if (text_check_all(typed, ARRAY_SIZE(typed), o) < 0)
        return -1;
    struct child_ref c = {.key = BUF_INIT};
    if (child_resolve(s, record_id, false, &c, o) < 0) {
        child_ref_release(&c);
        return -1;
    }
    int rc = reach_check(sc, &c, ACT_ATTEMPT, "记录这名儿童的送教上门", o);
    int64_t corrects = 0;
    if (rc == 0 && !blank(in->corrects)) {
        char *end;
        errno = 0;
        corrects = strtoll(in->corrects, &end, 10);
        int64_t owner = 0, by = 0;
        const char *p[] = {in->corrects};
        if (errno || *end || corrects <= 0)
            rc = failed_at(o, OUT_INVALID, "corrects",
                           "要更正的送教记录“%s”无效，应为送教记录的编号", in->corrects);
        else if (store_int(s, "SELECT child_id FROM send_visit WHERE id = $1", 1, p, &owner) < 0 ||
                 store_int(s, "SELECT coalesce(max(id), 0) FROM send_visit WHERE corrects = $1", 1,
                           p, &by) < 0)
            rc = fail_store(s, o);
        else if (!c.child_id || owner != c.child_id)
            rc = failed_at(o, OUT_INVALID, "corrects", "%s没有编号为 %lld 的送教记录，无法更正",
                           c.name, (long long)corrects);
        else if (by)
            rc = failed_at(o, OUT_INVALID, "corrects",
                           "送教记录 #%lld 已由 #%lld 更正，如需再改请更正 #%lld",
                           (long long)corrects, (long long)by, (long long)by);
        else if (blank(in->reason))
            rc = failed_at(o, OUT_INVALID, "reason",
                           "更正送教记录须写明更正原因（如 课时记错，实为 2 课时）");
    } else if (rc == 0 && !blank(in->reason)) {
        rc = failed_at(o, OUT_INVALID, "reason",
                       "更正原因只用于更正送教记录：请同时填写要更正的记录编号");
    } else if (rc == 0 && (!c.placed || strcmp(c.kind, "home_teaching"))) {
        rc = failed(o, OUT_INVALID, "%s的安置方式不是送教上门，请先设置安置方式为送教上门",
                    c.name); /* a correction is allowed whatever the placement is now */
    }
    int on = 0, tenths = -1;
    if (rc == 0 && blank(in->teachers))
        rc = failed_at(o, OUT_INVALID, "teachers", "缺少送教教师（姓名，多人用、分隔）");
    if (rc == 0 && blank(in->content))
        rc = failed_at(o, OUT_INVALID, "content", "缺少送教内容（如 语文识字、康复训练）");
    if (rc == 0 && (tenths = tenths_parse(in->hours)) < 0)
        rc = failed_at(o, OUT_INVALID, "hours",
                       blank(in->hours) ? "缺少课时数（如 2 或 1.5）"
                                        : "课时数“%s”无效，应为 0.1 到 24 之间的数，如 2 或 1.5",
                       in->hours);
    if (rc == 0 && corrects && blank(in->date)) {
        /* a correction keeps the corrected visit's date unless it says another */
        struct stmt *d = store_prepare(s, "SELECT on_date FROM send_visit WHERE id = $1");
        if (!d)
            rc = fail_store(s, o);
        else {
            stmt_bind_int(d, 1, corrects);
            on = stmt_step(d) == 1 ? date_or_zero(stmt_text(d, 0)) : 0;
            stmt_finalize(d);
        }
    }
    if (rc == 0 && !on)
        rc = casework_date("送教日期", "date", in->date, 0, &on, o);
    if (rc < 0) {
        child_ref_release(&c);
        return -1;
    }
    char day[11], now[32], hours[16];
    date_format(on, day);
    date_now_text(now, sizeof(now));
    tenths_format(tenths, hours);
    if (store_begin(s) < 0) {
        child_ref_release(&c);
        return fail_store(s, o);
    }
    struct stmt *q = store_prepare(
        s, "INSERT INTO send_visit (child_id, on_date, teachers, tenths, content, corrects,"
           " reason, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
           " RETURNING id");
    int64_t id = 0;
    if (q) {
        stmt_bind_int(q, 1, c.child_id);
        stmt_bind_str(q, 2, day);
        stmt_bind_str(q, 3, in->teachers);
        stmt_bind_int(q, 4, tenths);
        stmt_bind_str(q, 5, in->content);
        if (corrects) {
            stmt_bind_int(q, 6, corrects);
            stmt_bind_str(q, 7, in->reason);
        } else {
            stmt_bind_null(q, 6);
            stmt_bind_null(q, 7);
        }
        stmt_bind_str(q, 8, actor && *actor ? actor : "unknown");
        stmt_bind_str(q, 9, now);
        id = stmt_step(q) == 1 ? stmt_int(q, 0) : 0;
        stmt_finalize(q);
    }
    struct buf t = BUF_INIT;
    if (corrects)
        buf_addf(&t, "送教记录 #%lld 更正 #%lld：", (long long)id, (long long)corrects);
    else
        buf_addf(&t, "送教记录 #%lld：", (long long)id);
    buf_addf(&t, "%s 送教 %s 课时；内容：%s", in->teachers, hours, in->content);
    if (corrects)
        buf_addf(&t, "；更正原因：%s", in->reason);
    char target[AUDIT_TARGET_SIZE];
    audit_target(target, OBJ_RECORD, record_id);
    if (!id ||
        event_add(s, c.child_id, 0, 0, corrects ? "correction" : "send_visit", on, actor, t.buf) <
            0 ||
        audit_record(s, actor, NULL, "send_visit", target, corrects ? "更正" : "送教上门") < 0 ||
        store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        buf_release(&t);
        child_ref_release(&c);
        return -1;
    }
    buf_addf(msg, "已记录%s的送教记录 #%lld（%s，%s 课时）%s", c.name, (long long)id, day, hours,
             corrects ? "（更正记录，原记录保留）" : "");
    buf_release(&t);
    child_ref_release(&c);
    return 0;
}
