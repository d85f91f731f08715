/* The rows of attendance (issue 16, casework/attendance.h): recording and removing a day's
 * absences, a school's closed days, and importing a school's attendance sheet. A school account
 * acts for its own school; the county for any (the functions check it). */
#include "casework/attendance.h"
#include "verb/rows.h"

#include "util/common.h"

static const struct verb_field record_fields[] = {
    FIELD(struct attendance_input, school, VT_TEXT, "学校", 0, NULL,
          "学籍中的学校标识码或名称（学校账号默认本校）"),
    FIELD(struct attendance_input, date, VT_DATE, "日期", 0, NULL, "默认今天；须是上课日"),
    FIELD(struct attendance_input, kind, VT_WORD, "类型", VF_REQUIRED, &absence_kinds,
          "事假、病假、旷课、迟到早退"),
    FIELD(struct attendance_input, pupils, VT_TEXT, "学生", VF_REQUIRED | VF_LIST, NULL,
          "学籍号、身份证号或记录编号，一次可记多名"),
    FIELD(struct attendance_input, note, VT_TEXT, "原因", 0, NULL, "如：发烧、家长请假"),
};

static int record_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return attendance_record(c->s, c->scope, in, c->actor, &c->msg, &c->result, o);
}

const struct verb verb_attendance_record = {
    .name = "attendance.record",
    .summary = "记录一天的缺勤（事假、病假、旷课、迟到早退），可一次记多名学生；同日再记即改记",
    .method = "POST",
    .path = "/api/v1/attendance",
    .perm = PERM_CASES,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .audit = "attendance_record",
    .flags = VERB_CREATES,
    .size = sizeof(struct attendance_input),
    .fields = FIELDS(record_fields),
    .run = record_run,
};

static const struct verb_field remove_fields[] = {
    FIELD(struct attendance_remove_input, school, VT_TEXT, "学校", 0, NULL,
          "学籍中的学校标识码或名称（学校账号默认本校）"),
    FIELD(struct attendance_remove_input, date, VT_DATE, "日期", VF_REQUIRED, NULL, NULL),
    FIELD(struct attendance_remove_input, pupils, VT_TEXT, "学生", VF_REQUIRED | VF_LIST, NULL,
          "学籍号、身份证号或记录编号"),
    FIELD(struct attendance_remove_input, reason, VT_TEXT, "撤销原因", 0, NULL,
          "如：记错了，学生当天在校"),
};

static int remove_run(struct verb_call *c, const void *in, struct outcome *o)
{
    return attendance_remove(c->s, c->scope, in, c->actor, &c->msg, o);
}

const struct verb verb_attendance_remove = {
    .name = "attendance.remove",
    .summary = "撤销学生某一天的缺勤记录（记入审计）",
    .method = "POST",
    .path = "/api/v1/attendance/removals",
    .perm = PERM_CASES,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .audit = "attendance_remove",
    .size = sizeof(struct attendance_remove_input),
    .fields = FIELDS(remove_fields),
    .run = remove_run,
};

static const struct verb_field close_fields[] = {
    FIELD(struct closure_input, school, VT_TEXT, "学校", 0, NULL,
          "学籍中的学校标识码或名称（学校账号默认本校）"),
    FIELD(struct closure_input, from, VT_DATE, "停课开始日期", VF_REQUIRED, NULL, NULL),
    FIELD(struct closure_input, to, VT_DATE, "停课结束日期", 0, NULL, "默认与开始日期相同"),
    FIELD(struct closure_input, reason, VT_TEXT, "停课原因", VF_REQUIRED, NULL,
          "如：暴雪停课、考点借用"),
};

static int close_run(struct verb_call *c, const void *in, struct outcome *o)
{
    int64_t id;
    if (attendance_close(c->s, c->scope, in, c->actor, &id, &c->msg, o) < 0)
        return -1;
    c->result = json_pack("{s:I}", "id", (json_int_t)id);
    return 0;
}

const struct verb verb_attendance_close = {
    .name = "attendance.close",
    .summary = "登记学校停课的日子（这些天不是上课日，不计考勤）",
    .method = "POST",
    .path = "/api/v1/attendance/closures",
    .perm = PERM_CASES,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .audit = "school_closure",
    .flags = VERB_CREATES,
    .size = sizeof(struct closure_input),
    .fields = FIELDS(close_fields),
    .run = close_run,
};

struct reopen_input {
    const char *unused;
};

static int reopen_run(struct verb_call *c, const void *in, struct outcome *o)
{
    (void)in;
    return attendance_reopen(c->s, c->scope, c->id, c->actor, &c->msg, o);
}

const struct verb verb_attendance_reopen = {
    .name = "attendance.reopen",
    .summary = "撤销一次停课登记（那些天重新计为上课日）",
    .method = "POST",
    .path = "/api/v1/attendance/closures/{id}/reopen",
    .perm = PERM_CASES,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .target = VTG_ID,
    .target_label = "停课编号",
    .audit = "school_reopen",
    .size = sizeof(struct reopen_input),
    .run = reopen_run,
};

struct sheet_input {
    const char *school, *rejects;
    bool force, dry_run;
};

static const struct verb_field sheet_fields[] = {
    FIELD(struct sheet_input, school, VT_TEXT, "学校", 0, NULL,
          "表中没有学校列时，考勤表是哪所学校的（学校账号默认本校）"),
    FIELD(struct sheet_input, rejects, VT_TEXT, "拒绝行文件", VF_CLI, NULL,
          "把被拒绝的行及原因写入这个 CSV 文件"),
    FIELD(struct sheet_input, force, VT_YESNO, "再次导入", VF_FLAG, NULL,
          "即使同一文件已导入过也再次导入"),
    FIELD(struct sheet_input, dry_run, VT_YESNO, "只检查", VF_FLAG, NULL,
          "读取并检查每一行，不保存"),
};

static int sheet_run(struct verb_call *c, const void *in_, struct outcome *o)
{
    const struct sheet_input *in = in_;
    struct attendance_import_options opt = {.path = c->in_path,
                                            .name = c->in_name,
                                            .school = in->school,
                                            .rejects_path = in->rejects,
                                            .force = in->force,
                                            .dry_run = in->dry_run,
                                            .actor = c->actor,
                                            .report = c->progress};
    struct attendance_import_summary sum;
    if (attendance_import(c->s, c->scope, &opt, &sum, o) < 0)
        return -1;
    attendance_import_describe(&opt, &sum, &c->msg);
    c->result = attendance_import_json(&opt, &sum);
    return 0;
}

const struct verb verb_attendance_import = {
    .name = "attendance.import",
    .summary = "导入学校的考勤表（每行一条缺勤，或班级月考勤表），整份导入或整份不导入",
    .method = "POST",
    .path = "/api/v1/attendance/imports",
    .perm = PERM_CASES,
    .object = SCOPE_NONE,
    .action = ACT_WRITE,
    .audit = "attendance_import",
    .flags = VERB_FILE_IN | VERB_CREATES,
    .size = sizeof(struct sheet_input),
    .fields = FIELDS(sheet_fields),
    .run = sheet_run,
};
