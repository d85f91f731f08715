#ifndef BAOXUE_DEMO_MONTHLY_H
#define BAOXUE_DEMO_MONTHLY_H

#include "util/outcome.h"

struct store;

/*
 * The demo county's monthly report confirmations (issue 17, report/monthly_confirm.h), so that
 * the 月报 screen and 待办 are alive on `baoxue demo`: relative to `today`'s month to confirm
 * (monthly_open_month) — the month before last confirmed by every township and issued by the
 * county; last month confirmed by every township but the county's last one (overdue, on its
 * 待办 and the county's); this month confirmed by the third and fourth townships. Each
 * confirmation names a township official; the figures are the demo's own.
 */
struct demo_monthly_summary {
    long confirmed; /* confirmations recorded */
    long overdue;   /* townships overdue for last month */
    char issued[8]; /* the month issued ("2026-09") */
};
int demo_monthly(struct store *s, const char *actor, int today, struct demo_monthly_summary *out,
                 struct outcome *o);

#endif
