#include <malloc.h>

#include "cli/cli.h"

int main(int argc, char **argv)
{
    /*
     * A cross-check of millions of children allocates and frees arrays of hundreds of MB in
     * turn. Served from mmap and trimmed back to the system at once, each one costs its size
     * again in page faults; kept in the heap, the next array reuses the pages (about a second
     * of system time on a run of five million, bench/RESULTS.md). The memory stays with the
     * process until it exits, which a command does at once and a server after the job.
     */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    mallopt(M_TOP_PAD, 64 << 20);
    return cli_main(argc, argv);
}
