#include "util/common.h"

#include "core/date.h"
#include "demo/demo_internal.h"

/*
 * The ground truth of the demo county (demo.h): every register child's true status, the
 * register child each list row belongs to, and which error family each row and child was made
 * for ("case"), so that the linkage benchmark can measure each family on its own.
 */

/* What a child is in the families: the case of their row, or of their twin's, or of the 随迁
 * pupil resembling them. */
enum role { ROLE_NONE, ROLE_ROW, ROLE_TYPED, ROLE_OTHER, ROLE_LOOKALIKE };

struct child_case {
    uint8_t family, fate, mistake, role, kind;
};

static const char *const kind_keys[] = {"other", "neighbour", "namesake"};
static const char *const role_keys[] = {"", "", ":typed", ":other", ":lookalike"};

/* The family of a row of the usual mix: a twin's mistyped or missing ID is a siblings case. */
static enum demo_family row_family(const struct demo_world *w, uint32_t child, int fate,
                                   int mistake)
{
    bool borrowed = child >= w->npop;
    enum demo_family f = fate_family(fate, mistake, borrowed);
    if (!borrowed && fate != FATE_EXACT && world_twin(w, &w->children[child]))
        f = DEMO_FAMILY_SIBLINGS;
    return f;
}

static void add_case(struct buf *b, enum demo_family f, int fate, int mistake, int kind, int role)
{
    if (f == DEMO_FAMILY_NONE)
        return;
    buf_adds(b, demo_family_key(f));
    buf_addch(b, ':');
    if (f == DEMO_FAMILY_UNREGISTERED) {
        buf_adds(b, kind_keys[kind]);
        if (role != ROLE_LOOKALIKE) {
            buf_addch(b, '/');
            buf_adds(b, demo_fate_keys[fate]);
        }
    } else {
        buf_adds(b, demo_fate_keys[fate]);
        if (mistake && mistake != NAME_NONE && demo_mistake_keys[mistake][0]) {
            buf_addch(b, '+');
            buf_adds(b, demo_mistake_keys[mistake]);
        }
    }
    buf_adds(b, role_keys[role]);
}

/* Each register child's case, and the kind of each 随迁 pupil (by index - npop). */
static void child_cases(const struct demo_world *w, struct child_case *cc, uint8_t *pupil_kind)
{
    for (size_t i = 0; i < w->nenrols; i++) {
        const struct demo_enrol *e = &w->enrols[i];
        if (!e->fated || e->fate == FATE_EXACT || e->child >= w->npop)
            continue;
        const struct demo_child *c = &w->children[e->child];
        const struct demo_child *twin = world_twin(w, c);
        cc[e->child] = (struct child_case){DEMO_FAMILY_SIBLINGS, e->fate, 0, ROLE_TYPED, 0};
        if (twin)
            cc[twin - w->children] =
                (struct child_case){DEMO_FAMILY_SIBLINGS, e->fate, 0, ROLE_OTHER, 0};
    }
    for (size_t i = 0; i < w->nenrols + w->noutside; i++) {
        bool enrol = i < w->nenrols;
        const struct demo_enrol *e = enrol ? &w->enrols[i] : NULL;
        const struct demo_outside *o = enrol ? NULL : &w->outside[i - w->nenrols];
        uint32_t child = enrol ? e->child : o->child;
        int fate = enrol ? e->fate : o->fate, mistake = enrol ? e->mistake : o->mistake;
        if (child >= w->npop || (enrol && (e->fated || !e->decisive)) || cc[child].role)
            continue;
        enum demo_family f = row_family(w, child, fate, mistake);
        if (f == DEMO_FAMILY_NONE)
            continue;
        cc[child] = (struct child_case){(uint8_t)f, (uint8_t)fate, (uint8_t)mistake, ROLE_ROW, 0};
        const struct demo_child *twin =
            f == DEMO_FAMILY_SIBLINGS ? world_twin(w, &w->children[child]) : NULL;
        if (twin && !cc[twin - w->children].role)
            cc[twin - w->children] =
                (struct child_case){(uint8_t)f, (uint8_t)fate, 0, ROLE_OTHER, 0};
    }
    for (size_t k = 0; k < w->nlookalikes; k++) {
        const struct demo_lookalike *l = &w->lookalikes[k];
        pupil_kind[l->pupil - w->npop] = l->kind;
        if (!cc[l->child].role)
            cc[l->child] =
                (struct child_case){DEMO_FAMILY_UNREGISTERED, 0, 0, ROLE_LOOKALIKE, l->kind};
    }
}

static int truth_rows(const struct demo_world *w, const char *path, bool enrol,
                      const struct child_case *cc, const uint8_t *pupil_kind, struct buf *err)
{
    struct sink s;
    struct buf *b = &s.b;
    size_t n = enrol ? w->nenrols : w->noutside;
    if (sink_open(&s, path, false) < 0)
        return sink_close(&s, err);
    buf_adds(b, "row,key,case\n");
    for (size_t i = 0; i < n; i++) {
        const struct demo_enrol *e = enrol ? &w->enrols[i] : NULL;
        uint32_t child = enrol ? e->child : w->outside[i].child;
        int fate = enrol ? e->fate : w->outside[i].fate;
        int mistake = enrol ? e->mistake : w->outside[i].mistake;
        put_uint(b, i + 1);
        buf_addch(b, ',');
        if (child < w->npop)
            put_uint(b, child + 1);
        buf_addch(b, ',');
        if (child >= w->npop)
            add_case(b, DEMO_FAMILY_UNREGISTERED, fate, 0, pupil_kind[child - w->npop], ROLE_ROW);
        else if (enrol && e->fated && cc[child].family == DEMO_FAMILY_SIBLINGS)
            /* the rows of a twin case: the mistyped one and the other twin's clean one */
            add_case(b, DEMO_FAMILY_SIBLINGS, cc[child].fate, 0, 0,
                     cc[child].role == ROLE_OTHER ? ROLE_OTHER : ROLE_ROW);
        else
            add_case(b, row_family(w, child, fate, mistake), fate, mistake, 0, ROLE_ROW);
        buf_addch(b, '\n');
        sink_maybe_flush(&s);
    }
    return sink_close(&s, err);
}

static void put_date_iso(struct buf *b, int ymd)
{
    put_uint_width(b, (uint64_t)ymd_year(ymd), 4);
    buf_addch(b, '-');
    put_uint_width(b, (uint64_t)ymd_month(ymd), 2);
    buf_addch(b, '-');
    put_uint_width(b, (uint64_t)ymd_day(ymd), 2);
}

int write_truth(struct demo_world *w, const char *dir, const char *truth_path, struct buf *err)
{
    struct sink s;
    struct buf *b = &s.b;
    const struct demo_county *co = &w->county;
    int ret;
    struct child_case *cc = xcalloc(w->npop + 1, sizeof(*cc));
    uint8_t *pupil_kind = xcalloc(w->nchildren - w->npop + 1, 1);
    child_cases(w, cc, pupil_kind);

    if (sink_open(&s, truth_path, false) < 0) {
        free(cc);
        free(pupil_kind);
        return sink_close(&s, err);
    }
    buf_adds(b, "key,true_id,name,birth_date,township_code,village,true_status,enrollment_row,"
                "case\n");
    for (size_t i = 0; i < w->npop; i++) {
        const struct demo_child *c = &w->children[i];
        const struct demo_village *v = &co->villages[w->households[c->household].village];
        put_uint(b, i + 1);
        buf_addch(b, ',');
        buf_add(b, c->id, 18);
        buf_addch(b, ',');
        buf_add(b, w->text.buf + c->name_off, c->name_len);
        buf_addch(b, ',');
        put_date_iso(b, c->birth_ymd);
        buf_addch(b, ',');
        buf_adds(b, co->townships[v->township].code);
        buf_addch(b, ',');
        buf_adds(b, v->name);
        buf_addch(b, ',');
        buf_adds(b, demo_status_names[c->status]);
        buf_addch(b, ',');
        if (c->enrollment_row)
            put_uint(b, (uint64_t)c->enrollment_row);
        buf_addch(b, ',');
        const struct child_case *k = &cc[i];
        if (k->role)
            add_case(b, (enum demo_family)k->family, k->fate, k->mistake, k->kind,
                     k->role == ROLE_ROW ? ROLE_NONE : k->role);
        buf_addch(b, '\n');
        sink_maybe_flush(&s);
    }
    ret = sink_close(&s, err);

    char *p = xstrfmt("%s/truth_enrollment.csv", dir);
    if (!ret)
        ret = truth_rows(w, p, true, cc, pupil_kind, err);
    free(p);
    p = xstrfmt("%s/truth_outside.csv", dir);
    if (!ret)
        ret = truth_rows(w, p, false, cc, pupil_kind, err);
    free(p);
    free(cc);
    free(pupil_kind);
    return ret;
}
