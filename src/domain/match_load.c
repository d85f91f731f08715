/*
 * Reading for the cross-check: the latest snapshot of each kind into compact arrays (the
 * register on a second connection and thread while the school lists are read), and the
 * clerks' decisions on pairs, which the linker asks about while it scores.
 */
#include "domain/match_impl.h"

#include <pthread.h>

#include "core/date.h"
#include "core/idcard.h"
#include "link/keys.h"
#include "store/store.h"
#include "util/common.h"

static size_t arena_add(struct arena *a, const char *s)
{
    size_t off = a->b.len;
    buf_adds(&a->b, s);
    buf_addch(&a->b, '\0');
    return off;
}

/* Birth dates are stored as yyyy-mm-dd: read that directly, anything else the slow way. */
static int ymd_from_text(const char *t)
{
    if (strlen(t) == 10 && t[4] == '-' && t[7] == '-') {
        int v = 0, ok = 1;
        for (int i = 0; i < 10 && ok; i++) {
            if (i == 4 || i == 7)
                continue;
            ok = t[i] >= '0' && t[i] <= '9';
            v = v * 10 + (t[i] - '0');
        }
        if (ok)
            return v;
    }
    int ymd = 0;
    if (*t && date_parse(t, strlen(t), &ymd) < 0)
        ymd = 0;
    return ymd;
}

static uint8_t id_state_of(const char *id_number, int id_flags)
{
    return lk_id_state(*id_number != '\0', id_flags);
}

void match_snapshot_release(struct snapshot *sn)
{
    free(sn->people);
    free(sn->pop);
    free(sn->recs);
    free(sn->oth);
    free(sn->pop_name_off);
    free(sn->oth_name_off);
    buf_release(&sn->pop_names.b);
    buf_release(&sn->names.b);
    intern_release(&sn->schools);
    intern_release(&sn->places);
}

static int load_population_rows(struct store *s, int64_t batch, struct snapshot *sn)
{
    struct stmt *q =
        store_prepare(s, "SELECT id, coalesce(id_number, ''), id_flags, coalesce(name_key, ''),"
                         " coalesce(birth_date, ''), coalesce(gender, 0), coalesce(reg_status, ''),"
                         " coalesce(township_code, ''), coalesce(township, '')"
                         " FROM record WHERE batch_id = $1 ORDER BY id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, batch);
    /* Sized once from the batch's row count: growing millions of rows by copying costs more
     * than the rows themselves. */
    char b[24];
    snprintf(b, sizeof(b), "%lld", (long long)batch);
    const char *bp[] = {b};
    int64_t rows = 0;
    if (store_int(s, "SELECT rows_imported FROM batch WHERE id = $1", 1, bp, &rows) < 0) {
        stmt_finalize(q);
        return -1;
    }
    size_t alloc = 0;
    ALLOC_GROW(sn->people, (size_t)rows + 1, alloc);
    sn->pop = xreallocarray(sn->pop, alloc, sizeof(*sn->pop));
    sn->pop_name_off = xreallocarray(sn->pop_name_off, alloc, sizeof(size_t));
    buf_grow(&sn->pop_names.b, (size_t)rows * 12);
    int rc;
    struct buf place = BUF_INIT;
    while ((rc = stmt_step(q)) == 1) {
        size_t old = alloc;
        ALLOC_GROW(sn->people, sn->npop + 1, alloc);
        if (alloc != old) {
            sn->pop = xreallocarray(sn->pop, alloc, sizeof(*sn->pop));
            sn->pop_name_off = xreallocarray(sn->pop_name_off, alloc, sizeof(size_t));
        }
        struct person *p = &sn->people[sn->npop];
        struct lk_rec *r = &sn->pop[sn->npop];
        memset(p, 0, sizeof(*p));
        memset(r, 0, sizeof(*r));
        p->id = r->rec_id = stmt_int(q, 0);
        const char *idn = stmt_text(q, 1);
        p->id_flags = (int)stmt_int(q, 2);
        p->key = r->key = *idn ? id_pack(idn) : 0;
        r->id_state = id_state_of(idn, p->id_flags);
        sn->pop_name_off[sn->npop] = arena_add(&sn->pop_names, stmt_text(q, 3));
        p->birth = r->birth = ymd_from_text(stmt_text(q, 4));
        r->sex = (uint8_t)stmt_int(q, 5);
        p->reg = reg_status_from_key(stmt_text(q, 6));
        keys_place(&place, stmt_text(q, 7), stmt_text(q, 8));
        p->place = intern_add(&sn->places, place.buf);
        sn->npop++;
    }
    buf_release(&place);
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

/* The batch's stored keys (link/keys.h): 1 loaded, 0 none or not trusted, -1 store error. */
static int load_keys(struct store *s, int64_t batch, struct batch_keys *k)
{
    struct stmt *q = store_prepare(s, "SELECT data FROM batch_keys WHERE batch_id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, batch);
    int rc = stmt_step(q), ret = rc < 0 ? -1 : 0;
    if (rc == 1) {
        size_t len;
        const void *data = stmt_blob(q, 0, &len);
        ret = data && batch_keys_decode(k, data, len) == 0 ? 1 : 0;
    }
    stmt_finalize(q);
    return ret;
}

static int load_population(struct store *s, int64_t batch, struct snapshot *sn)
{
    struct batch_keys k;
    batch_keys_init(&k);
    int kr = load_keys(s, batch, &k);
    if (kr != 0) {
        if (kr == 1) {
            sn->npop = k.n;
            sn->people = xcalloc(k.n + 1, sizeof(*sn->people));
            sn->pop = xcalloc(k.n + 1, sizeof(*sn->pop));
            sn->pop_name_off = xmalloc((k.n + 1) * sizeof(size_t));
            for (size_t i = 0; i < k.n; i++) {
                struct person *p = &sn->people[i];
                struct lk_rec *r = &sn->pop[i];
                p->id = r->rec_id = k.first_id + (int64_t)i;
                p->key = r->key = k.key[i];
                p->id_flags = k.id_flags[i];
                r->id_state = id_state_of(k.key[i] ? "x" : "", k.id_flags[i]);
                p->birth = r->birth = k.birth[i];
                r->sex = k.sex[i];
                p->reg = k.status[i] <= REG_UNKNOWN ? (enum reg_status)k.status[i] : REG_NORMAL;
                p->place = k.school[i];
                sn->pop_name_off[i] = k.name[i];
            }
            /* the places are taken over whole too (looked up by index only) */
            intern_release(&sn->places);
            sn->places = k.schools;
            intern_init(&k.schools);
            /* the names arena is taken over whole */
            buf_release(&sn->pop_names.b);
            sn->pop_names.b = k.names;
            buf_init(&k.names, 0);
        }
        batch_keys_release(&k);
        return kr < 0 ? -1 : 0;
    }
    batch_keys_release(&k);
    return load_population_rows(s, batch, sn);
}

static int load_school_records(struct store *s, int64_t batch, enum import_kind kind,
                               struct snapshot *sn, size_t **school_off)
{
    if (!batch)
        return 0;
    struct batch_keys k;
    batch_keys_init(&k);
    int kr = load_keys(s, batch, &k);
    if (kr != 0) {
        if (kr == 1) {
            size_t base = sn->noth, names_base = sn->names.b.len;
            sn->oth_alloc = base + k.n + 1;
            sn->recs = xreallocarray(sn->recs, sn->oth_alloc, sizeof(*sn->recs));
            sn->oth = xreallocarray(sn->oth, sn->oth_alloc, sizeof(*sn->oth));
            sn->oth_name_off = xreallocarray(sn->oth_name_off, sn->oth_alloc, sizeof(size_t));
            *school_off = xreallocarray(*school_off, sn->oth_alloc, sizeof(size_t));
            buf_add(&sn->names.b, k.names.buf, k.names.len);
            size_t *school_at = xmalloc(k.schools.n * sizeof(size_t));
            for (size_t j = 0; j < k.schools.n; j++)
                school_at[j] = intern_add(&sn->schools, intern_str(&k.schools, (uint32_t)j));
            for (size_t i = 0; i < k.n; i++) {
                struct school_rec *r = &sn->recs[base + i];
                struct lk_rec *l = &sn->oth[base + i];
                memset(r, 0, sizeof(*r));
                memset(l, 0, sizeof(*l));
                r->id = l->rec_id = k.first_id + (int64_t)i;
                r->kind = kind;
                l->kind = (uint8_t)kind;
                l->key = k.key[i];
                l->id_state = id_state_of(k.key[i] ? "x" : "", k.id_flags[i]);
                l->birth = k.birth[i];
                l->sex = k.sex[i];
                r->st = kind == KIND_OUTSIDE || k.status[i] > ENR_UNKNOWN
                            ? ENR_ACTIVE
                            : (enum enroll_status)k.status[i];
                r->grade = k.grade[i];
                sn->oth_name_off[base + i] = names_base + k.name[i];
                (*school_off)[base + i] = school_at[k.school[i]];
            }
            free(school_at);
            sn->noth = base + k.n;
        }
        batch_keys_release(&k);
        return kr < 0 ? -1 : 0;
    }
    batch_keys_release(&k);
    struct stmt *q = store_prepare(
        s, "SELECT id, coalesce(id_number, ''), id_flags, coalesce(name_key, ''),"
           " coalesce(birth_date, ''), coalesce(gender, 0), coalesce(enroll_status, ''),"
           " coalesce(grade, 0), coalesce(school_name, ''), coalesce(school_region, '')"
           " FROM record WHERE batch_id = $1 ORDER BY id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, batch);
    int rc;
    struct buf school = BUF_INIT;
    while ((rc = stmt_step(q)) == 1) {
        size_t old = sn->oth_alloc;
        ALLOC_GROW(sn->recs, sn->noth + 1, sn->oth_alloc);
        if (sn->oth_alloc != old) {
            sn->oth = xreallocarray(sn->oth, sn->oth_alloc, sizeof(*sn->oth));
            sn->oth_name_off = xreallocarray(sn->oth_name_off, sn->oth_alloc, sizeof(size_t));
            *school_off = xreallocarray(*school_off, sn->oth_alloc, sizeof(size_t));
        }
        struct school_rec *r = &sn->recs[sn->noth];
        struct lk_rec *l = &sn->oth[sn->noth];
        memset(r, 0, sizeof(*r));
        memset(l, 0, sizeof(*l));
        r->id = l->rec_id = stmt_int(q, 0);
        r->kind = kind;
        l->kind = (uint8_t)kind;
        const char *idn = stmt_text(q, 1);
        l->key = *idn ? id_pack(idn) : 0;
        l->id_state = id_state_of(idn, (int)stmt_int(q, 2));
        sn->oth_name_off[sn->noth] = arena_add(&sn->names, stmt_text(q, 3));
        l->birth = ymd_from_text(stmt_text(q, 4));
        l->sex = (uint8_t)stmt_int(q, 5);
        r->st = kind == KIND_OUTSIDE ? ENR_ACTIVE : enroll_status_from_key(stmt_text(q, 6));
        r->grade = (int)stmt_int(q, 7);
        school_display(&school, kind, stmt_text(q, 8), stmt_text(q, 9));
        (*school_off)[sn->noth] = intern_add(&sn->schools, school.buf);
        sn->noth++;
    }
    buf_release(&school);
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_decisions(struct store *s, struct decisions *d)
{
    /* The column sorts by bytes (SQLite BINARY, PostgreSQL COLLATE "C"), as strcmp does, so
     * the keys arrive ready for bsearch. */
    struct stmt *q = store_prepare(s, "SELECT pair_key, decision FROM review_decision"
                                      " ORDER BY pair_key");
    if (!q)
        return -1;
    size_t alloc = 0;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(d->keys, d->n + 1, alloc);
        d->verdict = xreallocarray(d->verdict, alloc, sizeof(int));
        d->keys[d->n] = xstrdup(stmt_text(q, 0));
        d->verdict[d->n] = !strcmp(stmt_text(q, 1), "accept") ? 1 : -1;
        d->n++;
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

int match_decided(void *ctx, uint32_t pop, uint32_t other)
{
    const struct decisions *d = ctx;
    if (!d->n)
        return 0;
    struct buf key = BUF_INIT;
    match_pair_key(&d->sn->pop[pop], &d->sn->oth[other], &key);
    const char *k = key.buf;
    char **hit = bsearch(&k, d->keys, d->n, sizeof(char *), cmp_str);
    buf_release(&key);
    return hit ? d->verdict[hit - d->keys] : 0;
}

void match_decisions_release(struct decisions *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->keys[i]);
    free(d->keys);
    free(d->verdict);
}

struct pop_loader {
    struct store *peer;
    int64_t batch;
    struct snapshot *sn;
    int rc;
    struct buf errmsg;
};

static void *load_population_thread(void *arg)
{
    struct pop_loader *pl = arg;
    pl->rc = load_population(pl->peer, pl->batch, pl->sn);
    if (pl->rc < 0)
        buf_adds(&pl->errmsg, store_errmsg(pl->peer));
    return NULL;
}

int match_load_snapshot(struct store *s, const struct match_result *res, struct snapshot *sn,
                        struct decisions *dec, struct buf *err)
{
    size_t *school_off = NULL;
    /* The register and the school lists are read at the same time, on two connections. */
    struct pop_loader pl = {.batch = res->population_batch, .sn = sn};
    struct buf perr = BUF_INIT;
    pthread_t th;
    bool threaded = store_open_peer(s, &pl.peer, &perr) == 0 &&
                    pthread_create(&th, NULL, load_population_thread, &pl) == 0;
    if (!threaded) {
        store_close(pl.peer);
        pl.peer = NULL;
        pl.rc = load_population(s, pl.batch, sn);
        if (pl.rc < 0)
            buf_adds(&pl.errmsg, store_errmsg(s));
    }
    int rc = load_school_records(s, res->enrollment_batch, KIND_ENROLLMENT, sn, &school_off);
    if (rc == 0)
        rc = load_school_records(s, res->outside_batch, KIND_OUTSIDE, sn, &school_off);
    if (rc == 0)
        rc = load_decisions(s, dec);
    if (rc < 0)
        buf_adds(err, store_errmsg(s));
    if (threaded)
        pthread_join(th, NULL);
    store_close(pl.peer);
    if (rc == 0 && pl.rc < 0) {
        buf_adds(err, pl.errmsg.buf);
        rc = -1;
    }
    buf_release(&pl.errmsg);
    buf_release(&perr);
    if (rc == 0) {
        /* The arenas are complete: turn offsets into pointers. */
        for (size_t i = 0; i < sn->npop; i++)
            sn->pop[i].name = sn->pop_names.b.buf + sn->pop_name_off[i];
        for (size_t i = 0; i < sn->noth; i++) {
            sn->oth[i].name = sn->names.b.buf + sn->oth_name_off[i];
            sn->recs[i].school = intern_str(&sn->schools, (uint32_t)school_off[i]);
            sn->recs[i].school_ix = (uint32_t)school_off[i];
        }
    }
    free(school_off);
    return rc;
}
