#include "cli/cli.h"
#include "cli/common.h"
#include "ingest/import.h"
#include "store/store.h"
#include "util/common.h"

static const char usage[] =
    "baoxue import [--db 路径] --kind population|enrollment|outside [--sheet 名称|序号]\n"
    "              [--map 表头=字段]... [--rejects 文件.csv] [--force] 文件";

static void help(void)
{
    printf("用法：%s\n\n"
           "  --kind      population（公安户籍适龄儿童）、enrollment（学籍系统导出）、\n"
           "              outside（本县儿童在外地就读名单）\n"
           "  --sheet     工作表名称或序号（默认：第一个有表头的工作表）\n"
           "  --map       指定表头对应的字段，可重复，例如 --map 学生名字=name\n"
           "  --rejects   把被拒绝和有标记的行及原因写入 CSV 文件\n"
           "  --force     即使同一文件已导入过也再次导入\n\n字段：",
           usage);
    for (int f = 0; f < F__COUNT; f++)
        printf("%s%s（%s）", f ? "、" : "", field_key((enum field)f), field_label((enum field)f));
    printf("\n");
}

int cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"kind", required_argument, NULL, 'k'},
        {"sheet", required_argument, NULL, 's'},
        {"map", required_argument, NULL, 'm'},
        {"rejects", required_argument, NULL, 'r'},
        {"force", no_argument, NULL, 'f'},
        {"no-progress", no_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct import_options io = {0};
    bool bar_wanted = true;
    struct column_map *maps = NULL;
    size_t nmaps = 0, maps_alloc = 0;
    const char *db = NULL;
    bool have_kind = false;
    int c;
    cli_getopt_reset();
    while ((c = cli_getopt(argc, argv, "", opts, usage)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'k':
            if (kind_parse(optarg, &io.kind) < 0)
                die_usage("--kind 的值“%s”无效，应为 population、enrollment 或 outside", optarg);
            have_kind = true;
            break;
        case 's':
            io.sheet = optarg;
            break;
        case 'm': {
            const char *eq = strrchr(optarg, '=');
            enum field f;
            if (!eq || eq == optarg || field_parse(eq + 1, &f) < 0)
                die_usage("--map 的值“%s”无效，应写成 表头=字段，例如 --map 学生名字=name"
                          "（字段列表见 baoxue import --help）",
                          optarg);
            ALLOC_GROW(maps, nmaps + 1, maps_alloc);
            maps[nmaps].header = xstrndup(optarg, (size_t)(eq - optarg));
            maps[nmaps].field = f;
            nmaps++;
            break;
        }
        case 'r':
            io.rejects_path = optarg;
            break;
        case 'f':
            io.force = true;
            break;
        case 'P':
            bar_wanted = false;
            break;
        case 'h':
            help();
            return EXIT_OK;
        default:
            return EXIT_INPUT;
        }
    }
    if (!have_kind)
        die_usage("缺少 --kind（population、enrollment 或 outside）；用法：%s", usage);
    if (optind >= argc)
        die_usage("缺少要导入的文件；用法：%s", usage);
    if (optind + 1 < argc)
        die_usage("一次只能导入一个文件，多余的参数：“%s”", argv[optind + 1]);
    io.path = argv[optind];
    io.maps = maps;
    io.nmaps = nmaps;
    io.actor = cli_actor();

    int exit_code;
    struct store *s = cli_open_store(db, &exit_code);
    if (!s)
        return exit_code;
    struct import_summary sum;
    struct buf err = BUF_INIT;
    struct cli_bar bar;
    io.report = cli_bar_start(&bar, bar_wanted);
    int rc = import_file(s, &io, &sum, &err, &exit_code);
    cli_bar_end(&bar);
    if (rc < 0) {
        /* the library's message names no option; the command line's way to act on it */
        if (sum.hint == IMPORT_HINT_MAP)
            buf_adds(&err, "（用 --map 表头=字段 指定，例如 --map 学生名字=name；字段列表见 "
                           "baoxue import --help）");
        else if (sum.hint == IMPORT_HINT_FORCE)
            buf_adds(&err, "（加 --force）");
        error("%s", err.buf);
    } else {
        import_summary_print(&io, &sum, stdout);
        if (sum.warning.len)
            fprintf(stderr, "警告：%s\n", sum.warning.buf);
    }
    import_summary_release(&sum);
    buf_release(&err);
    store_close(s);
    for (size_t i = 0; i < nmaps; i++)
        free((char *)maps[i].header);
    free(maps);
    return exit_code;
}
