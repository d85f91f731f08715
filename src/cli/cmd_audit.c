/* baoxue audit: search the audit trail, as GET /api/v1/audit does for an admin. */
#include <jansson.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"
#include "util/jsonw.h"

static const char *const usage[] = {
    "baoxue audit [选项]",
    "baoxue audit [--db 路径] verify",
    "",
    "查询审计日志（最新的在前）：登录、失败的登录、完整身份证号的查看、导出、导入、比对和每一次修改"
    "。",
    "来源为“命令行”或“网页或接口”及客户端地址。",
    "审计日志只能追加，不能修改或删除；verify 逐条核对序号和校验值，发现被删除或改动的记录，",
    "并显示最后一条的序号和校验值。",
    NULL,
};

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

/* The label a person reads (as the web's audit view shows it), else the stored form. */
static const char *label(json_t *o, const char *label_key, const char *key)
{
    const char *v = json_string_value(json_object_get(o, label_key));
    return v && *v ? v : field(o, key);
}

int cmd_audit(int argc, char **argv)
{
    struct audit_query q = {.page = 1, .per_page = 50};
    long page = 1, per_page = 50;
    bool as_json = false;
    const struct opt opts[] = {
        OPT_STRING(0, "actor", &q.actor, "账号", "只看这个账号做的事"),
        OPT_STRING(0, "action", &q.action, "操作", "只看这种操作（如 登录、导出完整信息）"),
        OPT_STRING(0, "target", &q.target, "对象", "只看涉及这个对象的记录"),
        OPT_STRING(0, "since", &q.since, "时间", "从这一天（或“日期 时间”）起"),
        OPT_STRING(0, "until", &q.until, "时间", "到这一天（或“日期 时间”）止"),
        OPT_LONG(0, "page", &page, "N", "第几页（默认 1）", 1, 1000000),
        OPT_LONG(0, "per-page", &per_page, "N", "每页多少条（默认 50）", 1, 10000),
        OPT_BOOL(0, "json", &as_json, "以 JSON 输出（与接口 GET /api/v1/audit 相同）"),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    argc = opt_parse(argc, argv, opts, usage, 0);
    q.page = page;
    q.per_page = per_page;
    bool check = argc > 1 && !strcmp(argv[1], "verify");
    if (1 + check < argc)
        opt_die(opts, usage, "多余的参数“%s”", argv[1 + check]);
    int exit_code;
    struct store *s = cli_open_store(cli_db, &exit_code);
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
        json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_OUT_REALS);
        fputc('\n', stdout);
    } else {
        size_t i;
        json_t *row;
        printf("时间\t账号\t来源\t操作\t对象\t说明\n");
        json_array_foreach(json_object_get(j, "items"), i, row)
            printf("%s\t%s\t%s\t%s\t%s\t%s\n", field(row, "at"), field(row, "actor"),
                   label(row, "origin_label", "origin"), label(row, "action_label", "action"),
                   label(row, "target_label", "target"), field(row, "detail"));
        printf("共 %lld 条，第 %lld 页\n",
               (long long)json_integer_value(json_object_get(j, "total")), (long long)q.page);
    }
    json_decref(j);
    store_close(s);
    return EXIT_OK;
}
