/* The monthly report's confirmation: townships confirm, the county issues
 * (report/monthly_confirm.h). */
#include "report/monthly_confirm.h"

#include <fcntl.h>
#include <unistd.h>

#include "core/date.h"
#include "core/division.h"
#include "domain/monthly_due.h"
#include "domain/settings.h"
#include "report/ledger_impl.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"
#include "util/utf8.h"

int monthly_month_arg(const char *text, int *month, struct outcome *o)
{
    if (!text || !*text) {
        *month = monthly_open_month(date_today());
        return 0;
    }
    *month = monthly_parse(text);
    if (*month < 0)
        return failed_at(o, OUT_INVALID, "month", "月份“%s”无效，应为 年-月，如 2026-10", text);
    return 0;
}

struct due_settings {
    int confirm_day;
};

static int confirm_day(struct store *s)
{
    static const struct setting_field fields[] = {
        {"monthly_confirm_day", offsetof(struct due_settings, confirm_day), SETTING_INT},
    };
    struct due_settings ds = {15};
    if (settings_load(s, fields, ARRAY_SIZE(fields), &ds) < 0)
        ds.confirm_day = 15;
    return ds.confirm_day;
}

static bool county_role(const struct scope *sc)
{
    return !sc || sc->role == ROLE_ADMIN || sc->role == ROLE_COUNTY;
}

/* The township an action names: a township account's own (naming another is refused), the
 * county's by code or name. */
static int township_arg(struct store *s, const struct scope *sc, const char *arg, char code[10],
                        const char **name, bool own_allowed, struct outcome *o)
{
    if (sc && sc->role == ROLE_TOWNSHIP && own_allowed) {
        if (arg && *arg) {
            char c[10];
            const char *n;
            if (ledger_township_arg(s, arg, c, &n, o) < 0)
                return -1;
            if (strcmp(c, sc->township ? sc->township : ""))
                return failed(o, OUT_FORBIDDEN, "只能确认本乡镇的月报");
        }
        if (!sc->township || !*sc->township)
            return failed(o, OUT_FORBIDDEN, "您的账号没有所属乡镇，不能确认月报");
        return ledger_township_arg(s, sc->township, code, name, o);
    }
    if (!county_role(sc))
        return failed(o, OUT_FORBIDDEN, "您的账号不能办理月报确认");
    if (!arg || !*arg)
        return failed_at(o, OUT_INVALID, "township", "请写明乡镇（代码或名称）");
    return ledger_township_arg(s, arg, code, name, o);
}

/* The current (not withdrawn) confirmation of a township's month: 1 found (id, person, at),
 * 0 none, -1 error. */
static int current_confirm(struct store *s, const char *mon, const char *code, int64_t *id,
                           struct buf *who)
{
    struct stmt *q = store_prepare(
        s, "SELECT c.id, c.person, c.confirmed_at FROM monthly_confirm c"
           " WHERE c.month = $1 AND c.township_code = $2"
           " AND NOT EXISTS (SELECT 1 FROM monthly_withdraw w WHERE w.confirm_id = c.id)");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, mon);
    stmt_bind_str(q, 2, code);
    int rc = stmt_step(q);
    if (rc == 1) {
        *id = stmt_int(q, 0);
        if (who)
            buf_addf(who, "%s（%.16s）", stmt_text(q, 1), stmt_text(q, 2));
    }
    stmt_finalize(q);
    return rc;
}

static int issued_at(struct store *s, const char *mon, int64_t *id)
{
    const char *p[] = {mon};
    *id = 0;
    return store_int(s, "SELECT coalesce(max(id), 0) FROM monthly_issue WHERE month = $1", 1, p,
                     id);
}

static void month_cn(int month, char *out, size_t size)
{
    snprintf(out, size, "%d年%d月", ymd_year(month), ymd_month(month));
}

int monthly_confirm(struct store *s, const struct scope *sc, const struct monthly_confirm_input *in,
                    const char *actor, struct buf *msg, struct outcome *o)
{
    int month;
    char code[10], mon[8], mcn[24];
    const char *tname;
    if (monthly_month_arg(in->month, &month, o) < 0 ||
        township_arg(s, sc, in->township, code, &tname, true, o) < 0)
        return -1;
    monthly_format(month, mon);
    month_cn(month, mcn, sizeof(mcn));
    int today = date_today(), rdate = monthly_report_date(month);
    if (rdate > today) {
        char d[24];
        date_format_cn(rdate, d, sizeof(d));
        return failed_at(o, OUT_INVALID, "month", "%s的月报截至%s，到那天才能确认", mcn, d);
    }
    const char *person = in->person ? in->person : "";
    if (utf8_count(person, strlen(person)) > 40)
        return failed_at(o, OUT_INVALID, "person", "确认人最多 40 字");
    if (in->note && utf8_count(in->note, strlen(in->note)) > 500)
        return failed_at(o, OUT_INVALID, "note", "说明最多 500 字");
    json_t *all = monthly_figures(s, month, code, o);
    if (!all)
        return -1;
    char *fig = json_dumps(json_object_get(all, code), JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(all);
    if (!fig)
        return failed(o, OUT_ERROR, "无法取得%s的月报数字", tname);
    if (store_begin(s) < 0) {
        free(fig);
        return fail_store(s, o);
    }
    int64_t cur = 0, issue = 0;
    struct buf who = BUF_INIT;
    int rc = current_confirm(s, mon, code, &cur, &who);
    if (rc == 0)
        rc = issued_at(s, mon, &issue);
    if (rc < 0) {
        free(fig);
        buf_release(&who);
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    if (cur || issue) {
        store_rollback(s);
        free(fig);
        if (issue)
            failed(o, OUT_INVALID, "%s的全县月报已审定上报，不能再确认", mcn);
        else
            failed(o, OUT_INVALID, "%s%s的月报已由%s确认；如需更正，请县教育局撤回后重新确认",
                   tname, mcn, who.buf);
        buf_release(&who);
        return -1;
    }
    buf_release(&who);
    char now[32], rd[11];
    date_now_text(now, sizeof(now));
    date_format(rdate, rd);
    const char *acc = actor && *actor ? actor : "unknown";
    const char *args[] = {mon, code, tname, person, in->note && *in->note ? in->note : "",
                          acc, now,  rd,    fig};
    rc = store_run(
        s,
        "INSERT INTO monthly_confirm (month, township_code, township, person, note,"
        " account, confirmed_at, report_date, figures, round)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
        " (SELECT count(*) FROM monthly_confirm WHERE month = $1 AND township_code = $2))",
        9, args);
    free(fig);
    char detail[256], target[AUDIT_TARGET_SIZE];
    snprintf(detail, sizeof(detail), "%s%s月报：确认人 %s", tname, mcn, person);
    if (rc < 0 ||
        audit_record(s, acc, sc ? sc->origin : "cli", "monthly_confirm",
                     audit_target_name(target, OBJ_MONTHLY, mon), detail) < 0 ||
        store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "%s%s的月报已确认（确认人 %s），数字已冻结", tname, mcn, person);
    return 0;
}

int monthly_withdraw(struct store *s, const struct scope *sc,
                     const struct monthly_withdraw_input *in, const char *actor, struct buf *msg,
                     struct outcome *o)
{
    int month;
    char code[10], mon[8], mcn[24];
    const char *tname;
    if (!county_role(sc))
        return failed(o, OUT_FORBIDDEN, "只有县教育局能撤回乡镇的月报确认");
    if (monthly_month_arg(in->month, &month, o) < 0 ||
        township_arg(s, sc, in->township, code, &tname, false, o) < 0)
        return -1;
    monthly_format(month, mon);
    month_cn(month, mcn, sizeof(mcn));
    if (!in->reason || utf8_count(in->reason, strlen(in->reason)) > 500)
        return failed_at(o, OUT_INVALID, "reason", "撤回理由最多 500 字");
    if (store_begin(s) < 0)
        return fail_store(s, o);
    int64_t cur = 0, issue = 0;
    int rc = current_confirm(s, mon, code, &cur, NULL);
    if (rc >= 0)
        rc = issued_at(s, mon, &issue);
    if (rc < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    if (!cur || issue) {
        store_rollback(s);
        return issue ? failed(o, OUT_INVALID, "%s的全县月报已审定上报，乡镇的确认不能再撤回", mcn)
                     : failed(o, OUT_INVALID, "%s%s的月报还没有确认，无可撤回", tname, mcn);
    }
    char now[32], ids[24];
    date_now_text(now, sizeof(now));
    snprintf(ids, sizeof(ids), "%lld", (long long)cur);
    const char *acc = actor && *actor ? actor : "unknown";
    const char *args[] = {ids, in->reason, acc, now};
    rc = store_run(s,
                   "INSERT INTO monthly_withdraw (confirm_id, reason, account, withdrawn_at)"
                   " VALUES (CAST($1 AS BIGINT), $2, $3, $4)",
                   4, args);
    char detail[256], target[AUDIT_TARGET_SIZE];
    snprintf(detail, sizeof(detail), "%s%s月报的确认已撤回", tname, mcn);
    if (rc < 0 ||
        audit_record(s, acc, sc ? sc->origin : "cli", "monthly_withdraw",
                     audit_target_name(target, OBJ_MONTHLY, mon), detail) < 0 ||
        store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "已撤回%s%s月报的确认，乡镇须重新确认", tname, mcn);
    return 0;
}

/* Every township of the county, in the division's order. */
static const struct township *townships(struct store *s, size_t *n)
{
    char county[7];
    ledger_county_name(s, county);
    *n = 0;
    return county[0] ? division_townships(county, n) : NULL;
}

/* The current confirmations of a month: {code: {person, account, confirmed_at, note,
 * figures}}. NULL on a store error. */
static json_t *confirmations(struct store *s, const char *mon)
{
    struct stmt *q = store_prepare(
        s, "SELECT c.township_code, c.person, c.account, c.confirmed_at, coalesce(c.note, ''),"
           " c.figures, c.id FROM monthly_confirm c WHERE c.month = $1"
           " AND NOT EXISTS (SELECT 1 FROM monthly_withdraw w WHERE w.confirm_id = c.id)");
    if (!q)
        return NULL;
    stmt_bind_str(q, 1, mon);
    json_t *all = json_object();
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        json_t *fig = json_loads(stmt_text(q, 5), 0, NULL);
        json_object_set_new(all, stmt_text(q, 0),
                            json_pack("{s:s, s:s, s:s, s:s, s:o, s:I}", "person", stmt_text(q, 1),
                                      "account", stmt_text(q, 2), "confirmed_at", stmt_text(q, 3),
                                      "note", stmt_text(q, 4), "figures", fig ? fig : json_object(),
                                      "id", (json_int_t)stmt_int(q, 6)));
    }
    stmt_finalize(q);
    if (rc < 0) {
        json_decref(all);
        return NULL;
    }
    return all;
}

/* A file's bytes into out (appended); -1 when it cannot be read. */
static int slurp(const char *path, struct buf *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char chunk[65536];
    ssize_t k;
    while ((k = read(fd, chunk, sizeof(chunk))) > 0)
        buf_add(out, chunk, (size_t)k);
    close(fd);
    return k < 0 ? -1 : 0;
}

/* The table rendered as fmt into out (through a scratch file). */
static int render_bytes(const struct report_table *t, enum report_format fmt, const char *ext,
                        struct buf *out, struct outcome *o)
{
    const char *tmp = getenv("TMPDIR");
    char dir[512], path[600];
    snprintf(dir, sizeof(dir), "%s/baoxue-monthly-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return failed(o, OUT_ERROR, "无法创建临时文件");
    snprintf(path, sizeof(path), "%s/report.%s", dir, ext);
    struct buf err = BUF_INIT;
    int rc = table_render(t, fmt, path, &err);
    if (rc == 0 && slurp(path, out) < 0)
        rc = -1;
    if (rc < 0)
        failed(o, OUT_ERROR, "无法生成月报文件%s%s", err.len ? "：" : "", err.buf ? err.buf : "");
    buf_release(&err);
    unlink(path);
    rmdir(dir);
    return rc;
}

/* The issued report on paper: A4 landscape, every column but the code. */
static const struct table_pdf_col issue_pdf_cols[] = {
    {"township", 2.2},        {"school_age", 1.3},     {"enrolled", 1.5},
    {"enrolment_rate", 1.4},  {"new_suspected", 1.1},  {"verified", 1.1},
    {"pending", 1.1},         {"new_cases", 1.2},      {"reopened", 1.1},
    {"returned", 1.1},        {"closed", 1},           {"still_out", 1.2},
    {"reason_learning", 1.3}, {"reason_work", 1.2},    {"reason_marriage", 1.2},
    {"reason_religion", 1.1}, {"reason_illness", 1.2}, {"reason_poverty", 1.3},
    {"reason_other", 1.1},
};
static const struct table_pdf issue_pdf = {
    issue_pdf_cols, ARRAY_SIZE(issue_pdf_cols), NULL, 7,
    "填表人：　　　　　　　　审核人：　　　　　　　　单位负责人（签名）：　　　　　　　　（盖章）"};

int monthly_issue(struct store *s, const struct scope *sc, const struct monthly_issue_input *in,
                  const char *actor, struct buf *msg, struct outcome *o)
{
    int month;
    char mon[8], mcn[24];
    if (!county_role(sc))
        return failed(o, OUT_FORBIDDEN, "只有县教育局能审定上报全县月报");
    if (monthly_month_arg(in->month, &month, o) < 0)
        return -1;
    if (in->note && utf8_count(in->note, strlen(in->note)) > 500)
        return failed_at(o, OUT_INVALID, "note", "说明最多 500 字");
    monthly_format(month, mon);
    month_cn(month, mcn, sizeof(mcn));
    if (monthly_report_date(month) > date_today())
        return failed_at(o, OUT_INVALID, "month", "%s的月报统计期还没有结束", mcn);
    int64_t issue = 0;
    if (issued_at(s, mon, &issue) < 0)
        return fail_store(s, o);
    if (issue)
        return failed(o, OUT_INVALID, "%s的全县月报已审定上报，不能再次上报", mcn);
    json_t *conf = confirmations(s, mon);
    if (!conf)
        return fail_store(s, o);
    size_t n;
    const struct township *tw = townships(s, &n);
    struct buf missing = BUF_INIT, who = BUF_INIT;
    size_t nmiss = 0;
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *c = json_object_get(conf, tw[i].code);
        if (!c) {
            buf_addf(&missing, "%s%s", nmiss++ ? "、" : "", tw[i].name);
            continue;
        }
        json_array_append(rows, json_object_get(c, "figures"));
        buf_addf(&who, "%s%s %s（%.10s）", who.len ? "；" : "", tw[i].name,
                 json_string_value(json_object_get(c, "person")),
                 json_string_value(json_object_get(c, "confirmed_at")));
    }
    json_decref(conf);
    if (nmiss || !n) {
        json_decref(rows);
        buf_release(&who);
        int rc =
            n ? failed(o, OUT_INVALID, "%s还有 %zu 个乡镇未确认月报：%s；全部确认后才能审定上报",
                       mcn, nmiss, missing.buf)
              : failed(o, OUT_INVALID, "还没有设置本县（settings county），没有乡镇");
        buf_release(&missing);
        return rc;
    }
    buf_release(&missing);
    struct report_table t;
    monthly_table_frozen(s, month, rows, &t, o);
    json_decref(rows);
    char now[32];
    date_now_text(now, sizeof(now));
    const char *acc = actor && *actor ? actor : "unknown";
    table_note(&t, "各乡镇确认：%s。", who.buf);
    table_note(&t, "县教育局审定上报：%s，%.16s%s%s。", acc, now, in->note && *in->note ? "；" : "",
               in->note && *in->note ? in->note : "");
    buf_release(&who);
    table_meta(&t, "issued_at", now, META_TEXT);
    t.pdf = &issue_pdf;
    struct buf xlsx = BUF_INIT, pdf = BUF_INIT;
    json_t *tj = table_to_json(&t);
    char *content = json_dumps(tj, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(tj);
    int rc = content ? 0 : failed(o, OUT_ERROR, "无法生成月报");
    if (rc == 0)
        rc = render_bytes(&t, FMT_XLSX, "xlsx", &xlsx, o);
    if (rc == 0)
        rc = render_bytes(&t, FMT_PDF, "pdf", &pdf, o);
    table_release(&t);
    if (rc < 0) {
        free(content);
        buf_release(&xlsx);
        buf_release(&pdf);
        return -1;
    }
    char rd[11];
    date_format(monthly_report_date(month), rd);
    rc = store_begin(s);
    struct stmt *q = rc == 0 ? store_prepare(s, "INSERT INTO monthly_issue (month, account,"
                                                " issued_at, note, report_date, content, xlsx, pdf)"
                                                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                             : NULL;
    if (q) {
        stmt_bind_str(q, 1, mon);
        stmt_bind_str(q, 2, acc);
        stmt_bind_str(q, 3, now);
        stmt_bind_str(q, 4, in->note && *in->note ? in->note : "");
        stmt_bind_str(q, 5, rd);
        stmt_bind_str(q, 6, content);
        stmt_bind_blob_ref(q, 7, xlsx.buf, xlsx.len);
        stmt_bind_blob_ref(q, 8, pdf.buf, pdf.len);
        rc = stmt_step(q) < 0 ? -1 : 0;
        stmt_finalize(q);
    } else {
        rc = -1;
    }
    free(content);
    buf_release(&xlsx);
    buf_release(&pdf);
    char detail[256], target[AUDIT_TARGET_SIZE];
    snprintf(detail, sizeof(detail), "%s全县月报审定上报（%zu 个乡镇已确认）", mcn, n);
    if (rc < 0 ||
        audit_record(s, acc, sc ? sc->origin : "cli", "monthly_issue",
                     audit_target_name(target, OBJ_MONTHLY, mon), detail) < 0 ||
        store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "%s的全县月报已审定上报（%zu 个乡镇均已确认），可下载 XLSX 和 PDF", mcn, n);
    return 0;
}

json_t *monthly_status(struct store *s, const struct scope *sc, const char *month_text,
                       struct outcome *o)
{
    int month;
    if (monthly_month_arg(month_text, &month, o) < 0)
        return NULL;
    char mon[8], rd[11], dl[11];
    monthly_format(month, mon);
    int day = confirm_day(s), today = date_today(), deadline = monthly_deadline(month, day);
    date_format(monthly_report_date(month), rd);
    date_format(deadline, dl);
    const char *own =
        sc && sc->role != ROLE_ADMIN && sc->role != ROLE_COUNTY && sc->role != ROLE_SUPERVISOR
            ? (sc->township ? sc->township : "-")
            : NULL;
    json_t *conf = confirmations(s, mon);
    json_t *live = conf ? monthly_figures(s, month, own, o) : NULL;
    if (!conf || !live) {
        if (!conf)
            fail_store(s, o);
        json_decref(conf);
        return NULL;
    }
    struct stmt *q = store_prepare(s, "SELECT account, issued_at, coalesce(note, '')"
                                      " FROM monthly_issue WHERE month = $1");
    json_t *issued = json_null();
    if (q) {
        stmt_bind_str(q, 1, mon);
        if (stmt_step(q) == 1)
            issued = json_pack("{s:s, s:s, s:s}", "account", stmt_text(q, 0), "issued_at",
                               stmt_text(q, 1), "note", stmt_text(q, 2));
        stmt_finalize(q);
    }
    bool late = monthly_overdue(month, day, today), open = monthly_report_date(month) <= today;
    size_t n, nconf = 0, nlate = 0, total = 0;
    const struct township *tw = townships(s, &n);
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++) {
        if (own && strcmp(own, tw[i].code))
            continue;
        total++;
        json_t *c = json_object_get(conf, tw[i].code);
        json_t *row = json_pack("{s:s, s:s}", "code", tw[i].code, "name", tw[i].name);
        if (c) {
            nconf++;
            json_object_set_new(row, "state", json_string("confirmed"));
            json_object_update(row, c);
            json_object_set_new(row, "frozen", json_true());
        } else {
            nlate += late;
            json_object_set_new(row, "state", json_string(late ? "overdue" : "pending"));
            json_t *f = json_object_get(live, tw[i].code);
            json_object_set(row, "figures", f ? f : json_object());
            json_object_set_new(row, "frozen", json_false());
        }
        json_array_append_new(rows, row);
    }
    json_decref(conf);
    json_decref(live);
    return json_pack("{s:s, s:s, s:s, s:i, s:b, s:b, s:o, s:b, s:I, s:I, s:I, s:o}", "month", mon,
                     "report_date", rd, "deadline", dl, "confirm_day", day, "open", open, "overdue",
                     late, "issued", issued, "can_issue",
                     json_is_null(issued) && open && total && nconf == total && !own, "confirmed",
                     (json_int_t)nconf, "total", (json_int_t)total, "overdue_townships",
                     (json_int_t)nlate, "townships", rows);
}

int monthly_issued(struct store *s, const char *month_text, enum report_format fmt, struct buf *out,
                   char *title, size_t title_size, struct outcome *o)
{
    int month;
    if (monthly_month_arg(month_text, &month, o) < 0)
        return -1;
    char mon[8], mcn[24];
    monthly_format(month, mon);
    month_cn(month, mcn, sizeof(mcn));
    const char *col = fmt == FMT_XLSX ? "xlsx" : fmt == FMT_PDF ? "pdf" : "content";
    char sql[96];
    snprintf(sql, sizeof(sql), "SELECT %s FROM monthly_issue WHERE month = $1", col);
    struct stmt *q = store_prepare(s, sql);
    if (!q)
        return fail_store(s, o);
    stmt_bind_str(q, 1, mon);
    int rc = stmt_step(q);
    if (rc == 1) {
        size_t len = 0;
        const void *data = fmt == FMT_JSON ? (const void *)stmt_text(q, 0) : stmt_blob(q, 0, &len);
        if (fmt == FMT_JSON)
            len = strlen(data);
        buf_add(out, data, len);
    }
    stmt_finalize(q);
    if (rc < 0)
        return fail_store(s, o);
    if (rc == 0)
        return failed(o, OUT_NOT_FOUND, "%s的全县月报还没有审定上报", mcn);
    char county[7];
    const char *cname = ledger_county_name(s, county);
    snprintf(title, title_size, "%s控辍保学工作月报（%s）", cname ? cname : "", mcn);
    return 0;
}
