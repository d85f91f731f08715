/*
 * After a cross-check: a verification task for every suspected child, assigned by township and
 * village, and the cases of children seen before reopened (casework_after_match).
 */
#include "casework/casework.h"
#include "casework/casework_impl.h"

#include "casework/event.h"
#include "casework/people.h"
#include "core/words.h"
#include "core/date.h"
#include "core/view.h"
#include "store/audit.h"
#include "domain/match.h"
#include "domain/run.h"
#include "store/store.h"
#include "util/common.h"

/* ---- after a cross-check ---- */

struct suspect {
    int64_t record_id;
    char status[16];
    char *key;
    bool known;               /* the child has a row in `child`: a task or case before this run */
    bool found_by_attendance; /* the task comes of the attendance rules (warning.h), not of
                                 the run: `why` is the whole reason */
    char tcode[10];
    char *township, *village;
};

static int load_suspects(struct store *s, int64_t run_id, struct suspect **out, size_t *n)
{
    struct stmt *q = store_prepare(
        s, "SELECT cs.record_id, cs.status, r.id_number, r.id_flags, r.name_key, r.birth_date,"
           " coalesce(r.gender, 0), coalesce(r.township_code, ''), coalesce(r.township, ''),"
           " coalesce(r.village, '')"
           " FROM child_status cs JOIN record r ON r.id = cs.record_id"
           " WHERE cs.run_id = $1 AND cs.status <> 'enrolled'"
           " AND cs.status IN ('not_enrolled', 'dropped_out') ORDER BY cs.record_id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, run_id);
    int rc;
    size_t alloc = 0;
    struct buf k = BUF_INIT;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(*out, *n + 1, alloc);
        struct suspect *x = &(*out)[(*n)++];
        memset(x, 0, sizeof(*x));
        x->record_id = stmt_int(q, 0);
        snprintf(x->status, sizeof(x->status), "%s", stmt_text(q, 1));
        child_key(stmt_is_null(q, 2) ? NULL : stmt_text(q, 2), (int)stmt_int(q, 3), stmt_text(q, 4),
                  stmt_text(q, 5), (int)stmt_int(q, 6), &k);
        x->key = xstrdup(k.buf);
        snprintf(x->tcode, sizeof(x->tcode), "%s", stmt_text(q, 7));
        x->township = xstrdup(stmt_text(q, 8));
        x->village = xstrdup(stmt_text(q, 9));
    }
    buf_release(&k);
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

/* Which suspects are children seen before (a row in `child`): one read of the keys. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int mark_known(struct store *s, struct suspect *xs, size_t n)
{
    struct stmt *q = store_prepare(s, "SELECT child_key FROM child");
    if (!q)
        return -1;
    char **keys = NULL;
    size_t nk = 0, alloc = 0;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(keys, nk + 1, alloc);
        keys[nk++] = xstrdup(stmt_text(q, 0));
    }
    stmt_finalize(q);
    if (nk)
        qsort(keys, nk, sizeof(*keys), cmp_str);
    for (size_t i = 0; i < n; i++)
        xs[i].known = nk && bsearch(&xs[i].key, keys, nk, sizeof(*keys), cmp_str) != NULL;
    for (size_t i = 0; i < nk; i++)
        free(keys[i]);
    free(keys);
    return rc < 0 ? -1 : 0;
}

static int64_t child_upsert(struct store *s, const struct suspect *x, int64_t run_id)
{
    struct stmt *q = store_prepare(
        s, "INSERT INTO child (child_key, first_run, first_record, last_run, last_record)"
           " VALUES ($1, $2, $3, $2, $3) ON CONFLICT (child_key) DO UPDATE SET"
           " last_run = excluded.last_run, last_record = excluded.last_record RETURNING id");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, x->key);
    stmt_bind_int(q, 2, run_id);
    stmt_bind_int(q, 3, x->record_id);
    int64_t id = stmt_step(q) == 1 ? stmt_int(q, 0) : -1;
    stmt_finalize(q);
    return id;
}

static int reopen_case(struct store *s, const struct casework_settings *cs, int64_t child,
                       int64_t case_id, int on, const char *actor, const char *why)
{
    char today[11], due[11];
    int due_ymd = deadline_days(&cs->holidays, on, cs->first_visit_days);
    date_format(on, today);
    date_format(due_ymd, due);
    struct stmt *q = store_prepare(s, "UPDATE case_file SET state = 'open',"
                                      " reopened = reopened + 1, active_since = $2,"
                                      " first_visit_due = $3 WHERE id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, case_id);
    stmt_bind_str(q, 2, today);
    stmt_bind_str(q, 3, due);
    int rc = stmt_step(q);
    stmt_finalize(q);
    if (rc < 0)
        return -1;
    struct buf t = BUF_INIT;
    buf_addf(&t, "案件 %lld 重新打开：%s；须在 %s 前走访", (long long)case_id, why, due);
    rc = event_add(s, child, 0, case_id, "reopened", on, actor, t.buf);
    buf_release(&t);
    return rc;
}

/*
 * Who is assigned to a new task of a township and village, looked up once per place: a first
 * cross-check opens tens of thousands of tasks in a dozen townships.
 */
struct assignee_of_place {
    char tcode[10];
    char *village;
    int64_t person[2]; /* township official, village cadre; 0 none */
    char *text[2];     /* the event's sentence for each */
};

struct assign_cache {
    struct assignee_of_place *e;
    size_t n, alloc;
};

static void assign_cache_release(struct assign_cache *ac)
{
    for (size_t i = 0; i < ac->n; i++) {
        free(ac->e[i].village);
        free(ac->e[i].text[0]);
        free(ac->e[i].text[1]);
    }
    free(ac->e);
    memset(ac, 0, sizeof(*ac));
}

static int auto_assign_lookup(struct store *s, const struct suspect *x,
                              struct assignee_of_place *out);

static int auto_assign(struct store *s, int64_t child, int64_t task, const struct suspect *x,
                       int on, const char *actor, struct assign_cache *ac)
{
    static const char *const role[] = {"township", "village"};
    if (!x->tcode[0])
        return 0;
    struct assignee_of_place *p = NULL;
    for (size_t i = 0; i < ac->n && !p; i++)
        if (!strcmp(ac->e[i].tcode, x->tcode) && !strcmp(ac->e[i].village, x->village))
            p = &ac->e[i];
    if (!p) {
        ALLOC_GROW(ac->e, ac->n + 1, ac->alloc);
        p = &ac->e[ac->n];
        memset(p, 0, sizeof(*p));
        if (auto_assign_lookup(s, x, p) < 0) {
            free(p->village);
            free(p->text[0]);
            free(p->text[1]);
            return -1;
        }
        ac->n++;
    }
    for (int i = 0; i < 2; i++) {
        if (!p->person[i])
            continue;
        if (casework_assign_one(s, task, 0, role[i], p->person[i], on, actor,
                                "按乡镇、村自动指派") < 0 ||
            event_add(s, child, task, 0, "assigned", on, actor, p->text[i]) < 0)
            return -1;
    }
    return 0;
}

static int auto_assign_lookup(struct store *s, const struct suspect *x,
                              struct assignee_of_place *out)
{
    static const char *const sql[] = {
        "SELECT id FROM person WHERE active = 1 AND org_kind = 'township'"
        " AND township_code = $1 ORDER BY id LIMIT 1",
        "SELECT id FROM person WHERE active = 1 AND org_kind = 'village'"
        " AND township_code = $1 AND $2 <> '' AND replace(org, $2, '') <> org"
        " ORDER BY id LIMIT 1",
    };
    static const char *const role[] = {"township", "village"};
    snprintf(out->tcode, sizeof(out->tcode), "%s", x->tcode);
    out->village = xstrdup(x->village);
    for (int i = 0; i < 2; i++) {
        struct stmt *q = store_prepare(s, sql[i]);
        if (!q)
            return -1;
        stmt_bind_str(q, 1, x->tcode);
        if (i == 1) /* the village's name in the person's organisation */
            stmt_bind_text(q, 2, x->village, strlen(x->village));
        int rc = stmt_step(q);
        out->person[i] = rc == 1 ? stmt_int(q, 0) : 0;
        stmt_finalize(q);
        if (rc < 0)
            return -1;
        if (!out->person[i])
            continue;
        struct buf t = BUF_INIT;
        buf_addf(&t, "自动指派%s：", vocab_label(&assignee_roles, role[i]));
        rc = people_describe(s, out->person[i], &t);
        out->text[i] = buf_detach(&t, NULL);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* A new verification task for the child's township, assigned from the registry. `why` starts
 * the event's sentence ("" or the reason a child is asked about again). */
static int open_task(struct store *s, const struct casework_settings *cs, int64_t run_id,
                     const struct suspect *x, int64_t child, int today, const char *actor,
                     const char *why, struct assign_cache *ac, int64_t *task_out)
{
    int due = deadline_days(&cs->holidays, today, cs->verify_days);
    char on[11], dl[11];
    date_format(today, on);
    date_format(due, dl);
    struct stmt *q = store_prepare(s, "INSERT INTO verify_task (child_id, run_id, record_id,"
                                      " suspected, township_code, township, opened_on, deadline)"
                                      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, child);
    stmt_bind_int(q, 2, run_id);
    stmt_bind_int(q, 3, x->record_id);
    stmt_bind_str(q, 4, x->status);
    stmt_bind_str(q, 5, x->tcode);
    stmt_bind_str(q, 6, x->township);
    stmt_bind_str(q, 7, on);
    stmt_bind_str(q, 8, dl);
    int64_t task = stmt_step(q) == 1 ? stmt_int(q, 0) : 0;
    stmt_finalize(q);
    if (!task)
        return -1;
    struct buf t = BUF_INIT;
    if (x->found_by_attendance)
        buf_addf(&t, "%s，建立核查任务 %lld（%s），由%s核查，截止 %s", why, (long long)task,
                 casework_suspect_label(x->status), *x->township ? x->township : "（未填乡镇）",
                 dl);
    else
        buf_addf(&t, "%s第 %lld 次比对判定为%s，建立核查任务 %lld，由%s核查，截止 %s", why,
                 (long long)run_id, casework_suspect_label(x->status), (long long)task,
                 *x->township ? x->township : "（未填乡镇）", dl);
    int rc = event_add(s, child, task, 0, "task_opened", today, actor, t.buf);
    buf_release(&t);
    if (rc == 0)
        rc = auto_assign(s, child, task, x, today, actor, ac);
    if (task_out)
        *task_out = task;
    return rc;
}

int casework_task_open(struct store *s, const struct casework_settings *cs, int64_t run_id,
                       int64_t record_id, const char *why, int today, const char *actor,
                       int64_t *task)
{
    struct stmt *q = store_prepare(
        s, "SELECT r.id_number, r.id_flags, r.name_key, r.birth_date, coalesce(r.gender, 0),"
           " coalesce(r.township_code, ''), coalesce(r.township, ''), coalesce(r.village, '')"
           " FROM record r WHERE r.id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, record_id);
    int rc = stmt_step(q);
    struct suspect x = {.record_id = record_id, .found_by_attendance = true};
    struct buf k = BUF_INIT;
    if (rc == 1) {
        snprintf(x.status, sizeof(x.status), "dropped_out");
        child_key(stmt_is_null(q, 0) ? NULL : stmt_text(q, 0), (int)stmt_int(q, 1), stmt_text(q, 2),
                  stmt_text(q, 3), (int)stmt_int(q, 4), &k);
        x.key = k.buf;
        snprintf(x.tcode, sizeof(x.tcode), "%s", stmt_text(q, 5));
        x.township = xstrdup(stmt_text(q, 6));
        x.village = xstrdup(stmt_text(q, 7));
    }
    stmt_finalize(q);
    if (rc != 1) {
        buf_release(&k);
        return -1;
    }
    struct assign_cache ac = {0};
    /* a child seen before keeps its last run that found it out of school (last_run,
     * last_record: the groups and lists read it); a new one starts at this run */
    int64_t child = 0;
    const char *key[] = {x.key};
    if (store_int(s, "SELECT id FROM child WHERE child_key = $1", 1, key, &child) < 0)
        child = -1;
    else if (!child)
        child = child_upsert(s, &x, run_id);
    rc = child < 0 ? -1 : open_task(s, cs, run_id, &x, child, today, actor, why, &ac, task);
    assign_cache_release(&ac);
    free(x.township);
    free(x.village);
    buf_release(&k);
    return rc;
}

int deferral_school_year(const struct school_calendar *cal, int task_run_year, int verified_on)
{
    int y = verified_on ? school_year_of(cal, verified_on) : 0;
    return y > task_run_year ? y : task_run_year;
}

/* What casework_after_match knows about its run. */
struct run_ctx {
    struct school_calendar cal;
    int school_year;
    int64_t population_batch;
    int64_t school_lists; /* the newest of the run's school lists (batch.live_seq): an outcome
                             recorded after it (outcome_lists >= it) stands */
    struct assign_cache assignees;
};

static int one_suspect(struct store *s, const struct casework_settings *cs, struct run_ctx *ctx,
                       int64_t run_id, const struct suspect *x, int today, const char *actor,
                       struct casework_summary *sum)
{
    int rc = 0;
    int64_t child = child_upsert(s, x, run_id);
    if (child < 0)
        return -1;
    if (!x->known) {
        /* never suspected before: no case, no task, nothing to look up */
        sum->tasks_created++;
        return open_task(s, cs, run_id, x, child, today, actor, "", &ctx->assignees, NULL);
    }
    struct buf t = BUF_INIT;
    /* a case: reopened when it was resolved or closed, left alone while open */
    struct stmt *q = store_prepare(
        s, "SELECT id, state, coalesce(outcome_lists, 0) FROM case_file WHERE child_id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, child);
    int r = stmt_step(q);
    int64_t case_id = r == 1 ? stmt_int(q, 0) : 0;
    bool case_open = r == 1 && !strcmp(stmt_text(q, 1), "open");
    int64_t case_lists = r == 1 ? stmt_int(q, 2) : 0;
    stmt_finalize(q);
    if (r < 0)
        return -1;
    if (case_id) {
        if (case_open) {
            sum->already_open++;
            return 0;
        }
        /* an outcome (复学, …) recorded after the run's school lists stands until a newer
         * list contradicts it */
        if (case_lists >= ctx->school_lists) {
            sum->outcomes_stand++;
            return 0;
        }
        buf_addf(&t, "第 %lld 次比对显示该儿童仍不在校（%s）", (long long)run_id,
                 casework_suspect_label(x->status));
        rc = reopen_case(s, cs, child, case_id, today, actor, t.buf);
        buf_release(&t);
        sum->cases_reopened++;
        return rc;
    }
    if (casework_one_int(
            s, "SELECT count(*) FROM verify_task WHERE child_id = $1 AND state <> 'closed'", child,
            &rc)) {
        sum->already_open++;
        return rc;
    }
    /* verified as at school, yet out of school in a later run: flag the claim, but only when
     * one of the run's school lists is newer than the claim (field work outranks a stale list:
     * a run of the same lists again, or of a new register alone, contradicts nothing) */
    q = store_prepare(s, "SELECT id, outcome, CASE WHEN coalesce(outcome_lists, 0) >= $3"
                         " THEN 1 ELSE 0 END FROM verify_task WHERE child_id = $1"
                         " AND state = 'closed' AND flagged_run IS NULL AND run_id < $2"
                         " AND outcome IN ('registered', 'in_province', 'out_of_province')"
                         " ORDER BY 3, id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, child);
    stmt_bind_int(q, 2, run_id);
    stmt_bind_int(q, 3, ctx->school_lists);
    int64_t claim = 0;
    bool stands = false;
    char outcome[32] = "";
    if ((r = stmt_step(q)) == 1) {
        claim = stmt_int(q, 0);
        snprintf(outcome, sizeof(outcome), "%s", stmt_text(q, 1));
        stands = stmt_int(q, 2) != 0;
    }
    stmt_finalize(q);
    if (r < 0)
        return -1;
    if (claim && stands) {
        sum->outcomes_stand++;
        return 0;
    }
    if (claim) {
        char run[24];
        snprintf(run, sizeof(run), "%lld", (long long)run_id);
        char num[24];
        snprintf(num, sizeof(num), "%lld", (long long)claim);
        const char *p[] = {num, run};
        if (store_run(s, "UPDATE verify_task SET flagged_run = $2 WHERE id = $1", 2, p) < 0)
            return -1;
        buf_addf(&t,
                 "核查任务 %lld 的结论“%s”与第 %lld 次比对不符：该儿童仍为%s，"
                 "请核实学校和证明材料",
                 (long long)claim, vocab_label(&verify_outcomes, outcome), (long long)run_id,
                 casework_suspect_label(x->status));
        rc = event_add(s, child, claim, 0, "claim_flagged", today, actor, t.buf);
        buf_release(&t);
        sum->claims_flagged++;
        return rc;
    }
    /* deferred entry (延缓入学) is approved for one school year: the latest task decides */
    q = store_prepare(s, "SELECT v.id, coalesce(v.outcome, ''), coalesce(v.verified_on, ''),"
                         " m.school_year FROM verify_task v JOIN match_run m ON m.id = v.run_id"
                         " WHERE v.child_id = $1 ORDER BY v.id DESC LIMIT 1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, child);
    int64_t last = 0;
    int until = 0;
    if ((r = stmt_step(q)) == 1) {
        last = stmt_int(q, 0);
        if (!strcmp(stmt_text(q, 1), "deferred"))
            until =
                deferral_school_year(&ctx->cal, (int)stmt_int(q, 3), date_or_zero(stmt_text(q, 2)));
    }
    stmt_finalize(q);
    if (r < 0)
        return -1;
    if (last && !(until && until < ctx->school_year)) {
        /* verified before with an outcome that explains the absence (abroad, deceased, …) */
        sum->already_open++;
        return 0;
    }
    if (last) {
        buf_addf(&t, "延缓入学（核查任务 %lld，批准 %d-%d 学年）已到期，", (long long)last, until,
                 until + 1);
        sum->deferrals_expired++;
    }
    rc = open_task(s, cs, run_id, x, child, today, actor, t.buf, &ctx->assignees, NULL);
    buf_release(&t);
    sum->tasks_created++;
    return rc;
}

int casework_after_match(struct store *s, int64_t run_id, const char *actor,
                         struct casework_summary *out, struct outcome *o)
{
    struct casework_settings cs;
    struct suspect *xs = NULL;
    size_t n = 0;
    int ret = -1;
    memset(out, 0, sizeof(*out));
    if (casework_settings_load(s, &cs, o) < 0)
        return -1;
    struct run_ctx ctx = {0};
    struct run_info ri;
    if (calendar_load(s, &ctx.cal) < 0) {
        fail_store(s, o);
        goto out;
    }
    if (run_info_load(s, run_id, &ri, o) < 0)
        goto out;
    ctx.school_year = ri.school_year;
    ctx.population_batch = ri.population_batch;
    {
        char e[24], x[24];
        snprintf(e, sizeof(e), "%lld", (long long)ri.enrollment_batch);
        snprintf(x, sizeof(x), "%lld", (long long)ri.outside_batch);
        const char *p[] = {e, x};
        if (store_int(s,
                      "SELECT coalesce(max(live_seq), 0) FROM batch WHERE id IN ($1, $2)"
                      " AND live_seq IS NOT NULL",
                      2, p, &ctx.school_lists) < 0) {
            fail_store(s, o);
            goto out;
        }
    }
    if (load_suspects(s, run_id, &xs, &n) < 0) {
        fail_store(s, o);
        goto out;
    }
    out->out_of_school = (long)n;
    if (mark_known(s, xs, n) < 0) {
        fail_store(s, o);
        goto out;
    }
    int today = date_today();
    if (store_begin(s) < 0) {
        fail_store(s, o);
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if (one_suspect(s, &cs, &ctx, run_id, &xs[i], today, actor, out) < 0) {
            failed(o, OUT_ERROR, "核查任务生成失败：%s", store_errmsg(s));
            store_rollback(s);
            goto out;
        }
    if (casework_enrolled_pass(s, run_id, ctx.population_batch, today, actor, out) < 0) {
        failed(o, OUT_ERROR, "核对已在校儿童失败：%s", store_errmsg(s));
        store_rollback(s);
        goto out;
    }
    char target[AUDIT_TARGET_SIZE], detail[512];
    audit_target(target, OBJ_RUN, run_id);
    snprintf(detail, sizeof(detail),
             "新建核查任务 %ld 项，重新打开案件 %ld 件，结论待复核 %ld 项，已有任务 %ld 项，"
             "在校销任务 %ld 项，案件儿童在校 %ld 件，复核解除 %ld 项，暂缓到期 %ld 项，"
             "结论因名单未更新而维持 %ld 项",
             out->tasks_created, out->cases_reopened, out->claims_flagged, out->already_open,
             out->tasks_closed, out->cases_found_enrolled, out->flags_cleared,
             out->deferrals_expired, out->outcomes_stand);
    if (audit_record(s, actor, NULL, "casework", target, detail) < 0 || store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        goto out;
    }
    ret = 0;
out:
    for (size_t i = 0; i < n; i++) {
        free(xs[i].key);
        free(xs[i].township);
        free(xs[i].village);
    }
    free(xs);
    assign_cache_release(&ctx.assignees);
    casework_settings_release(&cs);
    return ret;
}

void casework_describe(const struct casework_summary *cw, struct buf *out)
{
    buf_addf(out,
             "核查与案件：新建核查任务 %ld 项，重新打开案件 %ld 件，"
             "核查结论存疑（仍不在校）%ld 项，已在办理中 %ld 人\n",
             cw->tasks_created, cw->cases_reopened, cw->claims_flagged, cw->already_open);
    if (cw->deferrals_expired)
        buf_addf(out, "  其中延缓入学已到期、仍未入学 %ld 人\n", cw->deferrals_expired);
    if (cw->outcomes_stand)
        buf_addf(out,
                 "  %ld 人的核查结论或劝返结果晚于本次所用的学籍和外出就读名单，本次比对不推翻"
                 "（导入更新的名单后再核对）\n",
                 cw->outcomes_stand);
    if (cw->tasks_closed || cw->cases_found_enrolled || cw->flags_cleared)
        buf_addf(out,
                 "比对发现已在校：核查任务自动办结 %ld 项（结论 已在校注册学籍），"
                 "案件记入经办记录 %ld 件（案件不自动销号），存疑结论解除 %ld 项\n",
                 cw->tasks_closed, cw->cases_found_enrolled, cw->flags_cleared);
}
