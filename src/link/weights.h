#ifndef BAOXUE_WEIGHTS_H
#define BAOXUE_WEIGHTS_H

#include <stddef.h>
#include <stdint.h>

#include "link/linker.h"

/*
 * The Fellegi–Sunter model of one run, estimated from that run's own data (linker.c calls it;
 * docs/linkage.md explains every estimate). Internal to the link layer.
 */

/* What the exact-ID stage and the ID-typo search saw of the records' IDs. */
struct lk_typo_stats {
    long birth, rest; /* mistyped IDs with exactly one register child one slip away, by where
                         the slip fell (the birth digits or the rest) */
    long found;       /* mistyped IDs with at least one register child one slip away */
    long copies;      /* valid IDs of one child on a record bearing the name of that child's
                         sibling (born the same day, the neighbouring sequence number) */
};

/*
 * exact[i]: the one register child whose ID equals record i's, or -1. seed: the sampling's.
 * Fills every m, u, u_same and weight of `model`.
 */
void lk_model_estimate(const struct lk_rec *pop, size_t npop, const struct lk_rec *oth, size_t noth,
                       const int32_t *exact, const struct lk_typo_stats *ts, uint64_t seed,
                       struct lk_model *model);

#endif
