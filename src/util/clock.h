#ifndef BAOXUE_CLOCK_H
#define BAOXUE_CLOCK_H

/* Seconds on the monotonic clock (progress bars, BAOXUE_TIMING phase times). */
double mono_seconds(void);

#endif
