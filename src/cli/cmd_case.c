#include "casework/case.h"
#include "cli/casework_cli.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"

static const char usage[] =
    "baoxue case [--db 路径] list [--township 乡镇] [--state open|returned|closed|all] [--full] "
    "[--format …] [-o 文件]\n"
    "       baoxue case show 案件编号 [--full]\n"
    "       baoxue case assign 案件编号 [--township 人员] [--village 人员] [--teacher 人员] "
    "[--reason 原因]\n"
    "       baoxue case attempt 案件编号 --method 家访 --people 参加人员 --result 结果 [--date "
    "日期]\n"
    "             [--said 谈话内容] [--response 家庭回应] [--next 下一步] [--corrects 记录编号]\n"
    "       baoxue case escalate 案件编号 --step 宣传教育|书面通知|行政处罚|申请强制执行 "
    "--authority 机关 [--date 日期] [--deadline 限期] [--result 结果]\n"
    "       baoxue case resolve 案件编号 --outcome 复学|送教上门|特殊教育学校|职业教育安置|其他 "
    "[--date 日期]\n"
    "             [--school 学校] [--grade 年级] [--visits-per-week 次数 --hours 课时] [--note "
    "说明]\n"
    "       baoxue case follow-up 案件编号 --in-school 是|否 --by 回访人 [--date 日期] [--note "
    "说明]\n"
    "       baoxue case close 案件编号 --approver 县教育局账号 --reason 理由 [--date 日期]\n"
    "       baoxue case reopen 案件编号 --reason 原因";

static const char help[] =
    "\n一人一案：确认失学辍学的儿童立案后，记录每次劝返（劝返复学书面报告，只增不改，更正用 "
    "--corrects 新增一条），\n"
    "依法控辍按 宣传教育 → 书面通知/责令限期改正（义务教育法第五十八条）→ 行政处罚 → "
    "申请强制执行或诉讼 依次进行，\n"
    "记录劝返结果后按期回访（默认每月一次、共三次），回访完成后经审批销号。以后的比对如发现儿童"
    "不在校，案件自动重新打开。\n"
    "销号的审批人是县教育局（或系统管理员）的账号（--approver 账号名），且不能是经办过此案的账号"
    "（录入过其核查、劝返、回访等记录的账号）。\n";

int cmd_case(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"township", required_argument, NULL, 't'},
        {"village", required_argument, NULL, 'v'},
        {"teacher", required_argument, NULL, 'T'},
        {"state", required_argument, NULL, 'S'},
        {"full", no_argument, NULL, 'U'},
        {"format", required_argument, NULL, 'F'},
        {"output", required_argument, NULL, 'o'},
        {"reason", required_argument, NULL, 'r'},
        {"date", required_argument, NULL, 'D'},
        {"method", required_argument, NULL, 'm'},
        {"people", required_argument, NULL, 'P'},
        {"said", required_argument, NULL, 'a'},
        {"response", required_argument, NULL, 'R'},
        {"result", required_argument, NULL, 'x'},
        {"next", required_argument, NULL, 'n'},
        {"corrects", required_argument, NULL, 'c'},
        {"step", required_argument, NULL, 's'},
        {"authority", required_argument, NULL, 'A'},
        {"deadline", required_argument, NULL, 'L'},
        {"outcome", required_argument, NULL, 'O'},
        {"school", required_argument, NULL, 'k'},
        {"grade", required_argument, NULL, 'g'},
        {"visits-per-week", required_argument, NULL, 'w'},
        {"hours", required_argument, NULL, 'H'},
        {"note", required_argument, NULL, 'N'},
        {"in-school", required_argument, NULL, 'i'},
        {"by", required_argument, NULL, 'b'},
        {"approver", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *fmt_name = NULL, *out = NULL, *approver = NULL, *reason = NULL,
               *date = NULL, *note = NULL, *result = NULL;
    struct case_filter f = {0};
    struct assign_input as = {0};
    struct attempt_input at = {0};
    struct ladder_input ld = {0};
    struct resolve_input rs = {0};
    struct followup_input fu = {0};
    int c;
    cli_getopt_reset();
    while ((c = cli_getopt(argc, argv, "o:", opts, usage)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 't':
            f.township = as.township = optarg;
            break;
        case 'v':
            as.village = optarg;
            break;
        case 'T':
            as.teacher = optarg;
            break;
        case 'S':
            f.state = optarg;
            break;
        case 'U':
            f.full = true;
            break;
        case 'F':
            fmt_name = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'r':
            reason = as.reason = optarg;
            break;
        case 'D':
            date = optarg;
            break;
        case 'm':
            at.method = optarg;
            break;
        case 'P':
            at.people = optarg;
            break;
        case 'a':
            at.said = optarg;
            break;
        case 'R':
            at.response = optarg;
            break;
        case 'x':
            result = optarg;
            break;
        case 'n':
            at.next_step = optarg;
            break;
        case 'c':
            at.corrects = optarg;
            break;
        case 's':
            ld.step = optarg;
            break;
        case 'A':
            ld.authority = optarg;
            break;
        case 'L':
            ld.deadline = optarg;
            break;
        case 'O':
            rs.outcome = optarg;
            break;
        case 'k':
            rs.school = optarg;
            break;
        case 'g':
            rs.grade = optarg;
            break;
        case 'w':
            rs.visits_per_week = optarg;
            break;
        case 'H':
            rs.hours = optarg;
            break;
        case 'N':
            note = optarg;
            break;
        case 'i':
            fu.in_school = optarg;
            break;
        case 'b':
            fu.by = optarg;
            break;
        case 'p':
            approver = optarg;
            break;
        case 'h':
            printf("用法：%s\n%s", usage, help);
            return EXIT_OK;
        default:
            return EXIT_INPUT;
        }
    }
    at.date = ld.date = rs.date = fu.date = date;
    at.result = ld.result = result;
    rs.note = fu.note = note;
    if (optind >= argc)
        die_usage("缺少子命令（list、show、assign、attempt、escalate、resolve、follow-up、close "
                  "或 reopen）；用法：%s",
                  usage);
    const char *sub = argv[optind];
    static const char *const verbs[] = {"show",    "assign",    "attempt", "escalate",
                                        "resolve", "follow-up", "close",   "reopen"};
    bool is_list = !strcmp(sub, "list"), known = is_list;
    for (size_t i = 0; i < ARRAY_SIZE(verbs); i++)
        known = known || !strcmp(sub, verbs[i]);
    if (!known)
        die_usage("未知子命令“%s”；用法：%s", sub, usage);
    int64_t id = 0;
    if (is_list) {
        if (optind + 1 < argc)
            die_usage("多余的参数“%s”", argv[optind + 1]);
    } else {
        id = cw_number(argc, argv, optind + 1, sub, "案件编号（见 baoxue case list）");
    }
    enum report_format fmt = cw_format(fmt_name, out);
    int exit_code;
    struct store *s = cli_open_store(db, &exit_code);
    if (!s)
        return exit_code;
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    const char *actor = cli_actor();
    char target[AUDIT_TARGET_SIZE];
    audit_target(target, OBJ_CASE, id);
    int rc;
    if (is_list || !strcmp(sub, "show")) {
        exit_code = f.full ? cw_audit_full(s, is_list ? "case list full=1" : "case show full=1",
                                           is_list ? NULL : target)
                           : EXIT_OK;
        if (exit_code == EXIT_OK && is_list) {
            struct report_table t;
            if (case_list(s, &f, &t, &o) == 0)
                exit_code = cw_render(&t, fmt, out);
            else
                exit_code = cli_failed(&o);
        } else if (exit_code == EXIT_OK) {
            if (case_show(s, id, f.full, &msg, &o) == 0)
                fputs(msg.buf, stdout);
            else
                exit_code = cli_failed(&o);
        }
        outcome_release(&o);
        buf_release(&msg);
        store_close(s);
        return exit_code;
    }
    if (!strcmp(sub, "assign"))
        rc = casework_assign(s, 0, id, &as, actor, &msg, &o);
    else if (!strcmp(sub, "attempt"))
        rc = case_attempt(s, id, &at, actor, &msg, &o);
    else if (!strcmp(sub, "escalate"))
        rc = case_escalate(s, id, &ld, actor, &msg, &o);
    else if (!strcmp(sub, "resolve"))
        rc = case_resolve(s, id, &rs, actor, &msg, &o);
    else if (!strcmp(sub, "follow-up"))
        rc = case_follow_up(s, id, &fu, actor, &msg, &o);
    else if (!strcmp(sub, "close"))
        rc = case_close(s, id, approver, reason, date, actor, &msg, &o);
    else
        rc = case_reopen(s, id, reason, actor, &msg, &o);
    exit_code = cw_done(rc, &msg, &o);
    store_close(s);
    return exit_code;
}
