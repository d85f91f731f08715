#ifndef BAOXUE_MEETING_IMPL_H
#define BAOXUE_MEETING_IMPL_H

/* What meeting.c, meeting_duty.c, meeting_read.c and interview.c share (casework/meeting.h). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casework/meeting.h"

struct store;

bool mt_blank(const char *s);
/* A deadline (any day, not before `not_before` when given); -1 naming the field. */
int mt_deadline(const char *label, const char *field, const char *text, int not_before, int *ymd,
                struct outcome *o);
/* A text of at most `max` characters (required or not); -1 naming the field. */
int mt_text(const char *label, const char *field, const char *text, size_t max, bool required,
            struct outcome *o);
/* `text` into out: at most `chars` characters (cut at a character boundary, with "…"). */
void mt_cut(char *out, size_t size, const char *text, size_t chars);

struct mt_decision {
    int64_t id, meeting;
    char department[32], state[8], deadline[11], duty[16], meeting_date[11];
};
int mt_meeting_date(struct store *s, int64_t meeting_id, char day[11]);
int mt_decision_load(struct store *s, int64_t id, struct mt_decision *d);
/* The decision `id` as the scope may report on it (ACT_FOLLOW_UP); -1 with the outcome (404 for
 * another department's, 403 `forbidden` for a reader). */
int mt_decision_reach(struct store *s, const struct scope *sc, int64_t id, struct mt_decision *d,
                      const char *forbidden, struct outcome *o);

#endif
