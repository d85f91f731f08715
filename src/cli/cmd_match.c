#include <malloc.h>

/* baoxue match: the cross-check, an action row (verb/rows_jobs.c) run in the foreground. */
#include "cli/cli.h"
#include "cli/verbs.h"

int cmd_match(int argc, char **argv)
{
    /*
     * A cross-check of millions of children allocates and frees arrays of hundreds of MB in
     * turn. Served from mmap and trimmed back to the system at once, each one costs its size
     * again in page faults; kept in the heap, the next array reuses the pages (about a second
     * of system time on five million children). Only for this command: an import streams and
     * would only hold on to memory it no longer needs.
     */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    mallopt(M_TOP_PAD, 64 << 20);
    return cli_verb(verb_find("match"), argc, argv);
}
