#include "cli/cli.h"

#include "util/common.h"

const struct command commands[] = {
    {"init", cmd_init, "创建数据库并设置本县（区划代码）"},
    {"import", cmd_import, "导入户籍、学籍或外出就读名单（xlsx、xls、csv）"},
    {"match", cmd_match, "比对户籍与学籍，判定每名儿童的状态"},
    {"report", cmd_report, "输出未在校名单或状态汇总（表格、csv、xlsx、json）"},
    {"review", cmd_review, "人工复核无法自动确定的记录对"},
    {"explain", cmd_explain, "解释一名儿童的比对过程（每条候选记录、每项得分和决定）"},
    {"people", cmd_people, "人员名册：包保干部、村干部、教师（导入、登记、修改、停用）"},
    {"verify", cmd_verify, "核查疑似失学辍学儿童，记录核查结论"},
    {"case", cmd_case, "一人一案：劝返、依法控辍、劝返结果、回访、销号"},
    {"placement", cmd_placement, "残疾儿童安置方式和送教上门记录（每月最低要求）"},
    {"care", cmd_care, "留守儿童关爱联系：记录入户、电话、视频、到校联系"},
    {"pairing", cmd_pairing, "预警学生的结对帮扶：安排或结束结对教师"},
    /* issue 16: the wellbeing ledgers */
    {"illness", cmd_illness, "疾病台帐：学生的疾病、对到校的影响和随访"},
    {"mental", cmd_mental, "心理健康台帐（仅限被授权的人员，查看记入审计日志）"},
    {"attendance", cmd_attendance,
     "考勤：记录和查看学生缺勤（事假、病假、旷课、迟到早退）、上课日"},
    {"warnings", cmd_warnings, "考勤预警：连续旷课、累计旷课、长期病假的预警和处置"},
    /* issue 17 */
    {"monthly", cmd_monthly, "月报确认：各乡镇确认本月数字、逾期未确认、县审定上报和下载"},
    /* issue 17: 督导检查 and 限期整改 */
    {"inspections", cmd_inspections, "督导检查：检查记录、发现的问题、限期整改、结果公告"},
    {"rectifications", cmd_rectifications, "限期整改：责任单位提交整改材料，检查组验收或退回"},
    {"bulletins", cmd_bulletins, "控辍保学工作情况通报：按月或按学期印发、列出、生成 PDF"},
    /* issue 17: accountability */
    {"meetings", cmd_meetings, "联席会议：参会部门、议定事项、部门报告进展"},
    {"interviews", cmd_interviews, "约谈：被约谈单位和人、承诺及期限、回访"},
    /* issue 17: 招生入学 */
    {"catchment", cmd_catchment, "学区：每个村（社区）划入的学校（查看、划定、取消、导入学区表）"},
    {"entrants", cmd_entrants, "招生入学：学校登记明年入学儿童的申请（随迁子女等）"},
    {"tasks", cmd_tasks, "列出到期和逾期的事项，最紧急的在前"},
    {"notice", cmd_notice, "为案件生成劝返复学通知书、责令限期改正通知书（PDF）"},
    {"settings", cmd_settings, "本县设置：年龄段、截止日、比对分数线、期限、假期（查看、修改）"},
    {"serve", cmd_serve, "启动网页和接口服务（账号登录、按角色和辖区查看）"},
    {"user", cmd_user, "管理服务的账号：添加、列出、停用、重设密码"},
    {"audit", cmd_audit, "查询审计日志：谁在何时从何处做了什么"},
    /* issue 18 */
    {"backup", cmd_backup, "备份数据库到一个文件（服务运行时也可以）；PostgreSQL 给出备份命令"},
    {"restore", cmd_restore, "从备份文件恢复数据库（先检查文件，保留原数据库的副本）"},
    {"province", cmd_province, "多个县共用一个 PostgreSQL 数据库：加入县、列出县、各县指标和排名"},
    {"demo", cmd_demo, "生成演示县的数据文件，并导入、比对"},
    {NULL, NULL, NULL},
};

const struct command *command_find(const char *name)
{
    for (const struct command *c = commands; c->name; c++)
        if (!strcmp(c->name, name))
            return c;
    return NULL;
}

static void usage(FILE *out)
{
    fprintf(out, "baoxue（保学）%s —— 控辍保学信息系统\n\n用法：baoxue <命令> [选项]\n\n命令：\n",
            BAOXUE_VERSION);
    for (const struct command *c = commands; c->name; c++)
        fprintf(out, "  %-8s %s\n", c->name, c->summary);
    fprintf(out, "\n每个命令的选项：baoxue help <命令>（或 baoxue <命令> --help）\n"
                 "数据库：--db 路径，或环境变量 BAOXUE_DB，默认 ./baoxue.db\n");
}

const char *cli_program = "baoxue";

int cli_main(int argc, char **argv)
{
    if (argc > 0 && argv[0] && *argv[0])
        cli_program = argv[0];
    if (argc < 2) {
        usage(stderr);
        return EXIT_INPUT;
    }
    if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        const struct command *c =
            argc > 2 && !strcmp(argv[1], "help") ? command_find(argv[2]) : NULL;
        if (argc > 2 && !strcmp(argv[1], "help") && !c) {
            error("未知命令“%s”", argv[2]);
            usage(stderr);
            return EXIT_INPUT;
        }
        if (!c) {
            usage(stdout);
            return EXIT_OK;
        }
        /* baoxue help COMMAND: the command's own usage, made from its rows */
        char *args[] = {(char *)c->name, "--help", NULL};
        return c->run(2, args);
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("baoxue %s\n", BAOXUE_VERSION);
        return EXIT_OK;
    }
    const struct command *c = command_find(argv[1]);
    if (!c) {
        error("未知命令“%s”", argv[1]);
        usage(stderr);
        return EXIT_INPUT;
    }
    return c->run(argc - 1, argv + 1);
}
