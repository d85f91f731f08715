#ifndef BAOXUE_OUTFILE_H
#define BAOXUE_OUTFILE_H

#include <stdio.h>

#include "util/buf.h"

/*
 * A file written in full before it appears at its path, and that leaves nothing behind when
 * the writer stops half-way, even by kill -9: it is an unnamed file (O_TMPFILE) in the
 * target's directory until outfile_commit links it there, replacing what was at the path.
 * Where the file system has no unnamed files, a named temporary "PATH.tmp-XXXXXX" beside the
 * target stands in (a kill then leaves it, as any writer would).
 */
struct outfile {
    FILE *fp;   /* write here */
    char *path; /* where it goes */
    char *tmp;  /* the named fallback, or NULL for an unnamed file */
};

/* Open for writing. 0, or -1 with the reason in `err` (Chinese, naming the path). */
int outfile_open(struct outfile *f, const char *path, struct buf *err);
/* Flush, check that every write succeeded, and put the file at its path. 0, or -1 with the
 * reason (then nothing is at the path that was not there before). The outfile is closed. */
int outfile_commit(struct outfile *f, struct buf *err);
/* Drop it: nothing appears. Safe on a closed or never-opened outfile. */
void outfile_abort(struct outfile *f);

#endif
