/*
 * 疾病台帐 (casework/wellbeing.h): a pupil's illnesses, their effect on schooling and follow-ups.
 */
#include "casework/casework.h"
#include "casework/people.h"
#include "casework/wellbeing.h"
#include "core/date.h"
#include "core/view.h"
#include "core/words.h"
#include "domain/run.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"

static const struct word category_words[] = {
    {"chronic", "慢性病", "慢性疾病|长期慢性病", 0, TONE_WARN},
    {"serious", "重大疾病", "重病|大病|重大病", 0, TONE_BAD},
    {"infectious", "传染病", "传染性疾病|法定传染病", 0, TONE_WARN},
    {"injury", "意外伤害", "受伤|外伤|骨折", 0, TONE_INFO},
    {"other", "其他", "其他疾病|一般疾病", 0, TONE_NONE},
};
const struct vocab illness_categories = {"疾病类别", category_words, ARRAY_SIZE(category_words)};

static const struct word effect_words[] = {
    {"none", "不影响到校", "不影响|正常到校|无影响", 0, TONE_OK},
    {"partial", "部分缺课", "部分影响|间断缺课|时常请假", 0, TONE_WARN},
    {"absent", "无法到校", "不能到校|无法上学|长期病休", 0, TONE_BAD},
};
const struct vocab illness_effects = {"对到校的影响", effect_words, ARRAY_SIZE(effect_words)};

static bool blank(const char *s)
{
    return !s || !*s;
}

/* 是/否 (and the spellings forms use); -1 for anything else. */
static int yes_no(const char *text)
{
    static const char *const yes[] = {"是", "1", "true", "有", "Y", "y"};
    static const char *const no[] = {"否", "0", "false", "无", "N", "n", "不是"};
    for (size_t i = 0; i < ARRAY_SIZE(yes); i++)
        if (!strcmp(text, yes[i]))
            return 1;
    for (size_t i = 0; i < ARRAY_SIZE(no); i++)
        if (!strcmp(text, no[i]))
            return 0;
    return -1;
}

/* Who writes a pupil's illness: the county (admin), the pupil's own school; NULL the program. */
static bool may_write(const struct scope *sc, const char *school)
{
    if (!sc)
        return true;
    if (sc->role == ROLE_ADMIN || sc->role == ROLE_COUNTY)
        return true;
    return sc->role == ROLE_SCHOOL && sc->school && *sc->school && school && *school &&
           !strcmp(sc->school, school);
}

/* Who reads an illness of a child of `township` logged at `school`. */
static bool may_read(const struct scope *sc, const char *township, const char *school)
{
    if (!sc)
        return true;
    switch (sc->role) {
    case ROLE_ADMIN:
    case ROLE_COUNTY:
    case ROLE_SUPERVISOR:
        return true;
    case ROLE_TOWNSHIP:
        return sc->township && township && !strcmp(sc->township, township);
    case ROLE_SCHOOL:
        return sc->school && *sc->school && school && !strcmp(sc->school, school);
    default:
        return false;
    }
}

int illness_add(struct store *s, const struct scope *sc, int64_t record_id,
                const struct illness_input *in, const char *actor, int64_t *id, struct buf *msg,
                struct outcome *o)
{
    int ci = blank(in->category) ? -1 : vocab_parse(&illness_categories, in->category);
    if (ci < 0)
        return casework_vocab_refused(o, "category", NULL, &illness_categories,
                                      in->category ? in->category : "");
    const char *category = illness_categories.words[ci].key;
    if (blank(in->diagnosis))
        return failed_at(o, OUT_INVALID, "diagnosis", "请填写病情（疾病名称或情况）");
    int ei = blank(in->effect) ? -1 : vocab_parse(&illness_effects, in->effect);
    if (ei < 0)
        return casework_vocab_refused(o, "effect", NULL, &illness_effects,
                                      in->effect ? in->effect : "");
    int serious = 0;
    if (!blank(in->serious) && (serious = yes_no(in->serious)) < 0)
        return failed_at(o, OUT_INVALID, "serious", "慢性或重大疾病应填“是”或“否”");
    if (!strcmp(category, "chronic") || !strcmp(category, "serious"))
        serious = 1;
    int from, to = 0;
    if (casework_date("起始日期", "from", in->from, 0, &from, o) < 0)
        return -1;
    if (!blank(in->to) && casework_date("结束日期", "to", in->to, from, &to, o) < 0)
        return -1;
    int64_t leave = 0;
    if (!blank(in->sick_leave)) {
        char *end;
        leave = strtoll(in->sick_leave, &end, 10);
        if (*end || leave <= 0)
            return failed_at(o, OUT_INVALID, "sick_leave", "病假记录编号应为正整数");
    }
    struct wb_child c;
    int rc = wb_child_load(s, record_id, &c, o);
    if (rc < 0)
        return -1;
    if (rc == 0 || !may_read(sc, c.township, c.school))
        return failed(o, OUT_NOT_FOUND, "没有这名儿童，或不在您的管辖范围内");
    if (!may_write(sc, c.school))
        return failed(o, OUT_FORBIDDEN, "疾病台帐由学生就读学校或县教育局记录，您的账号只能查看");
    if (store_begin(s) < 0)
        return fail_store(s, o);
    int64_t child = wb_child_make(s, &c);
    char from_t[11], to_t[11], leave_t[24], now[32];
    date_format(from, from_t);
    if (to)
        date_format(to, to_t);
    snprintf(leave_t, sizeof(leave_t), "%lld", (long long)leave);
    date_now_text(now, sizeof(now));
    struct stmt *q =
        child > 0 ? store_prepare(s, "INSERT INTO illness (child_id, record_id, township_code,"
                                     " school_code, school_name, category, diagnosis, serious,"
                                     " from_date, to_date, effect, sick_leave_id, certificate,"
                                     " note, logged_by, logged_at) VALUES ($1, $2, $3, $4, $5,"
                                     " $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
                                     " RETURNING id")
                  : NULL;
    *id = 0;
    if (q) {
        stmt_bind_int(q, 1, child);
        stmt_bind_int(q, 2, record_id);
        stmt_bind_str(q, 3, *c.township ? c.township : NULL);
        stmt_bind_str(q, 4, *c.school ? c.school : NULL);
        stmt_bind_str(q, 5, *c.school_name ? c.school_name : NULL);
        stmt_bind_str(q, 6, category);
        stmt_bind_str(q, 7, in->diagnosis);
        stmt_bind_int(q, 8, serious);
        stmt_bind_str(q, 9, from_t);
        stmt_bind_str(q, 10, to ? to_t : NULL);
        stmt_bind_str(q, 11, illness_effects.words[ei].key);
        if (leave)
            stmt_bind_int(q, 12, leave);
        else
            stmt_bind_str(q, 12, NULL);
        stmt_bind_str(q, 13, blank(in->certificate) ? NULL : in->certificate);
        stmt_bind_str(q, 14, blank(in->note) ? NULL : in->note);
        stmt_bind_str(q, 15, actor && *actor ? actor : "unknown");
        stmt_bind_str(q, 16, now);
        *id = stmt_step(q) == 1 ? stmt_int(q, 0) : 0;
        stmt_finalize(q);
    }
    char target[AUDIT_TARGET_SIZE];
    audit_target(target, OBJ_RECORD, record_id);
    if (*id <= 0 ||
        audit_record(s, actor, NULL, "illness_add", target, illness_categories.words[ci].label) <
            0 ||
        store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "已登记疾病台帐第 %lld 条（%s，%s）", (long long)*id,
             illness_categories.words[ci].label, illness_effects.words[ei].label);
    if (serious && !blank(in->certificate) && strcmp(illness_effects.words[ei].key, "none"))
        buf_adds(msg, "。有诊断证明、影响到校的慢性或重大疾病，可在学生档案中为其设置安置方式"
                      "（送教上门或缓学）");
    return 0;
}

int illness_follow(struct store *s, const struct scope *sc, int64_t illness_id,
                   const struct illness_follow_input *in, const char *actor, struct buf *msg,
                   struct outcome *o)
{
    if (blank(in->by))
        return failed_at(o, OUT_INVALID, "by", "请填写随访人");
    if (blank(in->content))
        return failed_at(o, OUT_INVALID, "content", "请填写随访情况");
    struct stmt *q = store_prepare(s, "SELECT from_date, coalesce(township_code, ''),"
                                      " coalesce(school_code, ''), coalesce(to_date, ''), record_id"
                                      " FROM illness WHERE id = $1");
    if (!q)
        return fail_store(s, o);
    stmt_bind_int(q, 1, illness_id);
    char from_t[11] = "", township[10] = "", school[32] = "", to_t[11] = "";
    int64_t record_id = 0;
    int rc = stmt_step(q);
    if (rc == 1) {
        record_id = stmt_int(q, 4);
        snprintf(from_t, sizeof(from_t), "%s", stmt_text(q, 0));
        snprintf(township, sizeof(township), "%s", stmt_text(q, 1));
        snprintf(school, sizeof(school), "%s", stmt_text(q, 2));
        snprintf(to_t, sizeof(to_t), "%s", stmt_text(q, 3));
    }
    stmt_finalize(q);
    if (rc < 0)
        return fail_store(s, o);
    if (rc == 0 || !may_read(sc, township, school))
        return failed(o, OUT_NOT_FOUND, "没有第 %lld 条疾病台帐记录，或不在您的管辖范围内",
                      (long long)illness_id);
    if (!may_write(sc, school))
        return failed(o, OUT_FORBIDDEN, "疾病随访由学生就读学校或县教育局记录，您的账号只能查看");
    int from = date_or_zero(from_t), on, ended = 0;
    if (casework_date("随访日期", "date", in->date, from, &on, o) < 0)
        return -1;
    if (!blank(in->ended)) {
        if (*to_t)
            return failed_at(o, OUT_INVALID, "ended", "这条疾病记录已于 %s 结束", to_t);
        if (casework_date("痊愈日期", "ended", in->ended, from, &ended, o) < 0)
            return -1;
    }
    char day[11], end_t[11], now[32];
    date_format(on, day);
    if (ended)
        date_format(ended, end_t);
    date_now_text(now, sizeof(now));
    char iid[24];
    snprintf(iid, sizeof(iid), "%lld", (long long)illness_id);
    const char *p[] = {iid, day, in->by, in->content, actor && *actor ? actor : "unknown", now};
    const char *pe[] = {iid, ended ? end_t : NULL};
    char target[AUDIT_TARGET_SIZE];
    audit_target(target, OBJ_RECORD, record_id);
    if (store_begin(s) < 0)
        return fail_store(s, o);
    if (store_run(s,
                  "INSERT INTO illness_follow (illness_id, on_date, by_whom, content, logged_by,"
                  " logged_at) VALUES (CAST($1 AS BIGINT), $2, $3, $4, $5, $6)",
                  6, p) < 0 ||
        (ended && store_run(s, "UPDATE illness SET to_date = $2 WHERE id = CAST($1 AS BIGINT)", 2,
                            pe) < 0) ||
        audit_record(s, actor, NULL, "illness_follow", target, ended ? "随访（痊愈）" : "随访") <
            0 ||
        store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "已记录 %s 的疾病随访%s%s", day, ended ? "，疾病已于 " : "", ended ? end_t : "");
    if (ended)
        buf_adds(msg, " 结束");
    return 0;
}

/* An illness row as the screens read it (the columns of ILLNESS_COLS, from column `at`). */
#define ILLNESS_COLS                                                                               \
    "i.id, i.category, i.diagnosis, i.serious, i.from_date, coalesce(i.to_date, ''), i.effect,"    \
    " coalesce(i.sick_leave_id, 0), coalesce(i.certificate, ''), coalesce(i.note, ''),"            \
    " coalesce(i.school_name, ''), i.logged_by, i.child_id"

static json_t *illness_row(struct stmt *q, int at, int today)
{
    const char *to = stmt_text(q, at + 5);
    return json_pack(
        "{s:I, s:s, s:s, s:s, s:b, s:s, s:s, s:b, s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "id",
        (json_int_t)stmt_int(q, at), "category", stmt_text(q, at + 1), "category_label",
        vocab_label(&illness_categories, stmt_text(q, at + 1)), "diagnosis", stmt_text(q, at + 2),
        "serious", stmt_int(q, at + 3) != 0, "from", stmt_text(q, at + 4), "to", to, "open",
        !*to || date_or_zero(to) >= today, "effect", stmt_text(q, at + 6), "effect_label",
        vocab_label(&illness_effects, stmt_text(q, at + 6)), "sick_leave_id",
        (json_int_t)stmt_int(q, at + 7), "certificate", stmt_text(q, at + 8), "note",
        stmt_text(q, at + 9), "school", stmt_text(q, at + 10), "logged_by", stmt_text(q, at + 11));
}

/* The follow-ups of illness `id` into item["follows"]. */
static int follows(struct store *s, json_t *item, int64_t id)
{
    json_t *list = json_array();
    json_object_set_new(item, "follows", list);
    struct stmt *q = store_prepare(s, "SELECT on_date, by_whom, content, logged_by"
                                      " FROM illness_follow WHERE illness_id = $1"
                                      " ORDER BY on_date, id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, id);
    int rc;
    while ((rc = stmt_step(q)) == 1)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}", "date", stmt_text(q, 0), "by",
                                              stmt_text(q, 1), "content", stmt_text(q, 2),
                                              "logged_by", stmt_text(q, 3)));
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

json_t *illness_of_child(struct store *s, const struct scope *sc, int64_t record_id,
                         struct outcome *o)
{
    struct wb_child c;
    int rc = wb_child_load(s, record_id, &c, o);
    if (rc < 0)
        return NULL;
    if (rc == 0 || !may_read(sc, c.township, c.school)) {
        failed(o, OUT_NOT_FOUND, "没有这名儿童，或不在您的管辖范围内");
        return NULL;
    }
    json_t *j = json_object();
    json_t *items = json_array();
    json_object_set_new(j, "may_log", json_boolean(may_write(sc, c.school)));
    json_object_set_new(j, "items", items);
    if (!c.child_id)
        return j;
    int64_t placed = 0;
    char cid[24];
    snprintf(cid, sizeof(cid), "%lld", (long long)c.child_id);
    const char *pp[] = {cid};
    if (store_int(s, "SELECT count(*) FROM placement WHERE child_id = CAST($1 AS BIGINT)", 1, pp,
                  &placed) < 0) {
        json_decref(j);
        fail_store(s, o);
        return NULL;
    }
    struct stmt *q = store_prepare(s, "SELECT " ILLNESS_COLS " FROM illness i WHERE i.child_id = $1"
                                      " ORDER BY i.from_date DESC, i.id DESC");
    if (!q) {
        json_decref(j);
        fail_store(s, o);
        return NULL;
    }
    stmt_bind_int(q, 1, c.child_id);
    int today = date_today();
    while ((rc = stmt_step(q)) == 1) {
        json_t *it = illness_row(q, 0, today);
        /* 送教上门 or 缓学 to consider: chronic or serious, certified, keeping the pupil away,
         * still open, and no placement yet */
        bool offer = stmt_int(q, 3) && *stmt_text(q, 8) && strcmp(stmt_text(q, 6), "none") &&
                     json_is_true(json_object_get(it, "open")) && !placed;
        json_object_set_new(it, "placement_offer", json_boolean(offer));
        json_array_append_new(items, it);
        if (follows(s, it, stmt_int(q, 0)) < 0) {
            rc = -1;
            break;
        }
    }
    stmt_finalize(q);
    if (rc < 0) {
        json_decref(j);
        fail_store(s, o);
        return NULL;
    }
    return j;
}

json_t *illness_list(struct store *s, const struct scope *sc, const struct illness_filter *f,
                     struct outcome *o)
{
    char code[10] = "";
    const char *tname, *school = NULL;
    if (!blank(f->township) && casework_township(s, f->township, code, &tname) < 0) {
        failed_at(o, OUT_INVALID, "township", "乡镇“%s”不是本县的乡镇", f->township);
        return NULL;
    }
    const char *category = NULL;
    if (!blank(f->category)) {
        int ci = vocab_parse(&illness_categories, f->category);
        if (ci < 0) {
            casework_vocab_refused(o, "category", NULL, &illness_categories, f->category);
            return NULL;
        }
        category = illness_categories.words[ci].key;
    }
    if (sc) {
        switch (sc->role) {
        case ROLE_ADMIN:
        case ROLE_COUNTY:
        case ROLE_SUPERVISOR:
            break;
        case ROLE_TOWNSHIP:
            if (*code && strcmp(code, sc->township ? sc->township : "")) {
                failed(o, OUT_NOT_FOUND, "没有这个乡镇，或不在您的管辖范围内");
                return NULL;
            }
            snprintf(code, sizeof(code), "%s", sc->township ? sc->township : "-");
            break;
        case ROLE_SCHOOL:
            school = sc->school && *sc->school ? sc->school : "-";
            break;
        default:
            failed(o, OUT_FORBIDDEN, "您的账号无权查看疾病台帐");
            return NULL;
        }
    }
    bool full = f->full && (!sc || role_has(sc->role, PERM_FULL_ID));
    struct run_info ri = {0};
    struct outcome none = OUTCOME_INIT;
    if (run_info_load(s, 0, &ri, &none) < 0)
        ri.cutoff = date_today();
    outcome_release(&none);
    struct view v = view_make(full, ri.cutoff);
    char from[11] = "", to[11] = "";
    if (f->from)
        date_format(f->from, from);
    if (f->to || f->from)
        date_format(f->to ? f->to : f->from, to);
    struct stmt *q = store_prepare(
        s, "SELECT " ILLNESS_COLS ", i.record_id, coalesce(r.name, ''), coalesce(r.id_number, ''),"
           " coalesce(r.township, '') FROM illness i JOIN record r ON r.id = i.record_id"
           " WHERE (CAST($1 AS TEXT) IS NULL OR i.township_code = $1)"
           " AND (CAST($2 AS TEXT) IS NULL OR i.school_code = $2)"
           " AND (CAST($3 AS TEXT) IS NULL OR i.category = $3)"
           " AND (CAST($4 AS TEXT) IS NULL OR i.to_date IS NULL OR i.to_date >= $4)"
           " AND (CAST($6 AS TEXT) IS NULL OR i.from_date <= $6)"
           " AND ($5 = 0 OR i.serious = 1)"
           " ORDER BY i.school_name, i.from_date DESC, i.id DESC");
    if (!q) {
        fail_store(s, o);
        return NULL;
    }
    stmt_bind_str(q, 1, *code ? code : NULL);
    stmt_bind_str(q, 2, school);
    stmt_bind_str(q, 3, category);
    stmt_bind_str(q, 4, *from ? from : NULL);
    stmt_bind_int(q, 5, f->serious);
    stmt_bind_str(q, 6, *to ? to : NULL);
    json_t *j = json_object(), *items = json_array();
    json_object_set_new(j, "items", items);
    int rc, today = date_today();
    while ((rc = stmt_step(q)) == 1) {
        json_t *it = illness_row(q, 0, today);
        char idt[VIEW_ID_SIZE];
        view_id(&v, stmt_text(q, 15), idt);
        json_object_set_new(it, "record_id", json_integer(stmt_int(q, 13)));
        json_object_set_new(it, "name", json_string(stmt_text(q, 14)));
        json_object_set_new(it, "id_number", json_string(idt));
        json_object_set_new(it, "township", json_string(stmt_text(q, 16)));
        json_array_append_new(items, it);
        if (follows(s, it, stmt_int(q, 0)) < 0) {
            rc = -1;
            break;
        }
    }
    stmt_finalize(q);
    if (rc < 0) {
        json_decref(j);
        fail_store(s, o);
        return NULL;
    }
    json_object_set_new(j, "total", json_integer((json_int_t)json_array_size(items)));
    /* the command line's (sc NULL) full read is audited by its front end */
    if (full && sc && json_array_size(items) &&
        audit_record(s, sc->user, sc->origin, "read_full", "", "疾病台帐（完整身份证号）") < 0) {
        json_decref(j);
        failed_error(o, "无法记录审计日志，已停止显示");
        return NULL;
    }
    return j;
}

int illness_serious_open(struct store *s, int ymd,
                         void (*fn)(void *ctx, int64_t child_id, int64_t record_id,
                                    int64_t illness_id),
                         void *ctx)
{
    char on[11];
    date_format(ymd, on);
    struct stmt *q = store_prepare(s, "SELECT child_id, record_id, id FROM illness"
                                      " WHERE serious = 1 AND from_date <= $1"
                                      " AND (to_date IS NULL OR to_date >= $1)"
                                      " ORDER BY child_id, id");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, on);
    int rc;
    while ((rc = stmt_step(q)) == 1)
        fn(ctx, stmt_int(q, 0), stmt_int(q, 1), stmt_int(q, 2));
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}
