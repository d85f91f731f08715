/* The row of logging a care contact (关爱联系) with a left-behind child (issue 15,
 * casework/care.h): by the school the child attends (for its 结对教师) or the county. The
 * target is the child's record of the register (学生档案's number). */
#include "casework/care.h"
#include "verb/rows.h"

#include "util/common.h"

static const struct verb_field care_fields[] = {
    FIELD(struct care_input, date, VT_DATE, "联系日期", 0, NULL, "默认今天"),
    FIELD(struct care_input, way, VT_WORD, "联系方式", VF_REQUIRED, &care_ways,
          "入户、电话、视频、到校"),
    FIELD(struct care_input, people, VT_TEXT, "联系人", VF_REQUIRED, NULL,
          "谁联系的、联系了谁，如：班主任李老师与奶奶"),
    FIELD(struct care_input, content, VT_PROSE, "联系内容", VF_REQUIRED, NULL,
          "学习、生活、身心情况和需要的帮助"),
};

static int care_run(struct verb_call *c, const void *in, struct outcome *o)
{
    int64_t id;
    if (care_add(c->s, c->scope, c->id, in, c->actor, &id, &c->msg, o) < 0)
        return -1;
    c->result = json_pack("{s:I}", "id", (json_int_t)id);
    return 0;
}

const struct verb verb_care_add = {
    .name = "care.add",
    .summary = "记录留守儿童关爱联系（入户、电话、视频、到校）",
    .method = "POST",
    .path = "/api/v1/children/{id}/care-contacts",
    /* the school of the child (or the county): care_add checks it, the child is no task */
    .perm = PERM_CASES,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "儿童记录编号",
    .audit = "care_contact",
    .flags = VERB_CREATES,
    .size = sizeof(struct care_input),
    .fields = FIELDS(care_fields),
    .run = care_run,
};
