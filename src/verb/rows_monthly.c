/* The rows of the monthly report's confirmation (issue 17, report/monthly_confirm.h): a township
 * confirms its part of a month (a named person), the county issues the county's report once
 * every township confirmed, or withdraws a township's confirmation (a reason, audited). Who may
 * do which is checked by the functions. */
#include "report/monthly_confirm.h"
#include "verb/rows.h"

#include "util/common.h"

#define MONTH_HINT "年-月，如 2026-10；默认最近一个已到报表日期（15 日）的月份"

static const struct verb_field confirm_fields[] = {
    FIELD(struct monthly_confirm_input, person, VT_NAME, "确认人", VF_REQUIRED, NULL,
          "确认本乡镇月报数字的负责人姓名"),
    FIELD(struct monthly_confirm_input, month, VT_TEXT, "月份", 0, NULL, MONTH_HINT),
    FIELD(struct monthly_confirm_input, township, VT_TEXT, "乡镇", 0, NULL,
          "乡镇代码或名称（乡镇账号为本乡镇，县教育局代录时须写明）"),
    FIELD(struct monthly_confirm_input, note, VT_PROSE, "说明", 0, NULL, NULL),
};

static const struct verb_field issue_fields[] = {
    FIELD(struct monthly_issue_input, month, VT_TEXT, "月份", 0, NULL, MONTH_HINT),
    FIELD(struct monthly_issue_input, note, VT_PROSE, "说明", 0, NULL, NULL),
};

static const struct verb_field withdraw_fields[] = {
    FIELD(struct monthly_withdraw_input, township, VT_TEXT, "乡镇", VF_REQUIRED, NULL,
          "乡镇代码或名称"),
    FIELD(struct monthly_withdraw_input, reason, VT_PROSE, "撤回理由", VF_REQUIRED, NULL,
          "如：数字有误，须更正后重新确认"),
    FIELD(struct monthly_withdraw_input, month, VT_TEXT, "月份", 0, NULL, MONTH_HINT),
};

static int confirm_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return monthly_confirm(c->s, c->scope, in, c->actor, &c->msg, o);
}

static int issue_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return monthly_issue(c->s, c->scope, in, c->actor, &c->msg, o);
}

static int withdraw_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return monthly_withdraw(c->s, c->scope, in, c->actor, &c->msg, o);
}

const struct verb verb_monthly_confirm = {
    .name = "monthly.confirm",
    .summary = "月报：乡镇确认本乡镇一个月的数字（写明确认人；确认后数字冻结）",
    .method = "POST",
    .path = "/api/v1/monthly/confirm",
    .perm = PERM_SUMMARY,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .target = VTG_NONE,
    .audit = "monthly_confirm",
    .size = sizeof(struct monthly_confirm_input),
    .fields = FIELDS(confirm_fields),
    .run = confirm_run,
};

const struct verb verb_monthly_issue = {
    .name = "monthly.issue",
    .summary = "月报：县教育局审定上报全县月报（各乡镇均已确认；表格和文件从此不变）",
    .method = "POST",
    .path = "/api/v1/monthly/issue",
    .perm = PERM_SUMMARY,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .target = VTG_NONE,
    .audit = "monthly_issue",
    .size = sizeof(struct monthly_issue_input),
    .fields = FIELDS(issue_fields),
    .run = issue_run,
};

const struct verb verb_monthly_withdraw = {
    .name = "monthly.withdraw",
    .summary = "月报：县教育局撤回一个乡镇的确认（写明理由；全县月报上报后不能撤回）",
    .method = "POST",
    .path = "/api/v1/monthly/withdraw",
    .perm = PERM_SUMMARY,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .target = VTG_NONE,
    .audit = "monthly_withdraw",
    .size = sizeof(struct monthly_withdraw_input),
    .fields = FIELDS(withdraw_fields),
    .run = withdraw_run,
};
