/* 结对: a teacher paired with a child still at school (atrisk.h, docs/casework.md). */
#include <stdbool.h>
#include <string.h>

#include "casework/atrisk.h"
#include "casework/atrisk_impl.h"
#include "casework/casework.h"
#include "casework/event.h"
#include "casework/people.h"
#include "core/date.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "store/store.h"
#include "util/common.h"
#include "util/utf8.h"

int pairing_current(struct store *s, int64_t child_id, int64_t *pairing_id, int64_t *person_id,
                    char teacher[128], char since[11])
{
    struct stmt *q = store_prepare(s, "SELECT p.id, p.person_id, pe.name, p.since FROM pairing p"
                                      " JOIN person pe ON pe.id = p.person_id"
                                      " WHERE p.child_id = $1 AND p.ended_on IS NULL");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, child_id);
    int rc = stmt_step(q);
    if (rc == 1) {
        *pairing_id = stmt_int(q, 0);
        *person_id = stmt_int(q, 1);
        snprintf(teacher, 128, "%s", stmt_text(q, 2));
        snprintf(since, 11, "%s", stmt_text(q, 3));
    }
    stmt_finalize(q);
    return rc;
}

bool pairing_allowed(const struct scope *sc, const char *school)
{
    if (!sc)
        return true; /* the command line */
    if (sc->role == ROLE_ADMIN || sc->role == ROLE_COUNTY)
        return true;
    return sc->role == ROLE_SCHOOL && sc->school && *sc->school && school && *school &&
           !strcmp(sc->school, school);
}

/* The pupil of population record `record_id` in the latest run: its school's code and name,
 * its name; -1 with the outcome when it is not a child at a school of the county there, or
 * outside the scope. */
struct pupil_ref {
    struct run_info ri;
    char school[32], school_name[128], name[64], tcode[10];
};

static int pupil_load(struct store *s, const struct scope *sc, int64_t record_id,
                      struct pupil_ref *p, struct outcome *o)
{
    memset(p, 0, sizeof(*p));
    if (run_info_load(s, 0, &p->ri, o) < 0)
        return -1;
    struct run_status_entry e;
    int got = run_status_get(s, p->ri.id, record_id, &e);
    if (got < 0)
        return fail_store(s, o);
    struct stmt *q = store_prepare(
        s,
        "SELECT coalesce(p.name, ''), coalesce(p.township_code, ''), coalesce(r.school_code, ''),"
        " coalesce(r.school_name, '') FROM record p LEFT JOIN record r ON r.id = $2"
        " WHERE p.id = $1");
    if (!q)
        return fail_store(s, o);
    stmt_bind_int(q, 1, record_id);
    stmt_bind_int(q, 2, got == 1 ? e.school_record : 0);
    int rc = stmt_step(q);
    if (rc == 1) {
        snprintf(p->name, sizeof(p->name), "%s", stmt_text(q, 0));
        snprintf(p->tcode, sizeof(p->tcode), "%s", stmt_text(q, 1));
        snprintf(p->school, sizeof(p->school), "%s", stmt_text(q, 2));
        snprintf(p->school_name, sizeof(p->school_name), "%s", stmt_text(q, 3));
    }
    stmt_finalize(q);
    if (rc < 0)
        return fail_store(s, o);
    if (got != 1 || rc != 1 || (sc && !scope_allows(sc, p->tcode, p->school)))
        return failed(o, OUT_NOT_FOUND,
                      "最近一次比对中没有记录编号为 %lld 的儿童，或不在您的管辖范围内",
                      (long long)record_id);
    if (e.st != ST_ENROLLED)
        return failed(o, OUT_INVALID, "%s最近一次比对不在本县学校就读，结对帮扶只用于在校学生",
                      p->name);
    if (!pairing_allowed(sc, p->school))
        return failed(o, OUT_FORBIDDEN, "结对由学生就读的学校或县教育局安排，您的账号不能安排");
    return 0;
}

/* End the current pairing of `child` on `day`: 1 one was ended (its teacher's name in
 * `teacher`), 0 there was none, 2 its teacher is `keep` (left as it is), -1 store error. */
static int end_current(struct store *s, int64_t child, const char *day, const char *actor,
                       int64_t keep, char teacher[128])
{
    int64_t pid, person;
    char since[11];
    int rc = pairing_current(s, child, &pid, &person, teacher, since);
    if (rc != 1)
        return rc;
    if (person == keep)
        return 2;
    struct stmt *q = store_prepare(s, "UPDATE pairing SET ended_on = $2, ended_by = $3"
                                      " WHERE id = $1 AND ended_on IS NULL");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, pid);
    /* a pairing begun today and ended today lasted a day */
    stmt_bind_str(q, 2, strcmp(day, since) < 0 ? since : day);
    stmt_bind_str(q, 3, actor && *actor ? actor : "unknown");
    rc = stmt_step(q);
    stmt_finalize(q);
    return rc < 0 ? -1 : 1;
}

/*
 * The teacher `text` names: a registry number or name, a teacher of the child's school first;
 * a name nobody in the registry has is registered as a teacher of the school (a school has no
 * other way to put its teachers in the registry), *added saying so.
 */
static int teacher_resolve(struct store *s, const struct pupil_ref *p, const char *text,
                           const char *actor, int64_t *person, bool *added, struct outcome *o)
{
    *added = false;
    if (text && *text && *p->school_name) {
        struct buf n = BUF_INIT;
        utf8_norm_name(&n, text, strlen(text));
        struct stmt *q = store_prepare(s, "SELECT id FROM person WHERE name = $1 AND org = $2"
                                          " AND active = 1");
        int rc = -1, found = 0;
        if (q) {
            stmt_bind_text(q, 1, n.buf, n.len);
            stmt_bind_str(q, 2, p->school_name);
            while ((rc = stmt_step(q)) == 1) {
                *person = stmt_int(q, 0);
                found++;
            }
            stmt_finalize(q);
        }
        int64_t anyone = 0;
        const char *args[] = {n.buf};
        if (rc == 0 && !found &&
            store_int(s, "SELECT count(*) FROM person WHERE name = $1", 1, args, &anyone) < 0)
            rc = -1;
        bool digits = strspn(text, "0123456789") == strlen(text);
        buf_release(&n);
        if (rc < 0)
            return fail_store(s, o);
        if (found == 1)
            return 0;
        if (!found && !anyone && !digits) {
            struct person_input in = {
                .name = text, .org = p->school_name, .org_kind = "school", .role = "结对教师"};
            if (people_add(s, &in, actor, person, o) < 0) {
                o->field = "teacher";
                return -1;
            }
            *added = true;
            return 0;
        }
    }
    return people_resolve(s, "结对教师", "teacher", text ? text : "", person, o);
}

int atrisk_pair(struct store *s, const struct scope *sc, int64_t record_id,
                const struct pair_input *in, const char *actor, struct buf *msg, struct outcome *o)
{
    struct pupil_ref p;
    int64_t person;
    int on;
    bool added;
    if (pupil_load(s, sc, record_id, &p, o) < 0 ||
        casework_date("结对日期", "since", in->since, 0, &on, o) < 0 ||
        teacher_resolve(s, &p, in->teacher, actor, &person, &added, o) < 0)
        return -1;
    /* a school pairs its own teachers */
    if (sc && sc->role == ROLE_SCHOOL) {
        int64_t same = 0;
        char pid[24];
        snprintf(pid, sizeof(pid), "%lld", (long long)person);
        const char *args[] = {pid, p.school_name};
        if (store_int(s, "SELECT count(*) FROM person WHERE id = CAST($1 AS BIGINT) AND org = $2",
                      2, args, &same) < 0)
            return fail_store(s, o);
        if (!same)
            return failed_at(o, OUT_INVALID, "teacher",
                             "“%s”不是本校（%s）人员名册中的教师，学校只能安排本校教师结对",
                             in->teacher, p.school_name);
    }
    struct buf who = BUF_INIT, text = BUF_INIT;
    if (store_begin(s) < 0) {
        buf_release(&who);
        return fail_store(s, o);
    }
    char day[11], old[128] = "";
    date_format(on, day);
    int64_t child = casework_child_row(s, record_id, p.ri.id, true), id = 0;
    int ended = child > 0 ? end_current(s, child, day, actor, person, old) : -1;
    if (ended == 2) {
        store_rollback(s);
        buf_release(&who);
        return failed_at(o, OUT_INVALID, "teacher", "%s已是%s的结对教师", old, p.name);
    }
    struct stmt *q = ended >= 0 ? store_prepare(s, "INSERT INTO pairing (child_id, person_id,"
                                                   " school, since, note, paired_by)"
                                                   " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                                : NULL;
    if (q) {
        stmt_bind_int(q, 1, child);
        stmt_bind_int(q, 2, person);
        stmt_bind_str(q, 3, *p.school ? p.school : NULL);
        stmt_bind_str(q, 4, day);
        stmt_bind_str(q, 5, in->note && *in->note ? in->note : NULL);
        stmt_bind_str(q, 6, actor && *actor ? actor : "unknown");
        id = stmt_step(q) == 1 ? stmt_int(q, 0) : 0;
        stmt_finalize(q);
    }
    if (id > 0 && people_describe(s, person, &who) >= 0) {
        buf_addf(&text, "结对教师：%s，自 %s 起", who.buf, day);
        if (ended == 1)
            buf_addf(&text, "（原结对教师 %s）", old);
        if (in->note && *in->note)
            buf_addf(&text, "；%s", in->note);
    }
    if (!text.len || event_add(s, child, 0, 0, "pairing", on, actor, text.buf) < 0 ||
        store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        buf_release(&who);
        buf_release(&text);
        return -1;
    }
    buf_addf(msg, "已为%s安排结对教师 %s（自 %s 起）%s", p.name, who.buf, day,
             added ? "；该教师原不在人员名册中，已登记为本校结对教师" : "");
    buf_release(&who);
    buf_release(&text);
    return 0;
}

int atrisk_unpair(struct store *s, const struct scope *sc, int64_t record_id, const char *note,
                  const char *actor, struct buf *msg, struct outcome *o)
{
    struct pupil_ref p;
    if (pupil_load(s, sc, record_id, &p, o) < 0)
        return -1;
    int64_t child = casework_child_row(s, record_id, p.ri.id, false);
    if (child < 0)
        return fail_store(s, o);
    if (store_begin(s) < 0)
        return fail_store(s, o);
    char day[11], old[128] = "";
    int today = date_today();
    date_format(today, day);
    int ended = child ? end_current(s, child, day, actor, 0, old) : 0;
    if (ended == 0) {
        store_rollback(s);
        return failed(o, OUT_INVALID, "%s现在没有结对教师", p.name);
    }
    struct buf text = BUF_INIT;
    buf_addf(&text, "结束结对：%s", old);
    if (note && *note)
        buf_addf(&text, "；%s", note);
    if (ended < 0 || event_add(s, child, 0, 0, "pairing", today, actor, text.buf) < 0 ||
        store_commit(s) < 0) {
        buf_release(&text);
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_release(&text);
    buf_addf(msg, "已结束%s与 %s 的结对", p.name, old);
    return 0;
}
