#ifndef BAOXUE_DEMO_WELLBEING_H
#define BAOXUE_DEMO_WELLBEING_H

#include "util/outcome.h"

struct store;

/*
 * The demo county's wellbeing ledgers (issue 16), after its first cross-check and casework:
 * pupils of the school DEMO_WELLBEING_SCHOOL (沁水县实验小学, the demo's school account) —
 * a chronic illness with a certificate that keeps the pupil at home (送教上门 to consider),
 * an infectious absence this month (the 卫健 report), an injury, with follow-ups — and two
 * mental-health entries (one with its review overdue), through the same functions as the
 * commands. *illnesses and *entries count them. 0, or -1 with the outcome.
 */
#define DEMO_WELLBEING_SCHOOL "2114052101"
int demo_wellbeing(struct store *s, const char *actor, int *illnesses, int *entries,
                   struct outcome *o);

#endif
