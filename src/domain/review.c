#include "domain/review.h"

#include <jansson.h>

#include "core/date.h"
#include "core/idcard.h"
#include "core/view.h"
#include "core/words.h"
#include "store/audit.h"
#include "domain/run.h"
#include "ingest/field.h"
#include "link/linker.h"
#include "store/store.h"
#include "util/common.h"
#include "util/utf8.h"

static const struct word verdict_words[] = {
    {"accept", "采纳", "已自动采纳|同一人", 0, TONE_OK},
    {"review", "待人工复核", "需人工复核", 0, TONE_WARN},
    {"reject", "不采纳", "未采纳", 0, TONE_MUTED},
};
const struct vocab link_verdicts = {"比对结论", verdict_words, ARRAY_SIZE(verdict_words)};

static const struct word decision_words[] = {
    {"pending", "待复核", NULL, 0, TONE_WARN},
    {"accept", "同一人", "是同一人", 0, TONE_OK},
    {"reject", "不是同一人", NULL, 0, TONE_MUTED},
};
const struct vocab review_decisions = {"复核结论", decision_words, ARRAY_SIZE(decision_words)};

static const struct table_col review_cols[] = {
    {"candidate_id", "编号", COL_INT},     {"township", "乡镇", COL_TEXT},
    {"child_name", "户籍姓名", COL_TEXT},  {"child_birth_date", "户籍出生日期", COL_BIRTH},
    {"child_age", "户籍年龄", COL_INT},    {"child_id_number", "户籍身份证号", COL_TEXT},
    {"record_name", "记录姓名", COL_TEXT}, {"record_birth_date", "记录出生日期", COL_BIRTH},
    {"record_age", "记录年龄", COL_INT},   {"record_id_number", "记录身份证号", COL_TEXT},
    {"record_school", "学校", COL_TEXT},   {"score", "得分", COL_TEXT},
    {"reason", "原因", COL_TEXT},          {"decision", "复核结论", COL_TEXT},
    {"decision_key", "复核结论", COL_KEY},
};

/* An age cell (empty when unknown). */
static void set_age(struct report_table *t, size_t col, const struct view *v, const char *birth)
{
    int age = view_age(v, birth);
    if (age >= 0)
        table_setf(t, col, "%d", age);
}

int review_list(struct store *s, bool all, bool full, struct report_table *t, struct outcome *o)
{
    struct run_info ri;
    if (run_info_load(s, 0, &ri, o) < 0)
        return -1;
    struct stmt *q = store_prepare(
        s,
        "SELECT c.id, coalesce(p.township, ''), coalesce(p.name, ''), coalesce(p.birth_date, ''),"
        " coalesce(p.id_number, ''), coalesce(o.name, ''), coalesce(o.birth_date, ''),"
        " coalesce(o.id_number, o.id_raw, ''), coalesce(o.school_name, ''), c.score, c.reason,"
        " coalesce(d.decision, '')"
        " FROM candidate c JOIN record p ON p.id = c.population_record"
        " JOIN record o ON o.id = c.other_record"
        " LEFT JOIN review_decision d ON d.pair_key = c.pair_key"
        " WHERE c.run_id = $1 AND c.decision = 'review' AND ($2 = 1 OR d.decision IS NULL)"
        " ORDER BY p.township_code, c.other_record, c.score DESC");
    if (!q) {
        fail_store(s, o);
        return -1;
    }
    stmt_bind_int(q, 1, ri.id);
    stmt_bind_int(q, 2, all);
    struct view v = view_make(full, ri.cutoff);
    table_init_view(t, "人工复核队列（疑似同一人的记录）", "pairs", review_cols,
                    ARRAY_SIZE(review_cols), &v);
    int rc;
    char m[VIEW_ID_SIZE];
    while ((rc = stmt_step(q)) == 1) {
        table_add_row(t);
        table_setf(t, 0, "%lld", (long long)stmt_int(q, 0));
        for (int c = 1; c <= 3; c++)
            table_set(t, (size_t)c, stmt_text(q, c));
        set_age(t, 4, &v, stmt_text(q, 3));
        view_id(&v, stmt_text(q, 4), m);
        table_set(t, 5, m);
        table_set(t, 6, stmt_text(q, 5));
        table_set(t, 7, stmt_text(q, 6));
        set_age(t, 8, &v, stmt_text(q, 6));
        view_id(&v, stmt_text(q, 7), m);
        table_set(t, 9, m);
        table_set(t, 10, stmt_text(q, 8));
        table_setf(t, 11, "%.1f", stmt_double(q, 9));
        table_set(t, 12, stmt_text(q, 10));
        const char *dd = *stmt_text(q, 11) ? stmt_text(q, 11) : "pending";
        table_set(t, 13, vocab_label(&review_decisions, dd));
        table_set(t, 14, dd);
    }
    stmt_finalize(q);
    if (rc < 0) {
        fail_store(s, o);
        table_release(t);
        return -1;
    }
    char runs[24], n[24];
    snprintf(runs, sizeof(runs), "%lld", (long long)ri.id);
    snprintf(n, sizeof(n), "%zu", t->nrows);
    table_meta(t, "run_id", runs, META_INT);
    table_meta(t, "total", n, META_INT);
    table_meta(t, "masked", full ? "false" : "true", META_BOOL);
    table_note_view(t, &v, false);
    buf_addf(&t->footer,
             "\n比对第 %s 次，%s %zu 对。查看详情：baoxue review show 编号；"
             "确认：baoxue review accept 编号 / reject 编号（决定在下次 baoxue match 时生效）\n",
             runs, all ? "复核区共" : "待复核", t->nrows);
    return 0;
}

struct side {
    char name[128], birth[16], shown_birth[64], id[VIEW_ID_SIZE], gender[8], extra[256];
    char list[64]; /* the list the record is of, as people name it: 户籍, 学籍, 低保特困孤儿 … */
    int age; /* on the cutoff, -1 unknown */
    int64_t row;
    char file[128];
};

static int load_side(struct store *s, int64_t rec, const struct view *v, struct side *sd)
{
    struct stmt *q = store_prepare(
        s,
        "SELECT coalesce(r.name, ''), coalesce(r.birth_date, ''),"
        " coalesce(r.id_number, r.id_raw, ''), coalesce(r.gender, 0), r.row_no, b.file_name,"
        " b.kind, coalesce(r.township, ''), coalesce(r.village, ''), coalesce(r.school_name, ''),"
        " coalesce(r.grade_text, ''), coalesce(r.enroll_status, ''), coalesce(r.guardian, ''),"
        " coalesce(g.category_text, ''), coalesce(r.head_name, '')"
        " FROM record r JOIN batch b ON b.id = r.batch_id LEFT JOIN group_detail g"
        " ON g.batch_id = r.batch_id AND g.row_no = r.row_no WHERE r.id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, rec);
    int rc = stmt_step(q);
    if (rc == 1) {
        snprintf(sd->name, sizeof(sd->name), "%s", stmt_text(q, 0));
        snprintf(sd->birth, sizeof(sd->birth), "%s", stmt_text(q, 1));
        sd->age = view_age(v, sd->birth);
        /* the birth as the pair shows it side by side: the date, or the age on the cutoff */
        if (v->full)
            snprintf(sd->shown_birth, sizeof(sd->shown_birth), "%s", sd->birth);
        else if (sd->age >= 0)
            snprintf(sd->shown_birth, sizeof(sd->shown_birth), "%d 周岁", sd->age);
        view_id(v, stmt_text(q, 2), sd->id);
        snprintf(sd->gender, sizeof(sd->gender), "%s", gender_label((int)stmt_int(q, 3)));
        sd->row = stmt_int(q, 4);
        snprintf(sd->file, sizeof(sd->file), "%s", stmt_text(q, 5));
        enum import_kind kind = KIND_ENROLLMENT;
        kind_parse(stmt_text(q, 6), &kind);
        snprintf(sd->list, sizeof(sd->list), "%s", kind_label(kind));
        if (kind == KIND_POPULATION)
            snprintf(sd->extra, sizeof(sd->extra), "%s %s，监护人 %s", stmt_text(q, 7),
                     stmt_text(q, 8), stmt_text(q, 12));
        else if (kind_is_group(kind)) /* a priority group's row: its category and household */
            snprintf(sd->extra, sizeof(sd->extra), "%s名单%s%s，%s %s，户主 %s，监护人 %s",
                     kind_label(kind), *stmt_text(q, 13) ? "：" : "", stmt_text(q, 13),
                     stmt_text(q, 7), stmt_text(q, 8), stmt_text(q, 14), stmt_text(q, 12));
        else
            snprintf(sd->extra, sizeof(sd->extra), "%s %s，学籍状态 %s", stmt_text(q, 9),
                     stmt_text(q, 10),
                     enroll_status_label(enroll_status_from_key(stmt_text(q, 11))));
    }
    stmt_finalize(q);
    return rc == 1 ? 0 : -1;
}

static void pad_to(struct buf *out, const char *s, size_t width)
{
    size_t w = utf8_width(s, strlen(s));
    buf_adds(out, s);
    buf_addchars(out, ' ', w < width ? width - w : 1);
}

/* Run `sql` (its $1 a candidate id) and stand on its row; NULL with the message otherwise. */
static struct stmt *candidate_row(struct store *s, const char *sql, int64_t candidate_id,
                                  struct outcome *o)
{
    return store_row_by_id(s, sql, candidate_id, "候选记录对", o);
}

/* One candidate pair as both renderings need it. */
struct pair_view {
    int64_t run;
    double score;
    json_t *levels; /* {"id": {"level", "weight"}, …} as the run stored it; may be NULL */
    char decision[16], reason[256], verdict[16], by[64], at[32], note[256];
    struct view view;
    struct side a, b; /* the population record and the other one */
};

static int pair_load(struct store *s, int64_t candidate_id, bool full, struct pair_view *v,
                     struct outcome *o)
{
    struct stmt *q = candidate_row(
        s,
        "SELECT c.run_id, c.population_record, c.other_record, c.score, c.levels, c.decision,"
        " c.reason, coalesce(d.decision, ''), coalesce(d.decided_by, ''),"
        " coalesce(d.decided_at, ''), coalesce(d.note, '') FROM candidate c"
        " LEFT JOIN review_decision d ON d.pair_key = c.pair_key WHERE c.id = $1",
        candidate_id, o);
    if (!q)
        return -1;
    memset(v, 0, sizeof(*v));
    v->run = stmt_int(q, 0);
    int64_t prec = stmt_int(q, 1), orec = stmt_int(q, 2);
    v->score = stmt_double(q, 3);
    v->levels = json_loads(stmt_text(q, 4), 0, NULL);
    snprintf(v->decision, sizeof(v->decision), "%s", stmt_text(q, 5));
    snprintf(v->reason, sizeof(v->reason), "%s", stmt_text(q, 6));
    snprintf(v->verdict, sizeof(v->verdict), "%s", stmt_text(q, 7));
    snprintf(v->by, sizeof(v->by), "%s", stmt_text(q, 8));
    snprintf(v->at, sizeof(v->at), "%s", stmt_text(q, 9));
    snprintf(v->note, sizeof(v->note), "%s", stmt_text(q, 10));
    stmt_finalize(q);
    if (run_view(s, full, &v->view) < 0) {
        json_decref(v->levels);
        fail_store(s, o);
        return -1;
    }
    if (load_side(s, prec, &v->view, &v->a) < 0 || load_side(s, orec, &v->view, &v->b) < 0) {
        json_decref(v->levels);
        failed(o, OUT_ERROR, "候选记录对所指的记录已不存在");
        return -1;
    }
    return 0;
}

/* Field f of the pair: its name, both values as the view shows them, whether the values
 * differ, the level's key and label, its weight. A masked view shows ages for the birth dates;
 * the level (相同, 相近, 不同) still says how the dates compare. */
struct pair_field {
    const char *name, *a, *b, *level, *label;
    bool differs;
    double weight;
};

static struct pair_field pair_field(const struct pair_view *v, enum lk_field f)
{
    static const char *const keys[] = {"id", "name", "birth", "sex"};
    const char *va[] = {v->a.id, v->a.name, v->a.shown_birth, v->a.gender};
    const char *vb[] = {v->b.id, v->b.name, v->b.shown_birth, v->b.gender};
    json_t *fo = v->levels ? json_object_get(v->levels, keys[f]) : NULL;
    struct pair_field pf = {.name = lk_field_label(f), .a = va[f], .b = vb[f], .label = ""};
    pf.differs = f == LK_BIRTH ? strcmp(v->a.birth, v->b.birth) != 0 : strcmp(pf.a, pf.b) != 0;
    if (f == LK_BIRTH && !v->view.full)
        pf.name = "年龄（出生日期不显示）";
    pf.level = fo ? json_string_value(json_object_get(fo, "level")) : NULL;
    pf.weight = fo ? json_number_value(json_object_get(fo, "weight")) : 0;
    for (int l = 0; pf.level && l < lk_levels(f); l++)
        if (!strcmp(pf.level, lk_level_key(f, l)))
            pf.label = lk_level_label(f, l);
    return pf;
}

static const char *decision_label(const char *decision)
{
    const char *l = vocab_label(&link_verdicts, decision);
    return *l ? l : vocab_label(&link_verdicts, "reject");
}

int review_show(struct store *s, int64_t candidate_id, bool full, struct buf *out,
                struct outcome *o)
{
    struct pair_view v;
    if (pair_load(s, candidate_id, full, &v, o) < 0)
        return -1;
    buf_addf(out, "候选记录对 %lld（比对第 %lld 次）\n\n", (long long)candidate_id,
             (long long)v.run);
    size_t w1 = 12; /* the widest field name and two spaces */
    const size_t w2 = 34;
    for (int f = 0; f < LK__FIELDS; f++) {
        const char *name = pair_field(&v, (enum lk_field)f).name;
        size_t w = utf8_width(name, strlen(name)) + 2;
        w1 = w > w1 ? w : w1;
    }
    pad_to(out, "", w1);
    pad_to(out, "户籍", w2);
    buf_addf(out, "%s\n",
             !strcmp(v.b.list, kind_label(KIND_ENROLLMENT)) ||
                     !strcmp(v.b.list, kind_label(KIND_OUTSIDE))
                 ? "学籍/外出就读"
                 : v.b.list);
    for (int f = 0; f < LK__FIELDS; f++) {
        struct pair_field pf = pair_field(&v, (enum lk_field)f);
        pad_to(out, pf.name, w1);
        pad_to(out, pf.a, w2);
        pad_to(out, pf.b, w2);
        buf_addf(out, "%s%s %+.1f\n", pf.differs ? "≠ " : "= ", pf.label, pf.weight);
    }
    pad_to(out, "其他", w1);
    pad_to(out, v.a.extra, w2);
    buf_addf(out, "%s\n", v.b.extra);
    pad_to(out, "来源", w1);
    char src[160];
    snprintf(src, sizeof(src), "%s 第 %lld 行", v.a.file, (long long)v.a.row);
    pad_to(out, src, w2);
    buf_addf(out, "%s 第 %lld 行\n", v.b.file, (long long)v.b.row);
    buf_addf(out, "\n合计得分 %+.1f：%s（%s）\n", v.score, decision_label(v.decision), v.reason);
    if (*v.verdict)
        buf_addf(out, "人工复核结论：%s（%s，%s）\n", vocab_label(&review_decisions, v.verdict),
                 v.by, v.at);
    json_decref(v.levels);
    return 0;
}

static json_t *side_json(const struct view *v, const struct side *sd)
{
    return json_pack("{s:s, s:s, s:s?, s:o, s:s, s:s, s:s, s:I, s:s}", "id_number", sd->id, "name",
                     sd->name, "birth_date", view_birth(v, sd->birth), "age",
                     sd->age >= 0 ? json_integer(sd->age) : json_null(), "gender", sd->gender,
                     "other", sd->extra, "file", sd->file, "row", (json_int_t)sd->row, "list",
                     sd->list);
}

json_t *review_get(struct store *s, int64_t candidate_id, bool full, struct outcome *o)
{
    struct pair_view v;
    if (pair_load(s, candidate_id, full, &v, o) < 0)
        return NULL;
    static const char *const keys[] = {"id_number", "name", "birth_date", "gender"};
    json_t *fields = json_array();
    for (int f = 0; f < LK__FIELDS; f++) {
        struct pair_field pf = pair_field(&v, (enum lk_field)f);
        json_array_append_new(
            fields, json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s, s:f, s:b}", "key", keys[f], "label",
                              pf.name, "population", pf.a, "other", pf.b, "level", pf.level,
                              "level_label", pf.label, "weight", pf.weight, "differs", pf.differs));
    }
    json_t *j = json_pack("{s:I, s:I, s:f, s:s, s:s, s:s, s:o, s:o, s:o}", "id",
                          (json_int_t)candidate_id, "run_id", (json_int_t)v.run, "score", v.score,
                          "decision", v.decision, "decision_label", decision_label(v.decision),
                          "reason", v.reason, "fields", fields, "population",
                          side_json(&v.view, &v.a), "other", side_json(&v.view, &v.b));
    if (*v.verdict)
        json_object_set_new(j, "review",
                            json_pack("{s:s, s:s, s:s, s:s, s:s}", "decision", v.verdict, "label",
                                      vocab_label(&review_decisions, v.verdict), "decided_by", v.by,
                                      "decided_at", v.at, "note", v.note));
    else
        json_object_set_new(j, "review", json_null());
    json_decref(v.levels);
    return j;
}

int review_decide(struct store *s, int64_t candidate_id, bool accept, const char *actor,
                  const char *note, struct buf *msg, struct outcome *o)
{
    struct stmt *q = candidate_row(s,
                                   "SELECT c.pair_key, c.run_id, coalesce(d.decision, '')"
                                   " FROM candidate c LEFT JOIN review_decision d"
                                   " ON d.pair_key = c.pair_key WHERE c.id = $1",
                                   candidate_id, o);
    if (!q)
        return -1;
    char *key = xstrdup(stmt_text(q, 0));
    char run[24], before[16];
    snprintf(run, sizeof(run), "%lld", (long long)stmt_int(q, 1));
    snprintf(before, sizeof(before), "%s", stmt_text(q, 2));
    stmt_finalize(q);
    char now[32];
    date_now_text(now, sizeof(now));
    const char *verdict = accept ? "accept" : "reject";
    const char *p[] = {key, verdict, actor && *actor ? actor : "unknown", now, note, run};
    struct buf detail = BUF_INIT;
    buf_addf(&detail, "记录对 %lld：%s%s%s%s", (long long)candidate_id,
             accept ? "是同一人" : "不是同一人", *before ? "（原为" : "",
             !*before                    ? ""
             : !strcmp(before, "accept") ? "是同一人"
             : !strcmp(before, "reject") ? "不是同一人"
                                         : before,
             *before ? "）" : "");
    char target[AUDIT_TARGET_SIZE];
    audit_target(target, OBJ_CANDIDATE, candidate_id);
    int rc = store_begin(s);
    if (rc == 0)
        rc = store_run(s,
                       "INSERT INTO review_decision (pair_key, decision, decided_by, decided_at,"
                       " note, first_run) VALUES ($1, $2, $3, $4, $5, $6)"
                       " ON CONFLICT (pair_key) DO UPDATE SET decision = excluded.decision,"
                       " decided_by = excluded.decided_by, decided_at = excluded.decided_at,"
                       " note = excluded.note",
                       6, p);
    if (rc == 0)
        rc = audit_record(s, actor, NULL, "review", target, detail.buf);
    if (rc == 0)
        rc = store_commit(s);
    else
        store_rollback(s);
    buf_release(&detail);
    free(key);
    if (rc < 0) {
        fail_store(s, o);
        return -1;
    }
    buf_addf(msg, "已记录：候选记录对 %lld %s%s。下次比对时生效，以后的比对不会覆盖此决定。",
             (long long)candidate_id, accept ? "是同一人" : "不是同一人",
             *before ? (strcmp(before, verdict) ? "（已改变先前的结论）" : "（与先前结论相同）")
                     : "");
    return 0;
}
