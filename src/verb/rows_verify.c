/* The rows of a verification task's actions (核查, docs/casework.md): its outcome and who does it.
 */
#include "casework/casework.h"
#include "core/words.h"
#include "verb/rows.h"

#include "util/common.h"

static const struct verb_field outcome_fields[] = {
    FIELD(struct verify_input, outcome, VT_WORD, "核查结论", VF_REQUIRED, &verify_outcomes, NULL),
    FIELD(struct verify_input, by, VT_NAME, "核查人", VF_REQUIRED, NULL, "人员名册中的编号或姓名"),
    FIELD(struct verify_input, date, VT_DATE, "核查日期", 0, NULL, "默认今天"),
    FIELD_ALIAS(struct verify_input, subkind, VT_WORD, "户籍问题类型", 0, &registration_problems,
                "结论为户籍问题时填写", "kind"),
    FIELD(struct verify_input, school, VT_TEXT, "就读学校", 0, NULL, "结论为在校就读时填写"),
    FIELD(struct verify_input, evidence, VT_TEXT, "证明材料", 0, NULL,
          "在校就读、送教上门、延缓入学时填写"),
    FIELD(struct verify_input, reason, VT_WORD, "主要原因", 0, &case_reasons,
          "确认失学辍学时填写（立案）"),
    FIELD(struct verify_input, other_reasons, VT_TEXT, "其他原因", 0, NULL, "以逗号或顿号分隔"),
    FIELD(struct verify_input, note, VT_PROSE, "说明", 0, NULL, NULL),
};

static int verify_record_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return verify_record(c->s, c->id, in, c->actor, &c->msg, o);
}

const struct verb verb_verify_record = {
    .name = "verify.record",
    .summary = "记录核查结论",
    .method = "POST",
    .path = "/api/v1/verify/{id}/outcome",
    .perm = PERM_CASES,
    .object = SCOPE_TASK,
    .action = ACT_VERIFY,
    .target = VTG_ID,
    .target_label = "任务编号",
    .audit = "verify",
    .size = sizeof(struct verify_input),
    .fields = FIELDS(outcome_fields),
    .run = verify_record_run,
};

/* who does a task or a case (case.assign shares them) */
const struct verb_field assign_fields[ASSIGN_FIELDS] = {
    FIELD(struct assign_input, township, VT_NAME, "包保干部", 0, NULL, "人员名册中的编号或姓名"),
    FIELD(struct assign_input, village, VT_NAME, "村干部", 0, NULL, "人员名册中的编号或姓名"),
    FIELD(struct assign_input, teacher, VT_NAME, "结对教师", 0, NULL, "人员名册中的编号或姓名"),
    FIELD(struct assign_input, reason, VT_TEXT, "调整原因", 0, NULL, NULL),
};

static int verify_assign_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return casework_assign(c->s, c->id, 0, in, c->actor, &c->msg, o);
}

const struct verb verb_verify_assign = {
    .name = "verify.assign",
    .summary = "指派核查责任人",
    .method = "POST",
    .path = "/api/v1/verify/{id}/assign",
    .perm = PERM_CASEWORK,
    .object = SCOPE_TASK,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "任务编号",
    .audit = "assign",
    .size = sizeof(struct assign_input),
    .fields = FIELDS(assign_fields),
    .run = verify_assign_run,
};
