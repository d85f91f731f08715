/*
 * 重点群体儿童名单 (issue 15): every school-age child of a run in at least one priority group,
 * with the groups, the status and how the group rows were linked; and the group rows that
 * matched nobody on the register (domain/groups.c, group_member).
 */
#include "report/reports.h"

#include "core/division.h"
#include "core/view.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "domain/status.h"
#include "ingest/category.h"
#include "store/store.h"
#include "util/common.h"

static const struct table_col group_cols[] = {
    {"seq", "序号", COL_INT},
    {"township", "乡镇", COL_TEXT},
    {"name", "姓名", COL_TEXT},
    {"id_number", "身份证号", COL_TEXT},
    {"groups", "重点群体", COL_LIST},
    {"status", "状态代码", COL_KEY},
    {"status_label", "状态", COL_TEXT},
    {"matched_by", "关联方式代码", COL_KEY},
    {"matched_by_label", "关联方式", COL_TEXT},
    {"record_id", "记录编号", COL_KEY},
};

/* How a group row was linked, as people read it. */
static const char *matched_by_label(const char *key)
{
    return !strcmp(key, "id")           ? "身份证号"
           : !strcmp(key, "household")  ? "户主或监护人"
           : !strcmp(key, "name_birth") ? "姓名、出生日期和乡镇"
                                        : key;
}

static const char *group_label(const char *key)
{
    const char *l = vocab_label(&priority_groups, key);
    return l ? l : key;
}

int report_groups(struct store *s, const struct report_options *opt, struct report_table *t,
                  struct outcome *o)
{
    struct run_info ri;
    struct report_group grp;
    if (run_info_load(s, opt->run_id, &ri, o) < 0 || report_group_arg(opt, &grp, o) < 0)
        return -1;
    struct stmt *q = store_prepare(
        s, "SELECT r.id, coalesce(r.township, ''), coalesce(r.name, ''),"
           " coalesce(r.id_number, r.id_raw, ''), gm.grp, gm.matched_by,"
           " coalesce(r.township_code, '')"
           " FROM group_member gm JOIN record r ON r.id = gm.record_id"
           " WHERE gm.run_id = $1 AND (CAST($2 AS TEXT) IS NULL OR r.township_code = $2"
           "  OR r.township = $2)"
           " AND (CAST($3 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM group_member gf"
           "  WHERE gf.run_id = $1 AND gf.record_id = r.id AND gf.grp = $3))"
           " ORDER BY r.township_code IS NULL, r.township_code, r.township, r.id, gm.grp");
    if (!q)
        return fail_store(s, o);
    stmt_bind_int(q, 1, ri.id);
    stmt_bind_str(q, 2, opt->township);
    stmt_bind_str(q, 3, grp.key);
    struct view v = view_make(opt->full, ri.cutoff);
    table_init_view(t, "重点群体儿童名单", "children", group_cols, ARRAY_SIZE(group_cols), &v);
    int rc;
    long n = 0;
    int64_t last = 0;
    struct buf groups = BUF_INIT;
    bool keep = false;
    struct run_status_cursor rsc;
    run_status_cursor_init(&rsc, s, ri.id);
    while ((rc = stmt_step(q)) == 1) {
        int64_t id = stmt_int(q, 0);
        const char *label = group_label(stmt_text(q, 4));
        if (id == last) {
            /* another group of the same child (each once) */
            if (keep && !strstr(groups.buf, label)) {
                buf_addf(&groups, "、%s", label);
                table_set(t, 4, groups.buf);
            }
            continue;
        }
        last = id;
        struct run_status_entry e;
        int got = run_status_cursor_get(&rsc, id, &e);
        if (got < 0) {
            rc = -1;
            break;
        }
        keep = got == 1 && status_is_school_age(e.st);
        if (!keep)
            continue;
        table_add_row(t);
        table_setf(t, 0, "%ld", ++n);
        table_set(t, 1, *stmt_text(q, 1) ? stmt_text(q, 1) : "（未填乡镇）");
        table_set(t, 2, stmt_text(q, 2));
        char m[VIEW_ID_SIZE];
        view_id(&v, stmt_text(q, 3), m);
        table_set(t, 3, m);
        buf_reset(&groups);
        buf_adds(&groups, label);
        table_set(t, 4, groups.buf);
        table_set(t, 5, status_key(e.st));
        table_set(t, 6, status_label(e.st));
        table_set(t, 7, stmt_text(q, 5));
        table_set(t, 8, matched_by_label(stmt_text(q, 5)));
        table_setf(t, 9, "%lld", (long long)id);
    }
    run_status_cursor_release(&rsc);
    buf_release(&groups);
    stmt_finalize(q);
    if (rc < 0) {
        fail_store(s, o);
        table_release(t);
        return -1;
    }
    char sy[16], runs[24], gcap[64];
    report_run_meta(t, &ri, n, !opt->full, sy, runs);
    report_group_meta(t, &grp);
    table_note_view(t, &v, false);
    buf_addf(&t->footer,
             "\n共 %ld 名适龄儿童属于重点群体%s（比对第 %s 次，截至 %s，%s 学年）。"
             "名单中找不到户籍的另见“重点群体名单中未关联到户籍的儿童”。\n",
             n, report_group_caption(&grp, gcap), runs, ri.as_of, sy);
    return 0;
}

static const struct table_col unmatched_cols[] = {
    {"seq", "序号", COL_INT},
    {"group", "重点群体", COL_TEXT},
    {"township", "乡镇", COL_TEXT},
    {"village", "村（社区）", COL_TEXT},
    {"name", "姓名", COL_TEXT},
    {"id_number", "身份证号", COL_TEXT},
    {"birth_date", "出生日期", COL_BIRTH},
    {"uncertain", "多人符合", COL_TEXT},
    {"detail", "情况", COL_TEXT},
    {"group_record", "名单记录编号", COL_KEY},
};

int report_groups_unmatched(struct store *s, const struct report_options *opt,
                            struct report_table *t, struct outcome *o)
{
    struct run_info ri;
    if (run_info_load(s, opt->run_id, &ri, o) < 0)
        return -1;
    struct stmt *q = store_prepare(
        s, "SELECT r.id, gm.grp, coalesce(r.township, ''), coalesce(r.village, ''),"
           " coalesce(r.name, ''), coalesce(r.id_number, r.id_raw, ''),"
           " coalesce(r.birth_date, ''), gm.uncertain, gm.detail"
           " FROM group_member gm JOIN record r ON r.id = gm.group_record"
           " WHERE gm.run_id = $1 AND gm.record_id IS NULL"
           "  AND (CAST($2 AS TEXT) IS NULL OR r.township_code = $2 OR r.township = $2)"
           " ORDER BY gm.grp, r.township, r.village, r.id");
    if (!q)
        return fail_store(s, o);
    stmt_bind_int(q, 1, ri.id);
    stmt_bind_str(q, 2, opt->township);
    struct view v = view_make(opt->full, ri.cutoff);
    table_init_view(t, "重点群体名单中未关联到户籍的儿童", "unmatched", unmatched_cols,
                    ARRAY_SIZE(unmatched_cols), &v);
    int rc;
    long n = 0;
    while ((rc = stmt_step(q)) == 1) {
        table_add_row(t);
        table_setf(t, 0, "%ld", ++n);
        table_set(t, 1, group_label(stmt_text(q, 1)));
        table_set(t, 2, stmt_text(q, 2));
        table_set(t, 3, stmt_text(q, 3));
        table_set(t, 4, stmt_text(q, 4));
        char m[VIEW_ID_SIZE];
        view_id(&v, stmt_text(q, 5), m);
        table_set(t, 5, m);
        table_set(t, 6, stmt_text(q, 6));
        table_set(t, 7, stmt_int(q, 7) ? "是" : "否");
        table_set(t, 8, stmt_text(q, 8));
        table_setf(t, 9, "%lld", (long long)stmt_int(q, 0));
    }
    stmt_finalize(q);
    if (rc < 0) {
        fail_store(s, o);
        table_release(t);
        return -1;
    }
    char sy[16], runs[24];
    report_run_meta(t, &ri, n, !opt->full, sy, runs);
    table_note_view(t, &v, false);
    buf_addf(&t->footer,
             "\n共 %ld 条重点群体名单记录未关联到户籍儿童：找不到的可能未落户或户籍在外地，"
             "多人符合的待人工确认（比对第 %s 次，截至 %s）。\n",
             n, runs, ri.as_of);
    return 0;
}
