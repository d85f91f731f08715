/*
 * Left-behind children's care contacts and the guardian's contact (casework/care.h).
 */
#include "casework/care.h"

#include "casework/casework.h"
#include "casework/event.h"
#include "core/date.h"
#include "core/view.h"
#include "core/words.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "domain/scope.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"

static const struct word way_words[] = {
    {"home", "入户", "入户走访|家访|上门", 0, TONE_INFO},
    {"phone", "电话", "打电话|电话联系", 0, TONE_INFO},
    {"video", "视频", "视频通话|微信视频", 0, TONE_INFO},
    {"school", "到校", "在校|到校谈心|在校谈心", 0, TONE_INFO},
};
const struct vocab care_ways = {"联系方式", way_words, ARRAY_SIZE(way_words)};

/* The left-behind child `record_id` of the latest run, as care reads it. */
struct lb_child {
    struct run_info ri;
    int64_t group_record; /* the left-behind list's row */
    char township[10];
    char school[32]; /* its school's code ("" none) */
    char school_name[128];
    int64_t child_id; /* casework's child, 0 none yet */
};

/* 1 found (a left-behind child of the latest run), 0 not, -1 store error; OUT_NO_RUN too. */
static int lb_load(struct store *s, int64_t record_id, struct lb_child *c, struct outcome *o)
{
    memset(c, 0, sizeof(*c));
    if (run_info_load(s, 0, &c->ri, o) < 0)
        return -1;
    struct stmt *q =
        store_prepare(s, "SELECT gm.group_record, coalesce(r.township_code, '')"
                         " FROM group_member gm JOIN record r ON r.id = gm.record_id"
                         " WHERE gm.run_id = $1 AND gm.record_id = $2 AND gm.grp = 'left_behind'"
                         " ORDER BY gm.group_record LIMIT 1");
    if (!q)
        return fail_store(s, o);
    stmt_bind_int(q, 1, c->ri.id);
    stmt_bind_int(q, 2, record_id);
    int rc = stmt_step(q);
    if (rc == 1) {
        c->group_record = stmt_int(q, 0);
        snprintf(c->township, sizeof(c->township), "%s", stmt_text(q, 1));
    }
    stmt_finalize(q);
    if (rc < 0)
        return fail_store(s, o);
    if (rc == 0)
        return 0;
    if ((c->child_id = casework_child_row(s, record_id, 0, false)) < 0)
        return fail_store(s, o);
    struct run_status_entry e;
    int got = run_status_get(s, c->ri.id, record_id, &e);
    if (got < 0)
        return fail_store(s, o);
    if (got == 1 && e.school_record && e.st == ST_ENROLLED) {
        q = store_prepare(s, "SELECT coalesce(school_code, ''), coalesce(school_name, '')"
                             " FROM record WHERE id = $1");
        if (!q)
            return fail_store(s, o);
        stmt_bind_int(q, 1, e.school_record);
        if (stmt_step(q) == 1) {
            snprintf(c->school, sizeof(c->school), "%s", stmt_text(q, 0));
            snprintf(c->school_name, sizeof(c->school_name), "%s", stmt_text(q, 1));
        }
        stmt_finalize(q);
    }
    return 1;
}

static bool own_school(const struct scope *sc, const struct lb_child *c)
{
    return sc->role == ROLE_SCHOOL && sc->school && *sc->school && !strcmp(sc->school, c->school);
}

/* Is the scope one of the people assigned now to a task or case of the child (ACT_CONTACT)? */
static int assigned(struct store *s, const struct scope *sc, const struct lb_child *c)
{
    if (!c->child_id || !sc->user_id)
        return 0;
    struct stmt *q = store_prepare(s, "SELECT 1, id FROM verify_task WHERE child_id = $1"
                                      " UNION ALL SELECT 2, id FROM case_file WHERE child_id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, c->child_id);
    int rc, yes = 0;
    while (!yes && (rc = stmt_step(q)) == 1) {
        enum scope_object what = stmt_int(q, 0) == 1 ? SCOPE_TASK : SCOPE_CASE;
        struct object_ties t;
        if (casework_ties(s, what, stmt_int(q, 1), sc->school, sc->school_name, sc->user_id, &t) ==
                1 &&
            scope_object_allows(sc, what, &t, ACT_CONTACT) == OUT_OK)
            yes = 1;
    }
    stmt_finalize(q);
    return rc < 0 && !yes ? -1 : yes;
}

static bool may_log(const struct scope *sc, const struct lb_child *c)
{
    return sc->role == ROLE_ADMIN || sc->role == ROLE_COUNTY || own_school(sc, c);
}

int care_add(struct store *s, const struct scope *sc, int64_t record_id,
             const struct care_input *in, const char *actor, int64_t *id, struct buf *msg,
             struct outcome *o)
{
    int wi = in->way ? vocab_parse(&care_ways, in->way) : -1;
    const struct word *way = wi >= 0 ? &care_ways.words[wi] : NULL;
    if (!way)
        return casework_vocab_refused(o, "way", NULL, &care_ways, in->way ? in->way : "");
    int on;
    if (casework_date("联系日期", "date", in->date, 0, &on, o) < 0)
        return -1;
    if (!in->people || !*in->people)
        return failed_at(o, OUT_INVALID, "people", "请填写联系人（谁联系的、联系了谁）");
    if (!in->content || !*in->content)
        return failed_at(o, OUT_INVALID, "content", "请填写联系内容");
    struct lb_child c;
    int rc = lb_load(s, record_id, &c, o);
    if (rc < 0)
        return -1;
    if (rc == 0 || !scope_allows(sc, c.township, c.school))
        return failed(o, OUT_NOT_FOUND, "最近一次比对的留守儿童名单中没有这名儿童");
    if (!may_log(sc, &c))
        return failed(o, OUT_FORBIDDEN, "关爱联系由儿童就读学校（结对教师）记录，您的账号不能记录");
    if (store_begin(s) < 0)
        return fail_store(s, o);
    int64_t child = c.child_id ? c.child_id : casework_child_row(s, record_id, c.ri.id, true);
    char day[11], now[32];
    date_format(on, day);
    date_now_text(now, sizeof(now));
    struct stmt *q = child > 0 ? store_prepare(s, "INSERT INTO care_contact (child_id, record_id,"
                                                  " on_date, way, people, content, school_code,"
                                                  " logged_by, logged_at)"
                                                  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                                                  " RETURNING id")
                               : NULL;
    if (q) {
        stmt_bind_int(q, 1, child);
        stmt_bind_int(q, 2, record_id);
        stmt_bind_str(q, 3, day);
        stmt_bind_str(q, 4, way->key);
        stmt_bind_str(q, 5, in->people);
        stmt_bind_str(q, 6, in->content);
        stmt_bind_str(q, 7, *c.school ? c.school : NULL);
        stmt_bind_str(q, 8, actor && *actor ? actor : "unknown");
        stmt_bind_str(q, 9, now);
        *id = stmt_step(q) == 1 ? stmt_int(q, 0) : 0;
        stmt_finalize(q);
    }
    struct buf text = BUF_INIT;
    buf_addf(&text, "%s联系：%s。%s", way->label, in->people, in->content);
    if (!q || *id <= 0 || event_add(s, child, 0, 0, "care", on, actor, text.buf) < 0 ||
        store_commit(s) < 0) {
        buf_release(&text);
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_release(&text);
    buf_addf(msg, "已记录 %s 的关爱联系（%s）", day, way->label);
    return 0;
}

json_t *care_get(struct store *s, const struct scope *sc, int64_t record_id, bool full,
                 struct outcome *o)
{
    struct lb_child c;
    int rc = lb_load(s, record_id, &c, o);
    if (rc < 0)
        return NULL;
    if (rc == 1 && !scope_allows(sc, c.township, c.school)) {
        failed(o, OUT_NOT_FOUND, "没有这名儿童，或不在您的管辖范围内");
        return NULL;
    }
    json_t *j = json_object();
    json_object_set_new(j, "left_behind", json_boolean(rc == 1));
    if (rc == 0)
        return j;
    int by_assignment = own_school(sc, &c) ? 0 : assigned(s, sc, &c);
    if (by_assignment < 0) {
        json_decref(j);
        fail_store(s, o);
        return NULL;
    }
    bool contact =
        own_school(sc, &c) || by_assignment || (full && role_has(sc->role, PERM_FULL_ID));
    json_object_set_new(j, "school", json_string(c.school_name));
    json_object_set_new(j, "may_log", json_boolean(may_log(sc, &c)));
    json_object_set_new(j, "contact_visible", json_boolean(contact));
    json_object_set_new(
        j, "contact_rule",
        json_string(own_school(sc, &c)
                        ? "学校账号代结对教师查看（名册中没有儿童与结对教师的对应关系），已记录审计"
                    : by_assignment ? "您是这名儿童的责任人，查看已记录审计"
                    : contact       ? "完整查看，已记录审计"
                              : "受委托监护人和父母务工地只对这名儿童的责任人和就读学校显示"));
    if (contact) {
        struct stmt *q = store_prepare(
            s, "SELECT coalesce(r.guardian, ''), coalesce(r.guardian_id, ''),"
               " coalesce(r.phone, ''), coalesce(d.father_work, ''), coalesce(d.mother_work, ''),"
               " coalesce(d.contact, ''), coalesce(d.category_text, d.category, '')"
               " FROM record r LEFT JOIN group_detail d ON d.batch_id = r.batch_id"
               "  AND d.row_no = r.row_no WHERE r.id = $1");
        if (!q) {
            json_decref(j);
            fail_store(s, o);
            return NULL;
        }
        stmt_bind_int(q, 1, c.group_record);
        /* the guardian's ID is no contact: masked but for a full read */
        struct view v = view_make(full && role_has(sc->role, PERM_FULL_ID), c.ri.cutoff);
        char gid[VIEW_ID_SIZE] = "";
        if (stmt_step(q) == 1 && (view_id(&v, stmt_text(q, 1), gid), 1))
            json_object_set_new(j, "guardian",
                                json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "name",
                                          stmt_text(q, 0), "id_number", gid, "phone",
                                          stmt_text(q, 2), "father_work", stmt_text(q, 3),
                                          "mother_work", stmt_text(q, 4), "village_contact",
                                          stmt_text(q, 5), "care_type", stmt_text(q, 6)));
        stmt_finalize(q);
        char target[AUDIT_TARGET_SIZE];
        audit_target(target, OBJ_RECORD, record_id);
        if (audit_record(s, sc->user, sc->origin, "read_full", target,
                         "留守儿童受委托监护人、电话和父母务工地（学生档案）") < 0) {
            json_decref(j);
            failed_error(o, "无法记录审计日志，已停止显示");
            return NULL;
        }
    }
    json_t *list = json_array();
    json_object_set_new(j, "contacts", list);
    if (!c.child_id)
        return j;
    struct stmt *q = store_prepare(s, "SELECT on_date, way, people, content, logged_by"
                                      " FROM care_contact WHERE child_id = $1"
                                      " ORDER BY on_date DESC, id DESC");
    if (!q) {
        json_decref(j);
        fail_store(s, o);
        return NULL;
    }
    stmt_bind_int(q, 1, c.child_id);
    while ((rc = stmt_step(q)) == 1) {
        const struct word *w = vocab_find(&care_ways, stmt_text(q, 1));
        json_array_append_new(list,
                              json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "date", stmt_text(q, 0),
                                        "way", stmt_text(q, 1), "way_label",
                                        w ? w->label : stmt_text(q, 1), "people", stmt_text(q, 2),
                                        "content", stmt_text(q, 3), "logged_by", stmt_text(q, 4)));
    }
    stmt_finalize(q);
    if (rc < 0) {
        json_decref(j);
        fail_store(s, o);
        return NULL;
    }
    return j;
}
