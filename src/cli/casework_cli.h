#ifndef BAOXUE_CASEWORK_CLI_H
#define BAOXUE_CASEWORK_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/scope.h"
#include "render/table.h"
#include "store/audit.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;

/* Helpers shared by the casework commands (people, verify, case, tasks). */

/* --format / -o / terminal → the format; exits 2 on a bad --format. */
enum report_format cw_format(const char *fmt_name, const char *out);
/* Render and release the table; returns the exit code. */
int cw_render(struct report_table *t, enum report_format fmt, const char *out);
/*
 * What the command line adds under a table printed on the terminal: how to see a masked
 * table in full (its "masked" metadata), then `hint` (the commands that act on its rows; may
 * be NULL). The library's footer names no option or command.
 */
void cw_table_hints(const struct report_table *t, enum report_format fmt, const char *out,
                    const char *hint);
/* Record a full read before showing it (exit code 1 when it cannot be recorded). */
int cw_audit_full(struct store *s, const char *what, const char *target);

/*
 * "baoxue case show 案件编号 [--full]" and its likes: one object's text, numbered `what`
 * ("案件编号"); with --full the read is audited first (`audit_what` names it in the trail, the
 * object's target is audit_target's). Returns the exit code.
 */
typedef int (*cw_show_fn)(struct store *s, int64_t id, bool full, struct buf *out,
                          struct outcome *o);
int cw_show(int argc, char **argv, const char *const *usage, const char *what,
            enum audit_object object, const char *audit_what, cw_show_fn show);

/*
 * "baoxue case photos 案件编号 [--get 照片编号 -o 文件]" and verify's: the photos of a task
 * (SCOPE_TASK) or case (SCOPE_CASE) listed, or one written to a file (audited). The exit code.
 */
int cw_photos(int argc, char **argv, const char *const *usage, const char *what,
              enum scope_object object);

/*
 * "baoxue case list [选项]" and its likes: parse `opts` (which fill the command's filter and
 * include cli_out_opts and cli_db_opts), audit a full read (`*full`, named `audit_what`), then
 * the table `list` makes of `filter`, rendered as --format and -o say, with `hint` under a
 * terminal table (cw_table_hints). Returns the exit code.
 */
struct opt;
typedef int (*cw_list_fn)(struct store *s, const void *filter, struct report_table *t,
                          struct outcome *o);
int cw_list(int argc, char **argv, const char *const *usage, const struct opt *opts,
            const bool *full, const char *audit_what, cw_list_fn list, const void *filter,
            const char *hint);

#endif
