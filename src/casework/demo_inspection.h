#ifndef BAOXUE_DEMO_INSPECTION_H
#define BAOXUE_DEMO_INSPECTION_H

#include "util/outcome.h"

struct store;

/*
 * The demo county's 督导检查 (issue 17), after its casework: an inspection 40 days ago of the
 * first township with verification tasks and of the demo's school (DEMO_WELLBEING_SCHOOL), with
 * three findings: the school's rectified and accepted, the township's first submitted and
 * awaiting acceptance, its second past its deadline and not rectified (overdue, on 待办).
 * Through the same functions as the commands, each act by the account whose it is. *findings
 * counts them (0 when the county has no township with tasks). 0, or -1 with the outcome.
 */
int demo_inspection(struct store *s, const char *actor, int *findings, struct outcome *o);

#endif
