/*
 * 残疾儿童安置登记册 (issue 15): every school-age child of the latest cross-check who is known to
 * be disabled — a verification outcome 送教上门/因病因残, or a placement set — with the
 * placement, its school, the approval's end date of 缓学/免学, and this month's 送教上门 visits
 * and hours against the county's minimum. Masked IDs, as every report; the county reads the
 * whole county, a township its own children, a school the children it is placed with.
 *
 * The children come from one query of child keys, one SELECT per source joined by UNION
 * (DISABLED_KEYS_SQL): the placements, the verification outcomes and the 残联's certificate
 * holders linked by the latest cross-check (domain/groups.c); another source is one more UNION
 * giving its children's keys (casework.h CHILD_KEY_SQL).
 */
#include "report/reports.h"

#include "casework/casework.h"
#include "casework/people.h"
#include "casework/placement.h"
#include "core/date.h"
#include "core/view.h"
#include "core/words.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "domain/scope.h"
#include "domain/status.h"
#include "store/store.h"
#include "util/common.h"

/* The keys of the children known to be disabled, with where the register learnt it. */
#define DISABLED_KEYS_SQL                                                                          \
    "SELECT ch.child_key, 'placement' AS source FROM placement p"                                  \
    " JOIN child ch ON ch.id = p.child_id"                                                         \
    " UNION SELECT ch.child_key, 'verify' AS source FROM verify_task v"                            \
    " JOIN child ch ON ch.id = v.child_id WHERE v.outcome = 'home_teaching'"                       \
    " UNION SELECT " CHILD_KEY_SQL(                                                                \
        "r") ", 'list' AS source FROM group_member gm"                                             \
             " JOIN record r ON r.id = gm.record_id WHERE gm.grp = 'disabled' AND gm.run_id ="     \
             " (SELECT max(id) FROM match_run WHERE finished_at IS NOT NULL)"

enum {
    D_TOWNSHIP,
    D_NAME,
    D_ID,
    D_SOURCE,
    D_KIND,
    D_SCHOOL,
    D_ENDS,
    D_VISITS,
    D_HOURS,
    D_CHECK,
    D_RECORD,
    D__COUNT
};

static const struct table_col cols[D__COUNT] = {
    [D_TOWNSHIP] = {"township", "乡镇", COL_TEXT},
    [D_NAME] = {"name", "姓名", COL_TEXT},
    [D_ID] = {"id_number", "身份证号", COL_TEXT},
    [D_SOURCE] = {"source", "来源", COL_TEXT},
    [D_KIND] = {"placement", "安置方式", COL_TEXT},
    [D_SCHOOL] = {"school", "学校（送教学校）", COL_TEXT},
    [D_ENDS] = {"ends_on", "缓学、免学截止日期", COL_TEXT},
    [D_VISITS] = {"visits", "本月送教次数", COL_INT},
    [D_HOURS] = {"hours", "本月送教课时", COL_TEXT},
    [D_CHECK] = {"month_check", "本月送教情况", COL_TEXT},
    [D_RECORD] = {"record_id", "记录编号", COL_KEY},
};

/* Where the register learnt it: bit 1 a verification outcome, bit 2 a placement, bit 4 the
 * 残联's list (a certificate holder linked by the cross-check). */
static const char *source_label(int64_t bits, struct buf *out)
{
    static const char *const words[] = {"核查结论（送教上门/因病因残）", "安置登记",
                                        "残联持证名单"};
    buf_reset(out);
    for (int i = 0; i < 3; i++)
        if (bits & (1 << i))
            buf_addf(out, "%s%s", out->len ? "、" : "", words[i]);
    return out->buf;
}

int report_disability(struct store *s, const struct report_options *opt, struct report_table *t,
                      struct outcome *o)
{
    const struct scope *sc = opt->scope;
    if (sc && sc->role != ROLE_ADMIN && sc->role != ROLE_COUNTY && sc->role != ROLE_SUPERVISOR &&
        sc->role != ROLE_TOWNSHIP && sc->role != ROLE_SCHOOL)
        return failed(o, OUT_FORBIDDEN, "您的账号无权查看残疾儿童安置登记册");
    char code[10] = "";
    const char *tname;
    if (opt->township && *opt->township && casework_township(s, opt->township, code, &tname) < 0)
        return failed_at(o, OUT_INVALID, "township", "乡镇“%s”不是本县的乡镇", opt->township);
    struct run_info ri;
    if (run_info_load(s, 0, &ri, o) < 0)
        return -1;
    struct send_minimum m;
    if (send_minimum_load(s, &m, o) < 0)
        return -1;
    struct view v = view_make(false, ri.cutoff);
    struct stmt *q = store_prepare(
        s, "SELECT k.child_key, max(CASE WHEN k.source = 'verify' THEN 1 ELSE 0 END)"
           " + 2 * max(CASE WHEN k.source = 'placement' THEN 1 ELSE 0 END)"
           " + 4 * max(CASE WHEN k.source = 'list' THEN 1 ELSE 0 END), ch.id, "
           "coalesce(p.kind, ''),"
           " coalesce(p.school, ''), coalesce(p.school_name, ''), coalesce(p.ends_on, ''),"
           " coalesce(p.since, '') FROM (" DISABLED_KEYS_SQL ") k"
           " LEFT JOIN child ch ON ch.child_key = k.child_key"
           " LEFT JOIN placement p ON p.child_id = ch.id GROUP BY k.child_key, ch.id, p.kind,"
           " p.school, p.school_name, p.ends_on, p.since ORDER BY k.child_key");
    if (!q)
        return fail_store(s, o);
    table_init(t, "残疾儿童安置登记册", "children", cols, D__COUNT);
    int today = date_today(), rc;
    long n = 0, behind = 0;
    struct buf src = BUF_INIT;
    struct run_status_cursor rsc;
    run_status_cursor_init(&rsc, s, ri.id);
    while ((rc = stmt_step(q)) == 1) {
        int64_t rid = placement_latest_record(s, ri.population_batch, stmt_text(q, 0));
        if (!rid)
            continue; /* not in the latest register: no longer the county's school-age child */
        struct run_status_entry e;
        int found = run_status_cursor_get(&rsc, rid, &e);
        if (found < 0) {
            rc = -1;
            break;
        }
        if (!found || !status_is_school_age(e.st))
            continue;
        struct stmt *r = store_prepare(
            s, "SELECT coalesce(township_code, ''), coalesce(township, ''), coalesce(name, ''),"
               " coalesce(id_number, '') FROM record WHERE id = $1");
        if (!r) {
            rc = -1;
            break;
        }
        stmt_bind_int(r, 1, rid);
        if (stmt_step(r) != 1) {
            stmt_finalize(r);
            continue;
        }
        const char *tcode = stmt_text(r, 0), *school = stmt_text(q, 4);
        bool in = (!*code || !strcmp(code, tcode)) &&
                  (!sc || scope_placement_allows(sc, tcode, school, ACT_READ) == OUT_OK);
        if (in) {
            char id[VIEW_ID_SIZE];
            view_id(&v, stmt_text(r, 3), id);
            const char *kind = stmt_text(q, 3);
            table_add_row(t);
            table_set(t, D_TOWNSHIP, *stmt_text(r, 1) ? stmt_text(r, 1) : "（未填乡镇）");
            table_set(t, D_NAME, stmt_text(r, 2));
            table_set(t, D_ID, id);
            table_set(t, D_SOURCE, source_label(stmt_int(q, 1), &src));
            table_set(t, D_KIND,
                      *kind ? vocab_label(&placement_kinds, kind) : "（未登记安置方式）");
            table_set(t, D_SCHOOL, stmt_text(q, 5));
            table_set(t, D_ENDS, stmt_text(q, 6));
            table_setf(t, D_RECORD, "%lld", (long long)rid);
            if (!strcmp(kind, "home_teaching")) {
                struct send_month sm;
                if (send_month_load(s, stmt_int(q, 2), today, &sm) < 0) {
                    stmt_finalize(r);
                    rc = -1;
                    break;
                }
                char hours[16];
                tenths_format(sm.tenths, hours);
                bool is_short = send_month_short(&m, &sm),
                     checked = send_month_checked(date_or_zero(stmt_text(q, 7)), today);
                table_setf(t, D_VISITS, "%d", sm.visits);
                table_set(t, D_HOURS, hours);
                table_set(t, D_CHECK,
                          !is_short  ? "已达标"
                          : !checked ? "当月安置，不考核"
                                     : "未达标");
                behind += is_short && checked;
            }
            n++;
        }
        stmt_finalize(r);
    }
    run_status_cursor_release(&rsc);
    stmt_finalize(q);
    buf_release(&src);
    if (rc < 0) {
        table_release(t);
        return fail_store(s, o);
    }
    char sub[160];
    snprintf(sub, sizeof(sub), "截至 %s（比对 %lld），送教上门每月至少 %d 次、%d 课时", ri.as_of,
             (long long)ri.id, m.visits, m.hours);
    table_caption(t, "残疾儿童安置登记册", sub);
    table_meta(t, "as_of", ri.as_of, META_TEXT);
    table_note(t, "共 %ld 人；送教上门本月未达标 %ld 人。身份证号已遮盖。", n, behind);
    return 0;
}
