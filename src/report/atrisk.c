/* 预警名单 as a report (casework/atrisk.h builds it; the catalog serves it). */
#include "casework/atrisk.h"
#include "report/reports.h"

int report_at_risk(struct store *s, const struct report_options *opt, struct report_table *t,
                   struct outcome *o)
{
    struct atrisk_filter f = {opt->township, opt->full};
    return atrisk_table(s, opt->scope, &f, t, o);
}
