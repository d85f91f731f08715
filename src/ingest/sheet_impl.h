#ifndef BAOXUE_SHEET_IMPL_H
#define BAOXUE_SHEET_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest/sheet.h"
#include "util/buf.h"

/*
 * What the format readers (sheet_csv.c, sheet_xlsx.c, sheet_xls.c) share with the front end
 * (sheet.c): the reader struct, a vtable of verbs per format, and the row builder every reader
 * fills through so that the limits of sheet.h are enforced in one place.
 */

struct sheet_ops {
    const char *format; /* "csv", "xlsx", "xls" */
    /* Rewind to the first row of sheet i (already range-checked). */
    int (*select)(struct sheet_reader *r, size_t i, struct buf *err);
    /* Build the next row with sheet_row_begin/add: 1, 0 at the end, -1 with a message. */
    int (*next_row)(struct sheet_reader *r, struct buf *err);
    double (*progress)(const struct sheet_reader *r);
    void (*release)(struct sheet_reader *r);
};

struct sheet_reader {
    const struct sheet_ops *ops;
    void *impl;
    const char *encoding;
    char **names; /* owned, nsheets entries */
    size_t nsheets;
    size_t selected;

    /* The row handed out; texts live in `text` and are resolved at sheet_row_finish. */
    struct row row;
    struct cell *cells;
    size_t *offs;
    size_t cells_alloc;
    struct buf text;

    uint64_t file_size; /* bytes of the file as opened */
    uint64_t expanded;  /* cell text handed out so far (sheet_row_add), over every select */
    uint64_t budget;    /* what `expanded` may reach: sheet.h's SHEET_EXPAND_* */

    bool failed;         /* the last next_row failed: keep failing with the same message */
    struct buf last_err; /* that message */

    /* Reading ahead (sheet_ahead.c), NULL until sheet_read_ahead: from then on its thread
     * alone reads the fields above, until sheet_ahead_stop. */
    struct sheet_ahead *ahead;
};

/* sheet_next_row and sheet_progress on this thread: what the front end does without reading
 * ahead, and what the thread reading ahead does. */
int sheet_next_row_here(struct sheet_reader *r, const struct row **row, struct buf *err);
double sheet_progress_here(const struct sheet_reader *r);
/* The front end's verbs while reading ahead (sheet_ahead.c); stop: join the thread and free
 * its batches (nothing when not reading ahead). */
int sheet_ahead_next(struct sheet_reader *r, const struct row **row, struct buf *err);
double sheet_ahead_progress(const struct sheet_reader *r);
uint64_t sheet_ahead_expanded(const struct sheet_reader *r);
void sheet_ahead_stop(struct sheet_reader *r);

/* Backends: fill r (ops, impl, encoding, names, nsheets) or return -1 with a message. `fd` is
 * open on `path` and owned by the callee from then on (closed on success and failure). */
int sheet_csv_open(struct sheet_reader *r, int fd, const char *path, struct buf *err);
int sheet_xlsx_open(struct sheet_reader *r, int fd, const char *path, struct buf *err);
int sheet_xls_open(struct sheet_reader *r, int fd, const char *path, struct buf *err);

/* Row builder. Cells may be added in any column order; a column added twice keeps the last. */
void sheet_row_begin(struct sheet_reader *r, long number);
int sheet_row_add(struct sheet_reader *r, size_t col, enum cell_kind kind, const char *text,
                  size_t len, double number, struct buf *err);
/* Drop trailing empty cells and point the cells at their text. */
void sheet_row_finish(struct sheet_reader *r);

/* Reset err to "<where>：<message>"; returns -1. `col` SIZE_MAX: no column; `row` 0: no row. */
int sheet_fail_at(const struct sheet_reader *r, struct buf *err, long row, size_t col,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Reset err to the message; returns -1. */
int sheet_fail(struct buf *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The standard "cell too long" message for (row, col); its text for a format of its own. */
#define SHEET_CELL_TOO_LONG "单元格超过 %d KiB 的上限（比 Excel 一个单元格能容纳的还多）"
int sheet_fail_cell_too_long(const struct sheet_reader *r, struct buf *err, long row, size_t col);

/* A size as people read it: "850 字节", "8.5 KB", "1.0 MB", "2.0 GB" (1024-based). */
void sheet_size_text(struct buf *out, uint64_t bytes);

/* "A", "Z", "AA", … for a 0-based column. */
void sheet_col_letters(struct buf *out, size_t col);
/* A numeric cell as sheet.h says: integers plain below 1e15, else %.15g with "E+17". */
void sheet_format_number(struct buf *out, double v);
/* An Excel serial as "yyyy-mm-dd" (+ " hh:mm:ss" when there is a time part), or "hh:mm:ss"
 * for a bare time below 1; -1 (nothing appended) when it is no representable date. */
int sheet_format_serial(struct buf *out, double serial, bool date1904);
/* The Excel serial (1900 system) of a "yyyy-mm-dd[ hh:mm:ss]" or "hh:mm:ss" text; 0 when the
 * text is neither. */
double sheet_serial_from_text(const char *s);

#endif
