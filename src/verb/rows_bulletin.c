/* The row of the 通报 (issue 17, report/bulletin.h): the county issues one for a month or a
 * term, numbered the next of its year; the form's preview makes it without issuing. Reading
 * them is http/api_bulletins.c's and `baoxue bulletins list|show|pdf`. */
#include "report/bulletin.h"
#include "verb/rows.h"

#include "util/common.h"

static const struct verb_field fields[] = {
    FIELD(struct bulletin_input, month, VT_TEXT, "月份", 0, NULL, "如 2026-10；与学期二者取一"),
    FIELD(struct bulletin_input, term, VT_TEXT, "学期", 0, NULL, "如 2026秋、2027春"),
    FIELD(struct bulletin_input, date, VT_DATE, "成文日期", 0, NULL, "默认今天"),
    FIELD(struct bulletin_input, deadline, VT_DATE, "整改期限", 0, NULL,
          "默认成文日期后 15 个工作日（本县设置“通报的整改期限（工作日）”）"),
    FIELD(struct bulletin_input, addressee, VT_TEXT, "主送", 0, NULL,
          "默认 各乡（镇）人民政府，各中小学校"),
    FIELD(struct bulletin_input, demand, VT_PROSE, "其他要求", 0, NULL,
          "写入“下一步要求”的一段话，可不填"),
    FIELD(struct bulletin_input, preview, VT_YESNO, "仅预览", VF_FLAG, NULL,
          "只生成数字和文字，不印发、不占文号"),
};

static int issue_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return bulletin_issue(c->s, c->scope, in, c->actor, &c->msg, &c->result, o);
}

const struct verb verb_bulletin_issue = {
    .name = "bulletins.issue",
    .summary = "印发控辍保学工作情况通报（县教育局；按月或按学期，文号按年顺排）",
    .method = "POST",
    .path = "/api/v1/bulletins",
    .perm = PERM_WRITE,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .target = VTG_NONE,
    .audit = "bulletin_issue",
    .size = sizeof(struct bulletin_input),
    .fields = FIELDS(fields),
    .run = issue_run,
};
