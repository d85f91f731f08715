/* 考勤预警 as a report (casework/warning.h builds it; the catalog serves it): every warning of
 * the term, whatever its state. */
#include "casework/warning.h"
#include "report/reports.h"

int report_warnings(struct store *s, const struct report_options *opt, struct report_table *t,
                    struct outcome *o)
{
    struct warning_filter f = {.township = opt->township, .full = opt->full};
    return warning_table(s, opt->scope, &f, t, o);
}
