#include "domain/explain.h"

#include <jansson.h>
#include <math.h>

#include "core/date.h"
#include "core/idcard.h"
#include "core/view.h"
#include "domain/audit.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "domain/status.h"
#include "ingest/field.h"
#include "link/linker.h"
#include "store/store.h"
#include "util/common.h"
#include "util/utf8.h"

static const char *const field_json[LK__FIELDS] = {"id", "name", "birth", "sex"};

/* The model a run estimated, read back from its counts. */
static int load_model(struct store *s, int64_t run, struct lk_model *m, struct lk_params *lp)
{
    struct stmt *q = store_prepare(s, "SELECT counts FROM match_run WHERE id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, run);
    int rc = stmt_step(q);
    json_t *root = rc == 1 ? json_loads(stmt_text(q, 0), 0, NULL) : NULL;
    stmt_finalize(q);
    memset(m, 0, sizeof(*m));
    json_t *model = root ? json_object_get(root, "model") : NULL;
    if (!model) {
        json_decref(root);
        return 1; /* a run from before fuzzy linkage */
    }
    for (int f = 0; f < LK__FIELDS; f++) {
        json_t *fo = json_object_get(model, field_json[f]);
        for (int l = 0; fo && l < lk_levels((enum lk_field)f); l++) {
            json_t *lo = json_object_get(fo, lk_level_key((enum lk_field)f, l));
            m->m[f][l] = json_number_value(json_object_get(lo, "m"));
            m->u[f][l] = json_number_value(json_object_get(lo, "u"));
            m->w[f][l] = json_number_value(json_object_get(lo, "w"));
        }
    }
    lp->accept = json_number_value(json_object_get(model, "accept"));
    lp->review = json_number_value(json_object_get(model, "review"));
    lp->margin = json_number_value(json_object_get(model, "margin"));
    json_decref(root);
    return 0;
}

struct rec {
    int64_t id;
    struct lk_rec lk;
    char name[128], birth[16], id_text[VIEW_ID_SIZE], kind[16], where[256], file[128];
    int64_t row;
};

static int load_rec(struct store *s, int64_t id, const struct view *v, struct rec *r)
{
    struct stmt *q = store_prepare(
        s,
        "SELECT coalesce(r.id_number, ''), r.id_flags, coalesce(r.name_key, ''),"
        " coalesce(r.birth_date, ''), coalesce(r.gender, 0), b.kind, r.row_no, b.file_name,"
        " coalesce(r.school_name, ''), coalesce(r.grade_text, ''), coalesce(r.enroll_status, ''),"
        " coalesce(r.school_region, ''), coalesce(r.id_raw, ''), coalesce(r.name, '')"
        " FROM record r JOIN batch b ON b.id = r.batch_id WHERE r.id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, id);
    int rc = stmt_step(q);
    if (rc == 1) {
        memset(r, 0, sizeof(*r));
        r->id = id;
        const char *idn = stmt_text(q, 0);
        int flags = (int)stmt_int(q, 1);
        r->lk.rec_id = id;
        r->lk.key = *idn ? id_pack(idn) : 0;
        r->lk.id_state = !*idn ? LK_ID_NONE
                         : (flags & (ID_BAD_CHECK | ID_BAD_BIRTH | ID_PRECISION_LOST))
                             ? LK_ID_BAD_CHECK
                             : LK_ID_VALID;
        snprintf(r->name, sizeof(r->name), "%s", stmt_text(q, 2));
        snprintf(r->birth, sizeof(r->birth), "%s", stmt_text(q, 3));
        int ymd = 0;
        if (*r->birth && date_parse(r->birth, strlen(r->birth), &ymd) < 0)
            ymd = 0;
        r->lk.birth = ymd;
        r->lk.sex = (uint8_t)stmt_int(q, 4);
        snprintf(r->kind, sizeof(r->kind), "%s", stmt_text(q, 5));
        r->row = stmt_int(q, 6);
        snprintf(r->file, sizeof(r->file), "%s", stmt_text(q, 7));
        const char *shown = *idn ? idn : stmt_text(q, 12);
        if (*shown)
            view_id(v, shown, r->id_text);
        else
            snprintf(r->id_text, sizeof(r->id_text), "%s", "（无）");
        if (!strcmp(r->kind, "outside"))
            snprintf(r->where, sizeof(r->where), "外出就读：%s（%s）%s", stmt_text(q, 8),
                     stmt_text(q, 11), stmt_text(q, 9));
        else if (!strcmp(r->kind, "enrollment"))
            snprintf(r->where, sizeof(r->where), "学籍：%s %s，学籍状态 %s", stmt_text(q, 8),
                     stmt_text(q, 9),
                     enroll_status_label(enroll_status_from_key(stmt_text(q, 10))));
    }
    stmt_finalize(q);
    r->lk.name = r->name;
    return rc == 1 ? 0 : -1;
}

static void waterfall(struct buf *out, const struct lk_pair *pr, const char *verdict,
                      const char *reason, double tf_u)
{
    for (int f = 0; f < LK__FIELDS; f++) {
        const char *label = lk_field_label((enum lk_field)f);
        size_t w = utf8_width(label, strlen(label));
        buf_addf(out, "    %s", label);
        buf_addchars(out, ' ', w < 10 ? 10 - w : 1);
        const char *lv = lk_level_label((enum lk_field)f, pr->level[f]);
        size_t lw = utf8_width(lv, strlen(lv));
        buf_adds(out, lv);
        buf_addchars(out, ' ', lw < 36 ? 36 - lw : 1);
        buf_addf(out, "%+7.1f", pr->weight[f]);
        if (f == LK_NAME && pr->level[f] == NAME_EXACT && tf_u > 0)
            buf_addf(out, "  （此姓名在户籍中出现 %.0f 次，越常见分越低）", fmax(1, round(tf_u)));
        buf_addch(out, '\n');
    }
    buf_addf(out, "    ──────────────────────────────────────────────────────────\n");
    buf_addf(out, "    合计%*s%+7.1f  → %s：%s\n", 42, "", pr->total, verdict, reason);
}

/* explain_child with a scratch buffer for the birth as the view shows it (`born`). */
static int explain_id(struct store *s, const char *id_text, int64_t run, bool full,
                      const char *actor, struct buf *out, struct buf *born, struct buf *err,
                      int *exit_code)
{
    struct resident_id rid;
    id_normalize(id_text, strlen(id_text), &rid);
    if (!rid.id[0]) {
        buf_addf(err, "“%s”不是可用的身份证号（应为 18 位，或 15 位旧号）", id_text);
        *exit_code = EXIT_INPUT;
        return -1;
    }
    struct run_info ri;
    if (run_info_load(s, run, &ri, err, exit_code) < 0)
        return -1;
    struct view v = view_make(full, ri.cutoff);
    struct lk_model model;
    struct lk_params lp = LK_PARAMS_DEFAULT;
    if (load_model(s, ri.id, &model, &lp) < 0) {
        buf_adds(err, store_errmsg(s));
        *exit_code = EXIT_RUNTIME;
        return -1;
    }
    *exit_code = EXIT_RUNTIME;
    struct stmt *q = store_prepare(
        s, "SELECT r.id, coalesce(r.township, ''), coalesce(r.village, '') FROM record r"
           " WHERE r.batch_id = $1 AND r.id_number = $2 ORDER BY r.id");
    if (!q) {
        buf_adds(err, store_errmsg(s));
        return -1;
    }
    stmt_bind_int(q, 1, ri.population_batch);
    stmt_bind_str(q, 2, rid.id);
    int64_t children[8];
    char place[8][192];
    int nchildren = 0, rc;
    while ((rc = stmt_step(q)) == 1 && nchildren < 8) {
        children[nchildren] = stmt_int(q, 0);
        snprintf(place[nchildren], sizeof(place[0]), "%s %s", stmt_text(q, 1), stmt_text(q, 2));
        nchildren++;
    }
    stmt_finalize(q);
    if (rc < 0) {
        buf_adds(err, store_errmsg(s));
        return -1;
    }
    if (!nchildren) {
        char m[24];
        id_mask(rid.id, m);
        buf_addf(err, "比对第 %lld 次所用的户籍数据（第 %lld 批）中没有身份证号为 %s 的儿童",
                 (long long)ri.id, (long long)ri.population_batch, full ? rid.id : m);
        *exit_code = EXIT_INPUT;
        return -1;
    }

    for (int c = 0; c < nchildren; c++) {
        struct rec child;
        if (load_rec(s, children[c], &v, &child) < 0) {
            buf_adds(err, store_errmsg(s));
            return -1;
        }
        struct run_status_entry e;
        struct buf detail = BUF_INIT;
        int found = run_child_status(s, &ri, children[c], &e, &detail);
        if (found < 0) {
            buf_release(&detail);
            buf_adds(err, store_errmsg(s));
            return -1;
        }
        buf_reset(born);
        view_birth_text(&v, child.birth, born);
        buf_addf(out, "儿童：%s，%s，%s，身份证号 %s，%s（%s 第 %lld 行）\n", child.name,
                 gender_label(child.lk.sex), born->buf, child.id_text, place[c], child.file,
                 (long long)child.row);
        buf_addf(out, "比对第 %lld 次（截至 %s）：%s —— %s\n\n", (long long)ri.id, ri.as_of,
                 found ? status_label(e.st) : "无结果", detail.buf);
        buf_release(&detail);

        /* the name's frequency in the register, for the term-frequency weight */
        int64_t same_name = 0;
        {
            char pb[24];
            snprintf(pb, sizeof(pb), "%lld", (long long)ri.population_batch);
            const char *p[] = {pb, child.name};
            if (store_int(s, "SELECT count(*) FROM record WHERE batch_id = $1 AND name_key = $2", 2,
                          p, &same_name) < 0) {
                buf_adds(err, store_errmsg(s));
                return -1;
            }
        }
        int64_t npop = 0;
        {
            char pb[24];
            snprintf(pb, sizeof(pb), "%lld", (long long)ri.population_batch);
            const char *p[] = {pb};
            store_int(s, "SELECT rows_imported FROM batch WHERE id = $1", 1, p, &npop);
        }
        double tf = npop ? (double)(same_name ? same_name : 1) / (double)npop : 0;

        /* Every record considered: the same ID in this run's school lists, and the pairs the
         * fuzzy stages scored. */
        q = store_prepare(
            s, "SELECT r.id, '', '' FROM record r WHERE r.batch_id IN ($1, $2) AND r.id_number = $3"
               " AND r.id NOT IN (SELECT other_record FROM candidate WHERE run_id = $4"
               "  AND population_record = $5)"
               " UNION ALL SELECT c.other_record, c.decision, c.reason FROM candidate c"
               " WHERE c.run_id = $4 AND c.population_record = $5"
               " ORDER BY 1");
        if (!q) {
            buf_adds(err, store_errmsg(s));
            return -1;
        }
        stmt_bind_int(q, 1, ri.enrollment_batch);
        stmt_bind_int(q, 2, ri.outside_batch);
        stmt_bind_str(q, 3, rid.id);
        stmt_bind_int(q, 4, ri.id);
        stmt_bind_int(q, 5, children[c]);
        int64_t ids[64];
        char dec[64][16], why[64][160];
        int n = 0;
        while ((rc = stmt_step(q)) == 1 && n < 64) {
            ids[n] = stmt_int(q, 0);
            snprintf(dec[n], sizeof(dec[0]), "%s", stmt_text(q, 1));
            snprintf(why[n], sizeof(why[0]), "%s", stmt_text(q, 2));
            n++;
        }
        stmt_finalize(q);
        if (!n)
            buf_adds(out, "没有任何学籍或外出就读记录与此儿童比对过（身份证号、姓名和出生日期都没有"
                          "找到相近的记录）。\n");
        struct name_info an, bn;
        name_info_make(&an, child.name, strlen(child.name));
        for (int k = 0; k < n; k++) {
            struct rec r;
            if (load_rec(s, ids[k], &v, &r) < 0)
                continue;
            struct lk_pair pr;
            name_info_make(&bn, r.name, strlen(r.name));
            linker_compare(&model, &child.lk, &r.lk, &an, &bn, tf, &pr);
            buf_reset(born);
            view_birth_text(&v, r.birth, born);
            buf_addf(out, "候选记录 %d：%s 第 %lld 行，%s，%s，%s，%s，身份证号 %s\n", k + 1,
                     r.file, (long long)r.row, r.where, r.name, born->buf, gender_label(r.lk.sex),
                     r.id_text);
            const char *verdict = !*dec[k]                    ? "采纳"
                                  : !strcmp(dec[k], "accept") ? "采纳"
                                  : !strcmp(dec[k], "review") ? "待人工复核"
                                                              : "不采纳";
            const char *reason = *why[k] ? why[k] : "身份证号完全一致";
            waterfall(out, &pr, verdict, reason, same_name);
            buf_addch(out, '\n');
        }
        char target[32];
        snprintf(target, sizeof(target), "record:%lld", (long long)children[c]);
        if (audit_record(s, actor, NULL, "explain", target, full ? "full=1" : "full=0") < 0) {
            buf_adds(err, store_errmsg(s));
            return -1;
        }
    }
    buf_addf(out,
             "说明：每项得分为 log2(m/u)：m "
             "是同一人在此项上出现该情况的比例（由身份证号一致的记录估计），"
             "u 是不同的人出现该情况的比例（由随机记录对估计）。采纳线 %.1f，复核线 %.1f，"
             "第一名须比第二名高出 %.1f。\n",
             lp.accept, lp.review, lp.margin);
    *exit_code = EXIT_OK;
    return 0;
}

int explain_child(struct store *s, const char *id_text, int64_t run, bool full, const char *actor,
                  struct buf *out, struct buf *err, int *exit_code)
{
    struct buf born = BUF_INIT;
    int rc = explain_id(s, id_text, run, full, actor, out, &born, err, exit_code);
    buf_release(&born);
    return rc;
}

json_t *explain_record(struct store *s, int64_t record_id, bool full, struct buf *err)
{
    struct run_info ri;
    int code;
    if (run_info_load(s, 0, &ri, err, &code) < 0)
        return NULL;
    struct lk_model model;
    struct lk_params lp = LK_PARAMS_DEFAULT;
    struct rec child;
    struct view v = view_make(full, ri.cutoff);
    if (load_model(s, ri.id, &model, &lp) < 0 || load_rec(s, record_id, &v, &child) < 0) {
        buf_adds(err, store_errmsg(s));
        return NULL;
    }
    char pb[24], idn[24] = "";
    snprintf(pb, sizeof(pb), "%lld", (long long)ri.population_batch);
    if (child.lk.key)
        id_unpack(child.lk.key, idn);
    int64_t same_name = 0, npop = 0;
    const char *p2[] = {pb, child.name};
    const char *p1[] = {pb};
    if (store_int(s, "SELECT count(*) FROM record WHERE batch_id = $1 AND name_key = $2", 2, p2,
                  &same_name) < 0 ||
        store_int(s, "SELECT rows_imported FROM batch WHERE id = $1", 1, p1, &npop) < 0) {
        buf_adds(err, store_errmsg(s));
        return NULL;
    }
    double tf = npop ? (double)(same_name ? same_name : 1) / (double)npop : 0;
    struct stmt *q = store_prepare(
        s, "SELECT r.id, '', '' FROM record r WHERE r.batch_id IN ($1, $2) AND r.id_number = $3"
           " AND r.id NOT IN (SELECT other_record FROM candidate WHERE run_id = $4"
           "  AND population_record = $5)"
           " UNION ALL SELECT c.other_record, c.decision, c.reason FROM candidate c"
           " WHERE c.run_id = $4 AND c.population_record = $5"
           " ORDER BY 1");
    if (!q) {
        buf_adds(err, store_errmsg(s));
        return NULL;
    }
    stmt_bind_int(q, 1, ri.enrollment_batch);
    stmt_bind_int(q, 2, ri.outside_batch);
    stmt_bind_str(q, 3, *idn ? idn : NULL);
    stmt_bind_int(q, 4, ri.id);
    stmt_bind_int(q, 5, record_id);
    struct {
        int64_t id;
        char dec[16], why[160];
    } cand[64];
    int n = 0, rc;
    while ((rc = stmt_step(q)) == 1 && n < 64) {
        cand[n].id = stmt_int(q, 0);
        snprintf(cand[n].dec, sizeof(cand[n].dec), "%s", stmt_text(q, 1));
        snprintf(cand[n].why, sizeof(cand[n].why), "%s", stmt_text(q, 2));
        n++;
    }
    stmt_finalize(q);
    if (rc < 0) {
        buf_adds(err, store_errmsg(s));
        return NULL;
    }
    json_t *list = json_array();
    struct name_info an, bn;
    char on[11] = "";
    if (ri.cutoff)
        date_format(ri.cutoff, on);
    name_info_make(&an, child.name, strlen(child.name));
    for (int k = 0; k < n; k++) {
        struct rec r;
        if (load_rec(s, cand[k].id, &v, &r) < 0)
            continue;
        struct lk_pair pr;
        name_info_make(&bn, r.name, strlen(r.name));
        linker_compare(&model, &child.lk, &r.lk, &an, &bn, tf, &pr);
        const char *verdict = !*cand[k].dec || !strcmp(cand[k].dec, "accept") ? "采纳"
                              : !strcmp(cand[k].dec, "review")                ? "待人工复核"
                                                                              : "不采纳";
        json_t *fields = json_array();
        for (int f = 0; f < LK__FIELDS; f++)
            json_array_append_new(fields,
                                  json_pack("{s:s, s:s, s:s, s:f}", "field", field_json[f], "label",
                                            lk_field_label((enum lk_field)f), "level",
                                            lk_level_label((enum lk_field)f, pr.level[f]), "weight",
                                            round(pr.weight[f] * 10) / 10));
        int age = view_age(&v, r.birth);
        json_t *c =
            json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s?, s:o, s:s, s:s, s:s, s:s, s:o, s:f}",
                      "record_id", (json_int_t)r.id, "kind", r.kind, "file_name", r.file, "row",
                      (json_int_t)r.row, "where", r.where, "name", r.name, "birth_date",
                      view_birth(&v, r.birth), "age", age >= 0 ? json_integer(age) : json_null(),
                      "gender", gender_label(r.lk.sex), "id_number", r.id_text, "verdict", verdict,
                      "reason", *cand[k].why ? cand[k].why : "身份证号完全一致", "fields", fields,
                      "total", round(pr.total * 10) / 10);
        if (c)
            json_array_append_new(list, c);
    }
    return json_pack("{s:I, s:s?, s:f, s:f, s:f, s:I, s:o}", "run_id", (json_int_t)ri.id, "age_on",
                     *on ? on : NULL, "accept", lp.accept, "review", lp.review, "margin", lp.margin,
                     "name_frequency", (json_int_t)(same_name ? same_name : 1), "candidates", list);
}
