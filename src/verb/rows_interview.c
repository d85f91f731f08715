/* The rows of the interviews (约谈, issue 17, casework/meeting.h): the county registers an
 * interview, its commitments and the follow-ups that check them; the unit interviewed reads
 * (scope_interview_allows). */
#include "casework/meeting.h"
#include "verb/rows.h"

#include "util/common.h"

/* ---- interviews.add ---- */

static const struct verb_field interview_fields[] = {
    FIELD(struct interview_input, unit, VT_TEXT, "被约谈单位", VF_REQUIRED, NULL,
          "乡镇名称或代码、学校名称或学籍代码"),
    FIELD(struct interview_input, person, VT_NAME, "被约谈人", VF_REQUIRED, NULL, NULL),
    FIELD(struct interview_input, post, VT_TEXT, "职务", VF_REQUIRED, NULL, "如：分管副镇长、校长"),
    FIELD(struct interview_input, by, VT_TEXT, "约谈人", VF_REQUIRED, NULL,
          "如：县教育局局长李明、督学王芳"),
    FIELD(struct interview_input, reason, VT_PROSE, "约谈事由", VF_REQUIRED, NULL, NULL),
    FIELD(struct interview_input, date, VT_DATE, "约谈日期", 0, NULL, "默认今天"),
    FIELD(struct interview_input, month, VT_TEXT, "排名月份", 0, NULL,
          "因该月排名约谈时填写，如：2026-10"),
    FIELD(struct interview_input, finding, VT_TEXT, "督导发现问题编号", 0, NULL,
          "因督导检查发现的问题约谈时填写"),
};

static int add_run(struct verb_call *c, const void *in, struct outcome *o)
{
    int64_t id;
    if (interview_add(c->s, c->scope, in, c->actor, &id, &c->msg, o) < 0)
        return -1;
    c->result = json_pack("{s:I}", "id", (json_int_t)id);
    return 0;
}

const struct verb verb_interview_add = {
    .name = "interviews.add",
    .summary = "登记约谈（被约谈单位和人、约谈人、事由）",
    .method = "POST",
    .path = "/api/v1/interviews",
    .perm = PERM_WRITE,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .target = VTG_NONE,
    .audit = "interview_add",
    .flags = VERB_CREATES,
    .size = sizeof(struct interview_input),
    .fields = FIELDS(interview_fields),
    .run = add_run,
};

/* ---- interviews.commit ---- */

static const struct verb_field commit_fields[] = {
    FIELD(struct commitment_input, content, VT_PROSE, "承诺事项", VF_REQUIRED, NULL, NULL),
    FIELD(struct commitment_input, deadline, VT_DATE, "完成期限", VF_REQUIRED, NULL, NULL),
};

static int commit_run(struct verb_call *c, const void *in, struct outcome *o)
{
    int64_t id;
    if (interview_commit(c->s, c->scope, c->id, in, c->actor, &id, &c->msg, o) < 0)
        return -1;
    c->result = json_pack("{s:I}", "id", (json_int_t)id);
    return 0;
}

const struct verb verb_interview_commit = {
    .name = "interviews.commit",
    .summary = "登记约谈中作出的承诺和完成期限",
    .method = "POST",
    .path = "/api/v1/interviews/{id}/commitments",
    .perm = PERM_WRITE,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "约谈编号",
    .audit = "interview_commit",
    .flags = VERB_CREATES,
    .size = sizeof(struct commitment_input),
    .fields = FIELDS(commit_fields),
    .run = commit_run,
};

/* ---- interviews.follow ---- */

static const struct verb_field follow_fields[] = {
    FIELD(struct interview_follow_input, by, VT_TEXT, "回访人", VF_REQUIRED, NULL, NULL),
    FIELD(struct interview_follow_input, found, VT_PROSE, "回访情况", VF_REQUIRED, NULL, NULL),
    FIELD(struct interview_follow_input, date, VT_DATE, "回访日期", 0, NULL, "默认今天"),
    FIELD(struct interview_follow_input, commitment, VT_INT, "承诺编号", 0, NULL,
          "回访的是哪一项承诺"),
    FIELD(struct interview_follow_input, kept, VT_YESNO, "是否落实", 0, NULL,
          "是或否（回访一项承诺时填写）"),
};

static int follow_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return interview_follow(c->s, c->scope, c->id, in, c->actor, &c->msg, o);
}

const struct verb verb_interview_follow = {
    .name = "interviews.follow",
    .summary = "约谈回访：承诺是否落实",
    .method = "POST",
    .path = "/api/v1/interviews/{id}/followups",
    .perm = PERM_WRITE,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "约谈编号",
    .audit = "interview_follow",
    .size = sizeof(struct interview_follow_input),
    .fields = FIELDS(follow_fields),
    .run = follow_run,
};
