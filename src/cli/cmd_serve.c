#include <unistd.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "http/server.h"
#include "store/store.h"
#include "util/common.h"

static const char usage[] =
    "baoxue serve [--db 路径] [--listen 地址:端口] [--web 目录] [--threads N]\n"
    "             [--max-body 字节] [--timeout 秒] [--max-connections N] [--reserved-connections "
    "N]\n"
    "             [--per-address-limit N] [--header-timeout 秒] [--min-body-rate 字节每秒]\n"
    "             [--secure-cookie]\n"
    "             [--data-dir 目录] [--max-upload 字节] [--job-threads N]";

static void help(void)
{
    printf(
        "用法：%s\n\n"
        "启动网页和接口服务（默认 127.0.0.1:8080），直到收到 SIGTERM 或 Ctrl-C；\n"
        "停止时不再接受新连接，并等待正在处理的请求完成。\n\n"
        "  --listen           监听地址和端口，如 0.0.0.0:8080、[::1]:8080（端口 0：任选空闲端口）\n"
        "  --web              网页文件目录（静态文件；默认为当前目录下或本程序源码中\n"
        "                     已构建的 web/dist，即 make web 的结果）\n"
        "  --threads          工作线程数（默认 4）\n"
        "  --max-body         请求内容上限，字节（默认 1048576，超过返回 413）\n"
        "  --timeout          连接空闲多少秒后关闭（默认 30）\n"
        "  --max-connections  同时连接数上限（默认 2048；超过的连接立即得到 503）\n"
        "  --reserved-connections\n"
        "                     "
        "其中留给已登录用户所在地址的连接数（默认为上限的八分之一）：未登录的地址\n"
        "                     合计最多占用其余的连接\n"
        "  --per-address-limit\n"
        "                     一个没有登录用户的地址最多同时占用的连接数（默认 64；有登录\n"
        "                     用户的地址为其 4 倍；0 不限，经反向代理访问时使用）\n"
        "  --header-timeout   等待一个请求的请求头最多多少秒，无论是否陆续有字节到达\n"
        "                     （默认 10；0 不限）\n"
        "  --min-body-rate    请求内容每秒至少到达的字节数，按每个请求头时限的时段计算\n"
        "                     （默认 1024；0 不限）\n"
        "  --secure-cookie    会话 Cookie 加 Secure（经 HTTPS 反向代理访问时使用）\n"
        "  --data-dir         上传文件的暂存目录（其下 uploads/；默认 SQLite 数据库所在目录，\n"
        "                     PostgreSQL 时为当前目录）\n"
        "  --max-upload       上传导入文件的大小上限，字节（默认 2147483648）\n"
        "  --job-threads      同时运行的后台任务数（导入、比对；默认 2）\n\n"
        "账号：baoxue user add 用户名 --role admin|county|township|school|department|supervisor\n",
        usage);
}

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
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'l'},
        {"web", required_argument, NULL, 'w'},
        {"threads", required_argument, NULL, 'T'},
        {"max-body", required_argument, NULL, 'B'},
        {"timeout", required_argument, NULL, 'O'},
        {"max-connections", required_argument, NULL, 'C'},
        {"reserved-connections", required_argument, NULL, 'R'},
        {"per-address-limit", required_argument, NULL, 'P'},
        {"header-timeout", required_argument, NULL, 'H'},
        {"min-body-rate", required_argument, NULL, 'M'},
        {"secure-cookie", no_argument, NULL, 'S'},
        {"data-dir", required_argument, NULL, 'D'},
        {"max-upload", required_argument, NULL, 'U'},
        {"job-threads", required_argument, NULL, 'J'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct server_config cfg = SERVER_CONFIG_INIT;
    const char *db = NULL;
    bool reserved_given = false;
    int c;
    cli_getopt_reset();
    while ((c = cli_getopt(argc, argv, "", opts, usage)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'l':
            cfg.listen = optarg;
            break;
        case 'w':
            cfg.web = optarg;
            break;
        case 'T':
            cfg.threads = (unsigned)cli_parse_long("--threads", optarg, 1, 256);
            break;
        case 'B':
            cfg.max_body = (size_t)cli_parse_long("--max-body", optarg, 1024, 1L << 30);
            break;
        case 'O':
            cfg.timeout = (unsigned)cli_parse_long("--timeout", optarg, 1, 3600);
            break;
        case 'C':
            cfg.max_connections = (unsigned)cli_parse_long("--max-connections", optarg, 1, 100000);
            break;
        case 'R':
            reserved_given = true;
            cfg.reserved_connections =
                (unsigned)cli_parse_long("--reserved-connections", optarg, 0, 100000);
            break;
        case 'P':
            cfg.per_address = (unsigned)cli_parse_long("--per-address-limit", optarg, 0, 100000);
            break;
        case 'H':
            cfg.header_timeout = (unsigned)cli_parse_long("--header-timeout", optarg, 0, 3600);
            break;
        case 'M':
            cfg.min_body_rate = (unsigned)cli_parse_long("--min-body-rate", optarg, 0, 1L << 30);
            break;
        case 'S':
            cfg.secure_cookie = true;
            break;
        case 'D':
            cfg.data_dir = optarg;
            break;
        case 'U':
            cfg.max_upload = (size_t)cli_parse_long("--max-upload", optarg, 1024, 1L << 40);
            break;
        case 'J':
            cfg.job_threads = (unsigned)cli_parse_long("--job-threads", optarg, 1, 16);
            break;
        case 'h':
            help();
            return EXIT_OK;
        default:
            return EXIT_INPUT;
        }
    }
    if (optind < argc)
        die_usage("多余的参数“%s”；用法：%s", argv[optind], usage);
    if (!reserved_given)
        cfg.reserved_connections = cfg.max_connections / 8;
    if (cfg.reserved_connections >= cfg.max_connections)
        die_usage("留给已登录用户的连接数（%u）应小于同时连接数上限（%u）",
                  cfg.reserved_connections, cfg.max_connections);
    cfg.db = cli_db_path(db);
    if (!cfg.web)
        cfg.web = default_web();
    char *dir = NULL;
    if (!cfg.data_dir) {
        /* beside the SQLite file; for PostgreSQL the current directory */
        const char *slash = store_dsn_is_pg(cfg.db) ? NULL : strrchr(cfg.db, '/');
        dir = slash ? xstrndup(cfg.db, (size_t)(slash - cfg.db + (slash == cfg.db))) : xstrdup(".");
        cfg.data_dir = dir;
    }
    struct buf err = BUF_INIT;
    int rc = server_run(&cfg, &err);
    if (rc < 0)
        error("%s", err.buf);
    buf_release(&err);
    free(dir);
    return rc < 0 ? EXIT_INPUT : EXIT_OK;
}
