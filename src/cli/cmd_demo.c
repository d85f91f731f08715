#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "casework/casework.h"
#include "casework/demo_attendance.h"
#include "casework/demo_inspection.h"
#include "casework/demo_entrants.h"
#include "casework/demo_separation.h"
#include "casework/demo_cases.h"
#include "casework/demo_history.h"
#include "casework/demo_wellbeing.h"
#include "casework/demo_meetings.h"
#include "casework/people.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "core/date.h"
#include "core/division.h"
#include "demo/demo.h"
#include "demo/demo_monthly.h"
#include "domain/match.h"
#include "ingest/import.h"
#include "report/bulletin.h"
#include "report/reports.h"
#include "store/migrate.h"
#include "store/store.h"
#include "util/common.h"

/* The form, and the families --family raises (their labels from the generator). */
static const char *const *usage(void)
{
    static const char *lines[4];
    static struct buf text = BUF_INIT;
    if (!lines[0]) {
        buf_addf(&text,
                 "在 --out 目录（默认 ./demo）生成一个县（默认沁水县 "
                 "140521）的演示数据文件和真实情况文件，\n"
                 "然后（除非 --files-only）建库、导入并比对。数据库默认为 <目录>/baoxue.db。\n"
                 "--errors "
                 "的错误：身份证号录错或缺失、同音字、繁体字、形近字、多余空格、出生日期错等；\n"
                 "0 为干净文件（日期写法照旧多样，仍有至少 3 对双胞胎陷阱）。\n"
                 "--family 的类别：\n  siblings      %s\n  names         %s\n"
                 "  numbers       %s\n  noid          %s\n  unregistered  %s",
                 demo_family_label(DEMO_FAMILY_SIBLINGS), demo_family_label(DEMO_FAMILY_NAMES),
                 demo_family_label(DEMO_FAMILY_NUMBERS), demo_family_label(DEMO_FAMILY_NOID),
                 demo_family_label(DEMO_FAMILY_UNREGISTERED));
        lines[0] = "baoxue demo [选项]";
        lines[1] = "";
        lines[2] = text.buf;
        lines[3] = NULL;
    }
    return lines;
}

/* --errors: a decimal number 0..10 (strtod; the C locale, so the decimal point is '.'). */
static double parse_errors(const char *value)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(value, &end);
    /* plain decimals only: strtod would also take " 2", "0x1p1", "nan" */
    if (end == value || *end || errno || strspn(value, "0123456789.eE+-") != strlen(value) ||
        !(v >= 0 && v <= 10))
        die_usage("--errors 须为 0 到 10 之间的数（错误率倍数，1 为常见水平），而不是“%s”", value);
    return v;
}

/*
 * A demo database is marked with the setting demo=1. An existing database without that mark
 * is never touched: it may hold a real county's data.
 */
static int prepare_db(const char *path, struct buf *err)
{
    struct stat st;
    bool pg = store_dsn_is_pg(path);
    if (!pg && stat(path, &st) != 0)
        return 0;
    struct store *s = NULL;
    /* a PostgreSQL database always exists: a fresh one gets the (empty) schema */
    if (store_open(&s, path, pg ? STORE_OPEN_CREATE : STORE_OPEN_EXISTING, err) < 0)
        return -1;
    struct buf v = BUF_INIT;
    int64_t batches = 0;
    int is_demo = store_get_setting(s, "demo", &v) == 1 && !strcmp(v.buf, "1");
    store_int(s, "SELECT count(*) FROM batch", 0, NULL, &batches);
    buf_release(&v);
    if (!is_demo && batches) {
        buf_addf(err, "数据库“%s”已有非演示数据，演示不会覆盖它；请用 --db 指定其他路径",
                 store_name(s));
        store_close(s);
        return -1;
    }
    if (pg) {
        int rc = schema_drop_all(s);
        if (rc < 0)
            buf_addf(err, "无法清空旧的演示数据库“%s”：%s", store_name(s), store_errmsg(s));
        store_close(s);
        return rc;
    }
    store_close(s);
    const char *suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++) {
        char *p = xstrfmt("%s%s", path, suffixes[i]);
        if (unlink(p) != 0 && errno != ENOENT) {
            buf_addf(err, "无法删除旧的演示数据库“%s”：%s", p, strerror(errno));
            free(p);
            return -1;
        }
        free(p);
    }
    return 0;
}

static int import_one(struct store *s, enum import_kind kind, const char *path)
{
    struct cli_bar bar;
    struct import_options io = {
        .kind = kind, .path = path, .report = cli_bar_start(&bar, true), .actor = cli_actor()};
    struct import_summary sum;
    struct outcome o = OUTCOME_INIT;
    int rc = import_file(s, &io, &sum, &o);
    cli_bar_end(&bar);
    if (rc == 0) {
        struct buf text = BUF_INIT;
        import_summary_describe(&io, &sum, &text);
        printf("%s\n", text.buf);
        buf_release(&text);
    }
    import_summary_release(&sum);
    return rc < 0 ? cli_failed(&o) : EXIT_OK;
}

/*
 * Case work on the demo county: its people registry imported, verification tasks after the
 * cross-check (assigned to named people), then a few outcomes and one case with attempts.
 */
static int demo_casework(struct store *s, const char *registry, int64_t run_id)
{
    struct people_import_summary ps;
    struct casework_summary cw;
    struct demo_cases_summary dc;
    struct outcome o = OUTCOME_INIT;
    int exit_code = EXIT_OK;
    printf("\n");
    if (people_import(s, registry, cli_actor(), &ps, &o) < 0) {
        exit_code = cli_failed(&o);
    } else {
        int64_t kinds[4] = {0, 0, 0, 0};
        static const char *const k[] = {"county", "township", "village", "school"};
        for (int i = 0; i < 4; i++) {
            const char *p[] = {k[i]};
            store_int(s, "SELECT count(*) FROM person WHERE org_kind = $1", 1, p, &kinds[i]);
        }
        printf("人员名册：导入 %ld 人（县教育局 %lld，乡镇 %lld，村（社区）%lld，学校 %lld）\n",
               ps.added, (long long)kinds[0], (long long)kinds[1], (long long)kinds[2],
               (long long)kinds[3]);
        if (casework_after_match(s, run_id, cli_actor(), &cw, &o) < 0) {
            error("生成核查任务失败：%s", o.msg.buf);
            exit_code = EXIT_RUNTIME;
        } else {
            struct buf text = BUF_INIT;
            casework_describe(&cw, &text);
            fputs(text.buf, stdout);
            buf_release(&text);
            int64_t assigned = 0;
            store_int(s, "SELECT count(DISTINCT task_id) FROM assignment WHERE task_id IS NOT NULL",
                      0, NULL, &assigned);
            printf("  核查任务已指派到人 %lld 项（乡镇包保干部，村里有村干部的同时指派村干部）\n",
                   (long long)assigned);
            if (demo_cases(s, cli_actor(), &dc, &o) < 0) {
                error("记录演示核查结论失败：%s", o.msg.buf);
                exit_code = EXIT_RUNTIME;
            } else {
                printf("演示经办记录：核查结论 %ld 项（其中确认失学辍学并立案 %ld 件），"
                       "劝返记录 %ld 次，依法控辍 %ld 步\n",
                       dc.verified, dc.cases, dc.attempts, dc.ladder_steps);
                /* issue 16: the wellbeing ledgers of the demo's school */
                int ill, mh;
                if (demo_wellbeing(s, cli_actor(), &ill, &mh, &o) < 0) {
                    error("记录演示疾病和心理健康台帐失败：%s", o.msg.buf);
                    exit_code = EXIT_RUNTIME;
                } else if (ill) {
                    printf("演示台帐：疾病台帐 %d 条，心理健康台帐 %d 条（仅限被授权的账号）\n",
                           ill, mh);
                }
                /* issue 17: an inspection with its rectification items */
                int nf;
                if (exit_code == EXIT_OK && demo_inspection(s, cli_actor(), &nf, &o) < 0) {
                    error("记录演示督导检查失败：%s", o.msg.buf);
                    exit_code = EXIT_RUNTIME;
                } else if (exit_code == EXIT_OK && nf) {
                    printf("演示督导检查：发现问题 %d 个，限期整改中 1 项已验收、1 项待验收、"
                           "1 项逾期未整改（baoxue inspections）\n",
                           nf);
                }
                /* issue 17: a joint meeting and an interview */
                int dec, com;
                if (exit_code == 0 && demo_meetings(s, cli_actor(), &dec, &com, &o) < 0) {
                    error("记录演示联席会议和约谈失败：%s", o.msg.buf);
                    exit_code = EXIT_RUNTIME;
                } else if (exit_code == 0) {
                    printf(
                        "演示问责记录：联席会议 1 次（议定事项 %d 项），约谈 1 次（承诺 %d 项）\n",
                        dec, com);
                }
            }
        }
    }
    outcome_release(&o);
    return exit_code;
}

int cmd_demo(int argc, char **argv)
{
    const char *out = "demo", *errors_text = NULL, *family_key = NULL, *county = "140521";
    long children = 20000, seed = 1;
    int as_of = 0;
    double errors = 1.0;
    int family = DEMO_FAMILY_NONE;
    bool files_only = false, no_history = false;
    const struct opt opts[] = {
        OPT_LONG(0, "children", &children, "N", "儿童人数（默认 20000）", 1, 20000000),
        OPT_LONG(0, "seed", &seed, "S", "随机种子（默认 1；同一种子生成同样的文件）", 0, 1L << 62),
        OPT_STRING(0, "out", &out, "目录", "数据文件写到这个目录（默认 ./demo）"),
        OPT_DATE(0, "as-of", &as_of, "按这一天生成和比对（默认今天）"),
        OPT_STRING(0, "errors", &errors_text, "X",
                   "错误为常见水平的 X 倍（0 到 10，默认 1；单项最多 50%）"),
        OPT_STRING(0, "family", &family_key, "类别",
                   "把一类错误提高到数百例，供关联质量基准单独测量"),
        OPT_STRING(0, "county", &county, "区划代码",
                   "生成这个县的数据（6 位区划代码，默认沁水县 140521；乡镇取自区划表）"),
        OPT_BOOL(0, "files-only", &files_only, "只生成文件，不建库、导入和比对"),
        OPT_BOOL(0, "no-history", &no_history,
                 "不导入往期学籍、不做往期比对（默认有春季学期和秋季开学两期）"),
        /* the shared --db row, with demo's own default */
        OPT_STRING(0, "db", &cli_db, "路径",
                   "演示数据库（默认为环境变量 BAOXUE_DB，或 <目录>/baoxue.db）"),
        OPT_END(),
    };
    argc = opt_parse(argc, argv, opts, usage(), 0);
    if (errors_text)
        errors = parse_errors(errors_text);
    if (family_key && (family = demo_family_from_key(family_key)) < 0)
        die_usage("--family 须为 siblings、names、numbers、noid 或 unregistered 之一，而不是“%s”",
                  family_key);
    if (argc > 1)
        opt_die(opts, usage(), "多余的参数“%s”", argv[1]);
    char county_name[256];
    if (division_county_fit(county, county_name, sizeof(county_name)) != DIVISION_COUNTY_OK)
        die_usage("--county 的值“%s”不是有乡镇数据的县级区划代码（6 位数字，例如 140521）", county);
    if (!as_of)
        as_of = date_today();

    struct demo_options dopt = {.out_dir = out,
                                .children = children,
                                .seed = (uint64_t)seed,
                                .as_of_ymd = as_of,
                                .county = county,
                                .errors = errors,
                                .errors_set = true,
                                .family = (enum demo_family)family};
    struct demo_result res = DEMO_RESULT_INIT;
    struct buf err = BUF_INIT;
    printf("生成演示县数据：%s（%s），%ld 名儿童，随机种子 %ld，", division_county_name(county),
           county, children, seed);
    if (errors != 1.0)
        printf("错误率为常见水平的 %g 倍，", errors);
    if (family != DEMO_FAMILY_NONE)
        printf("%s一类错误提高到数百例，", demo_family_label((enum demo_family)family));
    printf("目录 %s\n", out);
    fflush(stdout);
    struct outcome o = OUTCOME_INIT;
    if (demo_generate(&dopt, &res, &o) < 0) {
        buf_release(&err);
        return cli_failed(&o);
    }
    printf("  户籍：%s（%ld 行）\n  学籍：%s（%ld 行）\n  外出就读：%s（%ld 行）\n"
           "  人员名册：%s（%ld 人）\n  真实情况：%s（其中实际不在校 %ld 人）\n",
           res.population_path, res.population_rows, res.enrollment_path, res.enrollment_rows,
           res.outside_path, res.outside_rows, res.registry_path, res.registry_rows, res.truth_path,
           res.truth_out_of_school);
    printf("  重点群体名单：\n");
    for (int g = 0; g < DEMO_GROUP__COUNT; g++)
        printf("    %s：%s（%ld 行）\n", demo_group_label((enum demo_group)g), res.group_paths[g],
               res.group_rows[g]);
    int rc = EXIT_OK;
    char *dbpath = NULL;
    struct store *s = NULL;
    if (files_only)
        goto out;

    dbpath = cli_db                                        ? xstrdup(cli_db)
             : getenv("BAOXUE_DB") && *getenv("BAOXUE_DB") ? xstrdup(getenv("BAOXUE_DB"))
                                                           : xstrfmt("%s/baoxue.db", out);
    if (prepare_db(dbpath, &err) < 0 || store_open(&s, dbpath, STORE_OPEN_CREATE, &err) < 0) {
        error("%s", err.buf);
        rc = EXIT_RUNTIME;
        goto out;
    }
    if (store_set_setting(s, "county", county) < 0 || store_set_setting(s, "demo", "1") < 0) {
        error("%s", store_errmsg(s));
        rc = EXIT_RUNTIME;
        goto out;
    }
    const char *shown = store_name(s);
    printf("\n数据库：%s\n\n", shown);
    if ((rc = import_one(s, KIND_POPULATION, res.population_path)) != EXIT_OK ||
        (rc = import_one(s, KIND_ENROLLMENT, res.enrollment_path)) != EXIT_OK ||
        (rc = import_one(s, KIND_OUTSIDE, res.outside_path)) != EXIT_OK)
        goto out;
    /* the priority-group lists, for the kinds this build knows (silently none before them) */
    for (int g = 0; g < DEMO_GROUP__COUNT; g++) {
        enum import_kind k;
        if (kind_parse(demo_group_kind((enum demo_group)g), &k) < 0)
            continue;
        if ((rc = import_one(s, k, res.group_paths[g])) != EXIT_OK)
            goto out;
    }
    {
        /* issue 17: two earlier 学籍 exports and their cross-checks (the indicators' history) */
        struct demo_history_summary dh = {0};
        if (!no_history &&
            demo_history(s, out, res.enrollment_path, cli_actor(), as_of, &dh, &o) < 0) {
            rc = cli_failed(&o);
            goto out;
        }
        if (dh.runs) {
            char d1[24], d2[24] = "";
            date_format_cn(dh.spring_date, d1, sizeof(d1));
            printf("\n演示历史：%s的春季学期学籍（%ld 行）", d1, dh.spring_rows);
            if (dh.september_date) {
                date_format_cn(dh.september_date, d2, sizeof(d2));
                printf("、%s的秋季开学学籍（%ld 行）", d2, dh.september_rows);
            }
            printf("各导入并比对一次，再导入本学期学籍（baoxue report indicators、ranking）\n");
        }
    }
    {
        struct match_options mo = {.as_of = as_of, .actor = cli_actor()};
        struct match_result mr;
        if (calendar_load(s, &mo.cal) < 0) {
            error("%s", store_errmsg(s));
            rc = EXIT_RUNTIME;
            goto out;
        }
        printf("\n");
        if (match_run(s, &mo, &mr, &o) < 0) {
            rc = cli_failed(&o);
            goto out;
        }
        struct buf text = BUF_INIT;
        match_describe(&mr, &text);
        fputs(text.buf, stdout);
        buf_release(&text);
        printf("\n");
        struct report_options ro = {0};
        struct report_table t;
        if (report_summary(s, &ro, &t, &o) < 0) {
            rc = cli_failed(&o);
            goto out;
        }
        table_render(&t, FMT_TABLE, NULL, &err);
        table_release(&t);
        if ((rc = demo_casework(s, res.registry_path, mr.run_id)) != EXIT_OK)
            goto out;
        {
            struct demo_attendance_summary da;
            if (demo_attendance(s, out, cli_actor(), as_of, &da, &o) < 0) {
                rc = cli_failed(&o);
                goto out;
            }
            if (da.pupils)
                printf("演示考勤：本学期 %ld 名在校生缺勤 %ld 条（拒绝 %ld 行）；连续旷课 3 天 %ld "
                       "人、7 天 %ld 人、20 天以上 %ld 人；考勤预警 %ld 条，其中疑似辍学报乡镇核查 "
                       "%ld 人（baoxue warnings）\n",
                       da.pupils, da.absences, da.rejected, da.streak3, da.streak7, da.streak20,
                       da.warnings, da.warning_tasks);
            struct demo_separation_summary ds;
            if (da.pupils && demo_separation(s, out, cli_actor(), as_of, &ds, &o) < 0) {
                rc = cli_failed(&o);
                goto out;
            }
            if (da.pupils && ds.moved)
                printf(
                    "演示人籍分离：班主任备注在他校借读 %ld 人；学籍再次导出（%ld 行），其中 %ld "
                    "人转学而原校仍有考勤\n",
                    ds.noted, ds.enrollment_rows, ds.moved);
            /* issue 17: the monthly report's confirmations */
            struct demo_monthly_summary dm;
            if (demo_monthly(s, cli_actor(), date_today(), &dm, &o) < 0) {
                rc = cli_failed(&o);
                goto out;
            }
            if (dm.confirmed)
                printf("演示月报：乡镇确认 %ld 次，%s 全县月报已审定上报，上月逾期未确认 %ld 个乡镇"
                       "（baoxue monthly）\n",
                       dm.confirmed, dm.issued, dm.overdue);
        }
        {
            /* issue 17: the 通报 of the term so far, issued on the demo's day */
            int m = ymd_month(as_of), y = ymd_year(as_of);
            char term[24], day[11];
            snprintf(term, sizeof(term), "%d%s", m == 1 ? y - 1 : y,
                     m >= 8 || m == 1 ? "秋" : "春");
            date_format(as_of, day);
            struct bulletin_input bi = {.term = term, .date = day};
            struct buf bmsg = BUF_INIT;
            json_t *res_b = NULL;
            if (bulletin_issue(s, NULL, &bi, cli_actor(), &bmsg, &res_b, &o) == 0)
                printf("演示通报：%s（baoxue bulletins）\n", bmsg.buf);
            else
                fprintf(stderr, "%s：演示通报未能印发：%s\n", cli_program, o.msg.buf);
            outcome_reset(&o);
            json_decref(res_b);
            buf_release(&bmsg);
        }
        {
            /* issue 17: the 学区 and a school's applications (招生入学) */
            struct demo_entrants_summary de;
            if (demo_entrants(s, cli_actor(), as_of, &de, &o) < 0) {
                rc = cli_failed(&o);
                goto out;
            }
            printf("演示招生入学：学区划定 %ld 个村（社区），%ld 个未划学区；学校登记入学申请 %ld "
                   "人（baoxue report entrants、baoxue catchment list）\n",
                   de.villages, de.unassigned, de.applications);
        }
        long found = mr.counts[ST_NOT_ENROLLED] + mr.counts[ST_DROPPED_OUT];
        printf("\n列出不在校 %ld 人（演示数据的真实情况：%ld 人不在校）；"
               "另有 %ld 人有疑似学籍记录待人工复核，也列入未在校名单（待复核）。\n",
               found, res.truth_out_of_school, mr.counts[ST_PENDING_REVIEW]);
        const char *bx = cli_program;
        /* a URI has '&' and '?' in it: quoted, the commands can be pasted into a shell */
        char *arg = store_dsn_is_pg(shown) ? xstrfmt("'%s'", shown) : xstrdup(shown);
        printf("\n接下来可以看：\n"
               "  %s report summary --db %s\n"
               "  %s report out-of-school --db %s\n"
               "  %s report out-of-school --db %s -o 未在校名单.xlsx\n"
               "  %s report out-of-school --db %s --township 郑庄镇\n"
               "  %s review list --db %s              （人工复核）\n"
               "  %s explain --db %s 身份证号         （一名儿童的比对过程）\n"
               "  %s tasks --db %s                    （到期事项，最紧急的在前）\n"
               "  %s verify list --db %s --state all  （核查任务和结论）\n"
               "  %s case show --db %s 1              （一人一案：劝返记录、依法控辍）\n"
               "  %s people list --db %s              （人员名册）\n"
               "  %s settings list --db %s            （本县设置）\n"
               "  演示文件和真实情况：%s/\n",
               bx, arg, bx, arg, bx, arg, bx, arg, bx, arg, bx, arg, bx, arg, bx, arg, bx, arg, bx,
               arg, bx, arg, out);
        free(arg);
    }
out:
    store_close(s);
    free(dbpath);
    demo_result_release(&res);
    buf_release(&err);
    outcome_release(&o);
    return rc;
}
