#include "domain/run.h"

#include "store/store.h"
#include "util/common.h"

int run_info_load(struct store *s, int64_t want, struct run_info *ri, struct buf *err,
                  int *exit_code)
{
    struct stmt *q = store_prepare(
        s, want ? "SELECT id, as_of, school_year, population_batch, coalesce(enrollment_batch, 0),"
                  " coalesce(outside_batch, 0) FROM match_run"
                  " WHERE id = $1 AND finished_at IS NOT NULL"
                : "SELECT id, as_of, school_year, population_batch, coalesce(enrollment_batch, 0),"
                  " coalesce(outside_batch, 0) FROM match_run"
                  " WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1");
    if (!q) {
        buf_adds(err, store_errmsg(s));
        *exit_code = EXIT_RUNTIME;
        return -1;
    }
    if (want)
        stmt_bind_int(q, 1, want);
    int rc = stmt_step(q);
    if (rc != 1) {
        stmt_finalize(q);
        if (rc < 0) {
            buf_adds(err, store_errmsg(s));
            *exit_code = EXIT_RUNTIME;
        } else {
            if (want)
                buf_addf(err, "没有编号为 %lld 的比对结果", (long long)want);
            else
                buf_adds(err, "还没有比对结果：请先导入户籍和学籍数据，再运行 baoxue match");
            *exit_code = EXIT_INPUT;
        }
        return -1;
    }
    ri->id = stmt_int(q, 0);
    snprintf(ri->as_of, sizeof(ri->as_of), "%s", stmt_text(q, 1));
    ri->school_year = (int)stmt_int(q, 2);
    ri->population_batch = stmt_int(q, 3);
    ri->enrollment_batch = stmt_int(q, 4);
    ri->outside_batch = stmt_int(q, 5);
    stmt_finalize(q);
    struct buf v = BUF_INIT;
    ri->county[0] = '\0';
    if (store_get_setting(s, "county", &v) == 1 && v.len == 6)
        memcpy(ri->county, v.buf, 7);
    buf_release(&v);
    return 0;
}
