#ifndef BAOXUE_SHEET_H
#define BAOXUE_SHEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/*
 * One row-cursor interface over every spreadsheet format a department sends: .xlsx (streamed
 * with libzip + expat), .xls (freexl) and delimited text (.csv/.txt; UTF-8, UTF-8 with BOM,
 * GB18030/GBK or UTF-16 with BOM, detected; comma, tab or semicolon, detected). The format is
 * recognised from the file's bytes, never from its name.
 *
 * All text handed out is UTF-8. Cell values keep what the sheet holds: the reader does not
 * normalise spaces or digits (that is ingest/field's job), except:
 *   - a numeric cell is rendered as the shortest text that round-trips (%.15g), integers
 *     without a decimal point below 1e15; an integer of 16+ digits comes out in exponent form
 *     ("1.40521201503041E+17") so that the loss of digits is visible downstream;
 *   - a date-formatted numeric cell (xlsx style / xls DATE type) is CELL_DATE rendered
 *     "yyyy-mm-dd" (with " hh:mm:ss" only when there is a time part; a bare time below one
 *     day is "hh:mm:ss");
 *   - csv cells are all CELL_TEXT (or CELL_EMPTY): text files carry no types.
 *
 * Error messages are Chinese and say where ("xlsx 文件的工作表“Sheet1”第 12 行 C 列：…",
 * "CSV 文件第 12 行第 3 列：…") but never quote cell contents (children's personal data).
 */

enum cell_kind { CELL_EMPTY = 0, CELL_TEXT, CELL_NUMBER, CELL_DATE, CELL_BOOL, CELL_ERROR };

struct cell {
    enum cell_kind kind;
    const char *text; /* UTF-8, NUL-terminated, never NULL ("" for empty) */
    size_t len;
    double number; /* CELL_NUMBER / CELL_DATE: the raw value (Excel serial for dates) */
};

struct row {
    long number; /* 1-based row number as a person sees it in Excel (for CSV: the record) */
    size_t ncells;
    struct cell *cells; /* trailing empty cells may be omitted; missing columns are CELL_EMPTY */
};

/*
 * Hard limits: beyond them a reader fails with a message saying where, and the import is
 * refused (docs/decisions.md, issue 11). A cell holds at most what Excel itself can hold
 * (32,767 characters, at most 4 bytes each, is under 128 KiB); a row, a thousand times a real
 * row. The text a file expands to (every cell handed out, shared strings counted at every
 * cell that uses them) is bounded relative to the file's own size, with a floor for small
 * files, and in absolute terms: a few kilobytes that expand to gigabytes are a bomb, not a
 * list. The budget counts every row ever handed out, across sheet_select.
 */
#define SHEET_MAX_COLUMNS    16384
#define SHEET_MAX_CELL_BYTES (128 * 1024)
#define SHEET_MAX_ROW_BYTES  (1024 * 1024)
#define SHEET_EXPAND_RATIO   20                  /* cell text / file size */
#define SHEET_EXPAND_FLOOR   ((uint64_t)1 << 20) /* any file may expand to 1 MiB */
#define SHEET_EXPAND_MAX     ((uint64_t)2 << 30) /* and none beyond 2 GiB */

struct sheet_reader;

/*
 * Open `path`. On failure returns -1 with a Chinese message in `err` ("文件不是可识别的电子表格…",
 * "xlsx 文件已损坏…"). The first sheet is selected.
 */
int sheet_open(struct sheet_reader **out, const char *path, struct buf *err);

const char *sheet_format(const struct sheet_reader *r); /* "xlsx", "xls", "csv" */
/* csv: "UTF-8", "UTF-8 (BOM)", "GB18030", "UTF-16LE", "UTF-16BE"; xlsx: "UTF-8";
 * xls: "UTF-16LE" (BIFF8), "GBK", "CP1252", … */
const char *sheet_encoding(const struct sheet_reader *r);
size_t sheet_count(const struct sheet_reader *r); /* 1 for csv, named after the file */
const char *sheet_name(const struct sheet_reader *r, size_t i);
size_t sheet_selected(const struct sheet_reader *r);

/* Select sheet i (0-based) and rewind to its first row. -1 with a message on failure. */
int sheet_select(struct sheet_reader *r, size_t i, struct buf *err);

/*
 * The next row of the selected sheet: returns 1 and sets *row (valid until the next call),
 * 0 at the end, -1 with a message in `err` saying where (sheet, row, column) on corrupt input.
 * Completely empty rows are returned too (ncells == 0) so that row numbers stay true.
 */
int sheet_next_row(struct sheet_reader *r, const struct row **row, struct buf *err);

/*
 * Read the selected sheet's next rows ahead, on a thread of its own, from now until
 * sheet_select or sheet_close: sheet_next_row then hands out rows already parsed (the same
 * rows, end and error as without), while the next ones are being parsed — the caller's work
 * on a row and the parsing of the rows after it run side by side. Meanwhile only
 * sheet_next_row, sheet_progress, sheet_expanded, the names and formats, and sheet_close may
 * be called; sheet_progress and sheet_expanded say how far the rows handed out reach. -1 with
 * a message when no thread could be started.
 */
int sheet_read_ahead(struct sheet_reader *r, struct buf *err);
/* Whether reading ahead pays for this format: a row of .xlsx (inflate and XML) costs more to
 * parse than to copy into a batch, a row of text or .xls (already in memory) less. */
bool sheet_ahead_pays(const struct sheet_reader *r);

/* Fraction of the selected sheet's input consumed so far, 0..1 (for progress bars): raw file
 * bytes for csv, uncompressed worksheet XML bytes for xlsx, rows for xls. */
double sheet_progress(const struct sheet_reader *r);

/* Bytes of cell text handed out so far, and what the file may expand to (the limits above). */
uint64_t sheet_expanded(const struct sheet_reader *r);
uint64_t sheet_expand_budget(const struct sheet_reader *r);

void sheet_close(struct sheet_reader *r);

#endif
