#ifndef BAOXUE_CLI_SUB_H
#define BAOXUE_CLI_SUB_H

#include <stdio.h>

/*
 * A command with subcommands ("baoxue case list", "baoxue case attempt 3 …"): the reading
 * subcommands are the command's own (a table of cli_sub rows, each parsing its options with
 * cli/opt.h), the changing ones are the action rows named "<command>.<subcommand>"
 * (verb/verb.h), run by cli/verbs.c. The command's usage lists both, from their rows.
 */
struct cli_sub {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the subcommand's name */
    const char *summary;               /* one Chinese line */
};

/*
 * Run the subcommand named in argv (options given before it are passed on to it, so that
 * "baoxue case --db 县.db list" works as "baoxue case list --db 县.db"). `reads` ends with a row
 * whose name is NULL; `about` is a paragraph the usage adds (or NULL). Returns the exit code.
 */
int cli_dispatch(const char *command, const struct cli_sub *reads, const char *about, int argc,
                 char **argv);

/*
 * For a command whose subcommands are not all rows ("baoxue import FILE", "baoxue import accept
 * 3"): when the first argument that is not an option names action row "<command>.<it>", run it
 * and return the exit code; else -1 (the command parses its arguments itself).
 */
int cli_verb_sub(const char *command, int argc, char **argv);

/* The usage of a command with subcommands, as `baoxue help COMMAND` and --help print it. */
void cli_dispatch_usage(const char *command, const struct cli_sub *reads, const char *about,
                        FILE *out);

#endif
