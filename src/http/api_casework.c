/* The API's casework reads: verification tasks, cases and the due tasks; thin handlers over
 * casework/ (every change is an action row, verb/rows_case.c and rows_verify.c). */
#include "casework/case.h"
#include "casework/casework.h"
#include "casework/detail.h"
#include "casework/placement.h"
#include "core/date.h"
#include "http/api.h"
#include "http/args.h"
#include "http/reply.h"
#include "http/request.h"
#include "render/table.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"
#include "verb/verb.h"

void verify_list_h(struct request *r)
{
    struct verify_filter f = {0};
    struct paging pg;
    f.user_id = r->scope.user_id;
    if (!arg_reach(r, SCOPE_TASK, &f.township, &f.school_ties, &f.school, &f.school_name) ||
        !arg_text(r, "state", 16, &f.state) || !arg_text(r, "group", 32, &f.group) ||
        !arg_paging(r, &pg) || !arg_full(r, &f.full) ||
        (f.full && !audit_full(r, "核查任务列表（完整身份证号和电话）", NULL)))
        return;
    /* a department reads outcomes, which are closed tasks, and no priority group on them (the
     * police, the one department that reaches tasks, reads no group: scope_groups) */
    if (!scope_reads_story(&r->scope)) {
        if (f.group) {
            reply_error_at(r, MHD_HTTP_FORBIDDEN, "forbidden", "group",
                           "您的账号不能按重点群体查看核查任务");
            return;
        }
        if (!f.state)
            f.state = "all";
        f.groups_seen = ",";
    }
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    int rc = verify_list(r->store, &f, &t, &o);
    reply_table_paged(r, rc, &t, &o, &pg);
}

/*
 * What the caller may do to this task or case, by the action rows of its object: {"attempt":
 * true, "assign": false, …} keyed by the row's subcommand. The same checks as the server's
 * before a write (permission, PERM_WRITE, reach for the row's action), so that a screen offers
 * exactly the forms the API would take.
 */
static json_t *may_json(const struct request *r, enum scope_object what)
{
    json_t *may = json_object();
    for (const struct verb *const *v = verbs; *v; v++) {
        const char *dot = strchr((*v)->name, '.');
        if ((*v)->object != what || !(*v)->path || !dot)
            continue;
        bool ok = role_has(r->scope.role, (*v)->perm) && role_has(r->scope.role, PERM_WRITE) &&
                  scope_object_allows(&r->scope, what, &r->ties, (*v)->action) == OUT_OK;
        json_object_set_new(may, dot + 1, json_boolean(ok));
    }
    return may;
}

/*
 * One task or case: the CLI's text and the screens' fields, with an audited full=1. The
 * accounts of the people assigned to the child (scope's ACT_CONTACT) read the guardian's phone
 * and the home address as stored, each read audited too.
 */
static void show_object(struct request *r, enum audit_object kind, const char *audit_what,
                        int (*show)(struct store *, int64_t, bool, struct buf *, struct outcome *),
                        json_t *(*detail)(struct store *, int64_t, bool, bool, bool *))
{
    bool full, found;
    int64_t id = path_id(r);
    char target[AUDIT_TARGET_SIZE];
    audit_target(target, kind, id);
    if (!arg_full(r, &full) || (full && !audit_full(r, audit_what, target)))
        return;
    enum scope_object what = kind == OBJ_CASE ? SCOPE_CASE : SCOPE_TASK;
    bool contact = !full && scope_object_allows(&r->scope, what, &r->ties, ACT_CONTACT) == OUT_OK;
    if (contact && !audit_full(r, "监护人电话和家庭住址（责任人查看）", target))
        return;
    struct buf out = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = show(r->store, id, full, &out, &o);
    json_t *j = rc < 0 ? NULL : detail(r->store, id, full, contact, &found);
    if (j)
        json_object_set_new(j, "may", may_json(r, what));
    show_reply(r, rc, id, &out, &o, j);
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
    json_t *j = verify_detail(r->store, id, false, false, &found);
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
    /* nor the child's priority groups: no department that reaches a task (the police, for
     * 户籍问题) reads groups (scope_groups) */
    static const char *const story[] = {"assignees", "timeline",    "choices",
                                        "case_id",   "flagged_run", "can_record",
                                        "deadline",  "open",        "groups"};
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
        show_object(r, OBJ_TASK, "核查任务（完整身份证号和电话）", verify_show, verify_detail);
}

void case_list_h(struct request *r)
{
    struct case_filter f = {0};
    struct paging pg;
    f.user_id = r->scope.user_id;
    if (!arg_reach(r, SCOPE_CASE, &f.township, &f.school_ties, &f.school, &f.school_name) ||
        !arg_text(r, "state", 16, &f.state) || !arg_text(r, "group", 32, &f.group) ||
        !arg_paging(r, &pg) || !arg_full(r, &f.full) ||
        (f.full && !audit_full(r, "案件列表（完整身份证号和电话）", NULL)))
        return;
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    int rc = case_list(r->store, &f, &t, &o);
    reply_table_paged(r, rc, &t, &o, &pg);
}

void case_show_h(struct request *r)
{
    show_object(r, OBJ_CASE, "案件（完整身份证号和电话）", case_show, case_detail);
}

void tasks_h(struct request *r)
{
    struct tasks_filter f = {0};
    const char *overdue, *order;
    struct paging pg;
    /* a department's and a school's 待办: their decisions and commitments alone (issue 17) */
    bool own = !role_has(r->scope.role, PERM_CASEWORK);
    if (own && !role_has_todo(r->scope.role)) {
        reply_error(r, MHD_HTTP_FORBIDDEN, "forbidden", perm_refusal(PERM_CASEWORK));
        return;
    }
    if ((!own && (!arg_township(r, &f.township) || !arg_text(r, "person", 64, &f.person))) ||
        !arg_text(r, "overdue", 4, &overdue) || !arg_text(r, "order", 8, &order) ||
        !arg_paging(r, &pg))
        return;
    if (order && *order && strcmp(order, "due")) {
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "order",
                       "排序方式只能是“due”（只按截止日期）；不给时重点群体儿童的事项在前");
        return;
    }
    f.overdue = overdue && !strcmp(overdue, "1");
    f.by_due = order && !strcmp(order, "due");
    /* the review queue's pairs only for those who review (and within the township's reach,
     * which arg_township gave) */
    f.review = role_has(r->scope.role, PERM_REVIEW);
    if (own) {
        f.only_accountability = true;
        f.review = false;
        if (r->scope.role == ROLE_DEPARTMENT)
            f.department = r->scope.department ? r->scope.department : "";
        else
            f.school = r->scope.school ? r->scope.school : "";
    }
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    int rc = tasks_list(r->store, &f, &t, &o);
    reply_table_paged(r, rc, &t, &o, &pg);
}

/* 送教上门: the children placed so that the account reaches, with one month's visits (issue 15) */
void send_teaching_h(struct request *r)
{
    struct placement_filter f = {0};
    const char *month;
    struct paging pg;
    if (!arg_text(r, "township", 32, &f.township) || !arg_text(r, "month", 16, &month) ||
        !arg_paging(r, &pg))
        return;
    if (month && *month) {
        char day[24];
        snprintf(day, sizeof(day), strlen(month) == 7 ? "%s-01" : "%s", month);
        if (date_parse(day, strlen(day), &f.month) < 0) {
            reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "month",
                           "月份应写作 2026-11 或该月中的一天");
            return;
        }
    }
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    int rc = placement_list(r->store, &r->scope, &f, &t, &o);
    reply_table_paged(r, rc, &t, &o, &pg);
}
