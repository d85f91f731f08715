/* The rows of 结对 (issue 16, casework/atrisk.h): a teacher of the registry paired with a child
 * still at school — by the child's school or the county, checked by the function. The target
 * is the child's record of the register, as the child record names it. */
#include "casework/atrisk.h"
#include "verb/rows.h"

#include "util/common.h"

/* ---- pairing.add ---- */

static const struct verb_field add_fields[] = {
    FIELD(struct pair_input, teacher, VT_TEXT, "结对教师", VF_REQUIRED, NULL,
          "人员名册中的姓名或编号"),
    FIELD(struct pair_input, since, VT_DATE, "结对日期", 0, NULL, "默认今天"),
    FIELD(struct pair_input, note, VT_PROSE, "说明", 0, NULL, "如 每周谈心一次"),
};

static int pairing_add_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return atrisk_pair(c->s, c->scope, c->id, in, c->actor, &c->msg, o);
}

const struct verb verb_pairing_add = {
    .name = "pairing.add",
    .summary = "为在校学生安排结对教师（已有结对的，原结对同时结束）",
    .method = "PUT",
    .path = "/api/v1/children/{id}/pairing",
    /* the child's school (or the county): atrisk_pair checks it */
    .perm = PERM_CASES,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "儿童记录编号",
    .audit = "pairing_add",
    .size = sizeof(struct pair_input),
    .fields = FIELDS(add_fields),
    .run = pairing_add_run,
};

/* ---- pairing.end ---- */

struct end_input {
    const char *note;
};

static const struct verb_field end_fields[] = {
    FIELD(struct end_input, note, VT_PROSE, "说明", 0, NULL, "如 学生已毕业、教师调离"),
};

static int pairing_end_run(struct verb_call *c, const void *in, struct outcome *o)
{
    const struct end_input *e = in;
    return atrisk_unpair(c->s, c->scope, c->id, e->note, c->actor, &c->msg, o);
}

const struct verb verb_pairing_end = {
    .name = "pairing.end",
    .summary = "结束在校学生的结对",
    .method = "POST",
    .path = "/api/v1/children/{id}/pairing/end",
    .perm = PERM_CASES,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "儿童记录编号",
    .audit = "pairing_end",
    .size = sizeof(struct end_input),
    .fields = FIELDS(end_fields),
    .run = pairing_end_run,
};
