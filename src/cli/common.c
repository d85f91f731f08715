#include "cli/common.h"

#include <errno.h>
#include <pwd.h>
#include <unistd.h>

#include "store/store.h"
#include "util/clock.h"
#include "util/common.h"

const char *cli_db;
const struct opt cli_db_opts[] = {
    OPT_STRING(0, "db", &cli_db, "路径", "数据库文件（默认为环境变量 BAOXUE_DB，或 ./baoxue.db）"),
    OPT_END(),
};

const char *cli_db_read;
long cli_db_read_max_lag = 30;
const struct opt cli_db_read_opts[] = {
    OPT_STRING(0, "db-read", &cli_db_read, "连接串",
               "PostgreSQL 只读副本（流复制）：列表和报表从这里读；副本不可用或落后过多时仍由主库"
               "应答"),
    OPT_LONG(0, "db-read-max-lag", &cli_db_read_max_lag, "秒",
             "只读副本最多可落后主库多少秒（默认 30；更多时由主库应答）", 1, 86400),
    OPT_END(),
};

struct cli_out cli_out;
const struct opt cli_out_opts[] = {
    OPT_STRING(0, "format", &cli_out.format, "格式",
               "table（终端默认）、csv、xlsx 或 json；用 -o 写文件时由扩展名推断"),
    OPT_STRING('o', "output", &cli_out.output, "文件", "写入文件（- 或不写：显示在屏幕上）"),
    OPT_END(),
};

const char *cli_db_path(const char *opt_db)
{
    if (opt_db && *opt_db)
        return opt_db;
    const char *env = getenv("BAOXUE_DB");
    if (env && *env)
        return env;
    return "baoxue.db";
}

const char *cli_actor(void)
{
    static char name[64];
    if (!name[0]) {
        struct passwd pw, *res = NULL;
        char tmp[1024];
        if (getpwuid_r(getuid(), &pw, tmp, sizeof(tmp), &res) == 0 && res)
            snprintf(name, sizeof(name), "%s", res->pw_name);
        else
            snprintf(name, sizeof(name), "uid:%u", (unsigned)getuid());
    }
    return name;
}

struct store *cli_open_store(const char *opt_db, int *exit_code)
{
    struct store *s = NULL;
    struct buf err = BUF_INIT;
    if (store_open(&s, cli_db_path(opt_db), STORE_OPEN_EXISTING, &err) < 0) {
        error("%s", err.buf);
        buf_release(&err);
        *exit_code = EXIT_INPUT;
        return NULL;
    }
    buf_release(&err);
    *exit_code = EXIT_OK; /* a caller may return it as it is (mental show did, uninitialised) */
    return s;
}

const char *cli_field_option(const char *field, char *out, size_t size)
{
    /* the few fields whose option is spelt otherwise, or that are no option at all */
    static const struct {
        const char *field, *option;
    } other[] = {
        {"subkind", "--kind"},            /* verify record: 户籍问题的类别 */
        {"next_step", "--next"},          /* case attempt */
        {"password", "--password-stdin"}, /* user add, reset-password */
        {"username", NULL},               /* user add NAME */
        {"decision", NULL},               /* review accept|reject */
        {"value", NULL},                  /* settings set KEY VALUE */
    };
    if (!field || !*field)
        return NULL;
    for (size_t i = 0; i < ARRAY_SIZE(other); i++)
        if (!strcmp(other[i].field, field)) {
            if (!other[i].option)
                return NULL;
            snprintf(out, size, "%s", other[i].option);
            return out;
        }
    size_t n = 0;
    if (size < 4)
        return NULL;
    out[n++] = '-';
    out[n++] = '-';
    for (const char *p = field; *p && n + 1 < size; p++)
        out[n++] = *p == '_' ? '-' : *p;
    out[n] = '\0';
    return out;
}

int cli_failed(struct outcome *o)
{
    char opt[64];
    const char *hint = cli_field_option(o->field, opt, sizeof(opt));
    if (o->kind == OUT_OK) /* a caller's slip: a failure without its outcome */
        o->kind = OUT_ERROR;
    if (!hint && o->kind == OUT_NO_RUN)
        hint = "baoxue match"; /* what makes a run on the command line */
    error("%s%s%s%s", o->msg.len ? o->msg.buf : "内部错误", hint ? "（" : "", hint ? hint : "",
          hint ? "）" : "");
    int code = outcome_exit(o->kind);
    outcome_release(o);
    return code;
}

long cli_parse_long(const char *opt, const char *value, long min, long max)
{
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (errno || !*value || *end || v < min || v > max)
        die_usage("%s 的值“%s”无效，应为 %ld 到 %ld 之间的整数", opt, value, min, max);
    return v;
}

static void bar_draw(void *ctx, double frac, const char *phase)
{
    struct cli_bar *b = ctx;
    if (!b->drawn && mono_seconds() - b->start < 1.0)
        return;
    int width = 30, filled = (int)(frac * width + 0.5);
    struct buf line = BUF_INIT;
    buf_adds(&line, "\r[");
    buf_addchars(&line, '#', (size_t)filled);
    buf_addchars(&line, ' ', (size_t)(width - filled));
    buf_addf(&line, "] %3d%%  %s\033[K", (int)(frac * 100), phase);
    fputs(line.buf, stderr);
    fflush(stderr);
    buf_release(&line);
    b->drawn = true;
}

struct progress *cli_bar_start(struct cli_bar *b, bool wanted)
{
    *b =
        (struct cli_bar){.p = {.fn = bar_draw, .ctx = b, .interval = 0.2}, .start = mono_seconds()};
    return wanted && isatty(2) ? &b->p : NULL;
}

void cli_bar_end(struct cli_bar *b)
{
    if (b->drawn)
        fputc('\n', stderr);
    b->drawn = false;
}

int64_t cli_number(const struct opt *opts, const char *const *usage, int argc, char **argv,
                   const char *what)
{
    if (argc < 2)
        opt_die(opts, usage, "缺少%s", what);
    if (argc > 2)
        opt_die(opts, usage, "多余的参数“%s”", argv[2]);
    char *end;
    errno = 0;
    long long v = strtoll(argv[1], &end, 10);
    if (errno || *end || v <= 0 || argv[1][0] < '0' || argv[1][0] > '9')
        opt_die(opts, usage, "%s“%s”无效，应为正整数", what, argv[1]);
    return v;
}
