#include "util/common.h"

#include "demo/demo_internal.h"

/*
 * The register children a 随迁 pupil is made to resemble (the unregistered family, demo.h): a
 * child born the same day whose sequence number the pupil's ID neighbours, or a namesake.
 */

/* A register child of the compulsory band with an active registration (for a neighbour), half
 * of the time (in the unregistered family's county) one truly out of school: a 随迁 pupil linked
 * to them by mistake would hide them. */
size_t lookalike_pick(struct demo_world *w, struct demo_rng *r, const size_t *out, size_t nout)
{
    if (w->opt->family == DEMO_FAMILY_UNREGISTERED && nout && rng_below(r, 2))
        return out[rng_below(r, (uint32_t)nout)];
    for (int tries = 0; tries < 32; tries++) {
        size_t i = rng_below(r, (uint32_t)w->npop);
        const struct demo_child *x = &w->children[i];
        if (x->reg_state == REG_NORMAL && x->age >= w->cal.min_age && x->age <= w->cal.max_age)
            return i;
    }
    return SIZE_MAX;
}

uint64_t lookalike_name_hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

int lookalike_cmp(const void *x, const void *y)
{
    const struct name_ix *a = x, *b = y;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    return a->child < b->child ? -1 : a->child > b->child;
}

/*
 * A namesake the way namesakes arise: names drawn as any child's until one is borne by a child
 * of the register (popular names collide, rare ones almost never), then one of its bearers of
 * the compulsory band — in the unregistered family's county one truly out of school when there
 * is one. SIZE_MAX when no draw collided.
 */
size_t lookalike_namesake(struct demo_world *w, struct demo_rng *r, const struct name_ix *ix,
                          size_t nix, int sex, struct buf *name)
{
    bool prefer_out = w->opt->family == DEMO_FAMILY_UNREGISTERED && rng_below(r, 2);
    for (int tries = 0; tries < 400; tries++) {
        buf_reset(name);
        names_surname(r, name);
        names_given(r, sex, name);
        uint64_t h = lookalike_name_hash(name->buf, name->len);
        size_t lo = 0, hi = nix;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (ix[mid].hash < h)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t best = SIZE_MAX;
        for (size_t k = lo; k < nix && ix[k].hash == h; k++) {
            const struct demo_child *x = &w->children[ix[k].child];
            if (x->reg_state != REG_NORMAL || x->age < w->cal.min_age || x->age > w->cal.max_age ||
                x->name_len != name->len || memcmp(w->text.buf + x->name_off, name->buf, name->len))
                continue;
            bool out = x->status == ST_NOT_ENROLLED || x->status == ST_DROPPED;
            if (best == SIZE_MAX || (prefer_out && out))
                best = ix[k].child;
        }
        if (best != SIZE_MAX)
            return best;
    }
    return SIZE_MAX;
}

void lookalike_add(struct demo_world *w, size_t pupil, size_t child, enum lookalike_kind k)
{
    ALLOC_GROW(w->lookalikes, w->nlookalikes + 1, w->lookalikes_alloc);
    w->lookalikes[w->nlookalikes++] =
        (struct demo_lookalike){(uint32_t)pupil, (uint32_t)child, (uint8_t)k};
}
