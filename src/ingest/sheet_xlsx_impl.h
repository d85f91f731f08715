#ifndef BAOXUE_SHEET_XLSX_IMPL_H
#define BAOXUE_SHEET_XLSX_IMPL_H

#include <expat.h>
#include <zip.h>

#include "ingest/sheet_impl.h"

/*
 * What the three files of the .xlsx reader share: the reader's state (struct xlsx), its limits,
 * and the helpers each file lends the others.
 *
 *   sheet_xlsx_part.c  reading one part of the package: the zip under the unzip budget, expat
 *                      with its depth and DTD guards, expat's errors in Chinese, OOXML text
 *                      escapes, relationship targets made into part names
 *   sheet_xlsx_book.c  the small parts read once at open: relationships, the workbook (its
 *                      sheets), the styles (which cell formats are dates), the shared strings
 *   sheet_xlsx.c       the selected worksheet streamed into rows, and the reader's verbs
 *
 * An .xlsx is a zip of XML parts. The small parts are parsed once at open; the selected
 * worksheet is streamed: zip_fread chunks go straight into an expat parser whose callbacks
 * queue the rows of that chunk, and the queue is drained before the next chunk is read. No
 * DOM, so memory does not grow with the sheet.
 *
 * Element and attribute names are compared without their prefix ("x:row" is "row"), which
 * covers prefixed documents and strict OOXML alike.
 */

#define XML_CHUNK (64 * 1024)
#define PART_MAX  ((zip_uint64_t)2 << 30) /* uncompressed bytes read from one part: 2 GiB */
#define SST_MAX   ((size_t)512 << 20)     /* all shared strings together: 512 MiB */
#define ROW_MAX   1048576L                /* Excel's last row */
#define TABLE_MAX 65536 /* sheets, relationships, formats: far beyond real files */
/*
 * What the whole package may decompress to, all parts and every re-read together: real
 * workbooks deflate 7-11 to 1 (docs/decisions.md, issue 11), deflate itself stops near 1032
 * to 1, so 100 times the file (and 64 MiB for any file) separates a workbook from a zip bomb
 * before the bomb is parsed; a part's size in the zip directory is checked before it is read.
 * Absolute: 2 GiB from one part, 4 GiB from the package (a re-read sheet counts again).
 */
#define UNZIP_RATIO 100
#define UNZIP_FLOOR ((zip_uint64_t)64 << 20)
#define UNZIP_MAX   ((zip_uint64_t)4 << 30)
/* Elements inside each other: a worksheet's cell text is 7 deep; beyond this, a parser
 * attack rather than a spreadsheet. */
#define XML_MAX_DEPTH 64

enum ctype { T_NUM, T_SST, T_INLINE, T_STR, T_BOOL, T_ERR, T_DATE };

struct xsheet {
    char *rid;
    char *part;
};

struct rel {
    char *id, *type, *target;
};

struct numfmt {
    unsigned id;
    bool date;
};

struct sst_entry {
    size_t off, len;
};

struct qcell {
    size_t col;
    enum cell_kind kind;
    bool shared; /* off is an index into the shared strings */
    double number;
    size_t off, len;
};

struct qrow {
    long number;
    size_t first, n; /* cells qc[first .. first + n) */
    size_t text_first;
    size_t bytes; /* text of the row so far, shared strings included */
};

struct xlsx {
    struct sheet_reader *r;
    zip_t *zip;
    bool date1904;
    struct xsheet *sheets;
    struct rel *rels;
    size_t nrels;
    char *wb_dir; /* "xl/" */

    struct numfmt *fmts;
    size_t nfmts, fmts_alloc;
    unsigned *xf_fmt;
    size_t nxf, xf_alloc;
    bool *xf_date;

    struct buf sst_text;
    struct sst_entry *sst;
    size_t nsst, sst_alloc;

    /* error raised inside an expat callback */
    bool has_err;
    struct buf perr;
    XML_Parser xp;
    /* the part's own handlers, called by on_start/on_end, which keep the depth */
    XML_StartElementHandler start;
    XML_EndElementHandler end;
    int depth;
    const char *what; /* the part being parsed, as messages name it */

    /* decompressed bytes read from the package so far, and what they may reach */
    zip_uint64_t unzipped, unzip_budget;

    /* generic small-part parse state */
    int rph;      /* depth inside <rPh> phonetic runs, which are not cell text */
    bool in_si;   /* shared strings: inside <si> */
    bool in_xfs;  /* styles: inside <cellXfs> */
    bool capture; /* collecting character data into cap */
    struct buf cap;
    struct buf cell; /* a cell's text as queued (escapes decoded, a number or date formatted) */

    /* the selected worksheet */
    zip_file_t *zf;
    zip_uint64_t part_size, part_read;
    char *chunk;
    bool xml_done;
    bool in_sd, in_row, in_cell, in_is;
    long cur_row, last_row, next_row;
    size_t cur_col, next_col;
    enum ctype ctype;
    unsigned style;

    /* Rows parsed from the current chunk: q[qhead .. ndone) are complete and handed out in
     * turn; q[ndone] (when in_row) is the row the chunk ended in, still being filled. */
    struct qrow *q;
    size_t nq, q_alloc, qhead, ndone;
    struct qcell *qc;
    size_t nqc, qc_alloc;
    struct buf qtext;
};

/* ---- sheet_xlsx_part.c ---- */

/* An element or attribute name without its namespace prefix. */
const char *xlsx_lname(const char *n);
/* The value of the attribute named `local` (any prefix), NULL when absent. */
const char *xlsx_attr(const char **atts, const char *local);
/* Raise an error from inside a callback: remembered, and the parser is stopped. `row` < 0: no
 * place in the sheet. */
void xlsx_fail(struct xlsx *x, long row, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* expat's error in words a clerk reads (its own strings are English). */
const char *xlsx_xml_reason(enum XML_Error code);
/* A parser for one part (x->xp), its handlers wrapped so that depth and DTDs are checked first;
 * `what` names the part in messages. */
void xlsx_xml_create(struct xlsx *x, XML_StartElementHandler start, XML_EndElementHandler end,
                     const char *what);
/* Whether reading `more` decompressed bytes would pass the package's budget; the refusal. */
bool xlsx_unzip_over(struct xlsx *x, zip_uint64_t more);
void xlsx_unzip_message(const struct xlsx *x, struct buf *out);
/* Append OOXML text, decoding its "_xHHHH_" escapes (Excel writes a CR as _x000D_). */
void xlsx_add_ooxml_text(struct buf *out, const char *s, size_t n);
/* Stream one part through expat. 0, 1 when the part does not exist, -1 with a message. */
int xlsx_parse_part(struct xlsx *x, const char *part, const char *what,
                    XML_StartElementHandler start, XML_EndElementHandler end, struct buf *err);
/* A relationship target made into a part name: absolute ("/xl/…") or relative to `dir`. */
char *xlsx_resolve(const char *dir, const char *target);

/* ---- sheet_xlsx_book.c ---- */

/* The shared strings' start handler (xlsx_parse_part names the string a broken one ends in). */
void xlsx_sst_start(void *ud, const XML_Char *name, const XML_Char **atts);
void xlsx_free_rels(struct xlsx *x);
/* The workbook's small parts into x (x->zip open): its sheets and their parts, date1904, which
 * styles are dates, the shared strings. 0, or -1 with a message. */
int xlsx_read_book(struct xlsx *x, struct buf *err);

#endif
