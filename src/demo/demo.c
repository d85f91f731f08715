#include "util/common.h"

#include <errno.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/date.h"
#include "core/division.h"
#include "demo/demo.h"
#include "demo/demo_internal.h"

/* libxlsxwriter is slow beyond this; Excel's own limit is 1,048,576 rows per sheet. */
#define XLSX_MAX_DATA_ROWS 1048000L
#define DEMO_MAX_CHILDREN  20000000L
#define DEMO_MAX_ERRORS    10

static const char population_name[] = "户籍适龄儿童花名册.csv";
static const char enrollment_stem[] = "学籍数据";
static const char outside_stem[] = "外出就读学生名单";
static const char registry_name[] = "控辍保学责任人名册.csv";

static const struct {
    const char *stem, *kind, *label;
} group_files[] = {
    [DEMO_GROUP_POVERTY] = {"防返贫监测对象家庭成员信息", "poverty", "防返贫监测（脱贫户）"},
    [DEMO_GROUP_WELFARE] = {"低保特困保障对象名册", "welfare", "低保、特困"},
    [DEMO_GROUP_ORPHAN] = {"孤儿和事实无人抚养儿童名册", "welfare", "孤儿、事实无人抚养儿童"},
    [DEMO_GROUP_DISABILITY] = {"残疾人基本信息", "disability", "残疾人"},
    [DEMO_GROUP_LEFT_BEHIND] = {"农村留守儿童信息登记表", "left_behind", "农村留守儿童"},
    [DEMO_GROUP_AID] = {"学生资助资金发放明细", "aid", "学生资助发放"},
};

const char *demo_group_kind(enum demo_group g)
{
    return group_files[g].kind;
}

const char *demo_group_label(enum demo_group g)
{
    return group_files[g].label;
}

static int mkdir_p(const char *dir, struct buf *err)
{
    char *p = xstrdup(dir);
    int ret = 0;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0777) < 0 && errno != EEXIST) {
            buf_addf(err, "无法创建目录 %s：%s", p, strerror(errno));
            ret = -1;
            break;
        }
        *s = c;
        if (!c)
            break;
    }
    free(p);
    if (!ret) {
        struct stat st;
        if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
            buf_addf(err, "输出路径不是目录：%s", dir);
            ret = -1;
        }
    }
    return ret;
}

/* The files are independent once the world exists: write them side by side. */
struct job {
    struct demo_world *w;
    int which;
    const char *path;
    const char *dir;
    bool xlsx;
    char *const *groups;
    struct buf err;
    int ret;
};

static void *run_job(void *arg)
{
    struct job *j = arg;
    switch (j->which) {
    case 0:
        j->ret = write_population(j->w, j->path, &j->err);
        break;
    case 1:
        j->ret = write_enrollment(j->w, j->path, j->xlsx, &j->err);
        break;
    case 2:
        j->ret = write_outside(j->w, j->path, j->xlsx, &j->err);
        break;
    case 4:
        /* the group lists: small, one after the other; `groups` holds their paths */
        for (int g = 0; g < DEMO_GROUP__COUNT && !j->ret; g++)
            j->ret = write_group(j->w, (enum group_list)g, j->groups[g],
                                 (long)j->w->sheets[g].nrows <= XLSX_MAX_DATA_ROWS &&
                                     g != DEMO_GROUP_WELFARE,
                                 &j->err);
        if (!j->ret)
            j->ret = write_group_truth(j->w, j->dir, &j->err);
        break;
    default:
        j->ret = write_truth(j->w, j->dir, j->path, &j->err);
        break;
    }
    return NULL;
}

static bool county_code_ok(const char *s)
{
    if (!s || strlen(s) != 6)
        return false;
    for (int i = 0; i < 6; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* demo_generate with the message in err: -2 for options it cannot use, -1 when the files
 * could not be made. */
static int generate(const struct demo_options *opt, struct demo_result *res, struct buf *err)
{
    struct demo_world w;
    struct job jobs[5];
    pthread_t th[5];
    bool started[5] = {false, false, false, false, false};
    int ret = 0;

    memset(res, 0, sizeof(*res));
    if (!opt->out_dir || !*opt->out_dir) {
        buf_adds(err, "未指定输出目录");
        return -2;
    }
    if (opt->children < 1 || opt->children > DEMO_MAX_CHILDREN) {
        buf_addf(err, "儿童人数须在 1 到 %ld 之间", DEMO_MAX_CHILDREN);
        return -2;
    }
    if (!county_code_ok(opt->county)) {
        buf_adds(err, "县级区划代码须为6位数字");
        return -2;
    }
    if (!division_county_known(opt->county)) {
        buf_addf(err, "未知的县级区划代码：%s", opt->county);
        return -2;
    }
    if (!ymd_valid(opt->as_of_ymd)) {
        buf_adds(err, "统计日期无效");
        return -2;
    }
    if (!(opt->errors >= 0 && opt->errors <= DEMO_MAX_ERRORS)) {
        buf_addf(err, "错误率倍数须在 0 到 %d 之间", DEMO_MAX_ERRORS);
        return -2;
    }
    if (mkdir_p(opt->out_dir, err) < 0)
        return -1;
    if (world_generate(&w, opt, err) < 0) {
        world_release(&w);
        return -1;
    }

    bool enrol_xlsx = (long)w.nenrols <= XLSX_MAX_DATA_ROWS;
    bool outside_xlsx = (long)w.noutside <= XLSX_MAX_DATA_ROWS;
    char *enrol_alt, *outside_alt;
    res->population_path = xstrfmt("%s/%s", opt->out_dir, population_name);
    res->enrollment_path =
        xstrfmt("%s/%s.%s", opt->out_dir, enrollment_stem, enrol_xlsx ? "xlsx" : "csv");
    res->outside_path =
        xstrfmt("%s/%s.%s", opt->out_dir, outside_stem, outside_xlsx ? "xlsx" : "csv");
    res->truth_path = xstrfmt("%s/ground_truth.csv", opt->out_dir);
    res->registry_path = xstrfmt("%s/%s", opt->out_dir, registry_name);
    /* a file of the other format left by an earlier run would be imported by mistake */
    enrol_alt = xstrfmt("%s/%s.%s", opt->out_dir, enrollment_stem, enrol_xlsx ? "csv" : "xlsx");
    outside_alt = xstrfmt("%s/%s.%s", opt->out_dir, outside_stem, outside_xlsx ? "csv" : "xlsx");
    unlink(enrol_alt);
    unlink(outside_alt);
    free(enrol_alt);
    free(outside_alt);
    groups_build(&w);
    for (int g = 0; g < DEMO_GROUP__COUNT; g++) {
        bool x = (long)w.sheets[g].nrows <= XLSX_MAX_DATA_ROWS && g != DEMO_GROUP_WELFARE;
        res->group_paths[g] =
            xstrfmt("%s/%s.%s", opt->out_dir, group_files[g].stem, x ? "xlsx" : "csv");
        res->group_rows[g] = (long)w.sheets[g].nrows;
        if (g != DEMO_GROUP_WELFARE) {
            char *alt = xstrfmt("%s/%s.%s", opt->out_dir, group_files[g].stem, x ? "csv" : "xlsx");
            unlink(alt);
            free(alt);
        }
    }

    const char *paths[5] = {res->population_path, res->enrollment_path, res->outside_path,
                            res->truth_path, NULL};
    bool xlsx[5] = {false, enrol_xlsx, outside_xlsx, false, false};
    for (int i = 0; i < 5; i++) {
        jobs[i].w = &w;
        jobs[i].which = i;
        jobs[i].path = paths[i];
        jobs[i].dir = opt->out_dir;
        jobs[i].xlsx = xlsx[i];
        jobs[i].groups = res->group_paths;
        buf_init(&jobs[i].err, 0);
        jobs[i].ret = 0;
    }
    /* the slowest file (the 学籍 export) starts first; this thread writes the truth */
    static const int order[] = {1, 2, 0, 4};
    for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
        int k = order[i];
        if (pthread_create(&th[k], NULL, run_job, &jobs[k]) == 0)
            started[k] = true;
        else
            run_job(&jobs[k]);
    }
    run_job(&jobs[3]);
    for (int i = 0; i < 5; i++)
        if (started[i])
            pthread_join(th[i], NULL);
    for (int i = 0; i < 5; i++) {
        if (jobs[i].ret < 0 && !ret) {
            buf_add(err, jobs[i].err.buf, jobs[i].err.len);
            ret = -1;
        }
        buf_release(&jobs[i].err);
    }

    if (ret == 0 && (res->registry_rows = write_registry(&w, res->registry_path, err)) < 0)
        ret = -1;
    res->population_rows = (long)w.npop;
    res->enrollment_rows = (long)w.nenrols;
    res->outside_rows = (long)w.noutside;
    res->truth_out_of_school = w.out_of_school;
    groups_release(&w);
    world_release(&w);
    if (ret < 0)
        demo_result_release(res);
    return ret;
}

int demo_generate(const struct demo_options *opt, struct demo_result *res, struct outcome *o)
{
    struct buf err = BUF_INIT;
    int ret = generate(opt, res, &err);
    if (ret < 0)
        failed(o, ret == -2 ? OUT_INVALID : OUT_ERROR, "%s",
               err.len ? err.buf : "演示数据生成失败");
    buf_release(&err);
    return ret < 0 ? -1 : 0;
}

void demo_result_release(struct demo_result *res)
{
    free(res->population_path);
    free(res->enrollment_path);
    free(res->outside_path);
    free(res->truth_path);
    free(res->registry_path);
    for (int g = 0; g < DEMO_GROUP__COUNT; g++)
        free(res->group_paths[g]);
    memset(res, 0, sizeof(*res));
}
