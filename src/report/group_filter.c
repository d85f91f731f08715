/*
 * A report narrowed to one priority group (reports.h, struct report_group): the lists and
 * ledgers take --group like they take --township.
 */
#include <stdlib.h>
#include <string.h>

#include "ingest/category.h"
#include "report/reports.h"
#include "store/store.h"
#include "util/common.h"
#include "core/words.h"
#include "util/xmalloc.h"

int report_group_arg(const struct report_options *opt, struct report_group *g, struct outcome *o)
{
    memset(g, 0, sizeof(*g));
    if (!opt->group || !*opt->group)
        return 0;
    int k = vocab_parse(&priority_groups, opt->group);
    if (k < 0) {
        struct buf b = BUF_INIT;
        vocab_error(&priority_groups, opt->group, &b);
        failed_at(o, OUT_INVALID, "group", "%s", b.buf);
        buf_release(&b);
        return -1;
    }
    g->key = priority_groups.words[k].key;
    g->label = priority_groups.words[k].label;
    return 0;
}

int report_group_load(struct store *s, int64_t run, struct report_group *g, struct outcome *o)
{
    if (!g->key)
        return 0;
    struct stmt *q = store_prepare(s, "SELECT DISTINCT record_id FROM group_member"
                                      " WHERE run_id = $1 AND grp = $2 AND record_id IS NOT NULL"
                                      " ORDER BY record_id");
    if (!q)
        return fail_store(s, o);
    stmt_bind_int(q, 1, run);
    stmt_bind_str(q, 2, g->key);
    size_t cap = 0;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        if (g->n == cap) {
            cap = cap ? 2 * cap : 256;
            g->records = xrealloc(g->records, cap * sizeof(*g->records));
        }
        g->records[g->n++] = stmt_int(q, 0);
    }
    stmt_finalize(q);
    if (rc < 0) {
        report_group_release(g);
        return fail_store(s, o);
    }
    return 0;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

bool report_group_has(const struct report_group *g, int64_t record)
{
    return !g->key ||
           (g->n && bsearch(&record, g->records, g->n, sizeof(*g->records), cmp_id) != NULL);
}

void report_group_release(struct report_group *g)
{
    free(g->records);
    g->records = NULL;
    g->n = 0;
}

const char *report_group_caption(const struct report_group *g, char out[64])
{
    if (!g->key)
        *out = '\0';
    else
        snprintf(out, 64, "（重点群体：%s）", g->label);
    return out;
}

void report_group_meta(struct report_table *t, const struct report_group *g)
{
    if (g->key)
        table_meta(t, "group", g->key, META_TEXT);
}
