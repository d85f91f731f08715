#ifndef BAOXUE_REPORT_BULLETIN_IMPL_H
#define BAOXUE_REPORT_BULLETIN_IMPL_H

/* What the 通报's two files share: bulletin.c makes the content, bulletin_store.c numbers,
 * keeps and reads it. */
#include <jansson.h>

#include "report/bulletin.h"

struct bulletin_period {
    char key[24];   /* 2026-10, 2026-autumn */
    char label[48]; /* 2026年10月, 2026年秋季学期 */
    int as_of;      /* ymd: the period's last day, or today when it has not ended */
};

struct bulletin_draft {
    struct bulletin_period period;
    int published, deadline; /* ymd */
    char office[128], prefix[64], title[192];
    json_t *content; /* owned: render/bulletin.h's document, doc_number "" until numbered */
};

/* The draft of a 通报 (no number yet). -1 with the outcome (the fields named). */
int bulletin_make(struct store *s, const struct scope *sc, const struct bulletin_input *in,
                  struct bulletin_draft *out, struct outcome *o);

#endif
