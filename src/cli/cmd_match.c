#include <malloc.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "casework/casework.h"
#include "core/date.h"
#include "domain/match.h"
#include "link/linker.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/common.h"
#include "util/utf8.h"

static const char *const usage[] = {
    "baoxue match [选项]",
    "",
    "用最新的户籍、学籍和外出就读数据比对，判定每名儿童的状态。",
    NULL,
};

void match_print(const struct match_result *r, FILE *out)
{
    char cutoff[11];
    date_format(r->cutoff, cutoff);
    fprintf(out, "比对完成：第 %lld 次比对，%d-%d 学年（年龄计算截止日 %s）\n",
            (long long)r->run_id, r->school_year, r->school_year + 1, cutoff);
    fprintf(out, "  使用：户籍第 %lld 批，学籍第 %lld 批", (long long)r->population_batch,
            (long long)r->enrollment_batch);
    if (r->outside_batch)
        fprintf(out, "，外出就读第 %lld 批", (long long)r->outside_batch);
    else
        fprintf(out, "（未导入外出就读名单）");
    fprintf(out,
            "\n  关联学籍/外出就读记录 %ld 条：身份证号一致 %ld，身份证号录错一位 %ld，"
            "姓名出生日期等综合比对 %ld，人工复核确认 %ld\n",
            r->links, r->by_method[LKM_ID_EXACT], r->by_method[LKM_ID_TYPO],
            r->by_method[LKM_FUZZY], r->by_method[LKM_REVIEWED]);
    if (r->review)
        fprintf(out, "  待人工复核 %ld 条（baoxue review list）\n", r->review);
    long total = 0;
    for (int s = 0; s < ST__COUNT; s++) {
        const char *label = status_label((enum child_status)s);
        size_t w = utf8_width(label, strlen(label));
        fprintf(out, "  %s%*s %8ld\n", label, (int)(w < 30 ? 30 - w : 0), "", r->counts[s]);
        total += r->counts[s];
    }
    fprintf(out, "  合计 %ld 人（户籍 %ld 人）\n", total, r->population);
    fprintf(out, "  其中不在校（适龄未入学 + 辍学）：%ld 人\n",
            r->counts[ST_NOT_ENROLLED] + r->counts[ST_DROPPED_OUT]);
}

void casework_print(const struct casework_summary *cw, FILE *out)
{
    fprintf(out,
            "核查与案件：新建核查任务 %ld 项，重新打开案件 %ld 件，"
            "核查结论存疑（仍不在校）%ld 项，已在办理中 %ld 人\n",
            cw->tasks_created, cw->cases_reopened, cw->claims_flagged, cw->already_open);
    if (cw->deferrals_expired)
        fprintf(out, "  其中延缓入学已到期、仍未入学 %ld 人\n", cw->deferrals_expired);
    if (cw->tasks_closed || cw->cases_found_enrolled || cw->flags_cleared)
        fprintf(out,
                "比对发现已在校：核查任务自动办结 %ld 项（结论 已在校注册学籍），"
                "案件记入经办记录 %ld 件（案件不自动销号），存疑结论解除 %ld 项\n",
                cw->tasks_closed, cw->cases_found_enrolled, cw->flags_cleared);
}

int cmd_match(int argc, char **argv)
{
    /*
     * A cross-check of millions of children allocates and frees arrays of hundreds of MB in
     * turn. Served from mmap and trimmed back to the system at once, each one costs its size
     * again in page faults; kept in the heap, the next array reuses the pages (about a second
     * of system time on five million children). Only for this command: an import streams and
     * would only hold on to memory it no longer needs.
     */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    mallopt(M_TOP_PAD, 64 << 20);
    int as_of = 0;
    const struct opt opts[] = {
        OPT_DATE(0, "as-of", &as_of, "按这一天计算年龄和学年（默认今天）"),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    if ((argc = opt_parse(argc, argv, opts, usage, 0)) > 1)
        opt_die(opts, usage, "多余的参数“%s”", argv[1]);
    int exit_code;
    struct store *s = cli_open_store(cli_db, &exit_code);
    if (!s)
        return exit_code;
    struct cli_bar bar;
    struct match_options mo = {.as_of = as_of ? as_of : date_today(),
                               .actor = cli_actor(),
                               .report = cli_bar_start(&bar, true)};
    struct match_result res = {0};
    struct outcome o = OUTCOME_INIT;
    int rc = calendar_load(s, &mo.cal) == 0 ? match_run(s, &mo, &res, &o) : fail_store(s, &o);
    cli_bar_end(&bar);
    exit_code = EXIT_OK;
    if (rc < 0) {
        /* the command line's way to act on a missing list */
        if (o.kind == OUT_INVALID && (!res.population_batch || !res.enrollment_batch))
            buf_addf(&o.msg, "（baoxue import --kind %s 文件）",
                     !res.population_batch ? "population" : "enrollment");
        exit_code = cli_failed(&o);
    } else {
        match_print(&res, stdout);
        /* the run is committed; casework follows in its own transaction */
        struct casework_summary cw;
        double t0 = mono_seconds();
        int cwrc = casework_after_match(s, res.run_id, cli_actor(), &cw, &o);
        if (getenv("BAOXUE_TIMING") && *getenv("BAOXUE_TIMING") == '1')
            fprintf(stderr, "  [计时] 核查任务 %.2f 秒\n", mono_seconds() - t0);
        if (cwrc < 0) {
            error("比对结果已保存，但生成核查任务失败：%s", o.msg.buf);
            exit_code = EXIT_RUNTIME;
        } else {
            casework_print(&cw, stdout);
            printf("下一步：baoxue report summary；baoxue report out-of-school；baoxue tasks\n");
        }
    }
    outcome_release(&o);
    store_close(s);
    return exit_code;
}
