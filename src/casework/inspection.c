/* 督导检查 and 限期整改: recording inspections and findings, and the items' state (inspection.h).
 */
#include "casework/inspection.h"

#include <string.h>

#include "casework/casework.h"
#include "casework/inspection_impl.h"
#include "casework/people.h"
#include "core/date.h"
#include "core/words.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"
#include "util/utf8.h"

static const struct word state_words[RS__COUNT] = {
    [RS_OPEN] = {"open", "整改中", NULL, 0, TONE_INFO},
    [RS_SUBMITTED] = {"submitted", "已提交整改", "待验收", 0, TONE_WARN},
    [RS_ACCEPTED] = {"accepted", "已验收", "验收通过", 0, TONE_OK},
    [RS_RETURNED] = {"returned", "退回重改", "退回", 0, TONE_BAD},
};
const struct vocab rectify_states = {"整改状态", state_words, RS__COUNT};

int rectify_next(enum rectify_state from, enum rectify_act act)
{
    switch (act) {
    case RA_PROGRESS:
        return from == RS_OPEN || from == RS_RETURNED ? (int)from : -1;
    case RA_SUBMIT:
        return from == RS_OPEN || from == RS_RETURNED ? RS_SUBMITTED : -1;
    case RA_ACCEPT:
        return from == RS_SUBMITTED ? RS_ACCEPTED : -1;
    case RA_RETURN:
        return from == RS_SUBMITTED ? RS_RETURNED : -1;
    }
    return -1;
}

int rectify_state_parse(const char *key)
{
    for (int i = 0; key && i < RS__COUNT; i++)
        if (!strcmp(key, state_words[i].key))
            return i;
    return -1;
}

bool text_has_id_number(const char *text)
{
    size_t run = 0;
    for (const char *p = text; p && *p; p++) {
        bool digit = *p >= '0' && *p <= '9';
        bool check = (*p == 'X' || *p == 'x') && run == 17;
        if (digit || check) {
            run++;
            if (run == 18)
                return true;
            continue;
        }
        if (run == 15)
            return true;
        run = 0;
    }
    return run == 15;
}

void text_prefix(const char *text, size_t chars, char *out, size_t size)
{
    size_t i = 0, n = 0, len = strlen(text);
    while (i < len && n < chars) {
        unsigned cp;
        size_t k = utf8_decode(text + i, len - i, &cp);
        if (!k)
            break;
        i += k;
        n++;
    }
    if (i >= size - 4)
        i = 0;
    snprintf(out, size, "%.*s%s", (int)i, text, i < len ? "…" : "");
}

bool inspection_reads_all(const struct scope *sc)
{
    return !sc || sc->role == ROLE_ADMIN || sc->role == ROLE_COUNTY || sc->role == ROLE_SUPERVISOR;
}

bool inspection_unit_is_scope(const struct scope *sc, const char *kind, const char *code)
{
    if (!sc)
        return false;
    if (sc->role == ROLE_TOWNSHIP)
        return !strcmp(kind, "township") && sc->township && *sc->township &&
               !strcmp(sc->township, code);
    if (sc->role == ROLE_SCHOOL)
        return !strcmp(kind, "school") && sc->school && *sc->school && !strcmp(sc->school, code);
    return false;
}

int inspection_unit(struct store *s, const char *text, char kind[10], char code[24], char name[128],
                    struct outcome *o)
{
    const char *tname;
    char tcode[10];
    if (!text || !*text)
        return failed_at(o, OUT_INVALID, "unit", "请填写单位（乡镇代码或名称、学校标识码）");
    if (casework_township(s, text, tcode, &tname) == 0) {
        snprintf(kind, 10, "township");
        snprintf(code, 24, "%s", tcode);
        snprintf(name, 128, "%s", tname);
        return 0;
    }
    int rc = strlen(text) < 24 ? casework_school_name(s, text, name, 128) : 0;
    if (rc < 0)
        return fail_store(s, o);
    if (rc == 1) {
        snprintf(kind, 10, "school");
        snprintf(code, 24, "%s", text);
        if (!*name)
            snprintf(name, 128, "学校 %s", text);
        return 0;
    }
    return failed_at(o, OUT_INVALID, "unit",
                     "单位“%s”不是本县的乡镇，也不是当前学籍名单中的学校标识码", text);
}

/* A line of text: required, at most max characters, and no ID number in it. */
static int check_text(const char *text, const char *key, const char *label, size_t max,
                      bool required, struct outcome *o)
{
    if (!text || !*text)
        return required ? failed_at(o, OUT_INVALID, key, "请填写%s", label) : 0;
    if (utf8_count(text, strlen(text)) > max)
        return failed_at(o, OUT_INVALID, key, "%s最多 %zu 字", label, max);
    if (text_has_id_number(text))
        return failed_at(o, OUT_INVALID, key,
                         "%s中不能写身份证号（检查结果要公告）：请写单位和问题，不写儿童的身份信息",
                         label);
    return 0;
}

int inspection_create(struct store *s, const struct scope *sc, const struct inspection_input *in,
                      const char *actor, int64_t *new_id, struct buf *msg, struct outcome *o)
{
    (void)sc;
    int on;
    if (casework_date("检查日期", "on", in->on, 0, &on, o) < 0 ||
        check_text(in->inspectors, "inspectors", "检查人员", 100, true, o) < 0 ||
        check_text(in->summary, "summary", "检查情况", 2000, false, o) < 0)
        return -1;
    if (!in->units || !*in->units)
        return failed_at(o, OUT_INVALID, "units", "请填写检查的单位（乡镇或学校，每行一个）");
    struct inspection_unit_row {
        char kind[10], code[24], name[128];
    } *units = NULL;
    size_t n = 0, alloc = 0;
    int rc = -1;
    const char *p = in->units;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char line[128];
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\r'))
            len--;
        while (len && *p == ' ')
            p++, len--;
        if (len >= sizeof(line)) {
            failed_at(o, OUT_INVALID, "units", "检查的单位太长");
            goto out;
        }
        memcpy(line, p, len);
        line[len] = '\0';
        if (*line) {
            ALLOC_GROW(units, n + 1, alloc);
            if (inspection_unit(s, line, units[n].kind, units[n].code, units[n].name, o) < 0)
                goto out;
            bool dup = false;
            for (size_t i = 0; i < n; i++)
                dup = dup || (!strcmp(units[i].kind, units[n].kind) &&
                              !strcmp(units[i].code, units[n].code));
            if (!dup)
                n++;
        }
        p = e ? e + 1 : p + len;
    }
    if (!n) {
        failed_at(o, OUT_INVALID, "units", "请填写检查的单位（乡镇或学校，每行一个）");
        goto out;
    }
    char day[11], now[32], target[AUDIT_TARGET_SIZE], detail[64];
    date_format(on, day);
    date_now_text(now, sizeof(now));
    if (store_begin(s) < 0) {
        fail_store(s, o);
        goto out;
    }
    struct stmt *q = store_prepare(s, "INSERT INTO inspection (on_date, inspectors, summary,"
                                      " created_by, created_at) VALUES ($1, $2, $3, $4, $5)"
                                      " RETURNING id");
    if (!q)
        goto fail;
    stmt_bind_str(q, 1, day);
    stmt_bind_str(q, 2, in->inspectors);
    stmt_bind_str(q, 3, in->summary);
    stmt_bind_str(q, 4, actor);
    stmt_bind_str(q, 5, now);
    int step = stmt_step(q);
    *new_id = step == 1 ? stmt_int(q, 0) : 0;
    stmt_finalize(q);
    if (step != 1)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        struct stmt *u = store_prepare(s, "INSERT INTO inspection_unit (inspection_id, unit_kind,"
                                          " unit_code, unit_name) VALUES ($1, $2, $3, $4)");
        if (!u)
            goto fail;
        stmt_bind_int(u, 1, *new_id);
        stmt_bind_str(u, 2, units[i].kind);
        stmt_bind_str(u, 3, units[i].code);
        stmt_bind_str(u, 4, units[i].name);
        step = stmt_step(u);
        stmt_finalize(u);
        if (step < 0)
            goto fail;
    }
    audit_target(target, OBJ_INSPECTION, *new_id);
    snprintf(detail, sizeof(detail), "检查日期 %s，%zu 个单位", day, n);
    if (audit_record(s, actor, NULL, "inspection_create", target, detail) < 0 ||
        store_commit(s) < 0)
        goto fail;
    buf_addf(msg, "已记录督导检查 %lld（%s，检查 %zu 个单位）；请逐条记录发现的问题和整改要求",
             (long long)*new_id, day, n);
    rc = 0;
    goto out;
fail:
    fail_store(s, o);
    store_rollback(s);
out:
    free(units);
    return rc;
}

int inspection_finding(struct store *s, const struct scope *sc, int64_t id,
                       const struct finding_input *in, const char *actor, int64_t *new_id,
                       struct buf *msg, struct outcome *o)
{
    (void)sc;
    struct stmt *q = store_prepare(s, "SELECT on_date FROM inspection WHERE id = $1");
    if (!q)
        return fail_store(s, o);
    stmt_bind_int(q, 1, id);
    int rc = stmt_step(q);
    int on = rc == 1 ? date_or_zero(stmt_text(q, 0)) : 0;
    stmt_finalize(q);
    if (rc < 0)
        return fail_store(s, o);
    if (rc == 0)
        return failed(o, OUT_NOT_FOUND, "没有编号为 %lld 的督导检查", (long long)id);
    char kind[10], code[24], name[128];
    if (inspection_unit(s, in->unit, kind, code, name, o) < 0 ||
        check_text(in->text, "text", "发现的问题", 500, true, o) < 0 ||
        check_text(in->person, "person", "责任人", 40, true, o) < 0)
        return -1;
    int deadline;
    if (!in->deadline || !*in->deadline)
        return failed_at(o, OUT_INVALID, "deadline", "请填写整改期限");
    if (date_parse(in->deadline, strlen(in->deadline), &deadline) < 0)
        return failed_at(o, OUT_INVALID, "deadline", "整改期限“%s”不是有效的日期", in->deadline);
    if (deadline <= on)
        return failed_at(o, OUT_INVALID, "deadline", "整改期限应在检查日期之后");
    char dl[11], now[32], target[AUDIT_TARGET_SIZE], detail[96];
    date_format(deadline, dl);
    date_now_text(now, sizeof(now));
    if (store_begin(s) < 0)
        return fail_store(s, o);
    int64_t fid = 0;
    q = store_prepare(s, "INSERT INTO finding (inspection_id, text, unit_kind, unit_code,"
                         " unit_name, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                         " RETURNING id");
    if (!q)
        goto fail;
    stmt_bind_int(q, 1, id);
    stmt_bind_str(q, 2, in->text);
    stmt_bind_str(q, 3, kind);
    stmt_bind_str(q, 4, code);
    stmt_bind_str(q, 5, name);
    stmt_bind_str(q, 6, actor);
    stmt_bind_str(q, 7, now);
    rc = stmt_step(q);
    fid = rc == 1 ? stmt_int(q, 0) : 0;
    stmt_finalize(q);
    if (rc != 1)
        goto fail;
    q = store_prepare(s, "INSERT INTO rectify (finding_id, inspection_id, unit_kind, unit_code,"
                         " unit_name, person, deadline, state) VALUES ($1, $2, $3, $4, $5, $6,"
                         " $7, 'open') RETURNING id");
    if (!q)
        goto fail;
    stmt_bind_int(q, 1, fid);
    stmt_bind_int(q, 2, id);
    stmt_bind_str(q, 3, kind);
    stmt_bind_str(q, 4, code);
    stmt_bind_str(q, 5, name);
    stmt_bind_str(q, 6, in->person);
    stmt_bind_str(q, 7, dl);
    rc = stmt_step(q);
    *new_id = rc == 1 ? stmt_int(q, 0) : 0;
    stmt_finalize(q);
    if (rc != 1)
        goto fail;
    char today[11]; /* the item dates from the inspection that found it */
    date_format(on, today);
    struct buf text = BUF_INIT;
    buf_addf(&text, "限期整改：%s（责任人 %s，期限 %s）", in->text, in->person, dl);
    rc = rectify_event_add(s, *new_id, today, "open", text.buf, actor, now);
    buf_release(&text);
    audit_target(target, OBJ_INSPECTION, id);
    snprintf(detail, sizeof(detail), "整改事项 %lld，期限 %s", (long long)*new_id, dl);
    if (rc < 0 || audit_record(s, actor, NULL, "finding_add", target, detail) < 0 ||
        store_commit(s) < 0)
        goto fail;
    buf_addf(msg, "已记录督导检查 %lld 发现的问题，%s限期 %s 前整改（整改事项 %lld）",
             (long long)id, name, dl, (long long)*new_id);
    return 0;
fail:
    fail_store(s, o);
    store_rollback(s);
    return -1;
}

int rectify_event_add(struct store *s, int64_t id, const char *day, const char *action,
                      const char *text, const char *actor, const char *now)
{
    struct stmt *q = store_prepare(s, "INSERT INTO rectify_event (rectify_id, on_date, action,"
                                      " text, actor, at) VALUES ($1, $2, $3, $4, $5, $6)");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, id);
    stmt_bind_str(q, 2, day);
    stmt_bind_str(q, 3, action);
    stmt_bind_str(q, 4, text);
    stmt_bind_str(q, 5, actor && *actor ? actor : "unknown");
    stmt_bind_str(q, 6, now);
    int rc = stmt_step(q);
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

int rectify_row(struct store *s, int64_t id, struct rectify_row *r)
{
    memset(r, 0, sizeof(*r));
    struct stmt *q = store_prepare(s, "SELECT unit_kind, unit_code, unit_name, state, deadline,"
                                      " inspection_id FROM rectify WHERE id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, id);
    int rc = stmt_step(q);
    if (rc == 1) {
        snprintf(r->unit_kind, sizeof(r->unit_kind), "%s", stmt_text(q, 0));
        snprintf(r->unit_code, sizeof(r->unit_code), "%s", stmt_text(q, 1));
        snprintf(r->unit_name, sizeof(r->unit_name), "%s", stmt_text(q, 2));
        r->state = rectify_state_parse(stmt_text(q, 3));
        r->deadline = date_or_zero(stmt_text(q, 4));
        r->inspection = stmt_int(q, 5);
    }
    stmt_finalize(q);
    return rc;
}

int rectify_reach(struct store *s, const struct scope *sc, int64_t id, bool write,
                  struct outcome *o)
{
    struct rectify_row r;
    int rc = rectify_row(s, id, &r);
    if (rc < 0)
        return fail_store(s, o);
    bool mine = inspection_unit_is_scope(sc, r.unit_kind, r.unit_code);
    if (rc == 0 || (!mine && !inspection_reads_all(sc)))
        return failed(o, OUT_NOT_FOUND, "没有编号为 %lld 的整改事项，或不是本单位的",
                      (long long)id);
    if (write && !mine)
        return failed(o, OUT_FORBIDDEN, "整改材料由责任单位（%s）的账号提交", r.unit_name);
    return 0;
}

int64_t rectify_inspection(struct store *s, const struct scope *sc, int64_t id, struct outcome *o)
{
    struct rectify_row r;
    if (rectify_reach(s, sc, id, false, o) < 0)
        return 0;
    if (rectify_row(s, id, &r) != 1) {
        fail_store(s, o);
        return 0;
    }
    return r.inspection;
}

static const char *const act_keys[] = {[RA_PROGRESS] = "progress",
                                       [RA_SUBMIT] = "submit",
                                       [RA_ACCEPT] = "accept",
                                       [RA_RETURN] = "return"};
static const char *const act_labels[] = {[RA_PROGRESS] = "整改进展",
                                         [RA_SUBMIT] = "提交整改材料",
                                         [RA_ACCEPT] = "验收通过",
                                         [RA_RETURN] = "退回重改"};

int rectify_act(struct store *s, const struct scope *sc, int64_t id, enum rectify_act act,
                const struct rectify_input *in, const char *actor, struct buf *msg,
                struct outcome *o)
{
    bool unit_act = act == RA_PROGRESS || act == RA_SUBMIT;
    /* the unit's acts need the unit's account; the decisions PERM_INSPECT (the row's) */
    if (rectify_reach(s, sc, id, unit_act, o) < 0)
        return -1;
    struct rectify_row r;
    if (rectify_row(s, id, &r) != 1)
        return fail_store(s, o);
    int next = r.state < 0 ? -1 : rectify_next((enum rectify_state)r.state, act);
    if (next < 0)
        return failed(o, OUT_INVALID, "整改事项 %lld 现在是“%s”，不能%s", (long long)id,
                      r.state >= 0 ? state_words[r.state].label : "未知状态", act_labels[act]);
    const char *what = act == RA_PROGRESS ? "整改进展"
                       : act == RA_SUBMIT ? "整改情况"
                       : act == RA_RETURN ? "退回的理由"
                                          : "验收意见";
    if (check_text(in->text, "text", what, 1000, act != RA_ACCEPT, o) < 0)
        return -1;
    int on;
    if (casework_date("日期", "on", in->on, 0, &on, o) < 0)
        return -1;
    char day[11], now[32], idt[24], target[AUDIT_TARGET_SIZE], detail[96];
    date_format(on, day);
    date_now_text(now, sizeof(now));
    snprintf(idt, sizeof(idt), "%lld", (long long)id);
    const char *text = in->text && *in->text ? in->text : "";
    const char *args[] = {idt, state_words[next].key, text, day, actor ? actor : ""};
    const char *sql = act == RA_PROGRESS ? NULL
                      : act == RA_SUBMIT
                          ? "UPDATE rectify SET state = $2, evidence = $3, submitted_on = $4,"
                            " submitted_by = $5 WHERE id = CAST($1 AS BIGINT)"
                          : "UPDATE rectify SET state = $2, decision_comment = $3,"
                            " decided_on = $4, decided_by = $5 WHERE id = CAST($1 AS BIGINT)";
    struct buf line = BUF_INIT;
    buf_addf(&line, "%s%s%s", act_labels[act], *text ? "：" : "", text);
    if (store_begin(s) < 0) {
        buf_release(&line);
        return fail_store(s, o);
    }
    int rc = sql ? store_run(s, sql, 5, args) : 0;
    if (rc == 0)
        rc = rectify_event_add(s, id, day, act_keys[act], line.buf, actor, now);
    buf_release(&line);
    audit_target(target, OBJ_RECTIFY, id);
    snprintf(detail, sizeof(detail), "整改事项 %lld：%s", (long long)id, act_labels[act]);
    if (rc < 0 ||
        audit_record(s, actor, NULL, unit_act ? "rectify_update" : "rectify_decide", target,
                     detail) < 0 ||
        store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "整改事项 %lld（%s）：%s", (long long)id, r.unit_name,
             act == RA_PROGRESS ? "已记录整改进展"
             : act == RA_SUBMIT ? "已提交整改材料，待检查组验收"
             : act == RA_ACCEPT ? "已验收通过"
                                : "已退回重改");
    return 0;
}

int rectify_due_each(struct store *s, const char *township, bool decided,
                     void (*fn)(void *ctx, const struct rectify_due *d), void *ctx)
{
    struct stmt *q = store_prepare(
        s, "SELECT r.id, r.unit_kind, r.unit_code, r.unit_name, r.deadline, r.state, f.text"
           " FROM rectify r JOIN finding f ON f.id = r.finding_id"
           " WHERE (r.state IN ('open', 'returned') OR ($2 = 1 AND r.state = 'submitted'))"
           " AND (CAST($1 AS TEXT) IS NULL OR (r.unit_kind = 'township' AND r.unit_code = $1))"
           " ORDER BY r.id");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, township && *township ? township : NULL);
    stmt_bind_int(q, 2, decided ? 1 : 0);
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        struct rectify_due d = {.id = stmt_int(q, 0)};
        snprintf(d.unit_kind, sizeof(d.unit_kind), "%s", stmt_text(q, 1));
        snprintf(d.unit_code, sizeof(d.unit_code), "%s", stmt_text(q, 2));
        snprintf(d.unit_name, sizeof(d.unit_name), "%s", stmt_text(q, 3));
        d.due = date_or_zero(stmt_text(q, 4));
        bool submitted = !strcmp(stmt_text(q, 5), "submitted");
        char text[64];
        text_prefix(stmt_text(q, 6), 18, text, sizeof(text));
        snprintf(d.what, sizeof(d.what), "%s：%s", submitted ? "整改验收" : "限期整改", text);
        fn(ctx, &d);
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

int rectify_overdue_counts(struct store *s, int today, struct rectify_overdue **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    char day[11];
    date_format(today, day);
    struct stmt *q = store_prepare(
        s, "SELECT unit_kind, unit_code, max(unit_name),"
           " sum(CASE WHEN state IN ('open', 'returned') AND deadline < $1 THEN 1 ELSE 0 END),"
           " sum(CASE WHEN state <> 'accepted' THEN 1 ELSE 0 END)"
           " FROM rectify GROUP BY unit_kind, unit_code ORDER BY unit_kind DESC, unit_code");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, day);
    size_t alloc = 0;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(*out, *n + 1, alloc);
        struct rectify_overdue *r = &(*out)[(*n)++];
        memset(r, 0, sizeof(*r));
        snprintf(r->unit_kind, sizeof(r->unit_kind), "%s", stmt_text(q, 0));
        snprintf(r->unit_code, sizeof(r->unit_code), "%s", stmt_text(q, 1));
        snprintf(r->unit_name, sizeof(r->unit_name), "%s", stmt_text(q, 2));
        r->overdue = (int)stmt_int(q, 3);
        r->open = (int)stmt_int(q, 4);
    }
    stmt_finalize(q);
    if (rc < 0) {
        free(*out);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}
