#ifndef BAOXUE_ERROR_H
#define BAOXUE_ERROR_H

/*
 * Errors are ints: 0 success, -1 failure. error() prints "错误：…" to stderr and returns -1,
 * so a caller writes `return error("…")`. warning() prints "警告：…". die() exits with
 * status 1 (runtime failure); die_usage() with status 2 (unusable input or arguments).
 *
 * Messages must never contain a child's personal data (names, ID numbers, phones): they go to
 * logs. Say where (file, sheet, row, column) and what, not who.
 */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Exit codes of the command-line contract. */
enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_INPUT = 2 };

#endif
