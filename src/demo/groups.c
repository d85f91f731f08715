#include "util/common.h"

#include "core/date.h"
#include "core/idcard.h"
#include "core/schoolyear.h"
#include "demo/groups_internal.h"

/*
 * The demo county's priority-group lists (重点群体), as the departments send them: who is in
 * each list is decided from the world (households, their guardians, each child's true status),
 * then each list's cells are made with the mistakes that department's lists have. Everything
 * draws from its own random streams (6 and up), so the other files stay as they were.
 *
 * Realities modelled (shared/docs/groups-and-warnings.md): children's own IDs in the poverty
 * and welfare lists often missing or mistyped, the household head's ID right; nicknames and
 * homophones; birth dates with year and month only; the 户籍 file carrying the 监护人's ID for
 * some townships' police stations only, so that a household match degrades to the guardian's
 * name there. Overlaps: poverty and 低保 households, 脱贫户 children who are 留守, disabled
 * children in poor households, one child taught at home (送教上门).
 */

/* rates, parts per million */
#define POVERTY_RURAL       80000 /* of households outside the county seat */
#define POVERTY_URBAN       15000
#define POVERTY_HEAD_GRAND  450000 /* parent guardians whose household head is a grandparent */
#define POVERTY_ID_MISSING  150000 /* children's own ID cell empty */
#define POVERTY_ID_MISSING3 300000 /* …of children under six */
#define POVERTY_ID_TYPO     60000
#define POVERTY_NICKNAME    15000
#define POVERTY_HOMOPHONE   20000
#define POVERTY_YEAR_MONTH  100000 /* 出生日期 as year and month */
#define POVERTY_OTHER_REL   30000  /* a child recorded as 其他 */
#define POVERTY_UNREG_EVERY 4000   /* one child in no register per this many register children */
#define WELFARE_OF_POOR     350000 /* poverty households also on 低保 */
#define WELFARE_OTHER       25000
#define WELFARE_TEKUN_GRAND 20000 /* 特困供养: households kept by a grandparent */
#define WELFARE_HEAD_ONLY   80000 /* 低保 households listing the head's ID only */
#define WELFARE_ID_MISSING  100000
#define WELFARE_ID_TYPO     50000
#define ORPHAN_RATE         2500
#define ORPHAN_ID_TYPO      30000
#define ORPHAN_ID_MISSING   10000
#define ADULT_OTHER_COUNTY  80000

static const char *const poverty_header[] = {
    "户编号",     "乡镇", "行政村",   "户主姓名", "户主证件号码", "姓名",    "证件号码",
    "与户主关系", "性别", "出生日期", "民族",     "在校生状况",   "脱贫属性"};
static const char *const welfare_header[] = {"户主姓名",   "户主身份证号", "保障类别",
                                             "成员姓名",   "成员身份证号", "与户主关系",
                                             "月保障金额", "乡镇",         "村"};
static const char *const orphan_header[] = {"姓名",           "身份证号", "类别", "监护人姓名",
                                            "监护人身份证号", "联系电话", "乡镇", "村"};

const char *const demo_group_keys[] = {"poverty",    "welfare",     "orphan",
                                       "disability", "left_behind", "aid"};
const char *const demo_offer_keys[] = {"id",         "id_typo", "household_id", "household_name",
                                       "name_birth", "adult"};
const char *const demo_group_case_keys[] = {"",
                                            "not_in_register",
                                            "nickname",
                                            "homophone",
                                            "head_only",
                                            "partial_birth",
                                            "aid_priority",
                                            "aid_other",
                                            "aid_not_in_school",
                                            "aid_not_in_county"};

static const char *const adult_codes[] = {"140522", "140581", "140502", "410882", "140524"};

bool groups_township_has_guardian_id(int township)
{
    /* the county's police stations: three of every five export the 监护人's ID */
    return township % 5 < 3;
}

/* ---- people ---- */

void groups_adult_id(struct groups_ctx *g, int ymd, int sex, const char *code, char out19[19])
{
    if (!code)
        code = rng_ppm(&g->r, ADULT_OTHER_COUNTY)
                   ? adult_codes[rng_below(&g->r, ARRAY_SIZE(adult_codes))]
                   : g->w->county.code;
    for (;;) {
        uint32_t seq = rng_below(&g->r, 500) * 2 + (sex == 1 ? 1 : 0);
        snprintf(out19, 19, "%s%08d%03u", code, ymd, seq);
        out19[17] = id_check_char(out19);
        out19[18] = '\0';
        uint64_t k = id_pack(out19);
        size_t i = (size_t)(k * 0x9e3779b97f4a7c15ULL >> 20) & g->adult_mask;
        while (g->adult_set[i] && g->adult_set[i] != k)
            i = (i + 1) & g->adult_mask;
        if (!g->adult_set[i]) {
            g->adult_set[i] = k;
            return;
        }
    }
}

int groups_birth_before(struct groups_ctx *g, int ymd, int years_lo, int years_hi)
{
    long span = (long)(years_hi - years_lo) * 365 + 1;
    return days_to_ymd(ymd_to_days(ymd) - (long)years_lo * 365 -
                       (long)rng_below(&g->r, (uint32_t)span));
}

uint64_t groups_phone(struct groups_ctx *g)
{
    static const uint32_t prefixes[] = {135, 138, 139, 150, 152, 158, 183, 187, 130, 132, 133, 189};
    return prefixes[rng_below(&g->r, ARRAY_SIZE(prefixes))] * 100000000ULL +
           rng_below(&g->r, 100000000);
}

void groups_name(struct groups_ctx *g, const char *surname, size_t slen, int sex, struct buf *out)
{
    if (surname && slen)
        buf_add(out, surname, slen);
    else
        names_surname(&g->r, out);
    names_given(&g->r, sex, out);
}

size_t groups_surname(const char *name, size_t len)
{
    if (memmem(name, len, "·", 2) || len < 3)
        return 0;
    return 3;
}

void groups_child_name(struct groups_ctx *g, const struct demo_child *c, uint32_t nick_ppm,
                       uint32_t homophone_ppm, struct buf *out, uint8_t *kase)
{
    const char *name = g->w->text.buf + c->name_off;
    size_t len = c->name_len;
    uint32_t u = rng_below(&g->r, 1000000);
    bool plain = !memmem(name, len, "·", 2);
    if (plain && u < nick_ppm && (len == 6 || len == 9)) {
        /* 小名: 王小明 for 王明, 王轩轩 for 王子轩 */
        buf_add(out, name, 3);
        if (len == 6) {
            buf_adds(out, "小");
            buf_add(out, name + 3, 3);
        } else {
            buf_add(out, name + 6, 3);
            buf_add(out, name + 6, 3);
        }
        *kase = GC_NICKNAME;
        return;
    }
    if (plain && u - nick_ppm < homophone_ppm && u >= nick_ppm) {
        size_t start = out->len;
        if (names_homophone(&g->r, name, len, out)) {
            *kase = GC_HOMOPHONE;
            return;
        }
        buf_setlen(out, start);
    }
    buf_add(out, name, len);
}

bool groups_child_id(struct groups_ctx *g, const struct demo_child *c, uint32_t typo_ppm,
                     uint32_t missing_ppm, struct buf *out, bool *typo)
{
    uint32_t u = rng_below(&g->r, 1000000);
    *typo = false;
    if (u < missing_ppm)
        return false;
    if (u - missing_ppm < typo_ppm) {
        char t[19];
        mess_id_typo(&g->r, c->id, t);
        buf_adds(out, t);
        *typo = true;
        return true;
    }
    buf_add(out, c->id, 18);
    return true;
}

int groups_township(const struct demo_world *w, const struct demo_child *c)
{
    return w->county.villages[w->households[c->household].village].township;
}

const struct demo_enrol *groups_enrol(const struct demo_world *w, const struct demo_child *c)
{
    return c->enrollment_row > 0 ? &w->enrols[c->enrollment_row - 1] : NULL;
}

enum group_offer groups_household_offer(const struct demo_world *w, const struct demo_child *c,
                                        bool guardian_listed, bool adult_id)
{
    if (!guardian_listed)
        return OFFER_NAME_BIRTH;
    if (adult_id && groups_township_has_guardian_id(groups_township(w, c)))
        return OFFER_HOUSEHOLD_ID;
    return OFFER_HOUSEHOLD_NAME;
}

/* ---- sheets ---- */

void sheet_init(struct demo_sheet *s, const char *const *header, size_t ncols, unsigned numeric)
{
    memset(s, 0, sizeof(*s));
    s->header = header;
    s->ncols = ncols;
    s->numeric = numeric;
    buf_init(&s->text, 0);
}

void sheet_row(struct demo_sheet *s, uint32_t child, enum group_offer offer, enum group_case kase,
               unsigned category)
{
    ALLOC_GROW(s->child, s->nrows + 1, s->truth_alloc);
    s->offer = xreallocarray(s->offer, s->truth_alloc, 1);
    s->kase = xreallocarray(s->kase, s->truth_alloc, 1);
    s->category = xreallocarray(s->category, s->truth_alloc, sizeof(*s->category));
    s->child[s->nrows] = child;
    s->offer[s->nrows] = (uint8_t)offer;
    s->kase[s->nrows] = (uint8_t)kase;
    s->category[s->nrows] = (uint16_t)category;
    s->nrows++;
}

void sheet_cell(struct demo_sheet *s, const char *text, size_t len)
{
    ALLOC_GROW(s->cell, s->ncells + 2, s->cells_alloc);
    s->cell[s->ncells++] = (uint32_t)s->text.len;
    buf_add(&s->text, text, len);
}

void sheet_cells(struct demo_sheet *s, const char *text)
{
    sheet_cell(s, text, strlen(text));
}

void sheet_cell_uint(struct demo_sheet *s, uint64_t v)
{
    char t[24];
    snprintf(t, sizeof(t), "%llu", (unsigned long long)v);
    sheet_cells(s, t);
}

void sheet_cell_date(struct demo_sheet *s, int ymd)
{
    char t[16];
    snprintf(t, sizeof(t), "%04d-%02d-%02d", ymd_year(ymd), ymd_month(ymd), ymd_day(ymd));
    sheet_cells(s, t);
}

void sheet_finish(struct demo_sheet *s)
{
    if (s->ncells != s->nrows * s->ncols || s->text.len >= UINT32_MAX)
        die("演示县：名单单元格数目不符");
    ALLOC_GROW(s->cell, s->ncells + 1, s->cells_alloc);
    s->cell[s->ncells] = (uint32_t)s->text.len;
}

/* ---- 防返贫监测 / 脱贫户: one row per household member ---- */

const char *const groups_poverty_categories[] = {"脱贫户", "脱贫不稳定户", "边缘易致贫户",
                                                 "突发严重困难户"};
static const uint32_t poverty_cum[] = {700000, 820000, 940000, 1000000};

static const char *const primary_grades[] = {"",           "小学一年级", "小学二年级", "小学三年级",
                                             "小学四年级", "小学五年级", "小学六年级", "七年级",
                                             "八年级",     "九年级"};

/* 在校生状况 as the village's poverty cadre last recorded it. */
static const char *school_state(struct groups_ctx *g, const struct demo_child *c)
{
    const struct demo_world *w = g->w;
    const struct demo_enrol *e = groups_enrol(w, c);
    int grade = expected_grade(&w->cal, c->age);
    grade = grade < 1 ? 1 : grade > 9 ? 9 : grade;
    switch (c->status) {
    case ST_ENROLLED:
        return primary_grades[e ? e->grade : grade];
    case ST_ELSEWHERE:
        return primary_grades[grade];
    case ST_YOUNG:
        return "学前教育";
    case ST_DROPPED:
        /* often still the grade the child left */
        return rng_below(&g->r, 2) ? "辍学" : primary_grades[e ? e->grade : grade];
    case ST_BEYOND:
        return rng_below(&g->r, 2) ? "非在校生" : "普通高中一年级";
    case ST_NOT_ENROLLED:
        return "非在校生";
    default:
        return primary_grades[grade];
    }
}

struct adult_row {
    const char *name;
    size_t len;
    const char *id; /* 18 characters */
    const char *rel;
    int sex, birth_ymd;
};

static void poverty_common(struct demo_sheet *s, const char *house_no, const char *town,
                           const char *village, const struct adult_row *head)
{
    sheet_cells(s, house_no);
    sheet_cells(s, town);
    sheet_cells(s, village);
    sheet_cell(s, head->name, head->len);
    sheet_cell(s, head->id, 18);
}

static void poverty_adult(struct demo_sheet *s, const char *house_no, const char *town,
                          const char *village, const struct adult_row *head,
                          const struct adult_row *a, unsigned cat)
{
    sheet_row(s, UINT32_MAX, OFFER_ADULT, GC_NONE, cat);
    poverty_common(s, house_no, town, village, head);
    sheet_cell(s, a->name, a->len);
    sheet_cell(s, a->id, 18);
    sheet_cells(s, a->rel);
    sheet_cells(s, a->sex == 1 ? "男" : "女");
    sheet_cell_date(s, a->birth_ymd);
    sheet_cells(s, "汉族");
    sheet_cells(s, "非在校生");
    sheet_cells(s, groups_poverty_categories[cat]);
}

/* A child of the register (ci its index), or the child no register here has (ci UINT32_MAX,
 * named `own`). */
static void poverty_child(struct groups_ctx *g, struct demo_sheet *s, const char *house_no,
                          const char *town, const char *village, const struct adult_row *head,
                          const struct demo_child *c, uint32_t ci, const char *own, const char *rel,
                          unsigned cat)
{
    struct demo_world *w = g->w;
    struct buf *name = &g->a, *id = &g->b;
    uint8_t kase = GC_NONE;
    bool typo = false, has_id;
    buf_reset(name);
    buf_reset(id);
    uint32_t missing = c->age < 6 ? POVERTY_ID_MISSING3 : POVERTY_ID_MISSING;
    has_id = groups_child_id(g, c, POVERTY_ID_TYPO, missing, id, &typo);
    if (own)
        buf_adds(name, own);
    else
        groups_child_name(g, c, POVERTY_NICKNAME, POVERTY_HOMOPHONE, name, &kase);
    bool partial = rng_ppm(&g->r, POVERTY_YEAR_MONTH);
    if (partial && kase == GC_NONE)
        kase = GC_PARTIAL_BIRTH;
    enum group_offer offer = !has_id ? groups_household_offer(w, c, true, true)
                             : typo  ? OFFER_ID_TYPO
                                     : OFFER_ID;
    sheet_row(s, ci, offer, own ? GC_NOT_IN_REGISTER : (enum group_case)kase, cat);
    poverty_common(s, house_no, town, village, head);
    sheet_cell(s, name->buf, name->len);
    sheet_cell(s, id->buf, id->len);
    sheet_cells(s, rng_ppm(&g->r, POVERTY_OTHER_REL) ? "其他" : rel);
    sheet_cells(s, c->sex == 1 ? "男" : "女");
    if (partial) {
        char t[16];
        snprintf(t, sizeof(t), "%04d-%02d", ymd_year(c->birth_ymd), ymd_month(c->birth_ymd));
        sheet_cells(s, t);
    } else {
        sheet_cell_date(s, c->birth_ymd);
    }
    sheet_cells(s, demo_nations[c->nation]);
    sheet_cells(s, own ? primary_grades[1 + rng_below(&g->r, 6)] : school_state(g, c));
    sheet_cells(s, groups_poverty_categories[cat]);
}

/* The guardian of household h as an adult row (relation to the head filled by the caller). */
static void guardian_row(struct groups_ctx *g, size_t h, struct adult_row *a)
{
    const struct demo_household *hh = &g->w->households[h];
    a->name = g->w->text.buf + hh->guardian_off;
    a->len = hh->guardian_len;
    a->id = g->w->guardian_ids[h];
    a->sex =
        hh->guardian_kind == GUARDIAN_FATHER || hh->guardian_kind == GUARDIAN_GRANDFATHER ? 1 : 2;
    a->birth_ymd = (int)strtol((char[9]){a->id[6], a->id[7], a->id[8], a->id[9], a->id[10],
                                         a->id[11], a->id[12], a->id[13], 0},
                               NULL, 10);
}

static bool is_grand(const struct demo_household *hh)
{
    return hh->guardian_kind == GUARDIAN_GRANDFATHER || hh->guardian_kind == GUARDIAN_GRANDMOTHER;
}

static void poverty_household(struct groups_ctx *g, struct demo_sheet *s, size_t h, unsigned cat,
                              uint32_t serial, bool unregistered)
{
    struct demo_world *w = g->w;
    const struct demo_household *hh = &w->households[h];
    const struct demo_village *v = &w->county.villages[hh->village];
    const char *town = w->county.townships[v->township].name;
    const struct demo_child *first = &w->children[g->first_child[h]];
    const char *cname = w->text.buf + first->name_off;
    size_t slen = groups_surname(cname, first->name_len);
    char house_no[32], head_id[19], spouse_id[19];
    struct adult_row guardian, head, spouse;
    struct buf *hn = &g->c;
    snprintf(house_no, sizeof(house_no), "%s%03d%04u", w->county.townships[v->township].code,
             hh->village % 1000, serial % 10000);
    guardian_row(g, h, &guardian);
    bool grand_head = is_grand(hh) || rng_ppm(&g->r, POVERTY_HEAD_GRAND);
    bool maternal = false;
    const char *child_rel[2] = {"之子", "之女"};
    buf_reset(hn);
    if (is_grand(hh) || !grand_head) {
        head = guardian;
        head.rel = "户主";
        if (is_grand(hh)) {
            child_rel[0] = "之孙子";
            child_rel[1] = "之孙女";
        }
        /* the spouse: the other parent, or the other grandparent */
        spouse.sex = 3 - head.sex;
        spouse.birth_ymd = groups_birth_before(g, head.birth_ymd, -3, 3);
        groups_name(g, spouse.sex == 1 ? cname : NULL, spouse.sex == 1 ? slen : 0, spouse.sex, hn);
    } else {
        /* a grandparent heads the household: the guardian is 之子, 之儿媳 or (maternal) 之女 */
        maternal = hh->guardian_kind == GUARDIAN_MOTHER && rng_below(&g->r, 10) < 3;
        head.sex = 1;
        head.birth_ymd = groups_birth_before(g, guardian.birth_ymd, 22, 32);
        groups_name(g, maternal ? guardian.name : cname, maternal ? 3 : slen, 1, hn);
        guardian.rel = hh->guardian_kind == GUARDIAN_FATHER ? "之子" : maternal ? "之女" : "之儿媳";
        child_rel[0] = maternal ? "之外孙子" : "之孙子";
        child_rel[1] = maternal ? "之外孙女" : "之孙女";
        spouse.sex = 2;
        spouse.birth_ymd = groups_birth_before(g, head.birth_ymd, -3, 3);
        buf_addch(hn, '\0');
        names_surname(&g->r, hn);
        names_given(&g->r, 2, hn);
    }
    /* hn holds the head's name (when a grandparent), NUL, then the spouse's; or the spouse's */
    char *split = memchr(hn->buf, '\0', hn->len);
    if (grand_head && !is_grand(hh)) {
        head.name = hn->buf;
        head.len = (size_t)(split - hn->buf);
        groups_adult_id(g, head.birth_ymd, 1, NULL, head_id);
        head.id = head_id;
        head.rel = "户主";
        spouse.name = split + 1;
        spouse.len = hn->len - head.len - 1;
    } else {
        spouse.name = hn->buf;
        spouse.len = hn->len;
    }
    groups_adult_id(g, spouse.birth_ymd, spouse.sex, NULL, spouse_id);
    spouse.id = spouse_id;
    spouse.rel = "配偶";
    poverty_adult(s, house_no, town, v->name, &head, &head, cat);
    poverty_adult(s, house_no, town, v->name, &head, &spouse, cat);
    if (grand_head && !is_grand(hh))
        poverty_adult(s, house_no, town, v->name, &head, &guardian, cat);
    for (size_t k = 0; k < g->nkids[h]; k++) {
        uint32_t ci = g->first_child[h] + (uint32_t)k;
        const struct demo_child *c = &w->children[ci];
        g->member[ci] |= MEMBER(GL_POVERTY);
        poverty_child(g, s, house_no, town, v->name, &head, c, ci, NULL,
                      child_rel[c->sex == 1 ? 0 : 1], cat);
    }
    if (unregistered) {
        /* a child born elsewhere and never registered here: a finding, not a match */
        struct demo_child x = *first;
        char own[64];
        struct buf nm = BUF_INIT;
        x.age = (uint8_t)(6 + rng_below(&g->r, 9));
        x.sex = (uint8_t)(1 + rng_below(&g->r, 2));
        x.birth_ymd = groups_birth_before(g, w->cutoff_ymd, x.age, x.age);
        /* under a code no register child has (沁阳市): never a register child's ID */
        groups_adult_id(g, x.birth_ymd, x.sex, "410882", x.id);
        groups_name(g, cname, slen, x.sex, &nm);
        snprintf(own, sizeof(own), "%s", nm.buf);
        buf_release(&nm);
        poverty_child(g, s, house_no, town, v->name, &head, &x, UINT32_MAX, own,
                      child_rel[x.sex == 1 ? 0 : 1], cat);
    }
}

/* ---- 低保 / 特困 (民政): one row per member, the head's columns repeated ---- */

const char *const groups_welfare_categories[] = {"城市低保", "农村低保", "特困供养"};
static const unsigned welfare_per_person[] = {700, 480, 900};

static void welfare_row(struct demo_sheet *s, const struct adult_row *head, unsigned cat,
                        const char *name, size_t nlen, const char *id, size_t idlen,
                        const char *rel, unsigned amount, const char *town, const char *village)
{
    sheet_cell(s, head->name, head->len);
    sheet_cell(s, head->id, 18);
    sheet_cells(s, groups_welfare_categories[cat]);
    sheet_cell(s, name, nlen);
    sheet_cell(s, id, idlen);
    sheet_cells(s, rel);
    sheet_cell_uint(s, amount);
    sheet_cells(s, town);
    sheet_cells(s, village);
}

static void welfare_household(struct groups_ctx *g, struct demo_sheet *s, size_t h, unsigned cat,
                              bool head_only)
{
    struct demo_world *w = g->w;
    const struct demo_household *hh = &w->households[h];
    const struct demo_village *v = &w->county.villages[hh->village];
    const char *town = w->county.townships[v->township].name;
    const struct demo_child *first = &w->children[g->first_child[h]];
    const char *cname = w->text.buf + first->name_off;
    size_t slen = groups_surname(cname, first->name_len);
    struct adult_row guardian, head;
    char head_id[19];
    struct buf hn = BUF_INIT;
    guardian_row(g, h, &guardian);
    bool grand_head = !is_grand(hh) && rng_below(&g->r, 5) == 0;
    if (grand_head) {
        head.sex = 1;
        head.birth_ymd = groups_birth_before(g, guardian.birth_ymd, 22, 32);
        groups_name(g, hh->guardian_kind == GUARDIAN_FATHER ? cname : NULL,
                    hh->guardian_kind == GUARDIAN_FATHER ? slen : 0, 1, &hn);
        groups_adult_id(g, head.birth_ymd, 1, NULL, head_id);
        head.name = hn.buf;
        head.len = hn.len;
        head.id = head_id;
    } else {
        head = guardian;
    }
    unsigned persons = 1u + grand_head + g->nkids[h];
    unsigned amount = persons * welfare_per_person[cat];
    sheet_row(s, UINT32_MAX, OFFER_ADULT, head_only ? GC_HEAD_ONLY : GC_NONE, cat);
    welfare_row(s, &head, cat, head.name, head.len, head.id, 18, "本人", amount, town, v->name);
    if (grand_head) {
        sheet_row(s, UINT32_MAX, OFFER_ADULT, head_only ? GC_HEAD_ONLY : GC_NONE, cat);
        welfare_row(s, &head, cat, guardian.name, guardian.len, guardian.id, head_only ? 0 : 18,
                    hh->guardian_kind == GUARDIAN_FATHER ? "子女" : "儿媳", amount, town, v->name);
    }
    for (size_t k = 0; k < g->nkids[h]; k++) {
        uint32_t ci = g->first_child[h] + (uint32_t)k;
        const struct demo_child *c = &w->children[ci];
        uint8_t kase = GC_NONE;
        bool typo = false, has_id = false;
        g->member[ci] |= MEMBER(GL_WELFARE);
        buf_reset(&g->a);
        buf_reset(&g->b);
        if (!head_only)
            has_id = groups_child_id(g, c, WELFARE_ID_TYPO, WELFARE_ID_MISSING, &g->b, &typo);
        groups_child_name(g, c, POVERTY_NICKNAME / 2, POVERTY_HOMOPHONE / 2, &g->a, &kase);
        /* the guardian's ID is on the list when the guardian is the head, or listed with it */
        enum group_offer offer = !has_id
                                     ? groups_household_offer(w, c, true, !grand_head || !head_only)
                                 : typo ? OFFER_ID_TYPO
                                        : OFFER_ID;
        sheet_row(s, ci, offer, head_only ? GC_HEAD_ONLY : (enum group_case)kase, cat);
        welfare_row(s, &head, cat, g->a.buf, g->a.len, g->b.buf, g->b.len,
                    grand_head || is_grand(hh) ? "孙子女" : "子女", amount, town, v->name);
    }
    buf_release(&hn);
}

/* ---- 孤儿 / 事实无人抚养儿童 (民政): one row per child ---- */

const char *const groups_orphan_categories[] = {"集中供养孤儿", "社会散居孤儿", "事实无人抚养儿童"};
static const uint32_t orphan_cum[] = {150000, 500000, 1000000};

static void orphan_row(struct groups_ctx *g, struct demo_sheet *s, uint32_t ci)
{
    struct demo_world *w = g->w;
    const struct demo_child *c = &w->children[ci];
    const struct demo_household *hh = &w->households[c->household];
    const struct demo_village *v = &w->county.villages[hh->village];
    unsigned cat = (unsigned)rng_cum(&g->r, orphan_cum, ARRAY_SIZE(orphan_cum));
    struct buf gname = BUF_INIT;
    char gid[19] = "";
    uint64_t phone;
    bool listed = false;
    uint8_t kase = GC_NONE;
    bool typo = false;
    if (cat == 0) {
        buf_addf(&gname, "%s儿童福利院", w->county.name);
        phone = 3567020000ULL + rng_below(&g->r, 10000);
    } else if (is_grand(hh)) {
        struct adult_row a;
        guardian_row(g, c->household, &a);
        buf_add(&gname, a.name, a.len);
        memcpy(gid, a.id, 19);
        phone = hh->phone;
        listed = true;
    } else {
        const char *cname = w->text.buf + c->name_off;
        int sex = rng_below(&g->r, 2) ? 1 : 2;
        groups_name(g, cname, groups_surname(cname, c->name_len), sex, &gname);
        groups_adult_id(g, groups_birth_before(g, c->birth_ymd, 45, 60), sex, NULL, gid);
        phone = groups_phone(g);
    }
    g->member[ci] |= MEMBER(GL_ORPHAN);
    buf_reset(&g->a);
    buf_reset(&g->b);
    bool has_id = groups_child_id(g, c, ORPHAN_ID_TYPO, ORPHAN_ID_MISSING, &g->b, &typo);
    groups_child_name(g, c, 0, POVERTY_HOMOPHONE / 2, &g->a, &kase);
    enum group_offer offer = !has_id ? groups_household_offer(w, c, listed, true)
                             : typo  ? OFFER_ID_TYPO
                                     : OFFER_ID;
    sheet_row(s, ci, offer, (enum group_case)kase, cat);
    sheet_cell(s, g->a.buf, g->a.len);
    sheet_cell(s, g->b.buf, g->b.len);
    sheet_cells(s, groups_orphan_categories[cat]);
    sheet_cell(s, gname.buf, gname.len);
    sheet_cells(s, gid);
    if (cat == 0) {
        char t[24];
        snprintf(t, sizeof(t), "0356-%07llu", (unsigned long long)(phone % 10000000ULL));
        sheet_cells(s, t);
    } else {
        sheet_cell_uint(s, phone);
    }
    sheet_cells(s, w->county.townships[v->township].name);
    sheet_cells(s, v->name);
    buf_release(&gname);
}

/* ---- the lists together ---- */

static bool in_band(const struct demo_world *w, const struct demo_child *c)
{
    return c->age >= w->cal.min_age && c->age <= w->cal.max_age && c->reg_state == REG_NORMAL;
}

static void guardians(struct groups_ctx *g)
{
    struct demo_world *w = g->w;
    w->guardian_ids = xcalloc(w->nhouseholds + 1, sizeof(*w->guardian_ids));
    for (size_t h = 0; h < w->nhouseholds; h++) {
        const struct demo_household *hh = &w->households[h];
        int eldest = w->children[g->first_child[h]].birth_ymd;
        for (size_t k = 1; k < g->nkids[h]; k++)
            if (w->children[g->first_child[h] + k].birth_ymd < eldest)
                eldest = w->children[g->first_child[h] + k].birth_ymd;
        int sex = hh->guardian_kind == GUARDIAN_FATHER || hh->guardian_kind == GUARDIAN_GRANDFATHER
                      ? 1
                      : 2;
        int birth = is_grand(hh) ? groups_birth_before(g, eldest, 46, 60)
                                 : groups_birth_before(g, eldest, 22, 34);
        groups_adult_id(g, birth, sex, NULL, w->guardian_ids[h]);
    }
}

static void poverty_list(struct groups_ctx *g)
{
    struct demo_world *w = g->w;
    struct demo_sheet *s = &w->sheets[GL_POVERTY];
    size_t npoor = 0;
    sheet_init(s, poverty_header, ARRAY_SIZE(poverty_header), 0);
    for (size_t h = 0; h < w->nhouseholds; h++) {
        int t = w->county.villages[w->households[h].village].township;
        if (rng_ppm(&g->r, t == 0 ? POVERTY_URBAN : POVERTY_RURAL)) {
            g->poverty_house[h] =
                (uint8_t)(1 + rng_cum(&g->r, poverty_cum, ARRAY_SIZE(poverty_cum)));
            npoor++;
        }
    }
    size_t due = w->npop / POVERTY_UNREG_EVERY + 1, rank = 0;
    if (due > npoor)
        due = npoor;
    for (size_t h = 0; h < w->nhouseholds; h++) {
        if (!g->poverty_house[h])
            continue;
        bool unreg = (rank + 1) * due / npoor != rank * due / npoor;
        poverty_household(g, s, h, g->poverty_house[h] - 1u, (uint32_t)(rank + 1), unreg);
        rank++;
    }
}

static void welfare_list(struct groups_ctx *g)
{
    struct demo_world *w = g->w;
    struct demo_sheet *s = &w->sheets[GL_WELFARE];
    bool head_only_done = false;
    sheet_init(s, welfare_header, ARRAY_SIZE(welfare_header), 1u << 6);
    for (size_t h = 0; h < w->nhouseholds; h++) {
        const struct demo_household *hh = &w->households[h];
        int t = w->county.villages[hh->village].township;
        int cat = -1;
        if (is_grand(hh) && rng_ppm(&g->r, WELFARE_TEKUN_GRAND))
            cat = 2;
        else if (rng_ppm(&g->r, g->poverty_house[h] ? WELFARE_OF_POOR : WELFARE_OTHER))
            cat = t == 0 ? 0 : 1;
        if (cat < 0)
            continue;
        bool band = false;
        for (size_t k = 0; k < g->nkids[h]; k++)
            band |= in_band(w, &w->children[g->first_child[h] + k]);
        /* the first 低保 household with a school-age child lists the head's ID only */
        bool head_only =
            cat < 2 && ((band && !head_only_done) || rng_ppm(&g->r, WELFARE_HEAD_ONLY));
        head_only_done |= head_only && band;
        welfare_household(g, s, h, (unsigned)cat, head_only);
    }
}

static void orphan_list(struct groups_ctx *g)
{
    struct demo_world *w = g->w;
    struct demo_sheet *s = &w->sheets[GL_ORPHAN];
    sheet_init(s, orphan_header, ARRAY_SIZE(orphan_header), 0);
    for (size_t i = 0; i < w->npop; i++)
        if (w->children[i].reg_state == REG_NORMAL && rng_ppm(&g->r, ORPHAN_RATE))
            orphan_row(g, s, (uint32_t)i);
}

void groups_build(struct demo_world *w)
{
    struct groups_ctx g;
    memset(&g, 0, sizeof(g));
    g.w = w;
    rng_seed(&g.r, w->opt->seed, 6);
    buf_init(&g.a, 0);
    buf_init(&g.b, 0);
    buf_init(&g.c, 0);
    size_t want = 4 * (w->nhouseholds * 4 + w->npop / 4 + 64), cap = 1024;
    while (cap < want)
        cap *= 2;
    g.adult_set = xcalloc(cap, sizeof(*g.adult_set));
    g.adult_mask = cap - 1;
    g.first_child = xcalloc(w->nhouseholds + 1, sizeof(*g.first_child));
    g.nkids = xcalloc(w->nhouseholds + 1, 1);
    g.member = xcalloc(w->npop + 1, 1);
    g.poverty_house = xcalloc(w->nhouseholds + 1, 1);
    for (size_t i = w->npop; i-- > 0;) {
        uint32_t h = w->children[i].household;
        g.first_child[h] = (uint32_t)i;
        g.nkids[h]++;
    }
    w->sheets = xcalloc(GL__COUNT, sizeof(*w->sheets));
    w->send_teach = UINT32_MAX;
    guardians(&g);
    poverty_list(&g);
    rng_seed(&g.r, w->opt->seed, 7);
    welfare_list(&g);
    orphan_list(&g);
    rng_seed(&g.r, w->opt->seed, 8);
    groups_disability(&g);
    groups_left_behind(&g);
    rng_seed(&g.r, w->opt->seed, 9);
    groups_aid(&g);
    for (int l = 0; l < GL__COUNT; l++)
        sheet_finish(&w->sheets[l]);
    free(g.adult_set);
    free(g.first_child);
    free(g.nkids);
    free(g.member);
    free(g.poverty_house);
    buf_release(&g.a);
    buf_release(&g.b);
    buf_release(&g.c);
}

void groups_release(struct demo_world *w)
{
    for (int l = 0; w->sheets && l < GL__COUNT; l++) {
        struct demo_sheet *s = &w->sheets[l];
        buf_release(&s->text);
        free(s->cell);
        free(s->child);
        free(s->offer);
        free(s->kase);
        free(s->category);
    }
    free(w->sheets);
    free(w->guardian_ids);
    free(w->no_aid);
    w->sheets = NULL;
    w->guardian_ids = NULL;
    w->no_aid = NULL;
}
