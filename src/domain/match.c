/*
 * The cross-check. Everything is read into compact arrays, linked in memory (link/), decided
 * here, and written back in one transaction.
 */
#include "domain/match.h"

#include <jansson.h>
#include <time.h>

#include "core/date.h"
#include "core/idcard.h"
#include "domain/audit.h"
#include "ingest/field.h"
#include "link/idindex.h"
#include "store/store.h"
#include "util/common.h"
#include "util/utf8.h"

struct person {
    int64_t id;
    uint64_t key; /* packed ID, 0 when none */
    int birth;    /* ymd, 0 unknown */
    int id_flags;
    enum reg_status reg;
    char *name_key;
};

struct school_rec {
    int64_t id;
    uint64_t key;
    enum enroll_status st;
    int grade;
    char *name_key;
    char *school; /* school name (学籍) or school + region (外出) */
};

struct recset {
    struct school_rec *v;
    size_t n, alloc;
    struct id_index ix;
};

static void recset_release(struct recset *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        free(rs->v[i].name_key);
        free(rs->v[i].school);
    }
    free(rs->v);
    id_index_release(&rs->ix);
}

static int latest_batch(struct store *s, enum import_kind k, int64_t *out)
{
    const char *p[] = {kind_key(k)};
    return store_int(s, "SELECT coalesce(max(id), 0) FROM batch WHERE kind = $1", 1, p, out);
}

static int ymd_from_text(const char *t)
{
    int ymd = 0;
    if (*t && date_parse(t, strlen(t), &ymd) < 0)
        ymd = 0;
    return ymd;
}

static int load_school_records(struct store *s, int64_t batch, enum import_kind kind,
                               struct recset *rs)
{
    if (!batch)
        return 0;
    struct stmt *q = store_prepare(
        s, "SELECT id, id_number, enroll_status, grade, name_key, school_name, school_region"
           " FROM record WHERE batch_id = $1 ORDER BY id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, batch);
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(rs->v, rs->n + 1, rs->alloc);
        struct school_rec *r = &rs->v[rs->n];
        r->id = stmt_int(q, 0);
        r->key = id_pack(stmt_text(q, 1));
        int st = ENR_ACTIVE;
        const char *sk = stmt_text(q, 2);
        for (int e = 0; e <= ENR_UNKNOWN; e++)
            if (!strcmp(sk, enroll_status_key((enum enroll_status)e)))
                st = e;
        r->st = (enum enroll_status)st;
        r->grade = (int)stmt_int(q, 3);
        r->name_key = xstrdup(stmt_text(q, 4));
        if (kind == KIND_OUTSIDE && *stmt_text(q, 6))
            r->school = xstrfmt("%s（%s）", *stmt_text(q, 5) ? stmt_text(q, 5) : "外地学校",
                                stmt_text(q, 6));
        else
            r->school = xstrdup(*stmt_text(q, 5) ? stmt_text(q, 5) : "学校名称未填");
        if (r->key)
            id_index_add(&rs->ix, r->key, (uint32_t)rs->n);
        rs->n++;
    }
    stmt_finalize(q);
    id_index_sort(&rs->ix);
    return rc < 0 ? -1 : 0;
}

/* The rank of a 学籍 state when a child has several records: the active one decides. */
static int enroll_rank(enum enroll_status st)
{
    switch (st) {
    case ENR_ACTIVE:
        return 6;
    case ENR_SUSPENDED:
        return 5;
    case ENR_DROPPED_OUT:
        return 4;
    case ENR_GRADUATED:
        return 3;
    case ENR_TRANSFERRED:
        return 2;
    case ENR_DECEASED:
        return 1;
    default:
        return 0;
    }
}

int calendar_load(struct store *s, struct school_calendar *cal)
{
    static const struct {
        const char *key;
        size_t off;
    } keys[] = {
        {"cutoff_mmdd", offsetof(struct school_calendar, cutoff_mmdd)},
        {"year_start_mmdd", offsetof(struct school_calendar, year_start_mmdd)},
        {"min_age", offsetof(struct school_calendar, min_age)},
        {"max_age", offsetof(struct school_calendar, max_age)},
    };
    struct school_calendar def = SCHOOL_CALENDAR_DEFAULT;
    *cal = def;
    struct buf v = BUF_INIT;
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        int rc = store_get_setting(s, keys[i].key, &v);
        if (rc < 0) {
            buf_release(&v);
            return -1;
        }
        if (rc == 1)
            *(int *)((char *)cal + keys[i].off) = (int)strtol(v.buf, NULL, 10);
    }
    buf_release(&v);
    return 0;
}

struct decision {
    enum child_status st;
    int age, grade;
    int64_t school_record;
    struct buf detail;
};

/* Decide one child's status from their registration, age and linked records. */
static void decide(const struct match_options *opt, int cutoff, const struct person *p,
                   const struct recset *enr, const size_t *enr_hits, size_t nenr,
                   const struct recset *out, const size_t *out_hits, size_t nout,
                   struct decision *d)
{
    const struct school_calendar *cal = &opt->cal;
    d->school_record = 0;
    /* A child born after the cutoff is 0, not "unknown"; -1 means no birth date at all. */
    d->age = -1;
    if (p->birth) {
        int a = age_on(p->birth, cutoff);
        d->age = a < 0 ? 0 : a;
    }
    d->grade = d->age >= 0 ? expected_grade(cal, d->age) : 0;
    buf_reset(&d->detail);

    const struct school_rec *best = NULL;
    for (size_t i = 0; i < nenr; i++) {
        const struct school_rec *r = &enr->v[enr_hits[i]];
        if (!best || enroll_rank(r->st) > enroll_rank(best->st))
            best = r;
    }
    const struct school_rec *elsewhere = nout ? &out->v[out_hits[0]] : NULL;

    if (p->reg != REG_NORMAL) {
        d->st = ST_INACTIVE;
        buf_addf(&d->detail, "户籍状态为“%s”，不计入本县适龄儿童", reg_status_label(p->reg));
        return;
    }
    if (d->age >= 0 && d->age < cal->min_age) {
        d->st = ST_NOT_YET;
        buf_addf(&d->detail, "截至 %d年%d月%d日 %d 岁，未到入学年龄", ymd_year(cutoff),
                 ymd_month(cutoff), ymd_day(cutoff), d->age);
        if (best && best->st == ENR_ACTIVE)
            buf_addf(&d->detail, "（已提前在%s就读）", best->school);
        return;
    }
    if (best && best->st == ENR_ACTIVE) {
        d->st = ST_ENROLLED;
        d->school_record = best->id;
        buf_addf(&d->detail, "在%s就读%s%s", best->school,
                 best->grade ? grade_name(best->grade) : "", "，学籍状态在读");
        return;
    }
    if (elsewhere) {
        d->st = ST_ENROLLED_ELSEWHERE;
        d->school_record = elsewhere->id;
        buf_addf(&d->detail, "在外地%s就读（外出就读名单）", elsewhere->school);
        return;
    }
    if (d->age > cal->max_age) {
        d->st = ST_BEYOND;
        buf_addf(&d->detail, "截至 %d年%d月%d日 %d 岁，超出义务教育年龄段，且无在读学籍",
                 ymd_year(cutoff), ymd_month(cutoff), ymd_day(cutoff), d->age);
        return;
    }
    if (best && best->st == ENR_GRADUATED) {
        d->st = ST_COMPLETED;
        d->school_record = best->id;
        buf_addf(&d->detail, "学籍显示已于%s毕业", best->school);
        return;
    }
    if (best && best->st == ENR_SUSPENDED) {
        d->st = ST_SUSPENDED;
        d->school_record = best->id;
        buf_addf(&d->detail, "在%s%s休学", best->school,
                 best->grade ? grade_name(best->grade) : "");
        return;
    }
    if (best && best->st == ENR_DROPPED_OUT) {
        d->st = ST_DROPPED_OUT;
        d->school_record = best->id;
        buf_addf(&d->detail, "学籍记录显示从%s%s辍学，且没有其他在读学籍", best->school,
                 best->grade ? grade_name(best->grade) : "");
        return;
    }
    d->st = ST_NOT_ENROLLED;
    if (d->age >= 0 && d->grade >= 1 && d->grade <= 9)
        buf_addf(&d->detail, "%d 岁（应读%s），", d->age, grade_name(d->grade));
    else if (d->age >= 0)
        buf_addf(&d->detail, "%d 岁（按年龄应已读完九年级），", d->age);
    else
        buf_adds(&d->detail, "出生日期不明，");
    if (best && best->st == ENR_TRANSFERRED)
        buf_addf(&d->detail, "学籍显示已从%s转出，但未发现新的在读学籍", best->school);
    else if (best && best->st == ENR_DECEASED)
        buf_addf(&d->detail, "学籍记录为“死亡”而户籍状态正常，需核实");
    else if (!p->key)
        buf_adds(&d->detail,
                 "户籍中没有可用的身份证号，无法与学籍比对，本县学籍和外出就读名单中均未找到");
    else
        buf_adds(&d->detail, "本县学籍和外出就读名单中均未找到此人");
    if (p->id_flags & ID_BAD_CHECK)
        buf_adds(&d->detail, "；注意：户籍身份证号校验位错误，可能是录入错误导致未匹配");
}

static int insert_link(struct stmt *st, int64_t run, const struct person *p,
                       const struct school_rec *r, const char *kind_label_)
{
    char expl[160];
    bool same_name = p->name_key && r->name_key && !strcmp(p->name_key, r->name_key);
    snprintf(expl, sizeof(expl), "身份证号完全一致（%s）；姓名%s", kind_label_,
             same_name ? "一致" : "不一致，需留意");
    stmt_reset(st);
    stmt_bind_int(st, 1, run);
    stmt_bind_int(st, 2, p->id);
    stmt_bind_int(st, 3, r->id);
    stmt_bind_str(st, 4, "id_exact");
    stmt_bind_double(st, 5, 1.0);
    stmt_bind_str(st, 6, expl);
    return stmt_step(st) < 0 ? -1 : 0;
}

int match_run(struct store *s, const struct match_options *opt, struct match_result *res,
              struct buf *err, int *exit_code)
{
    struct person *people = NULL;
    size_t npeople = 0, alloc = 0;
    struct recset enr = {0}, out = {0};
    struct stmt *q = NULL, *ins_link = NULL, *ins_status = NULL;
    struct decision d = {0};
    size_t *enr_hits = NULL, *out_hits = NULL;
    size_t enr_hits_alloc = 0, out_hits_alloc = 0;
    bool in_tx = false;
    int ret = -1;

    memset(res, 0, sizeof(*res));
    buf_init(&d.detail, 0);
    *exit_code = EXIT_RUNTIME;

    if (latest_batch(s, KIND_POPULATION, &res->population_batch) < 0 ||
        latest_batch(s, KIND_ENROLLMENT, &res->enrollment_batch) < 0 ||
        latest_batch(s, KIND_OUTSIDE, &res->outside_batch) < 0) {
        buf_adds(err, store_errmsg(s));
        goto out;
    }
    if (!res->population_batch || !res->enrollment_batch) {
        buf_addf(err, "比对需要先导入%s：baoxue import --kind %s 文件",
                 !res->population_batch ? "户籍数据（公安户籍适龄儿童名单）"
                                        : "学籍数据（学籍系统导出）",
                 !res->population_batch ? "population" : "enrollment");
        *exit_code = EXIT_INPUT;
        goto out;
    }
    res->school_year = school_year_of(&opt->cal, opt->as_of);
    res->cutoff = school_cutoff(&opt->cal, res->school_year);

    q = store_prepare(s, "SELECT id, id_number, birth_date, reg_status, id_flags, name_key"
                         " FROM record WHERE batch_id = $1 ORDER BY id");
    if (!q) {
        buf_adds(err, store_errmsg(s));
        goto out;
    }
    stmt_bind_int(q, 1, res->population_batch);
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(people, npeople + 1, alloc);
        struct person *p = &people[npeople++];
        p->id = stmt_int(q, 0);
        p->key = id_pack(stmt_text(q, 1));
        p->birth = ymd_from_text(stmt_text(q, 2));
        const char *reg = stmt_text(q, 3);
        p->reg = REG_NORMAL;
        for (int r = 0; r <= REG_UNKNOWN; r++)
            if (!strcmp(reg, reg_status_key((enum reg_status)r)))
                p->reg = (enum reg_status)r;
        p->id_flags = (int)stmt_int(q, 4);
        p->name_key = xstrdup(stmt_text(q, 5));
    }
    stmt_finalize(q);
    q = NULL;
    if (rc < 0 || load_school_records(s, res->enrollment_batch, KIND_ENROLLMENT, &enr) < 0 ||
        load_school_records(s, res->outside_batch, KIND_OUTSIDE, &out) < 0) {
        buf_adds(err, store_errmsg(s));
        goto out;
    }
    res->population = (long)npeople;

    if (store_begin(s) < 0) {
        buf_adds(err, store_errmsg(s));
        goto out;
    }
    in_tx = true;
    {
        char now[32], asof[11], cutoff[11], sy[8];
        date_now_text(now, sizeof(now));
        date_format(opt->as_of, asof);
        date_format(res->cutoff, cutoff);
        snprintf(sy, sizeof(sy), "%d", res->school_year);
        struct stmt *r = store_prepare(
            s,
            "INSERT INTO match_run (started_at, as_of, school_year, cutoff, population_batch,"
            " enrollment_batch, outside_batch) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id");
        if (!r) {
            buf_adds(err, store_errmsg(s));
            goto out;
        }
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
        if (stmt_step(r) != 1) {
            stmt_finalize(r);
            buf_adds(err, store_errmsg(s));
            goto out;
        }
        res->run_id = stmt_int(r, 0);
        stmt_finalize(r);
    }
    ins_link = store_prepare(s, "INSERT INTO link (run_id, population_record, other_record,"
                                " method, score, explanation) VALUES ($1, $2, $3, $4, $5, $6)");
    ins_status = store_prepare(s, "INSERT INTO child_status (run_id, record_id, status, age,"
                                  " expected_grade, school_record, detail)"
                                  " VALUES ($1, $2, $3, $4, $5, $6, $7)");
    if (!ins_link || !ins_status) {
        buf_adds(err, store_errmsg(s));
        goto out;
    }

    for (size_t i = 0; i < npeople; i++) {
        const struct person *p = &people[i];
        size_t ne = 0, no = 0, first;
        if (p->key) {
            ne = id_index_find(&enr.ix, p->key, &first);
            ALLOC_GROW(enr_hits, ne, enr_hits_alloc);
            for (size_t k = 0; k < ne; k++)
                enr_hits[k] = enr.ix.v[first + k].idx;
            no = id_index_find(&out.ix, p->key, &first);
            ALLOC_GROW(out_hits, no, out_hits_alloc);
            for (size_t k = 0; k < no; k++)
                out_hits[k] = out.ix.v[first + k].idx;
        }
        for (size_t k = 0; k < ne; k++)
            if (insert_link(ins_link, res->run_id, p, &enr.v[enr_hits[k]], "学籍") < 0)
                goto db_error;
        for (size_t k = 0; k < no; k++)
            if (insert_link(ins_link, res->run_id, p, &out.v[out_hits[k]], "外出就读名单") < 0)
                goto db_error;
        res->links += (long)(ne + no);

        decide(opt, res->cutoff, p, &enr, enr_hits, ne, &out, out_hits, no, &d);
        res->counts[d.st]++;
        stmt_reset(ins_status);
        stmt_bind_int(ins_status, 1, res->run_id);
        stmt_bind_int(ins_status, 2, p->id);
        stmt_bind_str(ins_status, 3, status_key(d.st));
        if (d.age >= 0) {
            stmt_bind_int(ins_status, 4, d.age);
            stmt_bind_int(ins_status, 5, d.grade);
        } else {
            stmt_bind_null(ins_status, 4);
            stmt_bind_null(ins_status, 5);
        }
        if (d.school_record)
            stmt_bind_int(ins_status, 6, d.school_record);
        else
            stmt_bind_null(ins_status, 6);
        stmt_bind_str(ins_status, 7, d.detail.buf);
        if (stmt_step(ins_status) < 0)
            goto db_error;
    }

    {
        json_t *counts = json_object();
        for (int st = 0; st < ST__COUNT; st++)
            json_object_set_new(counts, status_key((enum child_status)st),
                                json_integer(res->counts[st]));
        json_object_set_new(counts, "population", json_integer((json_int_t)npeople));
        json_object_set_new(counts, "links", json_integer(res->links));
        char *ct = json_dumps(counts, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(counts);
        char now[32], id[24];
        date_now_text(now, sizeof(now));
        snprintf(id, sizeof(id), "%lld", (long long)res->run_id);
        const char *p[] = {now, ct, id};
        int r1 =
            store_run(s, "UPDATE match_run SET finished_at = $1, counts = $2 WHERE id = $3", 3, p);
        struct buf detail = BUF_INIT;
        buf_addf(&detail, "run=%s population=%zu", id, npeople);
        int r2 = r1 < 0 ? -1 : audit_record(s, opt->actor, "cli", "match", NULL, detail.buf);
        free(ct);
        buf_release(&detail);
        if (r2 < 0)
            goto db_error;
    }
    stmt_finalize(ins_link);
    stmt_finalize(ins_status);
    ins_link = ins_status = NULL;
    if (store_commit(s) < 0)
        goto db_error;
    in_tx = false;
    ret = 0;
    *exit_code = EXIT_OK;
    goto out;
db_error:
    buf_addf(err, "保存比对结果失败：%s", store_errmsg(s));
out:
    stmt_finalize(q);
    stmt_finalize(ins_link);
    stmt_finalize(ins_status);
    if (in_tx)
        store_rollback(s);
    for (size_t i = 0; i < npeople; i++)
        free(people[i].name_key);
    free(people);
    recset_release(&enr);
    recset_release(&out);
    free(enr_hits);
    free(out_hits);
    buf_release(&d.detail);
    return ret;
}
