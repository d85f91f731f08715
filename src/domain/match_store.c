/*
 * Writing a cross-check: the run's row in one bulk transaction, every scored pair with its
 * levels and reason, the links beyond an exact ID, and at the end the run's counts, its
 * model and the audit. The rows go through the store's writer thread (store/writer.h).
 */
#include "domain/match_impl.h"

#include <jansson.h>
#include <math.h>

#include "core/date.h"
#include "store/audit.h"
#include "store/store.h"
#include "store/writer.h"
#include "util/common.h"
#include "util/progress.h"
#include "util/utf8.h"

/* The levels and weights of a pair as JSON, for the candidate table and explanations
 * (written for every scored pair: formatted directly rather than built as a tree). */
static void pair_levels_json(const struct lk_pair *pr, struct buf *out)
{
    static const char *const names[LK__FIELDS] = {"id", "name", "birth", "sex"};
    buf_reset(out);
    buf_addch(out, '{');
    for (int f = 0; f < LK__FIELDS; f++)
        buf_addf(out, "\"%s\":{\"level\":\"%s\",\"weight\":%.1f},", names[f],
                 lk_level_key((enum lk_field)f, pr->level[f]), pr->weight[f]);
    buf_addf(out, "\"total\":%.1f", pr->total);
    if (isfinite(pr->second))
        buf_addf(out, ",\"second\":%.1f", pr->second);
    buf_addf(out,
             ",\"outsider\":%.1f,\"id_state\":\"%s\",\"same_day\":%s,\"holds\":%s,"
             "\"reason\":\"%s\"}",
             pr->outsider, lk_id_state_key((enum lk_id_state)pr->id_state),
             pr->same_day ? "true" : "false", pr->holds ? "true" : "false",
             lk_reason_key((enum lk_reason)pr->reason));
}

static json_t *model_json(const struct lk_model *m, const struct lk_params *lp)
{
    json_t *o = json_object();
    for (int f = 0; f < LK__FIELDS; f++) {
        json_t *fo = json_object();
        /* the ID: per state of the record's ID */
        for (int st = LK_ID_VALID; f == LK_ID && st < LK_ID_STATES; st++) {
            json_t *so = json_object();
            for (int l = 0; l < LKI__LEVELS; l++) {
                if (l == LKI_MISSING)
                    continue;
                json_t *lo = json_object();
                json_object_set_new(lo, "m", json_real(m->id_m[st][l]));
                json_object_set_new(lo, "u", json_real(m->id_u[st][l]));
                json_object_set_new(lo, "w", json_real(round(m->id_w[st][l] * 100) / 100));
                json_object_set_new(lo, "u_same", json_real(m->id_u_same[st][l]));
                json_object_set_new(lo, "w_same",
                                    json_real(round(m->id_w_same[st][l] * 100) / 100));
                json_object_set_new(so, lk_level_key(f, l), lo);
            }
            json_object_set_new(fo, lk_id_state_key((enum lk_id_state)st), so);
        }
        for (int l = 0; f != LK_ID && l < lk_levels(f); l++) {
            json_t *lo = json_object();
            json_object_set_new(lo, "m", json_real(m->m[f][l]));
            json_object_set_new(lo, "u", json_real(m->u[f][l]));
            json_object_set_new(lo, "w", json_real(round(m->w[f][l] * 100) / 100));
            if (f != LK_BIRTH) {
                json_object_set_new(lo, "u_same", json_real(m->u_same[f][l]));
                json_object_set_new(lo, "w_same", json_real(round(m->w_same[f][l] * 100) / 100));
            }
            json_object_set_new(fo, lk_level_key(f, l), lo);
        }
        json_object_set_new(o,
                            f == LK_ID      ? "id"
                            : f == LK_NAME  ? "name"
                            : f == LK_BIRTH ? "birth"
                                            : "sex",
                            fo);
    }
    json_object_set_new(o, "m_pairs", json_integer(m->m_pairs));
    json_object_set_new(o, "u_pairs", json_integer(m->u_pairs));
    json_object_set_new(o, "same_pairs", json_integer(m->same_pairs));
    json_object_set_new(o, "outside_share", json_real(m->outside_share));
    json_object_set_new(o, "outsider", json_real(m->outsider));
    json_object_set_new(o, "accept", json_real(lp->accept));
    json_object_set_new(o, "review", json_real(lp->review));
    json_object_set_new(o, "margin", json_real(lp->margin));
    return o;
}

int match_db_error(struct run_state *st)
{
    buf_addf(st->err, "保存比对结果失败：%s", store_errmsg(st->s));
    return -1;
}

int match_writer_error(struct run_state *st)
{
    if (st->wq) {
        long failed_tag;
        store_writer_finish(st->wq, &failed_tag); /* its error is the one reported */
        st->wq = NULL;
    }
    return match_db_error(st);
}

int match_begin_run(struct run_state *st)
{
    struct store *s = st->s;
    struct match_result *res = st->res;
    /*
     * A run writes a row per child: millions at province scale, so a bulk transaction, and
     * without per-row foreign-key lookups into the record table (every id written was just
     * read from it, and records are never deleted).
     */
    if (store_foreign_keys(s, false) < 0) {
        buf_adds(st->err, store_errmsg(s));
        return -1;
    }
    st->fk_off = true;
    progress_report(st->opt->report, true, 0.5, "写入比对结果");
    if (store_begin_bulk(s) < 0) {
        buf_adds(st->err, store_errmsg(s));
        return -1;
    }
    st->in_tx = st->bulk = true;
    {
        char now[32], asof[11], cutoff[11], sy[8], today[11];
        date_now_text(now, sizeof(now));
        date_format(date_today(), today);
        date_format(st->opt->as_of, asof);
        date_format(res->cutoff, cutoff);
        snprintf(sy, sizeof(sy), "%d", res->school_year);
        struct stmt *r = store_prepare(
            s, "INSERT INTO match_run (started_at, as_of, school_year, cutoff, population_batch,"
               " enrollment_batch, outside_batch, run_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
               " RETURNING id");
        if (!r)
            return match_db_error(st);
        stmt_bind_str(r, 1, now);
        stmt_bind_str(r, 2, asof);
        stmt_bind_str(r, 3, sy);
        stmt_bind_str(r, 4, cutoff);
        stmt_bind_int(r, 5, res->population_batch);
        stmt_bind_int(r, 6, res->enrollment_batch);
        if (res->outside_batch)
            stmt_bind_int(r, 7, res->outside_batch);
        else
            stmt_bind_null(r, 7);
        stmt_bind_str(r, 8, today); /* the day it ran: deadlines that follow count from it */
        if (stmt_step(r) != 1) {
            stmt_finalize(r);
            return match_db_error(st);
        }
        res->run_id = stmt_int(r, 0);
        stmt_finalize(r);
    }
    /* appended: on PostgreSQL sent by COPY, thousands of rows a statement (store.h); nothing
     * queued in the run reads these three tables before the commit */
    st->ins_link = store_prepare_append(
        s, "link", "run_id, population_record, other_record, method, score, explanation");
    st->ins_status = store_prepare_append(s, "child_status",
                                          "run_id, record_id, status, age, expected_grade,"
                                          " school_record, detail, township_code");
    st->ins_cand = store_prepare_append(
        s, "candidate",
        "run_id, population_record, other_record, pair_key, score, levels, decision, reason");
    st->ins_count =
        store_prepare(s, "INSERT INTO run_count (run_id, township_code, township, status,"
                         " n) VALUES ($1, $2, $3, $4, $5)");
    /* a pupil without 户籍 here: the 学籍 record's own township when its list had one, else the
     * school's ($4, $5); then their counts by township */
    st->ins_nonlocal = store_prepare(
        s, "INSERT INTO nonlocal_pupil (run_id, record_id, township_code, township, id_origin)"
           " SELECT CAST($1 AS BIGINT), r.id, CASE WHEN coalesce(r.township_code, '') <> ''"
           " THEN r.township_code ELSE CAST($4 AS TEXT) END, CASE WHEN"
           " coalesce(r.township_code, '') <> '' THEN coalesce(r.township, '')"
           " ELSE CAST($5 AS TEXT) END, CAST($3 AS TEXT) FROM record r WHERE r.id = $2");
    st->ins_nonlocal_count =
        store_prepare(s, "INSERT INTO run_count (run_id, township_code, township, status, n)"
                         " SELECT run_id, township_code, township, 'enrolled_nonlocal', count(*)"
                         " FROM nonlocal_pupil WHERE run_id = $1"
                         " GROUP BY run_id, township_code, township");
    if (!st->ins_link || !st->ins_status || !st->ins_cand || !st->ins_count || !st->ins_nonlocal ||
        !st->ins_nonlocal_count)
        return match_db_error(st);
    if (run_status_writer_begin(&st->rsw, s, NULL, res->run_id) < 0)
        return match_db_error(st);
    /*
     * The rows go through the store's writer thread (store/writer.h): SQLite steps them on one
     * core while this one writes the explanations and decides the next children. Until
     * store_writer_finish the store belongs to that thread.
     */
    st->wq = store_writer_start(s);
    st->rsw.queue = st->wq;
    return 0;
}

int match_write_candidates(struct run_state *st)
{
    const struct lk_result *lr = &st->lr;
    const struct snapshot *sn = &st->sn;
    struct store_writer *wq = st->wq;
    struct match_result *res = st->res;
    /* Links beyond an exact ID are stored with their explanation; exact-ID links are implied
     * by the records' IDs (baoxue explain shows them) and would only repeat millions of rows. */
    for (size_t k = 0; k < lr->npairs; k++) {
        const struct lk_pair *pr = &lr->pairs[k];
        pair_levels_json(pr, &st->levels);
        match_pair_key(&sn->pop[pr->pop], &sn->oth[pr->other], &st->key);
        writer_bind_int(wq, 1, res->run_id);
        writer_bind_int(wq, 2, sn->pop[pr->pop].rec_id);
        writer_bind_int(wq, 3, sn->oth[pr->other].rec_id);
        writer_bind_str(wq, 4, st->key.buf);
        writer_bind_double(wq, 5, pr->total);
        writer_bind_str(wq, 6, st->levels.buf);
        writer_bind_str(wq, 7, lk_decision_key((enum lk_decision)pr->decision));
        buf_reset(&st->detail);
        lk_reason_text(pr, &st->lp, &st->detail);
        writer_bind_str(wq, 8, st->detail.buf);
        int rc = writer_step(wq, st->ins_cand, (long)k);
        if (rc >= 0 && pr->decision == LKD_ACCEPT && lr->match[pr->other] == (int32_t)pr->pop &&
            lr->method[pr->other] != LKM_ID_EXACT) {
            buf_reset(&st->detail);
            buf_addf(&st->detail, "%s：", lk_method_label((enum lk_method)lr->method[pr->other]));
            lk_reason_text(pr, &st->lp, &st->detail);
            writer_bind_int(wq, 1, res->run_id);
            writer_bind_int(wq, 2, sn->pop[pr->pop].rec_id);
            writer_bind_int(wq, 3, sn->oth[pr->other].rec_id);
            writer_bind_str(wq, 4, lk_method_key((enum lk_method)lr->method[pr->other]));
            writer_bind_double(wq, 5, pr->total);
            writer_bind_str(wq, 6, st->detail.buf);
            rc = writer_step(wq, st->ins_link, (long)k);
        }
        if (rc < 0)
            return match_writer_error(st);
    }
    for (int m = 0; m < 5; m++)
        res->links += lr->counts[m];
    res->review = lr->review;
    return 0;
}

int match_finish_run(struct run_state *st)
{
    struct store *s = st->s;
    struct match_result *res = st->res;
    const struct lk_result *lr = &st->lr;
    {
        json_t *counts = json_object();
        for (int k = 0; k < ST__COUNT; k++)
            json_object_set_new(counts, status_key((enum child_status)k),
                                json_integer(res->counts[k]));
        json_object_set_new(counts, "population", json_integer((json_int_t)st->sn.npop));
        json_t *links = json_object();
        for (int m = LKM_ID_EXACT; m <= LKM_REVIEWED; m++)
            json_object_set_new(links, lk_method_key((enum lk_method)m),
                                json_integer(lr->counts[m]));
        json_object_set_new(counts, "links", links);
        json_object_set_new(counts, "review", json_integer(lr->review));
        json_object_set_new(counts, "model", model_json(&lr->model, &st->lp));
        char *ct = json_dumps(counts, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(counts);
        char now[32], id[24];
        date_now_text(now, sizeof(now));
        snprintf(id, sizeof(id), "%lld", (long long)res->run_id);
        const char *p[] = {now, ct, id};
        int r1 =
            store_run(s, "UPDATE match_run SET finished_at = $1, counts = $2 WHERE id = $3", 3, p);
        buf_reset(&st->detail);
        buf_addf(&st->detail, "第 %s 次比对，户籍儿童 %zu 名，待复核 %ld 对", id, st->sn.npop,
                 lr->review);
        int r2 = r1 < 0 ? -1 : audit_record(s, st->opt->actor, NULL, "match", NULL, st->detail.buf);
        free(ct);
        if (r2 < 0)
            return match_db_error(st);
    }
    for (int m = 0; m < 5; m++)
        res->by_method[m] = lr->counts[m];
    stmt_finalize(st->ins_link);
    stmt_finalize(st->ins_status);
    stmt_finalize(st->ins_cand);
    st->ins_link = st->ins_status = st->ins_cand = NULL;
    return 0;
}

void match_describe(const struct match_result *r, struct buf *out)
{
    char cutoff[11];
    date_format(r->cutoff, cutoff);
    buf_addf(out, "比对完成：第 %lld 次比对，%d-%d 学年（年龄计算截止日 %s）\n",
             (long long)r->run_id, r->school_year, r->school_year + 1, cutoff);
    buf_addf(out, "  使用：户籍第 %lld 批，学籍第 %lld 批", (long long)r->population_batch,
             (long long)r->enrollment_batch);
    if (r->outside_batch)
        buf_addf(out, "，外出就读第 %lld 批", (long long)r->outside_batch);
    else
        buf_adds(out, "（未导入外出就读名单）");
    buf_addf(out,
             "\n  关联学籍/外出就读记录 %ld 条：身份证号一致 %ld，身份证号录错一位 %ld，"
             "姓名出生日期等综合比对 %ld，人工复核确认 %ld\n",
             r->links, r->by_method[LKM_ID_EXACT], r->by_method[LKM_ID_TYPO],
             r->by_method[LKM_FUZZY], r->by_method[LKM_REVIEWED]);
    if (r->previous_run && !r->lists_new) {
        buf_addf(out,
                 "  注意：自第 %lld 次比对以来没有导入新的名单，本次比对的户籍、学籍和外出就读名单"
                 "与上次相同；此后记录的核查结论和劝返结果不会被本次比对推翻\n",
                 (long long)r->previous_run);
    } else if (r->previous_run) {
        buf_addf(out, "  与第 %lld 次比对相比，更新的名单：", (long long)r->previous_run);
        size_t before = out->len;
        for (int k = 0; k < KIND__COUNT; k++)
            if (r->lists_new & (1u << k))
                buf_addf(out, "%s%s名单（第 %lld 批）", out->len > before ? "、" : "",
                         kind_label((enum import_kind)k),
                         (long long)(k == KIND_POPULATION   ? r->population_batch
                                     : k == KIND_ENROLLMENT ? r->enrollment_batch
                                                            : r->outside_batch));
        buf_addch(out, '\n');
    }
    if (r->review)
        buf_addf(out, "  待人工复核 %ld 条（见人工复核）\n", r->review);
    long total = 0;
    for (int s = 0; s < ST__COUNT; s++) {
        const char *label = status_label((enum child_status)s);
        size_t w = utf8_width(label, strlen(label));
        if (status_is_nonlocal((enum child_status)s))
            continue; /* not of the register: after its total */
        buf_addf(out, "  %s%*s %8ld\n", label, (int)(w < 30 ? 30 - w : 0), "", r->counts[s]);
        total += r->counts[s];
    }
    buf_addf(out, "  合计 %ld 人（户籍 %ld 人）\n", total, r->population);
    buf_addf(out, "  另有本县学校在读、户籍名单中没有的学生（%s）：%ld 人\n",
             status_label(ST_ENROLLED_NONLOCAL), r->counts[ST_ENROLLED_NONLOCAL]);
    buf_addf(out, "  其中不在校（适龄未入学 + 辍学）：%ld 人\n",
             r->counts[ST_NOT_ENROLLED] + r->counts[ST_DROPPED_OUT]);
}
