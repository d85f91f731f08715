#include "util/progress.h"

#include <stdarg.h>
#include <stdio.h>

#include "util/clock.h"

static double interval_of(const struct progress *p)
{
    return p->interval == 0 ? PROGRESS_INTERVAL : p->interval;
}

bool progress_due(const struct progress *p, bool force)
{
    if (!p || !p->fn)
        return false;
    if (force || !p->started || interval_of(p) < 0)
        return true;
    return mono_seconds() - p->last >= interval_of(p);
}

void progress_report(struct progress *p, bool force, double fraction, const char *fmt, ...)
{
    if (!progress_due(p, force))
        return;
    char phase[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(phase, sizeof(phase), fmt, ap);
    va_end(ap);
    p->started = true;
    p->last = mono_seconds();
    p->fn(p->ctx, fraction < 0 ? 0 : fraction > 1 ? 1 : fraction, phase);
}
