#include "cli/cli.h"
#include "cli/common.h"
#include "core/division.h"
#include "store/migrate.h"
#include "store/store.h"
#include "util/common.h"

static const char *const usage[] = {
    "baoxue init [选项]",
    "",
    "创建（或升级）数据库；--county 设置本县，用于识别乡镇。",
    NULL,
};

int cmd_init(int argc, char **argv)
{
    const char *county = NULL;
    const struct opt opts[] = {
        OPT_STRING(0, "county", &county, "区划代码", "本县的县级区划代码（6 位数字，例如 140521）"),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    if ((argc = opt_parse(argc, argv, opts, usage, 0)) > 1)
        opt_die(opts, usage, "多余的参数“%s”", argv[1]);
    char fullname[256] = "";
    if (county) {
        enum division_county_fit fit = division_county_fit(county, fullname, sizeof(fullname));
        if (fit == DIVISION_COUNTY_UNKNOWN)
            die_usage("--county 的值“%s”不是已知的县级区划代码（6 位数字，例如沁水县 140521）",
                      county);
        if (fit == DIVISION_COUNTY_NO_TOWNS)
            die_usage("区划代码 %s（%s）下没有乡镇数据，不能作为本县", county, fullname);
    }
    const char *path = cli_db_path(cli_db);
    struct store *s = NULL;
    struct buf err = BUF_INIT;
    if (store_open(&s, path, STORE_OPEN_CREATE, &err) < 0) {
        error("%s", err.buf);
        buf_release(&err);
        return EXIT_RUNTIME;
    }
    buf_release(&err);
    int rc = EXIT_OK;
    struct buf cur = BUF_INIT;
    if (county) {
        if (store_get_setting(s, "county", &cur) == 1 && strcmp(cur.buf, county)) {
            int64_t batches = 0;
            store_int(s, "SELECT count(*) FROM batch", 0, NULL, &batches);
            if (batches) {
                error("数据库“%s”已属于 %s，且已有导入数据，不能改为 %s", store_name(s), cur.buf,
                      county);
                rc = EXIT_INPUT;
                goto out;
            }
        }
        if (store_set_setting(s, "county", county) < 0) {
            error("%s", store_errmsg(s));
            rc = EXIT_RUNTIME;
            goto out;
        }
    }
    printf("数据库已就绪：%s（结构版本 %d）\n", store_name(s), schema_version_latest());
    buf_reset(&cur);
    if (store_get_setting(s, "county", &cur) == 1) {
        size_t nt;
        division_townships(cur.buf, &nt);
        division_county_fullname(cur.buf, fullname, sizeof(fullname));
        printf("本县：%s %s，共 %zu 个乡镇（街道）\n", cur.buf, fullname, nt);
    } else {
        printf("尚未设置本县：可用 --county 设置，或在首次导入户籍时根据身份证号自动推断\n");
    }
    printf("下一步：baoxue import --kind population 户籍文件.xlsx\n");
out:
    buf_release(&cur);
    store_close(s);
    return rc;
}
