#ifndef BAOXUE_DEMO_MEETINGS_H
#define BAOXUE_DEMO_MEETINGS_H

#include "util/outcome.h"

struct store;

/*
 * The demo county's accountability records (issue 17, casework/meeting.h), after its casework:
 * a joint meeting a month ago with decisions for 公安 (in progress), 民政 (overdue), 人社 (a
 * 未成年人务工 check that found one minor, a child of the register out of school, linked to it)
 * and 文旅 (a 网吧 inspection, done); an interview of a township's official forty days ago
 * with three commitments (one kept at a follow-up, one overdue, one still due). Through the
 * same functions as the commands. *decisions and *commitments count them; 0, or -1.
 */
int demo_meetings(struct store *s, const char *actor, int *decisions, int *commitments,
                  struct outcome *o);

#endif
