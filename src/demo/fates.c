#include "util/common.h"

#include "core/schoolyear.h"
#include "demo/demo_internal.h"

/*
 * What happens to each 学籍 and 外出就读 row on its way into the list: its ID's fate, a
 * mistake in its name, a slip in its birth date. Drawn once for the world (the files are then
 * written from it, and the truth says what was done to each row), at the rates below, parts
 * per million of the rows of that list at errors = 1, each scaled by demo_options.errors.
 *
 * The error families of the linkage benchmark are made of these (demo.h): in a county made for
 * one family (demo_options.family) that family's rows reach FAMILY_SHARE of the list, so that
 * the benchmark measures it on hundreds of cases; the others keep their usual rates.
 */

/* 学籍 (schools): one draw picks the ID's fate, and with it the combined mistakes */
#define ENR_ID_TYPO      10000 /* one digit substituted or two neighbours swapped */
#define ENR_ID_MISSING   5000  /* no ID; 学籍号 J… or L… */
#define ENR_ID_MISSING_G 3000  /* the ID cell left empty, the 学籍号 G + ID */
#define ENR_ID_BROKEN_G  1000  /* a fragment or a remark in the ID cell, the 学籍号 G + ID */
#define ENR_ID_NUMBER    3000  /* typed into a number cell (half of them without a 学籍号) */
#define ENR_HOMOPHONE    7000
#define ENR_TRADITIONAL  3000
#define ENR_BIRTH_OFF    2000 /* 出生日期 cell wrong: month and day swapped, or a day off */
#define ENR_SIMILAR      1000 /* one character of the given name swapped for a look-alike */
/* two mistakes on one row, which no single rule undoes */
#define ENR_MISSING_HOMOPHONE 500 /* no ID and a homophone in the name */
#define ENR_TYPO_TRADITIONAL  500 /* a mistyped ID and a traditional character */
#define ENR_MISSING_BIRTH_OFF 500 /* no ID and a wrong birth date */

/* 外出就读 (city cross-check): no 学籍号 column */
#define OUT_ID_TYPO   15000
#define OUT_ID_NUMBER 5000
#define OUT_HOMOPHONE 5000

/* a family's rows in the county made for it */
#define FAMILY_SHARE 300000

const char *const demo_fate_keys[] = {
    [FATE_EXACT] = "exact",
    [FATE_TYPO] = "typo",
    [FATE_MISSING] = "missing",
    [FATE_MISSING_G] = "missing_g",
    [FATE_BROKEN_G] = "broken_g",
    [FATE_NUMBER] = "number",
    [FATE_NUMBER_NO_G] = "number_no_g",
    [FATE_TWIN_SEQ] = "twin_seq",
    [FATE_TWIN_CHECK] = "twin_check",
    [FATE_TWIN_COPY] = "twin_copy",
    [FATE_TWIN_SUB] = "twin_sub",
    [FATE_TWIN_SWAP] = "twin_swap",
};

static const char *const family_keys[] = {"",        "siblings", "names",
                                          "numbers", "noid",     "unregistered"};
static const char *const family_labels[] = {
    "常见错误组合",
    "同日出生的兄弟姐妹（双胞胎）",
    "同音字和繁体字",
    "身份证号存成数字（后三位丢失）",
    "缺少身份证号（有或没有全国学籍号）",
    "有学籍无户籍（随迁子女）",
};

const char *demo_family_key(enum demo_family f)
{
    return family_keys[f];
}

const char *demo_family_label(enum demo_family f)
{
    return family_labels[f];
}

int demo_family_from_key(const char *key)
{
    for (int f = 1; key && f < DEMO_FAMILY__COUNT; f++)
        if (!strcmp(key, family_keys[f]))
            return f;
    return -1;
}

enum demo_family fate_family(int fate, int mistake, bool borrowed)
{
    if (borrowed)
        return DEMO_FAMILY_UNREGISTERED;
    if (fate >= FATE_TWIN_SEQ)
        return DEMO_FAMILY_SIBLINGS;
    if (mistake == NAME_HOMOPHONE || mistake == NAME_TRADITIONAL)
        return DEMO_FAMILY_NAMES;
    if (fate == FATE_NUMBER || fate == FATE_NUMBER_NO_G)
        return DEMO_FAMILY_NUMBERS;
    if (fate == FATE_MISSING || fate == FATE_MISSING_G || fate == FATE_BROKEN_G)
        return DEMO_FAMILY_NOID;
    return DEMO_FAMILY_NONE;
}

enum id_fate fates_twin_draw(struct demo_rng *r)
{
    static const enum id_fate kinds[] = {
        FATE_TWIN_SEQ,  FATE_TWIN_CHECK,  FATE_TWIN_COPY, FATE_TWIN_SUB,
        FATE_TWIN_SWAP, FATE_NUMBER_NO_G, FATE_MISSING_G, FATE_MISSING,
    };
    return kinds[rng_below(r, ARRAY_SIZE(kinds))];
}

void fates_twin_case(struct demo_world *w, struct demo_rng *r, size_t typed, size_t other,
                     enum id_fate fate, bool other_absent)
{
    /* an ID ending in X is no number: the other twin's row carries the lost digits instead */
    if ((fate == FATE_NUMBER || fate == FATE_NUMBER_NO_G) && w->children[typed].id[17] == 'X') {
        size_t t = typed;
        typed = other;
        other = t;
        if (w->children[typed].id[17] == 'X')
            fate = FATE_MISSING;
    }
    struct demo_child *ct = &w->children[typed], *co = &w->children[other];
    int grade = expected_grade(&w->cal, ct->age);
    grade = grade < 1 ? 1 : grade > 9 ? 9 : grade;
    ct->status = ST_ENROLLED;
    enrol_active(w, r, typed, grade, false);
    struct demo_enrol *e = &w->enrols[w->nenrols - 1];
    e->fate = (uint8_t)fate;
    e->mistake = NAME_NONE;
    e->fated = 1;
    if (other_absent) {
        co->status = ST_NOT_ENROLLED;
        return;
    }
    co->status = ST_ENROLLED;
    enrol_active(w, r, other, grade, false);
    e = &w->enrols[w->nenrols - 1];
    e->fate = FATE_EXACT;
    e->mistake = NAME_NONE;
    e->fated = 1;
}

/* A name mistake at the list's rates. */
static uint8_t draw_mistake(struct demo_rng *r, uint32_t homophone, uint32_t traditional,
                            uint32_t similar)
{
    uint32_t u = rng_below(r, 1000000);
    if (u < homophone)
        return NAME_HOMOPHONE;
    if ((u -= homophone) < traditional)
        return NAME_TRADITIONAL;
    if ((u -= traditional) < similar)
        return NAME_SIMILAR;
    return NAME_NONE;
}

/* The rates in effect for this world. */
struct rates {
    uint32_t typo, missing, missing_g, broken_g, number, missing_homophone, typo_traditional,
        missing_birth_off, homophone, traditional, similar, birth_off;
    uint32_t out_typo, out_number, out_homophone;
};

static void rates_init(struct rates *k, double e)
{
    k->typo = rate_scaled(ENR_ID_TYPO, e);
    k->missing = rate_scaled(ENR_ID_MISSING, e);
    k->missing_g = rate_scaled(ENR_ID_MISSING_G, e);
    k->broken_g = rate_scaled(ENR_ID_BROKEN_G, e);
    k->number = rate_scaled(ENR_ID_NUMBER, e);
    k->missing_homophone = rate_scaled(ENR_MISSING_HOMOPHONE, e);
    k->typo_traditional = rate_scaled(ENR_TYPO_TRADITIONAL, e);
    k->missing_birth_off = rate_scaled(ENR_MISSING_BIRTH_OFF, e);
    k->homophone = rate_scaled(ENR_HOMOPHONE, e);
    k->traditional = rate_scaled(ENR_TRADITIONAL, e);
    k->similar = rate_scaled(ENR_SIMILAR, e);
    k->birth_off = rate_scaled(ENR_BIRTH_OFF, e);
    k->out_typo = rate_scaled(OUT_ID_TYPO, e);
    k->out_number = rate_scaled(OUT_ID_NUMBER, e);
    k->out_homophone = rate_scaled(OUT_HOMOPHONE, e);
}

/* The family's own mix for one of its rows; false when the row is not the family's kind. */
static bool family_row(struct demo_rng *r, enum demo_family f, const struct demo_child *c,
                       bool borrowed, struct demo_enrol *e)
{
    uint32_t third = rng_below(r, 3);
    switch (f) {
    case DEMO_FAMILY_NAMES:
        if (borrowed)
            return false;
        e->mistake = rng_below(r, 3) ? NAME_HOMOPHONE : NAME_TRADITIONAL;
        e->fate = third == 0 ? FATE_EXACT : third == 1 ? FATE_TYPO : FATE_MISSING;
        return true;
    case DEMO_FAMILY_NUMBERS:
        if (borrowed || c->id[17] == 'X')
            return false;
        e->fate = rng_below(r, 2) ? FATE_NUMBER : FATE_NUMBER_NO_G;
        return true;
    case DEMO_FAMILY_NOID:
        if (borrowed)
            return false;
        e->fate = third == 0 ? FATE_MISSING : third == 1 ? FATE_MISSING_G : FATE_BROKEN_G;
        return true;
    default:
        return false;
    }
}

static void enrol_fate(struct demo_world *w, struct demo_rng *r, const struct rates *k,
                       struct demo_enrol *e)
{
    const struct demo_child *c = &w->children[e->child];
    bool borrowed = e->child >= w->npop;
    enum demo_family fam = w->opt->family;
    e->fate = FATE_EXACT;
    e->mistake = NAME_NONE;
    e->birth_off = 0;
    bool force_name = false, force_birth = false;
    if (fam == DEMO_FAMILY_UNREGISTERED && borrowed) {
        /* the 随迁 pupils of the family: valid IDs (of elsewhere, or the next number), slips,
         * none */
        uint32_t u = rng_below(r, 4);
        e->fate = u < 2 ? FATE_EXACT : u == 2 ? FATE_TYPO : FATE_MISSING;
    } else if (fam != DEMO_FAMILY_NONE && fam != DEMO_FAMILY_SIBLINGS && rng_ppm(r, FAMILY_SHARE) &&
               family_row(r, fam, c, borrowed, e)) {
        force_name = e->mistake != NAME_NONE;
    } else {
        uint32_t u = rng_below(r, 1000000);
        if (u < k->missing) {
            e->fate = FATE_MISSING;
        } else if ((u -= k->missing) < k->typo) {
            e->fate = FATE_TYPO;
        } else if ((u -= k->typo) < k->missing_g) {
            e->fate = FATE_MISSING_G;
        } else if ((u -= k->missing_g) < k->broken_g) {
            e->fate = FATE_BROKEN_G;
        } else if ((u -= k->broken_g) < k->number) {
            e->fate = c->id[17] == 'X' ? FATE_EXACT : u % 2 ? FATE_NUMBER : FATE_NUMBER_NO_G;
        } else if ((u -= k->number) < k->missing_homophone) {
            e->fate = FATE_MISSING;
            e->mistake = NAME_HOMOPHONE;
            force_name = true;
        } else if ((u -= k->missing_homophone) < k->typo_traditional) {
            e->fate = FATE_TYPO;
            e->mistake = NAME_TRADITIONAL;
            force_name = true;
        } else if ((u -= k->typo_traditional) < k->missing_birth_off) {
            e->fate = FATE_MISSING;
            force_birth = true;
        }
    }
    if (!force_name)
        e->mistake = draw_mistake(r, k->homophone, k->traditional, k->similar);
    e->birth_off = force_birth || rng_ppm(r, k->birth_off);
}

void fates_assign(struct demo_world *w, struct demo_rng *r)
{
    struct rates k;
    rates_init(&k, w->errors);
    for (size_t i = 0; i < w->nenrols; i++)
        if (!w->enrols[i].fated)
            enrol_fate(w, r, &k, &w->enrols[i]);
    bool numbers = w->opt->family == DEMO_FAMILY_NUMBERS;
    for (size_t i = 0; i < w->noutside; i++) {
        struct demo_outside *o = &w->outside[i];
        const struct demo_child *c = &w->children[o->child];
        bool digits = c->id[17] != 'X';
        uint32_t u = rng_below(r, 1000000);
        if (numbers && digits && rng_ppm(r, FAMILY_SHARE))
            o->fate = FATE_NUMBER_NO_G;
        else if (u < k.out_typo)
            o->fate = FATE_TYPO;
        else if (u - k.out_typo < k.out_number && digits)
            o->fate = FATE_NUMBER_NO_G;
        else
            o->fate = FATE_EXACT;
        o->mistake = draw_mistake(r, k.out_homophone, 0, 0);
    }
}
