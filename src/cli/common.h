#ifndef BAOXUE_CLI_COMMON_H
#define BAOXUE_CLI_COMMON_H

#include <stdbool.h>

#include "cli/opt.h"
#include "util/outcome.h"
#include "util/progress.h"

struct store;

/* --db, else $BAOXUE_DB, else ./baoxue.db */
const char *cli_db_path(const char *opt_db);
/* Who runs the command (the login name), for the audit trail. */
const char *cli_actor(void);
/* Open the store or print the error; returns NULL (caller exits EXIT_RUNTIME / EXIT_INPUT). */
struct store *cli_open_store(const char *opt_db, int *exit_code);

/*
 * A library function's failure, the one place the command line maps an outcome: "错误：", the
 * message and the command line's own hint for the field at fault ("（--date）") on stderr.
 * Returns the exit code of the outcome's kind (outcome_exit) and releases the outcome.
 */
int cli_failed(struct outcome *o);
/* The option that sets a field of the library ("visits_per_week" → "--visits-per-week"), or
 * NULL when the command line gives it some other way (a positional argument). */
const char *cli_field_option(const char *field, char *out, size_t size);

/*
 * The options commands share, as tables to include in a command's own (OPT_INCLUDE): one
 * process runs one command, so the values land in these variables.
 *   cli_db_opts   --db 路径 → cli_db
 *   cli_out_opts  --format 格式, -o/--output 文件 → cli_out.format, cli_out.output
 */
extern const char *cli_db;
extern const struct opt cli_db_opts[];
/* cli_db_read_opts  --db-read 连接串, --db-read-max-lag 秒 (serve, report: a streaming replica) */
extern const char *cli_db_read;
extern long cli_db_read_max_lag;
extern const struct opt cli_db_read_opts[];
struct cli_out {
    const char *format, *output;
};
extern struct cli_out cli_out;
extern const struct opt cli_out_opts[];

/* Parse an integer option value within [min, max]; exits 2 if bad (dates: OPT_DATE rows). */

/* The one positional argument of a command that names an object by number (argv[1] after
 * opt_parse): a positive integer, else the usage and exit 2. */
int64_t cli_number(const struct opt *opts, const char *const *usage, int argc, char **argv,
                   const char *what);
long cli_parse_long(const char *opt, const char *value, long min, long max);

/*
 * A progress bar on stderr for a library's progress reports (import, match): drawn only when
 * stderr is a terminal and the work has taken more than a second. cli_bar_start gives the
 * struct progress to hand to the library (NULL when nothing is to be drawn); cli_bar_end ends
 * the bar's line.
 */
struct cli_bar {
    struct progress p;
    double start;
    bool drawn;
};
struct progress *cli_bar_start(struct cli_bar *b, bool wanted);
void cli_bar_end(struct cli_bar *b);

#endif
