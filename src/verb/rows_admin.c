/* The rows of the installation's administration: settings, accounts, and the county's
 * decision on a department's upload. */
#include "casework/people.h"
#include "domain/batch.h"
#include "domain/department.h"
#include "domain/session.h"
#include "domain/settings.h"
#include "domain/user.h"
#include "verb/rows.h"

#include "util/common.h"

/* ---- settings.set, settings.unset ---- */

struct setting_input {
    const char *value;
};

static const struct verb_field setting_fields[] = {
    /* over HTTP, null (or none) sets the default again; the command line has unset for it */
    FIELD(struct setting_input, value, VT_TEXT, "值", VF_POSITIONAL, NULL, "见设置列表"),
};

static int settings_set_run(struct verb_call *c, const void *in_, struct outcome *o)
{
    const struct setting_input *in = in_;
    return settings_set(c->s, c->name, in->value, c->actor, &c->msg, o);
}

const struct verb verb_settings_set = {
    .name = "settings.set",
    .summary = "修改设置项",
    .method = "PUT",
    .path = "/api/v1/settings/{key}",
    .perm = PERM_SETTINGS,
    .target = VTG_KEY,
    .target_label = "设置项",
    .audit = "setting_set",
    .size = sizeof(struct setting_input),
    .fields = FIELDS(setting_fields),
    .run = settings_set_run,
};

static int settings_unset_run(struct verb_call *c, const void *in, struct outcome *o)
{
    (void)in;
    return settings_set(c->s, c->name, NULL, c->actor, &c->msg, o);
}

const struct verb verb_settings_unset = {
    .name = "settings.unset",
    .summary = "恢复设置项的默认值",
    .perm = PERM_SETTINGS,
    .target = VTG_KEY,
    .target_label = "设置项",
    .audit = "setting_unset",
    .size = sizeof(struct setting_input),
    .run = settings_unset_run,
};

/* ---- accounts ---- */

struct user_input {
    const char *username, *role, *township, *villages, *school, *department, *person, *password,
        *area;
};

/* The person of the registry `text` names (number or name, an active person), 0 for none. */
static int person_of(struct verb_call *c, const char *text, int64_t *id, struct outcome *o)
{
    *id = 0;
    if (!text || !*text)
        return 0;
    return people_resolve(c->s, "人员", "person", text, id, o);
}

static const struct verb_field user_fields[] = {
    FIELD(struct user_input, username, VT_TEXT, "用户名", VF_REQUIRED | VF_POSITIONAL, NULL,
          "1–64 个字母、数字或 . _ -"),
    FIELD(struct user_input, role, VT_TEXT, "角色", VF_REQUIRED, NULL,
          "admin（系统管理员）、county（县教育局）、township（乡镇）、village（村（社区））、"
          "school（学校）、department（部门）、supervisor（督导）；多县共用的数据库的省级模式里："
          "province（省教育厅）、city（市教育局）"),
    FIELD(struct user_input, township, VT_TEXT, "乡镇代码", 0, NULL, "乡镇、村（社区）账号必填"),
    FIELD(struct user_input, villages, VT_TEXT, "村（社区）", 0, NULL,
          "村（社区）账号必填：户籍名单中该乡镇的村（社区）名称，多个用、分隔"),
    FIELD(struct user_input, school, VT_TEXT, "学校标识码", 0, NULL,
          "学校账号必填：最新学籍名单中的学校"),
    FIELD(struct user_input, department, VT_TEXT, "部门", 0, NULL, "部门账号必填，如 公安"),
    FIELD(struct user_input, area, VT_TEXT, "地区", 0, NULL,
          "省教育厅账号必填省的 2 位区划代码（如 14），市教育局账号必填市的 4 位（如 1405）"),
    FIELD(struct user_input, person, VT_TEXT, "人员", 0, NULL,
          "账号使用人在人员名册中的编号或姓名（可选）"),
    FIELD(struct user_input, password, VT_SECRET, "初始密码", VF_REQUIRED | VF_GENERATE, NULL,
          "至少 8 个字符"),
};

static int user_add_run(struct verb_call *c, const void *in_, struct outcome *o)
{
    const struct user_input *in = in_;
    struct user u = {0};
    if (!user_name_valid(in->username))
        return failed_at(o, OUT_INVALID, "username",
                         "用户名无效：1–64 个字母、数字或 . _ -，不含空格");
    int role = role_parse(in->role);
    if (role < 0)
        return failed_at(
            o, OUT_INVALID, "role",
            "角色“%s”无效，应为 admin（系统管理员）、county（县教育局）、township（乡镇）、"
            "village（村（社区））、school（学校）、department（部门）、supervisor（督导）、"
            "province（省教育厅）或 city（市教育局）",
            in->role);
    if ((in->township && strlen(in->township) >= sizeof(u.township)) ||
        (in->school && strlen(in->school) >= sizeof(u.school)) ||
        (in->department && strlen(in->department) >= sizeof(u.department)) ||
        (in->area && strlen(in->area) >= sizeof(u.area)))
        return failed(o, OUT_INVALID, "乡镇代码、学校标识码、部门名称或地区代码过长");
    if (in->villages && strlen(in->villages) >= sizeof(u.villages))
        return failed_at(o, OUT_INVALID, "villages", "村（社区）名称过长");
    snprintf(u.villages, sizeof(u.villages), "%s", in->villages ? in->villages : "");
    if (person_of(c, in->person, &u.person_id, o) < 0)
        return -1;
    snprintf(u.name, sizeof(u.name), "%s", in->username);
    u.role = (enum role)role;
    snprintf(u.township, sizeof(u.township), "%s", in->township ? in->township : "");
    snprintf(u.school, sizeof(u.school), "%s", in->school ? in->school : "");
    snprintf(u.department, sizeof(u.department), "%s", in->department ? in->department : "");
    snprintf(u.area, sizeof(u.area), "%s", in->area ? in->area : "");
    if (user_add(c->s, &u, in->password, c->actor, c->scope->origin, o) < 0)
        return -1;
    buf_addf(&c->msg, "已创建用户 %s", u.name);
    if (user_get(c->s, u.name, &u) == 1) /* as stored: the department by its key */
        c->result = user_json(&u);
    return 0;
}

const struct verb verb_user_add = {
    .name = "user.add",
    .summary = "新建账号",
    .method = "POST",
    .path = "/api/v1/users",
    .perm = PERM_ACCOUNTS,
    .audit = "user_add",
    .flags = VERB_CREATES,
    .size = sizeof(struct user_input),
    .fields = FIELDS(user_fields),
    .run = user_add_run,
};

struct disabled_input {
    bool disabled;
};

static const struct verb_field disabled_fields[] = {
    FIELD(struct disabled_input, disabled, VT_YESNO, "停用", VF_FLAG | VF_REQUIRED, NULL,
          "是：停用；否：启用"),
};

static int set_disabled(struct verb_call *c, bool disable, struct outcome *o)
{
    if (disable && !strcmp(c->name, c->actor))
        return failed(o, OUT_INVALID, "不能停用自己正在使用的账号");
    if (user_set_disabled(c->s, c->name, disable, c->actor, c->scope->origin, o) < 0)
        return -1;
    buf_addf(&c->msg, "已%s用户“%s”%s", disable ? "停用" : "启用", c->name,
             disable ? "，其登录会话已全部结束" : "");
    return 0;
}

static int user_disabled_run(struct verb_call *c, const void *in_, struct outcome *o)
{
    const struct disabled_input *in = in_;
    return set_disabled(c, in->disabled, o);
}

const struct verb verb_user_disabled = {
    .name = "user.disabled",
    .summary = "停用或启用账号（停用立即结束其所有会话）",
    .method = "POST",
    .path = "/api/v1/users/{name}/disabled",
    .perm = PERM_ACCOUNTS,
    .target = VTG_NAME,
    .target_label = "用户名",
    .audit = "user_disable",
    .size = sizeof(struct disabled_input),
    .fields = FIELDS(disabled_fields),
    .run = user_disabled_run,
};

static int user_disable_run(struct verb_call *c, const void *in, struct outcome *o)
{
    (void)in;
    return set_disabled(c, true, o);
}

static int user_enable_run(struct verb_call *c, const void *in, struct outcome *o)
{
    (void)in;
    return set_disabled(c, false, o);
}

/* the command line's two spellings */
const struct verb verb_user_disable = {
    .name = "user.disable",
    .summary = "停用账号（立即结束其所有会话）",
    .perm = PERM_ACCOUNTS,
    .target = VTG_NAME,
    .target_label = "用户名",
    .audit = "user_disable",
    .size = sizeof(struct disabled_input),
    .run = user_disable_run,
};

const struct verb verb_user_enable = {
    .name = "user.enable",
    .summary = "启用账号",
    .perm = PERM_ACCOUNTS,
    .target = VTG_NAME,
    .target_label = "用户名",
    .audit = "user_enable",
    .size = sizeof(struct disabled_input),
    .run = user_enable_run,
};

struct password_input {
    const char *password;
};

static const struct verb_field password_fields[] = {
    FIELD(struct password_input, password, VT_SECRET, "新密码", VF_REQUIRED | VF_GENERATE, NULL,
          "至少 8 个字符"),
};

static int user_password_run(struct verb_call *c, const void *in_, struct outcome *o)
{
    const struct password_input *in = in_;
    if (user_set_password(c->s, c->name, in->password, c->actor, c->scope->origin, o) < 0)
        return -1;
    buf_addf(&c->msg, "已重设用户“%s”的密码，其登录会话已全部结束", c->name);
    return 0;
}

const struct verb verb_user_password = {
    .name = "user.reset-password",
    .summary = "重设密码（结束其所有会话）",
    .method = "POST",
    .path = "/api/v1/users/{name}/password",
    .perm = PERM_ACCOUNTS,
    .target = VTG_NAME,
    .target_label = "用户名",
    .audit = "user_password",
    .size = sizeof(struct password_input),
    .fields = FIELDS(password_fields),
    .run = user_password_run,
};

struct department_input {
    const char *department;
};

static const struct verb_field department_fields[] = {
    FIELD(struct department_input, department, VT_TEXT, "部门", VF_REQUIRED | VF_POSITIONAL, NULL,
          "如 公安、民政"),
};

static int user_department_run(struct verb_call *c, const void *in_, struct outcome *o)
{
    const struct department_input *in = in_;
    if (user_set_department(c->s, c->name, in->department, c->actor, c->scope->origin, o) < 0)
        return -1;
    const struct department *d = department_parse(in->department);
    struct buf kinds = BUF_INIT;
    department_kinds_text(d, &kinds);
    buf_addf(&c->msg, "已为账号“%s”指定部门：%s（可上传：%s），其登录会话已全部结束", c->name,
             d->title, kinds.buf);
    buf_release(&kinds);
    return 0;
}

const struct verb verb_user_department = {
    .name = "user.department",
    .summary = "为部门账号指定部门（结束其所有会话）",
    .method = "POST",
    .path = "/api/v1/users/{name}/department",
    .perm = PERM_ACCOUNTS,
    .target = VTG_NAME,
    .target_label = "用户名",
    .audit = "user_department",
    .size = sizeof(struct department_input),
    .fields = FIELDS(department_fields),
    .run = user_department_run,
};

struct person_link_input {
    const char *person;
};

static const struct verb_field person_link_fields[] = {
    FIELD(struct person_link_input, person, VT_TEXT, "人员", VF_POSITIONAL | VF_MAY_OMIT, NULL,
          "人员名册中的编号或姓名；不填则取消关联"),
};

static int user_person_run(struct verb_call *c, const void *in_, struct outcome *o)
{
    const struct person_link_input *in = in_;
    int64_t id = 0;
    if (person_of(c, in->person, &id, o) < 0)
        return -1;
    if (user_set_person(c->s, c->name, id, c->actor, c->scope->origin, o) < 0)
        return -1;
    struct user u;
    if (user_get(c->s, c->name, &u) == 1) {
        if (id)
            buf_addf(&c->msg, "账号“%s”已关联人员名册中的“%s（%s）”", c->name, u.person_name,
                     u.person_org);
        else
            buf_addf(&c->msg, "账号“%s”已取消与人员名册的关联", c->name);
        c->result = user_json(&u);
    }
    return 0;
}

const struct verb verb_user_person = {
    .name = "user.person",
    .summary = "把账号关联到人员名册中的本人（时间线和审计日志显示其姓名）",
    .method = "POST",
    .path = "/api/v1/users/{name}/person",
    .perm = PERM_ACCOUNTS,
    .target = VTG_NAME,
    .target_label = "用户名",
    .audit = "user_person",
    .size = sizeof(struct person_link_input),
    .fields = FIELDS(person_link_fields),
    .run = user_person_run,
};

/* ---- a department's upload: the county accepts or rejects it ---- */

struct accept_input {
    bool confirm_shrink;
};

static const struct verb_field accept_fields[] = {
    FIELD(struct accept_input, confirm_shrink, VT_YESNO, "确认人数减少", VF_FLAG, NULL,
          "新名单人数明显少于当前名单时须确认"),
};

static int import_accept_run(struct verb_call *c, const void *in_, struct outcome *o)
{
    const struct accept_input *in = in_;
    return batch_accept(c->s, c->id, in->confirm_shrink, c->actor, &c->msg, o);
}

const struct verb verb_import_accept = {
    .name = "import.accept",
    .summary = "确认部门上传的名单，使之生效",
    .method = "POST",
    .path = "/api/v1/imports/{id}/accept",
    .perm = PERM_IMPORT,
    .target = VTG_ID,
    .target_label = "批次号",
    .audit = "import_accept",
    .size = sizeof(struct accept_input),
    .fields = FIELDS(accept_fields),
    .run = import_accept_run,
};

struct reject_input {
    const char *reason;
};

static const struct verb_field reject_fields[] = {
    FIELD(struct reject_input, reason, VT_PROSE, "退回的理由", VF_REQUIRED, NULL,
          "上传的部门能看到"),
};

static int import_reject_run(struct verb_call *c, const void *in_, struct outcome *o)
{
    const struct reject_input *in = in_;
    return batch_reject(c->s, c->id, in->reason, c->actor, &c->msg, o);
}

const struct verb verb_import_reject = {
    .name = "import.reject",
    .summary = "退回部门上传的名单",
    .method = "POST",
    .path = "/api/v1/imports/{id}/reject",
    .perm = PERM_IMPORT,
    .target = VTG_ID,
    .target_label = "批次号",
    .audit = "import_reject",
    .size = sizeof(struct reject_input),
    .fields = FIELDS(reject_fields),
    .run = import_reject_run,
};
