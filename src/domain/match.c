/*
 * The cross-check. The latest snapshot of each kind is read into compact arrays, linked in
 * memory (link/linker), every child's status decided here, and the run written back in one
 * transaction. Earlier runs are never touched.
 */
#include "domain/match.h"

#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <time.h>

#include "core/date.h"
#include "core/idcard.h"
#include "store/audit.h"
#include "domain/runstatus.h"
#include "domain/settings.h"
#include "ingest/field.h"
#include "ingest/import.h"
#include "link/keys.h"
#include "link/linker.h"
#include "store/store.h"
#include "store/writer.h"
#include "util/clock.h"
#include "util/common.h"
#include "util/intern.h"
#include "util/progress.h"
#include "util/utf8.h"

struct person {
    int64_t id;
    uint64_t key; /* packed ID, 0 when none */
    int birth;    /* ymd, 0 unknown */
    int id_flags;
    enum reg_status reg;
    bool pending_review; /* a candidate record of this child waits for a clerk */
    uint32_t place;      /* index into snapshot.places: township code, tab, name */
};

struct school_rec {
    int64_t id;
    enum import_kind kind;
    enum enroll_status st;
    enum lk_method method; /* how it was linked to its child */
    int grade;
    const char *school; /* school name (学籍) or school + region (外出); interned */
};

/* Strings loaded from the store, kept in one arena (offsets until loading ends). */
struct arena {
    struct buf b;
};

static size_t arena_add(struct arena *a, const char *s)
{
    size_t off = a->b.len;
    buf_adds(&a->b, s);
    buf_addch(&a->b, '\0');
    return off;
}

/* BAOXUE_TIMING=1: print how long each phase of a run took, on stderr (benchmarks). */
static void phase_mark(const char *done)
{
    static double last;
    static int on = -1;
    if (on < 0)
        on = getenv("BAOXUE_TIMING") && *getenv("BAOXUE_TIMING") == '1';
    if (!on)
        return;
    double now = mono_seconds();
    if (done)
        fprintf(stderr, "  [计时] %s %.2f 秒\n", done, now - last);
    last = now;
}

/* The kind's current snapshot: the live batch that became current last (a department's
 * upload is nobody's snapshot while pending, and becomes the current one when accepted). */
static int latest_batch(struct store *s, enum import_kind k, int64_t *out)
{
    long rows;
    return import_current(s, k, 0, out, &rows);
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

/* The linker's view of the people and records, and what the decisions need besides. */
struct snapshot {
    struct person *people;
    struct lk_rec *pop;
    size_t npop;
    struct school_rec *recs;
    struct lk_rec *oth;
    size_t noth, oth_alloc;
    struct arena pop_names; /* name keys of the register (loaded in a thread of its own) */
    struct arena names;     /* name keys of the school records */
    struct intern schools;  /* school names: they repeat for every pupil */
    struct intern places;   /* the register's townships (keys_place) */
    size_t *pop_name_off, *oth_name_off;
};

static void snapshot_release(struct snapshot *sn)
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

/* The rank of a 学籍 state when a child has several records: the active one decides. */
static int enroll_rank(enum enroll_status st)
{
    switch (st) {
    case ENR_ACTIVE:
        return 6;
    case ENR_SUSPENDED:
        return 5;
    case ENR_DROPPED_OUT:
        return 4;
    case ENR_GRADUATED:
        return 3;
    case ENR_TRANSFERRED:
        return 2;
    case ENR_DECEASED:
        return 1;
    default:
        return 0;
    }
}

int calendar_load(struct store *s, struct school_calendar *cal)
{
    static const struct setting_field fields[] = {
        {"cutoff_mmdd", offsetof(struct school_calendar, cutoff_mmdd), SETTING_INT},
        {"year_start_mmdd", offsetof(struct school_calendar, year_start_mmdd), SETTING_INT},
        {"min_age", offsetof(struct school_calendar, min_age), SETTING_INT},
        {"max_age", offsetof(struct school_calendar, max_age), SETTING_INT},
    };
    struct school_calendar def = SCHOOL_CALENDAR_DEFAULT;
    *cal = def;
    return settings_load(s, fields, ARRAY_SIZE(fields), cal);
}

struct decision {
    enum child_status st;
    int age, grade;
    int64_t school_record;
    int method;            /* how school_record was linked */
    struct status_facts f; /* what the explanation is written from */
};

/* Decide one child's status from their registration, age and linked records. */
static void decide(const struct match_options *opt, int cutoff, const struct person *p,
                   const struct school_rec *const *recs, size_t nrecs, struct decision *d)
{
    const struct school_calendar *cal = &opt->cal;
    d->school_record = 0;
    d->method = LKM_NONE;
    /* A child born after the cutoff is 0, not "unknown"; -1 means no birth date at all. */
    d->age = -1;
    if (p->birth) {
        int a = age_on(p->birth, cutoff);
        d->age = a < 0 ? 0 : a;
    }
    d->grade = d->age >= 0 ? expected_grade(cal, d->age) : 0;

    const struct school_rec *best = NULL, *elsewhere = NULL, *used = NULL;
    for (size_t i = 0; i < nrecs; i++) {
        const struct school_rec *r = recs[i];
        if (r->kind == KIND_OUTSIDE) {
            if (!elsewhere)
                elsewhere = r;
        } else if (!best || enroll_rank(r->st) > enroll_rank(best->st)) {
            best = r;
        }
    }

    if (p->reg != REG_NORMAL) {
        d->st = ST_INACTIVE;
    } else if (d->age >= 0 && d->age < cal->min_age) {
        d->st = ST_NOT_YET;
        if (best && best->st == ENR_ACTIVE)
            used = best; /* already at school, early */
    } else if (best && best->st == ENR_ACTIVE) {
        d->st = ST_ENROLLED;
        used = best;
    } else if (elsewhere) {
        d->st = ST_ENROLLED_ELSEWHERE;
        used = elsewhere;
    } else if (d->age > cal->max_age) {
        d->st = ST_BEYOND;
    } else if (best && best->st == ENR_GRADUATED) {
        d->st = ST_COMPLETED;
        used = best;
    } else if (best && best->st == ENR_SUSPENDED) {
        d->st = ST_SUSPENDED;
        used = best;
    } else if (best && best->st == ENR_DROPPED_OUT) {
        d->st = ST_DROPPED_OUT;
        used = best;
    } else if (p->pending_review) {
        /* A clerk decides first: the review queue is the list of these children; the
         * out-of-school list says how many wait there. */
        d->st = ST_PENDING_REVIEW;
    } else {
        d->st = ST_NOT_ENROLLED;
    }
    if (used) {
        d->school_record = used->id;
        d->method = used->method;
    }
    /* a transferred-out or "deceased" 学籍 record explains a not-enrolled child */
    const struct school_rec *told = used ? used : (d->st == ST_NOT_ENROLLED ? best : NULL);
    d->f = (struct status_facts){
        .st = d->st,
        .age = d->age,
        .grade = d->grade,
        .cutoff = cutoff,
        .reg = p->reg,
        .school = told ? told->school : "",
        .school_grade = told ? told->grade : 0,
        .school_state = told ? (int)told->st : ENR_UNKNOWN,
        .method = d->method,
        .has_id = p->key != 0,
        .bad_check = (p->id_flags & ID_BAD_CHECK) != 0,
    };
}

/* Thresholds of the linkage bands, from settings (link_accept, link_review, link_margin). */
int link_params_load(struct store *s, struct lk_params *lp)
{
    static const struct setting_field fields[] = {
        {"link_accept", offsetof(struct lk_params, accept), SETTING_DOUBLE},
        {"link_review", offsetof(struct lk_params, review), SETTING_DOUBLE},
        {"link_margin", offsetof(struct lk_params, margin), SETTING_DOUBLE},
    };
    struct lk_params def = LK_PARAMS_DEFAULT;
    *lp = def;
    return settings_load(s, fields, ARRAY_SIZE(fields), lp);
}

/*
 * A key for a pair that survives new snapshots: the child by ID (or name and birth date when
 * the register has no valid ID), the record by the ID as typed (or its absence), name, birth
 * date and list kind. A clerk's decision is stored under it and re-applied by later runs.
 */
void match_pair_key(const struct lk_rec *p, const struct lk_rec *o, struct buf *out)
{
    char id[19];
    buf_reset(out);
    if (p->key && p->id_state == LK_ID_VALID) {
        id_unpack(p->key, id);
        buf_addf(out, "P:%s", id);
    } else {
        buf_addf(out, "P:%s/%d", p->name, p->birth);
    }
    if (o->key) {
        id_unpack(o->key, id);
        buf_addf(out, "#R:%s/%s/%d/%d", id, o->name, o->birth, o->kind);
    } else {
        buf_addf(out, "#R:-/%s/%d/%d", o->name, o->birth, o->kind);
    }
}

struct decisions {
    const struct snapshot *sn;
    char **keys; /* sorted pair keys */
    int *verdict;
    size_t n;
};

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

/* Called from the linker's scoring threads: nothing shared is written. */
static int decided_cb(void *ctx, uint32_t pop, uint32_t other)
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

static void decisions_release(struct decisions *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->keys[i]);
    free(d->keys);
    free(d->verdict);
}

/* The levels and weights of a pair as JSON, for the candidate table and explanations
 * (written for every scored pair: formatted directly rather than built as a tree). */
static void pair_levels_json(const struct lk_pair *pr, struct buf *out)
{
    static const char *const names[LK__FIELDS] = {"id", "name", "birth", "sex"};
    buf_reset(out);
    buf_addch(out, '{');
    for (int f = 0; f < LK__FIELDS; f++)
        buf_addf(out, "\"%s\":{\"level\":\"%s\",\"weight\":%.1f},", names[f],
                 lk_level_key((enum lk_field)f, pr->level[f]), pr->weight[f]);
    buf_addf(out, "\"total\":%.1f", pr->total);
    if (isfinite(pr->second))
        buf_addf(out, ",\"second\":%.1f", pr->second);
    buf_addf(out,
             ",\"outsider\":%.1f,\"id_state\":\"%s\",\"same_day\":%s,\"holds\":%s,"
             "\"reason\":\"%s\"}",
             pr->outsider, lk_id_state_key((enum lk_id_state)pr->id_state),
             pr->same_day ? "true" : "false", pr->holds ? "true" : "false",
             lk_reason_key((enum lk_reason)pr->reason));
}

static json_t *model_json(const struct lk_model *m, const struct lk_params *lp)
{
    json_t *o = json_object();
    for (int f = 0; f < LK__FIELDS; f++) {
        json_t *fo = json_object();
        /* the ID: per state of the record's ID */
        for (int st = LK_ID_VALID; f == LK_ID && st < LK_ID_STATES; st++) {
            json_t *so = json_object();
            for (int l = 0; l < LKI__LEVELS; l++) {
                if (l == LKI_MISSING)
                    continue;
                json_t *lo = json_object();
                json_object_set_new(lo, "m", json_real(m->id_m[st][l]));
                json_object_set_new(lo, "u", json_real(m->id_u[st][l]));
                json_object_set_new(lo, "w", json_real(round(m->id_w[st][l] * 100) / 100));
                json_object_set_new(lo, "u_same", json_real(m->id_u_same[st][l]));
                json_object_set_new(lo, "w_same",
                                    json_real(round(m->id_w_same[st][l] * 100) / 100));
                json_object_set_new(so, lk_level_key(f, l), lo);
            }
            json_object_set_new(fo, lk_id_state_key((enum lk_id_state)st), so);
        }
        for (int l = 0; f != LK_ID && l < lk_levels(f); l++) {
            json_t *lo = json_object();
            json_object_set_new(lo, "m", json_real(m->m[f][l]));
            json_object_set_new(lo, "u", json_real(m->u[f][l]));
            json_object_set_new(lo, "w", json_real(round(m->w[f][l] * 100) / 100));
            if (f != LK_BIRTH) {
                json_object_set_new(lo, "u_same", json_real(m->u_same[f][l]));
                json_object_set_new(lo, "w_same", json_real(round(m->w_same[f][l] * 100) / 100));
            }
            json_object_set_new(fo, lk_level_key(f, l), lo);
        }
        json_object_set_new(o,
                            f == LK_ID      ? "id"
                            : f == LK_NAME  ? "name"
                            : f == LK_BIRTH ? "birth"
                                            : "sex",
                            fo);
    }
    json_object_set_new(o, "m_pairs", json_integer(m->m_pairs));
    json_object_set_new(o, "u_pairs", json_integer(m->u_pairs));
    json_object_set_new(o, "same_pairs", json_integer(m->same_pairs));
    json_object_set_new(o, "outside_share", json_real(m->outside_share));
    json_object_set_new(o, "outsider", json_real(m->outsider));
    json_object_set_new(o, "accept", json_real(lp->accept));
    json_object_set_new(o, "review", json_real(lp->review));
    json_object_set_new(o, "margin", json_real(lp->margin));
    return o;
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

int match_run(struct store *s, const struct match_options *opt, struct match_result *res,
              struct outcome *o)
{
    struct buf err_text = BUF_INIT, *err = &err_text;
    enum outcome_kind kind = OUT_ERROR;
    struct snapshot sn = {0};
    size_t *school_off = NULL;
    struct lk_result lr = {0};
    struct decisions dec = {0};
    struct stmt *ins_link = NULL, *ins_status = NULL, *ins_cand = NULL, *ins_count = NULL;
    struct store_writer *wq = NULL;
    struct decision d = {0};
    struct buf detail;
    struct run_status_writer rsw = {0};
    long *place_counts = NULL;
    const struct school_rec **hits = NULL;
    uint32_t *start = NULL, *member = NULL;
    size_t hits_alloc = 0;
    struct lk_params lp;
    struct buf key = BUF_INIT, levels = BUF_INIT;
    bool in_tx = false, bulk = false, fk_off = false;
    int ret = -1;

    memset(res, 0, sizeof(*res));
    buf_init(&detail, 0);
    buf_init(&sn.pop_names.b, 0);
    buf_init(&sn.names.b, 0);
    intern_init(&sn.schools);
    intern_init(&sn.places);

    if (latest_batch(s, KIND_POPULATION, &res->population_batch) < 0 ||
        latest_batch(s, KIND_ENROLLMENT, &res->enrollment_batch) < 0 ||
        latest_batch(s, KIND_OUTSIDE, &res->outside_batch) < 0 || link_params_load(s, &lp) < 0) {
        buf_adds(err, store_errmsg(s));
        goto out;
    }
    if (!res->population_batch || !res->enrollment_batch) {
        buf_addf(err, "比对需要先导入%s",
                 !res->population_batch ? "户籍数据（公安户籍适龄儿童名单）"
                                        : "学籍数据（学籍系统导出）");
        kind = OUT_INVALID;
        goto out;
    }
    res->school_year = school_year_of(&opt->cal, opt->as_of);
    res->cutoff = school_cutoff(&opt->cal, res->school_year);

    phase_mark(NULL);
    progress_report(opt->report, true, 0, "读取户籍和学籍名单");
    /* The register and the school lists are read at the same time, on two connections. */
    {
        struct pop_loader pl = {.batch = res->population_batch, .sn = &sn};
        struct buf perr = BUF_INIT;
        pthread_t th;
        bool threaded = store_open_peer(s, &pl.peer, &perr) == 0 &&
                        pthread_create(&th, NULL, load_population_thread, &pl) == 0;
        if (!threaded) {
            store_close(pl.peer);
            pl.peer = NULL;
            pl.rc = load_population(s, pl.batch, &sn);
            if (pl.rc < 0)
                buf_adds(&pl.errmsg, store_errmsg(s));
        }
        int rc = load_school_records(s, res->enrollment_batch, KIND_ENROLLMENT, &sn, &school_off);
        if (rc == 0)
            rc = load_school_records(s, res->outside_batch, KIND_OUTSIDE, &sn, &school_off);
        if (rc == 0)
            rc = load_decisions(s, &dec);
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
        if (rc < 0)
            goto out;
    }
    /* The arenas are complete: turn offsets into pointers. */
    for (size_t i = 0; i < sn.npop; i++)
        sn.pop[i].name = sn.pop_names.b.buf + sn.pop_name_off[i];
    for (size_t i = 0; i < sn.noth; i++) {
        sn.oth[i].name = sn.names.b.buf + sn.oth_name_off[i];
        sn.recs[i].school = intern_str(&sn.schools, (uint32_t)school_off[i]);
    }
    res->population = (long)sn.npop;

    dec.sn = &sn;
    phase_mark("读取");
    progress_report(opt->report, true, 0.2, "关联记录（%zu 名儿童，%zu 条学籍和外出就读记录）",
                    sn.npop, sn.noth);
    linker_run(sn.pop, sn.npop, sn.oth, sn.noth, &lp, decided_cb, &dec, &lr);
    phase_mark("关联");
    for (size_t i = 0; i < sn.noth; i++)
        sn.recs[i].method = (enum lk_method)lr.method[i];
    /*
     * A child waits for a clerk only when the linker says a record in review holds them: the
     * record is at least as likely theirs as anyone's (its best pair, or tied with it). Two
     * children nobody can tell apart both wait, but a runner-up (a twin whose name only sounds
     * like the name on the record) stays on the out-of-school list, and so does the child whose
     * ID a twin's record carries under the twin's name — a record that probably belongs to
     * someone else must not hide a child.
     */
    for (size_t k = 0; k < lr.npairs; k++) {
        const struct lk_pair *pr = &lr.pairs[k];
        /* a record that would leave the child out of school even when accepted (辍学, 转出)
         * keeps nobody off the list */
        const struct school_rec *r = &sn.recs[pr->other];
        bool in_school = r->kind == KIND_OUTSIDE || r->st == ENR_ACTIVE || r->st == ENR_SUSPENDED ||
                         r->st == ENR_GRADUATED;
        if (pr->holds && in_school && lr.match[pr->other] < 0)
            sn.people[pr->pop].pending_review = true;
    }

    /* Each child's records, as a CSR array over the linker's matches. */
    start = xcalloc(sn.npop + 1, sizeof(uint32_t));
    for (size_t i = 0; i < sn.noth; i++)
        if (lr.match[i] >= 0)
            start[lr.match[i] + 1]++;
    for (size_t i = 0; i < sn.npop; i++)
        start[i + 1] += start[i];
    member = xmalloc(((size_t)start[sn.npop] + 1) * sizeof(uint32_t));
    {
        uint32_t *fill = xmalloc((sn.npop + 1) * sizeof(uint32_t));
        memcpy(fill, start, (sn.npop + 1) * sizeof(uint32_t));
        for (size_t i = 0; i < sn.noth; i++)
            if (lr.match[i] >= 0)
                member[fill[lr.match[i]]++] = (uint32_t)i;
        free(fill);
    }

    /*
     * A run writes a row per child: millions at province scale, so a bulk transaction, and
     * without per-row foreign-key lookups into the record table (every id written was just
     * read from it, and records are never deleted).
     */
    if (store_foreign_keys(s, false) < 0) {
        buf_adds(err, store_errmsg(s));
        goto out;
    }
    fk_off = true;
    progress_report(opt->report, true, 0.5, "写入比对结果");
    if (store_begin_bulk(s) < 0) {
        buf_adds(err, store_errmsg(s));
        goto out;
    }
    in_tx = bulk = true;
    {
        char now[32], asof[11], cutoff[11], sy[8];
        date_now_text(now, sizeof(now));
        date_format(opt->as_of, asof);
        date_format(res->cutoff, cutoff);
        snprintf(sy, sizeof(sy), "%d", res->school_year);
        struct stmt *r = store_prepare(
            s, "INSERT INTO match_run (started_at, as_of, school_year, cutoff, population_batch,"
               " enrollment_batch, outside_batch) VALUES ($1, $2, $3, $4, $5, $6, $7)"
               " RETURNING id");
        if (!r)
            goto db_error;
        stmt_bind_str(r, 1, now);
        stmt_bind_str(r, 2, asof);
        stmt_bind_str(r, 3, sy);
        stmt_bind_str(r, 4, cutoff);
        stmt_bind_int(r, 5, res->population_batch);
        stmt_bind_int(r, 6, res->enrollment_batch);
        if (res->outside_batch)
            stmt_bind_int(r, 7, res->outside_batch);
        else
            stmt_bind_null(r, 7);
        if (stmt_step(r) != 1) {
            stmt_finalize(r);
            goto db_error;
        }
        res->run_id = stmt_int(r, 0);
        stmt_finalize(r);
    }
    ins_link = store_prepare(s, "INSERT INTO link (run_id, population_record, other_record,"
                                " method, score, explanation) VALUES ($1, $2, $3, $4, $5, $6)");
    ins_status = store_prepare(s, "INSERT INTO child_status (run_id, record_id, status, age,"
                                  " expected_grade, school_record, detail)"
                                  " VALUES ($1, $2, $3, $4, $5, $6, $7)");
    ins_cand = store_prepare(s, "INSERT INTO candidate (run_id, population_record, other_record,"
                                " pair_key, score, levels, decision, reason)"
                                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
    ins_count = store_prepare(s, "INSERT INTO run_count (run_id, township_code, township, status,"
                                 " n) VALUES ($1, $2, $3, $4, $5)");
    if (!ins_link || !ins_status || !ins_cand || !ins_count)
        goto db_error;
    if (run_status_writer_begin(&rsw, s, NULL, res->run_id) < 0)
        goto db_error;
    /*
     * The rows go through the store's writer thread (store/writer.h): SQLite steps them on one
     * core while this one writes the explanations and decides the next children. Until
     * store_writer_finish the store belongs to that thread.
     */
    wq = store_writer_start(s);
    rsw.queue = wq;

    /* Links beyond an exact ID are stored with their explanation; exact-ID links are implied
     * by the records' IDs (baoxue explain shows them) and would only repeat millions of rows. */
    phase_mark("准备");
    for (size_t k = 0; k < lr.npairs; k++) {
        const struct lk_pair *pr = &lr.pairs[k];
        pair_levels_json(pr, &levels);
        match_pair_key(&sn.pop[pr->pop], &sn.oth[pr->other], &key);
        writer_bind_int(wq, 1, res->run_id);
        writer_bind_int(wq, 2, sn.pop[pr->pop].rec_id);
        writer_bind_int(wq, 3, sn.oth[pr->other].rec_id);
        writer_bind_str(wq, 4, key.buf);
        writer_bind_double(wq, 5, pr->total);
        writer_bind_str(wq, 6, levels.buf);
        writer_bind_str(wq, 7, lk_decision_key((enum lk_decision)pr->decision));
        buf_reset(&detail);
        lk_reason_text(pr, &lp, &detail);
        writer_bind_str(wq, 8, detail.buf);
        int rc = writer_step(wq, ins_cand, (long)k);
        if (rc >= 0 && pr->decision == LKD_ACCEPT && lr.match[pr->other] == (int32_t)pr->pop &&
            lr.method[pr->other] != LKM_ID_EXACT) {
            buf_reset(&detail);
            buf_addf(&detail, "%s：", lk_method_label((enum lk_method)lr.method[pr->other]));
            lk_reason_text(pr, &lp, &detail);
            writer_bind_int(wq, 1, res->run_id);
            writer_bind_int(wq, 2, sn.pop[pr->pop].rec_id);
            writer_bind_int(wq, 3, sn.oth[pr->other].rec_id);
            writer_bind_str(wq, 4, lk_method_key((enum lk_method)lr.method[pr->other]));
            writer_bind_double(wq, 5, pr->total);
            writer_bind_str(wq, 6, detail.buf);
            rc = writer_step(wq, ins_link, (long)k);
        }
        if (rc < 0)
            goto writer_error;
    }
    for (int m = 0; m < 5; m++)
        res->links += lr.counts[m];
    res->review = lr.review;

    phase_mark("写候选");
    /* Every child in the compact run_status; a row with the explanation for those someone has
     * to act on; and the counts by township and status (the summary reads those). */
    place_counts = xcalloc(sn.places.n * ST__COUNT + 1, sizeof(*place_counts));
    for (size_t i = 0; i < sn.npop; i++) {
        const struct person *p = &sn.people[i];
        size_t n = start[i + 1] - start[i];
        ALLOC_GROW(hits, n, hits_alloc);
        for (size_t k = 0; k < n; k++)
            hits[k] = &sn.recs[member[start[i] + k]];
        decide(opt, res->cutoff, p, hits, n, &d);
        if ((i & 4095) == 0 && progress_due(opt->report, false))
            progress_report(opt->report, false, 0.5 + 0.45 * (double)i / (double)sn.npop,
                            "判定并写入第 %zu 名儿童（共 %zu 名）", i + 1, sn.npop);
        res->counts[d.st]++;
        if (p->place < sn.places.n)
            place_counts[p->place * ST__COUNT + d.st]++;
        struct run_status_entry e = {p->id, d.school_record, d.st, d.age, d.grade, d.method};
        if (run_status_writer_add(&rsw, &e) < 0)
            goto writer_error;
        if (!status_has_row(d.st))
            continue;
        buf_reset(&detail);
        status_describe(&d.f, &detail);
        writer_bind_int(wq, 1, res->run_id);
        writer_bind_int(wq, 2, p->id);
        writer_bind_str(wq, 3, status_key(d.st));
        if (d.age >= 0) {
            writer_bind_int(wq, 4, d.age);
            writer_bind_int(wq, 5, d.grade);
        } else {
            writer_bind_null(wq, 4);
            writer_bind_null(wq, 5);
        }
        if (d.school_record)
            writer_bind_int(wq, 6, d.school_record);
        else
            writer_bind_null(wq, 6);
        writer_bind_str(wq, 7, detail.buf);
        if (writer_step(wq, ins_status, (long)i) < 0)
            goto writer_error;
    }
    if (run_status_writer_end(&rsw) < 0)
        goto writer_error;
    for (size_t pl = 0; pl < sn.places.n; pl++) {
        const char *place = intern_str(&sn.places, (uint32_t)pl);
        const char *tab = strchr(place, '\t');
        for (int st = 0; st < ST__COUNT; st++) {
            long n = place_counts[pl * ST__COUNT + (size_t)st];
            if (!n)
                continue;
            writer_bind_int(wq, 1, res->run_id);
            writer_bind_text(wq, 2, place, tab ? (size_t)(tab - place) : strlen(place));
            writer_bind_text(wq, 3, tab ? tab + 1 : "", tab ? strlen(tab + 1) : 0);
            writer_bind_str(wq, 4, status_key((enum child_status)st));
            writer_bind_int(wq, 5, n);
            if (writer_step(wq, ins_count, (long)pl) < 0)
                goto writer_error;
        }
    }
    {
        long failed_tag;
        int rc = store_writer_finish(wq, &failed_tag);
        wq = NULL;
        if (rc < 0)
            goto db_error;
    }

    {
        json_t *counts = json_object();
        for (int st = 0; st < ST__COUNT; st++)
            json_object_set_new(counts, status_key((enum child_status)st),
                                json_integer(res->counts[st]));
        json_object_set_new(counts, "population", json_integer((json_int_t)sn.npop));
        json_t *links = json_object();
        for (int m = LKM_ID_EXACT; m <= LKM_REVIEWED; m++)
            json_object_set_new(links, lk_method_key((enum lk_method)m),
                                json_integer(lr.counts[m]));
        json_object_set_new(counts, "links", links);
        json_object_set_new(counts, "review", json_integer(lr.review));
        json_object_set_new(counts, "model", model_json(&lr.model, &lp));
        char *ct = json_dumps(counts, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(counts);
        char now[32], id[24];
        date_now_text(now, sizeof(now));
        snprintf(id, sizeof(id), "%lld", (long long)res->run_id);
        const char *p[] = {now, ct, id};
        int r1 =
            store_run(s, "UPDATE match_run SET finished_at = $1, counts = $2 WHERE id = $3", 3, p);
        buf_reset(&detail);
        buf_addf(&detail, "run=%s population=%zu review=%ld", id, sn.npop, lr.review);
        int r2 = r1 < 0 ? -1 : audit_record(s, opt->actor, NULL, "match", NULL, detail.buf);
        free(ct);
        if (r2 < 0)
            goto db_error;
    }
    for (int m = 0; m < 5; m++)
        res->by_method[m] = lr.counts[m];
    stmt_finalize(ins_link);
    stmt_finalize(ins_status);
    stmt_finalize(ins_cand);
    ins_link = ins_status = ins_cand = NULL;
    phase_mark("判定写入");
    progress_report(opt->report, true, 0.95, "提交比对结果");
    if (store_commit(s) < 0)
        goto db_error;
    phase_mark("提交");
    in_tx = false;
    ret = 0;
    goto out;
writer_error:
    if (wq) {
        long failed_tag;
        store_writer_finish(wq, &failed_tag); /* its error is the one reported */
        wq = NULL;
    }
db_error:
    buf_addf(err, "保存比对结果失败：%s", store_errmsg(s));
out:
    if (wq) {
        long failed_tag;
        store_writer_finish(wq, &failed_tag);
    }
    stmt_finalize(ins_link);
    stmt_finalize(ins_status);
    stmt_finalize(ins_cand);
    if (in_tx)
        store_rollback(s);
    if (bulk)
        store_end_bulk(s);
    if (fk_off)
        store_foreign_keys(s, true);
    snapshot_release(&sn);
    free(school_off);
    lk_result_release(&lr);
    decisions_release(&dec);
    free(hits);
    free(start);
    free(member);
    buf_release(&detail);
    run_status_writer_release(&rsw);
    stmt_finalize(ins_count);
    free(place_counts);
    buf_release(&key);
    buf_release(&levels);
    if (ret < 0)
        failed(o, kind, "%s", err->len ? err->buf : "比对失败");
    buf_release(err);
    return ret;
}
