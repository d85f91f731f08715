/* Reading inspections: the list, one inspection, and its 结果公告 (inspection.h). */
#include <string.h>

#include "casework/attach.h"
#include "casework/inspection.h"
#include "casework/inspection_impl.h"
#include "core/date.h"
#include "core/division.h"
#include "core/words.h"
#include "render/announce.h"
#include "render/table.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"

/* SQL: does inspection `i` name the unit ($1 kind, $2 code), visited or at fault? */
#define NAMES_UNIT_SQL(i)                                                                          \
    "(EXISTS (SELECT 1 FROM inspection_unit u WHERE u.inspection_id = " i                          \
    " AND u.unit_kind = $1 AND u.unit_code = $2) OR EXISTS (SELECT 1 FROM rectify x"               \
    " WHERE x.inspection_id = " i " AND x.unit_kind = $1 AND x.unit_code = $2))"

/* The scope's own unit: *kind, *code; false when it reads every inspection. */
static bool own_unit(const struct scope *sc, const char **kind, const char **code)
{
    *kind = *code = "";
    if (inspection_reads_all(sc))
        return false;
    if (sc->role == ROLE_TOWNSHIP) {
        *kind = "township";
        *code = sc->township ? sc->township : "";
    } else if (sc->role == ROLE_SCHOOL) {
        *kind = "school";
        *code = sc->school ? sc->school : "";
    } else {
        *kind = "none"; /* a village, a department: no inspection names it */
    }
    return true;
}

static const struct table_col list_cols[] = {
    {"id", "编号", COL_INT},
    {"date", "检查日期", COL_TEXT},
    {"inspectors", "检查人员", COL_TEXT},
    {"units", "检查单位", COL_TEXT},
    {"findings", "问题", COL_INT},
    {"open", "整改中", COL_INT},
    {"submitted", "待验收", COL_INT},
    {"accepted", "已验收", COL_INT},
    {"overdue", "逾期未整改", COL_INT},
};

int inspection_table(struct store *s, const struct scope *sc, struct report_table *t,
                     struct outcome *o)
{
    const char *kind, *code;
    bool mine = own_unit(sc, &kind, &code);
    if (mine && !strcmp(kind, "none"))
        return failed(o, OUT_FORBIDDEN, "督导检查由县教育局、督导和被检查的乡镇、学校查看");
    char today[11];
    date_format(date_today(), today);
    struct stmt *q = store_prepare(
        s, "SELECT i.id, i.on_date, i.inspectors,"
           " (SELECT count(*) FROM inspection_unit u WHERE u.inspection_id = i.id),"
           " (SELECT count(*) FROM rectify r WHERE r.inspection_id = i.id AND ($4 = 0 OR"
           "  (r.unit_kind = $1 AND r.unit_code = $2))),"
           " (SELECT count(*) FROM rectify r WHERE r.inspection_id = i.id AND r.state IN"
           "  ('open', 'returned') AND ($4 = 0 OR (r.unit_kind = $1 AND r.unit_code = $2))),"
           " (SELECT count(*) FROM rectify r WHERE r.inspection_id = i.id AND r.state ="
           "  'submitted' AND ($4 = 0 OR (r.unit_kind = $1 AND r.unit_code = $2))),"
           " (SELECT count(*) FROM rectify r WHERE r.inspection_id = i.id AND r.state ="
           "  'accepted' AND ($4 = 0 OR (r.unit_kind = $1 AND r.unit_code = $2))),"
           " (SELECT count(*) FROM rectify r WHERE r.inspection_id = i.id AND r.state IN"
           "  ('open', 'returned') AND r.deadline < $3 AND ($4 = 0 OR (r.unit_kind = $1 AND"
           "  r.unit_code = $2)))"
           " FROM inspection i WHERE $4 = 0 OR " NAMES_UNIT_SQL(
               "i.id") " ORDER BY i.on_date DESC, i.id DESC");
    if (!q)
        return fail_store(s, o);
    stmt_bind_str(q, 1, kind);
    stmt_bind_str(q, 2, code);
    stmt_bind_str(q, 3, today);
    stmt_bind_int(q, 4, mine ? 1 : 0);
    table_init(t, mine ? "督导检查（本单位的）" : "督导检查", "inspections", list_cols,
               ARRAY_SIZE(list_cols));
    int rc;
    long overdue = 0, n = 0;
    while ((rc = stmt_step(q)) == 1) {
        table_add_row(t);
        table_setf(t, 0, "%lld", (long long)stmt_int(q, 0));
        table_set(t, 1, stmt_text(q, 1));
        table_set(t, 2, stmt_text(q, 2));
        table_setf(t, 3, "%lld", (long long)stmt_int(q, 3));
        for (int c = 4; c <= 8; c++)
            table_setf(t, (size_t)c, "%lld", (long long)stmt_int(q, c));
        overdue += (long)stmt_int(q, 8);
        n++;
    }
    stmt_finalize(q);
    if (rc < 0) {
        table_release(t);
        return fail_store(s, o);
    }
    buf_addf(&t->footer, "\n共 %ld 次督导检查；逾期未整改的事项 %ld 项。\n", n, overdue);
    return 0;
}

/* Does the scope read inspection `id`? 1, 0 (not found for it), -1 error */
static int reads_inspection(struct store *s, const struct scope *sc, int64_t id)
{
    const char *kind, *code;
    bool mine = own_unit(sc, &kind, &code);
    struct stmt *q = store_prepare(
        s, "SELECT 1 FROM inspection i WHERE i.id = $3 AND ($4 = 0 OR " NAMES_UNIT_SQL("i.id") ")");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, kind);
    stmt_bind_str(q, 2, code);
    stmt_bind_int(q, 3, id);
    stmt_bind_int(q, 4, mine ? 1 : 0);
    int rc = stmt_step(q);
    stmt_finalize(q);
    return rc;
}

static json_t *history_json(struct store *s, int64_t rid)
{
    struct stmt *q = store_prepare(s, "SELECT on_date, action, text, " ACTOR_NAME_SQL(
                                          "actor") " FROM rectify_event WHERE rectify_id = $1"
                                                   " ORDER BY id");
    if (!q)
        return NULL;
    stmt_bind_int(q, 1, rid);
    json_t *a = json_array();
    int rc;
    while ((rc = stmt_step(q)) == 1)
        json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s}", "date", stmt_text(q, 0),
                                           "action", stmt_text(q, 1), "text", stmt_text(q, 2), "by",
                                           stmt_text(q, 3)));
    stmt_finalize(q);
    if (rc < 0) {
        json_decref(a);
        return NULL;
    }
    return a;
}

json_t *inspection_json(struct store *s, const struct scope *sc, int64_t id, struct outcome *o)
{
    int rc = reads_inspection(s, sc, id);
    if (rc <= 0) {
        if (rc < 0)
            fail_store(s, o);
        else
            failed(o, OUT_NOT_FOUND, "没有编号为 %lld 的督导检查，或检查未涉及本单位",
                   (long long)id);
        return NULL;
    }
    struct stmt *q =
        store_prepare(s, "SELECT on_date, inspectors, coalesce(summary, ''), " ACTOR_NAME_SQL(
                             "created_by") ", created_at FROM inspection WHERE id = $1");
    if (!q) {
        fail_store(s, o);
        return NULL;
    }
    stmt_bind_int(q, 1, id);
    json_t *j = NULL;
    if (stmt_step(q) == 1)
        j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)id, "date",
                      stmt_text(q, 0), "inspectors", stmt_text(q, 1), "summary", stmt_text(q, 2),
                      "created_by", stmt_text(q, 3), "created_at", stmt_text(q, 4));
    stmt_finalize(q);
    if (!j) {
        fail_store(s, o);
        return NULL;
    }
    json_t *units = json_array(), *findings = json_array();
    json_object_set_new(j, "units", units);
    json_object_set_new(j, "findings", findings);
    bool decide = sc == NULL || role_has(sc->role, PERM_INSPECT);
    json_object_set_new(j, "may", json_pack("{s:b}", "finding", decide));
    q = store_prepare(s, "SELECT unit_kind, unit_code, unit_name FROM inspection_unit"
                         " WHERE inspection_id = $1 ORDER BY unit_kind DESC, unit_code");
    if (!q)
        goto fail;
    stmt_bind_int(q, 1, id);
    while ((rc = stmt_step(q)) == 1)
        json_array_append_new(units, json_pack("{s:s, s:s, s:s}", "kind", stmt_text(q, 0), "code",
                                               stmt_text(q, 1), "name", stmt_text(q, 2)));
    stmt_finalize(q);
    if (rc < 0)
        goto fail;
    const char *kind, *code;
    bool mine = own_unit(sc, &kind, &code);
    q = store_prepare(
        s, "SELECT f.id, f.text, r.id, r.unit_kind, r.unit_code, r.unit_name, r.person,"
           " r.deadline, r.state, coalesce(r.evidence, ''), coalesce(r.submitted_on, ''),"
           " coalesce(r.decided_on, ''), coalesce(r.decision_comment, '')"
           " FROM finding f JOIN rectify r ON r.finding_id = f.id WHERE f.inspection_id = $1"
           " AND ($4 = 0 OR (r.unit_kind = $2 AND r.unit_code = $3)) ORDER BY f.id");
    if (!q)
        goto fail;
    stmt_bind_int(q, 1, id);
    stmt_bind_str(q, 2, kind);
    stmt_bind_str(q, 3, code);
    stmt_bind_int(q, 4, mine ? 1 : 0);
    int today = date_today();
    while ((rc = stmt_step(q)) == 1) {
        int st = rectify_state_parse(stmt_text(q, 8));
        int dl = date_or_zero(stmt_text(q, 7));
        bool own = inspection_unit_is_scope(sc, stmt_text(q, 3), stmt_text(q, 4));
        bool unit_may = own && (st == RS_OPEN || st == RS_RETURNED);
        bool overdue = (st == RS_OPEN || st == RS_RETURNED) && dl && dl < today;
        json_t *item = json_pack(
            "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s}", "id",
            (json_int_t)stmt_int(q, 2), "unit_kind", stmt_text(q, 3), "unit_code", stmt_text(q, 4),
            "unit_name", stmt_text(q, 5), "person", stmt_text(q, 6), "deadline", stmt_text(q, 7),
            "state", stmt_text(q, 8), "state_label", vocab_label(&rectify_states, stmt_text(q, 8)),
            "overdue", overdue, "evidence", stmt_text(q, 9), "submitted_on", stmt_text(q, 10),
            "decided_on", stmt_text(q, 11), "comment", stmt_text(q, 12));
        json_object_set_new(item, "may",
                            json_pack("{s:b, s:b, s:b, s:b, s:b}", "progress", unit_may, "submit",
                                      unit_may, "attach", unit_may, "accept",
                                      decide && st == RS_SUBMITTED, "return",
                                      decide && st == RS_SUBMITTED));
        json_array_append_new(findings,
                              json_pack("{s:I, s:s, s:o}", "id", (json_int_t)stmt_int(q, 0), "text",
                                        stmt_text(q, 1), "item", item));
    }
    stmt_finalize(q);
    if (rc < 0)
        goto fail;
    /* each item's history and photos */
    size_t i;
    json_t *f;
    json_array_foreach(findings, i, f)
    {
        json_t *item = json_object_get(f, "item");
        int64_t rid = json_integer_value(json_object_get(item, "id"));
        json_t *h = history_json(s, rid);
        if (!h)
            goto fail;
        json_object_set_new(item, "history", h);
        json_t *photos = attach_list(s, SCOPE_RECTIFY, rid, o);
        if (!photos) {
            json_decref(j);
            return NULL;
        }
        json_object_set(item, "photos", json_object_get(photos, "items"));
        json_decref(photos);
    }
    return j;
fail:
    json_decref(j);
    fail_store(s, o);
    return NULL;
}

int inspection_text(struct store *s, const struct scope *sc, int64_t id, struct buf *out,
                    struct outcome *o)
{
    json_t *j = inspection_json(s, sc, id, o);
    if (!j)
        return -1;
    buf_addf(out, "督导检查 %lld：%s，检查人员 %s（%s 记录）\n", (long long)id,
             json_string_value(json_object_get(j, "date")),
             json_string_value(json_object_get(j, "inspectors")),
             json_string_value(json_object_get(j, "created_by")));
    size_t i;
    json_t *v;
    buf_adds(out, "检查单位：");
    json_array_foreach(json_object_get(j, "units"), i, v)
        buf_addf(out, "%s%s", i ? "、" : "", json_string_value(json_object_get(v, "name")));
    buf_adds(out, "\n");
    const char *summary = json_string_value(json_object_get(j, "summary"));
    if (summary && *summary)
        buf_addf(out, "检查情况：%s\n", summary);
    json_t *findings = json_object_get(j, "findings");
    if (!json_array_size(findings))
        buf_adds(out, "（没有记录发现的问题）\n");
    json_array_foreach(findings, i, v)
    {
        json_t *it = json_object_get(v, "item");
        buf_addf(out, "\n%zu. %s\n   整改事项 %lld：%s，责任人 %s，期限 %s，%s%s\n", i + 1,
                 json_string_value(json_object_get(v, "text")),
                 (long long)json_integer_value(json_object_get(it, "id")),
                 json_string_value(json_object_get(it, "unit_name")),
                 json_string_value(json_object_get(it, "person")),
                 json_string_value(json_object_get(it, "deadline")),
                 json_string_value(json_object_get(it, "state_label")),
                 json_is_true(json_object_get(it, "overdue")) ? "（已逾期）" : "");
        size_t k;
        json_t *h;
        json_array_foreach(json_object_get(it, "history"), k, h)
            buf_addf(out, "   %s %s（%s）\n", json_string_value(json_object_get(h, "date")),
                     json_string_value(json_object_get(h, "text")),
                     json_string_value(json_object_get(h, "by")));
    }
    json_decref(j);
    return 0;
}

int inspection_notice_pdf(struct store *s, const struct scope *sc, int64_t id, const char *path,
                          char *file_name, size_t name_size, struct outcome *o)
{
    /* the 公告 is public: every unit's findings, whoever asks (who reads the inspection) */
    int rc = reads_inspection(s, sc, id);
    if (rc <= 0)
        return rc < 0 ? fail_store(s, o)
                      : failed(o, OUT_NOT_FOUND, "没有编号为 %lld 的督导检查，或检查未涉及本单位",
                               (long long)id);
    json_t *j = inspection_json(s, NULL, id, o);
    if (!j)
        return -1;
    struct buf county = BUF_INIT, sub = BUF_INIT, visited = BUF_INIT, title = BUF_INIT,
               cv = BUF_INIT;
    if (store_get_setting(s, "county", &cv) < 0) {
        json_decref(j);
        buf_release(&cv);
        return fail_store(s, o);
    }
    const char *cname = cv.len == 6 ? division_county_name(cv.buf) : NULL;
    buf_adds(&county, cname ? cname : "");
    buf_release(&cv);
    int on = date_or_zero(json_string_value(json_object_get(j, "date")));
    char on_cn[40], today_cn[40];
    date_format_cn(on, on_cn, sizeof(on_cn));
    date_format_cn(date_today(), today_cn, sizeof(today_cn));
    buf_addf(&title, "%s控辍保学督导检查结果公告", county.buf);
    buf_addf(&sub, "（督导检查第 %lld 号）", (long long)id);
    size_t i;
    json_t *v;
    json_t *units = json_object_get(j, "units"), *findings = json_object_get(j, "findings");
    json_array_foreach(units, i, v)
        buf_addf(&visited, "%s%s", i ? "、" : "", json_string_value(json_object_get(v, "name")));
    /* paragraphs: one buf each, kept until rendered */
    size_t np = 0, cap = 8 + 2 * json_array_size(findings) + json_array_size(units);
    struct buf *paras = xcalloc(cap, sizeof(*paras));
    const char **ptrs = xcalloc(cap, sizeof(*ptrs));
    struct announce_section secs[4];
    size_t ns = 0;
    /* 一、检查基本情况 */
    size_t first = np;
    buf_addf(&paras[np++], "%s，督导检查组（%s）对%s开展了控辍保学专项督导检查。", on_cn,
             json_string_value(json_object_get(j, "inspectors")), visited.buf);
    const char *summary = json_string_value(json_object_get(j, "summary"));
    if (summary && *summary)
        buf_adds(&paras[np++], summary);
    secs[ns++] = (struct announce_section){"一、检查基本情况", NULL, np - first};
    secs[ns - 1].paras = (const char *const *)(uintptr_t)first; /* fixed below */
    /* 二、发现的问题及整改要求 (by unit) */
    first = np;
    long counts[RS__COUNT] = {0}, overdue = 0;
    int n = 0;
    /* units in the order their first finding comes, each with its findings */
    for (size_t a = 0; a < json_array_size(findings); a++) {
        json_t *ia = json_object_get(json_array_get(findings, a), "item");
        const char *code = json_string_value(json_object_get(ia, "unit_code"));
        bool seen = false;
        for (size_t b = 0; b < a && !seen; b++)
            seen = !strcmp(code,
                           json_string_value(json_object_get(
                               json_object_get(json_array_get(findings, b), "item"), "unit_code")));
        if (seen)
            continue;
        struct buf *p = &paras[np++];
        buf_addf(p, "%s：", json_string_value(json_object_get(ia, "unit_name")));
        int k = 0;
        for (size_t b = a; b < json_array_size(findings); b++) {
            json_t *fb = json_array_get(findings, b), *ib = json_object_get(fb, "item");
            if (strcmp(code, json_string_value(json_object_get(ib, "unit_code"))))
                continue;
            int st = rectify_state_parse(json_string_value(json_object_get(ib, "state")));
            if (st >= 0)
                counts[st]++;
            bool late = json_is_true(json_object_get(ib, "overdue"));
            overdue += late;
            char dl[40];
            date_format_cn(date_or_zero(json_string_value(json_object_get(ib, "deadline"))), dl,
                           sizeof(dl));
            buf_addf(p, "（%d）%s；整改期限%s，%s%s。", ++k,
                     json_string_value(json_object_get(fb, "text")), dl,
                     json_string_value(json_object_get(ib, "state_label")), late ? "，已逾期" : "");
            n++;
        }
    }
    if (!n)
        buf_adds(&paras[np++], "本次检查未发现需要整改的问题。");
    secs[ns++] = (struct announce_section){"二、发现的问题及整改要求", NULL, np - first};
    secs[ns - 1].paras = (const char *const *)(uintptr_t)first;
    /* 三、整改情况 */
    first = np;
    buf_addf(&paras[np++],
             "截至%s，本次检查共提出整改事项 %d 项：已验收 %ld 项，已提交整改待验收 %ld 项，"
             "整改中 %ld 项，退回重改 %ld 项；其中逾期未整改 %ld 项。",
             today_cn, n, counts[RS_ACCEPTED], counts[RS_SUBMITTED], counts[RS_OPEN],
             counts[RS_RETURNED], overdue);
    buf_adds(&paras[np++], "各责任单位要按期完成整改并报送整改材料；逾期未整改的，"
                           "将予以通报，并依规追究有关单位及责任人的责任。");
    secs[ns++] = (struct announce_section){"三、整改情况", NULL, np - first};
    secs[ns - 1].paras = (const char *const *)(uintptr_t)first;
    for (size_t k = 0; k < np; k++)
        ptrs[k] = paras[k].buf;
    for (size_t k = 0; k < ns; k++)
        secs[k].paras = ptrs + (uintptr_t)secs[k].paras;
    struct buf authority = BUF_INIT, err = BUF_INIT;
    buf_addf(&authority, "%s教育局", county.buf);
    const struct announce b = {title.buf, sub.buf, secs, ns, authority.buf, today_cn};
    int ret = announce_render_pdf(&b, path, &err);
    if (ret < 0)
        failed(o, OUT_ERROR, "%s", err.buf);
    else
        snprintf(file_name, name_size, "督导检查结果公告-%lld.pdf", (long long)id);
    for (size_t k = 0; k < cap; k++)
        buf_release(&paras[k]);
    free(paras);
    free(ptrs);
    buf_release(&authority);
    buf_release(&err);
    buf_release(&county);
    buf_release(&sub);
    buf_release(&visited);
    buf_release(&title);
    json_decref(j);
    return ret;
}
