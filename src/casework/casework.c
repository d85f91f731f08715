#include "casework/casework.h"

#include "casework/event.h"
#include "casework/people.h"
#include "core/words.h"
#include "core/date.h"
#include "core/idcard.h"
#include "core/schoolyear.h"
#include "core/view.h"
#include "store/audit.h"
#include "domain/match.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "domain/settings.h"
#include "domain/status.h"
#include "ingest/field.h"
#include "store/store.h"
#include "util/common.h"
#include "util/fieldtext.h"
#include "util/utf8.h"

/* ---- settings ---- */

static const struct setting_field casework_fields[] = {
    {"casework_verify_days", offsetof(struct casework_settings, verify_days), SETTING_INT},
    {"casework_first_visit_days", offsetof(struct casework_settings, first_visit_days),
     SETTING_INT},
    {"casework_ladder_days", offsetof(struct casework_settings, ladder_days), SETTING_INT},
    {"casework_followup_months", offsetof(struct casework_settings, followup_months), SETTING_INT},
    {"casework_followup_count", offsetof(struct casework_settings, followup_count), SETTING_INT},
};

int casework_settings_load(struct store *s, struct casework_settings *cs, struct outcome *o)
{
    /* defaults, ranges and the check of stored values: the registry (domain/settings.c) */
    *cs = (struct casework_settings){.holidays = HOLIDAYS_INIT};
    if (settings_load(s, casework_fields, ARRAY_SIZE(casework_fields), cs) < 0)
        return fail_store(s, o);
    struct buf h = BUF_INIT, why = BUF_INIT;
    int rc = store_get_setting(s, "school_holidays", &h);
    if (rc < 0)
        fail_store(s, o);
    else if (rc == 1 && holidays_parse(&cs->holidays, h.buf, &why) < 0)
        rc = failed(o, OUT_ERROR, "设置“学校假期”的值无效：%s", why.buf);
    buf_release(&h);
    buf_release(&why);
    return rc < 0 ? -1 : 0;
}

void casework_settings_release(struct casework_settings *cs)
{
    holidays_release(&cs->holidays);
}

/* ---- identity ---- */

void child_key(const char *id_number, int id_flags, const char *name_key, const char *birth,
               int gender, struct buf *out)
{
    const int unusable = ID_EMPTY | ID_BAD_FORMAT | ID_BAD_CHECK | ID_BAD_BIRTH | ID_PRECISION_LOST;
    buf_reset(out);
    if (id_number && strlen(id_number) == 18 && !(id_flags & unusable) && id_is_valid(id_number))
        buf_addf(out, "I:%s", id_number);
    else
        buf_addf(out, "N:%s/%s/%d", name_key ? name_key : "", birth ? birth : "", gender);
}

/* ---- small helpers ---- */

int casework_date(const char *what, const char *field, const char *text, int not_before, int *ymd,
                  struct outcome *o)
{
    int today = date_today();
    char t[11], b[11];
    if (!text || !*text)
        *ymd = today;
    else if (date_parse(text, strlen(text), ymd) < 0)
        return failed_at(o, OUT_INVALID, field,
                         "%s“%s”不是有效日期，请按年-月-日写，例如 2026-11-20", what, text);
    date_format(today, t);
    if (*ymd > today)
        return failed_at(o, OUT_INVALID, field, "%s不能晚于今天（%s）", what, t);
    if (not_before && *ymd < not_before) {
        date_format(not_before, b);
        return failed_at(o, OUT_INVALID, field, "%s不能早于 %s（任务或案件开始的日期）", what, b);
    }
    return 0;
}

int casework_vocab_refused(struct outcome *o, const char *field, const char *lead,
                           const struct vocab *v, const char *text)
{
    struct buf m = BUF_INIT;
    buf_adds(&m, lead ? lead : "");
    vocab_error(v, text, &m);
    failed_at(o, OUT_INVALID, field, "%s", m.buf);
    buf_release(&m);
    return -1;
}

int casework_assignees(struct store *s, int64_t task_id, int64_t case_id, struct buf *out)
{
    struct stmt *q = store_prepare(
        s, "SELECT a.role, p.name, p.active FROM assignment a JOIN person p ON p.id = a.person_id"
           " WHERE a.id IN (SELECT max(id) FROM assignment"
           "  WHERE (task_id = $1 AND $2 = 0) OR case_id = $2 GROUP BY role)"
           " ORDER BY CASE a.role WHEN 'township' THEN 1 WHEN 'village' THEN 2 ELSE 3 END");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, task_id);
    stmt_bind_int(q, 2, case_id);
    int rc;
    size_t start = out->len;
    while ((rc = stmt_step(q)) == 1)
        buf_addf(out, "%s%s（%s）%s", out->len > start ? "、" : "", stmt_text(q, 1),
                 vocab_label(&assignee_roles, stmt_text(q, 0)), stmt_int(q, 2) ? "" : "[已停用]");
    stmt_finalize(q);
    if (out->len == start)
        buf_adds(out, "（未指派）");
    return rc < 0 ? -1 : 0;
}

int casework_child_header(struct store *s, int64_t child_id, int64_t record_id, bool full,
                          struct buf *out)
{
    struct view v;
    if (run_view(s, full, &v) < 0)
        return -1;
    struct stmt *q = store_prepare(
        s, "SELECT coalesce(name, ''), coalesce(gender, 0), coalesce(birth_date, ''),"
           " coalesce(id_number, id_raw, ''), coalesce(township, ''), coalesce(village, ''),"
           " coalesce(guardian, ''), coalesce(phone, ''), coalesce(address, '')"
           " FROM record WHERE id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, record_id);
    int rc = stmt_step(q);
    if (rc == 1) {
        const char *idn = stmt_text(q, 3);
        char m[VIEW_ID_SIZE];
        view_id(&v, idn, m);
        struct buf ph = BUF_INIT, born = BUF_INIT;
        view_phone(&v, stmt_text(q, 7), &ph);
        view_birth_text(&v, stmt_text(q, 2), &born);
        buf_addf(out, "儿童：%s，%s，%s，身份证号 %s\n", stmt_text(q, 0),
                 gender_label((int)stmt_int(q, 1)), born.buf, *m ? m : "（无）");
        buf_addf(out, "户籍：%s %s%s%s\n", stmt_text(q, 4), stmt_text(q, 5),
                 full && *stmt_text(q, 8) ? "，住址 " : "", full ? stmt_text(q, 8) : "");
        buf_addf(out, "监护人：%s，电话 %s\n", *stmt_text(q, 6) ? stmt_text(q, 6) : "（未填）",
                 ph.len ? ph.buf : "（未填）");
        buf_release(&ph);
        buf_release(&born);
    }
    stmt_finalize(q);
    (void)child_id;
    return rc == 1 ? 0 : -1;
}

static int64_t one_int(struct store *s, const char *sql, int64_t a, int *rc)
{
    struct stmt *q = store_prepare(s, sql);
    int64_t v = 0;
    if (!q) {
        *rc = -1;
        return 0;
    }
    stmt_bind_int(q, 1, a);
    int r = stmt_step(q);
    if (r == 1)
        v = stmt_int(q, 0);
    if (r < 0)
        *rc = -1;
    stmt_finalize(q);
    return v;
}

static int assign_one(struct store *s, int64_t task_id, int64_t case_id, const char *role,
                      int64_t person, int on, const char *actor, const char *reason)
{
    char day[11];
    date_format(on, day);
    struct stmt *q = store_prepare(s, "INSERT INTO assignment (task_id, case_id, role, person_id,"
                                      " assigned_on, assigned_by, reason)"
                                      " VALUES ($1, $2, $3, $4, $5, $6, $7)");
    if (!q)
        return -1;
    if (task_id)
        stmt_bind_int(q, 1, task_id);
    else
        stmt_bind_null(q, 1);
    if (case_id)
        stmt_bind_int(q, 2, case_id);
    else
        stmt_bind_null(q, 2);
    stmt_bind_str(q, 3, role);
    stmt_bind_int(q, 4, person);
    stmt_bind_str(q, 5, day);
    stmt_bind_str(q, 6, actor && *actor ? actor : "unknown");
    stmt_bind_str(q, 7, reason);
    int rc = stmt_step(q);
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

/* ---- after a cross-check ---- */

struct suspect {
    int64_t record_id;
    char status[16];
    char *key;
    bool known; /* the child has a row in `child`: a task or case before this run */
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

static const char *suspect_label(const char *status)
{
    int st = status_parse(status);
    return st >= 0 ? status_label((enum child_status)st) : status;
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
        if (assign_one(s, task, 0, role[i], p->person[i], on, actor, "按乡镇、村自动指派") < 0 ||
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
                     const char *why, struct assign_cache *ac)
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
    buf_addf(&t, "%s第 %lld 次比对判定为%s，建立核查任务 %lld，由%s核查，截止 %s", why,
             (long long)run_id, suspect_label(x->status), (long long)task,
             *x->township ? x->township : "（未填乡镇）", dl);
    int rc = event_add(s, child, task, 0, "task_opened", today, actor, t.buf);
    buf_release(&t);
    if (rc == 0)
        rc = auto_assign(s, child, task, x, today, actor, ac);
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
        return open_task(s, cs, run_id, x, child, today, actor, "", &ctx->assignees);
    }
    struct buf t = BUF_INIT;
    /* a case: reopened when it was resolved or closed, left alone while open */
    struct stmt *q = store_prepare(s, "SELECT id, state FROM case_file WHERE child_id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, child);
    int r = stmt_step(q);
    int64_t case_id = r == 1 ? stmt_int(q, 0) : 0;
    bool case_open = r == 1 && !strcmp(stmt_text(q, 1), "open");
    stmt_finalize(q);
    if (r < 0)
        return -1;
    if (case_id) {
        if (case_open) {
            sum->already_open++;
            return 0;
        }
        buf_addf(&t, "第 %lld 次比对显示该儿童仍不在校（%s）", (long long)run_id,
                 suspect_label(x->status));
        rc = reopen_case(s, cs, child, case_id, today, actor, t.buf);
        buf_release(&t);
        sum->cases_reopened++;
        return rc;
    }
    if (one_int(s, "SELECT count(*) FROM verify_task WHERE child_id = $1 AND state <> 'closed'",
                child, &rc)) {
        sum->already_open++;
        return rc;
    }
    /* verified as at school, yet out of school in a later run: flag the claim */
    q = store_prepare(s, "SELECT id, outcome FROM verify_task WHERE child_id = $1"
                         " AND state = 'closed' AND flagged_run IS NULL AND run_id < $2"
                         " AND outcome IN ('registered', 'in_province', 'out_of_province')");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, child);
    stmt_bind_int(q, 2, run_id);
    int64_t claim = 0;
    char outcome[32] = "";
    if ((r = stmt_step(q)) == 1) {
        claim = stmt_int(q, 0);
        snprintf(outcome, sizeof(outcome), "%s", stmt_text(q, 1));
    }
    stmt_finalize(q);
    if (r < 0)
        return -1;
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
                 suspect_label(x->status));
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
    rc = open_task(s, cs, run_id, x, child, today, actor, t.buf, &ctx->assignees);
    buf_release(&t);
    sum->tasks_created++;
    return rc;
}

/* ---- children a later run finds at school ---- */

/* An open task, an open or returned case, or a flagged claim, whose child a run may find. */
struct watched {
    int64_t child, id; /* the task or case */
    char what;         /* 't' task, 'c' case, 'f' flagged claim */
    char state[12];
    char *key;
    int64_t record; /* the child's record in the run's population batch; 0 none */
};

static int cmp_watched_key(const void *a, const void *b)
{
    return strcmp(((const struct watched *)a)->key, ((const struct watched *)b)->key);
}

static int load_watched(struct store *s, int64_t run_id, struct watched **out, size_t *n)
{
    struct stmt *q = store_prepare(
        s, "SELECT c.id, v.id, 't', v.state, c.child_key FROM verify_task v"
           " JOIN child c ON c.id = v.child_id WHERE v.state <> 'closed' AND v.run_id < $1"
           " UNION ALL SELECT c.id, v.id, 'f', v.state, c.child_key FROM verify_task v"
           " JOIN child c ON c.id = v.child_id WHERE v.state = 'closed'"
           " AND v.flagged_run IS NOT NULL AND v.flagged_run < $1"
           " UNION ALL SELECT c.id, f.id, 'c', f.state, c.child_key FROM case_file f"
           " JOIN child c ON c.id = f.child_id WHERE f.state IN ('open', 'returned')"
           " ORDER BY 1, 3, 2");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, run_id);
    int rc;
    size_t alloc = 0;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(*out, *n + 1, alloc);
        struct watched *w = &(*out)[(*n)++];
        w->child = stmt_int(q, 0);
        w->id = stmt_int(q, 1);
        w->what = stmt_text(q, 2)[0];
        snprintf(w->state, sizeof(w->state), "%s", stmt_text(q, 3));
        w->key = xstrdup(stmt_text(q, 4));
        w->record = 0;
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

/*
 * Each watched child's record in the population batch: by ID through the index, and the
 * children keyed by name and birth (no usable ID) in one pass over the batch's records
 * without a usable ID, so that the cost does not grow with their number.
 */
static int find_records(struct store *s, int64_t batch, struct watched *ws, size_t n)
{
    struct stmt *q = store_prepare(s, "SELECT min(id) FROM record WHERE batch_id = $1"
                                      " AND id_number = $2");
    if (!q)
        return -1;
    size_t by_name = 0;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(ws[i].key, "I:", 2)) {
            by_name++;
            continue;
        }
        stmt_reset(q);
        stmt_bind_int(q, 1, batch);
        stmt_bind_str(q, 2, ws[i].key + 2);
        if (stmt_step(q) == 1 && !stmt_is_null(q, 0))
            ws[i].record = stmt_int(q, 0);
    }
    stmt_finalize(q);
    if (!by_name)
        return 0;
    /* the name-keyed ones, sorted by key for bsearch (the order of ws does not matter) */
    qsort(ws, n, sizeof(*ws), cmp_watched_key);
    const int unusable = ID_EMPTY | ID_BAD_FORMAT | ID_BAD_CHECK | ID_BAD_BIRTH | ID_PRECISION_LOST;
    q = store_prepare(s, "SELECT id, id_number, id_flags, name_key, birth_date, coalesce(gender, 0)"
                         " FROM record WHERE batch_id = $1 AND (id_number IS NULL"
                         " OR length(id_number) <> 18 OR (id_flags & $2) <> 0) ORDER BY id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, batch);
    stmt_bind_int(q, 2, unusable);
    struct buf k = BUF_INIT;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        child_key(stmt_is_null(q, 1) ? NULL : stmt_text(q, 1), (int)stmt_int(q, 2), stmt_text(q, 3),
                  stmt_text(q, 4), (int)stmt_int(q, 5), &k);
        struct watched probe = {.key = k.buf};
        struct watched *hit = bsearch(&probe, ws, n, sizeof(*ws), cmp_watched_key);
        if (!hit)
            continue;
        /* every entry of that key (a child may have a task and a case) */
        while (hit > ws && !strcmp(hit[-1].key, k.buf))
            hit--;
        for (; hit < ws + n && !strcmp(hit->key, k.buf); hit++)
            if (!hit->record)
                hit->record = stmt_int(q, 0);
    }
    buf_release(&k);
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

/* The school the run's status rests on, as lists name it ("郑庄中心小学 五年级"). */
static int school_of(struct store *s, int64_t record, struct buf *out)
{
    struct stmt *q = store_prepare(s, "SELECT b.kind, coalesce(r.school_name, ''),"
                                      " coalesce(r.school_region, ''), coalesce(r.grade, 0)"
                                      " FROM record r JOIN batch b ON b.id = r.batch_id"
                                      " WHERE r.id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, record);
    int rc = stmt_step(q);
    if (rc == 1) {
        enum import_kind kind = KIND_ENROLLMENT;
        kind_parse(stmt_text(q, 0), &kind);
        school_display(out, kind, stmt_text(q, 1), stmt_text(q, 2));
        const char *g = grade_name((int)stmt_int(q, 3));
        if (*g)
            buf_addf(out, " %s", g);
    }
    stmt_finalize(q);
    if (rc == 0)
        buf_adds(out, "（学校未填）");
    return rc < 0 ? -1 : 0;
}

static int found_enrolled(struct store *s, const struct watched *w, int64_t run_id,
                          const struct run_status_entry *e, int today, const char *actor,
                          struct casework_summary *sum)
{
    struct buf school = BUF_INIT, t = BUF_INIT, ev = BUF_INIT;
    int rc = school_of(s, e->school_record, &school);
    char run[24], num[24], day[11];
    snprintf(run, sizeof(run), "%lld", (long long)run_id);
    snprintf(num, sizeof(num), "%lld", (long long)w->id);
    date_format(today, day);
    buf_addf(&ev, "第 %lld 次比对", (long long)run_id);
    const char *where = status_label(e->st);
    if (rc == 0 && w->what == 't') {
        /* the verification is done by the run itself: 已在校注册学籍, verifier the system */
        buf_addf(&t, "%s：%s（%s）", ev.buf, where, school.buf);
        const char *p[] = {num, day, school.buf, ev.buf, t.buf};
        rc = store_run(s,
                       "UPDATE verify_task SET state = 'closed', outcome = 'registered',"
                       " outcome_sub = NULL, verified_on = $2, verified_by = NULL, school = $3,"
                       " evidence = $4, note = $5, flagged_run = NULL WHERE id = $1",
                       5, p);
        buf_reset(&t);
        buf_addf(&t,
                 "%s发现已在校：%s（%s）；核查任务 %lld 自动办结，结论：已在校注册学籍；"
                 "核查人 系统（%s）",
                 ev.buf, school.buf, where, (long long)w->id, ev.buf);
        if (rc == 0)
            rc = event_add(s, w->child, w->id, 0, "verified", today, actor, t.buf);
        sum->tasks_closed++;
    } else if (rc == 0 && w->what == 'f') {
        const char *p[] = {num};
        rc = store_run(s, "UPDATE verify_task SET flagged_run = NULL WHERE id = $1", 1, p);
        buf_addf(&t, "%s发现已在校：%s（%s）；核查任务 %lld 的结论不再存疑", ev.buf, school.buf,
                 where, (long long)w->id);
        if (rc == 0)
            rc = event_add(s, w->child, w->id, 0, "claim_cleared", today, actor, t.buf);
        sum->flags_cleared++;
    } else if (rc == 0) {
        /* a case is closed only by a person (销号 needs follow-ups and an approver); the run
         * is noted once in its history, and is not a follow-up */
        char like[48];
        snprintf(like, sizeof(like), "%s发现%%", ev.buf);
        struct stmt *q = store_prepare(s, "SELECT count(*) FROM event WHERE case_id = $1"
                                          " AND kind = 'found_enrolled' AND text LIKE $2");
        int64_t seen = 0;
        if (!q) {
            rc = -1;
        } else {
            stmt_bind_int(q, 1, w->id);
            stmt_bind_str(q, 2, like);
            rc = stmt_step(q) == 1 ? 0 : -1;
            seen = rc == 0 ? stmt_int(q, 0) : 0;
            stmt_finalize(q);
        }
        if (rc == 0 && !seen) {
            buf_addf(&t, "%s发现已在校：%s（%s）；", ev.buf, school.buf, where);
            if (!strcmp(w->state, "open"))
                buf_adds(&t, "案件仍在劝返中，请核实后记录劝返结果");
            else
                buf_adds(&t, "可作巩固的佐证，不计入回访次数（回访须由人员到校或入户核实）");
            rc = event_add(s, w->child, 0, w->id, "found_enrolled", today, actor, t.buf);
            sum->cases_found_enrolled++;
        }
    }
    buf_release(&school);
    buf_release(&t);
    buf_release(&ev);
    return rc;
}

/* Open tasks, open or returned cases and flagged claims whose child this run finds at school. */
static int enrolled_pass(struct store *s, int64_t run_id, const struct run_ctx *ctx, int today,
                         const char *actor, struct casework_summary *sum)
{
    struct watched *ws = NULL;
    size_t n = 0;
    int rc = load_watched(s, run_id, &ws, &n);
    if (rc == 0 && n)
        rc = find_records(s, ctx->population_batch, ws, n);
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct run_status_entry e;
        if (!ws[i].record)
            continue;
        int r = run_status_get(s, run_id, ws[i].record, &e);
        if (r < 0)
            rc = -1;
        else if (r == 1 && (e.st == ST_ENROLLED || e.st == ST_ENROLLED_ELSEWHERE))
            rc = found_enrolled(s, &ws[i], run_id, &e, today, actor, sum);
    }
    for (size_t i = 0; i < n; i++)
        free(ws[i].key);
    free(ws);
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
    if (enrolled_pass(s, run_id, &ctx, today, actor, out) < 0) {
        failed(o, OUT_ERROR, "核对已在校儿童失败：%s", store_errmsg(s));
        store_rollback(s);
        goto out;
    }
    char target[AUDIT_TARGET_SIZE], detail[160];
    audit_target(target, OBJ_RUN, run_id);
    snprintf(detail, sizeof(detail),
             "tasks=%ld reopened=%ld flagged=%ld open=%ld closed=%ld cases_enrolled=%ld"
             " cleared=%ld deferrals=%ld",
             out->tasks_created, out->cases_reopened, out->claims_flagged, out->already_open,
             out->tasks_closed, out->cases_found_enrolled, out->flags_cleared,
             out->deferrals_expired);
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

/* ---- verification ---- */

static const struct table_col verify_cols[] = {
    {"task_id", "任务编号", COL_INT},
    {"township", "乡镇", COL_TEXT},
    {"village", "村", COL_TEXT},
    {"name", "姓名", COL_TEXT},
    {"gender", "性别", COL_TEXT},
    {"birth_date", "出生日期", COL_BIRTH},
    {"age", "年龄", COL_INT},
    {"id_number", "身份证号", COL_TEXT},
    {"suspected", "疑似情形", COL_TEXT},
    {"opened_on", "建立日期", COL_TEXT},
    {"deadline", "截止日期", COL_TEXT},
    {"state", "状态", COL_TEXT},
    {"outcome", "核查结论", COL_TEXT},
    {"assignees", "责任人", COL_TEXT},
    {"flag", "提示", COL_TEXT},
    {"case_id", "案件编号", COL_TEXT},
    {"state_key", "状态", COL_KEY},
    {"overdue", "逾期", COL_FLAG},
};

int verify_list(struct store *s, const struct verify_filter *f, struct report_table *t,
                struct outcome *o)
{
    char code[10] = "";
    const char *tname = NULL;
    const char *st = f->state ? f->state : "pending";
    static const char *const states[] = {"pending", "all", "open", "outreach", "closed", "flagged"};
    bool ok = false;
    for (size_t i = 0; i < ARRAY_SIZE(states); i++)
        ok = ok || !strcmp(st, states[i]);
    if (!ok)
        return failed_at(o, OUT_INVALID, "state", "要列出的核查任务状态“%s”无效", st);
    if (f->township && casework_township(s, f->township, code, &tname) < 0)
        return failed_at(o, OUT_INVALID, "township", "乡镇“%s”不是本县的乡镇", f->township);
    struct stmt *q = store_prepare(
        s,
        "SELECT v.id, coalesce(v.township, ''), coalesce(r.village, ''), coalesce(r.name, ''),"
        " coalesce(r.gender, 0), coalesce(r.birth_date, ''), coalesce(r.id_number, r.id_raw, ''),"
        " v.suspected, v.opened_on, v.deadline, v.state, coalesce(v.outcome, ''),"
        " coalesce(v.outcome_sub, ''), coalesce(v.flagged_run, 0),"
        " coalesce((SELECT id FROM case_file c WHERE c.task_id = v.id), 0)"
        " FROM verify_task v JOIN record r ON r.id = v.record_id"
        " WHERE (CAST($1 AS TEXT) IS NULL OR v.township_code = $1)"
        " AND ($2 = 'all' OR v.state = $2"
        "  OR ($2 = 'pending' AND (v.state <> 'closed' OR v.flagged_run IS NOT NULL))"
        "  OR ($2 = 'flagged' AND v.flagged_run IS NOT NULL))"
        " AND " TIES_FILTER_SQL(
            "$3", TIE_SCHOOL_RECORD_SQL("v", "$4"), "1 = 0", TIE_TEACHER_SQL("task_id", "v", "$5"),
            TIE_REGISTRATION_SQL(
                "v")) " ORDER BY v.township_code IS NOT NULL, v.township_code, v.deadline, v.id");
    if (!q)
        return fail_store(s, o);
    stmt_bind_str(q, 1, code);
    stmt_bind_str(q, 2, st);
    stmt_bind_int(q, 3, f->school_ties);
    stmt_bind_str(q, 4, f->school);
    stmt_bind_str(q, 5, f->school_name);
    struct view v;
    if (run_view(s, f->full, &v) < 0) {
        stmt_finalize(q);
        return fail_store(s, o);
    }
    table_init_view(t, "核查任务（疑似失学辍学儿童）", "tasks", verify_cols,
                    ARRAY_SIZE(verify_cols), &v);
    int rc, today = date_today();
    long overdue = 0;
    struct buf a = BUF_INIT;
    while ((rc = stmt_step(q)) == 1) {
        int64_t id = stmt_int(q, 0);
        table_add_row(t);
        table_setf(t, 0, "%lld", (long long)id);
        for (int c = 1; c <= 3; c++)
            table_set(t, (size_t)c, stmt_text(q, c));
        table_set(t, 4, gender_label((int)stmt_int(q, 4)));
        table_set(t, 5, stmt_text(q, 5));
        int age = view_age(&v, stmt_text(q, 5));
        if (age >= 0)
            table_setf(t, 6, "%d", age);
        char m[VIEW_ID_SIZE];
        view_id(&v, stmt_text(q, 6), m);
        table_set(t, 7, m);
        table_set(t, 8, suspect_label(stmt_text(q, 7)));
        table_set(t, 9, stmt_text(q, 8));
        table_set(t, 10, stmt_text(q, 9));
        const char *state = stmt_text(q, 10);
        bool late = strcmp(state, "closed") && date_or_zero(stmt_text(q, 9)) < today;
        overdue += late;
        table_setf(t, 11, "%s%s", vocab_label(&task_states, state), late ? "（逾期）" : "");
        const char *oc = stmt_text(q, 11);
        table_setf(t, 12, "%s%s%s%s", vocab_label(&verify_outcomes, oc),
                   *stmt_text(q, 12) ? "：" : "",
                   vocab_label(&registration_problems, stmt_text(q, 12)), "");
        buf_reset(&a);
        casework_assignees(s, id, 0, &a);
        table_set(t, 13, a.buf);
        if (stmt_int(q, 13))
            table_setf(t, 14, "第 %lld 次比对仍不在校，结论待复核", (long long)stmt_int(q, 13));
        if (stmt_int(q, 14))
            table_setf(t, 15, "%lld", (long long)stmt_int(q, 14));
        table_set(t, 16, state);
        table_set(t, 17, late ? "1" : "0");
    }
    stmt_finalize(q);
    buf_release(&a);
    if (rc < 0) {
        table_release(t);
        return fail_store(s, o);
    }
    char n[24];
    snprintf(n, sizeof(n), "%zu", t->nrows);
    table_meta(t, "total", n, META_INT);
    buf_addf(&t->footer,
             "\n共 %zu 项，其中逾期 %ld 项。查看：baoxue verify show 任务编号；"
             "记录结论：baoxue verify record 任务编号 --outcome 结论 --by 核查人\n",
             t->nrows, overdue);
    return 0;
}

/* Stand on a task's row: $1 the task id. */
static struct stmt *task_row(struct store *s, const char *sql, int64_t id, struct outcome *o)
{
    struct stmt *q = store_prepare(s, sql);
    if (!q) {
        fail_store(s, o);
        return NULL;
    }
    stmt_bind_int(q, 1, id);
    int rc = stmt_step(q);
    if (rc == 1)
        return q;
    stmt_finalize(q);
    if (rc < 0) {
        fail_store(s, o);
    } else {
        failed(o, OUT_NOT_FOUND, "没有编号为 %lld 的核查任务", (long long)id);
    }
    return NULL;
}

int verify_show(struct store *s, int64_t task_id, bool full, struct buf *out, struct outcome *o)
{
    struct stmt *q = task_row(
        s,
        "SELECT v.child_id, v.record_id, v.run_id, v.suspected, v.opened_on, v.deadline, v.state,"
        " coalesce(v.outcome, ''), coalesce(v.outcome_sub, ''), coalesce(v.verified_on, ''),"
        " coalesce(v.verified_by, 0), coalesce(v.school, ''), coalesce(v.evidence, ''),"
        " coalesce(v.note, ''), coalesce(v.flagged_run, 0), coalesce(v.township, ''),"
        " coalesce((SELECT id FROM case_file c WHERE c.task_id = v.id), 0)"
        " FROM verify_task v WHERE v.id = $1",
        task_id, o);
    if (!q)
        return -1;
    int64_t child = stmt_int(q, 0), record = stmt_int(q, 1), by = stmt_int(q, 10);
    buf_addf(out, "核查任务 %lld（第 %lld 次比对：%s）\n", (long long)task_id,
             (long long)stmt_int(q, 2), suspect_label(stmt_text(q, 3)));
    casework_child_header(s, child, record, full, out);
    buf_addf(out, "责任乡镇：%s；建立 %s，截止 %s；状态：%s\n", stmt_text(q, 15), stmt_text(q, 4),
             stmt_text(q, 5), vocab_label(&task_states, stmt_text(q, 6)));
    buf_adds(out, "责任人：");
    casework_assignees(s, task_id, 0, out);
    buf_adds(out, "\n");
    if (*stmt_text(q, 7)) {
        buf_addf(out, "核查结论：%s%s%s（%s", vocab_label(&verify_outcomes, stmt_text(q, 7)),
                 *stmt_text(q, 8) ? "：" : "", vocab_label(&registration_problems, stmt_text(q, 8)),
                 stmt_text(q, 9));
        if (by) {
            buf_adds(out, "，核查人 ");
            people_describe(s, by, out);
        } else {
            buf_addf(out, "，核查人 系统（%s）", stmt_text(q, 12)); /* closed by a run */
        }
        buf_adds(out, "）\n");
        if (*stmt_text(q, 11))
            buf_addf(out, "就读学校：%s\n", stmt_text(q, 11));
        if (*stmt_text(q, 12))
            buf_addf(out, "证明材料：%s\n", stmt_text(q, 12));
        if (*stmt_text(q, 13))
            buf_addf(out, "说明：%s\n", stmt_text(q, 13));
    }
    if (stmt_int(q, 14))
        buf_addf(out, "提示：第 %lld 次比对显示该儿童仍不在校，结论待复核\n",
                 (long long)stmt_int(q, 14));
    if (stmt_int(q, 16))
        buf_addf(out, "已立案：案件 %lld\n", (long long)stmt_int(q, 16));
    stmt_finalize(q);
    struct timeline tl = {0};
    if (timeline_load(s, child, &tl) < 0) {
        timeline_release(&tl);
        return fail_store(s, o);
    }
    buf_adds(out, "\n");
    timeline_render(&tl, out);
    timeline_release(&tl);
    return 0;
}

/* "学习困难,外出打工" → "learning,work" (the primary reason left out); -1 with the outcome. */
static int parse_reasons(const char *text, const char *primary, struct buf *keys, struct outcome *o)
{
    struct buf t = BUF_INIT, one = BUF_INIT;
    buf_adds(&t, text ? text : "");
    int ret = 0;
    const char *p = t.buf;
    while (*p && ret == 0) {
        size_t n = 0;
        while (p[n] && p[n] != ',' && strncmp(p + n, "，", 3) && strncmp(p + n, "、", 3))
            n++;
        buf_reset(&one);
        buf_add(&one, p, n);
        buf_trim(&one);
        if (one.len) {
            int k = vocab_parse(&case_reasons, one.buf);
            if (k < 0) {
                ret = casework_vocab_refused(o, "other_reasons", NULL, &case_reasons, one.buf);
            } else if (strcmp(case_reasons.words[k].key, primary ? primary : "") &&
                       !strstr(keys->buf, case_reasons.words[k].key)) {
                buf_addf(keys, "%s%s", keys->len ? "," : "", case_reasons.words[k].key);
            }
        }
        p += n;
        if (*p == ',')
            p++;
        else if (*p)
            p += 3;
    }
    buf_release(&t);
    buf_release(&one);
    return ret;
}

/* "learning,work" → "学习困难/厌学、外出打工" */
static void reasons_label(const char *keys, struct buf *out)
{
    const char *p = keys;
    while (p && *p) {
        const char *c = strchr(p, ',');
        char k[32];
        snprintf(k, sizeof(k), "%.*s", (int)(c ? (size_t)(c - p) : strlen(p)), p);
        buf_addf(out, "%s%s", p == keys ? "" : "、", vocab_label(&case_reasons, k));
        p = c ? c + 1 : NULL;
    }
}

int verify_record(struct store *s, int64_t task_id, const struct verify_input *in,
                  const char *actor, struct buf *msg, struct outcome *o)
{
    const struct text_field typed[] = {
        {"学校", in->school, TEXT_LINE, "school"},
        {"证明材料", in->evidence, TEXT_NOTE, "evidence"},
        {"备注", in->note, TEXT_NOTE, "note"},
        {"其他辍学原因", in->other_reasons, TEXT_LINE, "other_reasons"},
    };
    if (text_check_all(typed, ARRAY_SIZE(typed), o) < 0)
        return -1;
    struct casework_settings cs;
    if (casework_settings_load(s, &cs, o) < 0)
        return -1;
    struct buf other = BUF_INIT, t = BUF_INIT;
    int ret = -1;
    struct stmt *q = task_row(s,
                              "SELECT child_id, state, coalesce(outcome, ''), opened_on, run_id,"
                              " record_id, coalesce(township_code, ''), coalesce(township, ''),"
                              " coalesce(flagged_run, 0) FROM verify_task WHERE id = $1",
                              task_id, o);
    if (!q)
        goto out;
    int64_t child = stmt_int(q, 0), run = stmt_int(q, 4), record = stmt_int(q, 5);
    char state[16], before[32], tcode[10], tname[64];
    snprintf(state, sizeof(state), "%s", stmt_text(q, 1));
    snprintf(before, sizeof(before), "%s", stmt_text(q, 2));
    int opened = date_or_zero(stmt_text(q, 3));
    snprintf(tcode, sizeof(tcode), "%s", stmt_text(q, 6));
    snprintf(tname, sizeof(tname), "%s", stmt_text(q, 7));
    int64_t flagged = stmt_int(q, 8);
    stmt_finalize(q);

    /* every check before anything is written */
    /* a closed task takes a new outcome only when a later run contradicted its claim */
    if (!strcmp(state, "closed") && !flagged) {
        failed(o, OUT_INVALID, "核查任务 %lld 已办结（结论：%s），不能再次记录", (long long)task_id,
               vocab_label(&verify_outcomes, before));
        goto out;
    }
    int vo = vocab_parse(&verify_outcomes, in->outcome);
    if (vo < 0) {
        casework_vocab_refused(o, "outcome", NULL, &verify_outcomes, in->outcome);
        goto out;
    }
    const struct word *w = &verify_outcomes.words[vo];
    const char *sub = NULL;
    if (w->flags & VO_NEEDS_SUBKIND) {
        int k = vocab_parse(&registration_problems, in->subkind);
        if (k < 0) {
            casework_vocab_refused(o, "subkind", "结论为户籍问题时须写明户籍问题的类别：",
                                   &registration_problems, in->subkind);
            goto out;
        }
        sub = registration_problems.words[k].key;
    } else if (in->subkind && *in->subkind) {
        failed_at(o, OUT_INVALID, "subkind", "户籍问题的类别只用于结论“户籍问题”，不适用于“%s”",
                  w->label);
        goto out;
    }
    if ((w->flags & VO_CLAIMS_SCHOOL) && (!in->school || !*in->school)) {
        failed_at(o, OUT_INVALID, "school", "结论“%s”须写明就读学校", w->label);
        goto out;
    }
    if ((w->flags & VO_NEEDS_EVIDENCE) && (!in->evidence || !*in->evidence)) {
        failed_at(o, OUT_INVALID, "evidence",
                  "结论“%s”须写明证明材料（如学籍号、在读证明、批准文号）", w->label);
        goto out;
    }
    const char *reason = NULL;
    if (w->flags & VO_OPENS_CASE) {
        int r = vocab_parse(&case_reasons, in->reason);
        if (r < 0) {
            casework_vocab_refused(o, "reason", "确认失学辍学须写明主要原因：", &case_reasons,
                                   in->reason);
            goto out;
        }
        reason = case_reasons.words[r].key;
        if (parse_reasons(in->other_reasons, reason, &other, o) < 0)
            goto out;
    } else if ((in->reason && *in->reason) || (in->other_reasons && *in->other_reasons)) {
        failed_at(o, OUT_INVALID, in->reason && *in->reason ? "reason" : "other_reasons",
                  "失学辍学的原因只用于结论“确认失学辍学”");
        goto out;
    }
    int on;
    if (casework_date("核查日期", "date", in->date, opened, &on, o) < 0)
        goto out;
    int64_t by = 0;
    if (people_resolve(s, "核查人", "by", in->by, &by, o) < 0)
        goto out;

    char day[11];
    date_format(on, day);
    bool keeps_open = w->flags & VO_KEEPS_OPEN;
    int next_due = deadline_days(&cs.holidays, on, cs.verify_days);
    char due[11];
    date_format(next_due, due);
    if (store_begin(s) < 0) {
        fail_store(s, o);
        goto out;
    }
    q = store_prepare(
        s, "UPDATE verify_task SET state = $2, outcome = $3, outcome_sub = $4,"
           " verified_on = $5, verified_by = $6, school = $7, evidence = $8,"
           " note = $9, flagged_run = NULL, deadline = CASE WHEN $2 = 'outreach' THEN $10"
           " ELSE deadline END WHERE id = $1");
    if (!q)
        goto store_failed;
    stmt_bind_int(q, 1, task_id);
    stmt_bind_str(q, 2, keeps_open ? "outreach" : "closed");
    stmt_bind_str(q, 3, w->key);
    stmt_bind_str(q, 4, sub);
    stmt_bind_str(q, 5, day);
    stmt_bind_int(q, 6, by);
    stmt_bind_str(q, 7, in->school);
    stmt_bind_str(q, 8, in->evidence);
    stmt_bind_str(q, 9, in->note);
    stmt_bind_str(q, 10, due);
    int rc = stmt_step(q);
    stmt_finalize(q);
    if (rc < 0)
        goto store_failed;
    buf_addf(&t, "核查任务 %lld 结论：%s%s%s", (long long)task_id, w->label, sub ? "：" : "",
             sub ? vocab_label(&registration_problems, sub) : "");
    if (in->school && *in->school)
        buf_addf(&t, "，学校 %s", in->school);
    if (in->evidence && *in->evidence)
        buf_addf(&t, "，证明材料 %s", in->evidence);
    buf_adds(&t, "；核查人 ");
    people_describe(s, by, &t);
    if (in->note && *in->note)
        buf_addf(&t, "；%s", in->note);
    if (keeps_open)
        buf_addf(&t, "；转为外联保学，%s 前再次联系", due);
    if (event_add(s, child, task_id, 0, keeps_open ? "outreach" : "verified", on, actor, t.buf) < 0)
        goto store_failed;
    int64_t case_id = 0;
    if (w->flags & VO_OPENS_CASE) {
        int fv = deadline_days(&cs.holidays, on, cs.first_visit_days);
        char fvd[11];
        date_format(fv, fvd);
        q = store_prepare(s, "INSERT INTO case_file (child_id, task_id, run_id, record_id,"
                             " township_code, township, opened_on, active_since, first_visit_due,"
                             " reason, other_reasons)"
                             " VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10) RETURNING id");
        if (!q)
            goto store_failed;
        stmt_bind_int(q, 1, child);
        stmt_bind_int(q, 2, task_id);
        stmt_bind_int(q, 3, run);
        stmt_bind_int(q, 4, record);
        stmt_bind_str(q, 5, tcode);
        stmt_bind_str(q, 6, tname);
        stmt_bind_str(q, 7, day);
        stmt_bind_str(q, 8, fvd);
        stmt_bind_str(q, 9, reason);
        stmt_bind_str(q, 10, other.buf);
        case_id = stmt_step(q) == 1 ? stmt_int(q, 0) : 0;
        stmt_finalize(q);
        if (!case_id)
            goto store_failed;
        struct stmt *a = store_prepare(
            s, "INSERT INTO assignment (case_id, role, person_id, assigned_on, assigned_by,"
               " reason) SELECT $1, role, person_id, $2, $3, '由核查任务转入' FROM assignment"
               " WHERE id IN (SELECT max(id) FROM assignment WHERE task_id = $4 GROUP BY role)");
        if (!a)
            goto store_failed;
        stmt_bind_int(a, 1, case_id);
        stmt_bind_str(a, 2, day);
        stmt_bind_str(a, 3, actor && *actor ? actor : "unknown");
        stmt_bind_int(a, 4, task_id);
        rc = stmt_step(a);
        stmt_finalize(a);
        if (rc < 0)
            goto store_failed;
        buf_reset(&t);
        buf_addf(&t, "确认失学辍学，立案（一人一案）：案件 %lld，主要原因 %s", (long long)case_id,
                 vocab_label(&case_reasons, reason));
        if (other.len) {
            buf_adds(&t, "，其他原因 ");
            reasons_label(other.buf, &t);
        }
        buf_addf(&t, "；首次走访截止 %s", fvd);
        if (event_add(s, child, task_id, case_id, "case_opened", on, actor, t.buf) < 0)
            goto store_failed;
    }
    char target[AUDIT_TARGET_SIZE], detail[64];
    audit_target(target, OBJ_TASK, task_id);
    snprintf(detail, sizeof(detail), "outcome=%s%s%s", w->key, sub ? "/" : "", sub ? sub : "");
    if (audit_record(s, actor, NULL, "verify", target, detail) < 0 || store_commit(s) < 0)
        goto store_failed;
    buf_addf(msg, "已记录核查任务 %lld 的结论：%s", (long long)task_id, w->label);
    if (keeps_open)
        buf_addf(msg, "。任务转为外联保学，仍保持未办结，请在 %s 前再次联系", due);
    if (case_id)
        buf_addf(msg, "。已立案：案件 %lld，首次走访须在 %s 前完成", (long long)case_id,
                 (date_format(deadline_days(&cs.holidays, on, cs.first_visit_days), due), due));
    if (w->flags & VO_CLAIMS_SCHOOL)
        buf_adds(msg, "。下次比对时将核对该儿童是否确实在校");
    ret = 0;
    goto out;
store_failed:
    fail_store(s, o);
    store_rollback(s);
out:
    buf_release(&other);
    buf_release(&t);
    casework_settings_release(&cs);
    return ret;
}

/* ---- assignment ---- */

/*
 * A township's or village's work goes to people of that township: 1 when person `id` belongs
 * to a township other than `town` (the object's), 0 when to the same, to none (county staff)
 * or the object has none, -1 on a store error. A pairing teacher may teach elsewhere.
 */
static int other_township(struct store *s, int64_t id, const char *town)
{
    char num[24];
    snprintf(num, sizeof(num), "%lld", (long long)id);
    const char *p[] = {num, town};
    int64_t other = 0;
    if (!*town)
        return 0;
    if (store_int(s,
                  "SELECT count(*) FROM person WHERE id = $1 AND township_code IS NOT NULL"
                  " AND township_code <> '' AND township_code <> $2",
                  2, p, &other) < 0)
        return -1;
    return other ? 1 : 0;
}

int casework_assign(struct store *s, int64_t task_id, int64_t case_id,
                    const struct assign_input *in, const char *actor, struct buf *msg,
                    struct outcome *o)
{
    const char *given[] = {in->township, in->village, in->teacher};
    static const char *const roles[] = {"township", "village", "teacher"};
    if (!given[0] && !given[1] && !given[2])
        return failed(o, OUT_INVALID,
                      "没有要指派的人：请给出乡镇包保干部、村干部或结对教师（人员名册中的编号"
                      "或姓名）");
    if (text_check("指派原因", in->reason, TEXT_NOTE, o) < 0) {
        o->field = "reason";
        return -1;
    }
    int rc = 0;
    int64_t child = 0;
    char state[16] = "", town[10] = "";
    struct stmt *q = store_prepare(
        s, case_id ? "SELECT child_id, state, coalesce(township_code, '') FROM case_file"
                     " WHERE id = $1"
                   : "SELECT child_id, state, coalesce(township_code, '') FROM verify_task"
                     " WHERE id = $1");
    if (!q)
        return fail_store(s, o);
    stmt_bind_int(q, 1, case_id ? case_id : task_id);
    if ((rc = stmt_step(q)) == 1) {
        child = stmt_int(q, 0);
        snprintf(state, sizeof(state), "%s", stmt_text(q, 1));
        snprintf(town, sizeof(town), "%s", stmt_text(q, 2));
    }
    stmt_finalize(q);
    if (rc < 0)
        return fail_store(s, o);
    if (!child)
        return failed(o, OUT_NOT_FOUND, "没有编号为 %lld 的%s",
                      (long long)(case_id ? case_id : task_id), case_id ? "案件" : "核查任务");
    if (!strcmp(state, "closed"))
        return failed(o, OUT_INVALID, "%s %lld 已%s，不能再指派", case_id ? "案件" : "核查任务",
                      (long long)(case_id ? case_id : task_id), case_id ? "销号" : "办结");
    int64_t person[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        if (!given[i])
            continue;
        if (people_resolve(s, vocab_label(&assignee_roles, roles[i]), roles[i], given[i],
                           &person[i], o) < 0)
            return -1;
        if (i < 2 && (rc = other_township(s, person[i], town)) != 0) {
            if (rc < 0)
                return fail_store(s, o);
            struct buf who = BUF_INIT;
            people_describe(s, person[i], &who);
            failed_at(o, OUT_INVALID, roles[i],
                      "“%s”是另一个乡镇的人员，不能指派为这项%s的%s：请从本乡镇的人员中选择",
                      who.buf, case_id ? "案件" : "核查任务",
                      vocab_label(&assignee_roles, roles[i]));
            buf_release(&who);
            return -1;
        }
    }
    rc = 0;
    int today = date_today();
    struct buf t = BUF_INIT;
    if (store_begin(s) < 0)
        return fail_store(s, o);
    int changed = 0;
    for (int i = 0; i < 3 && rc >= 0; i++) {
        if (!person[i])
            continue;
        int64_t cur = 0;
        struct stmt *c = store_prepare(
            s, case_id ? "SELECT person_id FROM assignment WHERE case_id = $1 AND role = $2"
                         " ORDER BY id DESC LIMIT 1"
                       : "SELECT person_id FROM assignment WHERE task_id = $1 AND role = $2"
                         " ORDER BY id DESC LIMIT 1");
        if (!c) {
            rc = -1;
            break;
        }
        stmt_bind_int(c, 1, case_id ? case_id : task_id);
        stmt_bind_str(c, 2, roles[i]);
        cur = stmt_step(c) == 1 ? stmt_int(c, 0) : 0;
        stmt_finalize(c);
        if (cur == person[i])
            continue;
        changed++;
        if (assign_one(s, case_id ? 0 : task_id, case_id, roles[i], person[i], today, actor,
                       in->reason) < 0) {
            rc = -1;
            break;
        }
        buf_reset(&t);
        buf_addf(&t, "%s%s：", cur ? "改派" : "指派", vocab_label(&assignee_roles, roles[i]));
        if (cur) {
            buf_adds(&t, "由 ");
            people_describe(s, cur, &t);
            buf_adds(&t, " 改为 ");
        }
        people_describe(s, person[i], &t);
        if (in->reason && *in->reason)
            buf_addf(&t, "；原因：%s", in->reason);
        rc = event_add(s, child, case_id ? 0 : task_id, case_id, "assigned", today, actor, t.buf);
    }
    char target[AUDIT_TARGET_SIZE];
    audit_target(target, case_id ? OBJ_CASE : OBJ_TASK, case_id ? case_id : task_id);
    if (rc < 0 || audit_record(s, actor, NULL, "assign", target, NULL) < 0 || store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        buf_release(&t);
        return -1;
    }
    buf_release(&t);
    buf_addf(msg, "%s %lld：", case_id ? "案件" : "核查任务",
             (long long)(case_id ? case_id : task_id));
    if (changed) {
        buf_adds(msg, "现责任人 ");
        casework_assignees(s, task_id, case_id, msg);
        buf_adds(msg, "（原指派保留在历史中）");
    } else {
        buf_adds(msg, "责任人未变（与现指派相同）");
    }
    return 0;
}
