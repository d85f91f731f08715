/* The rows of the attendance warnings (issue 16, casework/warning.h): the class teacher or the
 * school records the contact with the family, resolves, or passes a warning to the township;
 * the township answers what was passed to it. The reach is checked by the functions. */
#include "casework/warning.h"
#include "verb/rows.h"

#include "util/common.h"

static const struct verb_field fields[] = {
    FIELD(struct warning_input, outcome, VT_PROSE, "结果", VF_REQUIRED, NULL,
          "家长怎么说、何时返校，或解除、上报的理由"),
    FIELD(struct warning_input, person, VT_TEXT, "联系人", 0, NULL, "默认本账号；如 班主任王老师"),
    FIELD(struct warning_input, on, VT_DATE, "日期", 0, NULL, "默认今天"),
};

static int contact_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return warning_contact(c->s, c->scope, c->id, in, c->actor, &c->msg, o);
}

static int resolve_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return warning_resolve(c->s, c->scope, c->id, in, c->actor, &c->msg, o);
}

static int escalate_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return warning_escalate(c->s, c->scope, c->id, in, c->actor, &c->msg, o);
}

const struct verb verb_warning_contact = {
    .name = "warnings.contact",
    .summary = "考勤预警：记录已联系家长（谁联系、家长怎么说）",
    .method = "POST",
    .path = "/api/v1/warnings/{id}/contact",
    .perm = PERM_CASES,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "预警编号",
    .audit = "warning_update",
    .size = sizeof(struct warning_input),
    .fields = FIELDS(fields),
    .run = contact_run,
};

const struct verb verb_warning_resolve = {
    .name = "warnings.resolve",
    .summary = "考勤预警：解除（学生已返校或缺课已说明）",
    .method = "POST",
    .path = "/api/v1/warnings/{id}/resolve",
    .perm = PERM_CASES,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "预警编号",
    .audit = "warning_update",
    .size = sizeof(struct warning_input),
    .fields = FIELDS(fields),
    .run = resolve_run,
};

const struct verb verb_warning_escalate = {
    .name = "warnings.escalate",
    .summary = "考勤预警：上报乡镇（家长拒不送学、无法联系等）",
    .method = "POST",
    .path = "/api/v1/warnings/{id}/escalate",
    .perm = PERM_CASES,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "预警编号",
    .audit = "warning_update",
    .size = sizeof(struct warning_input),
    .fields = FIELDS(fields),
    .run = escalate_run,
};
