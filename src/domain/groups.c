/*
 * The priority groups' rows linked to the register's children (issue 15, docs/decisions.md
 * "Issue 15 (group matching)"): a pass after the cross-check has decided the register's
 * children, in the run's transaction, written to group_member.
 */
#include "domain/groups.h"

#include "core/date.h"
#include "core/idcard.h"
#include "ingest/category.h"
#include "ingest/import.h"
#include "link/name.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/common.h"

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
};

static char *dup_col(struct stmt *q, int col)
{
    return stmt_is_null(q, col) || !*stmt_text(q, col) ? NULL : xstrdup(stmt_text(q, col));
}

static int cmp_hh(const void *a, const void *b)
{
    return strcmp(((const struct hh_key *)a)->key, ((const struct hh_key *)b)->key);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int load_register(struct store *s, int64_t batch, struct gctx *g)
{
    struct stmt *q = store_prepare(
        s, "SELECT id, id_number, name, birth_date, township_code, township, village, guardian,"
           " head_id, guardian_id FROM record WHERE batch_id = $1 ORDER BY id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, batch);
    size_t alloc = 0, hh_alloc = 0;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(g->c, g->n + 1, alloc);
        struct gchild *c = &g->c[g->n];
        c->id = stmt_int(q, 0);
        c->idn = dup_col(q, 1);
        c->name = dup_col(q, 2);
        c->birth = date_or_zero(stmt_text(q, 3));
        c->tcode = dup_col(q, 4);
        c->town = dup_col(q, 5);
        c->village = dup_col(q, 6);
        c->guardian = dup_col(q, 7);
        c->head_id = dup_col(q, 8);
        c->guardian_id = dup_col(q, 9);
        const char *keys[2] = {c->head_id, c->guardian_id};
        for (int k = 0; k < 2; k++)
            if (keys[k] && (k == 0 || !c->head_id || strcmp(keys[0], keys[1]))) {
                ALLOC_GROW(g->hh, g->nhh + 1, hh_alloc);
                g->hh[g->nhh++] = (struct hh_key){keys[k], (uint32_t)g->n};
            }
        g->n++;
    }
    stmt_finalize(q);
    if (rc < 0)
        return -1;
    g->by_id = xmalloc((g->n + 1) * sizeof(*g->by_id));
    g->by_month = xmalloc((g->n + 1) * sizeof(*g->by_month));
    for (size_t i = 0; i < g->n; i++) {
        if (g->c[i].idn)
            g->by_id[g->nid++] = (struct hh_key){g->c[i].idn, (uint32_t)i};
        if (g->c[i].birth)
            g->by_month[g->nmonth++] = (uint64_t)(g->c[i].birth / 100) << 32 | i;
    }
    if (g->nid)
        qsort(g->by_id, g->nid, sizeof(*g->by_id), cmp_hh);
    if (g->nmonth)
        qsort(g->by_month, g->nmonth, sizeof(*g->by_month), cmp_u64);
    if (g->nhh)
        qsort(g->hh, g->nhh, sizeof(*g->hh), cmp_hh);
    return 0;
}

static void release(struct gctx *g)
{
    for (size_t i = 0; i < g->n; i++) {
        struct gchild *c = &g->c[i];
        free(c->idn);
        free(c->name);
        free(c->tcode);
        free(c->town);
        free(c->village);
        free(c->guardian);
        free(c->head_id);
        free(c->guardian_id);
    }
    free(g->c);
    free(g->by_id);
    free(g->by_month);
    free(g->hh);
}

/* The register children whose ID is `idn`: first index into by_id and the count. */
static size_t find_id(const struct gctx *g, const char *idn, size_t *first)
{
    size_t lo = 0, hi = g->nid;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(g->by_id[mid].key, idn) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *first = lo;
    size_t k = lo;
    while (k < g->nid && !strcmp(g->by_id[k].key, idn))
        k++;
    return k - lo;
}

/* A group row as read. */
struct grow {
    int64_t id;
    const char *idn, *name, *birth_text, *tcode, *town, *village, *guardian, *head_name, *head_id,
        *guardian_id;
    int id_flags;
    int y, m, d; /* birth: d 0 for a year and month only; y 0 unknown */
    struct name_info ni;
};

static bool name_agrees(const struct grow *r, const struct gchild *c)
{
    if (!r->name || !*r->name || !c->name)
        return false;
    struct name_info ni;
    name_info_make(&ni, c->name, strlen(c->name));
    return name_compare(&r->ni, &ni) <= NAME_PINYIN;
}

static bool birth_agrees(const struct grow *r, const struct gchild *c)
{
    if (!r->y || !c->birth)
        return false;
    if (ymd_year(c->birth) != r->y || ymd_month(c->birth) != r->m)
        return false;
    return !r->d || ymd_day(c->birth) == r->d;
}

static bool same_text(const char *a, const char *b)
{
    return a && b && *a && !strcmp(a, b);
}

static bool same_township(const struct grow *r, const struct gchild *c)
{
    if (r->tcode && c->tcode)
        return !strcmp(r->tcode, c->tcode);
    return same_text(r->town, c->town);
}

/* Candidates found by one path (at most a few; more than two only says "several"). */
struct cands {
    uint32_t ix[8];
    size_t n;
};

static void cand_add(struct cands *k, uint32_t i)
{
    for (size_t j = 0; j < k->n && j < ARRAY_SIZE(k->ix); j++)
        if (k->ix[j] == i)
            return;
    if (k->n < ARRAY_SIZE(k->ix))
        k->ix[k->n] = i;
    k->n++;
}

/* (a) the row's own ID: exact with the name agreeing, or one slip away (the check digit
 * failed: one substitution or one swap of neighbours) with the name agreeing. */
static int path_id(const struct gctx *g, const struct grow *r, struct cands *k)
{
    if (!r->idn || strlen(r->idn) != 18)
        return 0;
    size_t first, n = find_id(g, r->idn, &first);
    for (size_t j = 0; j < n; j++)
        if (name_agrees(r, &g->c[g->by_id[first + j].child]))
            cand_add(k, g->by_id[first + j].child);
    if (k->n || !(r->id_flags & ID_BAD_CHECK))
        return 0;
    static const char digits[] = "0123456789X";
    char v[19];
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
                if (name_agrees(r, &g->c[g->by_id[first + j].child]))
                    cand_add(k, g->by_id[first + j].child);
        }
        if (pos < 17 && r->idn[pos] != r->idn[pos + 1]) {
            memcpy(v, r->idn, 19);
            v[pos] = r->idn[pos + 1];
            v[pos + 1] = r->idn[pos];
            if (id_is_valid(v)) {
                n = find_id(g, v, &first);
                for (size_t j = 0; j < n; j++)
                    if (name_agrees(r, &g->c[g->by_id[first + j].child]))
                        cand_add(k, g->by_id[first + j].child);
            }
        }
    }
    return 1; /* a slip */
}

/* (b) the household by ID: the row's head's or guardian's ID is the register record's head's
 * or guardian's, and the child's name and birth agree. */
static void path_household(const struct gctx *g, const struct grow *r, struct cands *k)
{
    const char *keys[2] = {r->head_id, r->guardian_id};
    for (int t = 0; t < 2; t++) {
        if (!keys[t] || !*keys[t])
            continue;
        size_t lo = 0, hi = g->nhh;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (strcmp(g->hh[mid].key, keys[t]) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (; lo < g->nhh && !strcmp(g->hh[lo].key, keys[t]); lo++) {
            const struct gchild *c = &g->c[g->hh[lo].child];
            if (name_agrees(r, c) && birth_agrees(r, c))
                cand_add(k, g->hh[lo].child);
        }
    }
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
            cand_add(k, i);
    }
}

/* (b, degraded) a register record without household IDs: its guardian's name is the row's
 * head's or guardian's, in the same village. */
static bool guardian_named(const struct grow *r, const struct gchild *c)
{
    if (c->head_id || c->guardian_id || !same_text(r->village, c->village))
        return false;
    return same_text(r->head_name, c->guardian) || same_text(r->guardian, c->guardian);
}

static bool township_agrees(const struct grow *r, const struct gchild *c)
{
    return same_township(r, c);
}

/* The birth of a row: its column ("yyyy-mm-dd" or "yyyy-mm"), else the ID's digits. */
static void row_birth(struct grow *r)
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
static bool out_of_band(const struct grow *r, const struct school_calendar *cal, int cutoff)
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

static const char *const path_key[] = {"id", "household", "household", "name_birth"};
static const char *const path_what[] = {
    "身份证号相同、姓名一致",
    "户主或监护人身份证号与户籍记录相同，姓名、出生日期一致",
    "户籍没有户主和监护人身份证号：监护人姓名、村（社区）、姓名、出生日期一致",
    "姓名、出生日期、乡镇一致（唯一符合）",
};

struct writer {
    struct stmt *ins;
    int64_t run_id;
    struct buf detail;
};

static int put(struct writer *w, const struct grow *r, const char *grp, const char *category,
               int64_t child, const char *by, bool uncertain)
{
    struct stmt *q = w->ins;
    stmt_reset(q);
    stmt_bind_int(q, 1, w->run_id);
    if (child)
        stmt_bind_int(q, 2, child);
    else
        stmt_bind_null(q, 2);
    stmt_bind_int(q, 3, r->id);
    stmt_bind_str(q, 4, grp);
    stmt_bind_str(q, 5, category && *category ? category : NULL);
    stmt_bind_str(q, 6, by);
    stmt_bind_int(q, 7, uncertain);
    stmt_bind_str(q, 8, w->detail.buf);
    return stmt_step(q) < 0 ? -1 : 0;
}

static int match_batch(struct store *s, const struct gctx *g, struct writer *w,
                       enum import_kind kind, int64_t batch, const int64_t snapshot[GRP__COUNT],
                       const struct school_calendar *cal, int cutoff, struct group_counts *out);

static int match_kind(struct store *s, const struct gctx *gx, struct writer *w,
                      enum import_kind kind, const struct school_calendar *cal, int cutoff,
                      struct group_counts *out)
{
    /* each group's current list: a newer 孤儿 list leaves the 低保 rows of an older one */
    int64_t snapshot[GRP__COUNT];
    if (import_group_snapshot(s, kind, 0, snapshot) < 0)
        return -1;
    for (int g = 0; g < GRP__COUNT; g++) {
        bool seen = false;
        for (int h = 0; h < g && !seen; h++)
            seen = snapshot[h] == snapshot[g];
        if (snapshot[g] && !seen &&
            match_batch(s, gx, w, kind, snapshot[g], snapshot, cal, cutoff, out) < 0)
            return -1;
    }
    return 0;
}

/* The rows of list `batch` whose group it is the current list of. */
static int match_batch(struct store *s, const struct gctx *g, struct writer *w,
                       enum import_kind kind, int64_t batch, const int64_t snapshot[GRP__COUNT],
                       const struct school_calendar *cal, int cutoff, struct group_counts *out)
{
    struct stmt *q = store_prepare(
        s, "SELECT r.id, r.id_number, r.id_flags, r.name, r.birth_date, r.township_code,"
           " r.township, r.village, r.guardian, r.head_name, r.head_id, r.guardian_id,"
           " g.category FROM record r LEFT JOIN group_detail g"
           " ON g.batch_id = r.batch_id AND g.row_no = r.row_no"
           " WHERE r.batch_id = $1 ORDER BY r.id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, batch);
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        struct grow r = {0};
        r.id = stmt_int(q, 0);
        r.idn = stmt_text(q, 1);
        r.id_flags = (int)stmt_int(q, 2);
        r.name = stmt_text(q, 3);
        r.birth_text = stmt_text(q, 4);
        r.tcode = *stmt_text(q, 5) ? stmt_text(q, 5) : NULL;
        r.town = stmt_text(q, 6);
        r.village = stmt_text(q, 7);
        r.guardian = stmt_text(q, 8);
        r.head_name = stmt_text(q, 9);
        r.head_id = stmt_text(q, 10);
        r.guardian_id = stmt_text(q, 11);
        const char *category = stmt_text(q, 12);
        int grp = category_group(kind, category);
        if (grp < 0 || snapshot[grp] != batch)
            continue;
        row_birth(&r);
        if (out_of_band(&r, cal, cutoff)) {
            out->skipped++;
            continue;
        }
        name_info_make(&r.ni, r.name, strlen(r.name));
        const char *gk = priority_groups.words[grp].key;
        struct cands k = {0};
        int path = -1;
        bool slip = false;
        slip = path_id(g, &r, &k) == 1;
        if (k.n)
            path = 0;
        if (path < 0) {
            path_household(g, &r, &k);
            if (k.n)
                path = 1;
        }
        if (path < 0) {
            month_scan(g, &r, guardian_named, &k);
            if (k.n)
                path = 2;
        }
        if (path < 0) {
            month_scan(g, &r, township_agrees, &k);
            if (k.n)
                path = 3;
        }
        buf_reset(&w->detail);
        int ret;
        if (path < 0) {
            buf_addf(&w->detail,
                     "%s名单中的“%s”在户籍名单中找不到：身份证号、户主或监护人、姓名和出生日期"
                     "都对不上（可能未落户、户籍在外地或名单信息有误），请核实",
                     priority_groups.words[grp].label, r.name);
            out->unmatched++;
            ret = put(w, &r, gk, category, 0, NULL, false);
        } else if (k.n > 1) {
            buf_addf(&w->detail,
                     "%s名单中的“%s”有 %zu 名户籍儿童符合（%s），无法确定是哪一名，暂不关联，"
                     "待人工确认；候选户籍记录编号：",
                     priority_groups.words[grp].label, r.name, k.n, path_what[path]);
            for (size_t j = 0; j < k.n && j < ARRAY_SIZE(k.ix); j++)
                buf_addf(&w->detail, "%s%lld", j ? "、" : "", (long long)g->c[k.ix[j]].id);
            out->uncertain++;
            ret = put(w, &r, gk, category, 0, NULL, true);
        } else {
            const struct gchild *c = &g->c[k.ix[0]];
            buf_addf(
                &w->detail, "%s名单中的“%s”关联到户籍儿童“%s”：%s%s",
                priority_groups.words[grp].label, r.name, c->name ? c->name : "", path_what[path],
                path == 0 && slip ? "（名单上的身份证号错一位，校验位不符，按一位之差找到）" : "");
            long *cnt[] = {&out->by_id, &out->by_household, &out->by_guardian_name,
                           &out->by_name_birth};
            (*cnt[path])++;
            ret = put(w, &r, gk, category, c->id, path_key[path], false);
        }
        if (ret < 0) {
            rc = -1;
            break;
        }
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

int groups_match(struct store *s, int64_t run_id, int64_t population_batch,
                 const struct school_calendar *cal, int cutoff, struct group_counts *out)
{
    memset(out, 0, sizeof(*out));
    struct gctx g = {0};
    struct writer w = {.run_id = run_id};
    buf_init(&w.detail, 0);
    int ret = -1;
    if (load_register(s, population_batch, &g) < 0)
        goto out;
    w.ins = store_prepare(s, "INSERT INTO group_member (run_id, record_id, group_record, grp,"
                             " category, matched_by, uncertain, detail)"
                             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
    if (!w.ins)
        goto out;
    static const enum import_kind kinds[] = {KIND_POVERTY, KIND_WELFARE, KIND_DISABILITY,
                                             KIND_LEFT_BEHIND};
    ret = 0;
    for (size_t i = 0; i < ARRAY_SIZE(kinds) && ret == 0; i++)
        ret = match_kind(s, &g, &w, kinds[i], cal, cutoff, out);
out:
    stmt_finalize(w.ins);
    buf_release(&w.detail);
    release(&g);
    return ret;
}
