/* baoxue bulletins: the 通报 (issue 17, report/bulletin.h). `list` (the default), `show` one,
 * `pdf` one drawn from its frozen content; `issue` is an action row (verb/rows_bulletin.c). */
#include "cli/casework_cli.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/opt.h"
#include "cli/sub.h"
#include "report/bulletin.h"
#include "store/store.h"
#include "util/common.h"
#include "util/jsonw.h"

static const struct table_col cols[] = {
    {"id", "编号", COL_INT},
    {"doc_number", "文号", COL_TEXT},
    {"title", "标题", COL_TEXT},
    {"period_label", "期间", COL_TEXT},
    {"published_on", "成文日期", COL_TEXT},
    {"deadline", "整改期限", COL_TEXT},
    {"created_by", "印发人", COL_TEXT},
};

static int list_table(struct store *s, const void *filter, struct report_table *t,
                      struct outcome *o)
{
    (void)filter;
    json_t *j = bulletin_list(s, NULL, o);
    if (!j)
        return -1;
    table_init(t, "已印发的通报", "bulletins", cols, ARRAY_SIZE(cols));
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(j, "bulletins"), i, b)
    {
        table_add_row(t);
        table_setf(t, 0, "%lld", (long long)json_integer_value(json_object_get(b, "id")));
        for (size_t c = 1; c < ARRAY_SIZE(cols); c++)
            table_set(t, c, json_string_value(json_object_get(b, cols[c].key)));
    }
    json_decref(j);
    return 0;
}

static int list_cmd(int argc, char **argv)
{
    static const char *const usage[] = {
        "baoxue bulletins [list] [选项]",
        "列出已印发的通报（文号、标题、成文日期），最新的在前。\n"
        "印发：baoxue bulletins issue --month 2026-10（或 --term 2026秋）；\n"
        "下载：baoxue bulletins pdf 通报编号 -o 文件.pdf",
        NULL};
    const struct opt opts[] = {
        OPT_INCLUDE(cli_out_opts),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    return cw_list(argc, argv, usage, opts, NULL, "通报", list_table, NULL, NULL);
}

/* The bulletin named by the first argument; the exit code in *exit_code when NULL. */
static int64_t parse_id(const char *arg, int *exit_code)
{
    char *end;
    long long id = arg ? strtoll(arg, &end, 10) : 0;
    if (!arg || *end || id <= 0) {
        fprintf(stderr, "%s：通报编号应为正整数\n", cli_program);
        *exit_code = EXIT_INPUT;
        return 0;
    }
    return id;
}

static int show_cmd(int argc, char **argv)
{
    static const char *const usage[] = {"baoxue bulletins show 通报编号 [选项]",
                                        "一份通报的文号、标题、日期和全部内容（JSON）", NULL};
    const struct opt opts[] = {
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    if ((argc = opt_parse(argc, argv, opts, usage, 0)) != 2)
        opt_die(opts, usage, argc < 2 ? "缺少通报编号" : "多余的参数“%s”", argv[2]);
    int exit_code = EXIT_OK;
    int64_t id = parse_id(argv[1], &exit_code);
    if (!id)
        return exit_code;
    struct store *s = cli_open_store(cli_db, &exit_code);
    if (!s)
        return exit_code;
    struct outcome o = OUTCOME_INIT;
    json_t *j = bulletin_get(s, NULL, id, &o);
    if (j) {
        char *text = json_dumps(j, JSON_INDENT(2) | JSON_OUT_REALS);
        printf("%s\n", text);
        free(text);
        json_decref(j);
    } else {
        exit_code = cli_failed(&o);
    }
    outcome_release(&o);
    store_close(s);
    return exit_code;
}

static int pdf_cmd(int argc, char **argv)
{
    static const char *const usage[] = {"baoxue bulletins pdf 通报编号 -o 文件.pdf [选项]",
                                        "按印发时保存的内容生成通报的 PDF（A4，与印发时相同）",
                                        NULL};
    const char *out = NULL;
    const struct opt opts[] = {
        OPT_STRING('o', "output", &out, "文件", "写入的 PDF 文件"),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    if ((argc = opt_parse(argc, argv, opts, usage, 0)) != 2)
        opt_die(opts, usage, argc < 2 ? "缺少通报编号" : "多余的参数“%s”", argv[2]);
    if (!out || !*out)
        opt_die(opts, usage, "请用 -o 给出写入的文件");
    int exit_code = EXIT_OK;
    int64_t id = parse_id(argv[1], &exit_code);
    if (!id)
        return exit_code;
    struct store *s = cli_open_store(cli_db, &exit_code);
    if (!s)
        return exit_code;
    struct outcome o = OUTCOME_INIT;
    char name[160];
    if (bulletin_pdf(s, NULL, id, out, name, sizeof(name), &o) == 0)
        printf("已生成 %s：%s\n", name, out);
    else
        exit_code = cli_failed(&o);
    outcome_release(&o);
    store_close(s);
    return exit_code;
}

static const struct cli_sub reads[] = {
    {"list", list_cmd, "列出已印发的通报"},
    {"show", show_cmd, "查看一份通报的全部内容"},
    {"pdf", pdf_cmd, "生成一份通报的 PDF"},
    {NULL, NULL, NULL},
};

static const char about[] =
    "控辍保学工作情况通报：按月或按学期，写明全县的入学率、巩固率、辍学率等指标，各乡镇排名，\n"
    "点名逾期未办结和辍学高发的单位，提出整改期限。文号按年顺排（设置 bulletin_prefix），\n"
    "印发后内容不再改变。";

int cmd_bulletins(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-')
        return list_cmd(argc, argv);
    return cli_dispatch("bulletins", reads, about, argc, argv);
}
