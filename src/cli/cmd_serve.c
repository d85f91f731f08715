#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "http/server.h"
#include "store/store.h"
#include "util/common.h"

static const char *const usage[] = {
    "baoxue serve [选项]",
    "",
    "启动网页和接口服务（默认 127.0.0.1:8080），直到收到 SIGTERM 或 Ctrl-C；",
    "停止时不再接受新连接，并等待正在处理的请求完成。",
    "账号：baoxue user add 用户名 --role admin|county|township|school|department|supervisor",
    NULL,
};

/* Without --web: the UI built by `make web`, in the current directory or in the source tree
 * this binary was built from, when there is one. */
static const char *default_web(void)
{
    static const char *const dirs[] = {"web/dist", BAOXUE_WEB_DIR};
    for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
        char index[4096];
        if ((size_t)snprintf(index, sizeof(index), "%s/index.html", dirs[i]) < sizeof(index) &&
            access(index, R_OK) == 0)
            return dirs[i];
    }
    return NULL;
}

int cmd_serve(int argc, char **argv)
{
    struct server_config cfg = SERVER_CONFIG_INIT;
    long threads = cfg.threads, max_body = (long)cfg.max_body, timeout = cfg.timeout,
         max_conn = cfg.max_connections, reserved = -1, per_address = cfg.per_address,
         header_timeout = cfg.header_timeout, min_body_rate = cfg.min_body_rate,
         max_upload = (long)cfg.max_upload, job_threads = cfg.job_threads,
         job_lease = cfg.job_lease;
    const struct opt opts[] = {
        OPT_STRING(0, "listen", &cfg.listen, "地址:端口",
                   "监听地址和端口，如 0.0.0.0:8080、[::1]:8080（端口 0：任选空闲端口）"),
        OPT_STRING(0, "web", &cfg.web, "目录",
                   "网页文件目录（默认为当前目录下或本程序源码中已构建的 web/dist）"),
        OPT_LONG(0, "threads", &threads, "N", "工作线程数（默认 4）", 1, 256),
        OPT_LONG(0, "max-body", &max_body, "字节", "请求内容上限（默认 1048576，超过返回 413）",
                 1024, 1L << 30),
        OPT_LONG(0, "timeout", &timeout, "秒", "连接空闲多少秒后关闭（默认 30）", 1, 3600),
        OPT_LONG(0, "max-connections", &max_conn, "N",
                 "同时连接数上限（默认 2048；超过的连接立即得到 503）", 1, 100000),
        OPT_LONG(0, "reserved-connections", &reserved, "N",
                 "其中留给已登录用户所在地址的连接数（默认为上限的八分之一）", 0, 100000),
        OPT_LONG(0, "per-address-limit", &per_address, "N",
                 "一个没有登录用户的地址最多同时占用的连接数（默认 64；0 不限，经反向代理时用）", 0,
                 100000),
        OPT_LONG(0, "header-timeout", &header_timeout, "秒",
                 "等待一个请求的请求头最多多少秒（默认 10；0 不限）", 0, 3600),
        OPT_LONG(0, "min-body-rate", &min_body_rate, "字节每秒",
                 "请求内容每秒至少到达的字节数（默认 1024；0 不限）", 0, 1L << 30),
        OPT_BOOL(0, "secure-cookie", &cfg.secure_cookie,
                 "会话 Cookie 加 Secure（经 HTTPS 反向代理访问时使用）"),
        OPT_STRING(0, "data-dir", &cfg.data_dir, "目录",
                   "上传文件的暂存目录（默认 SQLite 数据库所在目录，PostgreSQL 时为当前目录）"),
        OPT_LONG(0, "max-upload", &max_upload, "字节", "上传导入文件的大小上限（默认 2147483648）",
                 1024, 1L << 40),
        OPT_LONG(0, "job-threads", &job_threads, "N", "同时运行的后台任务数（导入、比对；默认 2）",
                 1, 16),
        OPT_LONG(0, "job-lease", &job_lease, "秒",
                 "多台服务器共用一个数据库时，一台服务器停止后其后台任务最多多少秒后由其他服务器"
                 "标记为失败（默认 30）",
                 2, 3600),
        OPT_STRING(0, "trusted-proxy", &cfg.trusted_proxy, "地址",
                   "反向代理（如 nginx）的地址：来自它的请求以 X-Forwarded-For 的最后一个地址为"
                   "客户端地址（登录锁定、审计日志）"),
        OPT_INCLUDE(cli_db_opts),
        OPT_INCLUDE(cli_db_read_opts),
        OPT_END(),
    };
    if ((argc = opt_parse(argc, argv, opts, usage, 0)) > 1)
        opt_die(opts, usage, "多余的参数“%s”", argv[1]);
    cfg.threads = (unsigned)threads;
    cfg.max_body = (size_t)max_body;
    cfg.timeout = (unsigned)timeout;
    cfg.max_connections = (unsigned)max_conn;
    cfg.per_address = (unsigned)per_address;
    cfg.header_timeout = (unsigned)header_timeout;
    cfg.min_body_rate = (unsigned)min_body_rate;
    cfg.max_upload = (size_t)max_upload;
    cfg.job_threads = (unsigned)job_threads;
    cfg.job_lease = (unsigned)job_lease;
    bool reserved_given = reserved >= 0;
    cfg.reserved_connections = reserved_given ? (unsigned)reserved : 0;
    if (!reserved_given)
        cfg.reserved_connections = cfg.max_connections / 8;
    if (cfg.reserved_connections >= cfg.max_connections)
        die_usage("留给已登录用户的连接数（%u）应小于同时连接数上限（%u）",
                  cfg.reserved_connections, cfg.max_connections);
    cfg.db = cli_db_path(cli_db);
    cfg.db_read = cli_db_read && *cli_db_read ? cli_db_read : NULL;
    cfg.read_max_lag = (double)cli_db_read_max_lag;
    if (!cfg.web)
        cfg.web = default_web();
    char *dir = NULL;
    if (!cfg.data_dir) {
        /* beside the SQLite file; for PostgreSQL the current directory */
        const char *slash = store_dsn_is_pg(cfg.db) ? NULL : strrchr(cfg.db, '/');
        dir = slash ? xstrndup(cfg.db, (size_t)(slash - cfg.db + (slash == cfg.db))) : xstrdup(".");
        cfg.data_dir = dir;
    }
    /* the uploads go under it: a directory that is not there would fail every upload later */
    struct stat st;
    if (stat(cfg.data_dir, &st) < 0 || !S_ISDIR(st.st_mode) ||
        access(cfg.data_dir, W_OK | X_OK) < 0) {
        /* not freed: the message names it (dir when it is the default), and the process ends */
        die_usage(
            "数据目录“%s”不存在或不可写：上传的文件放在它下面，请先创建它或另选一个（--data-dir）",
            cfg.data_dir);
    }
    struct buf err = BUF_INIT;
    int rc = server_run(&cfg, &err);
    if (rc < 0)
        error("%s", err.buf);
    buf_release(&err);
    free(dir);
    return rc < 0 ? EXIT_INPUT : EXIT_OK;
}
