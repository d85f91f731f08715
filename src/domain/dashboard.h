#ifndef BAOXUE_DASHBOARD_H
#define BAOXUE_DASHBOARD_H

#include "domain/scope.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;
struct json_t;

/*
 * The first screen of the web UI, for a scope (a township account: its township; the county
 * roles: the county, or `township` when given): the three ledgers' counts, children by status
 * per township with each township's work (its verification tasks and cases: all, done, in
 * hand, overdue: the rates the townships are compared by), verification tasks and cases by
 * state (overdue counted), the trend of the counts one point a month (the month's last
 * cross-check), and the newest casework events. With `group` (a priority group's key or label,
 * issue 15) all of it for that group's children only (a task, case or event by the child's
 * groups in the last cross-check that found it out of school), except "groups", the counts of
 * every group. Counts only, no
 * personal data except the children's names in the newest events. NULL with the outcome
 * otherwise (OUT_NO_RUN before the first cross-check).
 */
struct json_t *dashboard_get(struct store *s, const struct scope *sc, const char *township,
                             const char *group, struct outcome *o);

#endif
