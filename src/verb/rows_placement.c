/* The rows of a child's placement and its 送教上门 visits (issue 15, casework/placement.h): the
 * child named by its record in the latest cross-check, as the child record names it; the reach
 * is the placement policy's (scope_placement_allows), checked by the function. */
#include "casework/placement.h"
#include "verb/rows.h"

#include "util/common.h"

/* ---- placement.set ---- */

static const struct verb_field set_fields[] = {
    FIELD(struct placement_input, kind, VT_WORD, "安置方式", VF_REQUIRED, &placement_kinds,
          "随班就读、特殊教育学校、送教上门、缓学、免学"),
    FIELD(struct placement_input, school, VT_TEXT, "学校", 0, NULL,
          "随班就读、特殊教育学校的学校；送教上门为派出送教教师的学校（学籍名单中的名称或代码）"),
    FIELD(struct placement_input, since, VT_DATE, "安置开始日期", 0, NULL, "默认今天"),
    FIELD(struct placement_input, approved_by, VT_TEXT, "批准机关", 0, NULL,
          "缓学、免学：乡镇人民政府或县教育局"),
    FIELD(struct placement_input, approval_no, VT_TEXT, "批准文号", 0, NULL, "缓学、免学"),
    FIELD(struct placement_input, approved_on, VT_DATE, "批准日期", 0, NULL, "缓学、免学"),
    FIELD(struct placement_input, ends_on, VT_DATE, "截止日期", 0, NULL, "缓学、免学：到期复核"),
    FIELD(struct placement_input, note, VT_PROSE, "说明", 0, NULL, NULL),
};

static int placement_set_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return placement_set(c->s, c->scope, c->id, in, c->actor, &c->msg, o);
}

const struct verb verb_placement_set = {
    .name = "placement.set",
    .summary = "设置残疾儿童的安置方式（随班就读、特殊教育学校、送教上门、缓学、免学）",
    .method = "PUT",
    .path = "/api/v1/children/{id}/placement",
    .perm = PERM_CASES,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "儿童记录编号",
    .audit = "placement_set",
    .size = sizeof(struct placement_input),
    .fields = FIELDS(set_fields),
    .run = placement_set_run,
};

/* ---- placement.visit ---- */

static const struct verb_field visit_fields[] = {
    FIELD(struct send_visit_input, teachers, VT_TEXT, "送教教师", VF_REQUIRED, NULL,
          "姓名，多人用、分隔"),
    FIELD(struct send_visit_input, hours, VT_TEXT, "课时", VF_REQUIRED, NULL, "如 2 或 1.5"),
    FIELD(struct send_visit_input, content, VT_PROSE, "送教内容", VF_REQUIRED, NULL,
          "如 语文识字、生活自理训练"),
    FIELD(struct send_visit_input, date, VT_DATE, "送教日期", 0, NULL,
          "默认今天；更正时默认原记录的日期"),
    FIELD(struct send_visit_input, corrects, VT_INT, "更正的记录编号", 0, NULL,
          "更正时填写被更正的送教记录编号，原记录保留"),
    FIELD(struct send_visit_input, reason, VT_PROSE, "更正原因", 0, NULL, "更正时必填"),
};

static int placement_visit_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return placement_visit(c->s, c->scope, c->id, in, c->actor, &c->msg, o);
}

const struct verb verb_placement_visit = {
    .name = "placement.visit",
    .summary = "记录一次送教上门（或更正一条送教记录）",
    .method = "POST",
    .path = "/api/v1/children/{id}/send-visits",
    .perm = PERM_CASES,
    .object = SCOPE_NONE,
    .action = ACT_ATTEMPT,
    .target = VTG_ID,
    .target_label = "儿童记录编号",
    .audit = "send_visit",
    .flags = VERB_CREATES,
    .size = sizeof(struct send_visit_input),
    .fields = FIELDS(visit_fields),
    .run = placement_visit_run,
};
