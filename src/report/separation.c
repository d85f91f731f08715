/* 人籍分离: the rules over one pupil's facts (report/separation.h). No store here. */
#include "report/separation.h"

#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/words.h"
#include "ingest/field.h"
#include "util/common.h"
#include "util/xmalloc.h"

static const char *const kind_keys[SEP__COUNT] = {"absent", "elsewhere", "mismatch"};
static const char *const kind_labels[SEP__COUNT] = {"长期旷课未到校", "在他校就读",
                                                    "学籍变动与考勤不符"};

const char *sep_kind_label(enum sep_kind k)
{
    return k < SEP__COUNT ? kind_labels[k] : "";
}

const char *sep_kind_key(enum sep_kind k)
{
    return k < SEP__COUNT ? kind_keys[k] : "";
}

const char *sep_school_name(const struct sep_context *cx, const char *code)
{
    for (size_t i = 0; i < cx->nschools; i++)
        if (!strcmp(cx->schools[i].code, code))
            return *cx->schools[i].name ? cx->schools[i].name : code;
    return code;
}

void sep_row_release(struct sep_row *r)
{
    buf_release(&r->evidence);
    buf_release(&r->action);
}

static struct sep_row *new_row(struct sep_row *out, size_t *n, enum sep_kind k, const char *school)
{
    struct sep_row *r = &out[(*n)++];
    memset(r, 0, sizeof(*r));
    r->kind = k;
    snprintf(r->school, sizeof(r->school), "%s", school);
    r->evidence = (struct buf)BUF_INIT;
    r->action = (struct buf)BUF_INIT;
    return r;
}

static void set_other(const struct sep_context *cx, struct sep_row *r, const char *code)
{
    snprintf(r->other, sizeof(r->other), "%s", code);
    snprintf(r->other_name, sizeof(r->other_name), "%s", *code ? sep_school_name(cx, code) : "");
}

/* ---- 长期旷课未到校 ---- */

/* The school day on or before `ymd` (0 none within a year). */
static int school_day_upto(const struct term_calendar *cal, int ymd)
{
    return term_is_school_day(cal, ymd) ? ymd : term_prev_school_day(cal, ymd);
}

static bool absent_rule(const struct sep_context *cx, const struct sep_pupil *p, struct sep_row *r)
{
    const char *y = p->now.school;
    const struct term_calendar *cal = cx->calendar(cx->arg, y);
    int last = school_day_upto(cal, cx->as_of);
    if (!last || !p->nab)
        return false;
    /* the unexcused days at the 学籍 school, in date order */
    struct absence_day *a = xcalloc(p->nab, sizeof(*a));
    size_t n = 0;
    for (size_t i = 0; i < p->nab; i++)
        if (!strcmp(p->ab[i].school, y)) {
            a[n].ymd = p->ab[i].ymd;
            a[n].kind = p->ab[i].kind;
            snprintf(a[n].school, sizeof(a[n].school), "%s", y);
            n++;
        }
    struct absence_streak *st = xcalloc(n ? n : 1, sizeof(*st));
    int first = term_first_day(cal, cx->as_of);
    size_t ns = absence_streaks(cal, a, n, AB_UNEXCUSED, first ? first : a[0].ymd, cx->as_of, st);
    bool hit = false;
    if (ns) {
        const struct absence_streak *s = &st[ns - 1];
        /* still going: it reaches the latest school day, or the one before (today's roll-call
         * may not be in yet) */
        int before = term_prev_school_day(cal, last);
        hit = s->days >= cx->absent_days && (s->last == last || s->last == before);
        if (hit) {
            char d[11];
            date_format(s->first, d);
            buf_addf(&r->evidence, "自 %s 起连续 %d 个上课日旷课", d, s->days);
            r->first = s->first;
            r->days = s->days;
        }
    }
    free(st);
    free(a);
    return hit;
}

/* ---- 在他校就读 ---- */

static const char *const elsewhere_words[] = {"借读",     "转学",     "转校",     "外地就读",
                                              "外地上学", "外出就读", "在外就读", "随父母就读"};

/* Does the note say the pupil attends another school? *code the school it names ("" none). */
static bool note_elsewhere(const struct sep_context *cx, const char *note, const char *own,
                           char code[32])
{
    *code = '\0';
    if (!note || !*note)
        return false;
    const char *own_name = sep_school_name(cx, own);
    for (size_t i = 0; i < cx->nschools; i++) {
        const struct sep_school *sc = &cx->schools[i];
        if (*sc->name && strcmp(sc->code, own) && strcmp(sc->name, own_name) &&
            strstr(note, sc->name)) {
            snprintf(code, 32, "%s", sc->code);
            return true;
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(elsewhere_words); i++)
        if (strstr(note, elsewhere_words[i]))
            return true;
    return false;
}

static bool elsewhere_rule(const struct sep_context *cx, const struct sep_pupil *p,
                           struct sep_row *r)
{
    const char *y = p->now.school, *yname = sep_school_name(cx, y);
    /* absences recorded at another school (not the one the 学籍 left: that is a mismatch) */
    const struct sep_absence *at = NULL;
    for (size_t i = 0; i < p->nab; i++)
        if (strcmp(p->ab[i].school, y) && strcmp(p->ab[i].school, p->before.school))
            at = &p->ab[i];
    if (at) {
        char d[11];
        date_format(at->ymd, d);
        set_other(cx, r, at->school);
        buf_addf(&r->evidence, "在%s考勤（最近一条 %s），学籍在%s", r->other_name, d, yname);
        if (!strcmp(p->returned_to, at->school))
            buf_adds(&r->evidence, "；已劝返复学至该校");
        return true;
    }
    if (*p->returned_to && strcmp(p->returned_to, y)) {
        set_other(cx, r, p->returned_to);
        buf_addf(&r->evidence, "已劝返复学至%s（一人一案），学籍仍在%s", r->other_name, yname);
        return true;
    }
    /* the class teacher's note at the 学籍 school, the latest that says so */
    for (size_t i = p->nab; i-- > 0;) {
        const struct sep_absence *x = &p->ab[i];
        char code[32];
        if (strcmp(x->school, y) || !note_elsewhere(cx, x->note, y, code))
            continue;
        char d[11];
        date_format(x->ymd, d);
        set_other(cx, r, code);
        buf_addf(&r->evidence, "班主任 %s 记录：“%s”，学籍在%s", d, x->note, yname);
        return true;
    }
    return false;
}

/* ---- 学籍变动与考勤不符 ---- */

static bool mismatch_rule(const struct sep_context *cx, const struct sep_pupil *p,
                          struct sep_row *r)
{
    const char *x = p->before.school;
    if (!cx->has_previous || !p->before.active || !*x ||
        (p->now.active && !strcmp(p->now.school, x)) || !strcmp(p->returned_to, x))
        return false;
    const struct sep_absence *last = NULL;
    for (size_t i = 0; i < p->nab; i++)
        if (p->ab[i].after_previous && !strcmp(p->ab[i].school, x))
            last = &p->ab[i];
    if (!last)
        return false;
    char d[11];
    date_format(last->ymd, d);
    if (p->now.active && *p->now.school) {
        set_other(cx, r, p->now.school);
        buf_addf(&r->evidence, "学籍已转出至%s，但本校 %d 月仍有考勤记录（最近一条 %s %s）",
                 r->other_name, ymd_month(last->ymd), d, absence_kinds.words[last->kind].label);
    } else if (*p->now.school) {
        buf_addf(&r->evidence, "学籍状态已改为“%s”，但本校 %d 月仍有考勤记录（最近一条 %s %s）",
                 enroll_status_label(enroll_status_from_key(p->now.status)), ymd_month(last->ymd),
                 d, absence_kinds.words[last->kind].label);
    } else {
        buf_addf(&r->evidence, "最新学籍名单中已无该生，但本校 %d 月仍有考勤记录（最近一条 %s %s）",
                 ymd_month(last->ymd), d, absence_kinds.words[last->kind].label);
    }
    return true;
}

size_t sep_rules(const struct sep_context *cx, const struct sep_pupil *p,
                 struct sep_row out[SEP__COUNT])
{
    size_t n = 0;
    if (p->now.active && *p->now.school) {
        struct sep_row *r = new_row(out, &n, SEP_ELSEWHERE, p->now.school);
        if (elsewhere_rule(cx, p, r)) {
            buf_adds(&r->action, *r->other ? "与实际就读学校核实后办理转学，把学籍转到"
                                           : "核实学生实际就读学校后办理转学，把学籍转到");
            buf_addf(&r->action, "%s", *r->other ? r->other_name : "实际就读学校");
        } else {
            sep_row_release(r);
            n--;
            /* a pupil known to attend elsewhere is no dropout: only then the absence rule */
            r = new_row(out, &n, SEP_ABSENT, p->now.school);
            if (absent_rule(cx, p, r)) {
                buf_adds(&r->action, "核实学生去向：在他校就读的办理转学；确已辍学的在学籍系统标记"
                                     "辍学，并报乡镇核查劝返");
            } else {
                sep_row_release(r);
                n--;
            }
        }
    }
    struct sep_row *r = new_row(out, &n, SEP_MISMATCH, p->before.school);
    if (mismatch_rule(cx, p, r)) {
        buf_adds(&r->action, "核实学生是否仍在本校：仍在本校就读的更正学籍；已离校的撤销其离校后"
                             "的考勤记录，并确认转学或辍学手续");
    } else {
        sep_row_release(r);
        n--;
    }
    return n;
}
