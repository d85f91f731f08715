#ifndef BAOXUE_TABLE_H
#define BAOXUE_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/*
 * A report is a table of text cells with typed columns, rendered in one of four formats:
 * an aligned terminal table, CSV (UTF-8 with BOM, for Excel), XLSX (libxlsxwriter: header row,
 * widths, frozen panes) and JSON ({meta…, "<array_key>": [ {key: value…} ]}).
 *
 * A report meant to be sent upward (the ledgers, the monthly report) also has a caption
 * ("沁水县适龄儿童台账"), a subtitle line (填报单位, 截至日期, 制表日期), a totals row (合计)
 * and notes under the table (breakdowns, 填表人/审核人). XLSX shows them as a printed form
 * shows them: caption merged and centred over the columns, the subtitle under it, the header
 * frozen and filtered, the totals row bold, the notes below, landscape A4 fitted to the
 * page width with the header repeated on every printed page. The terminal table shows the
 * caption, subtitle and notes around the table; CSV stays one header line, the rows and the
 * totals row (Excel opens it as a list; baoxue's own import skips 合计 rows); JSON carries
 * caption and subtitle as "caption"/"subtitle", the totals as an object "totals" and the
 * notes as an array "notes", never inside the row array.
 */
enum col_type {
    COL_TEXT,
    COL_INT,
    COL_REAL,  /* a decimal number ("98.52"): a number in JSON and XLSX, null/blank when empty */
    COL_BIRTH, /* a birth date: text in a full view, left out of a masked one (table_init_view) */
    COL_LIST,  /* words joined by "、" where people read it, an array of them in JSON */
    COL_WORDS, /* labels of the table's vocabulary (report_table.words) joined by "、" where
                  people read them, an array of {"key", "label"} in JSON (a label the
                  vocabulary does not know has a null key) */
    /* For programs, in JSON only (people read the label beside it): */
    COL_KEY,  /* the key of a word of a vocabulary (core/words.h), "open" beside 劝返中 */
    COL_FLAG, /* true when the cell is "1", else false */
};

struct table_col {
    const char *key;   /* JSON key */
    const char *label; /* Chinese header */
    enum col_type type;
};

enum meta_type { META_TEXT, META_INT, META_BOOL };

struct table_meta {
    char *key;
    char *value;
    enum meta_type type;
};

/*
 * How a table prints on paper (FMT_PDF, render/table_pdf.c): A4 landscape, the caption and
 * subtitle on top, the header row repeated on every page, grid lines, page numbers. Only the
 * columns listed print, in the table's order, each with its share of the width; a row is at
 * least min_row_mm tall (room to write by hand in an empty cell). With a group column, each
 * value of it starts a new page titled "caption（value）" and ends with the foot line (a
 * signature, a date); the rows must come sorted by it.
 */
struct table_pdf_col {
    const char *key; /* a column's key */
    double width;    /* its share of the width */
};

struct table_pdf {
    const struct table_pdf_col *cols;
    size_t ncols;
    const char *group_key; /* NULL: one table; else the key of the column that groups pages */
    double min_row_mm;
    const char *foot; /* under each group's rows (NULL none) */
};

struct report_table {
    const char *title; /* shown above the table (terminal) and as the sheet name (xlsx) */
    const char *array_key;
    const struct table_col *cols; /* the columns shown */
    size_t ncols;
    size_t *slot; /* NULL, or for each column the caller addresses (table_init_view) its place in
                     cols, SIZE_MAX when a masked view leaves it out; owned, as is cols then */
    char **cells; /* nrows * ncols, owned */
    size_t nrows, alloc;
    struct table_meta *meta;
    size_t nmeta, meta_alloc;
    struct buf footer; /* lines printed under a terminal table / csv */
    char *caption;     /* owned; NULL: none (see above) */
    char *subtitle;    /* owned; NULL: none */
    bool has_totals;   /* the last row is the totals row (table_add_totals) */
    char **notes;      /* owned lines under the table */
    size_t nnotes, notes_alloc;
    const struct table_pdf *pdf; /* how it prints (FMT_PDF); NULL: it has no printed form */
    const struct vocab *words;   /* the vocabulary of its COL_WORDS cells (core/words.h) */
    struct json_t *json_extra;   /* NULL, or members added to the JSON object (owned:
                                    table_json_set), e.g. the indicators' "county" */
};

enum report_format { FMT_TABLE, FMT_CSV, FMT_XLSX, FMT_JSON, FMT_PDF };
int report_format_parse(const char *s, enum report_format *out);
/* The format as a person names it: "终端表格", "CSV", "XLSX", "JSON", "PDF". */
const char *report_format_name(enum report_format f);
/* From a file name's extension; -1 when it says nothing. */
int report_format_from_path(const char *path, enum report_format *out);

void table_init(struct report_table *t, const char *title, const char *array_key,
                const struct table_col *cols, size_t ncols);
/*
 * The same for a table of children read through a view (core/view.h): a masked view leaves
 * the COL_BIRTH columns out, and what is set in them is dropped, never stored. The caller
 * still addresses every column of `cols` by its index.
 */
struct view;
void table_init_view(struct report_table *t, const char *title, const char *array_key,
                     const struct table_col *cols, size_t ncols, const struct view *v);
void table_release(struct report_table *t);
/* Start a new row; then set its cells (unset cells are empty). */
void table_add_row(struct report_table *t);
void table_set(struct report_table *t, size_t col, const char *text);
void table_setf(struct report_table *t, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The title row and the line under it of a report sent upward (copied). */
void table_caption(struct report_table *t, const char *caption, const char *subtitle);
/* Start the totals row (合计): the last row of the table; no row may follow it. */
void table_add_totals(struct report_table *t);
/* A line under the table (xlsx, terminal, json "notes"). */
void table_note(struct report_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The note of a table read through a view (view_note): masked numbers, ages on the cutoff. */
void table_note_view(struct report_table *t, const struct view *v, bool phones);
/* Rows that are data, without the totals row. */
static inline size_t table_data_rows(const struct report_table *t)
{
    return t->nrows - (t->has_totals ? 1 : 0);
}
/* Metadata for the JSON object around the rows (as_of, school_year, …). */
void table_meta(struct report_table *t, const char *key, const char *value, enum meta_type type);
/* The value of a metadata key, NULL when the table has none. */
const char *table_meta_value(const struct report_table *t, const char *key);

/* Adds member `key` (reference stolen) to the JSON object the json format writes; the other
 * formats do not show it. */
struct json_t;
void table_json_set(struct report_table *t, const char *key, struct json_t *value);

/* The JSON object the json format writes ({meta…, "<array_key>": [rows]}); the caller owns it
 * (json_decref). Declared with jansson's json_t. */
struct json_t;
struct json_t *table_to_json(const struct report_table *t);

/*
 * A table kept to be rendered again later (render/table_freeze.c): table_freeze gives its
 * columns' keys, every cell's text as it was set (a null for a cell never set), the totals row,
 * caption, subtitle, notes, metadata and JSON members as one JSON object (the caller owns it);
 * table_thaw makes the same table of it again (table_init with the given title, array key and
 * columns: a kept column no longer among them is left out, a new one stays empty), so that each
 * format renders what the table rendered when it was kept. -1 when `frozen` is not such an
 * object (the table is then initialised and empty; release it).
 */
struct json_t *table_freeze(const struct report_table *t);
int table_thaw(struct report_table *t, const char *title, const char *array_key,
               const struct table_col *cols, size_t ncols, const struct json_t *frozen);

/* Render to `path` ("-" or NULL: stdout). XLSX and PDF need a path; PDF a table with a printed
 * form (t->pdf). 0 / -1 with message. */
int table_render(const struct report_table *t, enum report_format fmt, const char *path,
                 struct buf *err);

/* The table as A4 landscape PDF pages (table_pdf.c; table_render's FMT_PDF). */
int table_render_pdf(const struct report_table *t, const char *path, struct buf *err);

#endif
