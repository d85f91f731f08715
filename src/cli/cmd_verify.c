#include "casework/casework.h"
#include "cli/casework_cli.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"

static const char usage[] =
    "baoxue verify [--db 路径] list [--township 乡镇] [--state open|outreach|closed|flagged|all] "
    "[--full] [--format table|csv|xlsx|json] [-o 文件]\n"
    "       baoxue verify show 任务编号 [--full]\n"
    "       baoxue verify record 任务编号 --outcome 结论 --by 核查人 [--date 日期] [--note 说明]\n"
    "             [--school 学校 --evidence 证明材料] [--kind 空挂户|双重户籍|证件错误|查无此人]\n"
    "             [--reason 主要原因 --other-reasons 其他原因,…]（确认失学辍学时立案）\n"
    "       baoxue verify assign 任务编号 [--township 人员] [--village 人员] [--teacher 人员] "
    "[--reason 原因]";

static const char help[] =
    "\n比对后，每名适龄未入学或辍学的儿童都有一项核查任务（默认 10 天内完成）。核查结论：\n"
    "  已在校注册学籍、省内就读无学籍、省外就读（须 --school 和 --evidence，下次比对时复核）、\n"
    "  出国、送教上门/因病因残（须 --evidence）、延缓入学（须 "
    "--evidence，批准文号）、超龄离校、死亡、\n"
    "  户籍问题（须 --kind）、随父母外出无法联系（转为外联保学，任务不关闭）、\n"
    "  确认失学辍学（须 --reason，立案）。\n"
    "核查人、责任人为人员名册中的编号或姓名。--full 显示完整身份证号和电话（记入审计日志）。\n";

int cmd_verify(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"township", required_argument, NULL, 't'},
        {"state", required_argument, NULL, 'S'},
        {"full", no_argument, NULL, 'U'},
        {"format", required_argument, NULL, 'F'},
        {"output", required_argument, NULL, 'o'},
        {"outcome", required_argument, NULL, 'O'},
        {"kind", required_argument, NULL, 'k'},
        {"date", required_argument, NULL, 'D'},
        {"by", required_argument, NULL, 'b'},
        {"note", required_argument, NULL, 'N'},
        {"school", required_argument, NULL, 's'},
        {"evidence", required_argument, NULL, 'e'},
        {"reason", required_argument, NULL, 'r'},
        {"other-reasons", required_argument, NULL, 'R'},
        {"village", required_argument, NULL, 'v'},
        {"teacher", required_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *fmt_name = NULL, *out = NULL;
    struct verify_filter f = {0};
    struct verify_input in = {0};
    struct assign_input as = {0};
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
        case 'O':
            in.outcome = optarg;
            break;
        case 'k':
            in.subkind = optarg;
            break;
        case 'D':
            in.date = optarg;
            break;
        case 'b':
            in.by = optarg;
            break;
        case 'N':
            in.note = optarg;
            break;
        case 's':
            in.school = optarg;
            break;
        case 'e':
            in.evidence = optarg;
            break;
        case 'r':
            in.reason = as.reason = optarg;
            break;
        case 'R':
            in.other_reasons = optarg;
            break;
        case 'v':
            as.village = optarg;
            break;
        case 'T':
            as.teacher = optarg;
            break;
        case 'h':
            printf("用法：%s\n%s", usage, help);
            return EXIT_OK;
        default:
            return EXIT_INPUT;
        }
    }
    if (optind >= argc)
        die_usage("缺少子命令（list、show、record 或 assign）；用法：%s", usage);
    const char *sub = argv[optind];
    bool is_list = !strcmp(sub, "list");
    int64_t id = 0;
    if (is_list) {
        if (optind + 1 < argc)
            die_usage("多余的参数“%s”", argv[optind + 1]);
    } else if (!strcmp(sub, "show") || !strcmp(sub, "record") || !strcmp(sub, "assign")) {
        id = cw_number(argc, argv, optind + 1, sub, "核查任务编号（见 baoxue verify list）");
    } else {
        die_usage("未知子命令“%s”；用法：%s", sub, usage);
    }
    enum report_format fmt = cw_format(fmt_name, out);
    int exit_code;
    struct store *s = cli_open_store(db, &exit_code);
    if (!s)
        return exit_code;
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    char target[AUDIT_TARGET_SIZE];
    audit_target(target, OBJ_TASK, id);
    if (is_list || !strcmp(sub, "show")) {
        exit_code = f.full ? cw_audit_full(s, is_list ? "verify list full=1" : "verify show full=1",
                                           is_list ? NULL : target)
                           : EXIT_OK;
        if (exit_code == EXIT_OK && is_list) {
            struct report_table t;
            if (verify_list(s, &f, &t, &o) == 0)
                exit_code = cw_render(&t, fmt, out);
            else
                exit_code = cli_failed(&o);
        } else if (exit_code == EXIT_OK) {
            if (verify_show(s, id, f.full, &msg, &o) == 0)
                fputs(msg.buf, stdout);
            else
                exit_code = cli_failed(&o);
        }
        outcome_release(&o);
    } else if (!strcmp(sub, "record")) {
        int rc = verify_record(s, id, &in, cli_actor(), &msg, &o);
        exit_code = cw_done(rc, &msg, &o);
    } else {
        int rc = casework_assign(s, id, 0, &as, cli_actor(), &msg, &o);
        exit_code = cw_done(rc, &msg, &o);
    }
    buf_release(&msg);
    store_close(s);
    return exit_code;
}
