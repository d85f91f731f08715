#ifndef BAOXUE_REPORT_ENTRANTS_H
#define BAOXUE_REPORT_ENTRANTS_H

#include "report/reports.h"

/*
 * 招生入学 (issue 17, casework/entrants.h), three reports of the catalog:
 *   catchment       学区划分: every village of the latest cross-check's 户籍 list with its
 *                   school, or 未划学区; rows of the 学区 whose village the list does not write so.
 *   entrants        招生入学名单: next school year's cohort (min_age on next year's cutoff) of
 *                   that register, by catchment school, and the applications schools recorded.
 *   entrants-check  新生未注册学籍核对: this school year's cohort the latest 学籍 does not list
 *                   (any grade, active), once a 学籍 imported after the year's start is there.
 * --township, --school; a township account its township, a school account its school.
 */
int report_catchment(struct store *s, const struct report_options *opt, struct report_table *t,
                     struct outcome *o);
int report_entrants(struct store *s, const struct report_options *opt, struct report_table *t,
                    struct outcome *o);
int report_entrants_check(struct store *s, const struct report_options *opt, struct report_table *t,
                          struct outcome *o);

#endif
