#include "domain/user.h"

#include <sodium.h>

#include "core/date.h"
#include "core/division.h"
#include "store/audit.h"
#include "domain/batch.h"
#include "domain/department.h"
#include "domain/province.h"
#include "store/store.h"
#include "util/common.h"

bool user_name_valid(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 64)
        return false;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x80 && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                           (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
            return false;
    return true;
}

int password_hash(const char *pw, char out[128])
{
    if (sodium_init() < 0)
        return -1;
    return crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
               ? 0
               : -1;
}

bool password_verify(const char *hash, const char *pw)
{
    if (sodium_init() < 0)
        return false;
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

/* A new password password_check refuses: the outcome says why. */
static int password_refused(const char *pw, const char *name, struct outcome *o)
{
    struct buf why = BUF_INIT;
    int rc = password_check(pw, name, &why);
    if (rc < 0)
        failed_at(o, OUT_INVALID, "password", "%s", why.buf);
    buf_release(&why);
    return rc;
}

/* A department name outside the vocabulary: the message lists the vocabulary. */
static int department_unknown(const char *text, const char *field, struct outcome *o)
{
    struct buf names = BUF_INIT;
    department_names(&names);
    failed_at(o, OUT_INVALID, field, "部门“%s”不在部门列表中，应为：%s", text, names.buf);
    buf_release(&names);
    return -1;
}

/* "董可锐（梅杏社区居民委员会，人员名册编号 5）" into out, for the audit trail; 1 an active person,
 * 0 none, -1 store error. */
static int person_label(struct store *s, int64_t id, struct buf *out)
{
    struct stmt *q = store_prepare(s, "SELECT name, org FROM person WHERE id = $1 AND active = 1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, id);
    int rc = stmt_step(q);
    if (rc == 1)
        buf_addf(out, "%s（%s，人员名册编号 %lld）", stmt_text(q, 0), stmt_text(q, 1),
                 (long long)id);
    stmt_finalize(q);
    return rc;
}

/*
 * A village account's villages: u->villages split at 、，,；; and line ends, each a village of
 * its township in the current 户籍 list (as the list spells it), none twice, at most 16. The
 * count, or -1 with the outcome naming the field.
 */
static int villages_parse(struct store *s, const struct user *u, char out[16][128],
                          struct outcome *o)
{
    static const char *const seps[] = {"、", "，", ",", "；", ";", "\n", "\r"};
    int n = 0;
    const char *p = u->villages;
    while (*p) {
        const char *end = p + strlen(p);
        size_t skip = 0;
        for (size_t i = 0; i < ARRAY_SIZE(seps); i++) {
            const char *e = strstr(p, seps[i]);
            if (e && e < end) {
                end = e;
                skip = strlen(seps[i]);
            }
        }
        const char *a = p, *b = end;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        p = *end ? end + skip : end;
        if (a == b)
            continue;
        if ((size_t)(b - a) >= sizeof(out[0]))
            return failed_at(o, OUT_INVALID, "villages", "村（社区）名称过长");
        if (n == 16)
            return failed_at(o, OUT_INVALID, "villages",
                             "一个村（社区）账号最多管 16 个村（社区）");
        snprintf(out[n], sizeof(out[0]), "%.*s", (int)(b - a), a);
        for (int i = 0; i < n; i++)
            if (!strcmp(out[i], out[n]))
                return failed_at(o, OUT_INVALID, "villages", "村（社区）“%s”重复", out[n]);
        int in = batch_has_village(s, u->township, out[n]);
        if (in < 0)
            return fail_store(s, o);
        if (in == 2)
            return failed_at(o, OUT_INVALID, "villages",
                             "还没有导入户籍名单，无法核对村（社区）的名称：请先导入户籍名单");
        if (!in)
            return failed_at(
                o, OUT_INVALID, "villages",
                "村（社区）“%s”不在最新户籍名单中该乡镇的村（社区）里（名称须与户籍名单一致）",
                out[n]);
        n++;
    }
    if (!n)
        return failed_at(o, OUT_INVALID, "villages",
                         "村（社区）账号需要所属的村（社区），多个用、分隔（名称与户籍名单一致）");
    return n;
}

int user_add(struct store *s, const struct user *u, const char *password, const char *actor,
             const char *origin, struct outcome *o)
{
    if (!user_name_valid(u->name))
        return failed_at(o, OUT_INVALID, "username",
                         "用户名无效：应为 1 到 64 个字符，可用汉字、字母、数字和 . _ -，不含空格");
    if (u->role >= ROLE__COUNT)
        return failed(o, OUT_INVALID, "角色无效");
    /* the accounts above the county live in the province's schema of a shared database, and
     * only they and its administrators (domain/province.h) */
    int in_province = province_schema_is(s);
    if (in_province < 0)
        return fail_store(s, o);
    char area_name[160] = "";
    if (u->role == ROLE_PROVINCE || u->role == ROLE_CITY) {
        bool city = u->role == ROLE_CITY;
        if (!in_province)
            return failed_at(
                o, OUT_INVALID, "role",
                "%s账号只能建在多个县共用的数据库的省级模式里，不能建在一个县的数据库里",
                role_label(u->role));
        if (strlen(u->area) != (city ? 4u : 2u) ||
            !division_area_name(u->area, area_name, sizeof(area_name)))
            return failed_at(o, OUT_INVALID, "area",
                             city ? "市教育局账号需要所属市的区划代码（4 位，例如晋城市 1405）"
                                  : "省教育厅账号需要所属省的区划代码（2 位，例如山西省 14）");
    } else if (u->area[0]) {
        return failed_at(o, OUT_INVALID, "area", "只有省教育厅和市教育局账号才能指定地区");
    } else if (in_province && u->role != ROLE_ADMIN) {
        return failed_at(o, OUT_INVALID, "role",
                         "省级模式里只能建省教育厅、市教育局和系统管理员账号；%s账号建在本县的"
                         "数据库里",
                         role_label(u->role));
    }
    if (u->role == ROLE_TOWNSHIP || u->role == ROLE_VILLAGE) {
        if (strlen(u->township) != 9 || strspn(u->township, "0123456789") != 9)
            return failed_at(o, OUT_INVALID, "township",
                             "%s账号需要所属乡镇的代码（9 位区划代码，例如 140521100）",
                             role_label(u->role));
        struct buf county = BUF_INIT;
        const struct township *t = NULL;
        int have = store_get_setting(s, "county", &county);
        if (have == 1)
            t = division_find_township(county.buf, u->township);
        bool ok = have != 1 || (t && !strcmp(t->code, u->township));
        buf_release(&county);
        if (have < 0)
            return fail_store(s, o);
        if (!ok) {
            return failed_at(o, OUT_INVALID, "township", "乡镇代码 %s 不是本县的乡镇", u->township);
        }
    } else if (u->township[0]) {
        return failed_at(o, OUT_INVALID, "township", "只有乡镇和村（社区）账号才能指定所属乡镇");
    }
    char villages[16][128];
    int nv = 0;
    if (u->role == ROLE_VILLAGE && (nv = villages_parse(s, u, villages, o)) < 0)
        return -1;
    if (u->role != ROLE_VILLAGE && u->villages[0])
        return failed_at(o, OUT_INVALID, "villages", "只有村（社区）账号才能指定所属村（社区）");
    if (u->role == ROLE_SCHOOL && !u->school[0])
        return failed_at(o, OUT_INVALID, "school", "学校账号需要所属学校的学校标识码");
    if (u->role == ROLE_SCHOOL) {
        char sname[256];
        int in = batch_school_name(s, u->school, sname, sizeof(sname));
        if (in < 0)
            return fail_store(s, o);
        if (in == 0)
            return failed_at(o, OUT_INVALID, "school",
                             "学校标识码“%s”不在最新的学籍名单中：请从学籍名单的学校中选择",
                             u->school);
    }
    if (u->role != ROLE_SCHOOL && u->school[0])
        return failed_at(o, OUT_INVALID, "school", "只有学校账号才能指定所属学校");
    const struct department *dept = NULL;
    if (u->role == ROLE_DEPARTMENT) {
        if (!u->department[0])
            return failed_at(o, OUT_INVALID, "department",
                             "部门账号需要所属部门的名称（如 公安、民政）");
        if (!(dept = department_parse(u->department)))
            return department_unknown(u->department, "department", o);
    } else if (u->department[0]) {
        return failed_at(o, OUT_INVALID, "department", "只有部门账号才能指定所属部门");
    }
    if (password_refused(password, u->name, o) < 0)
        return -1;
    struct buf who = BUF_INIT;
    if (u->person_id) {
        int in = person_label(s, u->person_id, &who);
        if (in <= 0) {
            buf_release(&who);
            if (in < 0)
                return fail_store(s, o);
            return failed_at(o, OUT_INVALID, "person", "人员名册中没有编号为 %lld 的在册人员",
                             (long long)u->person_id);
        }
    }
    char hash[128];
    if (password_hash(password, hash) < 0) {
        buf_release(&who);
        return failed(o, OUT_ERROR, "无法计算密码散列（内存不足）");
    }
    char now[32];
    date_now_text(now, sizeof(now));
    char pid[24] = "";
    if (u->person_id)
        snprintf(pid, sizeof(pid), "%lld", (long long)u->person_id);
    const char *p[] = {u->name,   role_key(u->role),       u->township,
                       u->school, dept ? dept->key : NULL, hash,
                       now,       pid[0] ? pid : NULL,     u->area[0] ? u->area : NULL};
    struct buf detail = BUF_INIT;
    buf_addf(&detail, "角色：%s%s%s%s%s%s%s", role_label(u->role),
             u->township[0] ? "，乡镇代码 " : "", u->township, u->school[0] ? "，学校标识码 " : "",
             u->school, dept ? "，部门 " : "", dept ? dept->title : "");
    if (*area_name)
        buf_addf(&detail, "，地区 %s（%s）", area_name, u->area);
    for (int i = 0; i < nv; i++)
        buf_addf(&detail, "%s%s", i ? "、" : "，村（社区） ", villages[i]);
    if (who.len)
        buf_addf(&detail, "，本人 %s", who.buf);
    buf_release(&who);
    int64_t exists = 0;
    const char *pn[] = {u->name};
    int rc = store_begin(s);
    if (rc == 0)
        rc = store_int(s, "SELECT count(*) FROM app_user WHERE name = $1", 1, pn, &exists);
    if (rc == 0 && exists) {
        store_rollback(s);
        buf_release(&detail);
        failed(o, OUT_INVALID, "用户“%s”已存在", u->name);
        return -1;
    }
    if (rc == 0)
        rc = store_run(s,
                       "INSERT INTO app_user (name, role, township_code, school_code, department,"
                       " password_hash, created_at, password_changed_at, person_id, area)"
                       " VALUES ($1, $2, $3, $4, $5, $6, $7, $7, CAST($8 AS BIGINT), $9)",
                       9, p);
    for (int i = 0; rc == 0 && i < nv; i++) {
        const char *pv[] = {u->name, villages[i]};
        rc = store_run(s,
                       "INSERT INTO user_village (user_id, village)"
                       " SELECT id, $2 FROM app_user WHERE name = $1",
                       2, pv);
    }
    char target[AUDIT_TARGET_SIZE];
    if (rc == 0)
        rc = audit_record(s, actor, origin, "user_add",
                          audit_target_name(target, OBJ_USER, u->name), detail.buf);
    buf_release(&detail);
    if (rc == 0)
        rc = store_commit(s);
    if (rc < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    return 0;
}

#define USER_COLS                                                                                  \
    "u.id, u.name, u.role, coalesce(u.township_code, ''), coalesce(u.school_code, ''),"            \
    " coalesce(u.department, ''), u.disabled, coalesce(u.person_id, 0), coalesce(p.name, ''),"     \
    " coalesce(p.org, ''), coalesce(u.area, '') FROM app_user u"                                   \
    " LEFT JOIN person p ON p.id = u.person_id"

static void user_from_row(struct stmt *q, struct user *u)
{
    memset(u, 0, sizeof(*u));
    u->id = stmt_int(q, 0);
    snprintf(u->name, sizeof(u->name), "%s", stmt_text(q, 1));
    int r = role_parse(stmt_text(q, 2));
    u->role = r < 0 ? ROLE_SUPERVISOR : (enum role)r;
    snprintf(u->township, sizeof(u->township), "%s", stmt_text(q, 3));
    snprintf(u->school, sizeof(u->school), "%s", stmt_text(q, 4));
    snprintf(u->department, sizeof(u->department), "%s", stmt_text(q, 5));
    u->disabled = stmt_int(q, 6) != 0;
    u->person_id = stmt_int(q, 7);
    snprintf(u->person_name, sizeof(u->person_name), "%s", stmt_text(q, 8));
    snprintf(u->person_org, sizeof(u->person_org), "%s", stmt_text(q, 9));
    snprintf(u->area, sizeof(u->area), "%s", stmt_text(q, 10));
}

int user_load_villages(struct store *s, struct user *u)
{
    u->villages[0] = '\0';
    if (u->role != ROLE_VILLAGE)
        return 0;
    struct stmt *q =
        store_prepare(s, "SELECT village FROM user_village WHERE user_id = $1 ORDER BY village");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, u->id);
    int rc;
    size_t len = 0;
    while ((rc = stmt_step(q)) == 1) {
        int w = snprintf(u->villages + len, sizeof(u->villages) - len, "%s%s", len ? "、" : "",
                         stmt_text(q, 0));
        if (w > 0 && (size_t)w < sizeof(u->villages) - len)
            len += (size_t)w;
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

int user_get(struct store *s, const char *name, struct user *out)
{
    struct stmt *q = store_prepare(s, "SELECT " USER_COLS " WHERE u.name = $1");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, name);
    int rc = stmt_step(q);
    if (rc == 1)
        user_from_row(q, out);
    stmt_finalize(q);
    if (rc == 1 && user_load_villages(s, out) < 0)
        return -1;
    return rc;
}

int user_each(struct store *s, int (*fn)(void *ctx, const struct user *u), void *ctx)
{
    struct stmt *q = store_prepare(s, "SELECT " USER_COLS " ORDER BY u.name");
    if (!q)
        return -1;
    int rc, ret = 0;
    struct user u;
    while ((rc = stmt_step(q)) == 1) {
        user_from_row(q, &u);
        if (user_load_villages(s, &u) < 0) {
            rc = -1;
            break;
        }
        if ((ret = fn(ctx, &u)) != 0)
            break;
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : ret;
}

/* Run `sql` ($1 the name, $2 and $3 optional) and end the account's sessions, with an audit
 * row. */
static int user_change(struct store *s, const char *name, const char *sql, const char *p2,
                       const char *p3, const char *action, const char *actor, const char *origin,
                       struct outcome *o)
{
    struct user u;
    int rc = user_get(s, name, &u);
    if (rc == 0) {
        failed(o, OUT_NOT_FOUND, "没有用户“%s”", name);
        return -1;
    }
    const char *p[] = {name, p2, p3};
    if (rc == 1)
        rc = store_begin(s);
    if (rc == 0)
        rc = store_run(s, sql, p3 ? 3 : p2 ? 2 : 1, p);
    if (rc == 0)
        rc = store_run(s,
                       "DELETE FROM session WHERE user_id = (SELECT id FROM app_user"
                       " WHERE name = $1)",
                       1, p);
    if (rc == 0)
        rc = store_run(s, "DELETE FROM login_attempt WHERE name = $1", 1, p);
    char target[AUDIT_TARGET_SIZE];
    if (rc == 0)
        rc =
            audit_record(s, actor, origin, action, audit_target_name(target, OBJ_USER, name), NULL);
    if (rc == 0)
        rc = store_commit(s);
    if (rc < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    return 0;
}

int user_set_disabled(struct store *s, const char *name, bool disabled, const char *actor,
                      const char *origin, struct outcome *o)
{
    return user_change(s, name,
                       disabled ? "UPDATE app_user SET disabled = 1 WHERE name = $1"
                                : "UPDATE app_user SET disabled = 0 WHERE name = $1",
                       NULL, NULL, disabled ? "user_disable" : "user_enable", actor, origin, o);
}

int user_set_password(struct store *s, const char *name, const char *password, const char *actor,
                      const char *origin, struct outcome *o)
{
    if (password_refused(password, name, o) < 0)
        return -1;
    char hash[128], now[32];
    if (password_hash(password, hash) < 0) {
        failed(o, OUT_ERROR, "无法计算密码散列（内存不足）");
        return -1;
    }
    date_now_text(now, sizeof(now));
    return user_change(s, name,
                       "UPDATE app_user SET password_hash = $2, password_changed_at = $3"
                       " WHERE name = $1",
                       hash, now, "user_password", actor, origin, o);
}

int user_set_department(struct store *s, const char *name, const char *department,
                        const char *actor, const char *origin, struct outcome *o)
{
    struct user u;
    int rc = user_get(s, name, &u);
    if (rc < 0)
        return fail_store(s, o);
    if (rc == 1 && u.role != ROLE_DEPARTMENT) {
        failed(o, OUT_INVALID, "用户“%s”不是部门账号，不能指定部门", name);
        return -1;
    }
    const struct department *d = department_parse(department ? department : "");
    if (rc == 1 && !d)
        return department_unknown(department ? department : "", NULL, o);
    /* user_change says so when there is no such account */
    return user_change(s, name, "UPDATE app_user SET department = $2 WHERE name = $1",
                       d ? d->key : NULL, NULL, "user_department", actor, origin, o);
}

int user_set_person(struct store *s, const char *name, int64_t person_id, const char *actor,
                    const char *origin, struct outcome *o)
{
    struct user u;
    int rc = user_get(s, name, &u);
    if (rc < 0)
        return fail_store(s, o);
    if (rc == 0)
        return failed(o, OUT_NOT_FOUND, "没有用户“%s”", name);
    char pid[24] = "";
    struct buf detail = BUF_INIT;
    if (person_id) {
        snprintf(pid, sizeof(pid), "%lld", (long long)person_id);
        buf_adds(&detail, "本人：");
        int in = person_label(s, person_id, &detail);
        if (in <= 0) {
            buf_release(&detail);
            if (in < 0)
                return fail_store(s, o);
            return failed_at(o, OUT_INVALID, "person", "人员名册中没有编号为 %s 的在册人员", pid);
        }
    } else {
        buf_addf(&detail, "取消与人员名册的关联%s%s", u.person_name[0] ? "（原为 " : "",
                 u.person_name[0] ? u.person_name : "");
        if (u.person_name[0])
            buf_adds(&detail, "）");
    }
    const char *p[] = {name, pid[0] ? pid : NULL};
    char target[AUDIT_TARGET_SIZE];
    rc = store_begin(s);
    if (rc == 0)
        rc = store_run(s, "UPDATE app_user SET person_id = CAST($2 AS BIGINT) WHERE name = $1", 2,
                       p);
    if (rc == 0)
        rc = audit_record(s, actor, origin, "user_person",
                          audit_target_name(target, OBJ_USER, name), detail.buf);
    if (rc == 0)
        rc = store_commit(s);
    buf_release(&detail);
    if (rc < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    return 0;
}

json_t *user_json(const struct user *u)
{
    json_t *perms = json_array();
    for (int p = PERM_SESSION; p < PERM__COUNT; p++)
        if (role_has(u->role, (enum perm)p))
            json_array_append_new(perms, json_string(perm_key((enum perm)p)));
    /* the township's name from the official division codes ("龙港镇"), for the UI to show */
    char county[7] = "";
    const struct township *t = NULL;
    if (strlen(u->township) == 9) {
        memcpy(county, u->township, 6);
        t = division_find_township(county, u->township);
    }
    /* a department's duty, from the vocabulary: what it may upload and read */
    const struct department *d = u->role == ROLE_DEPARTMENT ? department_find(u->department) : NULL;
    json_t *kinds = json_array();
    for (int k = 0; d && k < KIND__COUNT; k++)
        if (d->kinds & (1u << k))
            json_array_append_new(kinds, json_string(kind_key((enum import_kind)k)));
    if (d && (d->reads & DEPT_READS_REGISTRATION))
        json_array_append_new(perms, json_string("registration"));
    /* the 重点群体 screen, for the accounts that read the groups' results (scope_groups) */
    struct scope gsc = {
        .role = u->role, .township = u->township, .school = u->school, .department = u->department};
    unsigned own;
    const char *own_town, *own_school;
    if (scope_groups(&gsc, &own, &own_town, &own_school))
        json_array_append_new(perms, json_string("groups_read"));
    /* the screens of tasks and cases, for the roles that read them with their story */
    if (role_reads_objects(u->role, SCOPE_TASK))
        json_array_append_new(perms, json_string("tasks_read"));
    if (role_reads_objects(u->role, SCOPE_CASE))
        json_array_append_new(perms, json_string("cases_read"));
    /* 应助尽助 and 留守儿童: every role that reads children but the departments (report/aid.c,
     * report/care.c) */
    if (role_has(u->role, PERM_CHILDREN) && u->role != ROLE_DEPARTMENT) {
        json_array_append_new(perms, json_string("aid_read"));
        json_array_append_new(perms, json_string("care_read"));
    }
    /* 应助尽助 also for the departments that pay the aid (财政, 学生资助中心) */
    if (d && (d->reads & DEPT_READS_AID))
        json_array_append_new(perms, json_string("aid_read"));
    /* the 预警名单 screen (issue 16) */
    if (role_reads_atrisk(u->role))
        json_array_append_new(perms, json_string("atrisk_read"));
    /* the 督导检查 screen (issue 17) */
    if (role_reads_inspections(u->role))
        json_array_append_new(perms, json_string("inspections_read"));
    /* the 通报 screen (issue 17): reading the issued ones, and issuing */
    if (role_reads_bulletins(u->role))
        json_array_append_new(perms, json_string("bulletins_read"));
    if (role_issues_bulletins(u->role))
        json_array_append_new(perms, json_string("bulletins_issue"));
    /* the 送教上门 screen (issue 15), for the roles the placement policy lets read */
    if (role_reads_placements(u->role))
        json_array_append_new(perms, json_string("placements_read"));
    /* 考勤 (issue 16): the class teacher's roll call, and a school's days by class */
    if (role_records_attendance(u->role))
        json_array_append_new(perms, json_string("attendance_record"));
    if (role_reads_attendance(u->role))
        json_array_append_new(perms, json_string("attendance_read"));
    /* issue 17: 联席会议, 约谈, and 待办 for the roles that have one (a department its
     * decisions, a school its commitments) */
    if (role_reads_meetings(u->role))
        json_array_append_new(perms, json_string("meetings_read"));
    if (role_reads_interviews(u->role))
        json_array_append_new(perms, json_string("interviews_read"));
    if (role_has_todo(u->role))
        json_array_append_new(perms, json_string("todo"));
    /* 招生入学 (issue 17) */
    if (role_reads_entrants(u->role))
        json_array_append_new(perms, json_string("entrants_read"));
    if (role_records_entrants(u->role))
        json_array_append_new(perms, json_string("entrants_record"));
    if (role_edits_catchment(u->role))
        json_array_append_new(perms, json_string("catchment_edit"));
    json_t *person = u->person_id ? json_pack("{s:I, s:s, s:s}", "id", (json_int_t)u->person_id,
                                              "name", u->person_name, "org", u->person_org)
                                  : json_null();
    json_t *villages = json_array();
    for (const char *p = u->villages; *p;) {
        const char *e = strstr(p, "、");
        size_t n = e ? (size_t)(e - p) : strlen(p);
        json_array_append_new(villages, json_stringn(p, n));
        p += n + (e ? strlen("、") : 0);
    }
    char area_name[160] = "";
    if (*u->area)
        division_area_name(u->area, area_name, sizeof(area_name));
    json_t *area =
        *u->area ? json_pack("{s:s, s:s}", "code", u->area, "name", area_name) : json_null();
    return json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:o, s:o, s:o, s:o, s:o}",
                     "name", u->name, "role", role_key(u->role), "role_label", role_label(u->role),
                     "township", u->township[0] ? u->township : NULL, "township_name",
                     t ? t->name : NULL, "school", u->school[0] ? u->school : NULL, "department",
                     u->department[0] ? u->department : NULL, "department_label",
                     d                                              ? d->title
                     : u->role == ROLE_DEPARTMENT && *u->department ? u->department
                                                                    : NULL,
                     "upload_kinds", kinds, "permissions", perms, "person", person, "villages",
                     villages, "area", area);
}
