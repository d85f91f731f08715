/* baoxue inspections: 督导检查 and 限期整改 (issue 17, casework/inspection.h). The list (the
 * default, or `list`), `show` one inspection with its findings and items, `notice` its 结果公告
 * as a PDF; recording an inspection and its findings are action rows (verb/rows_inspection.c),
 * as are the items' progress, submission, acceptance and return (`baoxue rectifications`). The
 * command line acts as the county. */
#include "casework/inspection.h"
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
    (void)filter;
    return inspection_table(s, NULL, t, o);
}

static int list_cmd(int argc, char **argv)
{
    static const char *const usage[] = {
        "baoxue inspections [list] [选项]",
        "列出督导检查（最近的在前）和各次检查的整改事项：整改中、待验收、已验收、逾期未整改。\n"
        "记录检查：baoxue inspections create --inspectors 检查人员 --units 单位 …；\n"
        "记录问题：baoxue inspections finding 检查编号 --unit 单位 --text 问题 --person 责任人 "
        "--deadline 期限",
        NULL};
    bool full = false;
    const struct opt opts[] = {
        OPT_INCLUDE(cli_out_opts),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    return cw_list(argc, argv, usage, opts, &full, "督导检查", list_table, NULL, NULL);
}

static int show_cmd(int argc, char **argv)
{
    static const char *const usage[] = {"baoxue inspections show 检查编号 [选项]",
                                        "一次督导检查：检查单位、发现的问题、整改事项及其经过",
                                        NULL};
    const struct opt opts[] = {
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    argc = opt_parse(argc, argv, opts, usage, 0);
    int64_t id = cli_number(opts, usage, argc, argv, "检查编号");
    int code;
    struct store *s = cli_open_store(cli_db, &code);
    if (!s)
        return code;
    struct outcome o = OUTCOME_INIT;
    struct buf out = BUF_INIT;
    if (inspection_text(s, NULL, id, &out, &o) == 0)
        fputs(out.buf, stdout);
    else
        code = cli_failed(&o);
    buf_release(&out);
    outcome_release(&o);
    store_close(s);
    return code;
}

static int notice_cmd(int argc, char **argv)
{
    static const char *const usage[] = {
        "baoxue inspections notice 检查编号 -o 文件.pdf [选项]",
        "督导检查结果公告（A4 PDF）：检查单位、各单位发现的问题、整改状态和期限；不含儿童个人信息",
        NULL};
    const char *out = NULL;
    const struct opt opts[] = {
        OPT_STRING('o', "output", &out, "文件", "公告写入的 PDF 文件"),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    argc = opt_parse(argc, argv, opts, usage, 0);
    int64_t id = cli_number(opts, usage, argc, argv, "检查编号");
    if (!out || !*out)
        opt_die(opts, usage, "请用 -o 指定 PDF 文件");
    int code;
    struct store *s = cli_open_store(cli_db, &code);
    if (!s)
        return code;
    struct outcome o = OUTCOME_INIT;
    char name[128];
    if (inspection_notice_pdf(s, NULL, id, out, name, sizeof(name), &o) == 0)
        printf("已生成督导检查 %lld 的结果公告：%s\n", (long long)id, out);
    else
        code = cli_failed(&o);
    outcome_release(&o);
    store_close(s);
    return code;
}

static const struct cli_sub reads[] = {
    {"list", list_cmd, "列出督导检查和整改情况"},
    {"show", show_cmd, "一次督导检查的问题和整改事项"},
    {"notice", notice_cmd, "督导检查结果公告（PDF）"},
    {NULL, NULL, NULL},
};

static const char about[] =
    "督导检查：记录检查日期、检查人员、检查单位，逐条记录发现的问题；每个问题是一项限期整改，\n"
    "由责任单位（乡镇或学校）提交整改材料，检查组验收或退回（baoxue rectifications）。\n"
    "发现的问题和检查情况要公告：不写儿童的姓名和身份证号。";

int cmd_inspections(int argc, char **argv)
{
    /* options only: the list (but --help: the command's subcommands) */
    if (argc < 2 || (argv[1][0] == '-' && strcmp(argv[1], "--help") && strcmp(argv[1], "-h")))
        return list_cmd(argc, argv);
    return cli_dispatch("inspections", reads, about, argc, argv);
}

static const struct cli_sub no_reads[] = {
    {NULL, NULL, NULL},
};

static const char rectify_about[] =
    "限期整改：责任单位报告进展（progress）、提交整改材料（submit，照片用 attach），\n"
    "检查组验收（accept）或退回重改（return）。事项编号见 baoxue inspections show。";

int cmd_rectifications(int argc, char **argv)
{
    return cli_dispatch("rectifications", no_reads, rectify_about, argc, argv);
}
