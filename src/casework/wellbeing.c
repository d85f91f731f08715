/*
 * What the two wellbeing ledgers share (casework/wellbeing.h): the pupil an entry is about, and
 * who holds the mental-health permission.
 */
#include "casework/wellbeing.h"

#include "casework/casework.h"
#include "core/date.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "domain/user.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"

int wb_child_load(struct store *s, int64_t record_id, struct wb_child *c, struct outcome *o)
{
    memset(c, 0, sizeof(*c));
    c->record_id = record_id;
    struct run_info ri;
    if (run_info_load(s, 0, &ri, o) < 0)
        return -1;
    c->run_id = ri.id;
    struct stmt *q = store_prepare(
        s, "SELECT coalesce(r.township_code, ''), coalesce(r.name, ''), r.id_number,"
           " coalesce(r.id_flags, 0), coalesce(r.name_key, ''), coalesce(r.birth_date, ''),"
           " coalesce(r.gender, 0) FROM record r WHERE r.id = $1 AND r.batch_id = $2");
    if (!q)
        return fail_store(s, o);
    stmt_bind_int(q, 1, record_id);
    stmt_bind_int(q, 2, ri.population_batch);
    struct buf key = BUF_INIT;
    int rc = stmt_step(q);
    if (rc == 1) {
        snprintf(c->township, sizeof(c->township), "%s", stmt_text(q, 0));
        snprintf(c->name, sizeof(c->name), "%s", stmt_text(q, 1));
        child_key(stmt_is_null(q, 2) ? NULL : stmt_text(q, 2), (int)stmt_int(q, 3), stmt_text(q, 4),
                  stmt_text(q, 5), (int)stmt_int(q, 6), &key);
    }
    stmt_finalize(q);
    if (rc != 1) {
        buf_release(&key);
        return rc < 0 ? fail_store(s, o) : 0;
    }
    q = store_prepare(s, "SELECT id FROM child WHERE child_key = $1");
    if (!q) {
        buf_release(&key);
        return fail_store(s, o);
    }
    stmt_bind_str(q, 1, key.buf);
    rc = stmt_step(q);
    if (rc == 1)
        c->child_id = stmt_int(q, 0);
    stmt_finalize(q);
    buf_release(&key);
    if (rc < 0)
        return fail_store(s, o);
    struct run_status_entry e;
    int got = run_status_get(s, ri.id, record_id, &e);
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

int64_t wb_child_make(struct store *s, struct wb_child *c)
{
    if (c->child_id)
        return c->child_id;
    struct stmt *q = store_prepare(s, "SELECT id_number, coalesce(id_flags, 0), name_key,"
                                      " birth_date, coalesce(gender, 0) FROM record WHERE id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, c->record_id);
    struct buf key = BUF_INIT;
    if (stmt_step(q) == 1)
        child_key(stmt_is_null(q, 0) ? NULL : stmt_text(q, 0), (int)stmt_int(q, 1), stmt_text(q, 2),
                  stmt_text(q, 3), (int)stmt_int(q, 4), &key);
    stmt_finalize(q);
    if (!key.len) {
        buf_release(&key);
        return -1;
    }
    q = store_prepare(
        s, "INSERT INTO child (child_key, first_run, first_record, last_run, last_record)"
           " VALUES ($1, $2, $3, $2, $3) ON CONFLICT (child_key) DO UPDATE SET"
           " last_run = excluded.last_run, last_record = excluded.last_record"
           " RETURNING id");
    int64_t id = -1;
    if (q) {
        stmt_bind_str(q, 1, key.buf);
        stmt_bind_int(q, 2, c->run_id);
        stmt_bind_int(q, 3, c->record_id);
        id = stmt_step(q) == 1 ? stmt_int(q, 0) : -1;
        stmt_finalize(q);
    }
    buf_release(&key);
    if (id > 0)
        c->child_id = id;
    return id;
}

/* ---- the mental-health permission ---- */

static bool may_hold(enum role r)
{
    return r == ROLE_SCHOOL || r == ROLE_COUNTY || r == ROLE_ADMIN;
}

int mental_holder(struct store *s, const struct scope *sc)
{
    if (!sc)
        return 1;
    if (!sc->user_id || !may_hold(sc->role))
        return 0;
    char id[24];
    snprintf(id, sizeof(id), "%lld", (long long)sc->user_id);
    const char *p[] = {id};
    int64_t n = 0;
    if (store_int(s,
                  "SELECT count(*) FROM mental_health_holder h JOIN app_user u ON u.id = h.user_id"
                  " WHERE h.user_id = CAST($1 AS BIGINT) AND u.disabled = 0",
                  1, p, &n) < 0)
        return -1;
    return n > 0;
}

int mental_act_as(struct store *s, const struct scope *sc, const char *as, struct mental_actor *out,
                  struct outcome *o)
{
    memset(out, 0, sizeof(*out));
    if (sc && sc->user_id) {
        out->sc = *sc;
        return 0;
    }
    if (!sc)
        return 0; /* the program itself */
    if (!as || !*as)
        return failed_at(o, OUT_FORBIDDEN, "as",
                         "心理健康台帐只对被授权的账号开放：请指明以哪个已授权账号的身份操作");
    struct user u;
    int rc = user_get(s, as, &u);
    if (rc < 0)
        return fail_store(s, o);
    if (rc == 0 || u.disabled)
        return failed_at(o, OUT_FORBIDDEN, "as", "账号“%s”不存在或已停用", as);
    snprintf(out->user, sizeof(out->user), "%s", u.name);
    snprintf(out->township, sizeof(out->township), "%s", u.township);
    snprintf(out->school, sizeof(out->school), "%s", u.school);
    out->sc = (struct scope){.user_id = u.id,
                             .user = out->user,
                             .origin = sc->origin,
                             .role = u.role,
                             .township = *u.township ? out->township : NULL,
                             .school = *u.school ? out->school : NULL,
                             .school_name = out->school_name};
    if (*u.school &&
        casework_school_name(s, u.school, out->school_name, sizeof(out->school_name)) < 0)
        return fail_store(s, o);
    return 0;
}

int mental_grant(struct store *s, const char *name, bool on, const char *actor, struct buf *msg,
                 struct outcome *o)
{
    struct user u;
    int rc = user_get(s, name ? name : "", &u);
    if (rc < 0)
        return fail_store(s, o);
    if (rc == 0)
        return failed(o, OUT_NOT_FOUND, "没有用户“%s”", name ? name : "");
    if (on && !may_hold(u.role))
        return failed_at(o, OUT_INVALID, "grant",
                         "心理健康台帐只能授予学校账号（心理辅导教师、校长）、县教育局账号（指定"
                         "专人）或系统管理员本人，用户“%s”是%s账号",
                         u.name, role_label(u.role));
    char id[24], now[32];
    snprintf(id, sizeof(id), "%lld", (long long)u.id);
    date_now_text(now, sizeof(now));
    int64_t had = 0;
    const char *p1[] = {id};
    if (store_int(s, "SELECT count(*) FROM mental_health_holder WHERE user_id = CAST($1 AS BIGINT)",
                  1, p1, &had) < 0)
        return fail_store(s, o);
    if ((had > 0) == on) {
        buf_addf(msg, "用户“%s”%s心理健康台帐权限，未作改动", u.name, on ? "已有" : "没有");
        return 0;
    }
    if (store_begin(s) < 0)
        return fail_store(s, o);
    const char *p[] = {id, actor && *actor ? actor : "unknown", now};
    rc = on ? store_run(s,
                        "INSERT INTO mental_health_holder (user_id, granted_by, granted_at)"
                        " VALUES (CAST($1 AS BIGINT), $2, $3)",
                        3, p)
            : store_run(s, "DELETE FROM mental_health_holder WHERE user_id = CAST($1 AS BIGINT)", 1,
                        p);
    char target[AUDIT_TARGET_SIZE];
    audit_target_name(target, OBJ_USER, u.name);
    if (rc < 0 ||
        audit_record(s, actor, NULL, "mental_grant", target,
                     on ? "授予心理健康台帐查看和记录权限" : "撤销心理健康台帐权限") < 0 ||
        store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "已%s用户“%s”的心理健康台帐权限%s", on ? "授予" : "撤销", u.name,
             on ? "（每次查看都记入审计日志）" : "");
    return 0;
}
