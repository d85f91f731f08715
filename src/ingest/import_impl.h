#ifndef BAOXUE_IMPORT_IMPL_H
#define BAOXUE_IMPORT_IMPL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <jansson.h>

#include "ingest/import.h"
#include "ingest/sheet.h"
#include "link/keys.h"
#include "util/buf.h"

/*
 * What the files of an import share (import.h says what an import does):
 *
 *   import.c        import_file, phase by phase: the file checked, its header found and
 *                   mapped, the batch written in one transaction and committed; the summary
 *   import_sheet.c  the file before its rows: its SHA-256, the sheet and header row chosen,
 *                   the messages about missing columns, the preview, the county
 *   import_rows.c   every row below the header: normalised, checked, flagged, written or
 *                   rejected
 */

#define HEADER_SCAN_ROWS 50
#define MAX_MAPS         64
/* A rejected row's cells are kept this long (characters) in the reject table. */
#define REJECT_CELL_CHARS 200
/* An import that reaches this many rows, and at least 1/8 of the records already stored,
 * stops maintaining the ID index row by row and rebuilds it before committing (see
 * docs/decisions.md). Random inserts into a B-tree of millions of IDs cost several times
 * what one sorted build over the whole table does; small imports keep the index as it is. */
#define ID_INDEX_REBUILD_ROWS 100000
/* Distinct township cells remembered with what they resolved to. */
#define TOWNSHIP_MEMO 32

/* A row kept while the header is searched for (sheet rows are only valid until the next). */
struct saved_row {
    struct row row;
};

struct importer {
    struct store *s;
    const struct import_options *opt;
    struct import_summary *sum;
    int col[F__COUNT]; /* sheet column of each field, -1 when absent */
    size_t header_ncells;
    char **header_text; /* the header row's cells, for rejects and --rejects */
    struct stmt *ins_record, *ins_reject;
    struct stmt *ins_detail;  /* group_detail: the group lists' and the aid payments' own */
    struct store_writer *w;   /* executes the inserts on a second thread */
    long id_index_rebuild_at; /* rows_imported at which the ID index is dropped */
    bool id_index_dropped;
    FILE *rejects;
    /* duplicate IDs inside this file: open addressing over packed IDs */
    uint64_t *seen;
    size_t seen_cap, seen_n;
    const char *county; /* may be "" */
    struct buf t1, t2, t3, reasons, scratch, school, region, place;
    struct batch_keys keys; /* the linker's view of the batch, stored beside it */
    /* township cells seen (normalised) and what they resolved to: a sheet names a handful of
     * townships millions of times */
    struct {
        char *text;
        const struct township *tw;
    } memo[TOWNSHIP_MEMO];
    size_t nmemo;
};

/* The file's SHA-256 computed on a thread of its own while the rows are imported. */
struct hash_job {
    const char *path, *shown;
    char hex[65];
    off_t size;
    struct buf err;
    int rc;
    pthread_t th;
    bool started;
};

static inline const char *cell_text(const struct row *r, int col, size_t *len)
{
    if (col < 0 || (size_t)col >= r->ncells) {
        *len = 0;
        return "";
    }
    *len = r->cells[col].len;
    return r->cells[col].text;
}

static inline bool row_is_blank(const struct row *r)
{
    for (size_t i = 0; i < r->ncells; i++) {
        const char *t = r->cells[i].text;
        for (size_t j = 0; j < r->cells[i].len; j++)
            if (t[j] != ' ' && t[j] != '\t' && t[j] != '\r' && t[j] != '\n')
                return false;
    }
    return true;
}

/* ---- import_sheet.c ---- */

void import_saved_rows_release(struct saved_row *rows, size_t n);
/* The file as its sender knows it, for messages: an upload's own name, else the path. */
const char *import_file_shown(const struct import_options *opt);
/* The file's SHA-256 in hex and its size; -1 with the reason in err. */
int import_file_sha256(const char *path, const char *shown, char hex[65], off_t *size,
                       struct buf *err);
/* pthread_create's start routine of a hash_job. */
void *import_hash_main(void *arg);
/* Wait for the hash: 0, or -1 with the reason in err. */
int import_hash_join(struct hash_job *j, struct buf *err);
/* 工作表“…” for messages about an .xlsx or .xls sheet, "" for a CSV file; in tmp. */
const char *import_sheet_label(struct sheet_reader *rd, struct buf *tmp);
/* The sheet (opt->sheet, else the first with a header) and its first rows, *hdr the header's
 * index among them or -1. */
int import_choose_sheet(struct sheet_reader *rd, const struct import_options *opt,
                        struct saved_row **rows, size_t *nrows, long *hdr, struct buf *err);
/* The refusal of a header without the columns that define its kind. */
void import_missing_message(struct buf *err, const struct import_options *opt,
                            const struct importer *im, unsigned missing, const char *where,
                            long header_row);
/* What an import wizard shows of the header row `hdr` and the rows below it. */
json_t *import_preview_json(const struct importer *im, enum import_kind kind, const struct row *h,
                            const struct saved_row *rows, size_t nrows, long hdr, unsigned missing);
/* Pick the county the townships are resolved against; infer it from the IDs when unset. */
void import_resolve_county(struct store *s, struct import_summary *sum, enum import_kind kind,
                           const struct saved_row *rows, size_t nrows, long hdr, int id_col);

/* ---- import_rows.c ---- */

/* A data row: counted, skipped when blank, a note or a repeated header, else imported. */
int import_handle_row(struct importer *im, const struct row *r);
/* A row's cells as a preview shows them (masked, cut). */
json_t *import_row_cells(const struct importer *im, const struct row *r);

#endif
