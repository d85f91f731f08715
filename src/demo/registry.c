#include "util/common.h"

#include "demo/demo_internal.h"

/*
 * The people registry of the demo county (人员名册), as the bureau's 控辍保学办 keeps it in
 * Excel and saves it as CSV: a title row, the header `people import` reads, one row a person,
 * and the compiler's signature below. Who is in it:
 *   - the bureau: the head of the 控辍保学办 (approves 销号) and one officer;
 *   - every township: a township official (包保干部), the first of its people, so that
 *     verification tasks are assigned to them, and a 教办 (township education office) head;
 *   - about two villages (社区) in three: a village cadre whose unit names the village;
 *   - the central, junior and nine-year schools and the county's own schools: a principal and
 *     one or two teachers (班主任, 结对帮扶教师); village primary schools: a principal.
 * Names and phones come from their own random stream, so the same seed gives the same file.
 */

enum { STREAM_REGISTRY = 104 };

static const char *const phone_prefixes[] = {"134", "135", "136", "137", "138", "139",
                                             "150", "151", "152", "157", "158", "159",
                                             "182", "183", "187", "188", "198"};
static const char *const village_roles[] = {"村党支部书记", "村委会主任", "村委委员（包村）",
                                            "村妇联主席"};
static const char *const teacher_roles[] = {"班主任", "结对帮扶教师"};

struct reg_writer {
    struct sink *out;
    struct demo_rng *r;
    struct buf name, prev_org;
    struct buf used; /* names already given in this unit, "\n"-separated */
    long rows;
};

static void person(struct reg_writer *w, const char *org, const char *kind, const char *role,
                   const char *township)
{
    if (strcmp(w->prev_org.buf, org)) {
        buf_reset(&w->prev_org);
        buf_adds(&w->prev_org, org);
        buf_reset(&w->used);
    }
    /* (name, unit) is unique in the registry: draw again on a clash inside the unit */
    for (;;) {
        buf_reset(&w->name);
        names_surname(w->r, &w->name);
        names_given(w->r, 1 + (int)rng_below(w->r, 2), &w->name);
        buf_addch(&w->name, '\n');
        if (!strstr(w->used.buf, w->name.buf))
            break;
    }
    buf_add(&w->used, w->name.buf, w->name.len);
    buf_setlen(&w->name, w->name.len - 1);
    struct buf *b = &w->out->b;
    buf_add(b, w->name.buf, w->name.len);
    buf_addch(b, ',');
    buf_adds(b, phone_prefixes[rng_below(w->r, ARRAY_SIZE(phone_prefixes))]);
    put_uint_width(b, rng_below(w->r, 100000000), 8);
    buf_addf(b, ",%s,%s,%s,%s\r\n", org, kind, role, township);
    w->rows++;
}

long write_registry(struct demo_world *w, const char *path, struct buf *err)
{
    struct sink s;
    struct demo_rng r;
    rng_seed(&r, w->opt->seed, STREAM_REGISTRY);
    struct reg_writer rw = {.out = &s, .r = &r};
    buf_init(&rw.name, 0);
    buf_init(&rw.prev_org, 0);
    buf_init(&rw.used, 0);
    const struct demo_county *c = &w->county;
    struct buf org = BUF_INIT;
    if (sink_open(&s, path, true) == 0) {
        buf_addf(&s.b, "%s控辍保学责任人名册,,,,,\r\n姓名,联系电话,工作单位,单位类别,职务,乡镇\r\n",
                 c->name);
        buf_addf(&org, "%s教育局", c->name);
        person(&rw, org.buf, "县教育局", "控辍保学办主任", "");
        person(&rw, org.buf, "县教育局", "控辍保学专干", "");
        for (int t = 0; t < c->ntownships; t++) {
            const struct demo_township *tw = &c->townships[t];
            buf_reset(&org);
            buf_addf(&org, "%s人民政府", tw->name);
            person(&rw, org.buf, "乡镇", "包保干部", tw->name);
            person(&rw, org.buf, "乡镇", "教办主任", tw->name);
            for (int v = tw->first_village; v < tw->first_village + tw->nvillages; v++) {
                if (rng_below(&r, 3) == 0)
                    continue;
                buf_reset(&org);
                const char *vn = c->villages[v].name;
                size_t vl = strlen(vn);
                bool community = vl >= 6 && !strcmp(vn + vl - 6, "社区");
                buf_addf(&org, "%s%s", vn, community ? "居民委员会" : "村民委员会");
                person(&rw, org.buf, "村", village_roles[rng_below(&r, ARRAY_SIZE(village_roles))],
                       tw->name);
            }
        }
        for (int i = 0; i < c->nschools; i++) {
            const struct demo_school *sc = &c->schools[i];
            if (sc->kind == SK_POINT)
                continue; /* a 教学点's teacher is registered with its central school */
            const char *tname = c->townships[sc->township].name;
            person(&rw, sc->name, "学校", "校长", tname);
            if (sc->kind == SK_PRIMARY)
                continue;
            int teachers = 1 + (int)rng_below(&r, 2);
            for (int k = 0; k < teachers; k++)
                person(&rw, sc->name, "学校", teacher_roles[k], tname);
        }
        buf_addf(&s.b, ",,,,,\r\n制表：%s教育局控辍保学办,,,,,\r\n", c->name);
    }
    int rc = sink_close(&s, err);
    buf_release(&org);
    buf_release(&rw.name);
    buf_release(&rw.prev_org);
    buf_release(&rw.used);
    return rc < 0 ? -1 : rw.rows;
}
