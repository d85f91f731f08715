/* Commands with subcommands: reading ones from the command's table, changing ones from the
 * action rows (cli/sub.h). */
#include "cli/sub.h"

#include "cli/verbs.h"
#include "util/common.h"
#include "util/utf8.h"
#include "verb/verb.h"

static const struct cli_sub *find_read(const struct cli_sub *reads, const char *name)
{
    for (const struct cli_sub *r = reads; r && r->name; r++)
        if (!strcmp(r->name, name))
            return r;
    return NULL;
}

static void row(struct buf *b, const char *name, const char *summary)
{
    size_t w = utf8_width(name, strlen(name));
    buf_addf(b, "  %s", name);
    buf_addchars(b, ' ', w < 16 ? 16 - w : 1);
    buf_addf(b, "%s\n", summary);
}

void cli_dispatch_usage(const char *command, const struct cli_sub *reads, const char *about,
                        FILE *out)
{
    struct buf b = BUF_INIT;
    buf_addf(&b, "用法：baoxue %s <子命令> [参数和选项]\n\n子命令：\n", command);
    for (const struct cli_sub *r = reads; r && r->name; r++)
        row(&b, r->name, r->summary);
    size_t n = strlen(command);
    for (size_t i = 0; verbs[i]; i++)
        if (!strncmp(verbs[i]->name, command, n) && verbs[i]->name[n] == '.')
            row(&b, verbs[i]->name + n + 1, verbs[i]->summary);
    if (about)
        buf_addf(&b, "\n%s\n", about);
    buf_addf(&b, "\n每个子命令的参数和选项：baoxue %s <子命令> --help\n", command);
    fputs(b.buf, out);
    buf_release(&b);
}

/* Run `verb` or `read` named by argv[at]: the options given before it (argv[1..at)) follow it. */
static int run_at(const struct cli_sub *read, const struct verb *verb, int at, int argc,
                  char **argv)
{
    char **args = xcalloc((size_t)argc + 1, sizeof(*args));
    int n = 0;
    args[n++] = argv[at];
    for (int i = 1; i < at; i++)
        args[n++] = argv[i];
    for (int i = at + 1; i < argc; i++)
        args[n++] = argv[i];
    args[n] = NULL;
    int rc = read ? read->run(n, args) : cli_verb(verb, n, args);
    free(args);
    return rc;
}

/* The first argument that is not an option nor, as far as can be told, an option's value. */
static int first_word(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (argv[i][0] != '-' && (i == 1 || argv[i - 1][0] != '-' || strchr(argv[i - 1], '=')))
            return i;
    return 0;
}

int cli_verb_sub(const char *command, int argc, char **argv)
{
    int at = first_word(argc, argv);
    const struct verb *verb = at ? verb_find_sub(command, argv[at]) : NULL;
    return verb ? run_at(NULL, verb, at, argc, argv) : -1;
}

int cli_dispatch(const char *command, const struct cli_sub *reads, const char *about, int argc,
                 char **argv)
{
    /* the subcommand: the first argument naming one; what comes before it goes after it */
    int at = 0;
    const struct cli_sub *read = NULL;
    const struct verb *verb = NULL;
    for (int i = 1; i < argc && !at; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            cli_dispatch_usage(command, reads, about, stdout);
            return EXIT_OK;
        }
        if (argv[i][0] == '-')
            continue;
        read = find_read(reads, argv[i]);
        verb = read ? NULL : verb_find_sub(command, argv[i]);
        if (read || verb)
            at = i;
        else if (i == 1 || argv[i - 1][0] != '-') {
            error("未知子命令“%s”", argv[i]);
            cli_dispatch_usage(command, reads, about, stderr);
            return EXIT_INPUT;
        }
    }
    if (!at) {
        error("缺少子命令");
        cli_dispatch_usage(command, reads, about, stderr);
        return EXIT_INPUT;
    }
    return run_at(read, verb, at, argc, argv);
}
