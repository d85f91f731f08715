#ifndef BAOXUE_PROGRESS_H
#define BAOXUE_PROGRESS_H

#include <stdbool.h>

/*
 * Progress of long library work (an import, a cross-check) for whoever started it: a
 * fraction 0–1 of the whole and a Chinese phase ("读取第 120000 行"). The library calls
 * progress_report as often as it likes; the callback runs at most once per `interval` seconds
 * (PROGRESS_INTERVAL when 0), except for a forced report (a new phase), so that a callback may
 * write to a database. A NULL struct progress * reports nothing.
 */
#define PROGRESS_INTERVAL 0.25

struct progress {
    void (*fn)(void *ctx, double fraction, const char *phase);
    void *ctx;
    double interval; /* seconds between reports; 0: PROGRESS_INTERVAL, < 0: every call */
    double last;     /* monotonic time of the last report (set by progress_report) */
    bool started;
};

/* True when a report now would reach the callback (to skip formatting the phase). */
bool progress_due(const struct progress *p, bool force);

/* Report `fraction` (clamped to 0–1) and the phase (printf format) when due or forced. */
void progress_report(struct progress *p, bool force, double fraction, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
