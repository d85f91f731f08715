#include "casework/case.h"
#include "cli/casework_cli.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "store/store.h"
#include "util/common.h"

static const char usage[] =
    "baoxue notice [--db 路径] 案件编号 --kind return|order -o 文件.pdf [--date 日期]\n"
    "              [--deadline 限期] [--authority 机关] [--doc-number 文号] [--school 学校]\n"
    "              [--grade 年级] [--contact 联系人及电话] [--full]";

static void help(void)
{
    printf("用法：%s\n\n"
           "为案件的监护人生成可打印的通知书（PDF，A4）：\n"
           "  --kind return   《劝返复学通知书》\n"
           "  --kind order    《责令限期改正通知书》（义务教育法第五十八条；期限取法律程序第 2 "
           "步记录的期限，或 --deadline）\n"
           "内容取自案件：儿童和监护人（户籍记录）、县名、发文机关（默认乡镇人民政府，或第 2 "
           "步记录的机关）、\n"
           "复学学校（劝返结果或学籍记录）、联系人（包保干部）；以上选项可逐项指定。\n"
           "身份证号默认遮盖，--full 打印完整号码（记入审计日志）。生成通知书记入案件时间线。\n",
           usage);
}

int cmd_notice(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"kind", required_argument, NULL, 'k'},
        {"output", required_argument, NULL, 'o'},
        {"date", required_argument, NULL, 'D'},
        {"deadline", required_argument, NULL, 'L'},
        {"authority", required_argument, NULL, 'A'},
        {"doc-number", required_argument, NULL, 'n'},
        {"school", required_argument, NULL, 's'},
        {"grade", required_argument, NULL, 'g'},
        {"contact", required_argument, NULL, 'c'},
        {"full", no_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *out = NULL;
    struct notice_input in = {0};
    int c;
    cli_getopt_reset();
    while ((c = cli_getopt(argc, argv, "o:", opts, usage)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'k':
            in.kind = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'D':
            in.date = optarg;
            break;
        case 'L':
            in.deadline = optarg;
            break;
        case 'A':
            in.authority = optarg;
            break;
        case 'n':
            in.doc_number = optarg;
            break;
        case 's':
            in.school = optarg;
            break;
        case 'g':
            in.grade = optarg;
            break;
        case 'c':
            in.contact = optarg;
            break;
        case 'U':
            in.full = true;
            break;
        case 'h':
            help();
            return EXIT_OK;
        default:
            return EXIT_INPUT;
        }
    }
    int64_t case_id = cw_number(argc, argv, optind, "notice", "案件编号");
    if (!in.kind)
        die_usage("缺少 --kind（return 劝返复学通知书，或 order 责令限期改正通知书）；用法：%s",
                  usage);
    if (!out || !strcmp(out, "-"))
        die_usage("缺少 -o 文件.pdf（通知书写入文件，不输出到终端）；用法：%s", usage);
    int exit_code;
    struct store *s = cli_open_store(db, &exit_code);
    if (!s)
        return exit_code;
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = case_notice(s, case_id, &in, out, cli_actor(), &msg, &o);
    exit_code = cw_done(rc, &msg, &o);
    store_close(s);
    return exit_code;
}
