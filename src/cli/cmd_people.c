#include "casework/people.h"
#include "cli/casework_cli.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "store/store.h"
#include "util/common.h"

static const char usage[] =
    "baoxue people [--db 路径] list [--township 乡镇] [--all] [--full] [--format "
    "table|csv|xlsx|json] "
    "[-o 文件]\n"
    "       baoxue people import 文件（xlsx/xls/csv，表头：姓名、电话、单位、职务/角色、乡镇）\n"
    "       baoxue people add --name 姓名 --org 单位 --role 职务 [--phone 电话] [--township 乡镇] "
    "[--org-kind 县教育局|乡镇|村|学校|部门]\n"
    "       baoxue people edit 编号 [--name …] [--phone …] [--org …] [--role …] [--township …] "
    "[--org-kind …]\n"
    "       baoxue people deactivate 编号";

int cmd_people(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"name", required_argument, NULL, 'n'},
        {"phone", required_argument, NULL, 'p'},
        {"org", required_argument, NULL, 'g'},
        {"org-kind", required_argument, NULL, 'k'},
        {"township", required_argument, NULL, 't'},
        {"role", required_argument, NULL, 'r'},
        {"all", no_argument, NULL, 'A'},
        {"full", no_argument, NULL, 'U'},
        {"format", required_argument, NULL, 'F'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *fmt_name = NULL, *out = NULL;
    struct person_input in = {0};
    struct people_filter f = {0};
    int c;
    cli_getopt_reset();
    while ((c = cli_getopt(argc, argv, "o:", opts, usage)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'n':
            in.name = optarg;
            break;
        case 'p':
            in.phone = optarg;
            break;
        case 'g':
            in.org = optarg;
            break;
        case 'k':
            in.org_kind = optarg;
            break;
        case 't':
            in.township = f.township = optarg;
            break;
        case 'r':
            in.role = optarg;
            break;
        case 'A':
            f.all = true;
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
        case 'h':
            printf(
                "用法：%s\n\n人员名册：包保干部、村干部、校长、班主任、结对教师等。核查任务和案件"
                "指派给名册中的人；停用的人员保留在历史记录中。电话默认隐去中间四位，--full "
                "显示完整号码（记入审计日志）。\n",
                usage);
            return EXIT_OK;
        default:
            return EXIT_INPUT;
        }
    }
    if (optind >= argc)
        die_usage("缺少子命令（list、import、add、edit 或 deactivate）；用法：%s", usage);
    const char *sub = argv[optind];
    int64_t id = 0;
    const char *file = NULL;
    if (!strcmp(sub, "edit") || !strcmp(sub, "deactivate")) {
        id = cw_number(argc, argv, optind + 1, sub, "人员编号（见 baoxue people list）");
    } else if (!strcmp(sub, "import")) {
        if (optind + 1 >= argc)
            die_usage("people import 需要人员名册文件");
        if (optind + 2 < argc)
            die_usage("多余的参数“%s”", argv[optind + 2]);
        file = argv[optind + 1];
    } else if (!strcmp(sub, "list") || !strcmp(sub, "add")) {
        if (optind + 1 < argc)
            die_usage("多余的参数“%s”", argv[optind + 1]);
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
    int rc;
    if (!strcmp(sub, "list")) {
        struct report_table t;
        exit_code = f.full ? cw_audit_full(s, "people list full=1", NULL) : EXIT_OK;
        if (exit_code == EXIT_OK) {
            if (people_list(s, &f, &t, &o) == 0)
                exit_code = cw_render(&t, fmt, out);
            else
                exit_code = cli_failed(&o);
        }
        outcome_release(&o);
    } else if (!strcmp(sub, "add")) {
        rc = people_add(s, &in, cli_actor(), &id, &o);
        if (rc == 0)
            buf_addf(&msg, "已登记人员 %lld", (long long)id);
        exit_code = cw_done(rc, &msg, &o);
    } else if (!strcmp(sub, "edit")) {
        rc = people_edit(s, id, &in, cli_actor(), &msg, &o);
        exit_code = cw_done(rc, &msg, &o);
    } else if (!strcmp(sub, "deactivate")) {
        rc = people_deactivate(s, id, cli_actor(), &msg, &o);
        exit_code = cw_done(rc, &msg, &o);
    } else {
        struct people_import_summary sum;
        rc = people_import(s, file, cli_actor(), &sum, &o);
        if (rc == 0)
            buf_addf(&msg,
                     "人员名册导入完成：%ld 行，新登记 %ld 人，已在名册中 %ld 人，跳过 %ld 行",
                     sum.rows, sum.added, sum.existing, sum.skipped);
        exit_code = cw_done(rc, &msg, &o);
    }
    buf_release(&msg);
    store_close(s);
    return exit_code;
}
