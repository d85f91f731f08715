/*
 * One child's waterfall: every school record a run considered for the child, each field's level
 * and weight, the total and why the pair ended as it did. A pair the linker scored is shown with
 * the numbers and the sentence the run stored (written from its reason code, link/reasons.c):
 * nothing is recomputed, so what a clerk reads is what was decided. Only a link by exact ID,
 * which no score decided, has its fields weighed here, for information.
 */
#include "domain/explain.h"

#include <jansson.h>
#include <math.h>

#include "core/date.h"
#include "core/idcard.h"
#include "core/view.h"
#include "core/words.h"
#include "store/audit.h"
#include "domain/review.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "domain/status.h"
#include "ingest/category.h"
#include "ingest/field.h"
#include "link/linker.h"
#include "store/store.h"
#include "util/common.h"
#include "util/utf8.h"

static const char *const field_json[LK__FIELDS] = {"id", "name", "birth", "sex"};

/* The model and thresholds a run used, read back from its counts. */
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
        for (int st = LK_ID_VALID; f == LK_ID && fo && st < LK_ID_STATES; st++) {
            json_t *so = json_object_get(fo, lk_id_state_key((enum lk_id_state)st));
            for (int l = 0; so && l < LKI__LEVELS; l++) {
                json_t *lo = json_object_get(so, lk_level_key(LK_ID, l));
                m->id_w[st][l] = json_number_value(json_object_get(lo, "w"));
                m->id_w_same[st][l] = json_number_value(json_object_get(lo, "w_same"));
            }
        }
        for (int l = 0; f != LK_ID && fo && l < lk_levels((enum lk_field)f); l++) {
            json_t *lo = json_object_get(fo, lk_level_key((enum lk_field)f, l));
            m->m[f][l] = json_number_value(json_object_get(lo, "m"));
            m->u[f][l] = json_number_value(json_object_get(lo, "u"));
            m->w[f][l] = json_number_value(json_object_get(lo, "w"));
            /* a run from before the same-day weights used one u for every pair */
            json_t *ws = json_object_get(lo, "w_same");
            m->w_same[f][l] = ws ? json_number_value(ws) : m->w[f][l];
        }
    }
    m->outsider = json_number_value(json_object_get(model, "outsider"));
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
    char source[160]; /* where the ID came from when not from its own cell (全国学籍号) */
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
        r->lk.id_state = lk_id_state(*idn != '\0', flags);
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
        const char *raw = stmt_text(q, 12);
        const char *shown = *idn ? idn : raw;
        if (*shown)
            view_id(v, shown, r->id_text);
        else
            snprintf(r->id_text, sizeof(r->id_text), "%s", "（无）");
        if (*idn && (flags & ID_PRECISION_LOST))
            snprintf(r->id_text + strlen(r->id_text), sizeof(r->id_text) - strlen(r->id_text), "%s",
                     "（后三位丢失）");
        /* The import takes the ID from the 全国学籍号 (G + ID) when the ID cell is empty or
         * unusable: then the cell does not read as the stored ID. */
        struct resident_id cell;
        id_normalize(raw, strlen(raw), &cell);
        if (*idn && strcmp(cell.id, idn) != 0 && !strcmp(r->kind, "enrollment")) {
            if (!*raw)
                snprintf(r->source, sizeof(r->source),
                         "身份证件号一栏为空，身份证号取自全国学籍号（G 加身份证号）");
            else if (v->full)
                snprintf(r->source, sizeof(r->source),
                         "身份证件号一栏为“%s”，不可用，身份证号取自全国学籍号（G 加身份证号）",
                         raw);
            else
                snprintf(r->source, sizeof(r->source),
                         "身份证件号一栏不可用，身份证号取自全国学籍号（G 加身份证号）");
        }
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

/* One record considered for the child, as decided. */
struct considered {
    struct rec r;
    const char *label[LK__FIELDS];
    double weight[LK__FIELDS], total;
    bool exact_name; /* the name agrees exactly (its weight reflects the name's frequency) */
    bool same_day;
    const struct word *verdict; /* of link_verdicts: 采纳 / 待人工复核 / 不采纳 */
    char reason[640];
};

static const struct word *verdict_of(const char *decision)
{
    const struct word *w = vocab_find(&link_verdicts, decision);
    return w ? w : vocab_find(&link_verdicts, "reject");
}

/* A scored pair from its stored levels: labels, weights, total, same day. */
static void from_levels(struct considered *c, const char *levels_json, double score)
{
    json_t *lv = json_loads(levels_json, 0, NULL);
    for (int f = 0; f < LK__FIELDS; f++) {
        json_t *fo = lv ? json_object_get(lv, field_json[f]) : NULL;
        const char *key = fo ? json_string_value(json_object_get(fo, "level")) : NULL;
        int l = lk_level_from_key((enum lk_field)f, key);
        c->label[f] = l >= 0 ? lk_level_label((enum lk_field)f, l) : "（本次比对所用的旧分级）";
        c->weight[f] = fo ? json_number_value(json_object_get(fo, "weight")) : 0;
        if (f == LK_NAME)
            c->exact_name = l == NAME_EXACT;
    }
    c->same_day = lv && json_is_true(json_object_get(lv, "same_day"));
    c->total = score;
    json_decref(lv);
}

struct explain_ctx {
    struct run_info ri;
    struct lk_model model;
    struct lk_params lp;
    int64_t same_name, npop;
};

static int ctx_load(struct store *s, int64_t run, struct explain_ctx *x, struct outcome *o)
{
    struct lk_params def = LK_PARAMS_DEFAULT;
    x->lp = def;
    if (run_info_load(s, run, &x->ri, o) < 0)
        return -1;
    if (load_model(s, x->ri.id, &x->model, &x->lp) < 0) {
        fail_store(s, o);
        return -1;
    }
    return 0;
}

/*
 * Every record the run considered for register record `child`: the pairs it scored, and the
 * records carrying the child's ID that no score decided (linked by the exact ID, or held back
 * and decided with another child). 0, or -1 with the store's message in the outcome.
 */
static int considered_load(struct store *s, struct explain_ctx *x, const struct rec *child,
                           const struct view *v, struct considered **out, int *nout,
                           struct outcome *o)
{
    char pb[24], idn[24] = "";
    snprintf(pb, sizeof(pb), "%lld", (long long)x->ri.population_batch);
    if (child->lk.key && child->lk.id_state != LK_ID_TRUNCATED)
        id_unpack(child->lk.key, idn);
    const char *p2[] = {pb, child->name};
    const char *p1[] = {pb};
    if (store_int(s, "SELECT count(*) FROM record WHERE batch_id = $1 AND name_key = $2", 2, p2,
                  &x->same_name) < 0 ||
        store_int(s, "SELECT rows_imported FROM batch WHERE id = $1", 1, p1, &x->npop) < 0) {
        return fail_store(s, o);
    }
    struct stmt *q = store_prepare(
        s, "SELECT c.other_record, c.decision, c.reason, c.levels, c.score, 0, 0 FROM candidate c"
           " WHERE c.run_id = $4 AND c.population_record = $5 AND c.pair_key NOT LIKE '%#G:%'"
           " UNION ALL SELECT r.id, '', '', '', 0,"
           "  (SELECT count(*) FROM candidate c WHERE c.run_id = $4 AND c.other_record = r.id),"
           "  (SELECT count(*) FROM candidate c WHERE c.run_id = $4 AND c.other_record = r.id"
           "   AND c.decision = 'accept')"
           " FROM record r WHERE r.batch_id IN ($1, $2) AND r.id_number = $3"
           " AND r.id NOT IN (SELECT other_record FROM candidate WHERE run_id = $4"
           "  AND population_record = $5)"
           " ORDER BY 1");
    if (!q) {
        return fail_store(s, o);
    }
    stmt_bind_int(q, 1, x->ri.enrollment_batch);
    stmt_bind_int(q, 2, x->ri.outside_batch);
    if (*idn)
        stmt_bind_str(q, 3, idn);
    else
        stmt_bind_null(q, 3);
    stmt_bind_int(q, 4, x->ri.id);
    stmt_bind_int(q, 5, child->id);
    struct considered *c = NULL;
    size_t alloc = 0;
    int n = 0, rc;
    struct row {
        int64_t id, elsewhere, accepted_elsewhere;
        double score;
        char decision[16];
        struct buf reason, levels;
    };
    struct row *rows = NULL;
    size_t rows_alloc = 0, nrows = 0;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(rows, nrows + 1, rows_alloc);
        struct row *w = &rows[nrows++];
        w->id = stmt_int(q, 0);
        snprintf(w->decision, sizeof(w->decision), "%s", stmt_text(q, 1));
        buf_init(&w->reason, 0);
        buf_init(&w->levels, 0);
        buf_adds(&w->reason, stmt_text(q, 2));
        buf_adds(&w->levels, stmt_text(q, 3));
        w->score = stmt_double(q, 4);
        w->elsewhere = stmt_int(q, 5);
        w->accepted_elsewhere = stmt_int(q, 6);
    }
    stmt_finalize(q);
    if (rc < 0) {
        fail_store(s, o);
        goto out;
    }
    double tf = x->npop ? (double)(x->same_name ? x->same_name : 1) / (double)x->npop : 0;
    struct name_info an, bn;
    name_info_make(&an, child->name, strlen(child->name));
    for (size_t k = 0; k < nrows; k++) {
        struct row *w = &rows[k];
        ALLOC_GROW(c, (size_t)n + 1, alloc);
        struct considered *e = &c[n];
        memset(e, 0, sizeof(*e));
        if (load_rec(s, w->id, v, &e->r) < 0)
            continue;
        n++;
        if (*w->decision) {
            /* scored: as the run decided it */
            from_levels(e, w->levels.buf, w->score);
            e->verdict = verdict_of(w->decision);
            snprintf(e->reason, sizeof(e->reason), "%s", w->reason.buf);
            continue;
        }
        /* the same ID, never scored against this child: weighed here for information */
        struct lk_pair pr;
        name_info_make(&bn, e->r.name, strlen(e->r.name));
        linker_compare(&x->model, &child->lk, &e->r.lk, &an, &bn, tf, &pr);
        for (int f = 0; f < LK__FIELDS; f++) {
            e->label[f] = lk_level_label((enum lk_field)f, pr.level[f]);
            e->weight[f] = pr.weight[f];
        }
        e->exact_name = pr.level[LK_NAME] == NAME_EXACT;
        e->same_day = pr.same_day;
        e->total = pr.total;
        if (!w->elsewhere) {
            struct buf t = BUF_INIT;
            pr.reason = LKR_EXACT;
            lk_reason_text(&pr, &x->lp, &t);
            e->verdict = verdict_of("accept");
            snprintf(e->reason, sizeof(e->reason), "%s", t.buf);
            buf_release(&t);
        } else if (w->accepted_elsewhere) {
            e->verdict = verdict_of("reject");
            snprintf(e->reason, sizeof(e->reason), "%s",
                     "身份证号与此儿童相同，但姓名等不符，此记录经综合比对已归属另一名儿童");
        } else {
            e->verdict = verdict_of("reject");
            snprintf(e->reason, sizeof(e->reason), "%s",
                     "身份证号与此儿童相同，但姓名等不符，此记录与其他儿童一并比对，未归属此儿童"
                     "（见复核队列）");
        }
    }
out:
    for (size_t k = 0; k < nrows; k++) {
        buf_release(&rows[k].reason);
        buf_release(&rows[k].levels);
    }
    free(rows);
    if (rc < 0) {
        free(c);
        return -1;
    }
    *out = c;
    *nout = n;
    return 0;
}

static void waterfall(struct buf *out, const struct considered *c, int64_t same_name)
{
    for (int f = 0; f < LK__FIELDS; f++) {
        const char *label = lk_field_label((enum lk_field)f);
        size_t w = utf8_width(label, strlen(label));
        buf_addf(out, "    %s", label);
        buf_addchars(out, ' ', w < 10 ? 10 - w : 1);
        const char *lv = c->label[f];
        size_t lw = utf8_width(lv, strlen(lv));
        buf_adds(out, lv);
        buf_addchars(out, ' ', lw < 36 ? 36 - lw : 1);
        buf_addf(out, "%+7.1f", c->weight[f]);
        if (f == LK_NAME && c->exact_name)
            buf_addf(out, "  （此姓名在户籍中出现 %lld 次，越常见分越低）",
                     (long long)(same_name ? same_name : 1));
        buf_addch(out, '\n');
    }
    buf_addf(out, "    ──────────────────────────────────────────────────────────\n");
    buf_addf(out, "    合计%*s%+7.1f  → %s：%s\n", 42, "", c->total, c->verdict->label, c->reason);
    if (c->same_day)
        buf_adds(
            out,
            "    （出生日期相同：身份证号、姓名、性别三项按同一天出生的孩子之间的情况计分）\n");
    if (*c->r.source)
        buf_addf(out, "    （%s）\n", c->r.source);
}

/* The closing note: what the numbers mean, in words, with the run's lines. */
static void add_note(struct buf *out, const struct lk_params *lp)
{
    buf_addf(out,
             "说明：每项得分表示这项比对结果在同一个孩子的两条记录之间比在两个不同孩子之间常见多"
             "少——每多 1 分，是同一人的可能就大一倍，负分则相反；各项的分数由本次比对的数据估计。"
             "同一天出生的孩子（如双胞胎）身份证号前十四位相同、后几位往往只差一两位，名字也常"
             "相近，所以出生日期相同时，身份证号、姓名、性别三项按同一天出生的孩子之间的情况计分。"
             "合计达到采纳线 %.1f 分、且比第二名高出 %.1f 分以上才自动采纳；复核线 %.1f 分以上"
             "交人工复核。\n",
             lp->accept, lp->margin, lp->review);
}

/* explain_child with a scratch buffer for the birth as the view shows it (`born`). */
/* The priority-group rows run `run` linked to register record `child`: which list (file, row,
 * date), group, category, how linked and the sentence the run stored. Appends text to `out`
 * when given, objects to `arr` when given. */
static int group_rows(struct store *s, int64_t run, int64_t child, struct buf *out, json_t *arr)
{
    struct stmt *q = store_prepare(
        s, "SELECT m.grp, coalesce(m.category, ''), coalesce(m.matched_by, ''), m.detail,"
           " coalesce(b.file_name, ''), g.row_no, coalesce(b.imported_at, ''), b.kind"
           " FROM group_member m JOIN record g ON g.id = m.group_record"
           " JOIN batch b ON b.id = g.batch_id"
           " WHERE m.run_id = $1 AND m.record_id = $2 ORDER BY m.group_record");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, run);
    stmt_bind_int(q, 2, child);
    int rc, n = 0;
    while ((rc = stmt_step(q)) == 1) {
        const char *grp = stmt_text(q, 0), *by = stmt_text(q, 2);
        const char *label = vocab_label(&priority_groups, grp);
        const char *how = !strcmp(by, "id")           ? "本人身份证号"
                          : !strcmp(by, "household")  ? "同户（户主或监护人）"
                          : !strcmp(by, "name_birth") ? "姓名和出生日期"
                                                      : by;
        char date[11] = "";
        snprintf(date, sizeof(date), "%.10s", stmt_text(q, 6));
        enum import_kind kind;
        const struct vocab *cats =
            kind_parse(stmt_text(q, 7), &kind) == 0 ? kind_categories(kind) : NULL;
        const char *cat = cats && *stmt_text(q, 1) ? vocab_label(cats, stmt_text(q, 1)) : NULL;
        if (!cat)
            cat = stmt_text(q, 1);
        if (out) {
            if (!n)
                buf_adds(out, "\n重点群体名单：\n");
            buf_addf(out, "  %s%s%s%s：%s 第 %lld 行（%s 导入），按%s关联 —— %s\n",
                     label ? label : grp, *cat && strcmp(cat, label ? label : grp) ? "（" : "",
                     *cat && strcmp(cat, label ? label : grp) ? cat : "",
                     *cat && strcmp(cat, label ? label : grp) ? "）" : "", stmt_text(q, 4),
                     (long long)stmt_int(q, 5), date, how, stmt_text(q, 3));
        }
        if (arr) {
            json_t *o = json_pack("{s:s, s:s, s:s?, s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "group",
                                  grp, "group_label", label ? label : grp, "category",
                                  *stmt_text(q, 1) ? stmt_text(q, 1) : NULL, "matched_by", by,
                                  "matched_by_label", how, "file_name", stmt_text(q, 4), "row",
                                  (json_int_t)stmt_int(q, 5), "imported", date, "list_kind",
                                  stmt_text(q, 7), "detail", stmt_text(q, 3));
            if (o)
                json_array_append_new(arr, o);
        }
        n++;
    }
    stmt_finalize(q);
    if (rc < 0)
        return -1;
    if (out && !n)
        buf_adds(out, "\n重点群体名单：没有任何重点群体名单关联到这名儿童。\n");
    return 0;
}

static int explain_id(struct store *s, const char *id_text, int64_t run, bool full,
                      const char *actor, struct buf *out, struct buf *born, struct outcome *o)
{
    struct resident_id rid;
    id_normalize(id_text, strlen(id_text), &rid);
    if (!rid.id[0] || (rid.flags & ID_PRECISION_LOST)) {
        failed(o, OUT_INVALID, "“%s”不是可用的身份证号（应为 18 位，或 15 位旧号）", id_text);
        return -1;
    }
    struct explain_ctx x;
    if (ctx_load(s, run, &x, o) < 0)
        return -1;
    struct view v = view_make(full, x.ri.cutoff);
    struct stmt *q = store_prepare(
        s, "SELECT r.id, coalesce(r.township, ''), coalesce(r.village, '') FROM record r"
           " WHERE r.batch_id = $1 AND r.id_number = $2 ORDER BY r.id");
    if (!q) {
        return fail_store(s, o);
    }
    stmt_bind_int(q, 1, x.ri.population_batch);
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
        return fail_store(s, o);
    }
    if (!nchildren) {
        char m[24];
        id_mask(rid.id, m);
        failed(o, OUT_NOT_FOUND,
               "比对第 %lld 次所用的户籍数据（第 %lld 批）中没有身份证号为 %s 的儿童",
               (long long)x.ri.id, (long long)x.ri.population_batch, full ? rid.id : m);
        return -1;
    }

    for (int ci = 0; ci < nchildren; ci++) {
        struct rec child;
        if (load_rec(s, children[ci], &v, &child) < 0) {
            return fail_store(s, o);
        }
        struct run_status_entry e;
        struct buf detail = BUF_INIT;
        int found = run_child_status(s, &x.ri, children[ci], &e, &detail);
        if (found < 0) {
            buf_release(&detail);
            return fail_store(s, o);
        }
        buf_reset(born);
        view_birth_text(&v, child.birth, born);
        buf_addf(out, "儿童：%s，%s，%s，身份证号 %s，%s（%s 第 %lld 行）\n", child.name,
                 gender_label(child.lk.sex), born->buf, child.id_text, place[ci], child.file,
                 (long long)child.row);
        buf_addf(out, "比对第 %lld 次（截至 %s）：%s —— %s\n\n", (long long)x.ri.id, x.ri.as_of,
                 found ? status_label(e.st) : "无结果", detail.buf);
        buf_release(&detail);

        struct considered *c = NULL;
        int n = 0;
        if (considered_load(s, &x, &child, &v, &c, &n, o) < 0)
            return -1;
        if (!n)
            buf_adds(out, "没有任何学籍或外出就读记录与此儿童比对过（身份证号、姓名和出生日期都没有"
                          "找到相近的记录）。\n");
        for (int k = 0; k < n; k++) {
            const struct rec *r = &c[k].r;
            buf_reset(born);
            view_birth_text(&v, r->birth, born);
            buf_addf(out, "候选记录 %d：%s 第 %lld 行，%s，%s，%s，%s，身份证号 %s\n", k + 1,
                     r->file, (long long)r->row, r->where, r->name, born->buf,
                     gender_label(r->lk.sex), r->id_text);
            waterfall(out, &c[k], x.same_name);
            buf_addch(out, '\n');
        }
        free(c);
        if (group_rows(s, x.ri.id, children[ci], out, NULL) < 0)
            return fail_store(s, o);
        buf_addch(out, '\n');
        char target[AUDIT_TARGET_SIZE];
        audit_target(target, OBJ_RECORD, children[ci]);
        if (audit_record(s, actor, NULL, "explain", target,
                         full ? "完整身份证号" : "身份证号已遮盖") < 0) {
            return fail_store(s, o);
        }
    }
    add_note(out, &x.lp);
    return 0;
}

int explain_child(struct store *s, const char *id_text, int64_t run, bool full, const char *actor,
                  struct buf *out, struct outcome *o)
{
    struct buf born = BUF_INIT;
    int rc = explain_id(s, id_text, run, full, actor, out, &born, o);
    buf_release(&born);
    return rc;
}

json_t *explain_record(struct store *s, int64_t record_id, bool full, struct outcome *oc)
{
    struct explain_ctx x;
    struct rec child;
    if (ctx_load(s, 0, &x, oc) < 0)
        return NULL;
    struct view v = view_make(full, x.ri.cutoff);
    if (load_rec(s, record_id, &v, &child) < 0) {
        return fail_store(s, oc), NULL;
    }
    struct considered *c = NULL;
    int n = 0;
    if (considered_load(s, &x, &child, &v, &c, &n, oc) < 0)
        return NULL;
    json_t *list = json_array();
    for (int k = 0; k < n; k++) {
        const struct rec *r = &c[k].r;
        json_t *fields = json_array();
        for (int f = 0; f < LK__FIELDS; f++)
            json_array_append_new(fields,
                                  json_pack("{s:s, s:s, s:s, s:f}", "field", field_json[f], "label",
                                            lk_field_label((enum lk_field)f), "level",
                                            c[k].label[f], "weight", c[k].weight[f]));
        int age = view_age(&v, r->birth);
        json_t *o = json_pack(
            "{s:I, s:s, s:s, s:I, s:s, s:s, s:s?, s:o, s:s, s:s, s:s, s:s, s:s, s:o, s:f, s:b, "
            "s:s}",
            "record_id", (json_int_t)r->id, "kind", r->kind, "file_name", r->file, "row",
            (json_int_t)r->row, "where", r->where, "name", r->name, "birth_date",
            view_birth(&v, r->birth), "age", age >= 0 ? json_integer(age) : json_null(), "gender",
            gender_label(r->lk.sex), "id_number", r->id_text, "verdict", c[k].verdict->label,
            "verdict_key", c[k].verdict->key, "reason", c[k].reason, "fields", fields, "total",
            c[k].total, "same_day", c[k].same_day, "id_source", r->source);
        if (o)
            json_array_append_new(list, o);
    }
    free(c);
    json_t *groups = json_array();
    if (group_rows(s, x.ri.id, record_id, NULL, groups) < 0) {
        json_decref(list);
        json_decref(groups);
        return fail_store(s, oc), NULL;
    }
    struct buf note = BUF_INIT;
    add_note(&note, &x.lp);
    char on[11] = "";
    if (x.ri.cutoff)
        date_format(x.ri.cutoff, on);
    json_t *j =
        json_pack("{s:I, s:s?, s:f, s:f, s:f, s:I, s:s, s:o, s:o}", "run_id", (json_int_t)x.ri.id,
                  "age_on", *on ? on : NULL, "accept", x.lp.accept, "review", x.lp.review, "margin",
                  x.lp.margin, "name_frequency", (json_int_t)(x.same_name ? x.same_name : 1),
                  "note", note.buf + strlen("说明："), "candidates", list, "groups", groups);
    buf_release(&note);
    return j;
}
