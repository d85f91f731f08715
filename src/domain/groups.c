/*
 * The priority groups' rows linked to the register's children (issue 15, docs/decisions.md
 * "Issue 15 (group matching)"): a pass after the cross-check has decided the register's
 * children, in the run's transaction, written to group_member.
 */
#include "domain/groups.h"

#include <pthread.h>

#include "core/date.h"
#include "core/idcard.h"
#include "domain/groups_impl.h"
#include "ingest/category.h"
#include "ingest/import.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/common.h"

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
    g->by_guardian = xmalloc((g->n + 1) * sizeof(*g->by_guardian));
    for (size_t i = 0; i < g->n; i++) {
        if (g->c[i].idn)
            g->by_id[g->nid++] = (struct hh_key){g->c[i].idn, (uint32_t)i};
        if (g->c[i].guardian)
            g->by_guardian[g->nguardian++] = (struct hh_key){g->c[i].guardian, (uint32_t)i};
        if (g->c[i].birth)
            g->by_month[g->nmonth++] = (uint64_t)(g->c[i].birth / 100) << 32 | i;
    }
    if (g->nid)
        qsort(g->by_id, g->nid, sizeof(*g->by_id), cmp_hh);
    if (g->nmonth)
        qsort(g->by_month, g->nmonth, sizeof(*g->by_month), cmp_u64);
    if (g->nhh)
        qsort(g->hh, g->nhh, sizeof(*g->hh), cmp_hh);
    if (g->nguardian)
        qsort(g->by_guardian, g->nguardian, sizeof(*g->by_guardian), cmp_hh);
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
    free(g->by_guardian);
}

static const char *const path_key[P__N] = {
    [P_ID] = "id",
    [P_ID_NICK] = "id",
    [P_ID_SLIP_NICK] = "id",
    [P_ID_TWIN] = "household",
    [P_ID_SIBLING] = "id",
    [P_HOUSEHOLD] = "household",
    [P_GUARDIAN_NAME] = "household",
    [P_HOUSEHOLD_NICK] = "household",
    [P_GUARDIAN_COUNTY] = "household",
    [P_NAME_BIRTH] = "name_birth",
    [P_NAME_BIRTH_COUNTY] = "name_birth",
    [P_NAME_BIRTH_VILLAGE] = "name_birth",
    [P_NAME_BIRTH_OTHER_ID] = "name_birth",
};
static const char *const path_what[P__N] = {
    "身份证号相同、姓名一致",
    "身份证号相同且有效，姓名不同但姓相同（可能是小名或曾用名），户内没有与名单姓名一致的其他儿童",
    "身份证号错一位（校验位不符，按一位之差找到），姓名不同但姓相同（可能是小名），出生日期完全一致"
    "，"
    "监护人相同",
    "名单上的身份证号是同户同日出生的另一名儿童的（双胞胎的号码抄错），按户内姓名一致关联",
    "身份证号属于其中一名，姓名与同户另一名一致",
    "户主、监护人或同户成员的身份证号与户籍记录的户主或监护人相同，姓名一致，出生日期一致或名单"
    "没有出生日期（户内唯一）",
    "户籍监护人姓名是名单上的户主、监护人或同户成员，村（社区）相同，姓名一致，出生日期一致或"
    "名单没有出生日期（户内唯一）",
    "同户（户主、监护人或同户成员的身份证号，或监护人姓名和村），姓名不同（可能是小名）：姓相同且"
    "出生日期完全一致，或姓名只差一个字且出生日期一致或名单没有出生日期，户内唯一",
    "名单没有乡镇和村：户籍监护人姓名是名单上的监护人，完整出生日期一致，姓名一致（或姓相同，"
    "可能是小名），全县唯一符合",
    "姓名、出生日期、乡镇一致（唯一符合）",
    "名单没有乡镇和村：姓名、完整出生日期一致，全县唯一符合",
    "名单没有乡镇：姓名、出生日期、村（社区）一致（唯一符合）",
    "姓名、出生日期一致，但名单上的身份证号有效、户籍中没有，与该户籍儿童的身份证号不同（可能是"
    "户籍中没有的另一名儿童）",
};

struct writer {
    struct stmt *ins, *cand;
    int64_t run_id;
    struct buf detail, key;
    struct hh_key
        *decided; /* clerks' decisions on group pairs, sorted by pair key; child 1 accept */
    size_t ndecided;
};

/* The key of a (register child, group row) pair a clerk decides in the review queue, stable
 * across new snapshots like the 学籍 pairs' (domain/match.c): the child by ID (or name and
 * birth), the row by its group, ID as typed, name, birth and head's ID. "#G:" keeps it apart
 * from the linker's keys. */
static void group_pair_key(const struct gchild *c, const struct grow *r, const char *grp,
                           struct buf *out)
{
    buf_reset(out);
    if (c->idn && id_is_valid(c->idn))
        buf_addf(out, "P:%s", c->idn);
    else
        buf_addf(out, "P:%s/%d", c->name ? c->name : "", c->birth);
    buf_addf(out, "#G:%s/%s/%s/%s/%s", grp, r->idn ? r->idn : "-", r->name ? r->name : "",
             r->birth_text ? r->birth_text : "-", r->head_id ? r->head_id : "-");
}

/* A clerk's decision on a pair: 1 the same child, -1 not, 0 none. */
static int pair_decided(const struct writer *w, const char *key)
{
    size_t first, n = groups_find_key(w->decided, w->ndecided, key, &first);
    return n ? (w->decided[first].child ? 1 : -1) : 0;
}

static int load_decided(struct store *s, struct writer *w)
{
    struct stmt *q = store_prepare(s, "SELECT pair_key, decision FROM review_decision"
                                      " WHERE pair_key LIKE 'P:%#G:%'");
    if (!q)
        return -1;
    size_t alloc = 0;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(w->decided, w->ndecided + 1, alloc);
        w->decided[w->ndecided++] =
            (struct hh_key){xstrdup(stmt_text(q, 0)), !strcmp(stmt_text(q, 1), "accept")};
    }
    stmt_finalize(q);
    if (w->ndecided)
        qsort(w->decided, w->ndecided, sizeof(*w->decided), cmp_hh);
    return rc < 0 ? -1 : 0;
}

/* An uncertain row's candidates into the shared review queue (table candidate, decision
 * "review"): a clerk picks the child, or says none by rejecting each. */
static int queue_review(struct writer *w, const struct gctx *g, const struct grow *r,
                        const char *grp, const struct cands *k)
{
    for (size_t j = 0; j < k->n && j < ARRAY_SIZE(k->ix); j++) {
        const struct gchild *c = &g->c[k->ix[j]];
        group_pair_key(c, r, grp, &w->key);
        stmt_reset(w->cand);
        stmt_bind_int(w->cand, 1, w->run_id);
        stmt_bind_int(w->cand, 2, c->id);
        stmt_bind_int(w->cand, 3, r->id);
        stmt_bind_str(w->cand, 4, w->key.buf);
        stmt_bind_str(w->cand, 5, w->detail.buf);
        if (stmt_step(w->cand) < 0)
            return -1;
    }
    return 0;
}

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

/* qsort has no context argument: the batch being sorted, one per thread (two cross-checks may
 * link at once on a server's job threads) */
static _Thread_local const struct gbatch *sort_batch;

static int cmp_row_hkey(const void *a, const void *b)
{
    const struct grow *x = &sort_batch->r[*(const uint32_t *)a],
                      *y = &sort_batch->r[*(const uint32_t *)b];
    int c = strcmp(x->hkey ? x->hkey : "", y->hkey ? y->hkey : "");
    return c ? c : (x->id > y->id) - (x->id < y->id);
}

static void batch_release(struct gbatch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        struct grow *r = &b->r[i];
        char *owned[] = {r->idn,     r->name,        r->birth_text, r->tcode,
                         r->town,    r->village,     r->guardian,   r->head_name,
                         r->head_id, r->guardian_id, r->category,   r->hkey};
        for (size_t j = 0; j < ARRAY_SIZE(owned); j++)
            free(owned[j]);
    }
    free(b->r);
    free(b->order);
}

/* Read the rows of list `batch`, and group them by household: rows with the same head's ID (or,
 * without one, the same head's name in the same village) are one household. */
static int load_batch(struct store *s, int64_t batch, struct gbatch *b)
{
    struct stmt *q = store_prepare(
        s, "SELECT r.id, r.id_number, r.id_flags, r.name, r.birth_date, r.township_code,"
           " r.township, r.village, r.guardian, r.head_name, r.head_id, r.guardian_id,"
           " g.category, g.cert_no FROM record r LEFT JOIN group_detail g"
           " ON g.batch_id = r.batch_id AND g.row_no = r.row_no"
           " WHERE r.batch_id = $1 ORDER BY r.id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, batch);
    size_t alloc = 0;
    int rc;
    struct buf key = BUF_INIT;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(b->r, b->n + 1, alloc);
        struct grow *r = &b->r[b->n++];
        memset(r, 0, sizeof(*r));
        r->id = stmt_int(q, 0);
        r->idn = dup_col(q, 1);
        r->id_flags = (int)stmt_int(q, 2);
        r->name = dup_col(q, 3);
        r->birth_text = dup_col(q, 4);
        r->tcode = dup_col(q, 5);
        r->town = dup_col(q, 6);
        r->village = dup_col(q, 7);
        r->guardian = dup_col(q, 8);
        r->head_name = dup_col(q, 9);
        r->head_id = dup_col(q, 10);
        r->guardian_id = dup_col(q, 11);
        r->category = dup_col(q, 12);
        const char *cert = stmt_text(q, 13);
        if (!r->idn && cert && strlen(cert) >= 18) {
            /* a 残疾人证号 whose ID part the import refused (a slip): the typo search gets it */
            struct resident_id rid;
            id_normalize(cert, 18, &rid);
            if (rid.id[0]) {
                r->idn = xstrdup(rid.id);
                r->id_flags = rid.flags | ID_BAD_CHECK * !id_is_valid(rid.id);
            }
        }
        buf_reset(&key);
        if (r->head_id)
            buf_addf(&key, "i%s", r->head_id);
        else if (r->head_name && r->village)
            buf_addf(&key, "n%s\x1f%s", r->head_name, r->village);
        r->hkey = key.len ? xstrdup(key.buf) : NULL;
    }
    buf_release(&key);
    stmt_finalize(q);
    if (rc < 0)
        return -1;
    b->order = xmalloc((b->n + 1) * sizeof(*b->order));
    for (size_t i = 0; i < b->n; i++)
        b->order[i] = (uint32_t)i;
    sort_batch = b;
    if (b->n)
        qsort(b->order, b->n, sizeof(*b->order), cmp_row_hkey);
    for (size_t i = 0; i < b->n;) {
        size_t j = i + 1;
        const char *hk = b->r[b->order[i]].hkey;
        while (j < b->n && hk && same_text(hk, b->r[b->order[j]].hkey))
            j++;
        for (size_t t = i; t < j; t++) {
            b->r[b->order[t]].hh_lo = hk ? i : t;
            b->r[b->order[t]].hh_hi = hk ? j : t + 1;
        }
        i = j;
    }
    return 0;
}

/* The rows of list `batch` whose group it is the current list of. */
static int match_batch(struct store *s, const struct gctx *g, struct writer *w,
                       enum import_kind kind, int64_t batch, const int64_t snapshot[GRP__COUNT],
                       const struct school_calendar *cal, int cutoff, struct group_counts *out)
{
    struct gbatch b = {0};
    if (load_batch(s, batch, &b) < 0) {
        batch_release(&b);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < b.n && rc == 0; i++) {
        struct grow *r = &b.r[i];
        const char *category = r->category;
        int grp = category_group(kind, category ? category : "");
        if (grp < 0 || snapshot[grp] != batch)
            continue;
        groups_row_birth(r);
        /* a birth outside the band skips the row, unless it may come from a mistyped ID (the
         * check digit fails): then the row is skipped only when it links nobody */
        bool oob = groups_out_of_band(r, cal, cutoff);
        if (oob && !(r->id_flags & ID_BAD_CHECK)) {
            out->skipped++;
            continue;
        }
        const char *name = r->name ? r->name : "";
        name_info_make(&r->ni, name, strlen(name));
        const char *gk = priority_groups.words[grp].key;
        struct cands k = {0};
        bool slip = false;
        int path = groups_decide(g, &b, r, &k, &slip);
        if ((path == P_HOUSEHOLD || path == P_GUARDIAN_NAME || path == P_GUARDIAN_COUNTY ||
             path == P_NAME_BIRTH || path == P_NAME_BIRTH_COUNTY || path == P_NAME_BIRTH_VILLAGE) &&
            k.n > 1)
            groups_prefer_exact_name(g, r, &k);
        /* a valid ID of the row's own that is another's: never linked without a clerk */
        bool doubt = path == P_NAME_BIRTH_OTHER_ID;
        /* a clerk's decisions on this row's candidates: the one picked, or none of them */
        int reviewed = 0;
        if (path >= 0 && (k.n > 1 || doubt) && k.n <= ARRAY_SIZE(k.ix) && w->ndecided) {
            struct cands left = {0};
            for (size_t j = 0; j < k.n; j++) {
                group_pair_key(&g->c[k.ix[j]], r, priority_groups.words[grp].key, &w->key);
                int d = pair_decided(w, w->key.buf);
                if (d > 0) {
                    left.ix[0] = k.ix[j];
                    left.n = 1;
                    reviewed = 1;
                    break;
                }
                if (d == 0)
                    groups_cand_add(&left, k.ix[j]);
                else
                    reviewed = -1;
            }
            if (reviewed)
                k = left;
        }
        if (oob && (path < 0 || k.n != 1)) {
            out->skipped++;
            continue;
        }
        buf_reset(&w->detail);
        if (path >= 0 && k.n == 0) {
            buf_addf(&w->detail,
                     "%s名单中的“%s”：人工复核认定候选户籍儿童都不是名单上的这名儿童，不关联",
                     priority_groups.words[grp].label, name);
            out->unmatched++;
            rc = put(w, r, gk, category, 0, NULL, false);
        } else if (path < 0) {
            buf_addf(&w->detail,
                     "%s名单中的“%s”在户籍名单中找不到：身份证号、户主或监护人、姓名和出生日期"
                     "都对不上（可能未落户、户籍在外地或名单信息有误），请核实",
                     priority_groups.words[grp].label, name);
            out->unmatched++;
            rc = put(w, r, gk, category, 0, NULL, false);
        } else if (doubt && !reviewed && k.n == 1) {
            const struct gchild *c = &g->c[k.ix[0]];
            buf_addf(&w->detail,
                     "%s名单中的“%s”与户籍儿童“%s”%s，暂不关联，待人工确认；候选户籍记录编号：",
                     priority_groups.words[grp].label, name, c->name ? c->name : "",
                     path_what[path]);
            for (size_t j = 0; j < k.n && j < ARRAY_SIZE(k.ix); j++)
                buf_addf(&w->detail, "%s%lld", j ? "、" : "", (long long)g->c[k.ix[j]].id);
            out->uncertain++;
            rc = put(w, r, gk, category, 0, NULL, true);
            if (rc == 0)
                rc = queue_review(w, g, r, gk, &k);
        } else if (k.n > 1 || reviewed < 0) {
            buf_addf(&w->detail,
                     "%s名单中的“%s”有 %zu 名户籍儿童符合（%s），无法确定是哪一名，暂不关联，"
                     "待人工确认；候选户籍记录编号：",
                     priority_groups.words[grp].label, name, k.n, path_what[path]);
            for (size_t j = 0; j < k.n && j < ARRAY_SIZE(k.ix); j++)
                buf_addf(&w->detail, "%s%lld", j ? "、" : "", (long long)g->c[k.ix[j]].id);
            out->uncertain++;
            rc = put(w, r, gk, category, 0, NULL, true);
            if (rc == 0)
                rc = queue_review(w, g, r, gk, &k);
        } else {
            const struct gchild *c = &g->c[k.ix[0]];
            buf_addf(&w->detail, "%s名单中的“%s”关联到户籍儿童“%s”：%s%s%s",
                     priority_groups.words[grp].label, name, c->name ? c->name : "",
                     reviewed ? "人工复核确认；" : "", path_what[path],
                     path == P_ID && slip ? "（名单上的身份证号错一位，校验位不符，按一位之差找到）"
                                          : "");
            long *cnt = path <= P_ID_NICK ? &out->by_id
                        : path == P_GUARDIAN_NAME || path == P_GUARDIAN_COUNTY
                            ? &out->by_guardian_name
                        : path <= P_HOUSEHOLD_NICK ? &out->by_household
                                                   : &out->by_name_birth;
            (*cnt)++;
            rc = put(w, r, gk, category, c->id, path_key[path], false);
        }
    }
    batch_release(&b);
    return rc < 0 ? -1 : 0;
}

static char groups_mask_[2048];
static pthread_once_t groups_mask_once_ = PTHREAD_ONCE_INIT;

static void groups_mask_init(void)
{
    size_t n = (size_t)snprintf(groups_mask_, sizeof(groups_mask_),
                                "(SELECT coalesce(sum(DISTINCT CASE gmk.grp");
    for (int g = 0; g < GRP__COUNT && n < sizeof(groups_mask_); g++)
        n += (size_t)snprintf(groups_mask_ + n, sizeof(groups_mask_) - n, " WHEN '%s' THEN %lld",
                              priority_groups.words[g].key, 1LL << g);
    if (n < sizeof(groups_mask_))
        snprintf(groups_mask_ + n, sizeof(groups_mask_) - n,
                 " ELSE 0 END), 0) FROM group_member gmk WHERE gmk.run_id = $1 AND"
                 " gmk.record_id = ");
}

const char *groups_mask_sql(void)
{
    pthread_once(&groups_mask_once_, groups_mask_init);
    return groups_mask_;
}

/* The run's rows of child_status say the groups of their child (a page of a list reads them
 * there, not in group_member row by row): those of the children just matched. */
static int keep_masks(struct store *s, int64_t run_id)
{
    char *sql = xstrfmt("UPDATE child_status SET group_mask = %schild_status.record_id)"
                        " WHERE run_id = $1 AND record_id IN (SELECT record_id FROM group_member"
                        " WHERE run_id = $1)",
                        groups_mask_sql());
    struct stmt *u = store_prepare(s, sql);
    free(sql);
    if (!u)
        return -1;
    stmt_bind_int(u, 1, run_id);
    int rc = stmt_step(u);
    stmt_finalize(u);
    return rc < 0 ? -1 : 0;
}

int groups_match(struct store *s, int64_t run_id, int64_t population_batch,
                 const struct school_calendar *cal, int cutoff, struct group_counts *out)
{
    memset(out, 0, sizeof(*out));
    static const enum import_kind kinds[] = {KIND_POVERTY, KIND_WELFARE, KIND_DISABILITY,
                                             KIND_LEFT_BEHIND};
    /* no priority-group list at all: nothing to match, and the register is not read (at 1M
     * children reading and sorting it was 60 % of a cross-check's time, bench/RESULTS.md) */
    bool any = false;
    for (size_t i = 0; i < ARRAY_SIZE(kinds) && !any; i++) {
        int64_t snapshot[GRP__COUNT];
        if (import_group_snapshot(s, kinds[i], 0, snapshot) < 0)
            return -1;
        for (int k = 0; k < GRP__COUNT; k++)
            any = any || snapshot[k] != 0;
    }
    if (!any)
        return 0;
    struct gctx g = {0};
    struct writer w = {.run_id = run_id};
    buf_init(&w.detail, 0);
    buf_init(&w.key, 0);
    int ret = -1;
    if (load_register(s, population_batch, &g) < 0)
        goto out;
    w.ins = store_prepare(s, "INSERT INTO group_member (run_id, record_id, group_record, grp,"
                             " category, matched_by, uncertain, detail)"
                             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
    if (!w.ins)
        goto out;
    w.cand = store_prepare(s, "INSERT INTO candidate (run_id, population_record, other_record,"
                              " pair_key, score, levels, decision, reason)"
                              " VALUES ($1, $2, $3, $4, 0, '{}', 'review', $5)");
    if (!w.cand || load_decided(s, &w) < 0) {
        ret = -1;
        goto out;
    }
    ret = 0;
    for (size_t i = 0; i < ARRAY_SIZE(kinds) && ret == 0; i++)
        ret = match_kind(s, &g, &w, kinds[i], cal, cutoff, out);
    if (ret == 0)
        ret = keep_masks(s, run_id);
out:
    stmt_finalize(w.ins);
    stmt_finalize(w.cand);
    buf_release(&w.detail);
    buf_release(&w.key);
    for (size_t i = 0; i < w.ndecided; i++)
        free((char *)w.decided[i].key);
    free(w.decided);
    release(&g);
    return ret;
}
