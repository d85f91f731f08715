/*
 * The matching paths of the priority groups' rows (docs/decisions.md "Issue 15 (group
 * matching)", "(group matching recall)"): which register children a row may be, path by path,
 * and the order in which the paths decide (groups_impl.h).
 */
#include "domain/groups_impl.h"

#include "core/date.h"
#include "core/idcard.h"
#include "util/buf.h"
#include "util/common.h"

/* The entries of a sorted key array equal to `key`: first index and the count. */
size_t groups_find_key(const struct hh_key *a, size_t n, const char *key, size_t *first)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(a[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *first = lo;
    size_t k = lo;
    while (k < n && !strcmp(a[k].key, key))
        k++;
    return k - lo;
}

/* The register children whose ID is `idn`: first index into by_id and the count. */
static size_t find_id(const struct gctx *g, const char *idn, size_t *first)
{
    return groups_find_key(g->by_id, g->nid, idn, first);
}

/* Whether the row's name and the child's agree at least at `level` (name.h's levels). */
static bool names_within(const struct grow *r, const struct gchild *c, enum name_level level)
{
    if (!r->name || !*r->name || !c->name)
        return false;
    struct name_info ni;
    name_info_make(&ni, c->name, strlen(c->name));
    return name_compare(&r->ni, &ni) <= level;
}

static bool name_agrees(const struct grow *r, const struct gchild *c)
{
    return names_within(r, c, NAME_PINYIN);
}

/* The names differ but the surname agrees (a 小名 such as 王小明 for 王明, 王轩轩 for 王子轩). */
static bool surname_agrees(const struct grow *r, const struct gchild *c)
{
    return names_within(r, c, NAME_SURNAME);
}

static bool birth_agrees(const struct grow *r, const struct gchild *c)
{
    if (!r->y || !c->birth)
        return false;
    if (ymd_year(c->birth) != r->y || ymd_month(c->birth) != r->m)
        return false;
    return !r->d || ymd_day(c->birth) == r->d;
}

/* A row without any birth (the 低保 lists have no such column) cannot disagree; one with a
 * birth must agree. */
static bool birth_fits(const struct grow *r, const struct gchild *c)
{
    return !r->y || birth_agrees(r, c);
}

static bool same_township(const struct grow *r, const struct gchild *c)
{
    if (r->tcode && c->tcode)
        return !strcmp(r->tcode, c->tcode);
    return same_text(r->town, c->town);
}

/* The slip search's second chance for a 小名 typed with a slip in the ID: the surname and the
 * full birth date agree and the register's 监护人 is the row's (by ID or by name). */
static bool slip_nickname(const struct grow *r, const struct gchild *c)
{
    if (!r->d || !surname_agrees(r, c) || !birth_agrees(r, c))
        return false;
    const char *ids[2] = {r->head_id, r->guardian_id};
    for (int t = 0; t < 2; t++)
        if (same_text(ids[t], c->guardian_id) || same_text(ids[t], c->head_id))
            return true;
    return same_text(r->guardian, c->guardian) || same_text(r->head_name, c->guardian);
}

/* The register children one slip away from the row's ID (the check digit failed: one
 * substitution or one swap of neighbours) for which `ok` holds. */
static void slip_search(const struct gctx *g, const struct grow *r,
                        bool (*ok)(const struct grow *, const struct gchild *), struct cands *k)
{
    static const char digits[] = "0123456789X";
    char v[19];
    size_t first, n;
    for (int pos = 0; pos < 18; pos++) {
        for (const char *d = digits; *d; d++) {
            if (*d == r->idn[pos] || (*d == 'X' && pos != 17))
                continue;
            memcpy(v, r->idn, 19);
            v[pos] = *d;
            if (!id_is_valid(v))
                continue;
            n = find_id(g, v, &first);
            for (size_t j = 0; j < n; j++)
                if (ok(r, &g->c[g->by_id[first + j].child]))
                    groups_cand_add(k, g->by_id[first + j].child);
        }
        if (pos < 17 && r->idn[pos] != r->idn[pos + 1]) {
            memcpy(v, r->idn, 19);
            v[pos] = r->idn[pos + 1];
            v[pos + 1] = r->idn[pos];
            if (id_is_valid(v)) {
                n = find_id(g, v, &first);
                for (size_t j = 0; j < n; j++)
                    if (ok(r, &g->c[g->by_id[first + j].child]))
                        groups_cand_add(k, g->by_id[first + j].child);
            }
        }
    }
}

/* (a) the row's own ID: exact with the name agreeing, or one slip away with the name agreeing
 * (1 returned), or one slip away with a 小名 whose surname, birth and guardian agree (2). */
static int path_id(const struct gctx *g, const struct grow *r, struct cands *k)
{
    if (!r->idn || strlen(r->idn) != 18)
        return 0;
    size_t first, n = find_id(g, r->idn, &first);
    for (size_t j = 0; j < n; j++)
        if (name_agrees(r, &g->c[g->by_id[first + j].child]))
            groups_cand_add(k, g->by_id[first + j].child);
    if (k->n || !(r->id_flags & ID_BAD_CHECK))
        return 0;
    slip_search(g, r, name_agrees, k);
    if (k->n)
        return 1;
    slip_search(g, r, slip_nickname, k);
    return 2;
}

/* Two register children of one household: a head's or guardian's ID in common, or the same
 * guardian's name in the same village. */
static bool same_household(const struct gchild *a, const struct gchild *b)
{
    if ((a->head_id &&
         (same_text(a->head_id, b->head_id) || same_text(a->head_id, b->guardian_id))) ||
        (a->guardian_id &&
         (same_text(a->guardian_id, b->head_id) || same_text(a->guardian_id, b->guardian_id))))
        return true;
    return same_text(a->guardian, b->guardian) && same_text(a->village, b->village);
}

/* (a′) the row's own ID is exact and valid and names one register child, but the name does
 * not agree. Another child of that household whose name agrees is the row's child when born
 * the same day (a twin's ID copied: 1 returned, *twin set), a candidate beside the ID's owner
 * otherwise (a sibling's ID: uncertain); else the ID's owner when the surname agrees (a 小名:
 * 2 returned). 0: nothing. */
static int path_id_nickname(const struct gctx *g, const struct grow *r, struct cands *k)
{
    if (!r->idn || strlen(r->idn) != 18 || (r->id_flags & ID_BAD_CHECK) || !id_is_valid(r->idn))
        return 0;
    size_t first, n = find_id(g, r->idn, &first);
    if (n != 1)
        return 0;
    uint32_t owner = g->by_id[first].child;
    const struct gchild *o = &g->c[owner];
    struct cands sib = {0};
    /* the owner's household: by its IDs, else by the guardian's name */
    const char *keys[2] = {o->head_id, o->guardian_id};
    for (int t = 0; t < 2; t++) {
        if (!keys[t])
            continue;
        size_t f, m = groups_find_key(g->hh, g->nhh, keys[t], &f);
        for (size_t j = 0; j < m; j++) {
            uint32_t i = g->hh[f + j].child;
            if (i != owner && name_agrees(r, &g->c[i]))
                groups_cand_add(&sib, i);
        }
    }
    if (o->guardian) {
        size_t f, m = groups_find_key(g->by_guardian, g->nguardian, o->guardian, &f);
        for (size_t j = 0; j < m; j++) {
            uint32_t i = g->by_guardian[f + j].child;
            if (i != owner && same_household(o, &g->c[i]) && name_agrees(r, &g->c[i]))
                groups_cand_add(&sib, i);
        }
    }
    if (sib.n == 1 && o->birth && g->c[sib.ix[0]].birth == o->birth) {
        groups_cand_add(k, sib.ix[0]);
        return 1;
    }
    if (sib.n) {
        groups_cand_add(k, owner);
        for (size_t j = 0; j < sib.n && j < ARRAY_SIZE(sib.ix); j++)
            groups_cand_add(k, sib.ix[j]);
        return 3;
    }
    if (!surname_agrees(r, o))
        return 0;
    groups_cand_add(k, owner);
    return 2;
}

/* Within one household, a 小名 for the child: the surname and the full birth date agree, or
 * the names are one character apart (王小明/王明, 王轩轩/王子轩) and the birth, when the row
 * has one, agrees. Twins 李明/李亮 are one character apart too: both fit, and the row is
 * uncertain. */
static bool nickname_fits(const struct grow *r, const struct gchild *c)
{
    if (!r->name || !*r->name || !c->name)
        return false;
    struct name_info ni;
    name_info_make(&ni, c->name, strlen(c->name));
    enum name_level l = name_compare(&r->ni, &ni);
    if (r->d && l <= NAME_SURNAME && birth_agrees(r, c))
        return true;
    return l <= NAME_ONE_CHAR && birth_fits(r, c);
}

/* (b) the household by ID: the row's head's or guardian's ID, or the ID of another member of
 * its household in the list, is the register record's head's or guardian's; the child's name
 * agrees, and its birth when the row has one. */
static void path_household(const struct gctx *g, const struct gbatch *b, const struct grow *r,
                           bool nick, struct cands *k)
{
    size_t nk = 2 + (r->hh_hi - r->hh_lo);
    const char **keys = xmalloc(nk * sizeof(*keys));
    keys[0] = r->head_id;
    keys[1] = r->guardian_id;
    for (size_t j = r->hh_lo; j < r->hh_hi; j++) {
        const struct grow *m = &b->r[b->order[j]];
        keys[2 + j - r->hh_lo] = m != r && m->idn && !(m->id_flags & ID_BAD_CHECK) ? m->idn : NULL;
    }
    for (size_t t = 0; t < nk; t++) {
        if (!keys[t] || !*keys[t])
            continue;
        size_t f, m = groups_find_key(g->hh, g->nhh, keys[t], &f);
        for (size_t j = 0; j < m; j++) {
            const struct gchild *c = &g->c[g->hh[f + j].child];
            if (nick ? nickname_fits(r, c) : name_agrees(r, c) && birth_fits(r, c))
                groups_cand_add(k, g->hh[f + j].child);
        }
    }
    free(keys);
}

/* (b′) the register's 监护人 (name) is the row's head, guardian or another member of its
 * household in the list, in the same 村（社区） (and township when both give one); the child's
 * name agrees, and its birth when the row has one. */
static void path_guardian_name(const struct gctx *g, const struct gbatch *b, const struct grow *r,
                               bool nick, struct cands *k)
{
    if (!r->village || !*r->village)
        return;
    size_t nn = 2 + (r->hh_hi - r->hh_lo);
    const char **names = xmalloc(nn * sizeof(*names));
    names[0] = r->head_name;
    names[1] = r->guardian;
    for (size_t j = r->hh_lo; j < r->hh_hi; j++) {
        const struct grow *m = &b->r[b->order[j]];
        names[2 + j - r->hh_lo] = m != r ? m->name : NULL;
    }
    for (size_t t = 0; t < nn; t++) {
        if (!names[t] || !*names[t])
            continue;
        size_t f, m = groups_find_key(g->by_guardian, g->nguardian, names[t], &f);
        for (size_t j = 0; j < m; j++) {
            const struct gchild *c = &g->c[g->by_guardian[f + j].child];
            if (same_text(r->village, c->village) &&
                (!(r->tcode || r->town) || !(c->tcode || c->town) || same_township(r, c)) &&
                (nick ? nickname_fits(r, c) : name_agrees(r, c) && birth_fits(r, c)))
                groups_cand_add(k, g->by_guardian[f + j].child);
        }
    }
    free(names);
}

/* Every child born in the row's month whose name agrees, and for which `also` holds. */
static void month_scan(const struct gctx *g, const struct grow *r,
                       bool (*also)(const struct grow *, const struct gchild *), struct cands *k)
{
    if (!r->y)
        return;
    int want = r->y * 100 + r->m;
    size_t lo = 0, hi = g->nmonth;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((int)(g->by_month[mid] >> 32) < want)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < g->nmonth && (int)(g->by_month[lo] >> 32) == want; lo++) {
        uint32_t i = (uint32_t)g->by_month[lo];
        const struct gchild *c = &g->c[i];
        if (birth_agrees(r, c) && also(r, c) && name_agrees(r, c))
            groups_cand_add(k, i);
    }
}

static bool township_agrees(const struct grow *r, const struct gchild *c)
{
    return same_township(r, c);
}

/* A row whose township cell is empty (a half-filled sheet) still names the 村（社区）. */
static bool village_agrees(const struct grow *r, const struct gchild *c)
{
    return same_text(r->village, c->village);
}

static bool anywhere(const struct grow *r, const struct gchild *c)
{
    (void)r;
    (void)c;
    return true;
}

/* The birth of a row: its column ("yyyy-mm-dd" or "yyyy-mm"), else the ID's digits. */
void groups_row_birth(struct grow *r)
{
    r->y = r->m = r->d = 0;
    int ymd;
    const char *t = r->birth_text;
    if (t && *t) {
        if (strlen(t) == 7 && date_parse_month(t, 7, &ymd) == 0) {
            r->y = ymd / 100;
            r->m = ymd % 100;
            return;
        }
        if (date_parse(t, strlen(t), &ymd) == 0) {
            r->y = ymd_year(ymd);
            r->m = ymd_month(ymd);
            r->d = ymd_day(ymd);
            return;
        }
    }
    if (r->idn && strlen(r->idn) == 18 && !(r->id_flags & ID_BAD_CHECK)) {
        ymd = 0;
        for (int i = 6; i < 14; i++)
            ymd = ymd * 10 + (r->idn[i] >= '0' && r->idn[i] <= '9' ? r->idn[i] - '0' : 0);
        if (ymd_valid(ymd)) {
            r->y = ymd_year(ymd);
            r->m = ymd_month(ymd);
            r->d = ymd_day(ymd);
        }
    }
}

/* Outside the compulsory band on the cutoff (even at the month's most favourable day). */
bool groups_out_of_band(const struct grow *r, const struct school_calendar *cal, int cutoff)
{
    if (!r->y)
        return false; /* unknown: kept */
    int first = ymd_make(r->y, r->m, r->d ? r->d : 1);
    int last = r->d ? first
                    : days_to_ymd(ymd_to_days(ymd_make(r->m == 12 ? r->y + 1 : r->y,
                                                       r->m == 12 ? 1 : r->m + 1, 1)) -
                                  1);
    return age_on(last, cutoff) > cal->max_age || age_on(first, cutoff) < cal->min_age;
}

/* (b″) a row with no township and no village (the 留守 register: child, birth, school and the
 * 受委托监护人): the register's 监护人 (name) is the row's guardian, and the full birth date
 * agrees, with the name (or, `nick`, a 小名: surname and birth), anywhere in the county. */
static void path_guardian_county(const struct gctx *g, const struct grow *r, bool nick,
                                 struct cands *k)
{
    const char *names[2] = {r->guardian, r->head_name};
    for (int t = 0; t < 2; t++) {
        if (!names[t] || !*names[t] || (t == 1 && same_text(names[0], names[1])))
            continue;
        size_t f, m = groups_find_key(g->by_guardian, g->nguardian, names[t], &f);
        for (size_t j = 0; j < m; j++) {
            const struct gchild *c = &g->c[g->by_guardian[f + j].child];
            if (birth_agrees(r, c) && (nick ? nickname_fits(r, c) : name_agrees(r, c)))
                groups_cand_add(k, g->by_guardian[f + j].child);
        }
    }
}

/* The row carries a valid ID of its own (the check digit fits) that no register child has —
 * the paths by ID found nobody —, and a candidate has another valid ID: a child the register
 * lacks who shares a register child's name and birth looks like this. */
static bool other_id(const struct gctx *g, const struct grow *r, const struct cands *k)
{
    if (!r->idn || strlen(r->idn) != 18 || (r->id_flags & ID_BAD_CHECK) || !id_is_valid(r->idn))
        return false;
    for (size_t j = 0; j < k->n && j < ARRAY_SIZE(k->ix); j++) {
        const char *o = g->c[k->ix[j]].idn;
        if (o && id_is_valid(o) && strcmp(o, r->idn))
            return true;
    }
    return false;
}

/* The deciding path of a row and its candidates; *slip when the ID was one slip away. */
int groups_decide(const struct gctx *g, const struct gbatch *b, const struct grow *r,
                  struct cands *k, bool *slip)
{
    int id = path_id(g, r, k);
    *slip = id > 0;
    if (k->n)
        return id == 2 ? P_ID_SLIP_NICK : P_ID;
    int nick = path_id_nickname(g, r, k);
    if (nick == 1)
        return P_ID_TWIN;
    if (nick == 3)
        return P_ID_SIBLING; /* the ID's owner and a sibling whose name agrees: uncertain */
    if (nick == 2)
        return P_ID_NICK;
    path_household(g, b, r, false, k);
    if (k->n)
        return P_HOUSEHOLD;
    path_guardian_name(g, b, r, false, k);
    if (k->n)
        return P_GUARDIAN_NAME;
    path_household(g, b, r, true, k);
    path_guardian_name(g, b, r, true, k);
    if (k->n)
        return P_HOUSEHOLD_NICK;
    if (r->tcode || (r->town && *r->town)) {
        month_scan(g, r, township_agrees, k);
        if (k->n)
            return other_id(g, r, k) ? P_NAME_BIRTH_OTHER_ID : P_NAME_BIRTH;
    } else if (!(r->village && *r->village) && r->d) {
        path_guardian_county(g, r, false, k);
        if (!k->n)
            path_guardian_county(g, r, true, k);
        if (k->n)
            return P_GUARDIAN_COUNTY;
        month_scan(g, r, anywhere, k);
        if (k->n)
            return other_id(g, r, k) ? P_NAME_BIRTH_OTHER_ID : P_NAME_BIRTH_COUNTY;
    } else if (r->village && *r->village) {
        month_scan(g, r, village_agrees, k);
        if (k->n)
            return other_id(g, r, k) ? P_NAME_BIRTH_OTHER_ID : P_NAME_BIRTH_VILLAGE;
    }
    return -1;
}

/* Siblings of one household whose names sound alike (康家明, 康家铭): when the row's name is
 * one of them character for character (or as a variant) and only the same in pinyin with the
 * others, it is that one. */
void groups_prefer_exact_name(const struct gctx *g, const struct grow *r, struct cands *k)
{
    if (k->n > ARRAY_SIZE(k->ix))
        return;
    size_t exact = 0;
    uint32_t pick = 0;
    for (size_t j = 0; j < k->n; j++) {
        const struct gchild *c = &g->c[k->ix[j]];
        struct name_info ni;
        name_info_make(&ni, c->name, strlen(c->name));
        if (name_compare(&r->ni, &ni) <= NAME_VARIANT) {
            exact++;
            pick = k->ix[j];
        }
    }
    if (exact == 1) {
        k->ix[0] = pick;
        k->n = 1;
    }
}
