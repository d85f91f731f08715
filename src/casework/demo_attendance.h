#ifndef BAOXUE_DEMO_ATTENDANCE_H
#define BAOXUE_DEMO_ATTENDANCE_H

#include "util/outcome.h"

struct store;

/*
 * The demo county's attendance (issue 16, `baoxue demo`): a term of absences for every pupil of
 * the current 学籍 list, from the term's first school day to `as_of`, written as the county's
 * sheet of one row per absence (考勤登记.csv in `dir`: 日期, 学校标识码, 年级, 班级, 学籍号,
 * 姓名, 类型, 原因) and imported with attendance_import, so that the warning rules have data. The
 * patterns, the same for the same pupils whatever their order (each pupil's draws come from its
 * child key): most pupils never absent; some with a day or three of 事假 or 迟到早退; a sick week
 * (3–5 school days of 病假) for about one in twenty; a stray 旷课 day for a few; and a few
 * drifting away — unexcused streaks of 3, 7 and 20+ school days ending on the last school day
 * (at least one of each, one in 250 pupils in all); one long 病假 of 16 school days; one pupil
 * absent every other school day of a month (11 days: the month's rule).
 */
struct demo_attendance_summary {
    long pupils, absences, rejected;
    long streak3, streak7, streak20; /* pupils given each drifting streak */
    long warnings, warning_tasks;    /* what the warning rules made of the term */
};
int demo_attendance(struct store *s, const char *dir, const char *actor, int as_of,
                    struct demo_attendance_summary *out, struct outcome *o);

#endif
