#ifndef BAOXUE_REPORT_WELLBEING_H
#define BAOXUE_REPORT_WELLBEING_H

#include "casework/wellbeing.h"
#include "report/reports.h"

/*
 * The wellbeing ledgers as tables (issue 16): the 疾病台帐 a school, township or the county
 * reads (`baoxue illness list`, report illness), the infectious-disease absences the county
 * sends 卫健 (report infectious: masked unless full, audited), and the holder's 心理健康台帐
 * (`baoxue mental list`: never a report of the catalog, so never a download of anyone else).
 */

/* The 疾病台帐 of filter `f` read by scope `sc` (NULL: the command line, the county's). */
int illness_table(struct store *s, const struct scope *sc, const struct illness_filter *f,
                  struct report_table *t, struct outcome *o);

/* report illness (疾病台帐): --township, --full. */
int report_illness(struct store *s, const struct report_options *opt, struct report_table *t,
                   struct outcome *o);
/* report infectious (传染病缺课登记表，报县卫健局): the month's (--month) infectious illnesses of
 * pupils, with their schools, dates and effect on attendance; masked unless --full. */
int report_infectious(struct store *s, const struct report_options *opt, struct report_table *t,
                      struct outcome *o);

/* The holder's 心理健康台帐 (mental_list's checks and audit). */
int mental_table(struct store *s, const struct scope *sc, const struct mental_filter *f,
                 struct report_table *t, struct outcome *o);

#endif
