/* The rows of 督导检查 and 限期整改 (issue 17, casework/inspection.h): a supervisor, the county or
 * admin records an inspection and its findings (each one a rectification item) and accepts or
 * returns what the unit submitted (PERM_INSPECT: a supervisor's only writes); the responsible
 * unit's account reports progress, submits its evidence and attaches photos (its reach is
 * checked by the functions: another unit's item does not exist for it). */
#include "casework/attach.h"
#include "casework/inspection.h"
#include "verb/rows.h"

#include "util/common.h"

static const struct verb_field create_fields[] = {
    FIELD(struct inspection_input, on, VT_DATE, "检查日期", 0, NULL, "默认今天"),
    FIELD(struct inspection_input, inspectors, VT_TEXT, "检查人员", VF_REQUIRED, NULL,
          "督学、检查组成员的姓名，如：张督学、李督学"),
    FIELD(struct inspection_input, units, VT_TEXT, "检查单位", VF_REQUIRED | VF_LIST, NULL,
          "乡镇（代码或名称）或学校（学籍标识码），每行一个"),
    FIELD(struct inspection_input, summary, VT_PROSE, "检查情况", 0, NULL,
          "总体情况；要公告，不写儿童的姓名和身份证号"),
};

static int create_run(struct verb_call *c, const void *in, struct outcome *o)
{
    int64_t id;
    if (inspection_create(c->s, c->scope, in, c->actor, &id, &c->msg, o) < 0)
        return -1;
    c->result = json_pack("{s:I}", "id", (json_int_t)id);
    return 0;
}

const struct verb verb_inspections_create = {
    .name = "inspections.create",
    .summary = "记录一次督导检查（日期、检查人员、检查单位、总体情况）",
    .method = "POST",
    .path = "/api/v1/inspections",
    .perm = PERM_INSPECT,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .target = VTG_NONE,
    .audit = "inspection_create",
    .flags = VERB_CREATES,
    .size = sizeof(struct inspection_input),
    .fields = FIELDS(create_fields),
    .run = create_run,
};

static const struct verb_field finding_fields[] = {
    FIELD(struct finding_input, unit, VT_TEXT, "责任单位", VF_REQUIRED, NULL,
          "乡镇（代码或名称）或学校（学籍标识码）"),
    FIELD(struct finding_input, text, VT_PROSE, "发现的问题", VF_REQUIRED, NULL,
          "问题和整改要求；要公告，不写儿童的姓名和身份证号"),
    FIELD(struct finding_input, person, VT_TEXT, "责任人", VF_REQUIRED, NULL,
          "责任单位的负责人，如：王校长"),
    FIELD(struct finding_input, deadline, VT_DATE, "整改期限", VF_REQUIRED, NULL,
          "在此日期前完成整改"),
};

static int finding_run(struct verb_call *c, const void *in, struct outcome *o)
{
    int64_t id;
    if (inspection_finding(c->s, c->scope, c->id, in, c->actor, &id, &c->msg, o) < 0)
        return -1;
    c->result = json_pack("{s:I}", "id", (json_int_t)id);
    return 0;
}

const struct verb verb_inspections_finding = {
    .name = "inspections.finding",
    .summary = "记录督导检查发现的问题，并限期整改（责任单位、责任人、期限）",
    .method = "POST",
    .path = "/api/v1/inspections/{id}/findings",
    .perm = PERM_INSPECT,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "督导检查编号",
    .audit = "finding_add",
    .flags = VERB_CREATES,
    .size = sizeof(struct finding_input),
    .fields = FIELDS(finding_fields),
    .run = finding_run,
};

static const struct verb_field unit_fields[] = {
    FIELD(struct rectify_input, text, VT_PROSE, "整改情况", VF_REQUIRED, NULL,
          "做了什么、结果如何；可另附照片、扫描件"),
    FIELD(struct rectify_input, on, VT_DATE, "日期", 0, NULL, "默认今天"),
};

static const struct verb_field accept_fields[] = {
    FIELD(struct rectify_input, text, VT_PROSE, "验收意见", 0, NULL, "如：经现场核实，已整改到位"),
    FIELD(struct rectify_input, on, VT_DATE, "验收日期", 0, NULL, "默认今天"),
};

static const struct verb_field return_fields[] = {
    FIELD(struct rectify_input, text, VT_PROSE, "退回的理由", VF_REQUIRED, NULL,
          "哪些没有整改到位、还须做什么"),
    FIELD(struct rectify_input, on, VT_DATE, "日期", 0, NULL, "默认今天"),
};

static int progress_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return rectify_act(c->s, c->scope, c->id, RA_PROGRESS, in, c->actor, &c->msg, o);
}

static int submit_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return rectify_act(c->s, c->scope, c->id, RA_SUBMIT, in, c->actor, &c->msg, o);
}

static int accept_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return rectify_act(c->s, c->scope, c->id, RA_ACCEPT, in, c->actor, &c->msg, o);
}

static int return_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return rectify_act(c->s, c->scope, c->id, RA_RETURN, in, c->actor, &c->msg, o);
}

#define RECTIFY_ROW(name_, summary_, path_, perm_, audit_, fields_, run_)                          \
    {                                                                                              \
        .name = name_, .summary = summary_, .method = "POST", .path = path_, .perm = perm_,        \
        .object = SCOPE_NONE, .action = ACT_WRITE, .target = VTG_ID,                               \
        .target_label = "整改事项编号", .audit = audit_, .size = sizeof(struct rectify_input),     \
        .fields = FIELDS(fields_), .run = run_,                                                    \
    }

const struct verb verb_rectifications_progress =
    RECTIFY_ROW("rectifications.progress", "责任单位报告整改进展（不改变状态）",
                "/api/v1/rectifications/{id}/progress", PERM_CASES, "rectify_update", unit_fields,
                progress_run);
const struct verb verb_rectifications_submit = RECTIFY_ROW(
    "rectifications.submit", "责任单位提交整改材料，等待检查组验收",
    "/api/v1/rectifications/{id}/submit", PERM_CASES, "rectify_update", unit_fields, submit_run);
const struct verb verb_rectifications_accept = RECTIFY_ROW(
    "rectifications.accept", "检查组验收整改（通过）", "/api/v1/rectifications/{id}/accept",
    PERM_INSPECT, "rectify_decide", accept_fields, accept_run);
const struct verb verb_rectifications_return =
    RECTIFY_ROW("rectifications.return", "检查组退回整改（未整改到位，重改）",
                "/api/v1/rectifications/{id}/return", PERM_INSPECT, "rectify_decide", return_fields,
                return_run);

static const struct verb_field attach_fields[] = {
    FIELD(struct attach_input, note, VT_TEXT, "说明", 0, NULL, "照片内容，如：整改后的台账"),
};

static int attach_run(struct verb_call *c, const void *in, struct outcome *o)
{
    if (rectify_reach(c->s, c->scope, c->id, true, o) < 0)
        return -1;
    int64_t id;
    if (attach_add(c->s, SCOPE_RECTIFY, c->id, in, c->in_path, c->actor, &id, &c->msg, o) < 0)
        return -1;
    c->result = json_pack("{s:I}", "id", (json_int_t)id);
    return 0;
}

const struct verb verb_rectifications_attach = {
    .name = "rectifications.attach",
    .summary = "为整改事项添加整改材料的照片或扫描件（JPEG、PNG、WebP）",
    .method = "POST",
    .path = "/api/v1/rectifications/{id}/attachments",
    .perm = PERM_CASES,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "整改事项编号",
    .audit = "attach",
    .flags = VERB_FILE_IN | VERB_CREATES,
    .size = sizeof(struct attach_input),
    .fields = FIELDS(attach_fields),
    .run = attach_run,
};
