#ifndef BAOXUE_DEMO_SEPARATION_H
#define BAOXUE_DEMO_SEPARATION_H

#include "util/outcome.h"

struct store;

/*
 * The demo county's 人籍分离 (issue 16, `baoxue demo`, after demo_attendance): what makes each
 * kind of report/separation.h alive.
 *   - 在他校就读: a class teacher records a pupil's 事假 on the last school day with the note
 *     "已随父母到 <another school of the list> 借读" (attendance_record, like the screen does).
 *   - 学籍变动与考勤不符: the 学籍 is exported again a month on (学籍数据（变动后）.csv in `dir`,
 *     every row of the current list as it stands, imported as the new snapshot) with two
 *     pupils whose school had recorded absences for them transferred to another school (not
 *     转出: a pupil in no list would be a new suspected child at the next cross-check).
 * The 长期旷课 rows come from demo_attendance's drifting pupils. `as_of` the demo's day.
 */
struct demo_separation_summary {
    long noted, moved; /* pupils given a teacher's note; pupils the new 学籍 moved */
    long enrollment_rows;
};
int demo_separation(struct store *s, const char *dir, const char *actor, int as_of,
                    struct demo_separation_summary *out, struct outcome *o);

#endif
