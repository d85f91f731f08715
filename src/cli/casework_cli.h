#ifndef BAOXUE_CASEWORK_CLI_H
#define BAOXUE_CASEWORK_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "render/table.h"

struct store;

/* Helpers shared by the casework commands (people, verify, case, tasks). */

/* --format / -o / terminal → the format; exits 2 on a bad --format. */
enum report_format cw_format(const char *fmt_name, const char *out);
/* Render and release the table; returns the exit code. */
int cw_render(struct report_table *t, enum report_format fmt, const char *out);
/* Record a full read before showing it (exit code 1 when it cannot be recorded). */
int cw_audit_full(struct store *s, const char *what, const char *target);

#endif
