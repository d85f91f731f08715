/* baoxue audit: search the audit trail, as GET /api/v1/audit does for an admin. */
#include <jansson.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"

static const char usage[] =
    "baoxue audit [--db 路径] [--actor 账号] [--action 操作] [--target 对象] [--since 日期] "
    "[--until 日期] [--page N] [--per-page N] [--json]\n"
    "       baoxue audit [--db 路径] verify";

/*
 * baoxue audit verify: walk the chain (domain/audit.h). Exit 0 when every row follows the one
 * before, 1 when a row is missing or changed; either way the head is printed, to be noted
 * outside the database and compared next time.
 */
static int verify(struct store *s)
{
    struct audit_check c;
    if (audit_verify(s, &c) < 0) {
        error("无法读取审计日志：%s", store_errmsg(s));
        return EXIT_RUNTIME;
    }
    if (!c.first_bad)
        printf("审计日志完整：共 %lld 条，序号连续，每条的校验值都与前一条相接。\n",
               (long long)c.rows);
    else if (c.first_bad < 0)
        printf("审计日志不完整：第 %lld 条记录没有序号和校验值（不是由本系统写入的）。\n",
               (long long)c.bad_id);
    else if (c.missing)
        printf("审计日志不完整：第 %lld 条之前缺少 %lld 条记录（已被删除）。\n",
               (long long)c.first_bad, (long long)c.missing);
    else
        printf("审计日志不完整：第 %lld 条记录的内容或它之前的记录已被改动（校验值不符）。\n",
               (long long)c.first_bad);
    printf("最后一条：第 %lld 条，校验值 %s\n"
           "请把这两个值记在数据库之外（如月报、工作日志），下次核对：末尾的记录被删去时，"
           "只有与记下的值比较才能发现。\n",
           (long long)c.last_seq, c.last_hash[0] ? c.last_hash : "（无）");
    return c.first_bad ? EXIT_RUNTIME : EXIT_OK;
}

static const char *field(json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "-";
}

int cmd_audit(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"actor", required_argument, NULL, 'a'},
        {"action", required_argument, NULL, 'A'},
        {"target", required_argument, NULL, 't'},
        {"since", required_argument, NULL, 's'},
        {"until", required_argument, NULL, 'u'},
        {"page", required_argument, NULL, 'p'},
        {"per-page", required_argument, NULL, 'n'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    struct audit_query q = {.page = 1, .per_page = 50};
    bool as_json = false;
    int c;
    cli_getopt_reset();
    while ((c = cli_getopt(argc, argv, "", opts, usage)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'a':
            q.actor = optarg;
            break;
        case 'A':
            q.action = optarg;
            break;
        case 't':
            q.target = optarg;
            break;
        case 's':
            q.since = optarg;
            break;
        case 'u':
            q.until = optarg;
            break;
        case 'p':
            q.page = cli_parse_long("--page", optarg, 1, 1000000);
            break;
        case 'n':
            q.per_page = cli_parse_long("--per-page", optarg, 1, 10000);
            break;
        case 'j':
            as_json = true;
            break;
        case 'h':
            printf("用法：%s\n\n查询审计日志（最新的在前）：登录、失败的登录、完整身份证号的查看、"
                   "导出、导入、比对和每一次修改。来源（origin）为 cli（命令行）或 "
                   "“api 客户端地址”（网页和接口）。--since/--until 为日期或“日期 时间”。\n"
                   "审计日志只能追加，不能修改或删除；verify 逐条核对序号和校验值，发现被删除或"
                   "改动的记录，并显示最后一条的序号和校验值。\n",
                   usage);
            return EXIT_OK;
        default:
            return EXIT_INPUT;
        }
    }
    bool check = optind < argc && !strcmp(argv[optind], "verify");
    if (optind + check < argc)
        die_usage("多余的参数“%s”；用法：%s", argv[optind + check], usage);
    int exit_code;
    struct store *s = cli_open_store(db, &exit_code);
    if (!s)
        return exit_code;
    if (check) {
        exit_code = verify(s);
        store_close(s);
        return exit_code;
    }
    json_t *j = audit_list(s, &q);
    if (!j) {
        error("无法读取审计日志：%s", store_errmsg(s));
        store_close(s);
        return EXIT_RUNTIME;
    }
    if (as_json) {
        json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
    } else {
        size_t i;
        json_t *row;
        printf("时间\t账号\t来源\t操作\t对象\t说明\n");
        json_array_foreach(json_object_get(j, "items"), i, row) printf(
            "%s\t%s\t%s\t%s\t%s\t%s\n", field(row, "at"), field(row, "actor"), field(row, "origin"),
            field(row, "action"), field(row, "target"), field(row, "detail"));
        printf("共 %lld 条，第 %lld 页\n",
               (long long)json_integer_value(json_object_get(j, "total")), (long long)q.page);
    }
    json_decref(j);
    store_close(s);
    return EXIT_OK;
}
