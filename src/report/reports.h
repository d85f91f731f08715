#ifndef BAOXUE_REPORTS_H
#define BAOXUE_REPORTS_H

#include <stdbool.h>
#include <stdint.h>

#include "report/table.h"
#include "util/buf.h"

struct store;

struct report_options {
    const char *township; /* code or name filter, NULL for the county */
    bool full;            /* full ID and phone numbers instead of masked ones */
    int64_t run_id;       /* 0: the latest cross-check */
    int status;           /* children: only this enum child_status; -1 all (the default) */
};
#define REPORT_OPTIONS_INIT                                                                        \
    {                                                                                              \
        NULL, false, 0, -1                                                                         \
    }

/* Fill `t` with the named report. -1 with a Chinese message; *exit_code as the CLI contract. */
int report_out_of_school(struct store *s, const struct report_options *opt, struct report_table *t,
                         struct buf *err, int *exit_code);
int report_summary(struct store *s, const struct report_options *opt, struct report_table *t,
                   struct buf *err, int *exit_code);

/* Every child of the run's register with status, school and explanation (儿童状态清单). */
int report_children(struct store *s, const struct report_options *opt, struct report_table *t,
                    struct buf *err, int *exit_code);

/* Phone masked for display: 138****5678. */
void phone_mask(const char *phone, struct buf *out);

#endif
