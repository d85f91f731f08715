#include "domain/children.h"
#include "domain/children_impl.h"

#include "core/date.h"
#include "core/idcard.h"
#include "core/schoolyear.h"
#include "core/words.h"
#include "domain/groups.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "ingest/category.h"
#include "ingest/field.h"
#include "link/linker.h"
#include "link/name.h"
#include "render/table.h"
#include "store/store.h"
#include "util/common.h"
#include "util/jsonw.h"

/* The columns of a list item from record r: in the page query of the acted-on statuses, and
 * alone for the walk. */
#define ITEM_COLUMNS                                                                               \
    "r.id, coalesce(r.name, ''), coalesce(r.gender, 0), coalesce(r.birth_date, ''),"               \
    " coalesce(r.id_number, r.id_raw, ''), coalesce(r.township_code, ''),"                         \
    " coalesce(r.township, ''), coalesce(r.village, '')"
#define ITEM_NCOLS 8
/* The groups a reader sees, ",key,key," (a department its own), NULL all: as a mask. */
static int64_t seen_mask(const char *seen)
{
    if (!seen)
        return -1;
    int64_t m = 0;
    char k[64];
    for (int g = 0; g < GRP__COUNT; g++) {
        snprintf(k, sizeof(k), ",%s,", priority_groups.words[g].key);
        if (strstr(seen, k))
            m |= 1LL << g;
    }
    return m;
}

/* "groups": [{"key", "label"}] of the groups in `mask`, in the vocabulary's order. */
static void item_groups(struct buf *out, int64_t mask)
{
    buf_adds(out, ",\"groups\":[");
    bool first = true;
    for (int g = 0; g < GRP__COUNT; g++) {
        if (!(mask & (1LL << g)))
            continue;
        buf_adds(out, first ? "{\"key\":" : ",{\"key\":");
        jsonw_string(out, priority_groups.words[g].key);
        buf_adds(out, ",\"label\":");
        jsonw_string(out, priority_groups.words[g].label);
        buf_addch(out, '}');
        first = false;
    }
    buf_addch(out, ']');
}

/* One list item as JSON text, after a comma unless it is the first. The list is a masked
 * view (a full ID is one child's audited read): no birth date, the age on the run's cutoff. */
static void item_text(struct buf *out, struct stmt *q, const struct run_status_entry *e,
                      int64_t groups, struct buf *tmp)
{
    static const struct view masked = {false, 0, false};
    buf_adds(out, out->len ? ",{" : "{");
    jsonw_key(out, "id");
    jsonw_int(out, stmt_int(q, 0));
    static const char *const keys[] = {
        ",\"name\":",          ",\"gender\":",   ",\"birth_date\":", ",\"id_number\":",
        ",\"township_code\":", ",\"township\":", ",\"village\":"};
    for (int col = 1; col <= 7; col++) {
        buf_adds(out, keys[col - 1]);
        const char *birth;
        if (col == 2) {
            jsonw_string(out, gender_label((int)stmt_int(q, 2)));
        } else if (col == 3) {
            if ((birth = view_birth(&masked, stmt_text(q, 3))))
                jsonw_string(out, birth);
            else
                buf_adds(out, "null");
        } else if (col == 4) {
            shown_id(&masked, stmt_text(q, 4), tmp);
            jsonw_string(out, tmp->buf);
        } else {
            jsonw_string(out, stmt_text(q, col));
        }
    }
    buf_adds(out, ",\"status\":");
    jsonw_string(out, status_key(e->st));
    buf_adds(out, ",\"status_label\":");
    jsonw_string(out, status_label(e->st));
    buf_adds(out, ",\"age\":");
    if (e->age >= 0)
        jsonw_int(out, e->age);
    else
        buf_adds(out, "null");
    buf_adds(out, ",\"expected_grade\":");
    if (e->grade >= 1 && e->grade <= 9)
        jsonw_string(out, grade_name(e->grade));
    else
        buf_adds(out, "null");
    item_groups(out, groups);
    buf_addch(out, '}');
}

/* The run's count of children by status (or set of statuses, CHILD_SET_*) and township
 * (run_count): the total of a list filtered by nothing else, without counting its rows. */
static int count_from_run(struct store *s, int64_t run_id, int status, const char *township,
                          int64_t *total)
{
    struct stmt *c = store_prepare(
        s, "SELECT coalesce(sum(n), 0) FROM run_count"
           " WHERE run_id = $1 AND (CAST($2 AS TEXT) IS NULL OR status = $2)"
           " AND (CAST($3 AS TEXT) IS NULL OR township_code = $3)"
           /* the whole list and the school-age set are the register's children (run_status);
            * the pupils in no register here are listed by their own status */
           " AND ($4 >= 0 OR status <> 'enrolled_nonlocal')"
           " AND ($4 <> -2 OR status NOT IN ('not_yet_school_age', 'beyond_age', 'inactive'))"
           " AND ($4 <> -3 OR status IN ('not_enrolled', 'dropped_out'))");
    if (!c)
        return -1;
    stmt_bind_int(c, 1, run_id);
    stmt_bind_str(c, 2, status >= 0 ? status_key((enum child_status)status) : NULL);
    stmt_bind_str(c, 3, township);
    stmt_bind_int(c, 4, status);
    int rc = stmt_step(c);
    *total = rc == 1 ? stmt_int(c, 0) : 0;
    stmt_finalize(c);
    return rc < 0 ? -1 : 0;
}

/* A LIKE pattern matching `q` anywhere, with its own % _ \ taken literally. */
static void like_pattern(const char *q, struct buf *out)
{
    buf_addch(out, '%');
    for (; *q; q++) {
        if (*q == '%' || *q == '_' || *q == '\\')
            buf_addch(out, '\\');
        buf_addch(out, *q);
    }
    buf_addch(out, '%');
}

/* The township, village and search filters, on parameters $T (township), $V (village), $L (LIKE
 * pattern of the child's or the guardian's name) and $Q (the search text: a whole ID, or the
 * last 4 characters of one), given as strings of digits. A search by spelling (wnj) is not in
 * the SQL: the rows' names are read against it as they come (spelled()). */
#define FILTER_SQL(T, V, L, Q) FILTER_SQL_AT("r.township_code", T, V, L, Q)
/* the same, the township being `TC` (a pupil in no register here is counted in the township of
 * nonlocal_pupil, np) */
#define FILTER_SQL_AT(TC, T, V, L, Q)                                                              \
    " AND (CAST($" T " AS TEXT) IS NULL OR " TC " = $" T ")"                                       \
    " AND (CAST($" V " AS TEXT) IS NULL OR r.village = $" V ")"                                    \
    " AND (CAST($" L " AS TEXT) IS NULL OR r.name LIKE $" L " ESCAPE '\\'"                         \
    " OR r.guardian LIKE $" L " ESCAPE '\\' OR r.id_number = $" Q                                  \
    " OR substr(r.id_number, 15) = $" Q ")"

/* The priority-group filter on parameter $G: ",poverty,dibao," (the groups asked for, each
 * between commas), NULL any; ID the record's id column. */
#define GROUP_SQL(ID, G)                                                                           \
    " AND (CAST($" G " AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM group_member gm"                  \
    "  WHERE gm.run_id = $1 AND gm.record_id = " ID " AND $" G " LIKE '%,' || gm.grp || ',%'))"

/* ---- the statuses with child_status rows: SQL paging ---- */

/* The orders a list of children with child_status rows can be sorted in; `record`: by a column
 * of the child's record r, not of its child_status row alone. */
static const struct {
    const char *key, *sql;
    bool record;
} sorts[] = {
    {"name", "r.name, cs.record_id", true},
    {"-name", "r.name DESC, cs.record_id", true},
    /* the list is masked: by birth date means by age, and ties by record, never by the date
     * (a rank among children of one age would tell their birthdays apart) */
    {"birth_date", "cs.age DESC, cs.record_id", false},
    {"-birth_date", "cs.age, cs.record_id", false},
    {"age", "cs.age, cs.record_id", false},
    {"-age", "cs.age DESC, cs.record_id", false},
    {"village", "r.township_code, r.village, cs.record_id", true},
    {"-village", "r.township_code DESC, r.village DESC, cs.record_id", true},
    {"status", "cs.status, cs.record_id", false},
    {"-status", "cs.status DESC, cs.record_id", false},
};

/* The SQL of sort `key` (NULL: the record's order), NULL when there is no such sort; *record
 * (may be NULL) says whether it reads the record r. */
static const char *sort_sql(const char *key, bool *record)
{
    if (record)
        *record = false;
    if (!key)
        return "cs.record_id";
    for (size_t i = 0; i < ARRAY_SIZE(sorts); i++)
        if (!strcmp(key, sorts[i].key)) {
            if (record)
                *record = sorts[i].record;
            return sorts[i].sql;
        }
    return NULL;
}

/* Does the child's name read as the spelling `spell` (NULL: no spelling asked, every name)? A
 * name written in Latin letters (Li Si) is found by any part of it, as the characters of a
 * Chinese one are. */
static bool spelled(const char *spell, const char *name)
{
    if (!spell)
        return true;
    struct name_info ni;
    name_info_make(&ni, name, strlen(name));
    if (name_spelling_matches(&ni, spell))
        return true;
    char latin[NAME_SPELLING_MAX + 1];
    size_t n = 0;
    for (const char *p = name; *p && n < NAME_SPELLING_MAX; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
            latin[n++] = (char)(*p | 0x20);
    latin[n] = '\0';
    return n && strstr(latin, spell);
}

static int list_acted_on(struct store *s, const struct run_info *ri, int status,
                         const char *township, const char *school, const char *q, const char *spell,
                         const char *grp, const char *seen, const struct child_query *cq,
                         struct buf *items, int64_t *total)
{
    struct buf like = BUF_INIT, tmp = BUF_INIT;
    if (q)
        like_pattern(q, &like);
    char today[16];
    int t = date_today();
    snprintf(today, sizeof(today), "%04d-%02d-%02d", t / 10000, t / 100 % 100, t % 100);
    /* $2 and $7: one status, or the two of the suspected set; $8 the village; $9…$12 the
     * casework filters, each a set of the run's records computed once (child.last_record is
     * the record a suspected child had in its last run); $13 the groups. The count uses
     * $1…$13 (PostgreSQL wants no gaps), the page $14 and $15 besides. Only the filters asked
     * for are written out; one not asked for is a test that its parameter is NULL (or 0),
     * which binds nothing to a row: with nothing left to fold away, PostgreSQL's plan of the
     * statement is the same whatever the values, so it is told to keep one (stmt_plan_generic)
     * instead of planning this long statement at every request. */
    struct buf wb = BUF_INIT;
    bool nonlocal = township && status == ST_ENROLLED_NONLOCAL;
    /* the suspected of the priority groups first (issue 15), unless another order is asked */
    bool order_reads_record;
    const char *order = sort_sql(cq->sort, &order_reads_record);
    if (!cq->sort && status == CHILD_SET_SUSPECTED)
        order = "cs.group_mask <> 0 DESC, cs.record_id";
    /* Filtered and ordered by the child_status row alone, the page is chosen among the rows
     * before any record is read, and only its own rows read their record (PostgreSQL otherwise
     * joined a township's 3,000 suspected children at 1M to their record before sorting them,
     * to show 50). */
    bool by_row = !q && !spell && !school && !nonlocal && !(cq->village && *cq->village) &&
                  !order_reads_record;
    buf_adds(&wb, by_row ? " FROM child_status cs"
                         : " FROM child_status cs JOIN record r ON r.id = cs.record_id");
    if (school)
        buf_adds(&wb, " LEFT JOIN record sr ON sr.id = cs.school_record");
    /* a pupil in no register here is counted in the township of nonlocal_pupil (np); its rows
     * are of that status only */
    if (nonlocal)
        buf_adds(&wb, " LEFT JOIN nonlocal_pupil np ON np.run_id = cs.run_id"
                      " AND np.record_id = cs.record_id");
    /* status <> 'enrolled' is implied ($2 is a status with rows) but must be written for the
     * planners to use the partial index child_status_status with a bound $2 */
    bool set = status == CHILD_SET_SUSPECTED;
    /* one status is one range of the index (run_id, township_code, status, record_id), read in
     * the page's order and stopped at its end; so is the suspected set in its own index */
    if (set) /* written out, for the planners to use the index of the set, which is one range
                of a township in the set's order (migration 33: child_status_suspected) */
        buf_addf(&wb,
                 " WHERE cs.run_id = $1 AND cs.status IN ('%s', '%s')"
                 " AND CAST($2 AS TEXT) IS NOT NULL AND CAST($7 AS TEXT) IS NOT NULL",
                 status_key(ST_NOT_ENROLLED), status_key(ST_DROPPED_OUT));
    else
        buf_adds(&wb, " WHERE cs.run_id = $1 AND cs.status = $2 AND $7 = $2");
    buf_adds(&wb, " AND cs.status <> 'enrolled'");
    if (!township)
        buf_adds(&wb, " AND CAST($3 AS TEXT) IS NULL");
    else if (nonlocal)
        buf_adds(&wb, " AND coalesce(np.township_code, r.township_code) = $3");
    else /* the record's township, kept on the row: the township's rows are one index range */
        buf_adds(&wb, " AND cs.township_code = $3");
    /* what stmt_bind_str binds as NULL ("") is not asked for */
    bool village = cq->village && *cq->village, stage = cq->stage && *cq->stage,
         reason = cq->reason && *cq->reason;
    buf_adds(&wb, village ? " AND r.village = $8" : " AND CAST($8 AS TEXT) IS NULL");
    buf_adds(&wb, q ? " AND (r.name LIKE $4 ESCAPE '\\' OR r.guardian LIKE $4 ESCAPE '\\'"
                      " OR r.id_number = $5 OR substr(r.id_number, 15) = $5)"
                    : " AND CAST($4 AS TEXT) IS NULL AND CAST($5 AS TEXT) IS NULL");
    buf_adds(&wb, school ? " AND sr.school_code = $6" : " AND CAST($6 AS TEXT) IS NULL");
    buf_adds(&wb, stage ? " AND cs.record_id IN (SELECT ch.last_record FROM child ch"
                          "  WHERE ch.last_run = $1 AND ((substr($9, 1, 7) = 'verify_' AND"
                          "  (SELECT t.state FROM verify_task t WHERE t.child_id = ch.id"
                          "  ORDER BY t.id DESC LIMIT 1) = substr($9, 8)) OR (substr($9, 1, 5) ="
                          "  'case_' AND EXISTS (SELECT 1 FROM case_file c"
                          "  WHERE c.child_id = ch.id AND c.state = substr($9, 6)))))"
                        : " AND CAST($9 AS TEXT) IS NULL");
    buf_adds(&wb, reason ? " AND cs.record_id IN (SELECT ch.last_record FROM child ch"
                           "  JOIN case_file c ON c.child_id = ch.id WHERE ch.last_run = $1"
                           "  AND c.reason = $10)"
                         : " AND CAST($10 AS TEXT) IS NULL");
    buf_adds(&wb, cq->overdue
                      ? " AND $11 <> 0 AND cs.record_id IN (SELECT ch.last_record FROM child ch"
                        "  WHERE ch.last_run = $1 AND (EXISTS (SELECT 1 FROM verify_task t"
                        "  WHERE t.child_id = ch.id AND t.state <> 'closed' AND t.deadline < $12)"
                        "  OR EXISTS (SELECT 1 FROM case_file c WHERE c.child_id = ch.id AND"
                        "  c.state = 'open' AND c.first_visit_due < $12"
                        "  AND NOT " FIRST_VISIT_DONE_SQL("c") ")))"
                      : " AND $11 = 0 AND CAST($12 AS TEXT) IS NOT NULL");
    buf_adds(&wb, grp ? " AND EXISTS (SELECT 1 FROM group_member gm WHERE gm.run_id = $1"
                        "  AND gm.record_id = cs.record_id AND $13 LIKE '%,' || gm.grp || ',%')"
                      : " AND CAST($13 AS TEXT) IS NULL");
    const char *where = wb.buf;
    /* the page's rows with their record's columns: one query, not one more per child */
    const char *page_sql = "SELECT " ITEM_COLUMNS ", coalesce(cs.age, -1),"
                           " coalesce(cs.expected_grade, 0), cs.status, cs.group_mask";
    /* filtered by no more than township and status, the run's counts give the total: no rows
     * to count; it comes as a column of the page (one round trip), or alone when the page is
     * empty */
    bool counted = !q && !spell && !school && !grp && !cq->village && !cq->stage && !cq->reason &&
                   !cq->overdue;
    const char *run_total = township
                                ? ", (SELECT coalesce(sum(n), 0) FROM run_count WHERE run_id = $1"
                                  " AND (status = $2 OR status = $7) AND township_code = $3)"
                                : ", (SELECT coalesce(sum(n), 0) FROM run_count WHERE run_id = $1"
                                  " AND (status = $2 OR status = $7))";
    char *count_sql = xstrfmt("SELECT count(*)%s", where);
    char *paged_sql =
        by_row ? xstrfmt("%s%s FROM (SELECT cs.record_id, cs.status, cs.age, cs.expected_grade,"
                         " cs.group_mask%s ORDER BY %s LIMIT $14 OFFSET $15) cs"
                         " JOIN record r ON r.id = cs.record_id ORDER BY %s",
                         page_sql, counted ? run_total : "", where, order, order)
               : xstrfmt("%s%s%s ORDER BY %s LIMIT $14 OFFSET $15", page_sql,
                         counted ? run_total : "", where, order);
    int64_t sees = seen_mask(seen);
    /* a spelling is read in C: every row in order, counted and paged here, no count query */
    struct stmt *c = counted || spell ? NULL : store_prepare(s, count_sql);
    struct stmt *p = counted || spell || c ? store_prepare(s, paged_sql) : NULL;
    free(count_sql);
    free(paged_sql);
    buf_release(&wb);
    int rc = -1;
    if (!p)
        goto out;
    struct stmt *both[] = {p, c};
    for (int i = 0; i < 2 && both[i]; i++) {
        stmt_plan_generic(both[i]); /* written for it (the comment above $2 and $7) */
        stmt_bind_int(both[i], 1, ri->id);
        stmt_bind_str(both[i], 2, status_key(set ? ST_NOT_ENROLLED : (enum child_status)status));
        stmt_bind_str(both[i], 7, status_key(set ? ST_DROPPED_OUT : (enum child_status)status));
        stmt_bind_str(both[i], 8, cq->village);
        stmt_bind_str(both[i], 9, cq->stage);
        stmt_bind_str(both[i], 10, cq->reason);
        stmt_bind_int(both[i], 11, cq->overdue);
        stmt_bind_str(both[i], 12, today);
        stmt_bind_str(both[i], 13, grp);
        stmt_bind_str(both[i], 3, township);
        stmt_bind_str(both[i], 4, q ? like.buf : NULL);
        stmt_bind_str(both[i], 5, q);
        if (school)
            stmt_bind_text(both[i], 6, school, strlen(school));
    }
    if (c) {
        if ((rc = stmt_step(c)) < 0)
            goto out;
        *total = rc == 1 ? stmt_int(c, 0) : 0;
    }
    int64_t skip = (cq->page - 1) * cq->per_page, n = 0;
    stmt_bind_int(p, 14, spell ? INT64_MAX / 2 : cq->per_page);
    stmt_bind_int(p, 15, spell ? 0 : skip);
    bool rows = false;
    while ((rc = stmt_step(p)) == 1) {
        if (spell) {
            if (!spelled(spell, stmt_text(p, 1)))
                continue;
            *total = ++n;
            if (n <= skip || n > skip + cq->per_page)
                continue;
        }
        if (counted && !rows)
            *total = stmt_int(p, ITEM_NCOLS + 4);
        rows = true;
        struct run_status_entry e = {
            .record_id = stmt_int(p, 0),
            .st = (enum child_status)status_parse(stmt_text(p, ITEM_NCOLS + 2)),
            .age = (int)stmt_int(p, ITEM_NCOLS),
            .grade = (int)stmt_int(p, ITEM_NCOLS + 1)};
        item_text(items, p, &e, stmt_int(p, ITEM_NCOLS + 3) & sees, &tmp);
    }
    if (rc == 0 && counted && !rows)
        rc = count_from_run(s, ri->id, status, township, total);
out:
    stmt_finalize(c);
    stmt_finalize(p);
    buf_release(&like);
    buf_release(&tmp);
    return rc < 0 ? -1 : 0;
}

/* ---- every other status: one walk over the run's compact chunks ---- */

struct walk {
    int status;          /* -1 any */
    struct stmt *cursor; /* ids of the records passing the SQL filters, ascending; NULL all */
    int64_t cur;         /* the cursor's current id; INT64_MAX when exhausted */
    const char *spell;   /* the cursor's records whose name reads so (NULL: all of them) */
    int64_t *schools;    /* sorted ids of the school's records; NULL no school filter */
    size_t nschools;
    int64_t skip, want;  /* entries to pass over, then to keep */
    bool stop_when_full; /* the total is known already */
    int64_t total;
    struct run_status_entry *page;
    size_t npage;
    int err;
};

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int walk_one(void *ctx, const struct run_status_entry *e)
{
    struct walk *w = ctx;
    if (w->status >= 0 && (int)e->st != w->status)
        return 0;
    if (w->status == CHILD_SET_SCHOOL_AGE && !status_is_school_age(e->st))
        return 0;
    if (w->cursor) {
        while (w->cur < e->record_id) {
            int rc = stmt_step(w->cursor);
            if (rc < 0) {
                w->err = 1;
                return 1;
            }
            w->cur = rc == 1 ? stmt_int(w->cursor, 0) : INT64_MAX;
            if (rc == 1 && !spelled(w->spell, stmt_text(w->cursor, 1)))
                w->cur = INT64_MIN; /* not this one: step on */
        }
        if (w->cur != e->record_id)
            return 0;
    }
    if (w->schools &&
        !bsearch(&e->school_record, w->schools, w->nschools, sizeof(int64_t), cmp_i64))
        return 0;
    int64_t k = w->total++;
    if (k >= w->skip && k < w->skip + w->want)
        w->page[w->npage++] = *e;
    if (w->stop_when_full && k + 1 >= w->skip + w->want)
        return 1;
    return 0;
}

static int list_walk(struct store *s, const struct run_info *ri, int status, const char *township,
                     const char *school, const char *q, const char *spell, const char *grp,
                     const char *seen, const struct child_query *cq, struct buf *items,
                     int64_t *total)
{
    struct walk w = {.status = status,
                     .spell = spell,
                     .cur = INT64_MIN,
                     .skip = (cq->page - 1) * cq->per_page,
                     .want = cq->per_page};
    struct buf like = BUF_INIT, tmp = BUF_INIT;
    struct stmt *it = NULL;
    size_t alloc = 0;
    int rc = -1;
    w.page = xcalloc((size_t)cq->per_page, sizeof(*w.page));
    if (township || q || spell || cq->village || grp) {
        if (q)
            like_pattern(q, &like);
        /* $1 the run ($6 its population batch): the group filter reads the run's groups */
        w.cursor = store_prepare(s, "SELECT r.id, coalesce(r.name, '') FROM record r"
                                    " WHERE r.batch_id = $6" FILTER_SQL("2", "5", "3", "4")
                                        GROUP_SQL("r.id", "7") " ORDER BY r.id");
        if (!w.cursor)
            goto out;
        stmt_bind_int(w.cursor, 1, ri->id);
        stmt_bind_int(w.cursor, 6, ri->population_batch);
        stmt_bind_str(w.cursor, 7, grp);
        stmt_bind_str(w.cursor, 2, township);
        stmt_bind_str(w.cursor, 3, q ? like.buf : NULL);
        stmt_bind_str(w.cursor, 4, q);
        stmt_bind_str(w.cursor, 5, cq->village);
    }
    if (school) {
        struct stmt *sq = store_prepare(s, "SELECT id FROM record WHERE batch_id IN ($1, $2)"
                                           " AND school_code = $3 ORDER BY id");
        if (!sq)
            goto out;
        stmt_bind_int(sq, 1, ri->enrollment_batch);
        stmt_bind_int(sq, 2, ri->outside_batch);
        stmt_bind_text(sq, 3, school, strlen(school));
        w.schools = xmalloc(sizeof(int64_t));
        alloc = 1;
        while ((rc = stmt_step(sq)) == 1) {
            ALLOC_GROW(w.schools, w.nschools + 1, alloc);
            w.schools[w.nschools++] = stmt_int(sq, 0);
        }
        stmt_finalize(sq);
        if (rc < 0)
            goto out;
    }
    if (!q && !spell && !school && !cq->village && !grp) {
        /* the counts by township and status give the total: stop once the page is full */
        if (count_from_run(s, ri->id, status, township, total) < 0) {
            rc = -1;
            goto out;
        }
        w.stop_when_full = true;
    }
    rc = run_status_each(s, ri->id, walk_one, &w);
    if (rc < 0 || w.err) {
        rc = -1;
        goto out;
    }
    if (!w.stop_when_full)
        *total = w.total;
    /* $1 the run, $2 the record */
    char *item_sql = xstrfmt("SELECT " ITEM_COLUMNS ", %sr.id) FROM record r WHERE r.id = $2",
                             groups_mask_sql());
    it = store_prepare(s, item_sql);
    free(item_sql);
    if (!it) {
        rc = -1;
        goto out;
    }
    int64_t sees = seen_mask(seen);
    for (size_t i = 0; i < w.npage; i++) {
        stmt_reset(it);
        stmt_bind_int(it, 1, ri->id);
        stmt_bind_int(it, 2, w.page[i].record_id);
        int irc = stmt_step(it);
        if (irc < 0) {
            rc = -1;
            goto out;
        }
        if (irc == 1)
            item_text(items, it, &w.page[i], stmt_int(it, ITEM_NCOLS) & sees, &tmp);
    }
    rc = 0;
out:
    stmt_finalize(w.cursor);
    stmt_finalize(it);
    free(w.schools);
    free(w.page);
    buf_release(&like);
    buf_release(&tmp);
    return rc;
}

/* One page of at most `max` children (the API's page, or a whole export). */
static int list_page(struct store *s, const struct scope *sc, const struct child_query *cq,
                     int64_t max, struct buf *out, struct outcome *oc)
{
    if (!role_has(sc->role, PERM_CHILDREN)) {
        refuse(oc, OUT_FORBIDDEN, "您的账号无权查看儿童名单");
        return -1;
    }
    if (cq->page < 1 || cq->per_page < 1 || cq->per_page > max) {
        refuse(oc, OUT_INVALID, "分页参数无效");
        return -1;
    }
    struct run_info ri;
    if (run_info_load(s, 0, &ri, oc) < 0)
        return -1;
    const char *township = cq->township && *cq->township ? cq->township : NULL, *school;
    const char *q = cq->q && *cq->q ? cq->q : NULL;
    struct resident_id idq;
    char last4[5], spell[NAME_SPELLING_MAX + 1] = "";
    if (q && view_search_is_id(q)) {
        /* with the first 6 and last 4 of every ID on the list, a search by a whole number
         * tries the few birth dates the check digit allows: only for who may see full IDs */
        if (!role_has(sc->role, PERM_FULL_ID)) {
            refuse(oc, OUT_INVALID,
                   "您的账号不能按完整身份证号搜索：请按姓名，或身份证号后 4 位搜索");
            return -1;
        }
        id_normalize(q, strlen(q), &idq);
        q = idq.id; /* 15 digits, spaces, a small x: the number as stored */
    } else if (q && view_search_last4(q, last4)) {
        q = last4;
    } else if (q && name_spelling_query(q, spell)) {
        q = NULL; /* wangningjia, wnj: the names' readings, not their characters */
    }
    bool sortable = cq->status == CHILD_SET_SUSPECTED ||
                    (cq->status >= 0 && status_has_row((enum child_status)cq->status));
    if (!sortable && (cq->stage || cq->reason || cq->overdue)) {
        refuse(oc, OUT_INVALID,
               "核查和案件的筛选（核查进度、失学原因、逾期）只用于疑似失学辍学、适龄未入学、"
               "辍学等需要核查的名单");
        return -1;
    }
    if (cq->sort && (!sortable || !sort_sql(cq->sort, NULL))) {
        failed_at(oc, OUT_INVALID, "sort", "%s",
                  sortable ? "排序方式无效：可按姓名、出生日期、年龄、村或状态排序（正序或倒序）"
                           : "此状态的名单按户籍登记顺序列出，不能排序");
        return -1;
    }
    /* the priority groups asked for, and a department's own (scope_groups): ",key,key," */
    int asked = -1;
    if (cq->group && *cq->group && (asked = vocab_parse(&priority_groups, cq->group)) < 0) {
        struct buf b = BUF_INIT;
        vocab_error(&priority_groups, cq->group, &b);
        failed_at(oc, OUT_INVALID, "group", "%s", b.buf);
        buf_release(&b);
        return -1;
    }
    unsigned own = 0;
    const char *gt, *gs;
    bool by_groups = sc->role == ROLE_DEPARTMENT &&
                     !scope_reads_run(sc, ri.population_department) &&
                     scope_groups(sc, &own, &gt, &gs);
    char grp[256] = "", seen[256] = ",";
    for (int g = 0; by_groups && g < GRP__COUNT; g++)
        if (own & (1u << g))
            snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen), "%s,",
                     priority_groups.words[g].key);
    if (asked >= 0 || by_groups) {
        size_t n = 0;
        grp[n++] = ',';
        for (int g = 0; g < GRP__COUNT; g++)
            if ((asked < 0 || asked == g) && (!by_groups || (own & (1u << g))))
                n +=
                    (size_t)snprintf(grp + n, sizeof(grp) - n, "%s,", priority_groups.words[g].key);
        if (n == 1)
            grp[n++] = ','; /* none of the department's groups: ",," matches no group */
        grp[n] = '\0';
    }
    struct buf items = BUF_INIT;
    int64_t total = 0;
    int rc = 0;
    if (scope_filter(sc, &township, &school) || scope_reads_run(sc, ri.population_department) ||
        by_groups) {
        if (!school && cq->school && *cq->school)
            school = cq->school;
        if (sortable)
            rc = list_acted_on(s, &ri, cq->status, township, school, q, *spell ? spell : NULL,
                               *grp ? grp : NULL, by_groups ? seen : NULL, cq, &items, &total);
        else
            rc = list_walk(s, &ri, cq->status, township, school, q, *spell ? spell : NULL,
                           *grp ? grp : NULL, by_groups ? seen : NULL, cq, &items, &total);
    }
    if (rc < 0) {
        buf_release(&items);
        return fail_store(s, oc);
    }
    /* as json_pack("{s:o, s:I, s:I, s:I, s:I, s:s}") would print it, compact, in this order */
    buf_adds(out, "{\"items\":[");
    buf_add(out, items.buf, items.len);
    buf_adds(out, "],\"total\":");
    jsonw_int(out, total);
    buf_adds(out, ",\"page\":");
    jsonw_int(out, cq->page);
    buf_adds(out, ",\"per_page\":");
    jsonw_int(out, cq->per_page);
    buf_adds(out, ",\"run_id\":");
    jsonw_int(out, ri.id);
    buf_adds(out, ",\"as_of\":");
    jsonw_string(out, ri.as_of);
    buf_adds(out, sortable ? ",\"sortable\":true}" : ",\"sortable\":false}");
    buf_release(&items);
    return 0;
}

int children_list(struct store *s, const struct scope *sc, const struct child_query *cq,
                  struct buf *out, struct outcome *oc)
{
    return list_page(s, sc, cq, CHILDREN_PER_PAGE_MAX, out, oc);
}

static const struct table_col export_cols[] = {
    {"no", "序号", COL_INT},
    {"name", "姓名", COL_TEXT},
    {"gender", "性别", COL_TEXT},
    {"birth_date", "出生日期", COL_BIRTH},
    {"age", "年龄", COL_INT},
    {"expected_grade", "应读年级", COL_TEXT},
    {"id_number", "身份证号", COL_TEXT},
    {"township", "乡镇", COL_TEXT},
    {"village", "村（社区）", COL_TEXT},
    {"status_label", "状态", COL_TEXT},
    {"id", "记录编号", COL_INT},
};

int children_table(struct store *s, const struct scope *sc, const struct child_query *cq,
                   const char *filters_text, struct report_table *t, struct outcome *oc)
{
    struct child_query all = *cq;
    all.page = 1;
    all.per_page = 1;
    struct buf text = BUF_INIT;
    json_t *first = NULL;
    if (list_page(s, sc, &all, 1, &text, oc) == 0)
        first = json_loadb(text.buf, text.len, 0, NULL);
    buf_release(&text);
    if (!first)
        return oc->kind == OUT_OK ? failed(oc, OUT_ERROR, "内部错误") : -1;
    json_int_t total = json_integer_value(json_object_get(first, "total"));
    char as_of[16];
    snprintf(as_of, sizeof(as_of), "%s", json_string_value(json_object_get(first, "as_of")));
    json_decref(first);
    if (total > CHILDREN_EXPORT_MAX)
        return failed(oc, OUT_INVALID,
                      "筛选结果共 %lld 名，超过一次导出的上限 %d 名；请按乡镇或状态缩小范围，"
                      "或导出适龄儿童台账",
                      (long long)total, CHILDREN_EXPORT_MAX);
    /* one page of everything: the list functions page in SQL or in one walk of the run */
    all.per_page = total > 0 ? total : 1;
    json_t *j = NULL;
    if (list_page(s, sc, &all, CHILDREN_EXPORT_MAX, &text, oc) == 0)
        j = json_loadb(text.buf, text.len, 0, NULL);
    buf_release(&text);
    if (!j)
        return oc->kind == OUT_OK ? failed(oc, OUT_ERROR, "内部错误") : -1;
    /* the list's masked view: its items carry no birth date, the table no such column */
    struct view v;
    if (run_view(s, false, &v) < 0) {
        json_decref(j);
        return fail_store(s, oc);
    }
    table_init_view(t, "儿童名单", "children", export_cols, ARRAY_SIZE(export_cols), &v);
    int y, m, d;
    char subtitle[512];
    if (sscanf(as_of, "%d-%d-%d", &y, &m, &d) != 3)
        y = m = d = 0;
    snprintf(subtitle, sizeof(subtitle), "比对截至：%d年%d月%d日　　筛选：%s　　共 %lld 名", y, m,
             d, filters_text && *filters_text ? filters_text : "全部", (long long)total);
    table_caption(t, "儿童名单", subtitle);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(j, "items"), i, it)
    {
        table_add_row(t);
        table_setf(t, 0, "%zu", i + 1);
        table_set(t, 1, json_string_value(json_object_get(it, "name")));
        table_set(t, 2, json_string_value(json_object_get(it, "gender")));
        table_set(t, 3, json_string_value(json_object_get(it, "birth_date"))); /* null: masked */
        if (json_is_integer(json_object_get(it, "age")))
            table_setf(t, 4, "%lld", (long long)json_integer_value(json_object_get(it, "age")));
        const char *g = json_string_value(json_object_get(it, "expected_grade"));
        table_set(t, 5, g ? g : "");
        table_set(t, 6, json_string_value(json_object_get(it, "id_number")));
        table_set(t, 7, json_string_value(json_object_get(it, "township")));
        table_set(t, 8, json_string_value(json_object_get(it, "village")));
        table_set(t, 9, json_string_value(json_object_get(it, "status_label")));
        table_setf(t, 10, "%lld", (long long)json_integer_value(json_object_get(it, "id")));
    }
    json_decref(j);
    table_meta(t, "as_of", as_of, META_TEXT);
    table_note_view(t, &v, false);
    return 0;
}
