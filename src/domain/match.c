/*
 * The cross-check. The latest snapshot of each kind is read into compact arrays
 * (match_load.c), linked in memory (link/linker), every child's status decided here, and the
 * run written back in one transaction (match_store.c). Earlier runs are never touched.
 */
#include "domain/match_impl.h"

#include "core/date.h"
#include "core/idcard.h"
#include "core/schoolyear.h"
#include "domain/groups.h"
#include "domain/settings.h"
#include "store/store.h"
#include "store/writer.h"
#include "util/clock.h"
#include "util/common.h"
#include "util/progress.h"

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

/* The run's inputs: the current snapshot of each kind, the linkage thresholds, the school
 * year. -1 when the register or the school list was never imported. */
static int run_inputs(struct run_state *st)
{
    struct store *s = st->s;
    struct match_result *res = st->res;
    if (latest_batch(s, KIND_POPULATION, &res->population_batch) < 0 ||
        latest_batch(s, KIND_ENROLLMENT, &res->enrollment_batch) < 0 ||
        latest_batch(s, KIND_OUTSIDE, &res->outside_batch) < 0 ||
        link_params_load(s, &st->lp) < 0) {
        buf_adds(st->err, store_errmsg(s));
        return -1;
    }
    if (!res->population_batch || !res->enrollment_batch) {
        buf_addf(st->err, "比对需要先导入%s",
                 !res->population_batch ? "户籍数据（公安户籍适龄儿童名单）"
                                        : "学籍数据（学籍系统导出）");
        st->kind = OUT_INVALID;
        return -1;
    }
    res->school_year = school_year_of(&st->opt->cal, st->opt->as_of);
    res->cutoff = school_cutoff(&st->opt->cal, res->school_year);
    /* which lists are new since the previous run (none: the same lists read again) */
    struct stmt *q =
        store_prepare(s, "SELECT id, population_batch, coalesce(enrollment_batch, 0),"
                         " coalesce(outside_batch, 0) FROM match_run WHERE finished_at IS NOT NULL"
                         " ORDER BY id DESC LIMIT 1");
    int rc = q ? stmt_step(q) : -1;
    if (rc == 1) {
        res->previous_run = stmt_int(q, 0);
        res->lists_new = (stmt_int(q, 1) != res->population_batch ? 1u << KIND_POPULATION : 0) |
                         (stmt_int(q, 2) != res->enrollment_batch ? 1u << KIND_ENROLLMENT : 0) |
                         (stmt_int(q, 3) != res->outside_batch ? 1u << KIND_OUTSIDE : 0);
    }
    stmt_finalize(q);
    if (rc < 0) {
        buf_adds(st->err, store_errmsg(s));
        return -1;
    }
    struct buf county = BUF_INIT;
    if (store_get_setting(s, "county", &county) == 1 && county.len == 6)
        memcpy(st->county, county.buf, 7);
    buf_release(&county);
    return 0;
}

/* The linker over the snapshot; then who waits for a clerk, and each child's records. */
static void link_records(struct run_state *st)
{
    struct snapshot *sn = &st->sn;
    struct lk_result *lr = &st->lr;
    linker_run(sn->pop, sn->npop, sn->oth, sn->noth, &st->lp, match_decided, &st->dec, lr);
    phase_mark("关联");
    for (size_t i = 0; i < sn->noth; i++)
        sn->recs[i].method = (enum lk_method)lr->method[i];
    /*
     * A child waits for a clerk only when the linker says a record in review holds them: the
     * record is at least as likely theirs as anyone's (its best pair, or tied with it). Two
     * children nobody can tell apart both wait, but a runner-up (a twin whose name only sounds
     * like the name on the record) stays on the out-of-school list, and so does the child whose
     * ID a twin's record carries under the twin's name — a record that probably belongs to
     * someone else must not hide a child.
     */
    for (size_t k = 0; k < lr->npairs; k++) {
        const struct lk_pair *pr = &lr->pairs[k];
        /* a record that would leave the child out of school even when accepted (辍学, 转出)
         * keeps nobody off the list */
        const struct school_rec *r = &sn->recs[pr->other];
        bool in_school = r->kind == KIND_OUTSIDE || r->st == ENR_ACTIVE || r->st == ENR_SUSPENDED ||
                         r->st == ENR_GRADUATED;
        if (pr->holds && in_school && lr->match[pr->other] < 0)
            sn->people[pr->pop].pending_review = true;
    }

    /* Each child's records, as a CSR array over the linker's matches. */
    st->start = xcalloc(sn->npop + 1, sizeof(uint32_t));
    for (size_t i = 0; i < sn->noth; i++)
        if (lr->match[i] >= 0)
            st->start[lr->match[i] + 1]++;
    for (size_t i = 0; i < sn->npop; i++)
        st->start[i + 1] += st->start[i];
    st->member = xmalloc(((size_t)st->start[sn->npop] + 1) * sizeof(uint32_t));
    uint32_t *fill = xmalloc((sn->npop + 1) * sizeof(uint32_t));
    memcpy(fill, st->start, (sn->npop + 1) * sizeof(uint32_t));
    for (size_t i = 0; i < sn->noth; i++)
        if (lr->match[i] >= 0)
            st->member[fill[lr->match[i]]++] = (uint32_t)i;
    free(fill);
}

/* ---- pupils without 户籍 here ---- */

/* The county's code for the IDs of its children: the setting, else the commonest first six
 * digits of the register's IDs (a register imported without the setting). */
static void county_of_register(struct run_state *st)
{
    if (st->county[0])
        return;
    struct {
        char code[7];
        long n;
    } seen[16];
    size_t nseen = 0, looked = 0;
    for (size_t i = 0; i < st->sn.npop && looked < 4096; i++) {
        if (!st->sn.pop[i].key || st->sn.pop[i].id_state != LK_ID_VALID)
            continue;
        char id[19];
        id_unpack(st->sn.pop[i].key, id);
        looked++;
        size_t k = 0;
        while (k < nseen && memcmp(seen[k].code, id, 6))
            k++;
        if (k == nseen && nseen < ARRAY_SIZE(seen)) {
            memcpy(seen[k].code, id, 6);
            seen[k].code[6] = '\0';
            seen[k].n = 0;
            nseen++;
        }
        if (k < nseen)
            seen[k].n++;
    }
    for (size_t k = 0; k < nseen; k++)
        if (!st->county[0] || seen[k].n > seen[0].n) {
            memcpy(st->county, seen[k].code, 7);
            seen[0].n = seen[k].n;
        }
}

/* Where a pupil's ID comes from: this county's code (whatever its check digit), another's
 * (valid, or stored as a number: its first 15 digits hold), or no usable ID. */
static enum nonlocal_id id_origin(const struct lk_rec *l, const char *county)
{
    if (!l->key)
        return NONLOCAL_NONE;
    char id[19];
    id_unpack(l->key, id);
    if (*county && !memcmp(id, county, 6))
        return NONLOCAL_LOCAL;
    return l->id_state == LK_ID_VALID || l->id_state == LK_ID_TRUNCATED ? NONLOCAL_OTHER
                                                                        : NONLOCAL_NONE;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* How many of a school's pupils on the register tell where it is: a sample in list order, so
 * that a province's millions of pupils are not sorted for it. */
#define SCHOOL_PLACE_SAMPLE 64

/* Each school's township (an index into sn->places): where most of its pupils on the register
 * (the first SCHOOL_PLACE_SAMPLE of them) live, for the schools marked in `need`; UINT32_MAX
 * when none of them is on the register. */
static uint32_t *school_places(const struct run_state *st, const bool *need)
{
    const struct snapshot *sn = &st->sn;
    uint32_t *place = xmalloc((sn->schools.n + 1) * sizeof(*place));
    uint8_t *taken = xcalloc(sn->schools.n + 1, 1);
    for (size_t k = 0; k <= sn->schools.n; k++)
        place[k] = UINT32_MAX;
    uint64_t *pairs = NULL;
    size_t n = 0, alloc = 0;
    for (size_t i = 0; i < sn->noth; i++) {
        int32_t m = st->lr.match[i];
        uint32_t sc = sn->recs[i].school_ix;
        if (m < 0 || sn->recs[i].kind != KIND_ENROLLMENT || !need[sc] ||
            taken[sc] == SCHOOL_PLACE_SAMPLE)
            continue;
        taken[sc]++;
        ALLOC_GROW(pairs, n + 1, alloc);
        pairs[n++] = (uint64_t)sn->recs[i].school_ix << 32 | sn->people[m].place;
    }
    if (n)
        qsort(pairs, n, sizeof(*pairs), cmp_u64);
    size_t best = 0;
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i; j < n && pairs[j] == pairs[i]; j++)
            ;
        uint32_t school = (uint32_t)(pairs[i] >> 32);
        if (i == 0 || (uint32_t)(pairs[i - 1] >> 32) != school)
            best = 0;
        if (j - i > best && (uint32_t)pairs[i] < sn->places.n) {
            best = j - i;
            place[school] = (uint32_t)pairs[i];
        }
    }
    free(pairs);
    free(taken);
    return place;
}

/*
 * The county's pupils who are in no register here: every active 学籍 record the linker left
 * unlinked and no clerk is asked about. Each gets a child_status row (enrolled_nonlocal, its
 * explanation), a nonlocal_pupil row (township, where the ID comes from) and, at the end, the
 * counts by township. Through the writer thread, after the register's children.
 */
static int write_nonlocal(struct run_state *st)
{
    const struct snapshot *sn = &st->sn;
    const struct lk_result *lr = &st->lr;
    struct store_writer *wq = st->wq;
    struct match_result *res = st->res;
    /* a record a clerk is asked about may be a register child's: not one of them (yet) */
    bool *pupil = xcalloc(sn->noth + 1, sizeof(bool));
    bool *need = xcalloc(sn->schools.n + 1, sizeof(bool));
    for (size_t k = 0; k < lr->npairs; k++)
        if (lr->pairs[k].decision == LKD_REVIEW)
            pupil[lr->pairs[k].other] = true; /* (inverted below) */
    size_t n = 0;
    for (size_t i = 0; i < sn->noth; i++) {
        const struct school_rec *r = &sn->recs[i];
        bool in_review = pupil[i];
        pupil[i] =
            !in_review && lr->match[i] < 0 && r->kind == KIND_ENROLLMENT && r->st == ENR_ACTIVE;
        if (pupil[i]) {
            need[r->school_ix] = true;
            n++;
        }
    }
    int ret = 0;
    uint32_t *place = n ? school_places(st, need) : NULL;
    if (n)
        county_of_register(st);
    for (size_t i = 0; i < sn->noth && ret == 0; i++) {
        if (!pupil[i])
            continue;
        const struct school_rec *r = &sn->recs[i];
        const struct lk_rec *l = &sn->oth[i];
        int age = l->birth ? age_on(l->birth, res->cutoff) : -1;
        if (l->birth && age < 0)
            age = 0;
        int grade = age >= 0 ? expected_grade(&st->opt->cal, age) : 0;
        enum nonlocal_id origin = id_origin(l, st->county);
        struct status_facts f = {.st = ST_ENROLLED_NONLOCAL,
                                 .age = age,
                                 .grade = grade,
                                 .cutoff = res->cutoff,
                                 .school = r->school,
                                 .school_grade = r->grade,
                                 .school_state = r->st,
                                 .has_id = l->key != 0,
                                 .id_origin = origin};
        buf_reset(&st->detail);
        status_describe(&f, &st->detail);
        writer_bind_int(wq, 1, res->run_id);
        writer_bind_int(wq, 2, r->id);
        writer_bind_str(wq, 3, status_key(ST_ENROLLED_NONLOCAL));
        if (age >= 0) {
            writer_bind_int(wq, 4, age);
            writer_bind_int(wq, 5, grade);
        } else {
            writer_bind_null(wq, 4);
            writer_bind_null(wq, 5);
        }
        writer_bind_int(wq, 6, r->id);
        writer_bind_str(wq, 7, st->detail.buf);
        writer_bind_null(wq, 8); /* the list's township is nonlocal_pupil's */
        if (writer_step(wq, st->ins_status, (long)i) < 0) {
            ret = -1;
            break;
        }
        const char *pl =
            place[r->school_ix] != UINT32_MAX ? intern_str(&sn->places, place[r->school_ix]) : "";
        const char *tab = strchr(pl, '\t');
        writer_bind_int(wq, 1, res->run_id);
        writer_bind_int(wq, 2, r->id);
        writer_bind_str(wq, 3, nonlocal_id_key(origin));
        writer_bind_text(wq, 4, pl, tab ? (size_t)(tab - pl) : strlen(pl));
        writer_bind_text(wq, 5, tab ? tab + 1 : "", tab ? strlen(tab + 1) : 0);
        ret = writer_step(wq, st->ins_nonlocal, (long)i) < 0 ? -1 : 0;
    }
    if (ret == 0 && n) {
        writer_bind_int(wq, 1, res->run_id);
        ret = writer_step(wq, st->ins_nonlocal_count, 0) < 0 ? -1 : 0;
    }
    res->counts[ST_ENROLLED_NONLOCAL] = (long)n;
    free(place);
    free(pupil);
    free(need);
    return ret;
}

/*
 * Every child in the compact run_status; a row with the explanation for those someone has to
 * act on; and the counts by township and status (the summary reads those). The writer thread
 * is finished here.
 */
static int write_statuses(struct run_state *st)
{
    const struct snapshot *sn = &st->sn;
    const struct match_options *opt = st->opt;
    struct match_result *res = st->res;
    struct store_writer *wq = st->wq;
    struct decision d = {0};
    const struct school_rec **hits = NULL;
    size_t hits_alloc = 0;
    int ret = -1;
    long *place_counts = xcalloc(sn->places.n * ST__COUNT + 1, sizeof(*place_counts));
    for (size_t i = 0; i < sn->npop; i++) {
        const struct person *p = &sn->people[i];
        size_t n = st->start[i + 1] - st->start[i];
        ALLOC_GROW(hits, n, hits_alloc);
        for (size_t k = 0; k < n; k++)
            hits[k] = &sn->recs[st->member[st->start[i] + k]];
        decide(opt, res->cutoff, p, hits, n, &d);
        if ((i & 4095) == 0 && progress_due(opt->report, false))
            progress_report(opt->report, false, 0.5 + 0.45 * (double)i / (double)sn->npop,
                            "判定并写入第 %zu 名儿童（共 %zu 名）", i + 1, sn->npop);
        res->counts[d.st]++;
        if (p->place < sn->places.n)
            place_counts[p->place * ST__COUNT + d.st]++;
        struct run_status_entry e = {p->id, d.school_record, d.st, d.age, d.grade, d.method};
        if (run_status_writer_add(&st->rsw, &e) < 0)
            goto writer_error;
        if (!status_has_row(d.st))
            continue;
        buf_reset(&st->detail);
        status_describe(&d.f, &st->detail);
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
        writer_bind_str(wq, 7, st->detail.buf);
        /* the record's township, as run_count counts the child (the place is "code\tname") */
        const char *place = p->place < sn->places.n ? intern_str(&sn->places, p->place) : "";
        size_t code_len = strcspn(place, "\t");
        if (code_len)
            writer_bind_text(wq, 8, place, code_len);
        else
            writer_bind_null(wq, 8);
        if (writer_step(wq, st->ins_status, (long)i) < 0)
            goto writer_error;
    }
    if (run_status_writer_end(&st->rsw) < 0 || write_nonlocal(st) < 0)
        goto writer_error;
    for (size_t pl = 0; pl < sn->places.n; pl++) {
        const char *place = intern_str(&sn->places, (uint32_t)pl);
        const char *tab = strchr(place, '\t');
        for (int k = 0; k < ST__COUNT; k++) {
            long n = place_counts[pl * ST__COUNT + (size_t)k];
            if (!n)
                continue;
            writer_bind_int(wq, 1, res->run_id);
            writer_bind_text(wq, 2, place, tab ? (size_t)(tab - place) : strlen(place));
            writer_bind_text(wq, 3, tab ? tab + 1 : "", tab ? strlen(tab + 1) : 0);
            writer_bind_str(wq, 4, status_key((enum child_status)k));
            writer_bind_int(wq, 5, n);
            if (writer_step(wq, st->ins_count, (long)pl) < 0)
                goto writer_error;
        }
    }
    long failed_tag;
    int rc = store_writer_finish(wq, &failed_tag);
    st->wq = NULL;
    ret = rc < 0 ? match_db_error(st) : 0;
    goto out;
writer_error:
    match_writer_error(st);
out:
    free(hits);
    free(place_counts);
    return ret;
}

int match_run(struct store *s, const struct match_options *opt, struct match_result *res,
              struct outcome *o)
{
    struct buf err_text = BUF_INIT;
    struct run_state st = {.s = s, .opt = opt, .res = res, .err = &err_text, .kind = OUT_ERROR};
    int ret = -1;

    memset(res, 0, sizeof(*res));
    buf_init(&st.detail, 0);
    buf_init(&st.key, 0);
    buf_init(&st.levels, 0);
    buf_init(&st.sn.pop_names.b, 0);
    buf_init(&st.sn.names.b, 0);
    intern_init(&st.sn.schools);
    intern_init(&st.sn.places);

    if (run_inputs(&st) < 0)
        goto out;
    phase_mark(NULL);
    progress_report(opt->report, true, 0, "读取户籍和学籍名单");
    if (match_load_snapshot(s, res, &st.sn, &st.dec, st.err) < 0)
        goto out;
    res->population = (long)st.sn.npop;
    st.dec.sn = &st.sn;
    phase_mark("读取");
    progress_report(opt->report, true, 0.2, "关联记录（%zu 名儿童，%zu 条学籍和外出就读记录）",
                    st.sn.npop, st.sn.noth);
    link_records(&st);
    if (match_begin_run(&st) < 0)
        goto out;
    phase_mark("准备");
    if (match_write_candidates(&st) < 0)
        goto out;
    phase_mark("写候选");
    if (write_statuses(&st) < 0)
        goto out;
    /* the priority groups' rows, linked to the children just decided (domain/groups.c) */
    struct group_counts gc;
    if (groups_match(s, res->run_id, res->population_batch, &opt->cal, res->cutoff, &gc) < 0) {
        match_db_error(&st);
        goto out;
    }
    if (match_finish_run(&st) < 0)
        goto out;
    phase_mark("判定写入");
    progress_report(opt->report, true, 0.95, "提交比对结果");
    if (store_commit(s) < 0) {
        match_db_error(&st);
        goto out;
    }
    phase_mark("提交");
    st.in_tx = false;
    ret = 0;
out:
    if (st.wq) {
        long failed_tag;
        store_writer_finish(st.wq, &failed_tag);
    }
    stmt_finalize(st.ins_link);
    stmt_finalize(st.ins_status);
    stmt_finalize(st.ins_cand);
    if (st.in_tx)
        store_rollback(s);
    if (st.bulk)
        store_end_bulk(s);
    if (st.fk_off)
        store_foreign_keys(s, true);
    match_snapshot_release(&st.sn);
    lk_result_release(&st.lr);
    match_decisions_release(&st.dec);
    free(st.start);
    free(st.member);
    buf_release(&st.detail);
    run_status_writer_release(&st.rsw);
    stmt_finalize(st.ins_count);
    stmt_finalize(st.ins_nonlocal);
    stmt_finalize(st.ins_nonlocal_count);
    buf_release(&st.key);
    buf_release(&st.levels);
    if (ret < 0)
        failed(o, st.kind, "%s", st.err->len ? st.err->buf : "比对失败");
    buf_release(st.err);
    return ret;
}
