/*
 * 心理健康台帐 (casework/wellbeing.h): restricted to the accounts that hold the permission.
 * Nothing here writes the entries' content to a message other than the holder's own answer, to
 * the audit trail's details or to the timeline: the trail says who read which child's entries,
 * never what they say.
 */
#include "casework/casework.h"
#include "casework/wellbeing.h"
#include "core/date.h"
#include "core/view.h"
#include "core/words.h"
#include "domain/run.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"

static const struct word level_words[] = {
    {"watch", "一般关注", "一般|关注", 0, TONE_INFO},
    {"attention", "重点关注", "重点", 0, TONE_WARN},
    {"high", "高度关注", "高度|严重", 0, TONE_BAD},
    {"crisis", "危机干预", "危机|高危", 0, TONE_BAD},
};
const struct vocab mental_levels = {"关注等级", level_words, ARRAY_SIZE(level_words)};

static const struct word referral_words[] = {
    {"none", "未转介", "无|不转介", 0, TONE_NONE},
    {"counsellor", "学校心理辅导教师", "心理辅导教师|心理老师|学校心理辅导|心理咨询室", 0,
     TONE_INFO},
    {"hospital", "医院（精神心理专科）", "医院|精神专科|心理专科|专科医院", 0, TONE_WARN},
    {"other", "其他机构", "其他|社工|社会工作机构", 0, TONE_INFO},
};
const struct vocab mental_referrals = {"转介", referral_words, ARRAY_SIZE(referral_words)};

static const struct word event_words[] = {
    {"intervention", "干预", "心理辅导|谈心|辅导|干预措施", 0, TONE_INFO},
    {"review", "复查", "复评|评估|回访", 0, TONE_INFO},
};
const struct vocab mental_event_kinds = {"记录类型", event_words, ARRAY_SIZE(event_words)};

/* What a non-holder is told, whatever the child: the same words for every route, so that a
 * refusal says nothing of whether a child has an entry. */
#define NOT_HOLDER "心理健康台帐只对学校和县教育局指定的人员开放，您的账号没有这项权限"

static bool blank(const char *s)
{
    return !s || !*s;
}

/* The acting scope, checked to hold the permission. 0, or -1 with the outcome. */
static int holder(struct store *s, const struct scope *sc, const char *as, struct mental_actor *a,
                  struct outcome *o)
{
    if (mental_act_as(s, sc, as, a, o) < 0)
        return -1;
    int h = mental_holder(s, sc ? &a->sc : NULL);
    if (h < 0)
        return fail_store(s, o);
    if (!h)
        return failed(o, OUT_FORBIDDEN, NOT_HOLDER);
    return 0;
}

/* Does the holder reach an entry at school `school` (a child's school, "" none)? */
static bool reaches(const struct scope *sc, const char *school)
{
    if (!sc)
        return true;
    if (sc->role == ROLE_ADMIN || sc->role == ROLE_COUNTY)
        return true;
    return sc->role == ROLE_SCHOOL && sc->school && *sc->school && school &&
           !strcmp(sc->school, school);
}

static const struct scope *acting(const struct scope *sc, const struct mental_actor *a)
{
    return sc ? &a->sc : NULL;
}

/* The trail names the entries by their numbers, never the child: whoever reads the trail (an
 * admin without the permission) learns that entry 3 was read, not whose it is. */
static int read_audit(struct store *s, const struct scope *sc, const char *what)
{
    return audit_record(s, sc ? sc->user : NULL, sc ? sc->origin : NULL, "mental_read", "", what);
}

int mental_add(struct store *s, const struct scope *sc0, int64_t record_id,
               const struct mental_input *in, const char *actor, int64_t *id, struct buf *msg,
               struct outcome *o)
{
    struct mental_actor a;
    if (holder(s, sc0, in->as, &a, o) < 0)
        return -1;
    const struct scope *sc = acting(sc0, &a);
    if (sc)
        actor = sc->user;
    int li = blank(in->level) ? -1 : vocab_parse(&mental_levels, in->level);
    if (li < 0)
        return casework_vocab_refused(o, "level", NULL, &mental_levels, in->level ? in->level : "");
    int ri = blank(in->referral) ? 0 : vocab_parse(&mental_referrals, in->referral);
    if (ri < 0)
        return casework_vocab_refused(o, "referral", NULL, &mental_referrals, in->referral);
    if (blank(in->concern))
        return failed_at(o, OUT_INVALID, "concern", "请填写情况（观察到的表现、来源）");
    int on, review;
    if (casework_date("建档日期", "date", in->date, 0, &on, o) < 0)
        return -1;
    if (blank(in->next_review))
        return failed_at(o, OUT_INVALID, "next_review", "请填写下次复查日期");
    size_t n = strlen(in->next_review);
    if (date_parse(in->next_review, n, &review) < 0)
        return failed_at(o, OUT_INVALID, "next_review", "下次复查日期“%s”不是有效的日期",
                         in->next_review);
    if (review < on)
        return failed_at(o, OUT_INVALID, "next_review", "下次复查日期不能早于建档日期");
    struct wb_child c;
    int rc = wb_child_load(s, record_id, &c, o);
    if (rc < 0)
        return -1;
    if (rc == 0 || !reaches(sc, c.school))
        return failed(o, OUT_NOT_FOUND, "没有这名儿童，或不在您的管辖范围内");
    if (store_begin(s) < 0)
        return fail_store(s, o);
    int64_t child = wb_child_make(s, &c);
    char day[11], rev[11], now[32];
    date_format(on, day);
    date_format(review, rev);
    date_now_text(now, sizeof(now));
    struct stmt *q =
        child > 0 ? store_prepare(s, "INSERT INTO mental_health (child_id, record_id,"
                                     " township_code, school_code, school_name, level, referral,"
                                     " referral_note, concern, opened_on, next_review, logged_by,"
                                     " logged_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
                                     " $10, $11, $12, $13) RETURNING id")
                  : NULL;
    *id = 0;
    if (q) {
        stmt_bind_int(q, 1, child);
        stmt_bind_int(q, 2, record_id);
        stmt_bind_str(q, 3, *c.township ? c.township : NULL);
        stmt_bind_str(q, 4, *c.school ? c.school : NULL);
        stmt_bind_str(q, 5, *c.school_name ? c.school_name : NULL);
        stmt_bind_str(q, 6, mental_levels.words[li].key);
        stmt_bind_str(q, 7, mental_referrals.words[ri].key);
        stmt_bind_str(q, 8, blank(in->referral_note) ? NULL : in->referral_note);
        stmt_bind_str(q, 9, in->concern);
        stmt_bind_str(q, 10, day);
        stmt_bind_str(q, 11, rev);
        stmt_bind_str(q, 12, actor && *actor ? actor : "unknown");
        stmt_bind_str(q, 13, now);
        *id = stmt_step(q) == 1 ? stmt_int(q, 0) : 0;
        stmt_finalize(q);
    }
    char detail[64];
    snprintf(detail, sizeof(detail), "心理健康台帐第 %lld 条", (long long)*id);
    if (*id <= 0 || audit_record(s, actor, sc ? sc->origin : NULL, "mental_add", "", detail) < 0 ||
        store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "已建立心理健康台帐第 %lld 条，下次复查日期 %s", (long long)*id, rev);
    return 0;
}

int mental_note(struct store *s, const struct scope *sc0, int64_t mh_id,
                const struct mental_note_input *in, const char *actor, struct buf *msg,
                struct outcome *o)
{
    struct mental_actor a;
    if (holder(s, sc0, in->as, &a, o) < 0)
        return -1;
    const struct scope *sc = acting(sc0, &a);
    if (sc)
        actor = sc->user;
    int ki = blank(in->kind) ? -1 : vocab_parse(&mental_event_kinds, in->kind);
    if (ki < 0)
        return casework_vocab_refused(o, "kind", NULL, &mental_event_kinds,
                                      in->kind ? in->kind : "");
    bool review = !strcmp(mental_event_kinds.words[ki].key, "review");
    if (blank(in->by))
        return failed_at(o, OUT_INVALID, "by", "请填写经办人");
    if (blank(in->content))
        return failed_at(o, OUT_INVALID, "content", "请填写内容");
    int li = -1;
    if (!blank(in->level) && (li = vocab_parse(&mental_levels, in->level)) < 0)
        return casework_vocab_refused(o, "level", NULL, &mental_levels, in->level);
    bool close = false;
    if (!blank(in->close)) {
        if (!strcmp(in->close, "是") || !strcmp(in->close, "true") || !strcmp(in->close, "1"))
            close = true;
        else if (strcmp(in->close, "否") && strcmp(in->close, "false") && strcmp(in->close, "0"))
            return failed_at(o, OUT_INVALID, "close", "结案应填“是”或“否”");
    }
    if (!review && (li >= 0 || close || !blank(in->next_review)))
        return failed_at(o, OUT_INVALID, "kind",
                         "关注等级、下次复查日期和结案在复查时填写，干预记录不填");
    struct stmt *q = store_prepare(s, "SELECT coalesce(school_code, ''), opened_on,"
                                      " coalesce(closed_on, '')"
                                      " FROM mental_health WHERE id = $1");
    if (!q)
        return fail_store(s, o);
    stmt_bind_int(q, 1, mh_id);
    char school[32] = "", opened[11] = "", closed[11] = "";
    int rc = stmt_step(q);
    if (rc == 1) {
        snprintf(school, sizeof(school), "%s", stmt_text(q, 0));
        snprintf(opened, sizeof(opened), "%s", stmt_text(q, 1));
        snprintf(closed, sizeof(closed), "%s", stmt_text(q, 2));
    }
    stmt_finalize(q);
    if (rc < 0)
        return fail_store(s, o);
    if (rc == 0 || !reaches(sc, school))
        return failed(o, OUT_NOT_FOUND, "没有第 %lld 条心理健康台帐记录，或不在您的管辖范围内",
                      (long long)mh_id);
    if (*closed)
        return failed(o, OUT_INVALID, "这条心理健康台帐记录已于 %s 结案", closed);
    int on, next = 0;
    if (casework_date("日期", "date", in->date, date_or_zero(opened), &on, o) < 0)
        return -1;
    if (review && !close) {
        if (blank(in->next_review))
            return failed_at(o, OUT_INVALID, "next_review", "复查时请填写下次复查日期（或结案）");
        if (date_parse(in->next_review, strlen(in->next_review), &next) < 0)
            return failed_at(o, OUT_INVALID, "next_review", "下次复查日期“%s”不是有效的日期",
                             in->next_review);
        if (next <= on)
            return failed_at(o, OUT_INVALID, "next_review", "下次复查日期应晚于这次复查的日期");
    }
    char day[11], nx[11] = "", now[32], mid[24];
    date_format(on, day);
    if (next)
        date_format(next, nx);
    date_now_text(now, sizeof(now));
    snprintf(mid, sizeof(mid), "%lld", (long long)mh_id);
    const char *level = li >= 0 ? mental_levels.words[li].key : NULL;
    const char *p[] = {mid,
                       day,
                       mental_event_kinds.words[ki].key,
                       in->by,
                       in->content,
                       level,
                       next ? nx : NULL,
                       actor && *actor ? actor : "unknown",
                       now};
    const char *pu[] = {mid, level, next ? nx : NULL, close ? day : NULL};
    char detail[96];
    snprintf(detail, sizeof(detail), "心理健康台帐第 %lld 条：%s", (long long)mh_id,
             mental_event_kinds.words[ki].label);
    if (store_begin(s) < 0)
        return fail_store(s, o);
    if (store_run(s,
                  "INSERT INTO mental_event (mh_id, on_date, kind, by_whom, content, level,"
                  " next_review, logged_by, logged_at)"
                  " VALUES (CAST($1 AS BIGINT), $2, $3, $4, $5, $6, $7, $8, $9)",
                  9, p) < 0 ||
        (review && store_run(s,
                             "UPDATE mental_health SET level = coalesce($2, level),"
                             " next_review = coalesce($3, next_review), closed_on = $4"
                             " WHERE id = CAST($1 AS BIGINT)",
                             4, pu) < 0) ||
        audit_record(s, actor, sc ? sc->origin : NULL, "mental_note", "", detail) < 0 ||
        store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "已记录 %s 的%s", day, mental_event_kinds.words[ki].label);
    if (close)
        buf_adds(msg, "，已结案");
    else if (next)
        buf_addf(msg, "，下次复查日期 %s", nx);
    return 0;
}

#define MH_COLS                                                                                    \
    "m.id, m.record_id, m.level, m.referral, coalesce(m.referral_note, ''), m.concern,"            \
    " m.opened_on, coalesce(m.next_review, ''), coalesce(m.closed_on, ''),"                        \
    " coalesce(m.school_name, ''), m.logged_by"

static json_t *mh_row(struct stmt *q, int today)
{
    const char *next = stmt_text(q, 7), *closed = stmt_text(q, 8);
    bool overdue = !*closed && *next && date_or_zero(next) <= today;
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "id",
                     (json_int_t)stmt_int(q, 0), "record_id", (json_int_t)stmt_int(q, 1), "level",
                     stmt_text(q, 2), "level_label", vocab_label(&mental_levels, stmt_text(q, 2)),
                     "referral", stmt_text(q, 3), "referral_label",
                     vocab_label(&mental_referrals, stmt_text(q, 3)), "referral_note",
                     stmt_text(q, 4), "concern", stmt_text(q, 5), "opened_on", stmt_text(q, 6),
                     "next_review", next, "review_due", overdue, "closed_on", closed, "school",
                     stmt_text(q, 9), "logged_by", stmt_text(q, 10));
}

static int events(struct store *s, json_t *item, int64_t id)
{
    json_t *list = json_array();
    json_object_set_new(item, "events", list);
    struct stmt *q = store_prepare(s, "SELECT on_date, kind, by_whom, content,"
                                      " coalesce(level, ''), coalesce(next_review, ''), logged_by"
                                      " FROM mental_event WHERE mh_id = $1 ORDER BY on_date, id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, id);
    int rc;
    while ((rc = stmt_step(q)) == 1)
        json_array_append_new(
            list,
            json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "date", stmt_text(q, 0),
                      "kind", stmt_text(q, 1), "kind_label",
                      vocab_label(&mental_event_kinds, stmt_text(q, 1)), "by", stmt_text(q, 2),
                      "content", stmt_text(q, 3), "level", stmt_text(q, 4), "level_label",
                      *stmt_text(q, 4) ? vocab_label(&mental_levels, stmt_text(q, 4)) : "",
                      "next_review", stmt_text(q, 5), "logged_by", stmt_text(q, 6)));
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

json_t *mental_of_child(struct store *s, const struct scope *sc0, int64_t record_id, const char *as,
                        struct outcome *o)
{
    struct mental_actor a;
    if (holder(s, sc0, as, &a, o) < 0)
        return NULL;
    const struct scope *sc = acting(sc0, &a);
    struct wb_child c;
    int rc = wb_child_load(s, record_id, &c, o);
    if (rc < 0)
        return NULL;
    if (rc == 0 || !reaches(sc, c.school)) {
        failed(o, OUT_NOT_FOUND, "没有这名儿童，或不在您的管辖范围内");
        return NULL;
    }
    json_t *j = json_object(), *items = json_array();
    json_object_set_new(j, "may_log", json_true());
    json_object_set_new(j, "items", items);
    if (c.child_id) {
        struct stmt *q = store_prepare(s, "SELECT " MH_COLS " FROM mental_health m"
                                          " WHERE m.child_id = $1 ORDER BY m.opened_on DESC, m.id");
        if (!q) {
            json_decref(j);
            fail_store(s, o);
            return NULL;
        }
        stmt_bind_int(q, 1, c.child_id);
        int today = date_today();
        while ((rc = stmt_step(q)) == 1) {
            json_t *it = mh_row(q, today);
            json_array_append_new(items, it);
            if (events(s, it, stmt_int(q, 0)) < 0) {
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
    }
    struct buf what = BUF_INIT;
    buf_adds(&what, "心理健康台帐（学生档案）");
    for (size_t i = 0; i < json_array_size(items); i++)
        buf_addf(&what, "%s第 %lld 条", i ? "、" : "：",
                 (long long)json_integer_value(json_object_get(json_array_get(items, i), "id")));
    rc = read_audit(s, sc, what.buf);
    buf_release(&what);
    if (rc < 0) {
        json_decref(j);
        failed_error(o, "无法记录审计日志，已停止显示");
        return NULL;
    }
    return j;
}

json_t *mental_list(struct store *s, const struct scope *sc0, const struct mental_filter *f,
                    struct outcome *o)
{
    struct mental_actor a;
    if (holder(s, sc0, f->as, &a, o) < 0)
        return NULL;
    const struct scope *sc = acting(sc0, &a);
    const char *school = NULL;
    if (sc && sc->role == ROLE_SCHOOL)
        school = sc->school && *sc->school ? sc->school : "-";
    struct run_info ri = {0};
    struct outcome none = OUTCOME_INIT;
    if (run_info_load(s, 0, &ri, &none) < 0)
        ri.cutoff = date_today();
    outcome_release(&none);
    struct view v = view_make(false, ri.cutoff);
    int today = date_today();
    char td[11];
    date_format(today, td);
    struct stmt *q = store_prepare(
        s, "SELECT " MH_COLS ", coalesce(r.name, ''), coalesce(r.id_number, ''),"
           " coalesce(r.township, '') FROM mental_health m JOIN record r ON r.id = m.record_id"
           " WHERE (CAST($1 AS TEXT) IS NULL OR m.school_code = $1)"
           " AND ($2 = 0 OR m.closed_on IS NULL)"
           " AND ($3 = 0 OR (m.closed_on IS NULL AND m.next_review <= $4))"
           " ORDER BY m.closed_on IS NOT NULL, m.next_review, m.id");
    if (!q) {
        fail_store(s, o);
        return NULL;
    }
    stmt_bind_str(q, 1, school);
    stmt_bind_int(q, 2, f->open || f->overdue);
    stmt_bind_int(q, 3, f->overdue);
    stmt_bind_str(q, 4, td);
    json_t *j = json_object(), *items = json_array();
    json_object_set_new(j, "items", items);
    int rc;
    long due = 0;
    while ((rc = stmt_step(q)) == 1) {
        json_t *it = mh_row(q, today);
        char idt[VIEW_ID_SIZE];
        view_id(&v, stmt_text(q, 12), idt);
        json_object_set_new(it, "name", json_string(stmt_text(q, 11)));
        json_object_set_new(it, "id_number", json_string(idt));
        json_object_set_new(it, "township", json_string(stmt_text(q, 13)));
        due += json_is_true(json_object_get(it, "review_due"));
        json_array_append_new(items, it);
        if (events(s, it, stmt_int(q, 0)) < 0) {
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
    json_object_set_new(j, "review_due", json_integer(due));
    char what[96];
    snprintf(what, sizeof(what), "心理健康台帐名单（%zu 条）", json_array_size(items));
    if (read_audit(s, sc, what) < 0) {
        json_decref(j);
        failed_error(o, "无法记录审计日志，已停止显示");
        return NULL;
    }
    return j;
}
