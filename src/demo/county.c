#include "util/common.h"

#include <assert.h>

#include "core/division.h"
#include "demo/demo_internal.h"

/*
 * The demo county's places: its real townships (from the division table), 8–25 villages each
 * with names built from the syllables of Shanxi place names, and about 40 schools of the kinds
 * a county runs. The layout depends on the county code only, not on the seed, so that demo
 * files of different seeds describe the same county.
 */

static const char village_first[] = "东西南北上下中前后大小高新老石柳杏桃枣槐松龙马牛羊黄红白青"
                                    "沙土铁窑河峪寺庙堡圪南官富安永";
static const char village_second[] = "坪庄沟峪河岭头窑寨底掌湾坡泉园岗洼原堡峰坂村里店营";
static const char village_clan[] = "王李张赵郭郑孔吴贾侯杜常窦宋刘杨田孟苗卫";
static const char *const community_names[] = {"梅杏社区", "沁园社区", "杏园社区", "龙港社区",
                                              "新建社区", "东关社区", "西关社区"};

const struct demo_outside_school demo_outside_schools[] = {
    {"晋城市第一中学校", "山西省晋城市城区", 7, 9},
    {"晋城市实验小学", "山西省晋城市城区", 1, 6},
    {"晋城市凤台小学", "山西省晋城市城区", 1, 6},
    {"晋城市泽州县巴公镇初级中学", "山西省晋城市泽州县", 7, 9},
    {"阳城县第一初级中学", "山西省晋城市阳城县", 7, 9},
    {"高平市实验小学", "山西省晋城市高平市", 1, 6},
    {"太原市第五中学校", "山西省太原市杏花岭区", 7, 9},
    {"太原市小店区第一小学校", "山西省太原市小店区", 1, 6},
    {"长治市第八中学校", "山西省长治市潞州区", 7, 9},
    {"郑州市金水区文化路第一小学", "河南省郑州市金水区", 1, 6},
    {"郑州市第八中学", "河南省郑州市二七区", 7, 9},
    {"北京市朝阳区实验小学", "北京市朝阳区", 1, 6},
    {"东莞市长安镇实验小学", "广东省东莞市", 1, 6},
    {"苏州工业园区星海小学", "江苏省苏州市苏州工业园区", 1, 6},
    {"西安市雁塔区第二小学", "陕西省西安市雁塔区", 1, 6},
    {"济源市第一中学", "河南省济源市", 7, 9},
};
const size_t demo_outside_nschools = ARRAY_SIZE(demo_outside_schools);

static void add_char(struct buf *b, const char *chars, struct demo_rng *r)
{
    size_t n = strlen(chars) / 3;
    buf_add(b, chars + 3 * rng_below(r, (uint32_t)n), 3);
}

static void village_name(struct demo_rng *r, struct buf *b)
{
    buf_reset(b);
    switch (rng_below(r, 10)) {
    case 0:
    case 1:
    case 2: /* 王家庄村 */
        add_char(b, village_clan, r);
        buf_adds(b, "家");
        add_char(b, village_second, r);
        break;
    case 3: /* 东石坪村 */
        add_char(b, village_first, r);
        add_char(b, village_first, r);
        add_char(b, village_second, r);
        break;
    default: /* 东坪村 */
        add_char(b, village_first, r);
        add_char(b, village_second, r);
        break;
    }
    /* "…村村" reads wrong: 东村 stays 东村 */
    if (b->len < 3 || memcmp(b->buf + b->len - 3, "村", 3) != 0)
        buf_adds(b, "村");
}

static int add_school(struct demo_county *c, int *alloc, int township, int kind, int lo, int hi,
                      uint32_t weight, const char *name)
{
    ALLOC_GROW(c->schools, c->nschools + 1, *alloc);
    struct demo_school *s = &c->schools[c->nschools];
    memset(s, 0, sizeof(*s));
    snprintf(s->name, sizeof(s->name), "%s", name);
    /* 学校标识码: 10 digits, province code in digits 2–3 */
    char code[32];
    snprintf(code, sizeof(code), "21%.2s%.3s%03u", c->code, c->code + 2,
             (unsigned)(101 + c->nschools * 17) % 1000u);
    memcpy(s->code, code, 10);
    s->code[10] = '\0';
    s->township = township;
    s->kind = kind;
    s->lo = lo;
    s->hi = hi;
    s->weight = weight;
    return c->nschools++;
}

static void add_candidate(struct demo_township *t, int grade, int school, uint32_t weight)
{
    int n = t->ncand[grade];
    if (n >= DEMO_MAX_CAND || !weight)
        return;
    t->cand[grade][n] = school;
    t->cand_cum[grade][n] = (n ? t->cand_cum[grade][n - 1] : 0) + weight;
    t->ncand[grade] = n + 1;
}

static void build_schools(struct demo_county *c, struct demo_rng *r)
{
    int alloc = 0;
    struct buf name = BUF_INIT;
    int nt = c->ntownships;

    /* the county seat (the first township) has the county's own schools */
    buf_addf(&name, "%s实验小学", c->name);
    add_school(c, &alloc, 0, SK_COUNTY_PRIMARY, 1, 6, 8, name.buf);
    buf_reset(&name);
    buf_addf(&name, "%s第二小学", c->name);
    add_school(c, &alloc, 0, SK_COUNTY_PRIMARY, 1, 6, 6, name.buf);
    buf_reset(&name);
    buf_addf(&name, "%s第一中学", c->name);
    add_school(c, &alloc, 0, SK_COUNTY_MIDDLE, 7, 9, 8, name.buf);
    buf_reset(&name);
    buf_addf(&name, "%s第二中学", c->name);
    add_school(c, &alloc, 0, SK_COUNTY_MIDDLE, 7, 9, 6, name.buf);

    for (int t = 0; t < nt; t++) {
        const struct demo_township *tw = &c->townships[t];
        buf_reset(&name);
        buf_addf(&name, "%s中心小学", tw->name);
        add_school(c, &alloc, t, SK_CENTRAL, 1, 6, 6, name.buf);
    }
    /* the smallest third of the townships run one 九年一贯制 school instead of a junior middle
     * school; the others have a 初级中学 */
    for (int t = 1; t < nt; t++) {
        const struct demo_township *tw = &c->townships[t];
        bool small = tw->weight <= 4;
        buf_reset(&name);
        if (small) {
            buf_addf(&name, "%s九年一贯制学校", tw->name);
            add_school(c, &alloc, t, SK_NINE, 1, 9, 4, name.buf);
        } else {
            buf_addf(&name, "%s初级中学", tw->name);
            add_school(c, &alloc, t, SK_JUNIOR, 7, 9, 6, name.buf);
        }
    }
    /* 完全小学 in big villages and 教学点 in remote ones */
    for (int k = 0; k < 16; k++) {
        int t = 1 + (int)rng_below(r, (uint32_t)(nt > 1 ? nt - 1 : 1));
        if (t >= nt)
            t = 0;
        const struct demo_township *tw = &c->townships[t];
        const struct demo_village *v = &c->villages[tw->first_village + k % tw->nvillages];
        size_t vl = strlen(v->name);
        buf_reset(&name);
        buf_addf(&name, "%s%.*s", tw->name, (int)(vl - 3), v->name); /* 郑庄镇东坪 */
        if (k < 10) {
            buf_adds(&name, "小学");
            add_school(c, &alloc, t, SK_PRIMARY, 1, 6, 3, name.buf);
        } else {
            buf_adds(&name, "教学点");
            add_school(c, &alloc, t, SK_POINT, 1, 3, 1, name.buf);
        }
    }
    buf_release(&name);

    for (int t = 0; t < nt; t++) {
        struct demo_township *tw = &c->townships[t];
        for (int g = 1; g <= 9; g++) {
            for (int s = 0; s < c->nschools; s++) {
                const struct demo_school *sc = &c->schools[s];
                if (g < sc->lo || g > sc->hi)
                    continue;
                if (sc->township == t)
                    add_candidate(tw, g, s, sc->weight);
                else if (sc->kind == SK_COUNTY_MIDDLE)
                    add_candidate(tw, g, s, 2); /* boarding at the county middle schools */
                else if (sc->kind == SK_COUNTY_PRIMARY)
                    add_candidate(tw, g, s, 1); /* families who moved to town */
            }
        }
    }
}

int county_build(struct demo_county *c, const char *code6, struct buf *err)
{
    size_t nt = 0;
    const struct township *tws;
    struct demo_rng r;
    struct buf name = BUF_INIT;
    int valloc = 0;

    memset(c, 0, sizeof(*c));
    c->name = division_county_name(code6);
    tws = division_townships(code6, &nt);
    if (!c->name || !tws || !nt) {
        buf_addf(err, "未知的县级区划代码：%s", code6);
        return -1;
    }
    if (nt > 200)
        nt = 200;
    snprintf(c->code, sizeof(c->code), "%s", code6);
    if (!division_county_fullname(code6, c->fullname, sizeof(c->fullname)))
        snprintf(c->fullname, sizeof(c->fullname), "%s", c->name);

    rng_seed(&r, strtoull(code6, NULL, 10), 0xc0);
    c->ntownships = (int)nt;
    c->townships = xcalloc(nt, sizeof(*c->townships));
    for (size_t t = 0; t < nt; t++) {
        struct demo_township *tw = &c->townships[t];
        memcpy(tw->code, tws[t].code, sizeof(tw->code));
        tw->name = tws[t].name;
        /* the county seat is the biggest; the rest vary threefold */
        tw->weight = t == 0 ? 30 : 3 + rng_below(&r, 8);
        tw->first_village = c->nvillages;
        tw->nvillages = 8 + (int)rng_below(&r, 18);
        for (int v = 0; v < tw->nvillages; v++) {
            ALLOC_GROW(c->villages, c->nvillages + 1, valloc);
            struct demo_village *vi = &c->villages[c->nvillages];
            if (t == 0 && v < (int)ARRAY_SIZE(community_names)) {
                buf_reset(&name);
                buf_adds(&name, community_names[v]);
            } else {
                for (int tries = 0; tries < 50; tries++) {
                    bool dup = false;
                    village_name(&r, &name);
                    for (int k = tw->first_village; k < c->nvillages && !dup; k++)
                        dup = !strcmp(c->villages[k].name, name.buf);
                    if (!dup)
                        break;
                }
            }
            snprintf(vi->name, sizeof(vi->name), "%s", name.buf);
            vi->township = (int)t;
            vi->weight =
                (t == 0 && v < (int)ARRAY_SIZE(community_names)) ? 12 : 2 + rng_below(&r, 7);
            c->nvillages++;
        }
    }
    buf_release(&name);
    build_schools(c, &r);
    return 0;
}

void county_release(struct demo_county *c)
{
    free(c->townships);
    free(c->villages);
    free(c->schools);
    memset(c, 0, sizeof(*c));
}

int county_pick_school(const struct demo_county *c, struct demo_rng *r, int township, int grade)
{
    const struct demo_township *tw = &c->townships[township];
    int n = tw->ncand[grade];
    assert(n > 0);
    return tw->cand[grade][rng_cum(r, tw->cand_cum[grade], (size_t)n)];
}
