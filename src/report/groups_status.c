/*
 * 重点群体在校情况 (issue 15): for each priority group, its school-age children by township —
 * in school here, in school elsewhere, 送教上门, suspected out, confirmed out (a case open) —
 * the table an inspector asks for. One row per group and township, each group's county
 * subtotal after its townships, and the totals row counting every child once (a child in two
 * groups is in both groups' rows). docs/decisions.md, issue 15 (groups in the UI).
 */
#include "report/reports.h"

#include "core/division.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "domain/status.h"
#include "ingest/category.h"
#include "store/store.h"
#include "util/common.h"
#include "util/xmalloc.h"

/* The columns a child is counted in (one of them), after 适龄儿童. */
enum gs_col { GS_HERE, GS_ELSEWHERE, GS_HOME, GS_SUSPECTED, GS_CONFIRMED, GS_OTHER, GS__COUNT };

static const struct table_col gs_cols[] = {
    {"group", "重点群体", COL_TEXT},
    {"township", "乡镇", COL_TEXT},
    {"school_age", "适龄儿童", COL_INT},
    {"in_school", "本县在校", COL_INT},
    {"elsewhere", "县外就读", COL_INT},
    {"home_teaching", "送教上门", COL_INT},
    {"suspected", "疑似失学辍学", COL_INT},
    {"confirmed", "确认失学辍学", COL_INT},
    {"other", "其他（休学、待复核、已毕业）", COL_INT},
    {"group_key", "群体代码", COL_KEY},
    {"township_code", "乡镇代码", COL_KEY},
};

struct gs_row {
    int grp;           /* enum priority_group */
    char code[16];     /* township code */
    char name[128];    /* township name */
    long n[GS__COUNT]; /* children by column */
};

static int gs_cmp(const void *a, const void *b)
{
    const struct gs_row *x = a, *y = b;
    if (x->grp != y->grp)
        return x->grp - y->grp;
    int c = strcmp(x->code, y->code);
    return c ? c : strcmp(x->name, y->name);
}

static long gs_sum(const long n[GS__COUNT])
{
    long s = 0;
    for (int k = 0; k < GS__COUNT; k++)
        s += n[k];
    return s;
}

static void gs_put(struct report_table *t, const char *group, const char *township,
                   const char *gkey, const char *tcode, const long n[GS__COUNT])
{
    table_set(t, 0, group);
    table_set(t, 1, township);
    table_setf(t, 2, "%ld", gs_sum(n));
    for (int k = 0; k < GS__COUNT; k++)
        table_setf(t, 3 + (size_t)k, "%ld", n[k]);
    table_set(t, 9, gkey);
    table_set(t, 10, tcode);
}

/* Which column the child of this entry is counted in: 送教上门 when the child's latest
 * verification or its case concluded so (the 学籍 list's 送教上门 is an active pupil, stored as
 * 在读: not told apart), confirmed out when the child has a case open (立案劝返), else by the
 * status. `school` (a school's account) keeps its own pupils only. 1, 0 not counted, -1 store
 * error. */
static int gs_column(struct stmt *pupil, struct stmt *home, struct stmt *cased,
                     const struct run_status_entry *e, const char *school, int *col)
{
    if (!status_is_school_age(e->st))
        return 0;
    if (school) {
        if (!e->school_record)
            return 0;
        stmt_reset(pupil);
        stmt_bind_int(pupil, 1, e->school_record);
        int rc = stmt_step(pupil);
        if (rc < 0)
            return -1;
        if (rc == 0 || strcmp(school, stmt_text(pupil, 0)))
            return 0;
    }
    struct stmt *both[] = {home, cased};
    int found[2];
    for (int i = 0; i < 2; i++) {
        stmt_reset(both[i]);
        stmt_bind_int(both[i], 1, e->record_id);
        if ((found[i] = stmt_step(both[i])) < 0)
            return -1;
    }
    if (found[0]) {
        *col = GS_HOME;
        return 1;
    }
    switch (e->st) {
    case ST_ENROLLED:
        *col = GS_HERE;
        return 1;
    case ST_ENROLLED_ELSEWHERE:
        *col = GS_ELSEWHERE;
        return 1;
    case ST_NOT_ENROLLED:
    case ST_DROPPED_OUT:
        *col = found[1] ? GS_CONFIRMED : GS_SUSPECTED;
        return 1;
    default:
        *col = GS_OTHER;
        return 1;
    }
}

int report_groups_status(struct store *s, const struct report_options *opt, struct report_table *t,
                         struct outcome *o)
{
    struct run_info ri;
    struct report_group only;
    if (run_info_load(s, opt->run_id, &ri, o) < 0 || report_group_arg(opt, &only, o) < 0)
        return -1;
    struct stmt *q = store_prepare(
        s, "SELECT DISTINCT gm.record_id, gm.grp, coalesce(r.township_code, ''),"
           " coalesce(r.township, '')"
           " FROM group_member gm JOIN record r ON r.id = gm.record_id"
           " WHERE gm.run_id = $1 AND (CAST($2 AS TEXT) IS NULL OR r.township_code = $2"
           "  OR r.township = $2)"
           " AND (CAST($3 AS TEXT) IS NULL OR gm.grp = $3)"
           " ORDER BY gm.record_id, gm.grp");
    struct stmt *pupil = store_prepare(s, "SELECT coalesce(school_code, '') FROM record"
                                          " WHERE id = $1");
    struct stmt *home =
        store_prepare(s, "SELECT 1 FROM child c WHERE c.last_record = $1"
                         " AND (EXISTS (SELECT 1 FROM verify_task t WHERE t.id = (SELECT max(t2.id)"
                         "  FROM verify_task t2 WHERE t2.child_id = c.id) AND t.state = 'closed'"
                         "  AND t.outcome = 'home_teaching')"
                         " OR EXISTS (SELECT 1 FROM case_file f WHERE f.child_id = c.id"
                         "  AND f.outcome = 'home_teaching')"
                         " OR EXISTS (SELECT 1 FROM placement pl WHERE pl.child_id = c.id"
                         "  AND pl.kind = 'home_teaching'))");
    struct stmt *cased = store_prepare(s, "SELECT 1 FROM child c JOIN case_file f"
                                          " ON f.child_id = c.id"
                                          " WHERE c.last_record = $1 AND f.state = 'open'");
    if (!q || !pupil || !home || !cased) {
        stmt_finalize(q);
        stmt_finalize(pupil);
        stmt_finalize(home);
        stmt_finalize(cased);
        return fail_store(s, o);
    }
    stmt_bind_int(q, 1, ri.id);
    stmt_bind_str(q, 2, opt->township);
    stmt_bind_str(q, 3, only.key);
    struct gs_row *rows = NULL;
    size_t nrows = 0, alloc = 0;
    long all[GS__COUNT] = {0};
    int64_t last = 0;
    int col = -1, rc;
    struct run_status_cursor rsc;
    run_status_cursor_init(&rsc, s, ri.id);
    while ((rc = stmt_step(q)) == 1) {
        int64_t id = stmt_int(q, 0);
        int grp = vocab_parse(&priority_groups, stmt_text(q, 1));
        if (grp < 0 || (opt->groups && !(opt->groups & (1u << grp))))
            continue;
        if (id != last) {
            last = id;
            col = -1;
            struct run_status_entry e;
            int got = run_status_cursor_get(&rsc, id, &e);
            if (got == 1)
                got = gs_column(pupil, home, cased, &e, opt->school, &col);
            if (got < 0) {
                rc = -1;
                break;
            }
            if (got == 1)
                all[col]++;
            else
                col = -1;
        }
        if (col < 0)
            continue;
        const char *code = stmt_text(q, 2), *name = stmt_text(q, 3);
        size_t i;
        for (i = 0; i < nrows; i++)
            if (rows[i].grp == grp && !strcmp(rows[i].code, code) && !strcmp(rows[i].name, name))
                break;
        if (i == nrows) {
            ALLOC_GROW(rows, nrows + 1, alloc);
            memset(&rows[nrows], 0, sizeof(rows[nrows]));
            rows[nrows].grp = grp;
            snprintf(rows[nrows].code, sizeof(rows[nrows].code), "%s", code);
            snprintf(rows[nrows].name, sizeof(rows[nrows].name), "%s", name);
            nrows++;
        }
        rows[i].n[col]++;
    }
    run_status_cursor_release(&rsc);
    stmt_finalize(q);
    stmt_finalize(pupil);
    stmt_finalize(home);
    stmt_finalize(cased);
    if (rc < 0) {
        free(rows);
        return fail_store(s, o);
    }
    if (nrows)
        qsort(rows, nrows, sizeof(*rows), gs_cmp);
    table_init(t, "重点群体在校情况", "rows", gs_cols, ARRAY_SIZE(gs_cols));
    for (size_t i = 0; i < nrows; i++) {
        const struct word *w = &priority_groups.words[rows[i].grp];
        table_add_row(t);
        gs_put(t, w->label, *rows[i].name ? rows[i].name : "（未填乡镇）", w->key, rows[i].code,
               rows[i].n);
        /* the group's county subtotal after its last township (not for one township) */
        if (!opt->township && (i + 1 == nrows || rows[i + 1].grp != rows[i].grp)) {
            long sub[GS__COUNT] = {0};
            for (size_t j = 0; j <= i; j++)
                if (rows[j].grp == rows[i].grp)
                    for (int k = 0; k < GS__COUNT; k++)
                        sub[k] += rows[j].n[k];
            char label[96];
            snprintf(label, sizeof(label), "%s小计", w->label);
            table_add_row(t);
            gs_put(t, label, "全县", w->key, "", sub);
        }
    }
    table_add_totals(t);
    gs_put(t, "合计（每名儿童计一次）", opt->township ? "" : "全县", "", "", all);
    free(rows);
    long total = gs_sum(all);
    char sy[16], runs[24], sub[256];
    report_run_meta(t, &ri, total, -1, sy, runs);
    const char *cname = ri.county[0] ? division_county_name(ri.county) : NULL;
    snprintf(sub, sizeof(sub), "%s%s%s 学年　　比对截至 %s（第 %s 次比对）", cname ? cname : "",
             cname ? "　　" : "", sy, ri.as_of, runs);
    table_caption(t, "重点群体适龄儿童在校情况统计表", sub);
    table_note(t, "一名儿童属于几个重点群体的，在每个群体中各计一次；合计行每名儿童只计一次。");
    table_note(t, "送教上门为核查结论或劝返结果是送教上门的儿童；确认失学辍学为已立案劝返、"
                  "尚未返校的儿童；疑似失学辍学为其余适龄未入学和辍学的儿童（核查中或待核查）。");
    table_note(t, "重点群体名单中未关联到户籍的儿童不在本表，另见“重点群体未关联名单”。");
    buf_addf(&t->footer, "\n重点群体适龄儿童共 %ld 名（每名计一次；比对第 %s 次，截至 %s）。\n",
             total, runs, ri.as_of);
    return 0;
}
