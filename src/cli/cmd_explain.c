#include "cli/cli.h"
#include "cli/common.h"
#include "domain/explain.h"
#include "store/store.h"
#include "util/common.h"

static const char *const usage[] = {
    "baoxue explain [选项] 身份证号",
    "",
    "列出比对时与这名儿童比较过的每一条学籍、外出就读记录，每一项（身份证号、姓名、出生日期、",
    "性别）的比较结果和得分，以及最后的决定；再列出关联到这名儿童的重点群体名单记录（哪份名单、",
    "类别、怎样关联的）。查看记入审计日志。",
    NULL,
};

int cmd_explain(int argc, char **argv)
{
    long run = 0;
    bool full = false;
    const struct opt opts[] = {
        OPT_LONG(0, "run", &run, "编号", "使用这一次比对的结果（默认最新一次）", 1, 1L << 40),
        OPT_BOOL(0, "full", &full, "显示出生日期等完整信息（默认按遮盖视图，只显示年龄）"),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    argc = opt_parse(argc, argv, opts, usage, 0);
    if (argc < 2)
        opt_die(opts, usage, "缺少身份证号");
    if (argc > 2)
        opt_die(opts, usage, "多余的参数“%s”", argv[2]);
    int exit_code;
    struct store *s = cli_open_store(cli_db, &exit_code);
    if (!s)
        return exit_code;
    struct buf out = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    exit_code = EXIT_OK;
    if (explain_child(s, argv[1], run, full, cli_actor(), &out, &o) == 0)
        fputs(out.buf, stdout);
    else
        exit_code = cli_failed(&o);
    buf_release(&out);
    outcome_release(&o);
    store_close(s);
    return exit_code;
}
