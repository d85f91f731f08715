/* baoxue attendance: a school's absences (issue 16, casework/attendance.h). Reading: list (the
 * absences), classes (a school by day and class), days (which days are school days);
 * recording, removing, closures and a school's sheet are action rows
 * (verb/rows_attendance.c). */
#include "casework/attendance.h"
#include "cli/casework_cli.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/opt.h"
#include "cli/sub.h"
#include "store/store.h"
#include "util/common.h"

static int list_table(struct store *s, const void *filter, struct report_table *t,
                      struct outcome *o)
{
    return attendance_list(s, NULL, filter, t, o);
}

static int classes_table(struct store *s, const void *filter, struct report_table *t,
                         struct outcome *o)
{
    return attendance_by_class(s, NULL, filter, t, o);
}

struct days_filter {
    const char *school;
    int from, to;
};

static int days_table(struct store *s, const void *filter, struct report_table *t,
                      struct outcome *o)
{
    const struct days_filter *f = filter;
    return attendance_days(s, NULL, f->school, f->from, f->to, t, o);
}

static int list_cmd(int argc, char **argv)
{
    static const char *const usage[] = {
        "baoxue attendance list [选项]",
        "列出缺勤记录（事假、病假、旷课、迟到早退），最近的日子在前；默认本学期到今天", NULL};
    struct attendance_filter f = {0};
    const struct opt opts[] = {
        OPT_STRING('s', "school", &f.school, "学校", "学籍中的学校标识码或名称"),
        OPT_LONG(0, "grade", &f.grade, "年级", "1 到 12", 0, 12),
        OPT_STRING(0, "class", &f.klass, "班级", "学籍中写的班级，如 2 或 (2)班"),
        OPT_STRING(0, "pupil", &f.pupil, "学生", "学籍号、身份证号或记录编号"),
        OPT_DATE(0, "from", &f.from, "开始日期（默认本学期第一个上课日）"),
        OPT_DATE(0, "to", &f.to, "结束日期（默认今天）"),
        OPT_STRING(0, "kind", &f.kind, "类型", "事假、病假、旷课或迟到早退"),
        OPT_INCLUDE(cli_out_opts),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    return cw_list(argc, argv, usage, opts, NULL, NULL, list_table, &f,
                   "记录缺勤：baoxue attendance record --school 学校 --date 2026-11-20 "
                   "--kind 旷课 --pupils 学籍号");
}

static int classes_cmd(int argc, char **argv)
{
    static const char *const usage[] = {
        "baoxue attendance classes --school 学校 [选项]",
        "一所学校每个上课日各班的缺勤人数（事假、病假、旷课、迟到早退），默认最近一周", NULL};
    struct attendance_filter f = {0};
    const struct opt opts[] = {
        OPT_STRING('s', "school", &f.school, "学校", "学籍中的学校标识码或名称"),
        OPT_STRING(0, "class", &f.klass, "班级", "只看这个班级"),
        OPT_DATE(0, "from", &f.from, "开始日期（默认一周前）"),
        OPT_DATE(0, "to", &f.to, "结束日期（默认今天）"),
        OPT_INCLUDE(cli_out_opts),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    return cw_list(argc, argv, usage, opts, NULL, NULL, classes_table, &f, NULL);
}

static int days_cmd(int argc, char **argv)
{
    static const char *const usage[] = {
        "baoxue attendance days [选项]",
        "每一天是不是上课日，以及不上课的原因（学期、周末、假期、调休、学校停课）", NULL};
    struct days_filter f = {0};
    const struct opt opts[] = {
        OPT_STRING('s', "school", &f.school, "学校", "加上这所学校的停课日"),
        OPT_DATE(0, "from", &f.from, "开始日期（默认两周前）"),
        OPT_DATE(0, "to", &f.to, "结束日期（默认今天）"),
        OPT_INCLUDE(cli_out_opts),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    return cw_list(argc, argv, usage, opts, NULL, NULL, days_table, &f, NULL);
}

static const struct cli_sub reads[] = {
    {"list", list_cmd, "列出缺勤记录（学校、班级、学生、日期范围）"},
    {"classes", classes_cmd, "一所学校每天各班的缺勤人数"},
    {"days", days_cmd, "哪些天是上课日（学期、周末、假期、调休、停课）"},
    {NULL, NULL, NULL},
};

static const char about[] =
    "学校记录缺勤，不记出勤：每名学生每个上课日一条，事假、病假、旷课或迟到早退。\n"
    "学期见设置 term_autumn_start 等，假期 school_holidays，调休上课日 school_makeup_days；\n"
    "学校停课用 attendance close 登记。学校的考勤表用 baoxue import --kind 考勤 文件 导入。";

int cmd_attendance(int argc, char **argv)
{
    return cli_dispatch("attendance", reads, about, argc, argv);
}
