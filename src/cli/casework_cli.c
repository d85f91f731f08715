#include "cli/casework_cli.h"

#include <limits.h>
#include <unistd.h>

#include "casework/attach.h"
#include "util/outfile.h"

#include "cli/cli.h"
#include "cli/common.h"
#include "cli/opt.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"

enum report_format cw_format(const char *fmt_name, const char *out)
{
    enum report_format fmt = FMT_TABLE;
    if (fmt_name && report_format_parse(fmt_name, &fmt) < 0)
        die_usage("--format 的值“%s”无效，应为 table、csv、xlsx 或 json", fmt_name);
    if (!fmt_name && out && strcmp(out, "-"))
        report_format_from_path(out, &fmt);
    else if (!fmt_name && !isatty(1))
        fmt = FMT_CSV;
    return fmt;
}

void cw_table_hints(const struct report_table *t, enum report_format fmt, const char *out,
                    const char *hint)
{
    if (fmt != FMT_TABLE || (out && strcmp(out, "-")))
        return;
    const char *masked = table_meta_value(t, "masked");
    if (masked && !strcmp(masked, "true"))
        printf("需要完整信息请加 --full（将记入审计日志）。\n");
    if (hint)
        printf("%s\n", hint);
}

static int render_hint(struct report_table *t, enum report_format fmt, const char *out,
                       const char *hint)
{
    struct buf err = BUF_INIT;
    int code = EXIT_OK;
    if (table_render(t, fmt, out, &err) < 0) {
        error("%s", err.buf);
        code = EXIT_RUNTIME;
    } else {
        cw_table_hints(t, fmt, out, hint);
    }
    buf_release(&err);
    table_release(t);
    return code;
}

int cw_render(struct report_table *t, enum report_format fmt, const char *out)
{
    return render_hint(t, fmt, out, NULL);
}

int cw_audit_full(struct store *s, const char *what, const char *target)
{
    if (audit_record(s, cli_actor(), "cli", "read_full", target, what) < 0) {
        error("无法记录审计日志，已停止：%s", store_errmsg(s));
        return EXIT_RUNTIME;
    }
    return EXIT_OK;
}

int cw_show(int argc, char **argv, const char *const *usage, const char *what,
            enum audit_object object, const char *audit_what, cw_show_fn show)
{
    bool full = false;
    const struct opt opts[] = {
        OPT_BOOL(0, "full", &full, "显示完整身份证号和电话（记入审计日志）"),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    argc = opt_parse(argc, argv, opts, usage, 0);
    int64_t id = cli_number(opts, usage, argc, argv, what);
    int code;
    struct store *s = cli_open_store(cli_db, &code);
    if (!s)
        return code;
    char target[AUDIT_TARGET_SIZE];
    audit_target(target, object, id);
    code = full ? cw_audit_full(s, audit_what, target) : EXIT_OK;
    if (code == EXIT_OK) {
        struct buf text = BUF_INIT;
        struct outcome o = OUTCOME_INIT;
        if (show(s, id, full, &text, &o) == 0)
            fputs(text.buf, stdout);
        else
            code = cli_failed(&o);
        buf_release(&text);
    }
    store_close(s);
    return code;
}

int cw_list(int argc, char **argv, const char *const *usage, const struct opt *opts,
            const bool *full, const char *audit_what, cw_list_fn list, const void *filter,
            const char *hint)
{
    if (opt_parse(argc, argv, opts, usage, 0) > 1)
        opt_die(opts, usage, "多余的参数“%s”", argv[1]);
    enum report_format fmt = cw_format(cli_out.format, cli_out.output);
    int code;
    struct store *s = cli_open_store(cli_db, &code);
    if (!s)
        return code;
    code = full && *full ? cw_audit_full(s, audit_what, NULL) : EXIT_OK;
    if (code == EXIT_OK) {
        struct report_table t;
        struct outcome o = OUTCOME_INIT;
        code = list(s, filter, &t, &o) == 0 ? render_hint(&t, fmt, cli_out.output, hint)
                                            : cli_failed(&o);
        outcome_release(&o);
    }
    store_close(s);
    return code;
}

/* One line of a photo of the list (attach_list's item). */
static void photo_line(json_t *p)
{
    json_t *attempt = json_object_get(p, "attempt"), *notice = json_object_get(p, "notice");
    printf("照片 %lld  %s  %.1f KB", (long long)json_integer_value(json_object_get(p, "id")),
           json_string_value(json_object_get(p, "mime")),
           (double)json_integer_value(json_object_get(p, "size")) / 1024.0);
    if (json_is_integer(attempt))
        printf("  劝返记录 %lld", (long long)json_integer_value(attempt));
    if (json_is_integer(notice))
        printf("  通知书 %lld", (long long)json_integer_value(notice));
    const char *note = json_string_value(json_object_get(p, "note"));
    if (note)
        printf("  %s", note);
    printf("  %s 添加于 %s\n", json_string_value(json_object_get(p, "added_by")),
           json_string_value(json_object_get(p, "added_at")));
}

int cw_photos(int argc, char **argv, const char *const *usage, const char *what,
              enum scope_object object)
{
    long get = 0;
    const char *out = NULL;
    const struct opt opts[] = {
        OPT_LONG(0, "get", &get, "照片编号", "取出这张照片（记入审计日志），须同时给 -o", 1,
                 LONG_MAX),
        OPT_STRING('o', "output", &out, "文件", "照片写入的文件"),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    argc = opt_parse(argc, argv, opts, usage, 0);
    int64_t id = cli_number(opts, usage, argc, argv, what);
    if (get && !out)
        opt_die(opts, usage, "取出照片时须指定写入的文件");
    int code;
    struct store *s = cli_open_store(cli_db, &code);
    if (!s)
        return code;
    struct outcome o = OUTCOME_INIT;
    code = EXIT_OK;
    if (get) {
        struct buf bytes = BUF_INIT, err = BUF_INIT;
        char mime[32];
        struct outfile f;
        if (attach_read(s, object, id, get, cli_actor(), &bytes, mime, sizeof(mime), &o) < 0) {
            code = cli_failed(&o);
        } else if (outfile_open(&f, out, &err) < 0) {
            error("%s", err.buf);
            code = EXIT_FAILURE;
        } else {
            fwrite(bytes.buf, 1, bytes.len, f.fp);
            if (outfile_commit(&f, &err) < 0) {
                error("%s", err.buf);
                code = EXIT_FAILURE;
            } else {
                printf("已取出照片 %ld（%s，%.1f KB）：%s\n", get, mime, (double)bytes.len / 1024.0,
                       out);
            }
        }
        buf_release(&bytes);
        buf_release(&err);
    } else {
        json_t *j = attach_list(s, object, id, &o);
        if (!j) {
            code = cli_failed(&o);
        } else {
            size_t i;
            json_t *p;
            json_t *items = json_object_get(j, "items");
            if (!json_array_size(items))
                printf("%s %lld 没有照片\n", object == SCOPE_TASK ? "核查任务" : "案件",
                       (long long)id);
            json_array_foreach(items, i, p) photo_line(p);
            json_decref(j);
        }
    }
    outcome_release(&o);
    store_close(s);
    return code;
}
