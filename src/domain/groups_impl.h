#ifndef BAOXUE_GROUPS_IMPL_H
#define BAOXUE_GROUPS_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/schoolyear.h"
#include "link/name.h"
#include "util/common.h"

/*
 * What the files of the priority groups' matching share (groups.h says what the pass does):
 *
 *   groups.c        the pass: the register and each list read, each row's outcome explained
 *                   and written to group_member, uncertain rows to the review queue
 *   groups_paths.c  the matching paths (own ID, household, guardian's name, name + birth)
 *                   and the order in which they decide a row (groups_decide)
 */

struct gchild {
    int64_t id;
    char *idn, *name, *tcode, *town, *village, *guardian, *head_id, *guardian_id;
    int birth; /* ymd, 0 unknown */
};

struct hh_key {
    const char *key;
    uint32_t child;
};

struct gctx {
    struct gchild *c;
    size_t n;
    struct hh_key *by_id; /* children with an ID, sorted by it */
    size_t nid;
    struct hh_key *hh; /* head's and guardian's IDs of the register's records */
    size_t nhh;
    uint64_t *by_month; /* every child with a birth date: yyyymm << 32 | index, sorted */
    size_t nmonth;
    struct hh_key *by_guardian; /* children with a guardian's name, sorted by it */
    size_t nguardian;
};

/* A group row as read (its strings owned by the batch's arena of rows). */
struct grow {
    int64_t id;
    char *idn, *name, *birth_text, *tcode, *town, *village, *guardian, *head_name, *head_id,
        *guardian_id, *category, *hkey;
    int id_flags;
    int y, m, d;         /* birth: d 0 for a year and month only; y 0 unknown */
    size_t hh_lo, hh_hi; /* the rows of the same household in the batch's order[] */
    struct name_info ni;
};

/* Candidates found by one path (at most a few; more than two only says "several"). */
struct cands {
    uint32_t ix[8];
    size_t n;
};

/* Two texts equal and not empty. */
static inline bool same_text(const char *a, const char *b)
{
    return a && b && *a && !strcmp(a, b);
}

static inline void groups_cand_add(struct cands *k, uint32_t i)
{
    for (size_t j = 0; j < k->n && j < ARRAY_SIZE(k->ix); j++)
        if (k->ix[j] == i)
            return;
    if (k->n < ARRAY_SIZE(k->ix))
        k->ix[k->n] = i;
    k->n++;
}

/* The batch's rows, and their order by household (the head's ID, else head's name + village). */
struct gbatch {
    struct grow *r;
    size_t n;
    uint32_t *order;
};

enum gpath {
    P_ID,
    P_ID_NICK,
    P_ID_SLIP_NICK,
    P_ID_TWIN,
    P_ID_SIBLING,
    P_HOUSEHOLD,
    P_GUARDIAN_NAME,
    P_HOUSEHOLD_NICK,
    P_GUARDIAN_COUNTY,
    P_NAME_BIRTH,
    P_NAME_BIRTH_COUNTY,
    P_NAME_BIRTH_VILLAGE,
    P_NAME_BIRTH_OTHER_ID,
    P__N
};

/* The entries of a sorted key array equal to `key`: first index and the count. */
size_t groups_find_key(const struct hh_key *a, size_t n, const char *key, size_t *first);

/* The birth of a row: its column ("yyyy-mm-dd" or "yyyy-mm"), else the ID's digits. */
void groups_row_birth(struct grow *r);

/* Outside the compulsory band on the cutoff (even at the month's most favourable day). */
bool groups_out_of_band(const struct grow *r, const struct school_calendar *cal, int cutoff);

/* The deciding path of a row (enum gpath, -1 none) and its candidates; *slip when the ID was
 * one slip away. */
int groups_decide(const struct gctx *g, const struct gbatch *b, const struct grow *r,
                  struct cands *k, bool *slip);

/* Siblings of one household whose names sound alike (康家明, 康家铭): when the row's name is
 * one of them character for character (or as a variant) and only the same in pinyin with the
 * others, it is that one. */
void groups_prefer_exact_name(const struct gctx *g, const struct grow *r, struct cands *k);

#endif
