/* The rows of the wellbeing ledgers (issue 16, casework/wellbeing.h): an illness of a pupil and
 * its follow-ups (the pupil's school, the county), a mental-health entry and its interventions
 * and reviews (only the accounts holding the permission: the function checks it, the same
 * refusal for every child), and the admin's grant of that permission to a named account. */
#include "casework/wellbeing.h"
#include "verb/rows.h"

#include "util/common.h"

/* ---- illness.add ---- */

static const struct verb_field illness_fields[] = {
    FIELD(struct illness_input, category, VT_WORD, "疾病类别", VF_REQUIRED, &illness_categories,
          "慢性病、重大疾病、传染病、意外伤害、其他"),
    FIELD(struct illness_input, diagnosis, VT_TEXT, "病情", VF_REQUIRED, NULL,
          "疾病名称或情况，如：1型糖尿病"),
    FIELD(struct illness_input, effect, VT_WORD, "对到校的影响", VF_REQUIRED, &illness_effects,
          "不影响到校、部分缺课、无法到校"),
    FIELD(struct illness_input, from, VT_DATE, "起始日期", 0, NULL, "默认今天"),
    FIELD(struct illness_input, to, VT_DATE, "结束日期", 0, NULL, "尚未痊愈不填"),
    FIELD(struct illness_input, serious, VT_YESNO, "慢性或重大疾病", 0, NULL,
          "是或否；慢性病、重大疾病总是“是”（列入预警名单的因素）"),
    FIELD(struct illness_input, certificate, VT_TEXT, "诊断证明", 0, NULL,
          "出具医院和日期，如：县人民医院诊断证明 2026-09-01"),
    FIELD(struct illness_input, sick_leave, VT_INT, "病假记录编号", 0, NULL,
          "这次疾病对应的病假记录（考勤）"),
    FIELD(struct illness_input, note, VT_PROSE, "说明", 0, NULL, NULL),
};

static int illness_add_run(struct verb_call *c, const void *in, struct outcome *o)
{
    int64_t id;
    if (illness_add(c->s, c->scope, c->id, in, c->actor, &id, &c->msg, o) < 0)
        return -1;
    c->result = json_pack("{s:I}", "id", (json_int_t)id);
    return 0;
}

const struct verb verb_illness_add = {
    .name = "illness.add",
    .summary = "登记学生的疾病（疾病台帐）",
    .method = "POST",
    .path = "/api/v1/children/{id}/illnesses",
    /* the pupil's school or the county: illness_add checks it */
    .perm = PERM_CASES,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "儿童记录编号",
    .audit = "illness_add",
    .flags = VERB_CREATES,
    .size = sizeof(struct illness_input),
    .fields = FIELDS(illness_fields),
    .run = illness_add_run,
};

/* ---- illness.follow ---- */

static const struct verb_field follow_fields[] = {
    FIELD(struct illness_follow_input, by, VT_NAME, "随访人", VF_REQUIRED, NULL,
          "如：班主任王老师"),
    FIELD(struct illness_follow_input, content, VT_PROSE, "随访情况", VF_REQUIRED, NULL,
          "身体和学习情况、需要的帮助"),
    FIELD(struct illness_follow_input, date, VT_DATE, "随访日期", 0, NULL, "默认今天"),
    FIELD(struct illness_follow_input, ended, VT_DATE, "痊愈日期", 0, NULL,
          "疾病已结束（痊愈、返校）时填写"),
};

static int illness_follow_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return illness_follow(c->s, c->scope, c->id, in, c->actor, &c->msg, o);
}

const struct verb verb_illness_follow = {
    .name = "illness.follow",
    .summary = "记录一次疾病随访（可同时填写痊愈日期）",
    .method = "POST",
    .path = "/api/v1/illnesses/{id}/follow-ups",
    .perm = PERM_CASES,
    .object = SCOPE_NONE,
    .action = ACT_FOLLOW_UP,
    .target = VTG_ID,
    .target_label = "疾病台帐记录编号",
    .audit = "illness_follow",
    .flags = VERB_CREATES,
    .size = sizeof(struct illness_follow_input),
    .fields = FIELDS(follow_fields),
    .run = illness_follow_run,
};

/* ---- mental.add ---- */

#define AS_HINT "命令行以哪个已授权账号的身份操作（网页和接口为登录账号本人）"

static const struct verb_field mental_fields[] = {
    FIELD(struct mental_input, level, VT_WORD, "关注等级", VF_REQUIRED, &mental_levels,
          "一般关注、重点关注、高度关注、危机干预"),
    FIELD(struct mental_input, concern, VT_PROSE, "情况", VF_REQUIRED, NULL, "观察到的表现和来源"),
    FIELD(struct mental_input, next_review, VT_DATE, "下次复查日期", VF_REQUIRED, NULL, NULL),
    FIELD(struct mental_input, referral, VT_WORD, "转介", 0, &mental_referrals,
          "未转介、学校心理辅导教师、医院（精神心理专科）、其他机构；默认未转介"),
    FIELD(struct mental_input, referral_note, VT_TEXT, "转介说明", 0, NULL,
          "转介到哪位老师、哪家医院"),
    FIELD(struct mental_input, date, VT_DATE, "建档日期", 0, NULL, "默认今天"),
    FIELD(struct mental_input, as, VT_TEXT, "以账号", VF_CLI, NULL, AS_HINT),
};

static int mental_add_run(struct verb_call *c, const void *in, struct outcome *o)
{
    int64_t id;
    if (mental_add(c->s, c->scope, c->id, in, c->actor, &id, &c->msg, o) < 0)
        return -1;
    c->result = json_pack("{s:I}", "id", (json_int_t)id);
    return 0;
}

const struct verb verb_mental_add = {
    .name = "mental.add",
    .summary = "建立学生的心理健康台帐（仅限被授权的人员）",
    .method = "POST",
    .path = "/api/v1/children/{id}/mental-health",
    /* every role that may hold the permission reads children; mental_add checks the grant */
    .perm = PERM_CHILDREN,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "儿童记录编号",
    .audit = "mental_add",
    .flags = VERB_CREATES,
    .size = sizeof(struct mental_input),
    .fields = FIELDS(mental_fields),
    .run = mental_add_run,
};

/* ---- mental.note ---- */

static const struct verb_field note_fields[] = {
    FIELD(struct mental_note_input, kind, VT_WORD, "记录类型", VF_REQUIRED, &mental_event_kinds,
          "干预或复查"),
    FIELD(struct mental_note_input, by, VT_NAME, "经办人", VF_REQUIRED, NULL,
          "如：心理辅导教师张老师"),
    FIELD(struct mental_note_input, content, VT_PROSE, "内容", VF_REQUIRED, NULL, NULL),
    FIELD(struct mental_note_input, date, VT_DATE, "日期", 0, NULL, "默认今天"),
    FIELD(struct mental_note_input, level, VT_WORD, "关注等级", 0, &mental_levels,
          "复查：调整后的关注等级，不变不填"),
    FIELD(struct mental_note_input, next_review, VT_DATE, "下次复查日期", 0, NULL,
          "复查：必填，结案时不填"),
    FIELD(struct mental_note_input, close, VT_YESNO, "结案", 0, NULL, "复查：是则结案"),
    FIELD(struct mental_note_input, as, VT_TEXT, "以账号", VF_CLI, NULL, AS_HINT),
};

static int mental_note_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return mental_note(c->s, c->scope, c->id, in, c->actor, &c->msg, o);
}

const struct verb verb_mental_note = {
    .name = "mental.note",
    .summary = "记录心理健康台帐的一次干预或复查（仅限被授权的人员）",
    .method = "POST",
    .path = "/api/v1/mental-health/{id}/notes",
    .perm = PERM_CHILDREN,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "心理健康台帐记录编号",
    .audit = "mental_note",
    .flags = VERB_CREATES,
    .size = sizeof(struct mental_note_input),
    .fields = FIELDS(note_fields),
    .run = mental_note_run,
};

/* ---- user.mental-health ---- */

struct grant_input {
    const char *grant;
};

static const struct verb_field grant_fields[] = {
    FIELD(struct grant_input, grant, VT_YESNO, "授予", VF_REQUIRED, NULL, "是：授予；否：撤销"),
};

static int grant_run(struct verb_call *c, const void *in_, struct outcome *o)
{
    const struct grant_input *in = in_;
    bool on;
    if (!strcmp(in->grant, "是") || !strcmp(in->grant, "true") || !strcmp(in->grant, "1"))
        on = true;
    else if (!strcmp(in->grant, "否") || !strcmp(in->grant, "false") || !strcmp(in->grant, "0"))
        on = false;
    else
        return failed_at(o, OUT_INVALID, "grant", "授予应填“是”或“否”");
    return mental_grant(c->s, c->name, on, c->actor, &c->msg, o);
}

const struct verb verb_user_mental_health = {
    .name = "user.mental-health",
    .summary = "授予或撤销账号的心理健康台帐权限（学校心理辅导教师、校长，县教育局指定专人）",
    .method = "PUT",
    .path = "/api/v1/users/{name}/mental-health",
    .perm = PERM_ACCOUNTS,
    .target = VTG_NAME,
    .target_label = "用户名",
    .audit = "mental_grant",
    .size = sizeof(struct grant_input),
    .fields = FIELDS(grant_fields),
    .run = grant_run,
};
