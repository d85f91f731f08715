#include <jansson.h>

#include "cli/cli.h"
#include "cli/casework_cli.h"
#include "cli/common.h"
#include "cli/sub.h"
#include "cli/verbs.h"
#include "domain/batch.h"
#include "ingest/import.h"
#include "store/store.h"
#include "util/common.h"

/*
 * What the import row's usage (verb/rows_jobs.c) does not say: the other forms (pending, and
 * the decisions that are rows of their own, verb/rows_admin.c), what they do, and the fields
 * --map names (from the vocabulary).
 */
static const char *const *more_usage(void)
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
            "baoxue import [--db 路径] pending",
            "baoxue import accept 批次号 [选项] | reject 批次号 --reason 退回的理由 [选项]",
            "",
            "名单类型（--kind）可写 population（户籍）、enrollment（学籍）或 "
            "outside（外出就读）。\n"
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

int cmd_import(int argc, char **argv)
{
    /* accept and reject are action rows (verb/rows_admin.c) */
    int exit_code = cli_verb_sub("import", argc, argv);
    if (exit_code >= 0)
        return exit_code;
    bool pending = false;
    for (int i = 1; i < argc && !pending; i++)
        pending = !strcmp(argv[i], "pending");
    if (!pending)
        return cli_verb_more(verb_find("import"), argc, argv, more_usage());
    static const char *const usage[] = {"baoxue import [--db 路径] pending", "",
                                        "列出部门上传、待县教育局确认的名单及其与当前名单的比较",
                                        NULL};
    const struct opt opts[] = {OPT_INCLUDE(cli_db_opts), OPT_END()};
    argc = opt_parse(argc, argv, opts, usage, 0);
    if (argc != 2 || strcmp(argv[1], "pending"))
        opt_die(opts, usage, "多余的参数“%s”", strcmp(argv[1], "pending") ? argv[1] : argv[2]);
    struct store *s = cli_open_store(cli_db, &exit_code);
    if (!s)
        return exit_code;
    exit_code = print_pending(s);
    store_close(s);
    return exit_code;
}
