/*
 * 应助尽助 (issue 15): the 学生资助 payments linked to a run's children (domain/aid.h). The
 * linking runs when a report asks for it: payments are few beside the register (one or two a
 * pupil a term), the lists arrive every term, and the run's register and 学籍 list are what the
 * payments are judged against — so nothing is stored and a new aid list needs no new run.
 */
#include "domain/aid.h"

#include <ctype.h>
#include <stdlib.h>

#include "core/idcard.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "store/store.h"
#include "util/common.h"
#include "util/xmalloc.h"

int aid_school_year(const char *term, const char *paid_date)
{
    if (term && *term) {
        int y = 0, i = 0;
        while (term[i] && !isdigit((unsigned char)term[i]))
            i++;
        for (int k = 0; k < 4 && isdigit((unsigned char)term[i]); k++, i++)
            y = y * 10 + (term[i] - '0');
        if (y >= 2000 && y < 2100) {
            if (strstr(term, "春"))
                return y - 1;
            if (strstr(term, "秋") || strstr(term, "学年") || term[i] == '-')
                return y;
        }
    }
    if (paid_date && strlen(paid_date) >= 7 && isdigit((unsigned char)paid_date[0])) {
        int y = 0, m = 0;
        for (int k = 0; k < 4 && isdigit((unsigned char)paid_date[k]); k++)
            y = y * 10 + (paid_date[k] - '0');
        for (int k = 5; k < 7 && isdigit((unsigned char)paid_date[k]); k++)
            m = m * 10 + (paid_date[k] - '0');
        if (y >= 2000 && m >= 1 && m <= 12)
            return m >= 9 ? y : y - 1;
    }
    return 0;
}

/* The 18-character ID a payment row gives: its own ID, else the one inside a 全国学籍号 "G…". */
static bool row_id(const char *id, const char *student_no, char out[19])
{
    if (strlen(id) == 18 && id_is_valid(id)) {
        memcpy(out, id, 19);
        return true;
    }
    if ((student_no[0] == 'G' || student_no[0] == 'g') && strlen(student_no) == 19) {
        memcpy(out, student_no + 1, 18);
        out[18] = '\0';
        if (out[17] == 'x')
            out[17] = 'X';
        return id_is_valid(out);
    }
    return false;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The run's 学籍 pupils by 学籍号 and by name + school, loaded once when a payment needs them
 * (rows without a usable ID): sorted keys, looked up by bsearch. */
struct pkey {
    char *k;
    int64_t id;
};
struct pindex {
    struct pkey *no, *ns;
    size_t nno, nns;
    bool loaded;
};

static int cmp_pkey(const void *a, const void *b)
{
    const struct pkey *x = a, *y = b;
    int c = strcmp(x->k, y->k);
    return c ? c : (x->id > y->id) - (x->id < y->id);
}

static int pindex_load(struct store *s, int64_t batch, struct pindex *p)
{
    struct stmt *q = store_prepare(s, "SELECT id, coalesce(student_no, ''), coalesce(name, ''),"
                                      " coalesce(school_name, '') FROM record WHERE batch_id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, batch);
    size_t ano = 0, ans = 0;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        int64_t id = stmt_int(q, 0);
        if (*stmt_text(q, 1)) {
            ALLOC_GROW(p->no, p->nno + 1, ano);
            p->no[p->nno++] = (struct pkey){xstrdup(stmt_text(q, 1)), id};
        }
        if (*stmt_text(q, 2) && *stmt_text(q, 3)) {
            ALLOC_GROW(p->ns, p->nns + 1, ans);
            p->ns[p->nns++] =
                (struct pkey){xstrfmt("%s\x1f%s", stmt_text(q, 2), stmt_text(q, 3)), id};
        }
    }
    stmt_finalize(q);
    if (p->nno)
        qsort(p->no, p->nno, sizeof(*p->no), cmp_pkey);
    if (p->nns)
        qsort(p->ns, p->nns, sizeof(*p->ns), cmp_pkey);
    p->loaded = true;
    return rc < 0 ? -1 : 0;
}

static int cmp_key_only(const void *a, const void *b)
{
    return strcmp(((const struct pkey *)a)->k, ((const struct pkey *)b)->k);
}

/* The one pupil with key `k`, 0 when none or several. */
static int64_t pindex_one(const struct pkey *v, size_t n, const char *k)
{
    struct pkey want = {(char *)k, 0};
    const struct pkey *hit = n ? bsearch(&want, v, n, sizeof(*v), cmp_key_only) : NULL;
    if (!hit)
        return 0;
    size_t i = (size_t)(hit - v);
    int64_t id = hit->id;
    if ((i > 0 && !strcmp(v[i - 1].k, k) && v[i - 1].id != id) ||
        (i + 1 < n && !strcmp(v[i + 1].k, k) && v[i + 1].id != id))
        return 0;
    return id;
}

static void pindex_release(struct pindex *p)
{
    for (size_t i = 0; i < p->nno; i++)
        free(p->no[i].k);
    for (size_t i = 0; i < p->nns; i++)
        free(p->ns[i].k);
    free(p->no);
    free(p->ns);
}

/* The first column of the first row of `q` after binding, 0 when none or two (ambiguous). */
static int64_t one_id(struct stmt *q, int *rc)
{
    int64_t id = 0;
    int got = 0;
    while ((*rc = stmt_step(q)) == 1)
        if (got++ == 0)
            id = stmt_int(q, 0);
    stmt_reset(q);
    return *rc < 0 || got != 1 ? 0 : id;
}

int aid_link(struct store *s, const struct run_info *ri, struct aid_links *out, struct outcome *o)
{
    memset(out, 0, sizeof(*out));
    struct stmt *rows = store_prepare(
        s, "SELECT r.id, r.row_no, coalesce(r.id_number, ''), coalesce(r.student_no, ''),"
           " coalesce(r.name, ''), coalesce(r.school_name, ''), coalesce(d.term, ''),"
           " coalesce(d.paid_date, '')"
           " FROM batch b JOIN record r ON r.batch_id = b.id"
           " LEFT JOIN group_detail d ON d.batch_id = r.batch_id AND d.row_no = r.row_no"
           " WHERE b.kind = 'aid' AND b.state = 'live' ORDER BY b.id, r.row_no");
    struct stmt *by_id = store_prepare(s, "SELECT id, batch_id FROM record WHERE id_number = $1"
                                          " AND batch_id IN ($2, $3) ORDER BY batch_id, id");
    struct stmt *linked = store_prepare(
        s, "SELECT population_record FROM link WHERE run_id = $1 AND other_record = $2");
    struct stmt *pupil_id =
        store_prepare(s, "SELECT c.id FROM record p JOIN record c ON c.id_number = p.id_number"
                         " WHERE p.id = $1 AND c.batch_id = $2");
    struct pindex pi = {0};
    int rc = -1;
    if (!rows || !by_id || !linked || !pupil_id)
        goto done;
    size_t alloc = 0, palloc = 0;
    while ((rc = stmt_step(rows)) == 1) {
        struct aid_payment p = {stmt_int(rows, 0), (long)stmt_int(rows, 1), 0,    0, AID_UNLINKED,
                                AID_NOT_FOUND,     ST_NOT_ENROLLED,         false};
        p.this_year = aid_school_year(stmt_text(rows, 6), stmt_text(rows, 7)) == ri->school_year;
        const char *no = stmt_text(rows, 3);
        char id[19];
        int qrc = 0;
        if (row_id(stmt_text(rows, 2), no, id)) {
            stmt_bind_str(by_id, 1, id);
            stmt_bind_int(by_id, 2, ri->population_batch);
            stmt_bind_int(by_id, 3, ri->enrollment_batch);
            while ((qrc = stmt_step(by_id)) == 1) {
                int64_t rec = stmt_int(by_id, 0);
                if (stmt_int(by_id, 1) == ri->population_batch && !p.child)
                    p.child = rec;
                else if (stmt_int(by_id, 1) == ri->enrollment_batch && !p.pupil)
                    p.pupil = rec;
            }
            stmt_reset(by_id);
            if (p.child || p.pupil)
                p.how = strcmp(stmt_text(rows, 2), id) ? AID_BY_STUDENT_NO : AID_BY_ID;
        }
        if (qrc >= 0 && !p.child && !p.pupil && !pi.loaded &&
            pindex_load(s, ri->enrollment_batch, &pi) < 0)
            qrc = -1;
        if (qrc >= 0 && !p.child && !p.pupil && *no) {
            char g[24];
            snprintf(g, sizeof(g), "G%s", no[0] == 'G' || no[0] == 'g' ? no + 1 : no);
            if ((p.pupil = pindex_one(pi.no, pi.nno, no)) ||
                (p.pupil = pindex_one(pi.no, pi.nno, g)))
                p.how = AID_BY_STUDENT_NO;
        }
        if (qrc >= 0 && !p.child && !p.pupil && *stmt_text(rows, 4) && *stmt_text(rows, 5)) {
            char *k = xstrfmt("%s\x1f%s", stmt_text(rows, 4), stmt_text(rows, 5));
            if ((p.pupil = pindex_one(pi.ns, pi.nns, k)))
                p.how = AID_BY_NAME_SCHOOL;
            free(k);
        }
        if (qrc >= 0 && p.pupil && !p.child) {
            /* the pupil's register child: by the pupil's ID (exact links are not stored) */
            stmt_bind_int(pupil_id, 1, p.pupil);
            stmt_bind_int(pupil_id, 2, ri->population_batch);
            p.child = one_id(pupil_id, &qrc);
        }
        if (qrc >= 0 && p.pupil && !p.child) {
            /* …else as the run linked it (a slip in the ID, no ID) */
            stmt_bind_int(linked, 1, ri->id);
            stmt_bind_int(linked, 2, p.pupil);
            p.child = one_id(linked, &qrc);
        }
        if (qrc < 0) {
            rc = -1;
            break;
        }
        struct run_status_entry e;
        int got = p.child ? run_status_get(s, ri->id, p.child, &e) : 0;
        if (got < 0) {
            rc = -1;
            break;
        }
        if (got == 1) {
            p.st = e.st;
            p.verdict = e.st == ST_ENROLLED             ? AID_OK
                        : e.st == ST_ENROLLED_ELSEWHERE ? AID_NOT_IN_COUNTY
                                                        : AID_NOT_IN_SCHOOL;
        } else if (p.pupil) {
            /* a pupil of the county's schools the register does not know: in school here */
            p.child = 0;
            p.st = ST_ENROLLED_NONLOCAL;
            p.verdict = AID_OK;
        } else {
            p.child = 0;
        }
        ALLOC_GROW(out->p, out->n + 1, alloc);
        out->p[out->n++] = p;
        if (p.child && p.this_year) {
            ALLOC_GROW(out->paid, out->npaid + 1, palloc);
            out->paid[out->npaid++] = p.child;
        }
    }
    if (rc == 0 && out->npaid)
        qsort(out->paid, out->npaid, sizeof(*out->paid), cmp_i64);
done:
    stmt_finalize(rows);
    stmt_finalize(by_id);
    pindex_release(&pi);
    stmt_finalize(linked);
    stmt_finalize(pupil_id);
    if (rc < 0) {
        aid_links_release(out);
        return fail_store(s, o);
    }
    return 0;
}

void aid_links_release(struct aid_links *l)
{
    free(l->p);
    free(l->paid);
    memset(l, 0, sizeof(*l));
}

bool aid_child_paid(const struct aid_links *l, int64_t record_id)
{
    return l->npaid && bsearch(&record_id, l->paid, l->npaid, sizeof(*l->paid), cmp_i64) != NULL;
}

const char *aid_how_label(enum aid_how h)
{
    static const char *const l[] = {"身份证号", "全国学籍号", "姓名和学校", "未找到"};
    return l[h];
}

const char *aid_verdict_key(enum aid_verdict v)
{
    static const char *const k[] = {"ok", "not_in_school", "not_in_county", "not_found"};
    return k[v];
}

const char *aid_verdict_label(enum aid_verdict v)
{
    static const char *const l[] = {"在本县学校就读", "未在校", "不在本县就读",
                                    "户籍和学籍中都找不到"};
    return l[v];
}
