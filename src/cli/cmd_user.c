#include <sodium.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "domain/department.h"
#include "domain/session.h"
#include "domain/user.h"
#include "store/store.h"
#include "util/common.h"

static const char usage[] =
    "baoxue user [--db 路径] add 用户名 --role 角色 [--township 代码] [--school 代码]\n"
    "                        [--department 名称] [--password-stdin]\n"
    "       baoxue user [--db 路径] list | disable 用户名 | enable 用户名 |\n"
    "                   reset-password 用户名 [--password-stdin] | department 用户名 部门";

static void help(void)
{
    printf("用法：%s\n\n"
           "角色：admin（系统管理员，全部权限）、county（县教育局）、township（一个乡镇，需 "
           "--township）、\n"
           "      school（一所学校，需 --school）、department（部门，需 --department）、\n"
           "      supervisor（督导：全县只读，不显示完整身份证号）\n"
           "部门：",
           usage);
    for (unsigned i = 0; i < departments_count; i++) {
        struct buf kinds = BUF_INIT;
        department_kinds_text(&departments[i], &kinds);
        printf("%s%s（%s，可上传：%s）", i ? "、" : "", departments[i].name, departments[i].key,
               kinds.buf);
        buf_release(&kinds);
    }
    printf("\n"
           "      department 用户名 部门：为部门账号指定部门（早先以自由文字登记、不在部门列表中的"
           "账号\n      在指定之前不能上传任何名单）\n"
           "密码：--password-stdin 从标准输入读一行；不加时生成一个随机密码并显示一次。\n"
           "      至少 %d 个字符；不能是同一字符的重复、连续字符、用户名或最常见的密码。\n"
           "停用账号立即结束其所有会话；重设密码、改变部门也会结束其会话。\n",
           PASSWORD_MIN);
}

/* The password: one line from stdin, or a fresh random one printed once. */
static char *read_password(bool from_stdin, bool *generated)
{
    *generated = !from_stdin;
    if (!from_stdin) {
        char tok[TOKEN_HEX + 1];
        token_new(tok);
        return xstrndup(tok, 16);
    }
    struct buf b = BUF_INIT;
    int ch;
    while ((ch = getchar()) != EOF && ch != '\n')
        buf_addch(&b, ch);
    if (b.len && b.buf[b.len - 1] == '\r')
        buf_setlen(&b, b.len - 1);
    return buf_detach(&b, NULL);
}

static int print_user(void *ctx, const struct user *u)
{
    const struct department *d = department_find(u->department);
    printf("%-20s %-10s %-8s %s%s\n", u->name, role_key(u->role), u->disabled ? "已停用" : "正常",
           u->township[0] ? u->township
           : u->school[0] ? u->school
           : d            ? d->title
                          : u->department,
           u->role == ROLE_DEPARTMENT && !d ? "（未指定部门，不能上传名单）" : "");
    return 0;
}

int cmd_user(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"role", required_argument, NULL, 'r'},
        {"township", required_argument, NULL, 't'},
        {"school", required_argument, NULL, 's'},
        {"department", required_argument, NULL, 'D'},
        {"password-stdin", no_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *role = NULL;
    struct user u = {0};
    bool pw_stdin = false;
    int c;
    cli_getopt_reset();
    while ((c = cli_getopt(argc, argv, "", opts, usage)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'r':
            role = optarg;
            break;
        case 't':
            snprintf(u.township, sizeof(u.township), "%s", optarg);
            break;
        case 's':
            snprintf(u.school, sizeof(u.school), "%s", optarg);
            break;
        case 'D':
            snprintf(u.department, sizeof(u.department), "%s", optarg);
            break;
        case 'P':
            pw_stdin = true;
            break;
        case 'h':
            help();
            return EXIT_OK;
        default:
            return EXIT_INPUT;
        }
    }
    if (optind >= argc)
        die_usage("缺少子命令（add、list、disable、enable、reset-password、department）；用法：%s",
                  usage);
    const char *what = argv[optind];
    const char *name = optind + 1 < argc ? argv[optind + 1] : NULL;
    bool is_list = !strcmp(what, "list"), is_dept = !strcmp(what, "department");
    if (!is_list && strcmp(what, "add") && strcmp(what, "disable") && strcmp(what, "enable") &&
        strcmp(what, "reset-password") && !is_dept)
        die_usage("未知子命令“%s”；用法：%s", what, usage);
    if (!is_list && !name)
        die_usage("缺少用户名；用法：%s", usage);
    if (is_dept && optind + 2 >= argc)
        die_usage("缺少部门（如 公安）；用法：%s", usage);
    int nargs = is_list ? 1 : is_dept ? 3 : 2;
    if (optind + nargs < argc)
        die_usage("多余的参数“%s”；用法：%s", argv[optind + nargs], usage);
    if (strlen(name ? name : "") >= sizeof(u.name))
        die_usage("用户名太长（至多 64 字节）");
    if (!strcmp(what, "add")) {
        if (!role)
            die_usage("缺少 --role（admin、county、township、school、department、supervisor）");
        int r = role_parse(role);
        if (r < 0)
            die_usage("--role 的值“%s”无效，应为 admin、county、township、school、department 或 "
                      "supervisor",
                      role);
        u.role = (enum role)r;
        snprintf(u.name, sizeof(u.name), "%s", name);
    } else if (role || u.township[0] || u.school[0] || u.department[0]) {
        die_usage("--role、--township、--school、--department 只用于 user add");
    }

    int exit_code;
    struct store *s = cli_open_store(db, &exit_code);
    if (!s)
        return exit_code;
    struct outcome o = OUTCOME_INIT;
    int rc = 0;
    exit_code = EXIT_OK;
    if (is_list) {
        rc = user_each(s, print_user, NULL);
        if (rc < 0)
            fail_store(s, &o);
    } else if (!strcmp(what, "add") || !strcmp(what, "reset-password")) {
        bool generated;
        char *pw = read_password(pw_stdin, &generated);
        rc = !strcmp(what, "add") ? user_add(s, &u, pw, cli_actor(), "cli", &o)
                                  : user_set_password(s, name, pw, cli_actor(), "cli", &o);
        if (rc == 0) {
            printf("%s用户 %s", !strcmp(what, "add") ? "已创建" : "已重设密码：", name);
            if (generated)
                printf("，初始密码：%s（只显示这一次，请转交本人并要求修改）", pw);
            printf("\n");
        }
        sodium_memzero(pw, strlen(pw));
        free(pw);
    } else if (is_dept) {
        rc = user_set_department(s, name, argv[optind + 2], cli_actor(), "cli", &o);
        if (rc == 0) {
            const struct department *d = department_parse(argv[optind + 2]);
            struct buf kinds = BUF_INIT;
            department_kinds_text(d, &kinds);
            printf("用户 %s 的部门已设为 %s（可上传：%s），其会话已结束\n", name, d->title,
                   kinds.buf);
            buf_release(&kinds);
        }
    } else {
        bool disable = !strcmp(what, "disable");
        rc = user_set_disabled(s, name, disable, cli_actor(), "cli", &o);
        if (rc == 0)
            printf("已%s用户 %s%s\n", disable ? "停用" : "启用", name,
                   disable ? "，其所有会话已结束" : "");
    }
    if (rc < 0)
        exit_code = cli_failed(&o);
    store_close(s);
    return exit_code;
}
