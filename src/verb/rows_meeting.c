/* The rows of the joint meetings (issue 17, casework/meeting.h): the county registers a
 * meeting and its decisions; the department owning a decision reports its progress and records
 * the duty checks it carries (人社 未成年人务工, 文旅 网吧/歌舞厅). PERM_WRITE lets every writing
 * role ask; the functions decide who reaches what (scope_meeting_allows). */
#include "casework/meeting.h"
#include "verb/rows.h"

#include "util/common.h"

/* ---- meetings.add ---- */

static const struct verb_field meeting_fields[] = {
    FIELD(struct meeting_input, title, VT_TEXT, "会议名称", VF_REQUIRED, NULL,
          "如：2026年第四季度控辍保学联席会议"),
    FIELD(struct meeting_input, departments, VT_TEXT, "参会部门", VF_REQUIRED, NULL,
          "如：教育、公安、民政、人社、文旅"),
    FIELD(struct meeting_input, date, VT_DATE, "会议日期", 0, NULL, "默认今天"),
    FIELD(struct meeting_input, host, VT_NAME, "主持人", 0, NULL, NULL),
    FIELD(struct meeting_input, notes, VT_PROSE, "会议纪要", 0, NULL, NULL),
};

static int meeting_add_run(struct verb_call *c, const void *in, struct outcome *o)
{
    int64_t id;
    if (meeting_add(c->s, c->scope, in, c->actor, &id, &c->msg, o) < 0)
        return -1;
    c->result = json_pack("{s:I}", "id", (json_int_t)id);
    return 0;
}

const struct verb verb_meeting_add = {
    .name = "meetings.add",
    .summary = "登记联席会议（日期、参会部门、纪要）",
    .method = "POST",
    .path = "/api/v1/meetings",
    .perm = PERM_WRITE,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .target = VTG_NONE,
    .audit = "meeting_add",
    .flags = VERB_CREATES,
    .size = sizeof(struct meeting_input),
    .fields = FIELDS(meeting_fields),
    .run = meeting_add_run,
};

/* ---- meetings.decide ---- */

static const struct verb_field decide_fields[] = {
    FIELD(struct decision_input, department, VT_TEXT, "责任部门", VF_REQUIRED, NULL,
          "如：公安、民政、人社、文旅"),
    FIELD(struct decision_input, content, VT_PROSE, "议定事项", VF_REQUIRED, NULL, NULL),
    FIELD(struct decision_input, deadline, VT_DATE, "完成期限", VF_REQUIRED, NULL, NULL),
    FIELD(struct decision_input, duty, VT_WORD, "部门职责事项", 0, &duty_kinds,
          "未成年人务工检查（人社）、网吧/歌舞厅检查（文旅）；其他事项不填"),
};

static int decide_run(struct verb_call *c, const void *in, struct outcome *o)
{
    int64_t id;
    if (meeting_decide(c->s, c->scope, c->id, in, c->actor, &id, &c->msg, o) < 0)
        return -1;
    c->result = json_pack("{s:I}", "id", (json_int_t)id);
    return 0;
}

const struct verb verb_meeting_decide = {
    .name = "meetings.decide",
    .summary = "登记联席会议的议定事项（责任部门、完成期限）",
    .method = "POST",
    .path = "/api/v1/meetings/{id}/decisions",
    .perm = PERM_WRITE,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "会议编号",
    .audit = "meeting_decide",
    .flags = VERB_CREATES,
    .size = sizeof(struct decision_input),
    .fields = FIELDS(decide_fields),
    .run = decide_run,
};

/* ---- meetings.progress ---- */

static const struct verb_field progress_fields[] = {
    FIELD(struct progress_input, state, VT_WORD, "办理状态", VF_REQUIRED, &decision_states,
          "进行中、已完成"),
    FIELD(struct progress_input, content, VT_PROSE, "进展情况", VF_REQUIRED, NULL, NULL),
    FIELD(struct progress_input, date, VT_DATE, "日期", 0, NULL, "默认今天"),
    FIELD(struct progress_input, by, VT_NAME, "报告人", 0, NULL, "默认本账号"),
};

static int progress_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return decision_report(c->s, c->scope, c->id, in, c->actor, &c->msg, o);
}

const struct verb verb_meeting_progress = {
    .name = "meetings.progress",
    .summary = "报告议定事项的进展（责任部门或县教育局）",
    .method = "POST",
    .path = "/api/v1/decisions/{id}/progress",
    .perm = PERM_WRITE,
    .object = SCOPE_NONE,
    .action = ACT_FOLLOW_UP,
    .target = VTG_ID,
    .target_label = "议定事项编号",
    .audit = "decision_progress",
    .size = sizeof(struct progress_input),
    .fields = FIELDS(progress_fields),
    .run = progress_run,
};

/* ---- meetings.check ---- */

static const struct verb_field check_fields[] = {
    FIELD(struct duty_check_input, places, VT_TEXT, "检查场所", VF_REQUIRED, NULL,
          "如：城关镇工业园区 5 家企业"),
    FIELD(struct duty_check_input, result, VT_PROSE, "处理结果", VF_REQUIRED, NULL, NULL),
    FIELD(struct duty_check_input, date, VT_DATE, "检查日期", 0, NULL, "默认今天"),
    FIELD(struct duty_check_input, minors_found, VT_INT, "发现未成年人数", 0, NULL,
          "默认为登记的人数"),
    FIELD(struct duty_check_input, minors, VT_TEXT, "发现的未成年人", VF_LIST, NULL,
          "每行一人：姓名 身份证号（身份证号可不填）"),
};

static int check_run(struct verb_call *c, const void *in, struct outcome *o)
{
    int64_t id;
    if (duty_check_add(c->s, c->scope, c->id, in, c->actor, &id, &c->msg, o) < 0)
        return -1;
    c->result = json_pack("{s:I}", "id", (json_int_t)id);
    return 0;
}

const struct verb verb_meeting_check = {
    .name = "meetings.check",
    .summary = "登记部门职责检查的结果（未成年人务工检查、网吧/歌舞厅检查）",
    .method = "POST",
    .path = "/api/v1/decisions/{id}/checks",
    .perm = PERM_WRITE,
    .object = SCOPE_NONE,
    .action = ACT_FOLLOW_UP,
    .target = VTG_ID,
    .target_label = "议定事项编号",
    .audit = "duty_check",
    .flags = VERB_CREATES,
    .size = sizeof(struct duty_check_input),
    .fields = FIELDS(check_fields),
    .run = check_run,
};
