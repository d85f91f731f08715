#ifndef BAOXUE_CLI_OPT_H
#define BAOXUE_CLI_OPT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Options as data (git's parse-options is the model): a command describes its options in one
 * table of rows, and the same rows parse argv, check values and write the usage that --help and
 * every error print. A row is made with one of the OPT_ macros below and the table ends with
 * OPT_END().
 *
 *   static const char *const usage[] = {"baoxue tasks [选项]", NULL};
 *   const char *township = NULL; bool overdue = false;
 *   const struct opt opts[] = {
 *       OPT_STRING('t', "township", &township, "乡镇", "只看这个乡镇（代码或名称）"),
 *       OPT_BOOL(0, "overdue", &overdue, "只看已逾期的事项"),
 *       OPT_END(),
 *   };
 *   argc = opt_parse(argc, argv, opts, usage, 0);
 *
 * Options may come before, between or after the positional arguments, as --name value,
 * --name=value, -n value or -nvalue; "--" ends the options. What remains (the positional arguments)
 * is left in argv[0..argc) with argv[0] the command's own name, and the new argc is returned.
 * --help (or -h) prints the usage on stdout and exits 0; an unknown option, a missing value or a
 * value that is not what the row takes prints "错误：…" and the usage on stderr and exits 2.
 *
 * The usage lines are the forms of the command ("baoxue tasks [选项]"); an empty string after
 * them starts the description, lines printed as they are between the forms and the options.
 */
enum opt_type {
    OPT_END_T,
    OPT_GROUP_T,      /* a heading in the usage */
    OPT_STRING_T,     /* const char **value */
    OPT_BOOL_T,       /* bool *value, set to true */
    OPT_LONG_T,       /* long *value within [min, max] */
    OPT_DATE_T,       /* int *value: yyyymmdd, from any form core/date.h reads */
    OPT_LIST_T,       /* struct opt_list *value: each use appends (repeatable) */
    OPT_INCLUDE_T,    /* const struct opt *value: another table's rows, also accepted here */
    OPT_SUBCOMMAND_T, /* opt_subcommand_fn *value: the first positional argument picks it */
};

typedef int (*opt_subcommand_fn)(int argc, char **argv);

struct opt {
    enum opt_type type;
    int short_name;        /* 'o', or 0 */
    const char *long_name; /* "township" for --township; the subcommand's name */
    void *value;
    const char *argh; /* the value's name in the usage ("乡镇") */
    const char *help; /* one Chinese line */
    long min, max;    /* OPT_LONG_T */
    opt_subcommand_fn fn;
};

/* The values of a repeatable option, in order. */
struct opt_list {
    const char **v;
    int n, alloc;
};
void opt_list_release(struct opt_list *l);

#define OPT_END()                                                                                  \
    {                                                                                              \
        OPT_END_T, 0, NULL, NULL, NULL, NULL, 0, 0, NULL                                           \
    }
#define OPT_GROUP(h)                                                                               \
    {                                                                                              \
        OPT_GROUP_T, 0, NULL, NULL, NULL, (h), 0, 0, NULL                                          \
    }
#define OPT_STRING(s, l, v, a, h)                                                                  \
    {                                                                                              \
        OPT_STRING_T, (s), (l), (v), (a), (h), 0, 0, NULL                                          \
    }
#define OPT_BOOL(s, l, v, h)                                                                       \
    {                                                                                              \
        OPT_BOOL_T, (s), (l), (v), NULL, (h), 0, 0, NULL                                           \
    }
#define OPT_LONG(s, l, v, a, h, lo, hi)                                                            \
    {                                                                                              \
        OPT_LONG_T, (s), (l), (v), (a), (h), (lo), (hi), NULL                                      \
    }
#define OPT_DATE(s, l, v, h)                                                                       \
    {                                                                                              \
        OPT_DATE_T, (s), (l), (v), "日期", (h), 0, 0, NULL                                         \
    }
#define OPT_LIST(s, l, v, a, h)                                                                    \
    {                                                                                              \
        OPT_LIST_T, (s), (l), (v), (a), (h), 0, 0, NULL                                            \
    }
#define OPT_INCLUDE(rows)                                                                          \
    {                                                                                              \
        OPT_INCLUDE_T, 0, NULL, (void *)(rows), NULL, NULL, 0, 0, NULL                             \
    }
#define OPT_SUBCOMMAND(name, v, f, h)                                                              \
    {                                                                                              \
        OPT_SUBCOMMAND_T, 0, (name), (v), NULL, (h), 0, 0, (f)                                     \
    }

/* Flags of opt_parse. */
enum {
    OPT_KEEP_UNKNOWN = 1 << 0, /* leave unknown options among the positional arguments */
};

/*
 * Parse as described above. With OPT_SUBCOMMAND rows, parsing stops at the first positional
 * argument, which must name one of them (else "错误：未知子命令…"); *value is set to its
 * function, and the subcommand and everything after it are left in argv[0..argc) for that
 * function to parse with its own table. A table with subcommands and no positional argument
 * leaves *value NULL.
 */
int opt_parse(int argc, char **argv, const struct opt *opts, const char *const *usage,
              unsigned flags);

/* The usage: the usage lines, then every option (and subcommand) with its help, aligned. */
void opt_usage(FILE *out, const struct opt *opts, const char *const *usage);

/* An error about the command line: "错误：…", the usage (without the description), exit 2. */
void opt_die(const struct opt *opts, const char *const *usage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

#endif
