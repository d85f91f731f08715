/* The demo county's 学区 and a school's applications (casework/demo_entrants.h). */
#include "casework/demo_entrants.h"

#include "casework/entrants.h"
#include "core/date.h"
#include "core/idcard.h"
#include "core/schoolyear.h"
#include "domain/match.h"
#include "domain/run.h"
#include "ingest/import.h"
#include "store/store.h"
#include "util/common.h"

/* Each village's primary school: the one most of its register children attend in grades 1–6
 * (the first row of each village), and villages with none. */
#define VILLAGE_SQL                                                                                \
    "SELECT p.township_code, p.village, coalesce(e.school_code, ''),"                              \
    " coalesce(max(e.school_name), ''), count(e.id) FROM record p"                                 \
    " LEFT JOIN record e ON e.batch_id = $2 AND e.id_number = p.id_number"                         \
    " AND e.grade BETWEEN 1 AND 6 AND e.school_code IS NOT NULL"                                   \
    " WHERE p.batch_id = $1 AND p.village IS NOT NULL AND p.village <> ''"                         \
    " AND p.township_code IS NOT NULL"                                                             \
    " GROUP BY p.township_code, p.village, e.school_code"                                          \
    " ORDER BY p.township_code, p.village, count(e.id) DESC, 3"

struct vrow {
    char township[10], village[64], code[32], name[128];
};

static int write_catchment(struct store *s, const char *actor, int64_t pop, int64_t enr,
                           struct demo_entrants_summary *out)
{
    struct stmt *q = store_prepare(s, VILLAGE_SQL);
    if (!q)
        return -1;
    stmt_bind_int(q, 1, pop);
    stmt_bind_int(q, 2, enr);
    struct vrow *v = NULL;
    size_t n = 0, alloc = 0;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        const char *t = stmt_text(q, 0), *vil = stmt_text(q, 1);
        if (n && !strcmp(v[n - 1].township, t) && !strcmp(v[n - 1].village, vil)) {
            if (!*v[n - 1].code && *stmt_text(q, 2)) {
                snprintf(v[n - 1].code, sizeof(v->code), "%s", stmt_text(q, 2));
                snprintf(v[n - 1].name, sizeof(v->name), "%s", stmt_text(q, 3));
            }
            continue;
        }
        ALLOC_GROW(v, n + 1, alloc);
        memset(&v[n], 0, sizeof(*v));
        snprintf(v[n].township, sizeof(v->township), "%s", t);
        snprintf(v[n].village, sizeof(v->village), "%s", vil);
        snprintf(v[n].code, sizeof(v->code), "%s", stmt_text(q, 2));
        snprintf(v[n].name, sizeof(v->name), "%s", stmt_text(q, 3));
        n++;
    }
    stmt_finalize(q);
    /* a village none of whose children is in a primary school: its township's first school */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; !*v[i].code && j < n; j++)
            if (*v[j].code && !strcmp(v[j].township, v[i].township)) {
                memcpy(v[i].code, v[j].code, sizeof(v->code));
                memcpy(v[i].name, v[j].name, sizeof(v->name));
            }
    char now[32];
    date_now_text(now, sizeof(now));
    /* the last village is left out on purpose: the list shows it 未划学区 */
    for (size_t i = 0; rc == 0 && i + 1 < n; i++) {
        if (!*v[i].code) {
            out->unassigned++;
            continue;
        }
        const char *p[] = {v[i].township, v[i].village, v[i].code, v[i].name, actor, now};
        if (store_run(s,
                      "INSERT INTO catchment (township_code, village, school_code, school_name,"
                      " set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6)",
                      6, p) < 0)
            rc = -1;
        else
            out->villages++;
    }
    if (n)
        out->unassigned++;
    free(v);
    return rc < 0 ? -1 : 0;
}

/* An ID of another county (光山县) for a birth date. */
static void other_id(int birth, int seq, char out[19])
{
    char first[32];
    snprintf(first, sizeof(first), "411522%08d%03d", birth % 100000000, seq % 1000);
    memcpy(out, first, 17);
    out[17] = id_check_char(first);
    out[18] = '\0';
}

int demo_entrants(struct store *s, const char *actor, int as_of, struct demo_entrants_summary *out,
                  struct outcome *o)
{
    memset(out, 0, sizeof(*out));
    struct run_info ri;
    if (run_info_load(s, 0, &ri, o) < 0)
        return -1;
    int64_t enr;
    long rows;
    if (import_current(s, KIND_ENROLLMENT, 0, &enr, &rows) < 0)
        return fail_store(s, o);
    if (store_begin(s) < 0 || write_catchment(s, actor, ri.population_batch, enr, out) < 0 ||
        store_commit(s) < 0) {
        int rc = fail_store(s, o);
        store_rollback(s);
        return rc;
    }
    /* the school of the first village with one records the applications */
    char school[32] = "";
    struct stmt *q = store_prepare(s, "SELECT school_code FROM catchment"
                                      " ORDER BY township_code, village LIMIT 1");
    if (!q)
        return fail_store(s, o);
    if (stmt_step(q) == 1)
        snprintf(school, sizeof(school), "%s", stmt_text(q, 0));
    stmt_finalize(q);
    if (!*school)
        return 0;
    struct school_calendar cal = SCHOOL_CALENDAR_DEFAULT;
    if (calendar_load(s, &cal) < 0)
        return fail_store(s, o);
    int next = entrant_next_year(&cal, as_of), now = school_year_of(&cal, as_of);
    /* born in the cohorts: the months after the cutoff's */
    int nb = (next - cal.min_age - 1) * 10000 + 1015, nb2 = (next - cal.min_age) * 10000 + 315;
    int tb = (now - cal.min_age) * 10000 + 420;
    static const struct {
        const char *name, *guardian, *hukou, *address;
        int which, migrant;
    } apps[] = {
        {"刘子涵", "刘建军", "河南省信阳市光山县", "租住镇上东街", 0, 1},
        {"马欣怡", "马红梅", "甘肃省临夏州东乡县", "工业园区宿舍", 1, 1},
        {"赵一鸣", "赵海", "河南省信阳市光山县", "租住镇上西街", 1, 1},
        {"孙雨桐", "孙立", "河南省信阳市光山县", "租住镇上南街", 2, 1},
    };
    for (size_t i = 0; i < ARRAY_SIZE(apps); i++) {
        int birth = apps[i].which == 0 ? nb : apps[i].which == 1 ? nb2 : tb;
        char idn[19], bd[11], phone[16];
        other_id(birth, (int)(201 + 2 * i), idn);
        date_format(birth, bd);
        snprintf(phone, sizeof(phone), "1390355%04zu", 1200 + i);
        struct entrant_input in = {school,
                                   apps[i].name,
                                   idn,
                                   bd,
                                   apps[i].guardian,
                                   phone,
                                   apps[i].address,
                                   apps[i].migrant ? "是" : "否",
                                   apps[i].hukou,
                                   NULL,
                                   NULL};
        int64_t id;
        struct buf msg = BUF_INIT;
        int rc = entrant_apply(s, NULL, &in, actor, &id, &msg, o);
        buf_release(&msg);
        if (rc < 0)
            return -1;
        out->applications++;
    }
    return 0;
}
