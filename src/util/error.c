#include "util/common.h"

#include <stdarg.h>

static void report(const char *prefix, const char *fmt, va_list ap)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, prefix);
    buf_vaddf(&b, fmt, ap);
    buf_addch(&b, '\n');
    fflush(stdout);
    fputs(b.buf, stderr);
    buf_release(&b);
}

int error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report("错误：", fmt, ap);
    va_end(ap);
    return -1;
}

void warning(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report("警告：", fmt, ap);
    va_end(ap);
}

void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report("错误：", fmt, ap);
    va_end(ap);
    exit(EXIT_RUNTIME);
}

void die_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report("错误：", fmt, ap);
    va_end(ap);
    exit(EXIT_INPUT);
}
