#ifndef BAOXUE_DEMO_CASES_H
#define BAOXUE_DEMO_CASES_H

#include "util/buf.h"
#include "util/outcome.h"

struct store;

/*
 * The demo county's case work after its first cross-check (`baoxue demo`): outcomes on the
 * first open tasks that were assigned — two confirmed out of school (cases), one outreach, one
 * studying in another province, one 空挂户, one 送教上门 — by their township official; the
 * first case gets a pairing teacher, two persuasion attempts and the first ladder step; the
 * 送教上门 child is placed 送教上门 with its township's school since the first day of last month,
 * with two visits last month (the minimum met) and one this month (short: on 待办). Goes
 * through the same functions as the commands (verify_record, casework_assign, case_attempt,
 * case_escalate, placement_set, placement_visit), so each step is its own audited transaction. 0,
 * or -1 with the outcome.
 */
struct demo_cases_summary {
    long verified, cases, attempts, ladder_steps;
};
int demo_cases(struct store *s, const char *actor, struct demo_cases_summary *out,
               struct outcome *o);

#endif
