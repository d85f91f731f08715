#ifndef BAOXUE_DEMO_HISTORY_H
#define BAOXUE_DEMO_HISTORY_H

#include <stdint.h>

#include "util/outcome.h"

struct store;

/*
 * The demo county's history (issue 17, `baoxue demo`, after the current lists are imported and
 * before the current cross-check): two earlier 学籍 exports, each imported and cross-checked on
 * its own date, so that the indicators have a 巩固率 base, a start-of-year roll, a trend and
 * rankings that differ between townships.
 *   - spring term (15 April of the school year before as_of's): every pupil of the current list
 *     one grade lower, active (the current grade 1 not yet at school; the graduates still in
 *     grade 9) — those the current list shows 辍学, 转出 or 死亡 were still at school then;
 *   - start of the school year (15 September, when as_of is past it): every pupil in the
 *     current grade, active — those the current list shows 辍学 dropped out during the term.
 * Files 学籍数据（春季学期）.csv and 学籍数据（秋季开学）.csv in `dir`; then the current list
 * (`current_path`) is imported again so that it is the newest snapshot, as a county's clerk
 * would import this term's export. Each run's figures are the cross-check's own (match_run).
 */
struct demo_history_summary {
    int runs; /* earlier cross-checks made */
    long spring_rows, september_rows;
    int spring_date, september_date; /* ymd, 0 not made */
};
int demo_history(struct store *s, const char *dir, const char *current_path, const char *actor,
                 int as_of, struct demo_history_summary *out, struct outcome *o);

#endif
