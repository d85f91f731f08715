/* The rows of a case's actions (一人一案, docs/casework.md): assignment, persuasion attempts,
 * the legal ladder, the outcome, follow-ups, 销号, reopening and the notices. */
#include "casework/case.h"
#include "casework/casework.h"
#include "core/words.h"
#include "render/notice.h"
#include "verb/rows.h"

#include "util/common.h"

/* ---- case.assign (and verify.assign, rows_verify.c) ---- */

static int case_assign_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return casework_assign(c->s, 0, c->id, in, c->actor, &c->msg, o);
}

const struct verb verb_case_assign = {
    .name = "case.assign",
    .summary = "指派案件责任人",
    .method = "POST",
    .path = "/api/v1/cases/{id}/assign",
    .perm = PERM_CASEWORK,
    .object = SCOPE_CASE,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "案件编号",
    .audit = "assign",
    .size = sizeof(struct assign_input),
    .fields = assign_fields,
    .nfields = ASSIGN_FIELDS,
    .run = case_assign_run,
};

/* ---- case.attempt ---- */

static const struct verb_field attempt_fields[] = {
    FIELD(struct attempt_input, method, VT_WORD, "劝返方式", VF_REQUIRED, &attempt_methods, NULL),
    FIELD(struct attempt_input, people, VT_TEXT, "参加人员", VF_REQUIRED, NULL, NULL),
    FIELD(struct attempt_input, result, VT_TEXT, "结果", VF_REQUIRED, NULL, NULL),
    FIELD(struct attempt_input, date, VT_DATE, "日期", 0, NULL, "默认今天"),
    FIELD(struct attempt_input, said, VT_PROSE, "谈话内容", 0, NULL, NULL),
    FIELD(struct attempt_input, response, VT_PROSE, "家庭回应", 0, NULL, NULL),
    FIELD_ALIAS(struct attempt_input, next_step, VT_TEXT, "下一步", 0, NULL, NULL, "next"),
    FIELD(struct attempt_input, corrects, VT_INT, "更正的记录编号", 0, NULL,
          "更正时填写被更正的劝返记录编号，原记录保留"),
    FIELD(struct attempt_input, reason, VT_PROSE, "更正原因", 0, NULL,
          "更正时必填：为什么更正（原记录保留，标为已更正）"),
};

static int case_attempt_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return case_attempt(c->s, c->id, in, c->actor, &c->msg, o);
}

const struct verb verb_case_attempt = {
    .name = "case.attempt",
    .summary = "记录一次劝返",
    .method = "POST",
    .path = "/api/v1/cases/{id}/attempts",
    .perm = PERM_CASES,
    .object = SCOPE_CASE,
    .action = ACT_ATTEMPT,
    .target = VTG_ID,
    .target_label = "案件编号",
    .audit = "case_attempt",
    .size = sizeof(struct attempt_input),
    .fields = FIELDS(attempt_fields),
    .run = case_attempt_run,
};

/* ---- case.escalate ---- */

static const struct verb_field ladder_fields[] = {
    FIELD(struct ladder_input, step, VT_WORD, "步骤", VF_REQUIRED, &ladder_steps,
          "宣传教育、书面通知、行政处罚、申请强制执行（或 1–4）"),
    FIELD(struct ladder_input, authority, VT_TEXT, "实施机关", VF_REQUIRED, NULL, NULL),
    FIELD(struct ladder_input, date, VT_DATE, "日期", 0, NULL, "默认今天"),
    FIELD(struct ladder_input, deadline, VT_DATE, "限期", 0, NULL, NULL),
    FIELD(struct ladder_input, result, VT_TEXT, "结果", 0, NULL, NULL),
};

static int case_escalate_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return case_escalate(c->s, c->id, in, c->actor, &c->msg, o);
}

const struct verb verb_case_escalate = {
    .name = "case.escalate",
    .summary = "记录依法控辍步骤",
    .method = "POST",
    .path = "/api/v1/cases/{id}/escalate",
    .perm = PERM_CASEWORK,
    .object = SCOPE_CASE,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "案件编号",
    .audit = "case_escalate",
    .size = sizeof(struct ladder_input),
    .fields = FIELDS(ladder_fields),
    .run = case_escalate_run,
};

/* ---- case.resolve ---- */

static const struct verb_field resolve_fields[] = {
    FIELD(struct resolve_input, outcome, VT_WORD, "劝返结果", VF_REQUIRED, &case_outcomes, NULL),
    FIELD(struct resolve_input, school, VT_TEXT, "学校", 0, NULL, "复学、特殊教育学校、职业教育"),
    FIELD(struct resolve_input, grade, VT_TEXT, "年级", 0, NULL, NULL),
    FIELD(struct resolve_input, visits_per_week, VT_INT, "每周送教次数", 0, NULL, "送教上门"),
    FIELD(struct resolve_input, hours, VT_INT, "每次课时", 0, NULL, "送教上门"),
    FIELD(struct resolve_input, date, VT_DATE, "日期", 0, NULL, "默认今天"),
    FIELD(struct resolve_input, note, VT_PROSE, "说明", 0, NULL, NULL),
};

static int case_resolve_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return case_resolve(c->s, c->id, in, c->actor, &c->msg, o);
}

const struct verb verb_case_resolve = {
    .name = "case.resolve",
    .summary = "记录劝返结果",
    .method = "POST",
    .path = "/api/v1/cases/{id}/resolve",
    .perm = PERM_CASEWORK,
    .object = SCOPE_CASE,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "案件编号",
    .audit = "case_resolve",
    .size = sizeof(struct resolve_input),
    .fields = FIELDS(resolve_fields),
    .run = case_resolve_run,
};

/* ---- case.follow-up ---- */

static const struct verb_field followup_fields[] = {
    FIELD(struct followup_input, in_school, VT_YESNO, "是否在校", VF_REQUIRED, NULL, "是或否"),
    FIELD(struct followup_input, by, VT_NAME, "回访人", VF_REQUIRED, NULL,
          "人员名册中的编号或姓名"),
    FIELD(struct followup_input, date, VT_DATE, "回访日期", 0, NULL, "默认今天"),
    FIELD(struct followup_input, note, VT_PROSE, "说明", 0, NULL, NULL),
};

static int case_follow_up_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return case_follow_up(c->s, c->id, in, c->actor, &c->msg, o);
}

const struct verb verb_case_follow_up = {
    .name = "case.follow-up",
    .summary = "记录巩固回访",
    .method = "POST",
    .path = "/api/v1/cases/{id}/follow-ups",
    .perm = PERM_CASES,
    .object = SCOPE_CASE,
    .action = ACT_FOLLOW_UP,
    .target = VTG_ID,
    .target_label = "案件编号",
    .audit = "case_follow_up",
    .size = sizeof(struct followup_input),
    .fields = FIELDS(followup_fields),
    .run = case_follow_up_run,
};

/* ---- case.close: 销号, approved by a county account that did not handle the case ---- */

struct close_input {
    const char *approver; /* the command line names the account; the server uses the caller's */
    const char *reason, *date;
};

static const struct verb_field close_fields[] = {
    FIELD(struct close_input, reason, VT_PROSE, "销号理由", VF_REQUIRED, NULL, NULL),
    FIELD(struct close_input, date, VT_DATE, "销号日期", 0, NULL, "默认今天"),
    FIELD(struct close_input, approver, VT_NAME, "审批人", VF_CLI | VF_REQUIRED, NULL,
          "未经办此案的县教育局账号"),
};

static int case_close_run(struct verb_call *c, const void *in_, struct outcome *o)
{
    const struct close_input *in = in_;
    const char *approver = in->approver ? in->approver : c->actor;
    return case_close(c->s, c->id, approver, in->reason, in->date, c->actor, &c->msg, o);
}

const struct verb verb_case_close = {
    .name = "case.close",
    .summary = "销号",
    .method = "POST",
    .path = "/api/v1/cases/{id}/close",
    .perm = PERM_APPROVE,
    .object = SCOPE_CASE,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "案件编号",
    .audit = "case_close",
    .size = sizeof(struct close_input),
    .fields = FIELDS(close_fields),
    .run = case_close_run,
};

/* ---- case.reopen ---- */

struct reopen_input {
    const char *reason;
};

static const struct verb_field reopen_fields[] = {
    FIELD(struct reopen_input, reason, VT_PROSE, "重新打开的原因", VF_REQUIRED, NULL, NULL),
};

static int case_reopen_run(struct verb_call *c, const void *in_, struct outcome *o)
{
    const struct reopen_input *in = in_;
    return case_reopen(c->s, c->id, in->reason, c->actor, &c->msg, o);
}

const struct verb verb_case_reopen = {
    .name = "case.reopen",
    .summary = "重新打开案件",
    .method = "POST",
    .path = "/api/v1/cases/{id}/reopen",
    .perm = PERM_CASEWORK,
    .object = SCOPE_CASE,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "案件编号",
    .audit = "case_reopen",
    .size = sizeof(struct reopen_input),
    .fields = FIELDS(reopen_fields),
    .run = case_reopen_run,
};

/* ---- case.notice: the ladder's notices as a PDF (an event of the case) ---- */

static const struct verb_field notice_fields[] = {
    FIELD(struct notice_input, kind, VT_TEXT, "通知书", VF_REQUIRED, NULL,
          "劝返复学通知书（return）或责令限期改正通知书（order）"),
    FIELD(struct notice_input, date, VT_DATE, "落款日期", 0, NULL, "默认今天"),
    FIELD(struct notice_input, deadline, VT_DATE, "限期", 0, NULL, "默认取依法控辍第 2 步的限期"),
    FIELD(struct notice_input, authority, VT_TEXT, "发文机关", 0, NULL, "默认乡镇人民政府"),
    FIELD(struct notice_input, doc_number, VT_TEXT, "文号", 0, NULL, NULL),
    FIELD(struct notice_input, school, VT_TEXT, "返校学校", 0, NULL, NULL),
    FIELD(struct notice_input, grade, VT_TEXT, "年级", 0, NULL, NULL),
    FIELD(struct notice_input, contact, VT_TEXT, "联系人", 0, NULL, "默认包保干部"),
    FIELD(struct notice_input, full, VT_YESNO, "显示完整身份证号", VF_FLAG, NULL, "记入审计日志"),
};

static int case_notice_run(struct verb_call *c, const void *in_, struct outcome *o)
{
    const struct notice_input *in = in_;
    if (in->full && !role_has(c->scope->role, PERM_FULL_ID))
        return failed_at(o, OUT_FORBIDDEN, "full", "您的账号无权查看完整身份证号和电话");
    if (case_notice(c->s, c->id, in, c->out_path, c->actor, &c->msg, o) < 0)
        return -1;
    int k = notice_kind_parse(in->kind);
    snprintf(c->file_name, sizeof(c->file_name), "%s-案件%lld.pdf",
             k >= 0 ? notice_kind_label((enum notice_kind)k) : "通知书", (long long)c->id);
    return 0;
}

const struct verb verb_case_notice = {
    .name = "case.notice",
    .summary = "出具通知书（PDF）",
    .method = "POST",
    .path = "/api/v1/cases/{id}/notice",
    .perm = PERM_WRITE,
    .object = SCOPE_CASE,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "案件编号",
    .audit = "notice",
    .flags = VERB_FILE_OUT,
    .size = sizeof(struct notice_input),
    .fields = FIELDS(notice_fields),
    .run = case_notice_run,
};
