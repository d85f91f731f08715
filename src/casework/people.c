#include "casework/people.h"

#include "core/words.h"
#include "core/date.h"
#include "core/division.h"
#include "core/view.h"
#include "store/audit.h"
#include "ingest/field.h"
#include "ingest/sheet.h"
#include "store/store.h"
#include "util/common.h"
#include "util/fieldtext.h"
#include "util/utf8.h"

int casework_township(struct store *s, const char *text, char code[10], const char **name)
{
    struct buf county = BUF_INIT;
    code[0] = '\0';
    *name = NULL;
    int rc = store_get_setting(s, "county", &county);
    const struct township *t = rc == 1 ? division_find_township(county.buf, text) : NULL;
    buf_release(&county);
    if (!t)
        return -1;
    snprintf(code, 10, "%s", t->code);
    *name = t->name;
    return 0;
}

/* The kind of unit a name says, for sheets without a 单位类别 column. */
static const char *org_kind_guess(const char *org, bool has_township)
{
    if (strstr(org, "教育局") || strstr(org, "县政府") || strstr(org, "控辍保学办"))
        return "county";
    if (strstr(org, "学校") || strstr(org, "小学") || strstr(org, "中学") || strstr(org, "学区") ||
        strstr(org, "幼儿园") || strstr(org, "完小"))
        return "school";
    size_t n = strlen(org);
    const char *tail[] = {"村", "村委会", "社区", "村民委员会"};
    for (size_t i = 0; i < ARRAY_SIZE(tail); i++) {
        size_t k = strlen(tail[i]);
        if (n >= k && !strcmp(org + n - k, tail[i]))
            return "village";
    }
    if (strstr(org, "镇") || strstr(org, "乡") || strstr(org, "街道"))
        return "township";
    return has_township ? "township" : "department";
}

static bool phone_ok(const char *p)
{
    size_t digits = 0;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (*p != '-' && *p != ' ' && *p != '+')
            return false;
    }
    return digits >= 7 && digits <= 15;
}

struct person_norm {
    struct buf name, phone, org, role;
    const char *org_kind;
    char township_code[10];
};

static void person_norm_release(struct person_norm *p)
{
    buf_release(&p->name);
    buf_release(&p->phone);
    buf_release(&p->org);
    buf_release(&p->role);
}

/* Check and normalise what was given; `adding` requires name, unit and role. Messages say
 * which field is wrong (where `where` says which row, for imports), every problem in err;
 * *field is the key of the first field at fault. */
static int person_check(struct store *s, const struct person_input *in, bool adding,
                        const char *where, struct person_norm *p, struct buf *err,
                        const char **field)
{
    size_t before = err->len;
    /* what was typed, before anything is normalised away or repeated in a message */
    const struct text_field typed[] = {
        {"姓名", in->name, TEXT_NAME, "name"},
        {"电话", in->phone, TEXT_LINE, "phone"},
        {"工作单位", in->org, TEXT_LINE, "org"},
        {"单位类别", in->org_kind, TEXT_LINE, "org_kind"},
        {"乡镇", in->township, TEXT_LINE, "township"},
        {"职务", in->role, TEXT_LINE, "role"},
    };
#define AT(key) (*field = *field ? *field : (key))
    *field = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(typed); i++) {
        struct outcome t = OUTCOME_INIT;
        if (text_check(typed[i].label, typed[i].text, typed[i].kind, &t) < 0) {
            buf_addf(err, "%s%s；", where, t.msg.buf);
            AT(typed[i].field);
        }
        outcome_release(&t);
    }
    if (err->len > before) {
        buf_setlen(err, err->len - strlen("；"));
        return -1;
    }
    if (in->name)
        utf8_norm_name(&p->name, in->name, strlen(in->name));
    if (in->phone)
        utf8_norm_text(&p->phone, in->phone, strlen(in->phone));
    if (in->org)
        utf8_norm_text(&p->org, in->org, strlen(in->org));
    if (in->role)
        utf8_norm_text(&p->role, in->role, strlen(in->role));
    if ((adding || in->name) && !p->name.len) {
        buf_addf(err, "%s缺少姓名；", where);
        AT("name");
    }
    if ((adding || in->org) && !p->org.len) {
        buf_addf(err, "%s缺少工作单位；", where);
        AT("org");
    }
    if ((adding || in->role) && !p->role.len) {
        buf_addf(err, "%s缺少职务/角色（如 包保干部、村干部、校长、班主任、结对教师）；", where);
        AT("role");
    }
    if (p->phone.len && !phone_ok(p->phone.buf)) {
        buf_addf(err, "%s电话号码“%s”无效（应为 7 到 15 位数字）；", where, p->phone.buf);
        AT("phone");
    }
    if (in->township && *in->township) {
        const char *tname;
        if (casework_township(s, in->township, p->township_code, &tname) < 0) {
            buf_addf(err, "%s乡镇“%s”不是本县的乡镇（或本县尚未设置）；", where, in->township);
            AT("township");
        }
    }
    p->org_kind = NULL;
    if (in->org_kind && *in->org_kind) {
        int k = vocab_parse(&org_kinds, in->org_kind);
        if (k < 0) {
            buf_adds(err, where);
            vocab_error(&org_kinds, in->org_kind, err);
            buf_adds(err, "；");
            AT("org_kind");
        } else {
            p->org_kind = org_kinds.words[k].key;
        }
    } else if (adding && p->org.len) {
        p->org_kind = org_kind_guess(p->org.buf, p->township_code[0] != '\0');
    }
    if (adding && p->org_kind &&
        (!strcmp(p->org_kind, "township") || !strcmp(p->org_kind, "village")) &&
        !p->township_code[0] && err->len == before) {
        buf_addf(err, "%s乡镇和村的人员须写明所属乡镇；", where);
        AT("township");
    }
#undef AT
    if (err->len > before) {
        buf_setlen(err, err->len - strlen("；")); /* the last separator */
        return -1;
    }
    return 0;
}

/* person_check for one person given by hand: its problems as the outcome. */
static int person_check_one(struct store *s, const struct person_input *in, bool adding,
                            struct person_norm *p, struct outcome *o)
{
    struct buf why = BUF_INIT;
    const char *field;
    int rc = person_check(s, in, adding, "", p, &why, &field);
    if (rc < 0)
        failed_at(o, OUT_INVALID, field, "%s", why.buf);
    buf_release(&why);
    return rc;
}

static int person_insert(struct store *s, const struct person_norm *p, int64_t *id)
{
    char now[32];
    date_now_text(now, sizeof(now));
    struct stmt *q = store_prepare(s, "INSERT INTO person (name, phone, org, org_kind,"
                                      " township_code, role, created_at)"
                                      " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, p->name.buf);
    stmt_bind_str(q, 2, p->phone.buf);
    stmt_bind_str(q, 3, p->org.buf);
    stmt_bind_str(q, 4, p->org_kind);
    stmt_bind_str(q, 5, p->township_code);
    stmt_bind_str(q, 6, p->role.buf);
    stmt_bind_str(q, 7, now);
    int rc = stmt_step(q);
    if (rc == 1)
        *id = stmt_int(q, 0);
    stmt_finalize(q);
    return rc == 1 ? 0 : -1;
}

static int person_exists(struct store *s, const char *name, const char *org, int64_t *id)
{
    const char *p[] = {name, org};
    return store_int(s, "SELECT id FROM person WHERE name = $1 AND org = $2", 2, p, id);
}

int people_add(struct store *s, const struct person_input *in, const char *actor, int64_t *id,
               struct outcome *o)
{
    struct person_norm p = {BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, NULL, ""};
    int ret = -1;
    int64_t dup = 0;
    if (person_check_one(s, in, true, &p, o) < 0)
        goto out;
    if (person_exists(s, p.name.buf, p.org.buf, &dup) < 0) {
        fail_store(s, o);
        goto out;
    }
    if (dup) {
        failed(o, OUT_INVALID, "名册中已有同一单位的同名人员（编号 %lld），如需修改请修改该人员",
               (long long)dup);
        goto out;
    }
    if (store_begin(s) < 0) {
        fail_store(s, o);
        goto out;
    }
    char target[AUDIT_TARGET_SIZE];
    if (person_insert(s, &p, id) == 0) {
        audit_target(target, OBJ_PERSON, *id);
        if (audit_record(s, actor, NULL, "person_add", target, p.org_kind) == 0 &&
            store_commit(s) == 0) {
            ret = 0;
            goto out;
        }
    }
    fail_store(s, o);
    store_rollback(s);
out:
    person_norm_release(&p);
    return ret;
}

static int person_active(struct store *s, int64_t id, int64_t *active)
{
    char num[24];
    snprintf(num, sizeof(num), "%lld", (long long)id);
    const char *p[] = {num};
    return store_int(s, "SELECT CASE WHEN active = 1 THEN 1 ELSE 2 END FROM person WHERE id = $1",
                     1, p, active);
}

int people_edit(struct store *s, int64_t id, const struct person_input *in, const char *actor,
                struct buf *msg, struct outcome *o)
{
    struct person_norm p = {BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, NULL, ""};
    int ret = -1;
    int64_t state = 0;
    if (!in->name && !in->phone && !in->org && !in->org_kind && !in->township && !in->role) {
        failed(o, OUT_INVALID,
               "没有要修改的内容：请至少给出姓名、电话、工作单位、单位类别、乡镇或职务中的一项");
        goto out;
    }
    if (person_active(s, id, &state) < 0) {
        fail_store(s, o);
        goto out;
    }
    if (!state) {
        failed(o, OUT_NOT_FOUND, "名册中没有编号为 %lld 的人员", (long long)id);
        goto out;
    }
    if (person_check_one(s, in, false, &p, o) < 0)
        goto out;
    struct buf fields = BUF_INIT;
    struct stmt *q = NULL;
    if (store_begin(s) < 0)
        goto fail_store;
    q = store_prepare(s, "UPDATE person SET name = coalesce($2, name),"
                         " phone = CASE WHEN $3 = 1 THEN $4 ELSE phone END,"
                         " org = coalesce($5, org), org_kind = coalesce($6, org_kind),"
                         " township_code = CASE WHEN $7 = 1 THEN $8 ELSE township_code END,"
                         " role = coalesce($9, role) WHERE id = $1");
    if (!q)
        goto fail_store;
    stmt_bind_int(q, 1, id);
    stmt_bind_str(q, 2, in->name ? p.name.buf : NULL);
    stmt_bind_int(q, 3, in->phone != NULL);
    stmt_bind_str(q, 4, p.phone.buf);
    stmt_bind_str(q, 5, in->org ? p.org.buf : NULL);
    stmt_bind_str(q, 6, p.org_kind);
    stmt_bind_int(q, 7, in->township != NULL);
    stmt_bind_str(q, 8, p.township_code);
    stmt_bind_str(q, 9, in->role ? p.role.buf : NULL);
    int rc = stmt_step(q);
    stmt_finalize(q);
    if (rc < 0) {
        bool dup = strstr(store_errmsg(s), "UNIQUE") != NULL;
        if (dup)
            failed(o, OUT_INVALID, "名册中已有同一单位的同名人员");
        store_rollback(s);
        if (dup)
            goto out_fields;
        goto fail_store_nrb;
    }
    /* the audit says which fields changed, not their values */
    const char *names[] = {"姓名", "电话", "单位", "单位类别", "乡镇", "职务"};
    const char *given[] = {in->name, in->phone, in->org, in->org_kind, in->township, in->role};
    for (size_t i = 0; i < ARRAY_SIZE(names); i++)
        if (given[i])
            buf_addf(&fields, "%s%s", fields.len ? "、" : "修改了", names[i]);
    char target[AUDIT_TARGET_SIZE];
    audit_target(target, OBJ_PERSON, id);
    if (audit_record(s, actor, NULL, "person_edit", target, fields.buf) < 0 || store_commit(s) < 0)
        goto fail_store;
    buf_addf(msg, "已修改人员 %lld 的信息", (long long)id);
    ret = 0;
    goto out_fields;
fail_store:
    store_rollback(s);
fail_store_nrb:
    fail_store(s, o);
out_fields:
    buf_release(&fields);
out:
    person_norm_release(&p);
    return ret;
}

int people_deactivate(struct store *s, int64_t id, const char *actor, struct buf *msg,
                      struct outcome *o)
{
    int64_t state = 0;
    if (person_active(s, id, &state) < 0)
        return fail_store(s, o);
    if (!state)
        return failed(o, OUT_NOT_FOUND, "名册中没有编号为 %lld 的人员", (long long)id);
    if (state == 2)
        return failed(o, OUT_INVALID, "人员 %lld 已经停用", (long long)id);
    char num[24], target[AUDIT_TARGET_SIZE];
    snprintf(num, sizeof(num), "%lld", (long long)id);
    audit_target(target, OBJ_PERSON, id);
    const char *p[] = {num};
    if (store_begin(s) < 0)
        return fail_store(s, o);
    if (store_run(s, "UPDATE person SET active = 0 WHERE id = $1", 1, p) < 0 ||
        audit_record(s, actor, NULL, "person_deactivate", target, NULL) < 0 ||
        store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    /* open work still assigned to them is listed so that someone reassigns it */
    int64_t open = 0;
    store_int(s,
              "SELECT count(*) FROM assignment a WHERE a.person_id = $1 AND a.id IN"
              " (SELECT max(id) FROM assignment GROUP BY task_id, case_id, role)"
              " AND ((a.task_id IN (SELECT id FROM verify_task WHERE state <> 'closed'))"
              "  OR (a.case_id IN (SELECT id FROM case_file WHERE state <> 'closed')))",
              1, p, &open);
    buf_addf(msg, "已停用人员 %lld（历史记录中保留其姓名）", (long long)id);
    if (open)
        buf_addf(msg, "。其名下还有 %lld 项未办结的任务或案件，请改派他人", (long long)open);
    return 0;
}

/* ---- import ---- */

enum pcol { PC_NAME, PC_PHONE, PC_ORG, PC_ROLE, PC_TOWNSHIP, PC_KIND, PC__COUNT };

static int people_header(const char *text, size_t len)
{
    static const char *const spell[PC__COUNT][6] = {
        {"姓名", "名字", NULL},
        {"电话", "联系电话", "手机", "手机号", "联系方式", "手机号码"},
        {"单位", "工作单位", "所在单位", "单位名称", NULL},
        {"职务", "角色", "职务/角色", "职务（角色）", "岗位", NULL},
        {"乡镇", "乡镇（街道）", "乡镇(街道)", "所属乡镇", NULL},
        {"单位类别", "单位类型", NULL},
    };
    struct buf k = BUF_INIT;
    utf8_norm_text(&k, text, len);
    int found = -1;
    for (int c = 0; c < PC__COUNT && found < 0; c++)
        for (int i = 0; i < 6 && spell[c][i] && found < 0; i++)
            if (!strcmp(k.buf, spell[c][i]))
                found = c;
    buf_release(&k);
    return found;
}

int people_import(struct store *s, const char *path, const char *actor,
                  struct people_import_summary *sum, struct outcome *o)
{
    struct sheet_reader *r = NULL;
    const struct row *row;
    memset(sum, 0, sizeof(*sum));
    struct buf err_text = BUF_INIT, *err = &err_text;
    if (sheet_open(&r, path, err) < 0) {
        failed(o, OUT_INVALID, "%s", err->buf);
        buf_release(err);
        return -1;
    }
    int col[PC__COUNT];
    bool header = false;
    int rc;
    struct buf problems = BUF_INIT;
    struct {
        struct person_norm p;
    } *rows = NULL;
    size_t nrows = 0, alloc = 0;
    long seen = 0;
    int ret = -1;
    while ((rc = sheet_next_row(r, &row, err)) == 1) {
        if (!header) {
            if (++seen > 50)
                break;
            int c2[PC__COUNT];
            for (int c = 0; c < PC__COUNT; c++)
                c2[c] = -1;
            for (size_t i = 0; i < row->ncells; i++) {
                int f = people_header(row->cells[i].text, row->cells[i].len);
                if (f >= 0 && c2[f] < 0)
                    c2[f] = (int)i;
            }
            if (c2[PC_NAME] >= 0 && (c2[PC_ORG] >= 0 || c2[PC_ROLE] >= 0)) {
                memcpy(col, c2, sizeof(col));
                header = true;
            }
            continue;
        }
        const char *v[PC__COUNT];
        bool blank = true;
        for (int c = 0; c < PC__COUNT; c++) {
            v[c] = col[c] >= 0 && (size_t)col[c] < row->ncells ? row->cells[col[c]].text : "";
            if (*v[c])
                blank = false;
        }
        if (blank) {
            sum->skipped++;
            continue;
        }
        /* notes and signatures under the data (制表：…, 审核人：…) name nobody */
        if (strstr(v[PC_NAME], "：") || strchr(v[PC_NAME], ':') ||
            !strncmp(v[PC_NAME], "制表", 6) || !strncmp(v[PC_NAME], "填表", 6) ||
            !strncmp(v[PC_NAME], "备注", 6) || !strncmp(v[PC_NAME], "审核", 6)) {
            sum->skipped++;
            continue;
        }
        sum->rows++;
        char where[48];
        snprintf(where, sizeof(where), "第 %ld 行：", row->number);
        struct person_input in = {v[PC_NAME], v[PC_PHONE],    v[PC_ORG],
                                  v[PC_KIND], v[PC_TOWNSHIP], v[PC_ROLE]};
        ALLOC_GROW(rows, nrows + 1, alloc);
        struct person_norm *p = &rows[nrows].p;
        *p = (struct person_norm){BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, NULL, ""};
        nrows++;
        struct buf e = BUF_INIT;
        const char *field;
        if (person_check(s, &in, true, where, p, &e, &field) < 0)
            buf_addf(&problems, "\n  %s", e.buf);
        buf_release(&e);
    }
    if (rc < 0) {
        failed(o, OUT_INVALID, "%s", err->buf);
        goto out;
    }
    if (!header) {
        failed(o, OUT_INVALID,
               "找不到表头：人员名册须有“姓名”列，以及“单位/工作单位”或“职务/角色”列");
        goto out;
    }
    if (problems.len) {
        failed(o, OUT_INVALID, "人员名册有错误，未导入任何人员：%s", problems.buf);
        goto out;
    }
    if (store_begin(s) < 0) {
        fail_store(s, o);
        goto out;
    }
    for (size_t i = 0; i < nrows; i++) {
        int64_t id = 0;
        if (person_exists(s, rows[i].p.name.buf, rows[i].p.org.buf, &id) < 0)
            goto store_failed;
        if (id) {
            sum->existing++;
            continue;
        }
        if (person_insert(s, &rows[i].p, &id) < 0)
            goto store_failed;
        sum->added++;
    }
    char detail[96];
    snprintf(detail, sizeof(detail), "共 %ld 行，新登记 %ld 人，已在名册 %ld 人", sum->rows,
             sum->added, sum->existing);
    if (audit_record(s, actor, NULL, "people_import", NULL, detail) < 0 || store_commit(s) < 0)
        goto store_failed;
    ret = 0;
    goto out;
store_failed:
    fail_store(s, o);
    store_rollback(s);
out:
    for (size_t i = 0; i < nrows; i++)
        person_norm_release(&rows[i].p);
    free(rows);
    buf_release(&problems);
    buf_release(err);
    sheet_close(r);
    return ret;
}

static const struct table_col people_cols[] = {
    {"id", "编号", COL_INT},
    {"name", "姓名", COL_TEXT},
    {"phone", "电话", COL_TEXT},
    {"org", "单位", COL_TEXT},
    {"org_kind", "单位类别", COL_TEXT},
    {"township", "乡镇", COL_TEXT},
    {"role", "职务/角色", COL_TEXT},
    {"active", "状态", COL_TEXT},
    {"open_work", "未办结事项", COL_INT},
    {"org_kind_key", "单位类别", COL_KEY},
    {"township_code", "乡镇代码", COL_KEY},
    {"enabled", "在岗", COL_FLAG},
};

int people_list(struct store *s, const struct people_filter *f, struct report_table *t,
                struct outcome *o)
{
    char code[10] = "";
    const char *tname = NULL;
    if (f->township && casework_township(s, f->township, code, &tname) < 0)
        return failed_at(o, OUT_INVALID, "township", "乡镇“%s”不是本县的乡镇", f->township);
    struct buf county = BUF_INIT;
    store_get_setting(s, "county", &county);
    struct stmt *q =
        store_prepare(s, "SELECT p.id, p.name, coalesce(p.phone, ''), p.org, p.org_kind,"
                         " coalesce(p.township_code, ''), p.role, p.active,"
                         " (SELECT count(*) FROM assignment a WHERE a.person_id = p.id AND a.id IN"
                         "   (SELECT max(id) FROM assignment GROUP BY task_id, case_id, role)"
                         "   AND (a.task_id IN (SELECT id FROM verify_task WHERE state <> 'closed')"
                         "    OR a.case_id IN (SELECT id FROM case_file WHERE state <> 'closed')))"
                         " FROM person p WHERE ($1 = 1 OR p.active = 1)"
                         " AND (CAST($2 AS TEXT) IS NULL OR p.township_code = $2)"
                         " ORDER BY p.township_code IS NOT NULL, p.township_code, p.org, p.id");
    if (!q) {
        buf_release(&county);
        return fail_store(s, o);
    }
    stmt_bind_int(q, 1, f->all);
    stmt_bind_str(q, 2, code);
    table_init(t, "人员名册", "people", people_cols, ARRAY_SIZE(people_cols));
    const struct view v = view_make(f->full, 0); /* the registry's staff: phones only */
    int rc;
    struct buf ph = BUF_INIT;
    while ((rc = stmt_step(q)) == 1) {
        table_add_row(t);
        table_setf(t, 0, "%lld", (long long)stmt_int(q, 0));
        table_set(t, 1, stmt_text(q, 1));
        buf_reset(&ph);
        view_phone(&v, stmt_text(q, 2), &ph);
        table_set(t, 2, ph.buf);
        table_set(t, 3, stmt_text(q, 3));
        table_set(t, 4, vocab_label(&org_kinds, stmt_text(q, 4)));
        const struct township *tw =
            *stmt_text(q, 5) ? division_find_township(county.buf, stmt_text(q, 5)) : NULL;
        table_set(t, 5, tw ? tw->name : stmt_text(q, 5));
        table_set(t, 6, stmt_text(q, 6));
        table_set(t, 7, stmt_int(q, 7) ? "在岗" : "已停用");
        table_setf(t, 8, "%lld", (long long)stmt_int(q, 8));
        table_set(t, 9, stmt_text(q, 4));
        table_set(t, 10, stmt_text(q, 5));
        table_set(t, 11, stmt_int(q, 7) ? "1" : "0");
    }
    stmt_finalize(q);
    buf_release(&ph);
    buf_release(&county);
    if (rc < 0) {
        table_release(t);
        return fail_store(s, o);
    }
    table_meta(t, "masked", f->full ? "false" : "true", META_BOOL);
    buf_addf(&t->footer, "\n共 %zu 人%s。\n", t->nrows, f->full ? "" : "（电话已隐去中间四位）");
    return 0;
}

int people_resolve(struct store *s, const char *what, const char *field, const char *text,
                   int64_t *id, struct outcome *o)
{
    if (!text || !*text)
        return failed_at(o, OUT_INVALID, field, "缺少%s（人员名册中的编号或姓名）", what);
    bool digits = true;
    for (const char *p = text; *p; p++)
        if (*p < '0' || *p > '9')
            digits = false;
    struct stmt *q;
    if (digits && strlen(text) < 12) {
        q = store_prepare(s, "SELECT id, active FROM person WHERE id = $1");
        if (q)
            stmt_bind_int(q, 1, strtoll(text, NULL, 10));
    } else {
        struct buf n = BUF_INIT;
        utf8_norm_name(&n, text, strlen(text));
        q = store_prepare(s, "SELECT id, active FROM person WHERE name = $1 ORDER BY active DESC");
        if (q)
            stmt_bind_text(q, 1, n.buf, n.len);
        buf_release(&n);
    }
    if (!q)
        return fail_store(s, o);
    int rc, found = 0, inactive = 0;
    while ((rc = stmt_step(q)) == 1) {
        if (stmt_int(q, 1)) {
            found++;
            *id = stmt_int(q, 0);
        } else {
            inactive++;
        }
    }
    stmt_finalize(q);
    if (rc < 0)
        return fail_store(s, o);
    if (found == 1)
        return 0;
    if (found > 1)
        return failed_at(o, OUT_INVALID, field, "%s：名册中有 %d 名在岗人员叫“%s”，请用人员编号",
                         what, found, text);
    if (inactive)
        return failed_at(o, OUT_INVALID, field, "%s：“%s”已停用，不能再指派或记录", what, text);
    return failed_at(o, OUT_INVALID, field, "%s：人员名册中没有“%s”（请先在人员名册中登记）", what,
                     text);
}

int people_describe(struct store *s, int64_t id, struct buf *out)
{
    struct stmt *q = store_prepare(s, "SELECT name, org, role FROM person WHERE id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, id);
    int rc = stmt_step(q);
    if (rc == 1)
        buf_addf(out, "%s（%s %s）", stmt_text(q, 0), stmt_text(q, 1), stmt_text(q, 2));
    stmt_finalize(q);
    return rc == 1 ? 0 : -1;
}
