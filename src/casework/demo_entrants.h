#ifndef BAOXUE_DEMO_ENTRANTS_H
#define BAOXUE_DEMO_ENTRANTS_H

#include "util/outcome.h"

struct store;

/*
 * The demo county's 招生入学 (issue 17, `baoxue demo`): the 学区 — every village of the latest
 * cross-check's 户籍 list assigned to the primary school most of its pupils attend (else its
 * township's busiest primary school), one village left 未划学区 on purpose — and a few
 * applications a school records (随迁子女 for next year, one of this year's cohort the 学籍
 * does not list, so that the September check has someone to name).
 */
struct demo_entrants_summary {
    long villages, unassigned, applications;
};
int demo_entrants(struct store *s, const char *actor, int as_of, struct demo_entrants_summary *out,
                  struct outcome *o);

#endif
