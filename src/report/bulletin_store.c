/* The 通报 kept (report/bulletin.h, migration 27's table bulletin): issuing one under the next
 * number of its year, the list, one, and its PDF drawn again from the frozen content. */
#include "core/date.h"
#include "domain/scope.h"
#include "render/bulletin.h"
#include "report/bulletin_impl.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"

static int refuse_read(const struct scope *sc, struct outcome *o)
{
    if (sc && !role_reads_bulletins(sc->role))
        return failed(o, OUT_FORBIDDEN, "您的账号无权查看通报");
    return 0;
}

/* The next number of `year` (the bulletins issued in it read in the caller's transaction). */
static int next_number(struct store *s, int year, int *out, struct outcome *o)
{
    struct stmt *q = store_prepare(s, "SELECT number FROM bulletin WHERE year = $1");
    if (!q)
        return fail_store(s, o);
    stmt_bind_int(q, 1, year);
    int *taken = NULL, rc;
    size_t n = 0, alloc = 0;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(taken, n + 1, alloc);
        taken[n++] = (int)stmt_int(q, 0);
    }
    stmt_finalize(q);
    *out = bulletin_next_number(taken, n);
    free(taken);
    return rc < 0 ? fail_store(s, o) : 0;
}

static json_t *summary_json(const struct bulletin_draft *d, const char *doc_number)
{
    char pub[11], dl[11];
    date_format(d->published, pub);
    date_format(d->deadline, dl);
    return json_pack("{s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:O}", "preview", 1, "doc_number",
                     doc_number, "title", d->title, "period", d->period.key, "period_label",
                     d->period.label, "published_on", pub, "deadline", dl, "office", d->office,
                     "content", d->content);
}

int bulletin_issue(struct store *s, const struct scope *sc, const struct bulletin_input *in,
                   const char *actor, struct buf *msg, json_t **result, struct outcome *o)
{
    *result = NULL;
    if (sc && !role_issues_bulletins(sc->role))
        return failed(o, OUT_FORBIDDEN, "通报由县教育局印发，您的账号不能印发通报");
    struct bulletin_draft d;
    if (bulletin_make(s, sc, in, &d, o) < 0) {
        json_decref(d.content);
        return -1;
    }
    int year = ymd_year(d.published), number, rc = -1;
    char doc[96], pub[11], dl[11], now[32];
    date_format(d.published, pub);
    date_format(d.deadline, dl);
    if (in->preview) {
        if (next_number(s, year, &number, o) < 0)
            goto out;
        bulletin_doc_number(d.prefix, year, number, doc, sizeof(doc));
        json_object_set_new(d.content, "doc_number", json_string(doc));
        *result = summary_json(&d, doc);
        buf_addf(msg, "预览：%s《%s》（尚未印发，文号以印发时为准）", doc, d.title);
        rc = 0;
        goto out;
    }
    if (store_begin(s) < 0) {
        fail_store(s, o);
        goto out;
    }
    if (next_number(s, year, &number, o) < 0)
        goto rollback;
    bulletin_doc_number(d.prefix, year, number, doc, sizeof(doc));
    json_object_set_new(d.content, "doc_number", json_string(doc));
    char *text = json_dumps(d.content, JSON_COMPACT);
    date_now_text(now, sizeof(now));
    struct stmt *q = store_prepare(
        s, "INSERT INTO bulletin (year, number, doc_number, period, period_label, title,"
           " published_on, deadline, content, created_by, created_at)"
           " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id");
    int64_t id = 0;
    if (q) {
        stmt_bind_int(q, 1, year);
        stmt_bind_int(q, 2, number);
        stmt_bind_str(q, 3, doc);
        stmt_bind_str(q, 4, d.period.key);
        stmt_bind_str(q, 5, d.period.label);
        stmt_bind_str(q, 6, d.title);
        stmt_bind_str(q, 7, pub);
        stmt_bind_str(q, 8, dl);
        stmt_bind_str(q, 9, text);
        stmt_bind_str(q, 10, actor);
        stmt_bind_str(q, 11, now);
        if (stmt_step(q) == 1)
            id = stmt_int(q, 0);
        stmt_finalize(q);
    }
    free(text);
    if (!id) {
        fail_store(s, o);
        goto rollback;
    }
    char target[AUDIT_TARGET_SIZE], num[24];
    snprintf(num, sizeof(num), "%lld", (long long)id);
    audit_target_name(target, OBJ_BULLETIN, num);
    if (audit_record(s, actor, sc ? sc->origin : "cli", "bulletin_issue", target, doc) < 0 ||
        store_commit(s) < 0) {
        fail_store(s, o);
        goto rollback;
    }
    buf_addf(msg, "已印发 %s《%s》（通报编号 %lld），整改期限 %s", doc, d.title, (long long)id, dl);
    *result = bulletin_get(s, NULL, id, o);
    rc = *result ? 0 : -1;
    goto out;
rollback:
    store_rollback(s);
out:
    json_decref(d.content);
    return rc;
}

#define COLUMNS                                                                                    \
    "id, doc_number, year, number, period, period_label, title, published_on, deadline,"           \
    " created_by, created_at"

static json_t *row_json(struct stmt *q)
{
    return json_pack("{s:I, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                     (json_int_t)stmt_int(q, 0), "doc_number", stmt_text(q, 1), "year",
                     (json_int_t)stmt_int(q, 2), "number", (json_int_t)stmt_int(q, 3), "period",
                     stmt_text(q, 4), "period_label", stmt_text(q, 5), "title", stmt_text(q, 6),
                     "published_on", stmt_text(q, 7), "deadline", stmt_text(q, 8), "created_by",
                     stmt_text(q, 9), "created_at", stmt_text(q, 10));
}

json_t *bulletin_list(struct store *s, const struct scope *sc, struct outcome *o)
{
    if (refuse_read(sc, o) < 0)
        return NULL;
    struct stmt *q =
        store_prepare(s, "SELECT " COLUMNS " FROM bulletin ORDER BY year DESC, number DESC");
    if (!q) {
        fail_store(s, o);
        return NULL;
    }
    json_t *list = json_array();
    int rc;
    while ((rc = stmt_step(q)) == 1)
        json_array_append_new(list, row_json(q));
    stmt_finalize(q);
    if (rc < 0) {
        json_decref(list);
        fail_store(s, o);
        return NULL;
    }
    return json_pack("{s:o}", "bulletins", list);
}

json_t *bulletin_get(struct store *s, const struct scope *sc, int64_t id, struct outcome *o)
{
    if (sc && !role_reads_bulletins(sc->role)) {
        failed(o, OUT_NOT_FOUND, "没有编号为 %lld 的通报", (long long)id);
        return NULL;
    }
    struct stmt *q = store_row_by_id(s, "SELECT " COLUMNS ", content FROM bulletin WHERE id = $1",
                                     id, "通报", o);
    if (!q)
        return NULL;
    json_t *j = row_json(q);
    json_error_t jerr;
    json_t *content = json_loads(stmt_text(q, 11), 0, &jerr);
    stmt_finalize(q);
    if (!content) {
        json_decref(j);
        failed(o, OUT_ERROR, "通报 %lld 的内容已损坏", (long long)id);
        return NULL;
    }
    json_object_set_new(j, "content", content);
    return j;
}

int bulletin_pdf(struct store *s, const struct scope *sc, int64_t id, const char *path, char *name,
                 size_t size, struct outcome *o)
{
    json_t *b = bulletin_get(s, sc, id, o);
    if (!b)
        return -1;
    struct buf err = BUF_INIT;
    int rc = bulletin_render_pdf(json_object_get(b, "content"), path, &err);
    if (rc < 0)
        failed_error(o, err.buf);
    else if (name)
        snprintf(name, size, "%s.pdf", json_string_value(json_object_get(b, "doc_number")));
    buf_release(&err);
    json_decref(b);
    return rc;
}
