#ifndef BAOXUE_DEMO_GROUPS_INTERNAL_H
#define BAOXUE_DEMO_GROUPS_INTERNAL_H

/* Shared by the priority-group lists' files (groups.c, group_lists.c); see demo_internal.h. */

#include "demo/demo_internal.h"

/* Bits of groups_ctx.member: the lists a register child is on. */
#define MEMBER(l) (1u << (l))

struct groups_ctx {
    struct demo_world *w;
    struct demo_rng r;
    uint64_t *adult_set; /* packed IDs of the adults issued (open addressing, 0 empty) */
    size_t adult_mask;
    uint32_t *first_child; /* per household: its first child (children are contiguous) */
    uint8_t *nkids;
    uint8_t *member;        /* per register child */
    uint8_t *poverty_house; /* per household: 1 + category, 0 none */
    struct buf a, b, c;     /* scratch */
};

/* An adult's ID born on ymd (odd sequence for men), unique among the adults issued; the
 * county's code mostly, or `code`. */
void groups_adult_id(struct groups_ctx *g, int ymd, int sex, const char *code, char out19[19]);
/* A birth date `years_lo`..`years_hi` years before `ymd`. */
int groups_birth_before(struct groups_ctx *g, int ymd, int years_lo, int years_hi);
/* An 11-digit mobile number. */
uint64_t groups_phone(struct groups_ctx *g);
/* Appends a full name for sex, with `surname` (UTF-8) or a drawn one when NULL. */
void groups_name(struct groups_ctx *g, const char *surname, size_t slen, int sex, struct buf *out);
/* The surname of a child's name (its first character; "" for names with a middle dot). */
size_t groups_surname(const char *name, size_t len);
/* The child's name as a list writes it: a nickname or a homophone at the given rates. */
void groups_child_name(struct groups_ctx *g, const struct demo_child *c, uint32_t nick_ppm,
                       uint32_t homophone_ppm, struct buf *out, uint8_t *kase);
/* The child's ID cell: exact, one slip (OFFER_ID_TYPO) or empty (returns false). */
bool groups_child_id(struct groups_ctx *g, const struct demo_child *c, uint32_t typo_ppm,
                     uint32_t missing_ppm, struct buf *out, bool *typo);
int groups_township(const struct demo_world *w, const struct demo_child *c);
/* The decisive 学籍 row of a child, or NULL. */
const struct demo_enrol *groups_enrol(const struct demo_world *w, const struct demo_child *c);
/* The offer of a row without the child's usable ID: the 户籍's guardian among the row's adults
 * with their ID (adult_id true) or by name only. */
enum group_offer groups_household_offer(const struct demo_world *w, const struct demo_child *c,
                                        bool guardian_listed, bool adult_id);

/* Sheets */
void sheet_init(struct demo_sheet *s, const char *const *header, size_t ncols, unsigned numeric);
void sheet_row(struct demo_sheet *s, uint32_t child, enum group_offer offer, enum group_case kase,
               unsigned category);
void sheet_cell(struct demo_sheet *s, const char *text, size_t len);
void sheet_cells(struct demo_sheet *s, const char *text);
void sheet_cell_uint(struct demo_sheet *s, uint64_t v);
void sheet_cell_date(struct demo_sheet *s, int ymd);
void sheet_finish(struct demo_sheet *s);

extern const char *const groups_poverty_categories[];
extern const char *const groups_welfare_categories[];
extern const char *const groups_orphan_categories[];
/* A row's category in words (脱贫户, 农村低保, 智力二级, 祖辈监护, …); tmp holds built ones. */
const char *groups_category_label(enum group_list l, unsigned cat, char tmp[48]);

/* The lists of group_lists.c. */
void groups_disability(struct groups_ctx *g);
void groups_left_behind(struct groups_ctx *g);
void groups_aid(struct groups_ctx *g);

#endif
