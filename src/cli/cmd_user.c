/* baoxue user: the server's accounts. Reading: list; every change is an action row
 * (verb/rows_admin.c). */
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/opt.h"
#include "cli/sub.h"
#include "domain/department.h"
#include "domain/scope.h"
#include "domain/user.h"
#include "store/store.h"
#include "util/common.h"

/* The departments and what each may upload, for the usage. */
static void departments_text(struct buf *b)
{
    buf_adds(b, "部门：");
    for (unsigned i = 0; i < departments_count; i++) {
        struct buf kinds = BUF_INIT;
        department_kinds_text(&departments[i], &kinds);
        buf_addf(b, "%s%s（%s，可上传：%s）", i ? "、" : "", departments[i].name,
                 departments[i].key, kinds.buf);
        buf_release(&kinds);
    }
}

static int print_user(void *ctx, const struct user *u)
{
    const struct department *d = department_find(u->department);
    /* the account, its role in words, whether it may sign in, and where it works */
    printf("%-20s %s，%s", u->name, role_label(u->role), u->disabled ? "已停用" : "正常");
    if (u->township[0])
        printf("，乡镇代码 %s", u->township);
    else if (u->school[0])
        printf("，学校标识码 %s", u->school);
    else if (d)
        printf("，%s", d->title);
    else if (u->department[0])
        printf("，部门：%s", u->department);
    else if (u->area[0])
        printf("，地区代码 %s", u->area);
    printf("%s\n", u->role == ROLE_DEPARTMENT && !d ? "（未指定部门，不能上传名单）" : "");
    if (u->villages[0])
        printf("%-20s 村（社区）：%s\n", "", u->villages);
    if (u->person_id)
        printf("%-20s 本人：%s（%s，人员名册编号 %lld）\n", "", u->person_name, u->person_org,
               (long long)u->person_id);
    return 0;
}

static int user_list_cmd(int argc, char **argv)
{
    static const char *const usage[] = {"baoxue user list [选项]", "列出全部账号", NULL};
    const struct opt opts[] = {OPT_INCLUDE(cli_db_opts), OPT_END()};
    if (opt_parse(argc, argv, opts, usage, 0) > 1)
        opt_die(opts, usage, "多余的参数“%s”", argv[1]);
    int code;
    struct store *s = cli_open_store(cli_db, &code);
    if (!s)
        return code;
    code = EXIT_OK;
    if (user_each(s, print_user, NULL) < 0) {
        error("%s", store_errmsg(s));
        code = EXIT_RUNTIME;
    }
    store_close(s);
    return code;
}

static const struct cli_sub reads[] = {
    {"list", user_list_cmd, "列出全部账号"},
    {NULL, NULL, NULL},
};

int cmd_user(int argc, char **argv)
{
    struct buf about = BUF_INIT;
    buf_addf(
        &about,
        "角色：admin（系统管理员，全部权限）、county（县教育局）、township（一个乡镇，"
        "需乡镇代码）、\n"
        "      village（村（社区），需乡镇代码和户籍名单中该乡镇的村（社区）名称）、\n"
        "      school（一所学校，需最新学籍名单中的学校标识码）、department（部门，需部门）、\n"
        "      supervisor（督导：全县只读，不显示完整身份证号）\n");
    departments_text(&about);
    buf_addf(&about,
             "\n密码至少 %d 个字符；不能是同一字符的重复、连续字符、用户名或最常见的密码。\n"
             "停用账号立即结束其所有会话；重设密码、改变部门也会结束其会话。\n"
             "账号可关联人员名册中的本人（新建时 --person，或 person "
             "子命令）：时间线、待办和审计日志显示其姓名。",
             PASSWORD_MIN);
    int rc = cli_dispatch("user", reads, about.buf, argc, argv);
    buf_release(&about);
    return rc;
}
