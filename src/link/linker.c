/*
 * The linker: exact ID, ID typos, blocking, Fellegi–Sunter scoring with m/u estimated from the
 * data, one-to-one assignment with a margin, three bands. See linker.h for the stages.
 */
#include "link/linker.h"

#include <math.h>
#include <pthread.h>

#include "core/date.h"
#include "core/idcard.h"
#include "link/idindex.h"
#include "util/common.h"
#include "util/utf8.h"

/* ---- levels ----------------------------------------------------------------------------- */

static const struct {
    const char *label;
    int levels;
    const char *keys[LK_MAX_LEVELS];
    const char *labels[LK_MAX_LEVELS];
} fields[LK__FIELDS] = {
    [LK_ID] = {"身份证号",
               LKI__LEVELS,
               {"exact", "typo", "different", "missing"},
               {"完全相同", "相差一位（录入错误）", "不同", "缺失"}},
    [LK_NAME] = {"姓名",
                 NAME__LEVELS,
                 {"exact", "variant", "pinyin", "one_char", "surname", "different", "missing"},
                 {"完全相同", "繁简/异体相同", "拼音相同", "一字之差", "仅姓相同", "不同", "缺失"}},
    [LK_BIRTH] = {"出生日期",
                  LKB__LEVELS,
                  {"exact", "close", "different", "missing"},
                  {"相同", "相近（一位录错、相邻两位颠倒、月日颠倒或差一天）", "不同", "缺失"}},
    [LK_SEX] = {"性别", LKS__LEVELS, {"agree", "different", "missing"}, {"相同", "不同", "缺失"}},
};

const char *lk_field_label(enum lk_field f)
{
    return fields[f].label;
}

const char *lk_level_key(enum lk_field f, int level)
{
    return fields[f].keys[level];
}

const char *lk_level_label(enum lk_field f, int level)
{
    return fields[f].labels[level];
}

int lk_levels(enum lk_field f)
{
    return fields[f].levels;
}

static const char *const method_keys[] = {"none", "id_exact", "id_typo", "fuzzy", "reviewed"};
static const char *const method_labels[] = {"未关联", "身份证号一致", "身份证号录错一位",
                                            "姓名、出生日期等综合比对", "人工复核确认"};

const char *lk_method_key(enum lk_method m)
{
    return method_keys[m];
}

const char *lk_method_label(enum lk_method m)
{
    return method_labels[m];
}

const char *lk_decision_key(enum lk_decision d)
{
    static const char *const keys[] = {"accept", "review", "reject"};
    return keys[d];
}

const char *lk_reason_label(enum lk_reason r)
{
    static const char *const labels[] = {
        [LKR_ACCEPTED] = "总分超过采纳线，且明显高于第二名",
        [LKR_TYPO_ACCEPTED] = "身份证号只差一位，姓名、出生日期、性别均一致",
        [LKR_EXACT_KEPT] = "身份证号完全一致",
        [LKR_CLOSE_SECOND] = "另有一名儿童得分接近，需人工复核",
        [LKR_BELOW_ACCEPT] = "得分在复核线与采纳线之间，需人工复核",
        [LKR_BELOW_REVIEW] = "得分低于复核线，不是同一人",
        [LKR_IDS_DISAGREE] = "两边身份证号都有效且明显不同，可能不是同一人，需人工复核",
        [LKR_EXACT_NAME_CONFLICT] = "身份证号一致但姓名不符（可能是双胞胎或录错），需人工复核",
        [LKR_TAKEN] = "该记录已归属另一名儿童",
        [LKR_DECIDED_ACCEPT] = "人工复核确认为同一人",
        [LKR_DECIDED_REJECT] = "人工复核确认不是同一人",
    };
    return labels[r];
}

bool id_one_typo(const char *a, const char *b)
{
    int diff[3], nd = 0;
    for (int i = 0; i < 18; i++)
        if (a[i] != b[i]) {
            if (nd == 2)
                return false;
            diff[nd++] = i;
        }
    if (nd == 1)
        return true;
    return nd == 2 && diff[1] == diff[0] + 1 && a[diff[0]] == b[diff[1]] &&
           a[diff[1]] == b[diff[0]];
}

/* The ID level of a pair; for a typo, *first and *last are the positions that differ. */
static int id_level(const struct lk_rec *p, const struct lk_rec *o, int *first, int *last)
{
    if (!p->key || !o->key)
        return LKI_MISSING;
    if (p->key == o->key)
        return LKI_EXACT;
    char a[19], b[19];
    id_unpack(p->key, a);
    id_unpack(o->key, b);
    if (!id_one_typo(a, b))
        return LKI_DIFFERENT;
    *first = -1;
    for (int i = 0; i < 18; i++)
        if (a[i] != b[i]) {
            if (*first < 0)
                *first = i;
            *last = i;
        }
    return LKI_TYPO;
}

/* The birth date and sex an ID spells out (0 when not a real date). */
static void id_birth_sex(uint64_t key, int32_t *birth, uint8_t *sex)
{
    char id[19];
    id_unpack(key, id);
    int y = 0, m = 0, d = 0;
    for (int i = 6; i < 10; i++)
        y = y * 10 + (id[i] - '0');
    m = (id[10] - '0') * 10 + (id[11] - '0');
    d = (id[12] - '0') * 10 + (id[13] - '0');
    *birth = (m >= 1 && m <= 12 && d >= 1 && d <= 31) ? y * 10000 + m * 100 + d : 0;
    *sex = (uint8_t)((id[16] - '0') % 2 ? 1 : 2);
}

/*
 * Birth dates as a clerk types them: CLOSE is one typing slip — one digit of the eight wrong,
 * two neighbouring digits swapped, month and day swapped, or a day off by one (across a month
 * end too). Anything else is a different date.
 */
static int birth_level(int32_t a, int32_t b)
{
    if (!a || !b)
        return LKB_MISSING;
    if (a == b)
        return LKB_EXACT;
    char x[9], y[9];
    snprintf(x, sizeof(x), "%08d", a);
    snprintf(y, sizeof(y), "%08d", b);
    int diff[3], nd = 0;
    for (int i = 0; i < 8 && nd < 3; i++)
        if (x[i] != y[i])
            diff[nd++] = i;
    if (nd == 1)
        return LKB_CLOSE;
    if (nd == 2 && diff[1] == diff[0] + 1 && x[diff[0]] == y[diff[1]] && x[diff[1]] == y[diff[0]])
        return LKB_CLOSE;
    int ya = a / 10000, ma = a / 100 % 100, da = a % 100;
    int mb = b / 100 % 100, db = b % 100;
    if (ya == b / 10000 && ma == db && da == mb)
        return LKB_CLOSE;
    long dd = ymd_to_days(a) - ymd_to_days(b);
    if (dd == 1 || dd == -1)
        return LKB_CLOSE;
    return LKB_DIFFERENT;
}

static int sex_level(uint8_t a, uint8_t b)
{
    if (!a || !b)
        return LKS_MISSING;
    return a == b ? LKS_AGREE : LKS_DIFFERENT;
}

void linker_compare(const struct lk_model *model, const struct lk_rec *p, const struct lk_rec *o,
                    const struct name_info *pn, const struct name_info *on, double name_tf_u,
                    struct lk_pair *out)
{
    int first = -1, last = -1;
    int32_t ob = o->birth;
    uint8_t os = o->sex;
    out->level[LK_ID] = (uint8_t)id_level(p, o, &first, &last);
    if (out->level[LK_ID] == LKI_TYPO) {
        /*
         * A record whose birth date or sex was read off its own mistyped ID (the 外出 list has
         * no such columns, and import fills them from the ID) carries no evidence of its own
         * where the typo falls: a typo in the birth digits explains the date, one in the 17th
         * digit the sex. Elsewhere the ID's digits are the record's evidence.
         */
        int32_t idb;
        uint8_t ids;
        id_birth_sex(o->key, &idb, &ids);
        bool typo_in_birth = first <= 13 && last >= 6;
        if (!ob || ob == idb)
            ob = typo_in_birth ? 0 : idb;
        if (!os || os == ids)
            os = (first <= 16 && last >= 16) ? 0 : ids;
    }
    out->level[LK_NAME] = (uint8_t)((!pn->n || !on->n) ? NAME_MISSING : name_compare(pn, on));
    out->level[LK_BIRTH] = (uint8_t)birth_level(p->birth, ob);
    out->level[LK_SEX] = (uint8_t)sex_level(p->sex, os);
    out->total = 0;
    for (int f = 0; f < LK__FIELDS; f++) {
        double w = model->w[f][out->level[f]];
        /* Term frequency: agreeing on a common name says less than agreeing on a rare one. */
        if (f == LK_NAME && out->level[f] == NAME_EXACT && name_tf_u > 0)
            w = log2(model->m[f][NAME_EXACT] / name_tf_u);
        out->weight[f] = w;
        out->total += w;
    }
}

/* ---- a small open-addressing hash map: 64-bit key -> 32-bit value ----------------------- */

struct u64map {
    uint64_t *keys; /* 0 = empty; callers never use key 0 */
    uint32_t *vals;
    size_t cap, n;
};

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

static void u64map_grow(struct u64map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    uint64_t *keys = xcalloc(cap, sizeof(*keys));
    uint32_t *vals = xcalloc(cap, sizeof(*vals));
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t h = mix64(m->keys[i]) & (cap - 1);
        while (keys[h])
            h = (h + 1) & (cap - 1);
        keys[h] = m->keys[i];
        vals[h] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
}

/* The slot of `key`, inserting it with value `def` when absent. */
static uint32_t *u64map_slot(struct u64map *m, uint64_t key, uint32_t def)
{
    if ((m->n + 1) * 2 > m->cap)
        u64map_grow(m);
    size_t h = mix64(key) & (m->cap - 1);
    while (m->keys[h] && m->keys[h] != key)
        h = (h + 1) & (m->cap - 1);
    if (!m->keys[h]) {
        m->keys[h] = key;
        m->vals[h] = def;
        m->n++;
    }
    return &m->vals[h];
}

static uint32_t *u64map_find(const struct u64map *m, uint64_t key)
{
    if (!m->cap)
        return NULL;
    size_t h = mix64(key) & (m->cap - 1);
    while (m->keys[h]) {
        if (m->keys[h] == key)
            return &m->vals[h];
        h = (h + 1) & (m->cap - 1);
    }
    return NULL;
}

static void u64map_release(struct u64map *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof(*m));
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h ? h : 1;
}

/* ---- two cores ----------------------------------------------------------------------------- */

/*
 * Run fn(ctx, part, 0 or 1) on two threads when there are `n` >= `min` items worth it, else
 * both parts on this one. Every use splits its work so that the result does not depend on
 * whether the parts ran at the same time.
 */
struct par_job {
    void (*fn)(void *ctx, int part);
    void *ctx;
    int part;
};

static void *par_main(void *arg)
{
    struct par_job *j = arg;
    j->fn(j->ctx, j->part);
    return NULL;
}

static void par2(void (*fn)(void *ctx, int part), void *ctx, size_t n, size_t min)
{
    struct par_job second = {fn, ctx, 1};
    pthread_t th;
    bool threaded = n >= min && pthread_create(&th, NULL, par_main, &second) == 0;
    fn(ctx, 0);
    if (threaded)
        pthread_join(th, NULL);
    else
        fn(ctx, 1);
}

/* [lo, hi) of part 0 or 1 of n items */
static void par_range(size_t n, int part, size_t *lo, size_t *hi)
{
    *lo = part ? n / 2 : 0;
    *hi = part ? n : n / 2;
}

/* ---- the register's IDs: a hash map, with the rare duplicated IDs in a sorted side index -- */

#define POP_DUP UINT32_MAX

/* Two halves by one bit of the key's hash, each built by a core of its own. */
struct pop_ids {
    struct u64map map[2];    /* key -> register index, or POP_DUP */
    struct id_index dups[2]; /* every (key, index) of a duplicated key */
    const struct lk_rec *pop;
    size_t npop;
};

static int pop_ids_half(uint64_t key)
{
    return (int)(mix64(key ^ 0x5bd1e995u) >> 63);
}

static void pop_ids_build_half(void *arg, int half)
{
    struct pop_ids *pi = arg;
    const struct lk_rec *pop = pi->pop;
    struct u64map *m = &pi->map[half];
    struct id_index *dups = &pi->dups[half];
    for (size_t i = 0; i < pi->npop; i++) {
        if (!pop[i].key || pop_ids_half(pop[i].key) != half)
            continue;
        uint32_t *v = u64map_slot(m, pop[i].key, (uint32_t)i);
        if (*v != (uint32_t)i && *v != POP_DUP) {
            id_index_add(dups, pop[i].key, *v);
            *v = POP_DUP;
        }
        if (*v == POP_DUP)
            id_index_add(dups, pop[i].key, (uint32_t)i);
    }
    id_index_sort(dups);
}

static void pop_ids_build(struct pop_ids *pi, const struct lk_rec *pop, size_t npop,
                          size_t parallel_min)
{
    memset(pi, 0, sizeof(*pi));
    pi->pop = pop;
    pi->npop = npop;
    par2(pop_ids_build_half, pi, npop, parallel_min);
}

/* The register children with `key`: their count, and the indexes in out[0..max). */
static size_t pop_ids_find(const struct pop_ids *pi, uint64_t key, uint32_t *out, size_t max)
{
    if (!key)
        return 0;
    int half = pop_ids_half(key);
    const uint32_t *v = u64map_find(&pi->map[half], key);
    if (!v)
        return 0;
    if (*v != POP_DUP) {
        out[0] = *v;
        return 1;
    }
    size_t first, n = id_index_find(&pi->dups[half], key, &first);
    for (size_t k = 0; k < n && k < max; k++)
        out[k] = pi->dups[half].v[first + k].idx;
    return n < max ? n : max;
}

static void pop_ids_release(struct pop_ids *pi)
{
    for (int h = 0; h < 2; h++) {
        u64map_release(&pi->map[h]);
        id_index_release(&pi->dups[h]);
    }
}

/* ---- blocking keys ------------------------------------------------------------------------ */

/* The pinyin of the surname (its first character, folded), 0 when none: equal for 张/張 and
 * for the homophones a clerk types by ear (章/张 are not: different syllables). */
static uint32_t surname_key(const char *name)
{
    unsigned cp;
    size_t len = strlen(name);
    if (!len || !utf8_decode(name, len, &cp))
        return 0;
    uint32_t f = hanzi_fold(cp);
    uint16_t py = hanzi_surname_pinyin(f);
    return py ? 0x100000u | py : f; /* no reading (Latin, rare): the character itself */
}

/* Hashes of the folded name and of its toneless pinyin, without dots and spaces. */
static void name_hashes(const char *name, uint64_t *folded, uint64_t *pinyin)
{
    uint64_t h = 1469598103934665603ull, hp = 1469598103934665603ull;
    size_t len = strlen(name), i = 0;
    bool first = true;
    while (i < len) {
        unsigned cp;
        i += utf8_decode(name + i, len - i, &cp);
        if (cp == ' ' || cp == 0xB7 || cp == 0x3000)
            continue;
        uint32_t f = hanzi_fold(cp);
        uint16_t py = first ? hanzi_surname_pinyin(f) : hanzi_pinyin(f);
        first = false;
        h = (h ^ f) * 1099511628211ull;
        hp = (hp ^ (py ? py : 0x200000u + f)) * 1099511628211ull;
    }
    *folded = h;
    *pinyin = hp;
}

/*
 * Blocks a record is compared within: birth date + sex + surname (pinyin), folded name + birth
 * year (a wrong birth date), pinyin name + birth year (a homophone and a wrong birth date).
 * Birth date + sex alone would put hundreds of children in one block at province scale. A
 * school record without a sex looks in both sexes' blocks.
 */
enum { BLOCK_KEYS = 4 };

static int block_keys(const struct lk_rec *r, bool any_sex, uint64_t out[BLOCK_KEYS])
{
    int n = 0;
    if (!r->name[0])
        return 0;
    uint32_t s = surname_key(r->name);
    if (r->birth && s) {
        uint64_t base = (1ull << 62) | ((uint64_t)r->birth << 23) | (s & 0x1FFFFF);
        if (r->sex || !any_sex) {
            out[n++] = base | ((uint64_t)r->sex << 21);
        } else {
            out[n++] = base | (1ull << 21);
            out[n++] = base | (2ull << 21);
        }
    }
    uint64_t hf, hp;
    name_hashes(r->name, &hf, &hp);
    uint64_t year = (uint64_t)(r->birth / 10000);
    out[n++] = (2ull << 62) | (year << 44) | (hf & ((1ull << 44) - 1));
    out[n++] = (3ull << 62) | (year << 44) | (hp & ((1ull << 44) - 1));
    return n;
}

/* ---- model estimation --------------------------------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
    *s += 0x9E3779B97F4A7C15ull;
    return mix64(*s);
}

#define M_SAMPLE 20000
#define U_SAMPLE 100000

static void estimate_model(const struct lk_rec *pop, size_t npop, const struct lk_rec *oth,
                           size_t noth, const int32_t *exact, const struct lk_params *params,
                           struct lk_model *model)
{
    long mc[LK__FIELDS][LK_MAX_LEVELS] = {{0}}, uc[LK__FIELDS][LK_MAX_LEVELS] = {{0}};
    long mn = 0, un = 0;
    struct name_info a, b;
    struct lk_pair pr;
    struct lk_model flat = {0}; /* zero weights: only the levels are wanted here */

    /* m: pairs linked by an exact, valid ID are true matches; sample them evenly. */
    size_t nexact = 0;
    for (size_t i = 0; i < noth; i++)
        nexact += exact[i] >= 0;
    size_t step = nexact > M_SAMPLE ? nexact / M_SAMPLE : 1, seen = 0;
    long id_exact = 0, id_badcheck = 0, id_missing = 0;
    for (size_t i = 0; i < noth; i++) {
        if (oth[i].id_state == LK_ID_NONE)
            id_missing++;
        else if (oth[i].id_state == LK_ID_BAD_CHECK)
            id_badcheck++;
        if (exact[i] < 0)
            continue;
        id_exact++;
        if (seen++ % step)
            continue;
        const struct lk_rec *p = &pop[exact[i]];
        name_info_make(&a, p->name, strlen(p->name));
        name_info_make(&b, oth[i].name, strlen(oth[i].name));
        linker_compare(&flat, p, &oth[i], &a, &b, 0, &pr);
        for (int f = LK_NAME; f < LK__FIELDS; f++)
            mc[f][pr.level[f]]++;
        mn++;
    }
    /* m for the ID itself: how often a true record carries it exact, mistyped or missing. */
    mc[LK_ID][LKI_EXACT] = id_exact;
    mc[LK_ID][LKI_TYPO] = id_badcheck;
    mc[LK_ID][LKI_MISSING] = id_missing;
    long id_total = id_exact + id_badcheck + id_missing;

    /* u: random pairs are, with overwhelming probability, different children. */
    uint64_t s = params->seed;
    size_t want = npop && noth ? U_SAMPLE : 0;
    for (size_t k = 0; k < want; k++) {
        const struct lk_rec *p = &pop[rng_next(&s) % npop];
        const struct lk_rec *o = &oth[rng_next(&s) % noth];
        name_info_make(&a, p->name, strlen(p->name));
        name_info_make(&b, o->name, strlen(o->name));
        linker_compare(&flat, p, o, &a, &b, 0, &pr);
        for (int f = 0; f < LK__FIELDS; f++)
            uc[f][pr.level[f]]++;
        un++;
    }

    memset(model, 0, sizeof(*model));
    model->m_pairs = mn;
    model->u_pairs = un;
    for (int f = 0; f < LK__FIELDS; f++) {
        int L = fields[f].levels, missing = L - 1;
        long mtot = f == LK_ID ? id_total : mn, utot = un;
        for (int l = 0; l < L; l++) {
            /* Laplace smoothing keeps unseen levels finite. */
            model->m[f][l] = (mc[f][l] + 0.5) / (mtot + 0.5 * L);
            model->u[f][l] = (uc[f][l] + 0.5) / (utot + 0.5 * L);
            model->w[f][l] = l == missing ? 0.0 : log2(model->m[f][l] / model->u[f][l]);
        }
    }
}

/* ---- the run ------------------------------------------------------------------------------ */

struct cand {
    uint32_t other, pop;
};

static int cmp_cand(const void *x, const void *y)
{
    const struct cand *a = x, *b = y;
    if (a->other != b->other)
        return a->other < b->other ? -1 : 1;
    return a->pop < b->pop ? -1 : a->pop > b->pop;
}

static void add_pair(struct lk_result *res, const struct lk_pair *p)
{
    ALLOC_GROW(res->pairs, res->npairs + 1, res->pairs_alloc);
    res->pairs[res->npairs++] = *p;
}

static void link_other(struct lk_result *res, uint32_t other, int32_t pop, enum lk_method m,
                       double score)
{
    res->match[other] = pop;
    res->method[other] = (uint8_t)m;
    res->score[other] = (float)score;
    res->counts[m]++;
}

/* Name counts of the register, for term-frequency weights of exactly agreeing names. */
struct tf {
    struct u64map counts;
    size_t npop;
};

static double tf_u(const struct tf *tf, const char *name)
{
    uint32_t *c = u64map_find(&tf->counts, hash_str(name));
    size_t n = c && *c ? *c : 1;
    return (double)n / (double)(tf->npop ? tf->npop : 1);
}

static void score_pair(const struct lk_model *model, const struct tf *tf, const struct lk_rec *pop,
                       const struct lk_rec *oth, uint32_t pi, uint32_t oi, struct lk_pair *out)
{
    struct name_info a, b;
    name_info_make(&a, pop[pi].name, strlen(pop[pi].name));
    name_info_make(&b, oth[oi].name, strlen(oth[oi].name));
    memset(out, 0, sizeof(*out));
    out->pop = pi;
    out->other = oi;
    linker_compare(model, &pop[pi], &oth[oi], &a, &b, tf_u(tf, pop[pi].name), out);
    out->second = -INFINITY;
}

static bool name_agrees(int level)
{
    return level <= NAME_PINYIN;
}

static int cmp_pair_desc(const void *x, const void *y)
{
    const struct lk_pair *a = x, *b = y;
    int ra = a->reason == LKR_DECIDED_REJECT, rb = b->reason == LKR_DECIDED_REJECT;
    if (ra != rb)
        return ra - rb;
    if (a->total != b->total)
        return a->total > b->total ? -1 : 1;
    return a->pop < b->pop ? -1 : a->pop > b->pop;
}

/* The bands, for the best candidate of one record. */
static void decide_best(const struct lk_params *params, const struct lk_rec *pop,
                        const struct lk_rec *oth, uint32_t oi, bool doubtful_exact,
                        bool record_doubtful, bool name_conflict, struct lk_pair *bp, double second,
                        struct lk_result *res)
{
    bool clear = bp->total - second >= params->margin;
    /* Two valid IDs far apart are two different people, whatever else agrees. */
    bool ids_disagree = bp->level[LK_ID] == LKI_DIFFERENT && pop[bp->pop].id_state == LK_ID_VALID &&
                        oth[oi].id_state == LK_ID_VALID;
    bool name_ok = name_agrees(bp->level[LK_NAME]);
    bool acceptable = !name_conflict && bp->total >= params->accept && clear && !ids_disagree &&
                      bp->level[LK_BIRTH] != LKB_DIFFERENT && bp->level[LK_SEX] != LKS_DIFFERENT;
    enum lk_method method = LKM_FUZZY;
    enum lk_reason reason = LKR_ACCEPTED;
    if (acceptable && bp->level[LK_ID] == LKI_TYPO) {
        /* a mistyped ID is only trusted when name, birth date and sex all agree */
        acceptable = name_ok && bp->level[LK_BIRTH] != LKB_DIFFERENT &&
                     bp->level[LK_BIRTH] != LKB_CLOSE && bp->level[LK_SEX] != LKS_DIFFERENT;
        method = LKM_ID_TYPO;
        reason = LKR_TYPO_ACCEPTED;
    } else if (acceptable && doubtful_exact) {
        /* exact ID, the name a typo away and nobody in the block fits better: keep it */
        acceptable = bp->level[LK_NAME] < NAME_DIFFERENT;
        method = LKM_ID_EXACT;
        reason = LKR_EXACT_KEPT;
    } else if (acceptable && bp->level[LK_ID] == LKI_EXACT) {
        method = LKM_ID_EXACT; /* the register lists this ID twice; the name decided */
        reason = LKR_EXACT_KEPT;
    }
    if (acceptable) {
        bp->decision = LKD_ACCEPT;
        bp->reason = (uint8_t)reason;
        link_other(res, oi, (int32_t)bp->pop, method, bp->total);
        return;
    }
    if (bp->total >= params->review || record_doubtful) {
        bp->decision = LKD_REVIEW;
        bp->reason = ids_disagree      ? LKR_IDS_DISAGREE
                     : record_doubtful ? LKR_EXACT_NAME_CONFLICT
                     : !clear          ? LKR_CLOSE_SECOND
                                       : LKR_BELOW_ACCEPT;
        res->review++;
        return;
    }
    bp->decision = LKD_REJECT;
    bp->reason = LKR_BELOW_REVIEW;
}

/* One share of the scoring: a range of the candidate array that holds whole records. */
struct score_job {
    const struct lk_rec *pop, *oth;
    const struct lk_params *params;
    lk_decided_fn decided;
    void *decided_ctx;
    const struct tf *tf;
    const struct cand *cands;
    size_t begin, end;
    const uint8_t *pending;
    const int32_t *exact;
    struct lk_result res; /* shares match/method/score with the caller; own pairs and counts */
};

static void *score_range(void *arg)
{
    struct score_job *j = arg;
    const struct lk_rec *pop = j->pop, *oth = j->oth;
    const struct lk_params *params = j->params;
    lk_decided_fn decided = j->decided;
    void *decided_ctx = j->decided_ctx;
    const struct cand *cands = j->cands;
    const uint8_t *pending = j->pending;
    const int32_t *exact = j->exact;
    struct lk_result *res = &j->res;
    const struct tf *tfp = j->tf;
    struct lk_pair *scored = NULL;
    size_t scored_alloc = 0;
    for (size_t c = j->begin; c < j->end;) {
        uint32_t oi = cands[c].other;
        size_t ns = 0;
        int clerk_accept = -1; /* index of a pair a clerk accepted */
        for (; c < j->end && cands[c].other == oi; c++) {
            if (ns && scored[ns - 1].pop == cands[c].pop)
                continue; /* found by two routes */
            ALLOC_GROW(scored, ns + 1, scored_alloc);
            score_pair(&res->model, tfp, pop, oth, cands[c].pop, oi, &scored[ns]);
            int d = decided ? decided(decided_ctx, cands[c].pop, oi) : 0;
            if (d > 0 && clerk_accept < 0) {
                clerk_accept = (int)ns;
            } else if (d < 0) {
                /* a clerk said no: the pair stays on record but competes no more */
                scored[ns].decision = LKD_REJECT;
                scored[ns].reason = LKR_DECIDED_REJECT;
            }
            ns++;
        }
        /* Rank: clerk-rejected pairs last, then by total, best first. */
        qsort(scored, ns, sizeof(*scored), cmp_pair_desc);
        if (clerk_accept >= 0) {
            for (size_t k = 0; k < ns; k++)
                if (scored[k].reason != LKR_DECIDED_REJECT && decided &&
                    decided(decided_ctx, scored[k].pop, oi) > 0) {
                    struct lk_pair t = scored[0];
                    scored[0] = scored[k];
                    scored[k] = t;
                    break;
                }
        }
        struct lk_pair *bp = &scored[0];
        double second =
            ns > 1 && scored[1].reason != LKR_DECIDED_REJECT ? scored[1].total : -INFINITY;
        bp->second = second;
        if (clerk_accept >= 0) {
            bp->decision = LKD_ACCEPT;
            bp->reason = LKR_DECIDED_ACCEPT;
            link_other(res, oi, (int32_t)bp->pop, LKM_REVIEWED, bp->total);
        } else if (bp->reason != LKR_DECIDED_REJECT) {
            /* An exact ID whose name disagrees is only kept when no other child in the block
             * carries a name closer to the record's (a twin's ID on the other twin's record). */
            bool conflict = false;
            if (pending[oi] == 2) {
                int exact_level = NAME_MISSING;
                for (size_t k = 0; k < ns; k++)
                    if ((int32_t)scored[k].pop == exact[oi])
                        exact_level = scored[k].level[LK_NAME];
                for (size_t k = 0; k < ns && !conflict; k++)
                    conflict = (int32_t)scored[k].pop != exact[oi] &&
                               scored[k].level[LK_NAME] < exact_level &&
                               scored[k].reason != LKR_DECIDED_REJECT;
            }
            decide_best(params, pop, oth, oi, pending[oi] == 2 && (int32_t)bp->pop == exact[oi],
                        pending[oi] == 2, conflict, bp, second, res);
        }
        /* The rest: taken by the best, or close enough to keep the record in review. */
        for (size_t k = 1; k < ns; k++) {
            struct lk_pair *q = &scored[k];
            q->second = bp->total;
            if (q->reason == LKR_DECIDED_REJECT)
                continue;
            if (bp->decision == LKD_REVIEW && q->total >= params->review &&
                bp->total - q->total < params->margin) {
                q->decision = LKD_REVIEW;
                q->reason = LKR_CLOSE_SECOND;
            } else {
                q->decision = LKD_REJECT;
                q->reason = bp->decision == LKD_ACCEPT ? LKR_TAKEN : LKR_BELOW_REVIEW;
            }
        }
        /* Keep the best and the runner-up it was measured against (for explanation), and
         * every pair in review. */
        for (size_t k = 0; k < ns; k++)
            if (k < 2 || scored[k].decision == LKD_REVIEW)
                add_pair(res, &scored[k]);
    }
    free(scored);
    return NULL;
}

/* Stage 0 over part of the school records: the register child with the same ID, and whether
 * the names agree enough to take it (pending 0) or not (2); no such child: pending 1. */
struct exact_job {
    const struct lk_rec *pop, *oth;
    size_t noth;
    const struct pop_ids *ix;
    int32_t *exact;
    uint8_t *pending;
};

static void exact_part(void *arg, int part)
{
    struct exact_job *j = arg;
    struct name_info a, b;
    uint32_t found[2];
    size_t lo, hi;
    par_range(j->noth, part, &lo, &hi);
    for (size_t i = lo; i < hi; i++) {
        j->exact[i] = -1;
        size_t n = pop_ids_find(j->ix, j->oth[i].key, found, 2);
        if (n == 1) {
            j->exact[i] = (int32_t)found[0];
            const char *pn = j->pop[found[0]].name, *on = j->oth[i].name;
            bool agree = !strcmp(pn, on) || !*pn || !*on;
            if (!agree) {
                name_info_make(&a, pn, strlen(pn));
                name_info_make(&b, on, strlen(on));
                agree = !a.n || !b.n || name_agrees(name_compare(&a, &b));
            }
            j->pending[i] = agree ? 0 : 2;
        } else {
            /* no child with this ID, or the register lists the ID twice: decide by the rest */
            j->pending[i] = 1;
        }
    }
}

/* The register's side of the blocks, over part of the register: the (block, child) pairs of
 * the blocks pending records want, and each child's name hash for the term frequencies. */
struct block_job {
    const struct lk_rec *pop;
    size_t npop;
    const struct u64map *want;
    uint64_t *name_hash;
    struct cand *bm[2];
    size_t nbm[2];
};

static void block_part(void *arg, int part)
{
    struct block_job *j = arg;
    size_t lo, hi, alloc = 0;
    par_range(j->npop, part, &lo, &hi);
    struct cand *bm = NULL;
    size_t nbm = 0;
    for (size_t i = lo; i < hi; i++) {
        uint64_t k[BLOCK_KEYS];
        int nk = block_keys(&j->pop[i], false, k);
        for (int b = 0; b < nk; b++) {
            uint32_t *blk = u64map_find(j->want, k[b]);
            if (blk) {
                ALLOC_GROW(bm, nbm + 1, alloc);
                bm[nbm++] = (struct cand){*blk, (uint32_t)i};
            }
        }
        j->name_hash[i] = hash_str(j->pop[i].name);
    }
    j->bm[part] = bm;
    j->nbm[part] = nbm;
}

/* Term frequencies over part of the register: how many children carry each wanted name. */
struct tf_job {
    const struct u64map *names;
    const uint64_t *name_hash;
    size_t npop;
    uint32_t *count[2]; /* per slot of names */
};

static void tf_part(void *arg, int part)
{
    struct tf_job *j = arg;
    size_t lo, hi;
    par_range(j->npop, part, &lo, &hi);
    uint32_t *count = xcalloc(j->names->cap ? j->names->cap : 1, sizeof(*count));
    for (size_t i = lo; i < hi; i++) {
        uint32_t *n = u64map_find(j->names, j->name_hash[i]);
        if (n)
            count[n - j->names->vals]++;
    }
    j->count[part] = count;
}

int linker_run(const struct lk_rec *pop, size_t npop, const struct lk_rec *oth, size_t noth,
               const struct lk_params *params, lk_decided_fn decided, void *decided_ctx,
               struct lk_result *res)
{
    memset(res, 0, sizeof(*res));
    res->match = xmalloc((noth ? noth : 1) * sizeof(*res->match));
    res->method = xcalloc(noth ? noth : 1, sizeof(*res->method));
    res->score = xcalloc(noth ? noth : 1, sizeof(*res->score));
    for (size_t i = 0; i < noth; i++)
        res->match[i] = -1;

    /* Stage 0: exact IDs. `exact` holds the sole register child with the record's ID. */
    struct pop_ids ix;
    pop_ids_build(&ix, pop, npop, params->parallel_min);
    struct exact_job ej = {pop,
                           oth,
                           noth,
                           &ix,
                           xmalloc((noth ? noth : 1) * sizeof(int32_t)),
                           xcalloc(noth ? noth : 1, 1)};
    int32_t *exact = ej.exact;
    uint8_t *pending = ej.pending; /* 1: unlinked, 2: exact but doubtful */
    par2(exact_part, &ej, noth, params->parallel_min);
    for (size_t i = 0; i < noth; i++)
        if (exact[i] >= 0 && !pending[i])
            link_other(res, (uint32_t)i, exact[i], LKM_ID_EXACT, 0);
    enum { MAX_SAME_ID = 16 };
    uint32_t found[MAX_SAME_ID];

    estimate_model(pop, npop, oth, noth, exact, params, &res->model);

    /* Candidates for every pending record: ID neighbours, then blocks. */
    struct cand *cands = NULL;
    size_t ncands = 0, cands_alloc = 0;
    char id[19], alt[19];
    for (size_t i = 0; i < noth; i++) {
        if (!pending[i] || !oth[i].key)
            continue;
        id_unpack(oth[i].key, id);
        /* The check digit catches every single substitution and neighbour swap, so a valid ID
         * has no valid neighbours: only a failed check is worth the search. */
        for (int pos = 0; pos < 18 && oth[i].id_state != LK_ID_VALID; pos++) {
            for (const char *c = "0123456789X"; *c; c++) {
                if (*c == id[pos] || (*c == 'X' && pos != 17))
                    continue;
                memcpy(alt, id, 19);
                alt[pos] = *c;
                if (!id_is_valid(alt))
                    continue;
                size_t n = pop_ids_find(&ix, id_pack(alt), found, MAX_SAME_ID);
                for (size_t k = 0; k < n; k++) {
                    ALLOC_GROW(cands, ncands + 1, cands_alloc);
                    cands[ncands++] = (struct cand){(uint32_t)i, found[k]};
                }
            }
            if (pos < 17 && id[pos] != id[pos + 1]) {
                memcpy(alt, id, 19);
                alt[pos] = id[pos + 1];
                alt[pos + 1] = id[pos];
                if (id_is_valid(alt)) {
                    size_t n = pop_ids_find(&ix, id_pack(alt), found, MAX_SAME_ID);
                    for (size_t k = 0; k < n; k++) {
                        ALLOC_GROW(cands, ncands + 1, cands_alloc);
                        cands[ncands++] = (struct cand){(uint32_t)i, found[k]};
                    }
                }
            }
        }
        /* the register's children with the very same ID (duplicates, or the doubtful one) */
        size_t n = pop_ids_find(&ix, oth[i].key, found, MAX_SAME_ID);
        for (size_t k = 0; k < n; k++) {
            ALLOC_GROW(cands, ncands + 1, cands_alloc);
            cands[ncands++] = (struct cand){(uint32_t)i, found[k]};
        }
    }

    /* Blocks: only the keys pending records need are collected from the register. */
    struct u64map want = {0};
    uint32_t nblocks = 0;
    for (size_t i = 0; i < noth; i++) {
        if (!pending[i])
            continue;
        uint64_t k[BLOCK_KEYS];
        int nk = block_keys(&oth[i], true, k);
        for (int j = 0; j < nk; j++)
            u64map_slot(&want, k[j], nblocks), nblocks = (uint32_t)want.n;
    }
    /* Members of each wanted block, as a CSR array: one pass over the register collects
     * (block, child) pairs, a counting sort groups them. */
    struct block_job bj = {
        pop, npop, &want, xmalloc((npop ? npop : 1) * sizeof(uint64_t)), {NULL, NULL}, {0, 0}};
    par2(block_part, &bj, npop, params->parallel_min);
    uint64_t *name_hash = bj.name_hash;
    size_t nbm = bj.nbm[0] + bj.nbm[1];
    uint32_t *bstart = xcalloc((size_t)nblocks + 1, sizeof(uint32_t));
    for (int t = 0; t < 2; t++)
        for (size_t m = 0; m < bj.nbm[t]; m++)
            bstart[bj.bm[t][m].other + 1]++;
    for (uint32_t bi = 0; bi < nblocks; bi++)
        bstart[bi + 1] += bstart[bi];
    uint32_t *bfill = xmalloc(((size_t)nblocks + 1) * sizeof(uint32_t));
    memcpy(bfill, bstart, ((size_t)nblocks + 1) * sizeof(uint32_t));
    uint32_t *bmember = xmalloc((nbm + 1) * sizeof(uint32_t));
    /* part 0 holds the lower register indexes: members stay in register order */
    for (int t = 0; t < 2; t++) {
        for (size_t m = 0; m < bj.nbm[t]; m++)
            bmember[bfill[bj.bm[t][m].other]++] = bj.bm[t][m].pop;
        free(bj.bm[t]);
    }
    free(bfill);
    /* A block this large says nothing (a very common name across a year): cap the work. */
    enum { BLOCK_CAP = 500 };
    for (size_t i = 0; i < noth; i++) {
        if (!pending[i])
            continue;
        uint64_t k[BLOCK_KEYS];
        int nk = block_keys(&oth[i], true, k);
        /* A record with a valid ID that names nobody can never be accepted for a child with
         * another valid ID (two valid IDs far apart are two people): such pairs are not worth
         * scoring. A doubtful exact ID still meets everyone: the twin must be found. */
        bool valid = oth[i].id_state == LK_ID_VALID && pending[i] == 1;
        for (int j = 0; j < nk; j++) {
            uint32_t blk = *u64map_find(&want, k[j]);
            uint32_t size = bstart[blk + 1] - bstart[blk];
            if (size > BLOCK_CAP)
                continue;
            for (uint32_t m = bstart[blk]; m < bstart[blk + 1]; m++) {
                if (valid && pop[bmember[m]].id_state == LK_ID_VALID)
                    continue;
                ALLOC_GROW(cands, ncands + 1, cands_alloc);
                cands[ncands++] = (struct cand){(uint32_t)i, bmember[m]};
            }
        }
    }
    free(bstart);
    free(bmember);
    u64map_release(&want);
    if (ncands)
        qsort(cands, ncands, sizeof(*cands), cmp_cand);

    /* Term frequencies of the candidates' names, counted over the whole register. */
    struct tf tf = {{0}, npop};
    for (size_t c = 0; c < ncands; c++)
        u64map_slot(&tf.counts, name_hash[cands[c].pop], 0);
    {
        /* each core counts its half of the register into counts of its own, by slot */
        struct tf_job tj = {&tf.counts, name_hash, npop, {NULL, NULL}};
        par2(tf_part, &tj, npop, params->parallel_min);
        for (size_t k = 0; k < tf.counts.cap; k++)
            tf.counts.vals[k] = tj.count[0][k] + tj.count[1][k];
        free(tj.count[0]);
        free(tj.count[1]);
    }
    free(name_hash);

    /*
     * Score and decide, one pending record at a time, on both cores: the candidates are split
     * at a record boundary; each half writes its own records' matches and keeps its own pairs,
     * which are joined in order afterwards, so the result does not depend on the threads.
     */
    struct score_job jobs[2];
    size_t mid = ncands / 2;
    while (mid > 0 && mid < ncands && cands[mid].other == cands[mid - 1].other)
        mid++;
    for (int t = 0; t < 2; t++) {
        jobs[t] =
            (struct score_job){pop,   oth,         params,           decided, decided_ctx, &tf,
                               cands, t ? mid : 0, t ? ncands : mid, pending, exact,       {0}};
        jobs[t].res.match = res->match;
        jobs[t].res.method = res->method;
        jobs[t].res.score = res->score;
        jobs[t].res.model = res->model;
    }
    pthread_t th;
    bool threaded =
        ncands >= params->parallel_min && pthread_create(&th, NULL, score_range, &jobs[1]) == 0;
    score_range(&jobs[0]);
    if (threaded)
        pthread_join(th, NULL);
    else
        score_range(&jobs[1]);
    for (int t = 0; t < 2; t++) {
        for (size_t k = 0; k < jobs[t].res.npairs; k++)
            add_pair(res, &jobs[t].res.pairs[k]);
        free(jobs[t].res.pairs);
        for (int m = 0; m < 5; m++)
            res->counts[m] += jobs[t].res.counts[m];
        res->review += jobs[t].res.review;
    }
    free(cands);
    u64map_release(&tf.counts);
    free(pending);
    free(exact);
    pop_ids_release(&ix);
    return 0;
}

void lk_result_release(struct lk_result *res)
{
    free(res->match);
    free(res->method);
    free(res->score);
    free(res->pairs);
    memset(res, 0, sizeof(*res));
}
