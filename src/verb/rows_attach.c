/* The rows of attaching a photo or a scanned signed receipt (issue 14, casework/attach.h): to a
 * verification's outcome, or to a case's 劝返 attempt or notice. The file is the command line's
 * argument, or the server's upload (multipart, streamed to the data directory and refused
 * beyond the size limit: http/jobs.c). */
#include "casework/attach.h"
#include "casework/casework.h"
#include "store/store.h"
#include "verb/rows.h"

#include "util/common.h"

static const struct verb_field verify_attach_fields[] = {
    FIELD(struct attach_input, note, VT_TEXT, "说明", 0, NULL, "照片内容，如：入户核查现场"),
};

static int verify_attach_run(struct verb_call *c, const void *in, struct outcome *o)
{
    int64_t id;
    if (attach_add(c->s, SCOPE_TASK, c->id, in, c->in_path, c->actor, &id, &c->msg, o) < 0)
        return -1;
    c->result = json_pack("{s:I}", "id", (json_int_t)id);
    return 0;
}

const struct verb verb_verify_attach = {
    .name = "verify.attach",
    .summary = "为核查结论添加照片（JPEG、PNG、WebP）",
    .method = "POST",
    .path = "/api/v1/verify/{id}/attachments",
    /* whoever may record the outcome may attach its photo (a village account too) */
    .perm = PERM_CASES,
    .object = SCOPE_TASK,
    .action = ACT_VERIFY,
    .target = VTG_ID,
    .target_label = "核查任务编号",
    .audit = "attach",
    .flags = VERB_FILE_IN | VERB_CREATES,
    .size = sizeof(struct attach_input),
    .fields = FIELDS(verify_attach_fields),
    .run = verify_attach_run,
};

static const struct verb_field case_attach_fields[] = {
    FIELD(struct attach_input, attempt, VT_INT, "劝返记录编号", 0, NULL,
          "照片附在这条劝返记录上（与通知书编号二选一）"),
    FIELD(struct attach_input, notice, VT_INT, "通知书编号", 0, NULL,
          "签收回执的扫描件附在这份通知书上（与劝返记录编号二选一）"),
    FIELD(struct attach_input, note, VT_TEXT, "说明", 0, NULL, "照片内容，如：家长签收的回执"),
};

static int case_attach_run(struct verb_call *c, const void *in, struct outcome *o)
{
    const struct attach_input *a = in;
    /* the row needs what recording an attempt needs (a 结对教师 adds the photo of a visit);
     * a notice is the case's other writes' (ACT_WRITE) */
    if (a->notice && *a->notice) {
        struct object_ties t = {0};
        int rc = casework_ties(c->s, SCOPE_CASE, c->id, c->scope->school, c->scope->school_name,
                               c->scope->user_id, &t);
        if (rc < 0)
            return fail_store(c->s, o);
        if (rc == 1 && scope_object_allows(c->scope, SCOPE_CASE, &t, ACT_WRITE) != OUT_OK)
            return failed(o, OUT_FORBIDDEN, "您的账号可以记录劝返，但无权为通知书添加回执");
    }
    int64_t id;
    if (attach_add(c->s, SCOPE_CASE, c->id, in, c->in_path, c->actor, &id, &c->msg, o) < 0)
        return -1;
    c->result = json_pack("{s:I}", "id", (json_int_t)id);
    return 0;
}

const struct verb verb_case_attach = {
    .name = "case.attach",
    .summary = "为劝返记录或通知书添加照片、签收回执扫描件（JPEG、PNG、WebP）",
    .method = "POST",
    .path = "/api/v1/cases/{id}/attachments",
    .perm = PERM_CASES,
    .object = SCOPE_CASE,
    .action = ACT_ATTEMPT,
    .target = VTG_ID,
    .target_label = "案件编号",
    .audit = "attach",
    .flags = VERB_FILE_IN | VERB_CREATES,
    .size = sizeof(struct attach_input),
    .fields = FIELDS(case_attach_fields),
    .run = case_attach_run,
};
