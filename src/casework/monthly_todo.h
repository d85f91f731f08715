#ifndef BAOXUE_CASEWORK_MONTHLY_TODO_H
#define BAOXUE_CASEWORK_MONTHLY_TODO_H

/*
 * The monthly report's confirmations on 待办 (issue 17, report/monthly_confirm.h): for each
 * township (or the one of `code`), the month to confirm now and the month before when neither
 * is confirmed — "本月月报待确认" due by the deadline, overdue after it. Nothing before the
 * county's first confirmation: a county that starts using it is not shown every past month as
 * overdue (docs/decisions.md).
 */
struct monthly_due {
    const char *tcode, *township;
    char what[96];
    char ref[32];
    int month; /* yyyymm: the 待办 row's object_id */
    int due;
};

struct store;
int monthly_due_each(struct store *s, const char *code,
                     void (*fn)(void *ctx, const struct monthly_due *d), void *ctx);

#endif
