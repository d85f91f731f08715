#ifndef BAOXUE_CLI_VERBS_H
#define BAOXUE_CLI_VERBS_H

#include "util/buf.h"
#include "verb/verb.h"

/*
 * Run action row `v` from the command line: argv[0] is the subcommand ("attempt"), then its
 * target (案件编号), its file, and options named after the row's fields (--method 家访), --db and,
 * for a row that writes a file, -o. --help prints the usage made from the row. Returns the exit
 * code; a refusal prints "错误：…" with the option of the field at fault ("（--date）").
 */
int cli_verb(const struct verb *v, int argc, char **argv);
/* The same, with the command's other forms and its description in the usage: lines as
 * opt_parse takes them (forms, then "" and the description; NULL-terminated). */
int cli_verb_more(const struct verb *v, int argc, char **argv, const char *const *more);
/* "baoxue case attempt 案件编号 --method 劝返方式 … [选项]": the row's first usage line. */
void cli_verb_usage(const struct verb *v, struct buf *out);

#endif
