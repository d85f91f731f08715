/* The rows of the people registry (包保干部、村干部、结对教师) and of the clerical review queue. */
#include "casework/people.h"
#include "core/words.h"
#include "domain/review.h"
#include "verb/rows.h"

#include "util/common.h"

/* ---- people.add, people.edit, people.deactivate, people.import ---- */

static const struct verb_field person_fields[] = {
    FIELD(struct person_input, name, VT_NAME, "姓名", VF_REQUIRED, NULL, NULL),
    FIELD(struct person_input, org, VT_TEXT, "工作单位", VF_REQUIRED, NULL, "如 郑庄镇人民政府"),
    FIELD(struct person_input, role, VT_TEXT, "职务", VF_REQUIRED, NULL,
          "包保干部、村干部、校长、班主任…"),
    FIELD(struct person_input, phone, VT_TEXT, "电话", 0, NULL, NULL),
    FIELD(struct person_input, township, VT_TEXT, "乡镇", 0, NULL, "乡镇代码或名称"),
    FIELD(struct person_input, org_kind, VT_WORD, "单位类别", 0, &org_kinds,
          "县教育局、乡镇、村、学校、部门"),
};

/* editing changes only what is given: the same fields, none required */
static const struct verb_field person_edit_fields[] = {
    FIELD(struct person_input, name, VT_NAME, "姓名", 0, NULL, NULL),
    FIELD(struct person_input, org, VT_TEXT, "工作单位", 0, NULL, NULL),
    FIELD(struct person_input, role, VT_TEXT, "职务", 0, NULL, NULL),
    FIELD(struct person_input, phone, VT_TEXT, "电话", 0, NULL, NULL),
    FIELD(struct person_input, township, VT_TEXT, "乡镇", 0, NULL, "乡镇代码或名称"),
    FIELD(struct person_input, org_kind, VT_WORD, "单位类别", 0, &org_kinds, NULL),
};

static int people_add_run(struct verb_call *c, const void *in, struct outcome *o)
{
    int64_t id = 0;
    if (people_add(c->s, in, c->actor, &id, o) < 0)
        return -1;
    buf_addf(&c->msg, "已登记人员 %lld", (long long)id);
    c->result = json_pack("{s:I}", "id", (json_int_t)id);
    return 0;
}

const struct verb verb_people_add = {
    .name = "people.add",
    .summary = "登记人员",
    .method = "POST",
    .path = "/api/v1/people",
    .perm = PERM_REGISTRY,
    .audit = "person_add",
    .flags = VERB_CREATES,
    .size = sizeof(struct person_input),
    .fields = FIELDS(person_fields),
    .run = people_add_run,
};

static int people_edit_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return people_edit(c->s, c->id, in, c->actor, &c->msg, o);
}

const struct verb verb_people_edit = {
    .name = "people.edit",
    .summary = "修改人员信息",
    .method = "PATCH",
    .path = "/api/v1/people/{id}",
    .perm = PERM_REGISTRY,
    .object = SCOPE_PERSON,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "人员编号",
    .audit = "person_edit",
    .size = sizeof(struct person_input),
    .fields = FIELDS(person_edit_fields),
    .run = people_edit_run,
};

struct nothing {
    char unused;
};

static int people_deactivate_run(struct verb_call *c, const void *in, struct outcome *o)
{
    (void)in;
    return people_deactivate(c->s, c->id, c->actor, &c->msg, o);
}

const struct verb verb_people_deactivate = {
    .name = "people.deactivate",
    .summary = "停用人员（保留其经办记录）",
    .perm = PERM_REGISTRY,
    .object = SCOPE_PERSON,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "人员编号",
    .audit = "person_deactivate",
    .size = sizeof(struct nothing),
    .run = people_deactivate_run,
};

static int people_import_run(struct verb_call *c, const void *in, struct outcome *o)
{
    (void)in;
    struct people_import_summary sum;
    if (people_import(c->s, c->in_path, c->actor, &sum, o) < 0)
        return -1;
    buf_addf(&c->msg, "人员名册导入完成：%ld 行，新登记 %ld 人，已在名册中 %ld 人，跳过 %ld 行",
             sum.rows, sum.added, sum.existing, sum.skipped);
    return 0;
}

const struct verb verb_people_import = {
    .name = "people.import",
    .summary = "导入人员名册（xlsx、xls、csv；表头：姓名、电话、单位、职务、乡镇）",
    .perm = PERM_REGISTRY,
    .audit = "people_import",
    .flags = VERB_FILE_IN,
    .size = sizeof(struct nothing),
    .run = people_import_run,
};

/* ---- the review queue: a clerk's decision on one pair ---- */

struct decision_input {
    const char *decision, *note;
};

static const struct verb_field decision_fields[] = {
    FIELD(struct decision_input, decision, VT_WORD, "复核结论", VF_REQUIRED, &review_decisions,
          "是同一人（accept）或不是同一人（reject）"),
    FIELD(struct decision_input, note, VT_TEXT, "说明", 0, NULL, NULL),
};

static int review_decide_run(struct verb_call *c, const void *in_, struct outcome *o)
{
    const struct decision_input *in = in_;
    int k = vocab_parse(&review_decisions, in->decision);
    if (k < 0) {
        struct buf why = BUF_INIT;
        vocab_error(&review_decisions, in->decision, &why);
        failed_at(o, OUT_INVALID, "decision", "%s", why.buf);
        buf_release(&why);
        return -1;
    }
    return review_decide(c->s, c->id, !strcmp(review_decisions.words[k].key, "accept"), c->actor,
                         in->note, &c->msg, o);
}

const struct verb verb_review_decide = {
    .name = "review.decide",
    .summary = "复核结论：是同一人或不是同一人（下次比对时生效）",
    .method = "POST",
    .path = "/api/v1/review/{id}/decision",
    .perm = PERM_REVIEW,
    .target = VTG_ID,
    .target_label = "编号",
    .audit = "review",
    .size = sizeof(struct decision_input),
    .fields = FIELDS(decision_fields),
    .run = review_decide_run,
};

/* the command line's two spellings of the same decision */
static const struct verb_field note_fields[] = {
    FIELD(struct decision_input, note, VT_TEXT, "说明", 0, NULL, NULL),
};

static int review_accept_run(struct verb_call *c, const void *in_, struct outcome *o)
{
    const struct decision_input *in = in_;
    return review_decide(c->s, c->id, true, c->actor, in->note, &c->msg, o);
}

static int review_reject_run(struct verb_call *c, const void *in_, struct outcome *o)
{
    const struct decision_input *in = in_;
    return review_decide(c->s, c->id, false, c->actor, in->note, &c->msg, o);
}

const struct verb verb_review_accept = {
    .name = "review.accept",
    .summary = "复核结论：是同一人（下次比对时生效）",
    .perm = PERM_REVIEW,
    .target = VTG_ID,
    .target_label = "编号",
    .audit = "review",
    .size = sizeof(struct decision_input),
    .fields = FIELDS(note_fields),
    .run = review_accept_run,
};

const struct verb verb_review_reject = {
    .name = "review.reject",
    .summary = "复核结论：不是同一人（下次比对时生效）",
    .perm = PERM_REVIEW,
    .target = VTG_ID,
    .target_label = "编号",
    .audit = "review",
    .size = sizeof(struct decision_input),
    .fields = FIELDS(note_fields),
    .run = review_reject_run,
};
