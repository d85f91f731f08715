/* The API's casework: verification tasks, cases (attempts, the legal ladder, follow-ups, closing,
 * notices as PDF) and the due tasks; thin handlers over casework/. */
#include "casework/case.h"
#include "casework/casework.h"
#include "casework/detail.h"
#include "http/api.h"
#include "http/args.h"
#include "http/reply.h"
#include "http/request.h"
#include "render/table.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"

void verify_list_h(struct request *r)
{
    struct verify_filter f = {0};
    struct paging pg;
    if (!arg_reach(r, SCOPE_TASK, &f.township, &f.school_ties, &f.school, &f.school_name) ||
        !arg_text(r, "state", 16, &f.state) || !arg_paging(r, &pg) || !arg_full(r, &f.full) ||
        (f.full && !audit_full(r, "verify list full=1", NULL)))
        return;
    /* a department reads outcomes, which are closed tasks */
    if (!f.state && !scope_reads_story(&r->scope))
        f.state = "all";
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    int rc = verify_list(r->store, &f, &t, &o);
    reply_table_paged(r, rc, &t, &o, &pg);
}

/* One task or case: the CLI's text and the screens' fields, with an audited full=1. */
static void show_object(struct request *r, enum audit_object kind, const char *audit_what,
                        int (*show)(struct store *, int64_t, bool, struct buf *, struct outcome *),
                        json_t *(*detail)(struct store *, int64_t, bool, bool *))
{
    bool full, found;
    int64_t id = path_id(r);
    char target[AUDIT_TARGET_SIZE];
    audit_target(target, kind, id);
    if (!arg_full(r, &full) || (full && !audit_full(r, audit_what, target)))
        return;
    struct buf out = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = show(r->store, id, full, &out, &o);
    show_reply(r, rc, id, &out, &o, rc < 0 ? NULL : detail(r->store, id, full, &found));
}

/*
 * A task as a department reads it (scope_reads_story false): the child, masked, and the
 * outcome its duty needs, without who was assigned, the timeline or the CLI's whole text.
 */
static void verify_outcome_only(struct request *r)
{
    bool full, found;
    int64_t id = path_id(r);
    if (!arg_full(r, &full))
        return;
    json_t *j = verify_detail(r->store, id, false, &found);
    if (!j) {
        struct outcome o = OUTCOME_INIT;
        if (found)
            fail_store(r->store, &o);
        else
            failed(&o, OUT_NOT_FOUND, "没有这个核查任务");
        reply_outcome(r, &o);
        outcome_release(&o);
        return;
    }
    static const char *const story[] = {"assignees",   "timeline",   "choices",  "case_id",
                                        "flagged_run", "can_record", "deadline", "open"};
    for (size_t i = 0; i < ARRAY_SIZE(story); i++)
        json_object_del(j, story[i]);
    json_t *c = json_object_get(j, "child"), *o = json_object_get(j, "outcome");
    json_object_del(c, "phone");
    json_object_del(c, "guardian");
    const char *label = json_string_value(json_object_get(o, "label"));
    const char *sub = json_string_value(json_object_get(o, "subkind_label"));
    json_object_set_new(j, "text",
                        json_sprintf("核查任务 %lld：%s（%s），%s %s；核查结论：%s%s%s",
                                     (long long)id, json_string_value(json_object_get(c, "name")),
                                     json_string_value(json_object_get(c, "id_number"))
                                         ? json_string_value(json_object_get(c, "id_number"))
                                         : "无身份证号",
                                     json_string_value(json_object_get(j, "township")),
                                     json_string_value(json_object_get(c, "village"))
                                         ? json_string_value(json_object_get(c, "village"))
                                         : "",
                                     label ? label : "尚无", sub ? "：" : "", sub ? sub : ""));
    json_object_set_new(j, "need_to_know", json_true());
    reply_json(r, MHD_HTTP_OK, j);
}

void verify_show_h(struct request *r)
{
    if (!scope_reads_story(&r->scope))
        verify_outcome_only(r);
    else
        show_object(r, OBJ_TASK, "verify show full=1", verify_show, verify_detail);
}

void verify_outcome_h(struct request *r)
{
    static const char *const f[] = {"outcome", "subkind",  "date",   "by",           "note",
                                    "school",  "evidence", "reason", "other_reasons"};
    const char *v[ARRAY_SIZE(f)];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    struct verify_input in = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]};
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = verify_record(r->store, path_id(r), &in, r->scope.user, &msg, &o);
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}

static const char *const assign_fields[] = {"township", "village", "teacher", "reason"};

static void assign(struct request *r, bool is_case)
{
    const char *v[ARRAY_SIZE(assign_fields)];
    json_t *j = BODY(assign_fields, v);
    if (!j)
        return;
    struct assign_input in = {v[0], v[1], v[2], v[3]};
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int64_t id = path_id(r);
    int rc =
        casework_assign(r->store, is_case ? 0 : id, is_case ? id : 0, &in, r->scope.user, &msg, &o);
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}

void verify_assign_h(struct request *r)
{
    assign(r, false);
}

void case_assign_h(struct request *r)
{
    assign(r, true);
}

void case_list_h(struct request *r)
{
    struct case_filter f = {0};
    struct paging pg;
    if (!arg_reach(r, SCOPE_CASE, &f.township, &f.school_ties, &f.school, &f.school_name) ||
        !arg_text(r, "state", 16, &f.state) || !arg_paging(r, &pg) || !arg_full(r, &f.full) ||
        (f.full && !audit_full(r, "case list full=1", NULL)))
        return;
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    int rc = case_list(r->store, &f, &t, &o);
    reply_table_paged(r, rc, &t, &o, &pg);
}

void case_show_h(struct request *r)
{
    show_object(r, OBJ_CASE, "case show full=1", case_show, case_detail);
}

void case_attempt_h(struct request *r)
{
    static const char *const f[] = {"date",     "method", "people",    "said",
                                    "response", "result", "next_step", "corrects"};
    const char *v[ARRAY_SIZE(f)];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    struct attempt_input in = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]};
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = case_attempt(r->store, path_id(r), &in, r->scope.user, &msg, &o);
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}

void case_escalate_h(struct request *r)
{
    static const char *const f[] = {"step", "date", "authority", "deadline", "result"};
    const char *v[ARRAY_SIZE(f)];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    struct ladder_input in = {v[0], v[1], v[2], v[3], v[4]};
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = case_escalate(r->store, path_id(r), &in, r->scope.user, &msg, &o);
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}

void case_resolve_h(struct request *r)
{
    static const char *const f[] = {"outcome",         "date",  "school", "grade",
                                    "visits_per_week", "hours", "note"};
    const char *v[ARRAY_SIZE(f)];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    struct resolve_input in = {v[0], v[1], v[2], v[3], v[4], v[5], v[6]};
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = case_resolve(r->store, path_id(r), &in, r->scope.user, &msg, &o);
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}

void case_follow_up_h(struct request *r)
{
    static const char *const f[] = {"date", "in_school", "by", "note"};
    const char *v[ARRAY_SIZE(f)];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    struct followup_input in = {v[0], v[1], v[2], v[3]};
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = case_follow_up(r->store, path_id(r), &in, r->scope.user, &msg, &o);
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}

void case_close_h(struct request *r)
{
    /* the approver is the signed-in account (PERM_APPROVE), never a name in the body */
    static const char *const f[] = {"reason", "date"};
    const char *v[ARRAY_SIZE(f)];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = case_close(r->store, path_id(r), r->scope.user, v[0], v[1], r->scope.user, &msg, &o);
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}

void case_reopen_h(struct request *r)
{
    static const char *const f[] = {"reason"};
    const char *v[ARRAY_SIZE(f)];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = case_reopen(r->store, path_id(r), v[0], r->scope.user, &msg, &o);
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}

/* Issuing a notice records it in the case's timeline: a POST (with the CSRF token) that answers
 * with the PDF. */
void case_notice_h(struct request *r)
{
    static const char *const f[] = {"kind",   "date",  "deadline", "authority", "doc_number",
                                    "school", "grade", "contact",  "full"};
    static const size_t max[] = {64, 32, 32, 128, 64, 128, 32, 128, 8};
    static const char *const label[] = {"通知书种类", "日期", "改正期限", "发文机关", "文号",
                                        "学校",       "年级", "联系人",   "完整信息"};
    const char *v[ARRAY_SIZE(f)];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    for (size_t i = 0; i < ARRAY_SIZE(f); i++) {
        if (v[i] && !*v[i])
            v[i] = NULL;
        if (v[i] && strlen(v[i]) > max[i]) {
            char msg[160];
            snprintf(msg, sizeof(msg), "“%s”过长（至多 %zu 字节）", label[i], max[i]);
            json_decref(j);
            reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", f[i], msg);
            return;
        }
    }
    struct notice_input in = {.kind = v[0],
                              .date = v[1],
                              .deadline = v[2],
                              .authority = v[3],
                              .doc_number = v[4],
                              .school = v[5],
                              .grade = v[6],
                              .contact = v[7],
                              .full = v[8] && (!strcmp(v[8], "是") || !strcmp(v[8], "1"))};
    if (in.full && !role_has(r->scope.role, PERM_FULL_ID)) {
        json_decref(j);
        reply_error(r, MHD_HTTP_FORBIDDEN, "forbidden", "您的账号无权查看完整身份证号和电话");
        return;
    }
    char dir[512], path[600];
    if (!scratch_dir(dir, sizeof(dir))) {
        json_decref(j);
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "无法创建临时文件");
        return;
    }
    snprintf(path, sizeof(path), "%s/notice.pdf", dir);
    int64_t id = path_id(r);
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    /* the library audits a full ID and records the notice in the case's timeline */
    if (case_notice(r->store, id, &in, path, r->scope.user, &msg, &o) < 0) {
        unlink(path);
        rmdir(dir);
        reply_outcome(r, &o);
    } else {
        char ascii[64], name[96];
        bool order = in.kind && (!strcmp(in.kind, "order") || strstr(in.kind, "责令"));
        snprintf(ascii, sizeof(ascii), "notice-%lld.pdf", (long long)id);
        snprintf(name, sizeof(name), "%s-案件%lld.pdf",
                 order ? "责令限期改正通知书" : "劝返复学通知书", (long long)id);
        reply_file(r, dir, path, "application/pdf", ascii, name);
    }
    json_decref(j);
    buf_release(&msg);
    outcome_release(&o);
}

void tasks_h(struct request *r)
{
    struct tasks_filter f = {0};
    const char *overdue;
    struct paging pg;
    if (!arg_township(r, &f.township) || !arg_text(r, "person", 64, &f.person) ||
        !arg_text(r, "overdue", 4, &overdue) || !arg_paging(r, &pg))
        return;
    f.overdue = overdue && !strcmp(overdue, "1");
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    int rc = tasks_list(r->store, &f, &t, &o);
    reply_table_paged(r, rc, &t, &o, &pg);
}
