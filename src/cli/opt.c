/* Options as data: one table of rows parses argv and writes the usage (cli/opt.h). */
#include "cli/opt.h"

#include <errno.h>
#include <stdarg.h>

#include "core/date.h"
#include "util/common.h"
#include "util/utf8.h"

static void usage_write(FILE *out, const struct opt *opts, const char *const *usage,
                        bool description);

void opt_list_release(struct opt_list *l)
{
    free(l->v);
    l->v = NULL;
    l->n = l->alloc = 0;
}

/* The row for --name (name_len bytes) or -c, looking into included tables too. */
static const struct opt *find_long(const struct opt *opts, const char *name, size_t len)
{
    for (const struct opt *o = opts; o->type != OPT_END_T; o++) {
        if (o->type == OPT_INCLUDE_T) {
            const struct opt *in = find_long(o->value, name, len);
            if (in)
                return in;
        } else if (o->type != OPT_GROUP_T && o->type != OPT_SUBCOMMAND_T && o->long_name &&
                   strlen(o->long_name) == len && !memcmp(o->long_name, name, len)) {
            return o;
        }
    }
    return NULL;
}

static const struct opt *find_short(const struct opt *opts, int c)
{
    for (const struct opt *o = opts; o->type != OPT_END_T; o++) {
        if (o->type == OPT_INCLUDE_T) {
            const struct opt *in = find_short(o->value, c);
            if (in)
                return in;
        } else if (o->short_name && o->short_name == c && o->type != OPT_SUBCOMMAND_T) {
            return o;
        }
    }
    return NULL;
}

static bool has_subcommands(const struct opt *opts)
{
    for (const struct opt *o = opts; o->type != OPT_END_T; o++)
        if (o->type == OPT_SUBCOMMAND_T)
            return true;
    return false;
}

/* How a row is written in messages: --township (or -o when it has only a short name). */
static void row_name(const struct opt *o, char *out, size_t size)
{
    if (o->long_name)
        snprintf(out, size, "--%s", o->long_name);
    else
        snprintf(out, size, "-%c", o->short_name);
}

void opt_die(const struct opt *opts, const char *const *usage, const char *fmt, ...)
{
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&b, fmt, ap);
    va_end(ap);
    fflush(stdout);
    fprintf(stderr, "错误：%s\n", b.buf);
    buf_release(&b);
    usage_write(stderr, opts, usage, false); /* the forms and the options, not the description */
    exit(EXIT_INPUT);
}

static void take(const struct opt *opts, const char *const *usage, const struct opt *o,
                 const char *value)
{
    char name[80];
    row_name(o, name, sizeof(name));
    switch (o->type) {
    case OPT_STRING_T:
        *(const char **)o->value = value;
        break;
    case OPT_BOOL_T:
        *(bool *)o->value = true;
        break;
    case OPT_LONG_T: {
        char *end;
        errno = 0;
        long v = strtol(value, &end, 10);
        if (errno || !*value || *end || v < o->min || v > o->max)
            opt_die(opts, usage, "%s 的值“%s”无效，应为 %ld 到 %ld 之间的整数", name, value, o->min,
                    o->max);
        *(long *)o->value = v;
        break;
    }
    case OPT_DATE_T: {
        int ymd;
        if (date_parse(value, strlen(value), &ymd) < 0)
            opt_die(opts, usage, "%s 的值“%s”不是有效日期，请写成 YYYY-MM-DD，例如 2026-11-20",
                    name, value);
        *(int *)o->value = ymd;
        break;
    }
    case OPT_LIST_T: {
        struct opt_list *l = o->value;
        ALLOC_GROW(l->v, (size_t)l->n + 1, l->alloc);
        l->v[l->n++] = value;
        break;
    }
    default:
        break;
    }
}

static bool takes_value(const struct opt *o)
{
    return o->type != OPT_BOOL_T;
}

int opt_parse(int argc, char **argv, const struct opt *opts, const char *const *usage,
              unsigned flags)
{
    int out = 1;
    bool subcommands = has_subcommands(opts);
    for (const struct opt *o = opts; o->type != OPT_END_T; o++)
        if (o->type == OPT_SUBCOMMAND_T)
            *(opt_subcommand_fn *)o->value = NULL;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (!strcmp(a, "--")) {
            while (++i < argc)
                argv[out++] = argv[i];
            break;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            opt_usage(stdout, opts, usage);
            exit(EXIT_OK);
        }
        if (a[0] != '-' || !a[1]) {
            if (subcommands) {
                for (const struct opt *o = opts; o->type != OPT_END_T; o++) {
                    if (o->type == OPT_SUBCOMMAND_T && !strcmp(o->long_name, a)) {
                        *(opt_subcommand_fn *)o->value = o->fn;
                        int n = 0;
                        while (i < argc)
                            argv[n++] = argv[i++];
                        argv[n] = NULL;
                        return n;
                    }
                }
                opt_die(opts, usage, "未知子命令“%s”", a);
            }
            argv[out++] = a;
            continue;
        }
        const struct opt *o;
        const char *value = NULL;
        char name[80];
        if (a[1] == '-') {
            const char *eq = strchr(a + 2, '=');
            size_t len = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
            o = find_long(opts, a + 2, len);
            if (eq)
                value = eq + 1;
        } else {
            /* -o value, or -ovalue (the value attached, as getopt takes it) */
            o = find_short(opts, (unsigned char)a[1]);
            if (o && a[2]) {
                if (takes_value(o))
                    value = a + 2;
                else
                    o = NULL;
            }
        }
        if (!o) {
            if (flags & OPT_KEEP_UNKNOWN) {
                argv[out++] = a;
                continue;
            }
            opt_die(opts, usage, "未知选项 %s", a);
        }
        row_name(o, name, sizeof(name));
        if (!takes_value(o)) {
            if (value)
                opt_die(opts, usage, "选项 %s 不带值", name);
        } else if (!value) {
            if (i + 1 >= argc)
                opt_die(opts, usage, "选项 %s 需要一个值（%s）", name, o->argh ? o->argh : "值");
            value = argv[++i];
        }
        take(opts, usage, o, value);
    }
    argv[out] = NULL;
    return out;
}

/* One line of the options list: "  -o, --output 文件" then the help from column `col`. */
static void usage_row(struct buf *b, const struct opt *o, size_t col)
{
    size_t start = b->len;
    buf_adds(b, "  ");
    if (o->type == OPT_SUBCOMMAND_T) {
        buf_adds(b, o->long_name);
    } else {
        if (o->short_name)
            buf_addf(b, "-%c%s", o->short_name, o->long_name ? ", " : "");
        if (o->long_name)
            buf_addf(b, "--%s", o->long_name);
        if (takes_value(o))
            buf_addf(b, " %s", o->argh ? o->argh : "值");
    }
    size_t w = utf8_width(b->buf + start, b->len - start);
    if (w + 2 > col) {
        buf_addch(b, '\n');
        w = 0;
    }
    buf_addchars(b, ' ', col - w);
    buf_adds(b, o->help ? o->help : "");
    if (o->type == OPT_LIST_T)
        buf_adds(b, "（可重复）");
    buf_addch(b, '\n');
}

static void usage_rows(struct buf *b, const struct opt *opts, size_t col)
{
    for (const struct opt *o = opts; o->type != OPT_END_T; o++) {
        if (o->type == OPT_INCLUDE_T)
            usage_rows(b, o->value, col);
        else if (o->type == OPT_GROUP_T)
            buf_addf(b, "\n%s\n", o->help);
        else if (o->help) /* a row without help is accepted and not advertised */
            usage_row(b, o, col);
    }
}

static void usage_write(FILE *out, const struct opt *opts, const char *const *usage,
                        bool description)
{
    struct buf b = BUF_INIT;
    size_t i = 0;
    for (; usage && usage[i] && *usage[i]; i++)
        buf_addf(&b, "%s%s\n", i ? "      " : "用法：", usage[i]);
    /* after an empty line, the description: its lines as they are, after a blank line */
    if (usage && usage[i] && description)
        for (buf_addch(&b, '\n'), i++; usage[i]; i++)
            buf_addf(&b, "%s\n", usage[i]);
    bool subs = has_subcommands(opts);
    bool any = false;
    for (const struct opt *o = opts; o->type != OPT_END_T; o++)
        any = any || (o->type != OPT_GROUP_T && o->type != OPT_SUBCOMMAND_T);
    if (subs) {
        buf_adds(&b, "\n子命令：\n");
        for (const struct opt *o = opts; o->type != OPT_END_T; o++)
            if (o->type == OPT_SUBCOMMAND_T)
                usage_row(&b, o, 16);
    }
    if (any) {
        buf_adds(&b, "\n选项：\n");
        struct opt plain[2] = {OPT_END(), OPT_END()};
        for (const struct opt *o = opts; o->type != OPT_END_T; o++) {
            if (o->type == OPT_SUBCOMMAND_T)
                continue;
            if (o->type == OPT_INCLUDE_T) {
                usage_rows(&b, o->value, 28);
                continue;
            }
            plain[0] = *o;
            usage_rows(&b, plain, 28);
        }
    }
    fputs(b.buf, out);
    buf_release(&b);
}

void opt_usage(FILE *out, const struct opt *opts, const char *const *usage)
{
    usage_write(out, opts, usage, true);
}
