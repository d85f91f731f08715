/* baoxue notice: the older spelling of `baoxue case notice` (an action row, verb/rows_case.c). */
#include "cli/cli.h"
#include "cli/verbs.h"
#include "util/common.h"

int cmd_notice(int argc, char **argv)
{
    return cli_verb(verb_find("case.notice"), argc, argv);
}
