/* baoxue backup, baoxue restore: a copy of the database and putting one back (store/backup.h).
 * SQLite copies here; PostgreSQL is told how pg_dump / pg_basebackup / pg_restore do it. */
#include "cli/cli.h"
#include "cli/common.h"
#include "store/audit.h"
#include "store/backup.h"
#include "store/store.h"
#include "util/common.h"

#include <time.h>

static void print_size(int64_t bytes)
{
    if (bytes >= 1 << 20)
        printf("%.1f MB", (double)bytes / (1 << 20));
    else
        printf("%.1f KB", (double)bytes / 1024);
}

static void print_counts(const struct backup_counts *c)
{
    printf("  大小：");
    print_size(c->bytes);
    printf(
        "\n  内容：户籍名单儿童 %lld 名，导入批次 %lld 个，比对 %lld 次（数据库结构版本 %lld）\n",
        (long long)c->children, (long long)c->batches, (long long)c->runs, (long long)c->version);
}

static void print_now(void)
{
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
    printf("  完成时间：%s\n", stamp);
}

/* An audit row in the database at path (after the work is done: a failure here is reported,
 * the copy stands). */
static int audit_action(const char *path, const char *action, const char *detail)
{
    int code;
    struct store *s = cli_open_store(path, &code);
    if (!s)
        return code;
    int rc = audit_record(s, cli_actor(), "cli", action, NULL, detail);
    if (rc < 0)
        error("操作已完成，但无法记入审计日志：%s", store_errmsg(s));
    store_close(s);
    return rc < 0 ? EXIT_RUNTIME : EXIT_OK;
}

/* PostgreSQL: the commands, and what the role may do. 0 when something is possible. */
static int pg_guidance(const char *dsn, const char *file, bool restore)
{
    struct store *s = NULL;
    struct buf err = BUF_INIT;
    /* as it is: a role that may only read (what a backup needs) may not migrate */
    if (store_open(&s, dsn, STORE_OPEN_AS_IS, &err) < 0) {
        error("%s", err.buf);
        buf_release(&err);
        return EXIT_RUNTIME;
    }
    buf_release(&err);
    struct pg_rights r;
    struct outcome o = OUTCOME_INIT;
    if (backup_pg_rights(s, &r, &o) < 0) {
        store_close(s);
        return cli_failed(&o);
    }
    store_close(s);
    struct buf masked = BUF_INIT, cmd = BUF_INIT;
    store_dsn_mask(dsn, &masked);
    const char *dump = file ? file : "baoxue.dump";
    const char *schema = strcmp(r.schema, "public") ? r.schema : NULL;
    if (restore) {
        printf("PostgreSQL 数据库不由 baoxue 恢复，请用 PostgreSQL 自己的工具：\n\n"
               "由 pg_dump 生成的备份（逻辑备份），恢复到这个数据库（会先删除同名的表）：\n  ");
        backup_pg_restore_command(masked.buf, dump, &cmd);
        printf("%s\n\n", cmd.buf);
        printf("由 psql 可读的纯文本备份（pg_dump --format=plain）：\n  psql --single-transaction "
               "--file=");
        buf_reset(&cmd);
        backup_shell_quote(dump, &cmd);
        printf("%s --dbname=", cmd.buf);
        buf_reset(&cmd);
        backup_shell_quote(masked.buf, &cmd);
        printf("%s\n\n", cmd.buf);
        printf("由 pg_basebackup 生成的物理备份：停止 PostgreSQL，用备份目录替换数据目录后再启动"
               "（按时间点恢复需配置 restore_command 和 recovery_target_time）。\n"
               "恢复前请停止 baoxue serve，恢复后运行 baoxue init --db … 检查数据库结构。\n"
               "命令中的密码已隐去（***）：请改为真实密码，或用 PGPASSWORD 环境变量、~/.pgpass "
               "文件提供。\n");
        buf_release(&masked);
        buf_release(&cmd);
        error("PostgreSQL 数据库不能用 baoxue restore 恢复，请按上面的说明操作");
        return EXIT_INPUT;
    }
    bool can_dump = r.unreadable == 0, can_base = r.superuser || r.replication;
    printf("PostgreSQL 数据库不由 baoxue 复制，请用 PostgreSQL 自己的工具。\n"
           "数据库 %s，模式 %s，角色 %s。\n\n",
           r.database, r.schema, r.role);
    printf("一、逻辑备份（pg_dump，只含这个数据库的 baoxue 数据，可恢复到任何 PostgreSQL）：\n  ");
    backup_pg_dump_command(masked.buf, schema, dump, &cmd);
    printf("%s\n", cmd.buf);
    if (can_dump)
        printf("  可以：角色 %s 能读取全部 %lld 张表。\n\n", r.role, (long long)r.tables);
    else
        printf("  不可以：角色 %s 不能读取 %lld 张表或序列（例如 %s）；"
               "请用能读取全部表的角色，或授予 SELECT 权限。\n\n",
               r.role, (long long)r.unreadable, r.first_bad);
    printf("二、物理备份（pg_basebackup，整个 PostgreSQL 实例连同预写日志，用于建立备库或按时间点"
           "恢复）：\n  ");
    buf_reset(&cmd);
    backup_pg_basebackup_command(masked.buf, "baoxue-base", &cmd);
    printf("%s\n", cmd.buf);
    if (can_base)
        printf("  可以：角色 %s %s。\n", r.role,
               r.superuser ? "是超级用户" : "有 REPLICATION（复制）权限");
    else
        printf("  不可以：角色 %s 既不是超级用户，也没有 REPLICATION（复制）权限；请用有复制权限的"
               "角色（ALTER ROLE … REPLICATION），并在 pg_hba.conf 中允许复制连接。\n",
               r.role);
    printf("\n命令中的密码已隐去（***）：请改为真实密码，或用 PGPASSWORD 环境变量、~/.pgpass "
           "文件提供。\n");
    buf_release(&masked);
    buf_release(&cmd);
    if (!can_dump && !can_base) {
        error("这个连接的角色 %s 既不能做逻辑备份也不能做物理备份", r.role);
        return EXIT_RUNTIME;
    }
    return EXIT_OK;
}

static const char *const backup_usage[] = {
    "baoxue backup 文件 [选项]",
    "",
    "把数据库复制到一个文件（SQLite）：服务运行时也可以，写入不会被长时间挡住；",
    "文件要么完整出现，要么不出现；复制后做完整性检查，并记入审计日志。",
    "PostgreSQL 数据库：说明用 pg_dump 和 pg_basebackup 备份的命令，并检查这个连接的权限。",
    NULL,
};

int cmd_backup(int argc, char **argv)
{
    bool force = false;
    const struct opt opts[] = {
        OPT_BOOL('f', "force", &force, "文件已存在时覆盖它"),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    argc = opt_parse(argc, argv, opts, backup_usage, 0);
    const char *path = cli_db_path(cli_db);
    if (argc > 2)
        opt_die(opts, backup_usage, "多余的参数“%s”", argv[2]);
    if (store_dsn_is_pg(path))
        return pg_guidance(path, argc == 2 ? argv[1] : NULL, false);
    if (argc < 2)
        opt_die(opts, backup_usage, "缺少备份文件名");
    struct backup_result res;
    struct outcome o = OUTCOME_INIT;
    if (backup_sqlite(path, argv[1], force ? BACKUP_OVERWRITE : 0, &res, &o) < 0)
        return cli_failed(&o);
    printf("备份完成：%s\n", argv[1]);
    print_counts(&res.counts);
    printf("  用时：复制 %.1f 秒，完整性检查 %.1f 秒（结果：正常）\n", res.copy_seconds,
           res.check_seconds);
    print_now();
    printf("恢复时运行：baoxue restore %s --db %s\n", argv[1], path);
    char detail[256];
    snprintf(
        detail, sizeof(detail), "备份数据库到文件（儿童 %lld 名，导入批次 %lld 个，比对 %lld 次）",
        (long long)res.counts.children, (long long)res.counts.batches, (long long)res.counts.runs);
    return audit_action(path, "backup", detail);
}

static const char *const restore_usage[] = {
    "baoxue restore 文件 [选项]",
    "",
    "用备份文件替换数据库（SQLite）。先检查文件：是 baoxue 的数据库、结构版本不比本程序新",
    "（较旧的会升级）、完整性正常；任何一项不通过都不改变数据库。服务运行时也可以恢复：",
    "服务看到的要么是原来的数据，要么是恢复后的数据；恢复后登录会话以备份中的为准。",
    "被替换的数据库保存在它旁边（文件名带“恢复前”和时间），除非加 --no-keep。",
    NULL,
};

int cmd_restore(int argc, char **argv)
{
    bool no_keep = false;
    const struct opt opts[] = {
        OPT_BOOL(0, "no-keep", &no_keep, "不保留被替换的数据库的副本"),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    argc = opt_parse(argc, argv, opts, restore_usage, 0);
    const char *path = cli_db_path(cli_db);
    if (argc > 2)
        opt_die(opts, restore_usage, "多余的参数“%s”", argv[2]);
    if (store_dsn_is_pg(path))
        return pg_guidance(path, argc == 2 ? argv[1] : NULL, true);
    if (argc < 2)
        opt_die(opts, restore_usage, "缺少备份文件名");
    struct restore_result res;
    struct outcome o = OUTCOME_INIT;
    if (restore_sqlite(path, argv[1], no_keep ? RESTORE_NO_KEEP : 0, &res, &o) < 0)
        return cli_failed(&o);
    printf("恢复完成：数据库 %s 现在是备份 %s 的内容\n", path, argv[1]);
    print_counts(&res.counts);
    if (res.from_version < res.counts.version)
        printf("  备份的数据库结构版本 %lld 已升级到 %lld\n", (long long)res.from_version,
               (long long)res.counts.version);
    if (res.kept[0])
        printf("  原来的数据库保存为：%s\n", res.kept);
    else
        printf("  原来的数据库没有保留副本\n");
    printf("  用时 %.1f 秒\n", res.seconds);
    print_now();
    char detail[256];
    snprintf(detail, sizeof(detail), "从备份文件恢复数据库（儿童 %lld 名，导入批次 %lld 个）%s",
             (long long)res.counts.children, (long long)res.counts.batches,
             res.kept[0] ? "，原数据库已保留副本" : "，未保留原数据库");
    return audit_action(path, "restore", detail);
}
