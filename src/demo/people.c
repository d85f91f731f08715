#include "util/common.h"

#include <assert.h>

#include "core/date.h"
#include "core/idcard.h"
#include "core/schoolyear.h"
#include "demo/demo_internal.h"

/*
 * The demo county's children and the truth about them. Each child's true status is decided
 * first; the 学籍 and 外出就读 records follow from it; the files are written from these later.
 *
 * Rates are parts per million. Status rates apply to children of the compulsory band (6..15 on
 * the cutoff) whose registration is active; the other children are not_yet_school_age,
 * beyond_age or inactive by their age and registration alone.
 */

/* 户籍状态 of the register's rows */
#define RATE_REG_MOVED     18000 /* 迁出 */
#define RATE_REG_DEAD      2000  /* 死亡 */
#define RATE_REG_CANCELLED 10000 /* 注销 */
/* true status of an active child of the compulsory band; enrolled takes the rest (~96%) */
#define RATE_ELSEWHERE    25000
#define RATE_NOT_ENROLLED 7000
#define RATE_DROPPED      5000
#define RATE_SUSPENDED    3000
/* shape of the enrolled */
#define RATE_REPEATER        30000  /* one grade below the expected one */
#define RATE_AHEAD           10000  /* one grade above */
#define RATE_TRANSFERRED     20000  /* moved between county schools: old 转出 + new 在读 */
#define RATE_ELSEWHERE_OLD   300000 /* enrolled elsewhere and an old 转出 row here */
#define RATE_STILL_GRADE9_16 150000 /* aged 16 and still in grade 8–9 (enrolled) */
#define RATE_STILL_GRADE9_17 30000
#define RATE_GRADUATED_ROW   200000 /* beyond age, with a 毕业 row */
/* inactive registrations that still have records */
#define RATE_MOVED_TRANSFER  350000 /* 迁出 with a 转出 row */
#define RATE_MOVED_STALE     250000 /* 迁出 still 在读 (nobody updated it) */
#define RATE_MOVED_OUTSIDE   200000 /* 迁出 and on the 外出就读 list */
#define RATE_DEAD_ROW        500000 /* 死亡 with a 死亡 row */
#define RATE_CANCELLED_STALE 300000 /* 注销 (双重户籍) still 在读 */
/* the people; siblings of RATE_SIBLINGS_GEN are one or two years apart and share a generation
 * character (王子轩, 王子涵) */
#define RATE_OTHER_COUNTY_ID 40000  /* IDs issued in other counties */
#define RATE_TWINS           8000   /* households whose children include a twin pair */
#define RATE_TWINS_FAMILY    120000 /* …in the siblings family's county */
#define RATE_SIBLINGS_GEN    220000 /* households of 2–3 children, no twins (~10% of all) */
#define RATE_TWIN_TRAP       50000  /* eligible twin pairs made into the trap (× errors) */
#define TWIN_TRAP_MIN        3      /* the first eligible pairs always are, even at errors 0 */
#define RATE_TWIN_COPY       20000 /* …whose one 学籍 row carries the other twin's ID (× errors) */
#define RATE_BORROWED        30000  /* share of 学籍 rows that are 借读 from other counties */
#define RATE_BORROWED_FAMILY 250000 /* …in the unregistered family's county */
#define RATE_BORROWED_LOCAL  150000 /* …of which with this county's code all the same */
/* 随迁 pupils resembling a register child, of the borrowed (× errors; a third each in the
 * unregistered family's county) */
#define RATE_NEIGHBOUR 30000 /* born the same day, the next sequence number */
#define RATE_NAMESAKE  30000 /* a register child's name */
#define RATE_MALE      515000

/* age on the cutoff, 3..17: most children of the register are of compulsory age */
static const uint32_t age_weight[] = {
    /* 3 */ 2, 3, 4, /* 6 */ 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, /* 16 */ 3, 2,
};
#define AGE_MIN 3

const char *const demo_nations[] = {"汉族", "回族", "满族", "蒙古族", "维吾尔族"};
static const uint32_t nation_cum[] = {982000, 992000, 995000, 997000, 1000000};
#define NATION_UYGHUR 4

static const char *const phone_prefixes[] = {
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151",
    "152", "155", "156", "157", "158", "159", "166", "176", "177", "178", "180", "181",
    "182", "183", "185", "186", "187", "188", "189", "191", "198", "199"};

const char *const demo_status_names[] = {"enrolled",    "enrolled_elsewhere", "not_enrolled",
                                         "dropped_out", "suspended",          "not_yet_school_age",
                                         "beyond_age",  "inactive",           ""};
const char *const demo_reg_state_names[] = {"正常", "迁出", "死亡", "注销"};
const char *const demo_enrol_state_names[] = {"在读", "休学", "转出", "辍学", "毕业", "死亡"};

/* ---- dates ---- */

static int ymd_years_before(int ymd, int years)
{
    int y = ymd_year(ymd) - years, m = ymd_month(ymd), d = ymd_day(ymd);
    if (m == 2 && d == 29 && !date_valid(y, 2, 29))
        d = 28;
    return ymd_make(y, m, d);
}

/* A birth date at which a child is `age` on the cutoff. */
static int birth_for_age(struct demo_world *w, struct demo_rng *r, int age)
{
    long hi = ymd_to_days(ymd_years_before(w->cutoff_ymd, age));
    long lo = ymd_to_days(ymd_years_before(w->cutoff_ymd, age + 1)) + 1;
    return days_to_ymd(lo + (long)rng_below(r, (uint32_t)(hi - lo + 1)));
}

/* ---- records ---- */

static void add_enrol(struct demo_world *w, size_t child, int school, int grade, int state,
                      bool decisive)
{
    ALLOC_GROW(w->enrols, w->nenrols + 1, w->enrols_alloc);
    struct demo_enrol *e = &w->enrols[w->nenrols++];
    memset(e, 0, sizeof(*e));
    e->child = (uint32_t)child;
    e->school = (uint16_t)school;
    e->grade = (uint8_t)grade;
    e->state = (uint8_t)state;
    e->decisive = decisive;
}

static void add_outside(struct demo_world *w, struct demo_rng *r, size_t child, int grade)
{
    int s;
    do {
        s = (int)rng_below(r, (uint32_t)demo_outside_nschools);
    } while (grade < demo_outside_schools[s].lo || grade > demo_outside_schools[s].hi);
    ALLOC_GROW(w->outside, w->noutside + 1, w->outside_alloc);
    struct demo_outside *o = &w->outside[w->noutside++];
    memset(o, 0, sizeof(*o));
    o->child = (uint32_t)child;
    o->school = (uint16_t)s;
    o->grade = (uint8_t)grade;
}

static int clamp_grade(int g)
{
    return g < 1 ? 1 : g > 9 ? 9 : g;
}

static int township_of(const struct demo_world *w, const struct demo_child *c)
{
    return w->county.villages[w->households[c->household].village].township;
}

void enrol_active(struct demo_world *w, struct demo_rng *r, size_t ci, int grade, bool may_transfer)
{
    int t = township_of(w, &w->children[ci]);
    int school = county_pick_school(&w->county, r, t, grade);
    if (may_transfer && rng_ppm(r, RATE_TRANSFERRED)) {
        int old = county_pick_school(&w->county, r, t, grade);
        if (old != school)
            add_enrol(w, ci, old, grade, EN_TRANSFERRED, false);
    }
    add_enrol(w, ci, school, grade, EN_ACTIVE, true);
}

static void decide_status(struct demo_world *w, struct demo_rng *r, size_t ci)
{
    struct demo_child *c = &w->children[ci];
    int age = c->age;
    int expected = expected_grade(&w->cal, age);
    int grade = clamp_grade(expected);
    int t = township_of(w, c);
    bool in_band = age >= w->cal.min_age && age <= w->cal.max_age;

    if (c->reg_state != REG_NORMAL) {
        c->status = ST_INACTIVE;
        if (!in_band)
            return;
        switch (c->reg_state) {
        case REG_MOVED: {
            uint32_t u = rng_below(r, 1000000);
            if (u < RATE_MOVED_TRANSFER)
                add_enrol(w, ci, county_pick_school(&w->county, r, t, grade), grade, EN_TRANSFERRED,
                          true);
            else if (u < RATE_MOVED_TRANSFER + RATE_MOVED_STALE)
                add_enrol(w, ci, county_pick_school(&w->county, r, t, grade), grade, EN_ACTIVE,
                          true);
            else if (u < RATE_MOVED_TRANSFER + RATE_MOVED_STALE + RATE_MOVED_OUTSIDE)
                add_outside(w, r, ci, grade);
            break;
        }
        case REG_DEAD:
            if (rng_ppm(r, RATE_DEAD_ROW))
                add_enrol(w, ci, county_pick_school(&w->county, r, t, grade), grade, EN_DEAD, true);
            break;
        default:
            if (rng_ppm(r, RATE_CANCELLED_STALE))
                add_enrol(w, ci, county_pick_school(&w->county, r, t, grade), grade, EN_ACTIVE,
                          true);
            break;
        }
        return;
    }
    if (age < w->cal.min_age) {
        c->status = ST_YOUNG;
        return;
    }
    if (age > w->cal.max_age) {
        uint32_t still = age == w->cal.max_age + 1 ? RATE_STILL_GRADE9_16 : RATE_STILL_GRADE9_17;
        if (rng_ppm(r, still)) {
            c->status = ST_ENROLLED;
            enrol_active(w, r, ci, rng_below(r, 5) ? 9 : 8, false);
        } else {
            c->status = ST_BEYOND;
            if (rng_ppm(r, RATE_GRADUATED_ROW))
                add_enrol(w, ci, county_pick_school(&w->county, r, t, 9), 9, EN_GRADUATED, true);
        }
        return;
    }

    uint32_t u = rng_below(r, 1000000);
    if (u < RATE_ELSEWHERE) {
        c->status = ST_ELSEWHERE;
        if (rng_ppm(r, RATE_ELSEWHERE_OLD)) {
            int g = clamp_grade(grade - (int)rng_below(r, 2));
            add_enrol(w, ci, county_pick_school(&w->county, r, t, g), g, EN_TRANSFERRED, false);
        }
        add_outside(w, r, ci, grade);
    } else if ((u -= RATE_ELSEWHERE) < RATE_NOT_ENROLLED) {
        c->status = ST_NOT_ENROLLED;
    } else if ((u -= RATE_NOT_ENROLLED) < RATE_DROPPED) {
        int g = clamp_grade(grade - (int)rng_below(r, 2));
        c->status = ST_DROPPED;
        add_enrol(w, ci, county_pick_school(&w->county, r, t, g), g, EN_DROPPED, true);
    } else if ((u -= RATE_DROPPED) < RATE_SUSPENDED) {
        c->status = ST_SUSPENDED;
        add_enrol(w, ci, county_pick_school(&w->county, r, t, grade), grade, EN_SUSPENDED, true);
    } else {
        c->status = ST_ENROLLED;
        /* a fifth of the repeaters repeated twice or started school late: two grades below
         * (the 预警名单's 超龄; chosen by the child's place, not the generator, so the rest of
         * the county is as before) */
        if (rng_ppm(r, RATE_REPEATER))
            grade = clamp_grade(grade - (ci % 5 == 0 ? 2 : 1));
        else if (rng_ppm(r, RATE_AHEAD))
            grade = clamp_grade(grade + 1);
        enrol_active(w, r, ci, grade, true);
    }
}

const struct demo_child *world_twin(const struct demo_world *w, const struct demo_child *c)
{
    size_t i = (size_t)(c - w->children);
    if (i >= w->npop)
        return NULL;
    if (c->twin_first)
        return c + 1;
    if (i > 0 && c[-1].twin_first)
        return c - 1;
    return NULL;
}

/* ---- the register ---- */

static int draw_age(const struct demo_world *w, struct demo_rng *r)
{
    return AGE_MIN + (int)rng_cum(r, w->age_cum, ARRAY_SIZE(age_weight));
}

static uint8_t draw_reg_state(struct demo_rng *r)
{
    uint32_t u = rng_below(r, 1000000);
    if (u < RATE_REG_MOVED)
        return REG_MOVED;
    if ((u -= RATE_REG_MOVED) < RATE_REG_DEAD)
        return REG_DEAD;
    if ((u -= RATE_REG_DEAD) < RATE_REG_CANCELLED)
        return REG_CANCELLED;
    return REG_NORMAL;
}

static uint32_t text_add(struct demo_world *w, const char *s, size_t len)
{
    uint32_t off = (uint32_t)w->text.len;
    if (w->text.len + len >= UINT32_MAX)
        die("演示县：姓名存储超出上限");
    buf_add(&w->text, s, len);
    return off;
}

struct household_ctx {
    struct buf surname, father_part, scratch;
    int nation;
};

static void child_name(struct demo_world *w, struct demo_rng *r, struct household_ctx *h,
                       struct demo_child *c, const struct demo_child *twin, const char *gen3)
{
    struct buf *s = &h->scratch;
    buf_reset(s);
    if (gen3) {
        buf_add(s, h->surname.buf, h->surname.len);
        names_given_generation(r, c->sex, s, gen3);
    } else if (h->nation == NATION_UYGHUR) {
        names_minority_part(r, c->sex, s);
        buf_adds(s, "·");
        buf_add(s, h->father_part.buf, h->father_part.len);
    } else {
        buf_add(s, h->surname.buf, h->surname.len);
        if (twin)
            names_twin(r, c->sex, s, w->text.buf + twin->name_off + h->surname.len,
                       twin->name_len - h->surname.len);
        else
            names_given(r, c->sex, s);
    }
    c->name_off = text_add(w, s->buf, s->len);
    c->name_len = (uint8_t)s->len;
}

/*
 * Child k of a household whose children share a generation character: the first drawn as any
 * child, the others one or two years from the first, born at least ten months from each of
 * their siblings, and named apart from them.
 */
static void sibling_gen(struct demo_world *w, struct demo_rng *r, struct household_ctx *h,
                        struct demo_child *c, size_t k, int *ages_used, size_t *nages,
                        const char gen3[3])
{
    const struct demo_child *first = c - k;
    int age = draw_age(w, r);
    if (k > 0) {
        for (int tries = 0; tries < 8; tries++) {
            int d = (1 + (int)rng_below(r, 2)) * (rng_below(r, 2) ? 1 : -1);
            int a = first->age + d;
            bool dup = a < AGE_MIN || a >= AGE_MIN + (int)ARRAY_SIZE(age_weight);
            for (size_t j = 0; j < *nages; j++)
                dup |= ages_used[j] == a;
            if (!dup) {
                age = a;
                break;
            }
        }
    }
    if (*nages < 4)
        ages_used[(*nages)++] = age;
    c->age = (uint8_t)age;
    for (int tries = 0; tries < 8; tries++) {
        c->birth_ymd = birth_for_age(w, r, age);
        long day = ymd_to_days(c->birth_ymd);
        bool close = false;
        for (size_t j = 1; j <= k; j++) {
            long dj = ymd_to_days((c - j)->birth_ymd);
            close |= labs(day - dj) < 300;
        }
        if (!close)
            break;
    }
    for (int tries = 0; tries < 4; tries++) {
        child_name(w, r, h, c, NULL, gen3);
        bool same = false;
        for (size_t j = 1; j <= k; j++)
            same |=
                (c - j)->name_len == c->name_len &&
                !memcmp(w->text.buf + (c - j)->name_off, w->text.buf + c->name_off, c->name_len);
        if (!same || tries == 3)
            break;
        w->text.len = c->name_off; /* the same name as a sibling's: pick again */
    }
}

static void gen_household(struct demo_world *w, struct demo_rng *r, struct id_alloc *ids,
                          struct household_ctx *h, int village, size_t nkids, bool twins)
{
    struct demo_household *hh;
    size_t hi = w->nhouseholds++;
    hh = &w->households[hi];
    memset(hh, 0, sizeof(*hh));
    hh->village = (uint16_t)village;
    hh->house_no = (uint16_t)(1 + rng_below(r, 320));
    hh->group = rng_below(r, 2) ? 0 : (uint8_t)(1 + rng_below(r, 12));
    hh->phone = strtoull(phone_prefixes[rng_below(r, ARRAY_SIZE(phone_prefixes))], NULL, 10) *
                    100000000ULL +
                rng_below(r, 100000000);

    h->nation = (int)rng_cum(r, nation_cum, ARRAY_SIZE(nation_cum));
    buf_reset(&h->surname);
    buf_reset(&h->father_part);
    buf_reset(&h->scratch);
    if (h->nation == NATION_UYGHUR) {
        names_minority_part(r, 1, &h->father_part);
        hh->guardian_kind = GUARDIAN_FATHER;
        if (rng_below(r, 4)) {
            buf_add(&h->scratch, h->father_part.buf, h->father_part.len);
            buf_adds(&h->scratch, "·");
            names_minority_part(r, 1, &h->scratch);
        } else { /* the mother */
            hh->guardian_kind = GUARDIAN_MOTHER;
            names_minority_part(r, 2, &h->scratch);
            buf_adds(&h->scratch, "·");
            names_minority_part(r, 1, &h->scratch);
        }
    } else {
        names_surname(r, &h->surname);
        uint32_t g = rng_below(r, 100);
        if (g < 65) { /* father */
            hh->guardian_kind = GUARDIAN_FATHER;
            buf_add(&h->scratch, h->surname.buf, h->surname.len);
            names_given(r, 1, &h->scratch);
        } else if (g < 90) { /* mother: her own surname */
            hh->guardian_kind = GUARDIAN_MOTHER;
            names_surname(r, &h->scratch);
            names_given(r, 2, &h->scratch);
        } else { /* grandparent */
            int sex = rng_below(r, 2) ? 1 : 2;
            hh->guardian_kind = sex == 1 ? GUARDIAN_GRANDFATHER : GUARDIAN_GRANDMOTHER;
            buf_add(&h->scratch, h->surname.buf, h->surname.len);
            names_given(r, sex, &h->scratch);
        }
    }
    hh->guardian_off = text_add(w, h->scratch.buf, h->scratch.len);
    hh->guardian_len = (uint8_t)h->scratch.len;

    size_t code =
        rng_ppm(r, RATE_OTHER_COUNTY_ID) ? 1 + rng_below(r, (uint32_t)(ids->ncodes - 1)) : 0;
    int ages_used[4];
    size_t nages = 0;
    /* siblings named by a generation character: 王子轩, 王子涵 */
    char gen3[3];
    bool gen = nkids >= 2 && !twins && h->nation != NATION_UYGHUR && rng_ppm(r, RATE_SIBLINGS_GEN);
    if (gen)
        names_generation_char(r, gen3);
    for (size_t k = 0; k < nkids; k++) {
        size_t ci = w->npop++;
        struct demo_child *c = &w->children[ci];
        memset(c, 0, sizeof(*c));
        c->household = (uint32_t)hi;
        c->nation = (uint8_t)h->nation;
        c->sex = rng_ppm(r, RATE_MALE) ? 1 : 2;
        c->reg_state = draw_reg_state(r);
        if (twins && k == 1) {
            /* the second twin: born the same day, the next sequence number */
            struct demo_child *first = c - 1;
            first->twin_first = 1;
            c->sex = rng_ppm(r, RATE_MALE) ? 1 : 2;
            c->age = first->age;
            c->birth_ymd = first->birth_ymd;
            c->reg_state = first->reg_state;
            ids_issue(ids, r, code, c->birth_ymd, first->sex, first->id, c->sex, c->id);
            child_name(w, r, h, c, first, NULL);
            if (h->nation != NATION_UYGHUR && first->name_len == c->name_len &&
                !memcmp(w->text.buf + first->name_off, w->text.buf + c->name_off, c->name_len)) {
                /* same name for both: pick again once */
                w->text.len = c->name_off;
                child_name(w, r, h, c, NULL, NULL);
            }
            continue;
        }
        if (gen) {
            sibling_gen(w, r, h, c, k, ages_used, &nages, gen3);
            ids_issue(ids, r, code, c->birth_ymd, c->sex, c->id, 0, NULL);
            continue;
        }
        int age = draw_age(w, r);
        for (int tries = 0; tries < 8; tries++) {
            bool dup = false;
            for (size_t j = 0; j < nages; j++)
                dup |= ages_used[j] == age;
            if (!dup)
                break;
            age = draw_age(w, r);
        }
        if (nages < ARRAY_SIZE(ages_used))
            ages_used[nages++] = age;
        c->age = (uint8_t)age;
        c->birth_ymd = birth_for_age(w, r, age);
        if (!(twins && k == 0))
            ids_issue(ids, r, code, c->birth_ymd, c->sex, c->id, 0, NULL);
        child_name(w, r, h, c, NULL, NULL);
    }
}

static void gen_register(struct demo_world *w, struct demo_rng *r, struct id_alloc *ids)
{
    const struct demo_county *co = &w->county;
    size_t n = (size_t)w->opt->children;
    uint64_t total = 0, *vw = xcalloc((size_t)co->nvillages, sizeof(*vw));
    struct household_ctx h = {BUF_INIT, BUF_INIT, BUF_INIT, 0};

    /* each village's share: its township's weight split among its villages */
    for (int t = 0; t < co->ntownships; t++) {
        const struct demo_township *tw = &co->townships[t];
        uint64_t sum = 0;
        for (int v = 0; v < tw->nvillages; v++)
            sum += co->villages[tw->first_village + v].weight;
        for (int v = 0; v < tw->nvillages; v++) {
            vw[tw->first_village + v] =
                (uint64_t)tw->weight * 100000 * co->villages[tw->first_village + v].weight / sum;
            total += vw[tw->first_village + v];
        }
    }
    uint64_t cum = 0;
    size_t done = 0;
    for (int v = 0; v < co->nvillages; v++) {
        cum += vw[v];
        size_t upto = (size_t)((uint64_t)n * cum / total);
        while (done < upto) {
            size_t left = upto - done;
            uint32_t u = rng_below(r, 100);
            size_t kids = u < 55 ? 1 : u < 93 ? 2 : 3;
            bool twins =
                left >= 2 &&
                rng_ppm(r, w->opt->family == DEMO_FAMILY_SIBLINGS ? RATE_TWINS_FAMILY : RATE_TWINS);
            if (twins && kids < 2)
                kids = 2;
            if (kids > left)
                kids = left;
            gen_household(w, r, ids, &h, v, kids, twins);
            done += kids;
        }
    }
    assert(done == n);
    free(vw);
    buf_release(&h.surname);
    buf_release(&h.father_part);
    buf_release(&h.scratch);
}

/*
 * Twin pairs of the compulsory band with active registrations get their cases here: the trap
 * (one twin out of school, the other's ID typed with the absent twin's sequence digit) at its
 * rate and at least three times, a copied twin ID at its rate; in the siblings family's county
 * every such pair, with any twin fate, one twin absent half of the time.
 */
static void decide_all(struct demo_world *w, struct demo_rng *r)
{
    uint32_t trap_rate = rate_scaled(RATE_TWIN_TRAP, w->errors);
    uint32_t copy_rate = rate_scaled(RATE_TWIN_COPY, w->errors);
    bool family = w->opt->family == DEMO_FAMILY_SIBLINGS;
    for (size_t i = 0; i < w->npop; i++) {
        struct demo_child *c = &w->children[i];
        const struct demo_child *next = i + 1 < w->npop ? c + 1 : NULL;
        bool twin_pair = next && c->twin_first && c->reg_state == REG_NORMAL &&
                         next->reg_state == REG_NORMAL && c->age >= w->cal.min_age &&
                         c->age <= w->cal.max_age;
        if (twin_pair) {
            size_t typed = rng_below(r, 2) ? i : i + 1, other = typed == i ? i + 1 : i;
            if (family) {
                enum id_fate fate = fates_twin_draw(r);
                fates_twin_case(w, r, typed, other, fate, rng_below(r, 2));
                i++;
                continue;
            }
            if (w->twin_traps < TWIN_TRAP_MIN || rng_ppm(r, trap_rate)) {
                fates_twin_case(w, r, typed, other, FATE_TWIN_SEQ, true);
                w->twin_traps++;
                i++;
                continue;
            }
            if (rng_ppm(r, copy_rate)) {
                fates_twin_case(w, r, typed, other, FATE_TWIN_COPY, rng_below(r, 2));
                i++;
                continue;
            }
        }
        decide_status(w, r, i);
    }
}

/* 借读 students: registered at a county school, from another county's register. */
/*
 * 借读 and 随迁 pupils: registered at a county school, in no register of this county. Some
 * resemble a register child: born the same day with the next sequence number (a family that
 * moved away after the birth was registered here), or bearing the child's name.
 */
static void gen_borrowed(struct demo_world *w, struct demo_rng *r, struct id_alloc *ids)
{
    bool family = w->opt->family == DEMO_FAMILY_UNREGISTERED;
    uint32_t rate = family ? RATE_BORROWED_FAMILY : RATE_BORROWED;
    uint32_t neighbour = family ? 333333 : rate_scaled(RATE_NEIGHBOUR, w->errors);
    uint32_t namesake = family ? 333333 : rate_scaled(RATE_NAMESAKE, w->errors);
    size_t local_rows = w->nenrols;
    size_t n = (size_t)((uint64_t)local_rows * rate / (1000000 - rate));
    struct buf s = BUF_INIT;
    size_t *out = xmalloc((w->npop + 1) * sizeof(*out)), nout = 0;
    for (size_t i = 0; i < w->npop; i++)
        if (w->children[i].status == ST_NOT_ENROLLED || w->children[i].status == ST_DROPPED)
            out[nout++] = i;
    struct name_ix *ix = xmalloc((w->npop + 1) * sizeof(*ix));
    for (size_t i = 0; i < w->npop; i++) {
        const struct demo_child *x = &w->children[i];
        ix[i] = (struct name_ix){lookalike_name_hash(w->text.buf + x->name_off, x->name_len),
                                 (uint32_t)i};
    }
    qsort(ix, w->npop, sizeof(*ix), lookalike_cmp);
    w->children = xreallocarray(w->children, w->npop + n + 1, sizeof(*w->children));
    for (size_t k = 0; k < n; k++) {
        size_t ci = w->npop + k;
        struct demo_child *c = &w->children[ci];
        memset(c, 0, sizeof(*c));
        c->household = NO_HOUSEHOLD;
        c->status = ST_NONE;
        c->sex = rng_ppm(r, RATE_MALE) ? 1 : 2;
        uint32_t u = rng_below(r, 1000000);
        enum lookalike_kind kind = u < neighbour              ? LOOK_NEIGHBOUR
                                   : u < neighbour + namesake ? LOOK_NAMESAKE
                                                              : LOOK_NONE;
        buf_reset(&s);
        size_t x = kind == LOOK_NEIGHBOUR  ? lookalike_pick(w, r, out, nout)
                   : kind == LOOK_NAMESAKE ? lookalike_namesake(w, r, ix, w->npop, c->sex, &s)
                                           : SIZE_MAX;
        const struct demo_child *xc = x == SIZE_MAX ? NULL : &w->children[x];
        if (!xc)
            buf_reset(&s);
        if (xc && kind == LOOK_NEIGHBOUR) {
            c->age = xc->age;
            c->birth_ymd = xc->birth_ymd;
            if (!ids_issue_next_to(ids, xc->id, c->sex, c->id))
                ids_issue(ids, r, 0, c->birth_ymd, c->sex, c->id, 0, NULL);
            /* half of them share the surname: then they share a block with the child */
            const char *xn = w->text.buf + xc->name_off;
            if (rng_below(r, 2) || memmem(xn, xc->name_len, "·", 2))
                names_surname(r, &s);
            else
                buf_add(&s, xn, 3);
            names_given(r, c->sex, &s);
        } else {
            c->age =
                xc ? xc->age : (uint8_t)(AGE_MIN + rng_cum(r, w->band_cum, ARRAY_SIZE(age_weight)));
            do
                c->birth_ymd = birth_for_age(w, r, c->age);
            while (xc && c->birth_ymd == xc->birth_ymd);
            size_t code =
                rng_ppm(r, RATE_BORROWED_LOCAL) ? 0 : 1 + rng_below(r, (uint32_t)(ids->ncodes - 1));
            ids_issue(ids, r, code, c->birth_ymd, c->sex, c->id, 0, NULL);
            if (!xc) {
                names_surname(r, &s);
                names_given(r, c->sex, &s);
            }
        }
        c->name_off = text_add(w, s.buf, s.len);
        c->name_len = (uint8_t)s.len;
        if (xc)
            lookalike_add(w, ci, x, kind);
        int grade = clamp_grade(expected_grade(&w->cal, c->age));
        int t = (int)rng_below(r, (uint32_t)w->county.ntownships);
        add_enrol(w, ci, county_pick_school(&w->county, r, t, grade), grade, EN_ACTIVE, false);
    }
    w->nchildren = w->npop + n;
    free(out);
    free(ix);
    buf_release(&s);
}

/*
 * Order the 学籍 rows as an export lists them: by school, then grade, then class; pupils of a
 * grade shuffled and dealt into classes of about 45.
 */
static void order_enrolments(struct demo_world *w, struct demo_rng *r)
{
    size_t nb = (size_t)w->county.nschools * 10, n = w->nenrols;
    size_t *start = xcalloc(nb + 1, sizeof(*start));
    struct demo_enrol *sorted = xmalloc((n ? n : 1) * sizeof(*sorted));
    for (size_t i = 0; i < n; i++)
        start[w->enrols[i].school * 10u + w->enrols[i].grade + 1]++;
    for (size_t b = 0; b < nb; b++)
        start[b + 1] += start[b];
    size_t *fill = xmalloc((nb + 1) * sizeof(*fill));
    memcpy(fill, start, (nb + 1) * sizeof(*fill));
    for (size_t i = 0; i < n; i++)
        sorted[fill[w->enrols[i].school * 10u + w->enrols[i].grade]++] = w->enrols[i];
    for (size_t b = 0; b < nb; b++) {
        size_t lo = start[b], cnt = start[b + 1] - start[b];
        if (!cnt)
            continue;
        for (size_t i = cnt - 1; i > 0; i--) {
            size_t j = rng_below(r, (uint32_t)(i + 1));
            struct demo_enrol tmp = sorted[lo + i];
            sorted[lo + i] = sorted[lo + j];
            sorted[lo + j] = tmp;
        }
        size_t nclass = (cnt + 44) / 45;
        for (size_t i = 0; i < cnt; i++)
            sorted[lo + i].class_no = (uint16_t)(1 + i * nclass / cnt);
    }
    free(w->enrols);
    w->enrols = sorted;
    w->enrols_alloc = n;
    for (size_t i = 0; i < n; i++)
        if (sorted[i].decisive)
            w->children[sorted[i].child].enrollment_row = (int32_t)(i + 1);
    free(start);
    free(fill);
}

static void shuffle_outside(struct demo_world *w, struct demo_rng *r)
{
    for (size_t i = w->noutside; i > 1; i--) {
        size_t j = rng_below(r, (uint32_t)i);
        struct demo_outside tmp = w->outside[i - 1];
        w->outside[i - 1] = w->outside[j];
        w->outside[j] = tmp;
    }
}

int world_generate(struct demo_world *w, const struct demo_options *opt, struct buf *err)
{
    struct demo_rng r;
    struct id_alloc ids;
    struct school_calendar cal = SCHOOL_CALENDAR_DEFAULT;
    size_t n = (size_t)opt->children;

    memset(w, 0, sizeof(*w));
    buf_init(&w->text, 0);
    w->opt = opt;
    w->errors = opt->errors_set || opt->errors != 0 ? opt->errors : 1.0;
    w->cal = cal;
    w->school_year = school_year_of(&cal, opt->as_of_ymd);
    w->cutoff_ymd = school_cutoff(&cal, w->school_year);
    if (county_build(&w->county, opt->county, err) < 0)
        return -1;
    names_init();
    uint32_t sum = 0, bsum = 0;
    static_assert(ARRAY_SIZE(age_weight) <= ARRAY_SIZE(w->age_cum), "age table");
    for (size_t i = 0; i < ARRAY_SIZE(age_weight); i++) {
        int age = AGE_MIN + (int)i;
        sum += age_weight[i];
        if (age >= cal.min_age && age <= cal.max_age)
            bsum += age_weight[i];
        w->age_cum[i] = sum;
        w->band_cum[i] = bsum;
    }

    long day_hi = ymd_to_days(w->cutoff_ymd);
    long day_lo = ymd_to_days(ymd_years_before(w->cutoff_ymd, AGE_MIN + ARRAY_SIZE(age_weight)));
    ids_init(&ids, opt->county, day_lo, day_hi - day_lo + 1);

    /* a register child has at most a few records; 借读 students about 3% more */
    size_t cap = n + n / 16 + 64;
    w->children = xmalloc(cap * sizeof(*w->children));
    w->households = xmalloc((n + 1) * sizeof(*w->households));
    buf_grow(&w->text, n * 16 + 64);

    rng_seed(&r, opt->seed, 1);
    gen_register(w, &r, &ids);
    rng_seed(&r, opt->seed, 2);
    decide_all(w, &r);
    rng_seed(&r, opt->seed, 3);
    gen_borrowed(w, &r, &ids);
    rng_seed(&r, opt->seed, 4);
    order_enrolments(w, &r);
    shuffle_outside(w, &r);
    rng_seed(&r, opt->seed, 5);
    fates_assign(w, &r);
    ids_release(&ids);

    for (size_t i = 0; i < w->npop; i++)
        if (w->children[i].status == ST_NOT_ENROLLED || w->children[i].status == ST_DROPPED)
            w->out_of_school++;
    return 0;
}

void world_release(struct demo_world *w)
{
    county_release(&w->county);
    buf_release(&w->text);
    free(w->children);
    free(w->households);
    free(w->enrols);
    free(w->outside);
    free(w->lookalikes);
    memset(w, 0, sizeof(*w));
}
