#include <jansson.h>

#include "cli/cli.h"
#include "cli/casework_cli.h"
#include "cli/common.h"
#include "cli/sub.h"
#include "domain/batch.h"
#include "ingest/import.h"
#include "store/store.h"
#include "util/common.h"

/* The forms, what pending/accept/reject do (accept and reject are action rows, verb/rows_admin.c), and the fields --map names (from the vocabulary). */
static const char *const *usage(void)
{
    static const char *lines[10];
    static struct buf fields = BUF_INIT;
    if (!lines[0]) {
        buf_adds(&fields, "字段：");
        for (int f = 0; f < F__COUNT; f++)
            buf_addf(&fields, "%s%s（%s）",
                     !f      ? ""
                     : f % 5 ? "、"
                             : "、\n      ",
                     field_key((enum field)f), field_label((enum field)f));
        const char *const text[] = {
            "baoxue import [选项] --kind population|enrollment|outside 文件",
            "baoxue import [--db 路径] pending",
            "baoxue import accept 批次号 [选项] | reject 批次号 --reason 退回的理由 [选项]",
            "",
            "部门在网页上上传的名单须县教育局确认后才生效：\n"
            "  pending        列出待确认的名单及其与当前名单的比较\n"
            "  accept 批次号  确认，名单即成为当前名单（人数骤减时须加 --confirm-shrink）\n"
            "  reject 批次号  退回（上传的部门会看到理由）\n"
            "accept 和 reject 的选项：baoxue import accept --help、baoxue import reject --help",
            "",
            fields.buf,
            NULL,
        };
        memcpy(lines, text, sizeof(text));
    }
    return lines;
}

/* The pending uploads with their comparison with the current list. */
static int print_pending(struct store *s)
{
    struct scope sc = {.user = cli_actor(), .origin = "cli", .role = ROLE_COUNTY};
    json_t *j = batch_list(s, &sc, 1000);
    if (!j) {
        error("%s", store_errmsg(s));
        return EXIT_RUNTIME;
    }
    size_t i, n = 0;
    json_t *b;
    json_array_foreach(json_object_get(j, "items"), i, b)
    {
        if (strcmp(json_string_value(json_object_get(b, "state")), "pending"))
            continue;
        json_t *c = json_object_get(b, "compare");
        const char *dept = json_string_value(json_object_get(b, "department_label"));
        printf("第 %lld 批  %s  %s  %s（%s）上传于 %s\n",
               (long long)json_integer_value(json_object_get(b, "id")),
               json_string_value(json_object_get(b, "kind_label")),
               json_string_value(json_object_get(b, "file_name")), dept ? dept : "",
               json_string_value(json_object_get(b, "imported_by")),
               json_string_value(json_object_get(b, "imported_at")));
        printf("    %lld 人，拒绝 %lld 行，有标记 %lld 行",
               (long long)json_integer_value(json_object_get(b, "rows_imported")),
               (long long)json_integer_value(json_object_get(b, "rows_rejected")),
               (long long)json_integer_value(json_object_get(b, "rows_flagged")));
        if (json_integer_value(json_object_get(c, "batch")))
            printf("；当前名单第 %lld 批 %lld 人，本批是它的 %.1f%%%s",
                   (long long)json_integer_value(json_object_get(c, "batch")),
                   (long long)json_integer_value(json_object_get(c, "rows")),
                   json_real_value(json_object_get(c, "percent")),
                   json_is_true(json_object_get(c, "shrinks")) ? "（人数骤减，确认时须加 "
                                                                 "--confirm-shrink）"
                                                               : "");
        else
            printf("；尚无当前名单");
        printf("\n");
        n++;
    }
    if (!n)
        printf("没有待确认的名单\n");
    json_decref(j);
    return EXIT_OK;
}

/* Import one file into the open store; returns the exit code. */
static int import_into(struct store *s, struct import_options *io, bool progress)
{
    int exit_code;
    struct import_summary sum;
    struct outcome o = OUTCOME_INIT;
    struct cli_bar bar;
    if (batch_shrink_percent(s, &io->shrink_percent) < 0) {
        error("%s", store_errmsg(s));
        return EXIT_RUNTIME;
    }
    io->report = cli_bar_start(&bar, progress);
    int rc = import_file(s, io, &sum, &o);
    cli_bar_end(&bar);
    if (rc < 0) {
        /* the library's message names no option; the command line's way to act on it */
        if (sum.hint == IMPORT_HINT_MAP)
            buf_adds(&o.msg, "（用 --map 表头=字段 指定，例如 --map 学生名字=name；字段列表见 "
                             "baoxue import --help）");
        else if (sum.hint == IMPORT_HINT_FORCE)
            buf_adds(&o.msg, "（加 --force）");
        else if (sum.hint == IMPORT_HINT_SHRINK)
            buf_adds(&o.msg, "（确认无误请加 --confirm-shrink）");
        exit_code = cli_failed(&o);
    } else {
        import_summary_print(io, &sum, stdout);
        exit_code = EXIT_OK;
        if (sum.warning.len) {
            warning("%s", sum.warning.buf);
            exit_code = EXIT_RUNTIME;
        }
    }
    import_summary_release(&sum);
    return exit_code;
}

int cmd_import(int argc, char **argv)
{
    struct import_options io = {0};
    bool no_progress = false;
    const char *kind = NULL;
    struct opt_list map = {0};
    /* accept and reject are action rows (verb/rows_admin.c) */
    int exit_code = cli_verb_sub("import", argc, argv);
    if (exit_code >= 0)
        return exit_code;
    const struct opt opts[] = {
        OPT_STRING(0, "kind", &kind, "种类",
                   "population（公安户籍适龄儿童）、enrollment（学籍系统导出）或 outside"
                   "（本县儿童在外地就读名单）"),
        OPT_STRING(0, "sheet", &io.sheet, "名称|序号",
                   "工作表名称或序号（默认：第一个有表头的工作表）"),
        OPT_LIST(0, "map", &map, "表头=字段", "指定表头对应的字段，例如 --map 学生名字=name"),
        OPT_STRING(0, "rejects", &io.rejects_path, "文件.csv",
                   "把被拒绝和有标记的行及原因写入 CSV 文件"),
        OPT_BOOL(0, "force", &io.force, "即使同一文件已导入过也再次导入"),
        OPT_BOOL(0, "confirm-shrink", &io.shrink_confirmed,
                 "名单人数低于当前名单的一定比例（设置 import_shrink_percent，默认 80%）时，确认"
                 "无误仍然导入（不加时这样的导入被拒绝）"),
        OPT_BOOL(0, "no-progress", &no_progress, "不显示进度条"),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    argc = opt_parse(argc, argv, opts, usage(), 0);
    if (kind && kind_parse(kind, &io.kind) < 0)
        die_usage("--kind 的值“%s”无效，应为 population、enrollment 或 outside", kind);
    struct column_map *maps = map.n ? xcalloc((size_t)map.n, sizeof(*maps)) : NULL;
    size_t nmaps = 0;
    for (int i = 0; i < map.n; i++) {
        const char *m = map.v[i], *eq = strrchr(m, '=');
        enum field f;
        if (!eq || eq == m || field_parse(eq + 1, &f) < 0)
            die_usage("--map 的值“%s”无效，应写成 表头=字段，例如 --map 学生名字=name"
                      "（字段列表见 baoxue import --help）",
                      m);
        maps[nmaps].header = xstrndup(m, (size_t)(eq - m));
        maps[nmaps].field = f;
        nmaps++;
    }
    opt_list_release(&map);
    if (argc > 1 && !strcmp(argv[1], "pending")) {
        if (kind || nmaps || io.sheet || io.rejects_path || io.force || io.shrink_confirmed)
            die_usage("pending 不用 --kind、--sheet、--map、--rejects、--force、--confirm-shrink");
        if (argc > 2)
            die_usage("多余的参数“%s”", argv[2]);
        free(maps);
        struct store *s = cli_open_store(cli_db, &exit_code);
        if (!s)
            return exit_code;
        exit_code = print_pending(s);
        store_close(s);
        return exit_code;
    }
    if (!kind)
        opt_die(opts, usage(), "缺少 --kind（population、enrollment 或 outside）");
    if (argc < 2)
        opt_die(opts, usage(), "缺少要导入的文件");
    if (argc > 2)
        die_usage("一次只能导入一个文件，多余的参数：“%s”", argv[2]);
    io.path = argv[1];
    io.maps = maps;
    io.nmaps = nmaps;
    io.actor = cli_actor();

    struct store *s = cli_open_store(cli_db, &exit_code);
    if (s) {
        exit_code = import_into(s, &io, !no_progress);
        store_close(s);
    }
    for (size_t i = 0; i < nmaps; i++)
        free((char *)maps[i].header);
    free(maps);
    return exit_code;
}
