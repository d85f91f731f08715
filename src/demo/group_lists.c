#include "util/common.h"

#include "core/date.h"
#include "core/schoolyear.h"
#include "demo/groups_internal.h"

/*
 * The 残联, 留守儿童 and 学生资助 lists of the demo county (groups.c has the others and the
 * rules they share).
 */

#define DISABLED_RATE      8000  /* of register children */
#define DISABLED_POOR      25000 /* …in poverty households */
#define DISABLED_OUT       50000 /* …out of school or suspended (the disability is why) */
#define DISABLED_CARD_TYPO 10000
#define DISABLED_LOWER_X   300000
#define LEFT_RATE          60000 /* rural children under 16 */
#define LEFT_POOR          150000
#define LEFT_ID_TYPO       40000
#define LEFT_ID_MISSING    40000
#define AID_PAID           960000 /* priority pupils in school paid this term */
#define AID_NUTRITION      500000 /* …who also get the 营养改善计划 on this list */
#define AID_OTHER          15000  /* pupils of no list found in need by the school */
#define AID_NOT_IN_SCHOOL  100000 /* priority children out of school still paid */
#define AID_NOT_IN_COUNTY  50000  /* …enrolled elsewhere */
#define AID_ID_MISSING     20000

static const char *const disability_header[] = {"姓名",   "残疾人证号", "残疾类别", "残疾等级",
                                                "监护人", "联系电话",   "住址"};
static const char *const left_header[] = {"姓名",
                                          "身份证号",
                                          "性别",
                                          "出生日期",
                                          "就读学校",
                                          "父亲外出务工地点",
                                          "母亲外出务工地点",
                                          "监护类型",
                                          "受委托监护人姓名",
                                          "受委托监护人身份证号",
                                          "受委托监护人联系电话",
                                          "村（居）委会联系人"};
static const char *const aid_header[] = {"学校",     "全国学籍号", "身份证号", "姓名",
                                         "资助项目", "金额",       "学期",     "发放日期"};

static const char *const disability_kinds[] = {"视力", "听力", "言语", "肢体",
                                               "智力", "精神", "多重"};
static const uint32_t disability_kind_cum[] = {50000,  150000, 250000, 450000,
                                               800000, 900000, 1000000};
static const char *const disability_grades[] = {"一级", "二级", "三级", "四级"};
static const uint32_t disability_grade_cum[] = {200000, 500000, 800000, 1000000};

static bool out_of_school(const struct demo_child *c)
{
    return c->status == ST_NOT_ENROLLED || c->status == ST_DROPPED || c->status == ST_SUSPENDED;
}

/* ---- 残疾人 (残联) ---- */

static void disability_row(struct groups_ctx *g, struct demo_sheet *s, uint32_t ci)
{
    struct demo_world *w = g->w;
    const struct demo_child *c = &w->children[ci];
    const struct demo_household *hh = &w->households[c->household];
    const struct demo_village *v = &w->county.villages[hh->village];
    const struct demo_township *t = &w->county.townships[v->township];
    unsigned kind = (unsigned)rng_cum(&g->r, disability_kind_cum, ARRAY_SIZE(disability_kind_cum));
    unsigned grade =
        (unsigned)rng_cum(&g->r, disability_grade_cum, ARRAY_SIZE(disability_grade_cum));
    char card[24];
    bool typo = rng_ppm(&g->r, DISABLED_CARD_TYPO);
    if (typo)
        mess_id_typo(&g->r, c->id, card);
    else
        memcpy(card, c->id, 19);
    if (card[17] == 'X' && rng_ppm(&g->r, DISABLED_LOWER_X))
        card[17] = 'x';
    card[18] = (char)('1' + kind);
    card[19] = (char)('1' + grade);
    card[20] = '\0';
    g->member[ci] |= MEMBER(GL_DISABILITY);
    /* the category number: kind * 4 + grade */
    sheet_row(s, ci, typo ? OFFER_ID_TYPO : OFFER_ID, GC_NONE, kind * 4 + grade);
    sheet_cell(s, w->text.buf + c->name_off, c->name_len);
    sheet_cells(s, card);
    sheet_cells(s, disability_kinds[kind]);
    sheet_cells(s, disability_grades[grade]);
    buf_reset(&g->a);
    if (rng_below(&g->r, 10))
        buf_add(&g->a, w->text.buf + hh->guardian_off, hh->guardian_len);
    else
        groups_name(g, NULL, 0, 2, &g->a);
    sheet_cell(s, g->a.buf, g->a.len);
    sheet_cell_uint(s, hh->phone);
    buf_reset(&g->a);
    buf_addf(&g->a, "%s%s%s", w->county.fullname, t->name, v->name);
    if (hh->group)
        buf_addf(&g->a, "%u组", (unsigned)hh->group);
    buf_addf(&g->a, "%u号", (unsigned)hh->house_no);
    sheet_cell(s, g->a.buf, g->a.len);
}

void groups_disability(struct groups_ctx *g)
{
    struct demo_world *w = g->w;
    struct demo_sheet *s = &w->sheets[GL_DISABILITY];
    uint32_t fallback = UINT32_MAX;
    sheet_init(s, disability_header, ARRAY_SIZE(disability_header), 0);
    for (size_t i = 0; i < w->npop; i++) {
        const struct demo_child *c = &w->children[i];
        if (c->reg_state != REG_NORMAL)
            continue;
        uint32_t rate = out_of_school(c)                 ? DISABLED_OUT
                        : g->poverty_house[c->household] ? DISABLED_POOR
                                                         : DISABLED_RATE;
        if (!rng_ppm(&g->r, rate))
            continue;
        size_t row = s->nrows;
        disability_row(g, s, (uint32_t)i);
        /* 送教上门: the first severely disabled pupil of the band (the placement is not in
         * these files; the truth names the child) */
        if (c->status == ST_ENROLLED && c->age >= w->cal.min_age && c->age <= w->cal.max_age) {
            if (w->send_teach == UINT32_MAX && s->category[row] % 4 <= 1)
                w->send_teach = (uint32_t)i;
            if (fallback == UINT32_MAX)
                fallback = (uint32_t)i;
        }
    }
    if (w->send_teach == UINT32_MAX)
        w->send_teach = fallback;
}

/* ---- 农村留守儿童 (民政 / 妇联) ---- */

static const char *const left_kinds[] = {"祖辈监护", "亲友监护", "单亲监护", "无人监护"};
static const uint32_t left_kind_cum[] = {700000, 800000, 950000, 1000000};
static const char *const work_places[] = {
    "山西省太原市", "山西省晋城市", "广东省东莞市", "广东省深圳市", "江苏省苏州市",
    "浙江省宁波市", "北京市",       "河南省郑州市", "陕西省西安市", "上海市"};

static void left_row(struct groups_ctx *g, struct demo_sheet *s, uint32_t ci)
{
    struct demo_world *w = g->w;
    const struct demo_child *c = &w->children[ci];
    const struct demo_household *hh = &w->households[c->household];
    unsigned kind = (unsigned)rng_cum(&g->r, left_kind_cum, ARRAY_SIZE(left_kind_cum));
    bool grand =
        hh->guardian_kind == GUARDIAN_GRANDFATHER || hh->guardian_kind == GUARDIAN_GRANDMOTHER;
    bool father_away = kind != 2 || hh->guardian_kind == GUARDIAN_MOTHER;
    bool mother_away = kind != 2 || hh->guardian_kind != GUARDIAN_MOTHER;
    char gid[19] = "";
    uint64_t phone = 0;
    bool listed = false;
    uint8_t kase = GC_NONE;
    bool typo = false;
    struct buf gname = BUF_INIT;
    /* the guardian entrusted with the child: the 户籍's own when a grandparent or the parent at
     * home, else a grandparent or relative */
    if (kind == 3) {
        /* nobody */
    } else if (grand || kind == 2) {
        buf_add(&gname, w->text.buf + hh->guardian_off, hh->guardian_len);
        memcpy(gid, w->guardian_ids[c->household], 19);
        phone = hh->phone;
        listed = true;
    } else {
        const char *cname = w->text.buf + c->name_off;
        int sex = rng_below(&g->r, 2) ? 1 : 2;
        groups_name(g, kind == 0 ? cname : NULL, kind == 0 ? groups_surname(cname, c->name_len) : 0,
                    sex, &gname);
        groups_adult_id(g, groups_birth_before(g, c->birth_ymd, kind == 0 ? 45 : 25, 60), sex, NULL,
                        gid);
        phone = groups_phone(g);
    }
    g->member[ci] |= MEMBER(GL_LEFT_BEHIND);
    buf_reset(&g->a);
    buf_reset(&g->b);
    bool has_id = groups_child_id(g, c, LEFT_ID_TYPO, LEFT_ID_MISSING, &g->b, &typo);
    groups_child_name(g, c, 10000, 10000, &g->a, &kase);
    enum group_offer offer = !has_id ? groups_household_offer(w, c, listed, true)
                             : typo  ? OFFER_ID_TYPO
                                     : OFFER_ID;
    sheet_row(s, ci, offer, (enum group_case)kase, kind);
    sheet_cell(s, g->a.buf, g->a.len);
    sheet_cell(s, g->b.buf, g->b.len);
    sheet_cells(s, c->sex == 1 ? "男" : "女");
    sheet_cell_date(s, c->birth_ymd);
    const struct demo_enrol *e = groups_enrol(w, c);
    if (e && (e->state == EN_ACTIVE || e->state == EN_DROPPED))
        sheet_cells(s, w->county.schools[e->school].name);
    else if (c->status == ST_YOUNG)
        sheet_cells(s, rng_below(&g->r, 2) ? "" : "幼儿园");
    else
        sheet_cells(s, "");
    sheet_cells(s, father_away ? work_places[rng_below(&g->r, ARRAY_SIZE(work_places))] : "");
    sheet_cells(s, mother_away ? work_places[rng_below(&g->r, ARRAY_SIZE(work_places))] : "");
    sheet_cells(s, left_kinds[kind]);
    sheet_cell(s, gname.buf, gname.len);
    sheet_cells(s, gid);
    if (phone)
        sheet_cell_uint(s, phone);
    else
        sheet_cells(s, "");
    buf_reset(&gname);
    groups_name(g, NULL, 0, 1, &gname);
    buf_addf(&gname, " %llu", (unsigned long long)groups_phone(g));
    sheet_cell(s, gname.buf, gname.len);
    buf_release(&gname);
}

void groups_left_behind(struct groups_ctx *g)
{
    struct demo_world *w = g->w;
    struct demo_sheet *s = &w->sheets[GL_LEFT_BEHIND];
    uint32_t poor_candidate = UINT32_MAX;
    bool poor_done = false;
    sheet_init(s, left_header, ARRAY_SIZE(left_header), 0);
    for (size_t i = 0; i < w->npop; i++) {
        const struct demo_child *c = &w->children[i];
        if (c->reg_state != REG_NORMAL || c->age > 15 || groups_township(w, c) == 0 ||
            c->status == ST_ELSEWHERE)
            continue;
        bool poor = g->poverty_house[c->household] != 0;
        if (poor && poor_candidate == UINT32_MAX && c->age >= w->cal.min_age)
            poor_candidate = (uint32_t)i;
        if (rng_ppm(&g->r, poor ? LEFT_POOR : LEFT_RATE)) {
            left_row(g, s, (uint32_t)i);
            poor_done |= poor && c->age >= w->cal.min_age;
        }
    }
    /* a 脱贫户 child who is also 留守, whatever the draws */
    if (!poor_done && poor_candidate != UINT32_MAX)
        left_row(g, s, poor_candidate);
}

/* ---- 学生资助发放 (学生资助中心) ---- */

const char *groups_category_label(enum group_list l, unsigned cat, char tmp[48])
{
    static const char *const items[] = {"家庭经济困难寄宿生生活补助",
                                        "农村义务教育学生营养改善计划"};
    switch (l) {
    case GL_POVERTY:
        return groups_poverty_categories[cat];
    case GL_WELFARE:
        return groups_welfare_categories[cat];
    case GL_ORPHAN:
        return groups_orphan_categories[cat];
    case GL_DISABILITY:
        snprintf(tmp, 48, "%s%s", disability_kinds[cat / 4], disability_grades[cat % 4]);
        return tmp;
    case GL_LEFT_BEHIND:
        return left_kinds[cat];
    default:
        return items[cat];
    }
}

static void aid_row(struct groups_ctx *g, struct demo_sheet *s, uint32_t ci, enum group_case kase,
                    int school, int grade, unsigned item)
{
    struct demo_world *w = g->w;
    const struct demo_child *c = &w->children[ci];
    int y = ymd_year(w->opt->as_of_ymd), m = ymd_month(w->opt->as_of_ymd);
    bool autumn = m >= 9 || m == 1;
    char term[40];
    snprintf(term, sizeof(term), "%d年%s季学期", autumn && m == 1 ? y - 1 : y,
             autumn ? "秋" : "春");
    bool no_id = rng_ppm(&g->r, AID_ID_MISSING);
    sheet_row(s, ci, OFFER_ID, kase, item);
    sheet_cells(s, w->county.schools[school].name);
    buf_reset(&g->a);
    buf_addch(&g->a, 'G');
    buf_add(&g->a, c->id, 18);
    sheet_cell(s, g->a.buf, g->a.len);
    sheet_cell(s, c->id, no_id ? 0 : 18);
    sheet_cell(s, w->text.buf + c->name_off, c->name_len);
    char tmp[48];
    sheet_cells(s, groups_category_label(GL_AID, item, tmp));
    sheet_cell_uint(s, item == 1 ? 400 : grade >= 7 ? 625 : 500);
    sheet_cells(s, term);
    sheet_cell_date(s, days_to_ymd(ymd_to_days(w->opt->as_of_ymd) - 5 - rng_below(&g->r, 40)));
}

static void aid_pupil(struct groups_ctx *g, struct demo_sheet *s, uint32_t ci, enum group_case kase,
                      int school, int grade)
{
    aid_row(g, s, ci, kase, school, grade, 0);
    if (rng_ppm(&g->r, AID_NUTRITION))
        aid_row(g, s, ci, kase, school, grade, 1);
}

void groups_aid(struct groups_ctx *g)
{
    struct demo_world *w = g->w;
    struct demo_sheet *s = &w->sheets[GL_AID];
    const unsigned priority =
        MEMBER(GL_POVERTY) | MEMBER(GL_WELFARE) | MEMBER(GL_ORPHAN) | MEMBER(GL_DISABILITY);
    size_t alloc = 0;
    uint32_t first_out = UINT32_MAX, first_away = UINT32_MAX;
    bool out_done = false, away_done = false;
    sheet_init(s, aid_header, ARRAY_SIZE(aid_header), 1u << 5);
    for (size_t i = 0; i < w->npop; i++) {
        const struct demo_child *c = &w->children[i];
        const struct demo_enrol *e = groups_enrol(w, c);
        bool prio = (g->member[i] & priority) != 0;
        int grade = expected_grade(&w->cal, c->age);
        grade = grade < 1 ? 1 : grade > 9 ? 9 : grade;
        int t = groups_township(w, c);
        if (c->reg_state != REG_NORMAL)
            continue;
        if (c->status == ST_ENROLLED && e && e->state == EN_ACTIVE) {
            if (prio && rng_ppm(&g->r, AID_PAID)) {
                aid_pupil(g, s, (uint32_t)i, GC_AID_PRIORITY, e->school, e->grade);
            } else if (prio) {
                ALLOC_GROW(w->no_aid, w->nno_aid + 1, alloc);
                w->no_aid[w->nno_aid++] = (uint32_t)i;
            } else if (rng_ppm(&g->r, AID_OTHER)) {
                aid_pupil(g, s, (uint32_t)i, GC_AID_OTHER, e->school, e->grade);
            }
        } else if (prio && (c->status == ST_NOT_ENROLLED || c->status == ST_DROPPED)) {
            if (first_out == UINT32_MAX)
                first_out = (uint32_t)i;
            if (rng_ppm(&g->r, AID_NOT_IN_SCHOOL)) {
                aid_pupil(g, s, (uint32_t)i, GC_AID_NOT_IN_SCHOOL,
                          e ? e->school : county_pick_school(&w->county, &g->r, t, grade), grade);
                out_done = true;
            }
        } else if (prio && c->status == ST_ELSEWHERE) {
            if (first_away == UINT32_MAX)
                first_away = (uint32_t)i;
            if (rng_ppm(&g->r, AID_NOT_IN_COUNTY)) {
                aid_pupil(g, s, (uint32_t)i, GC_AID_NOT_IN_COUNTY,
                          county_pick_school(&w->county, &g->r, t, grade), grade);
                away_done = true;
            }
        }
    }
    /* each finding at least once */
    if (!out_done && first_out != UINT32_MAX) {
        const struct demo_child *c = &w->children[first_out];
        const struct demo_enrol *e = groups_enrol(w, c);
        int grade = expected_grade(&w->cal, c->age);
        grade = grade < 1 ? 1 : grade > 9 ? 9 : grade;
        aid_pupil(g, s, first_out, GC_AID_NOT_IN_SCHOOL,
                  e ? e->school
                    : county_pick_school(&w->county, &g->r, groups_township(w, c), grade),
                  grade);
    }
    if (!away_done && first_away != UINT32_MAX) {
        const struct demo_child *c = &w->children[first_away];
        int grade = expected_grade(&w->cal, c->age);
        grade = grade < 1 ? 1 : grade > 9 ? 9 : grade;
        aid_pupil(g, s, first_away, GC_AID_NOT_IN_COUNTY,
                  county_pick_school(&w->county, &g->r, groups_township(w, c), grade), grade);
    }
}
