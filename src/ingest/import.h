#ifndef BAOXUE_IMPORT_H
#define BAOXUE_IMPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ingest/category.h"
#include "ingest/field.h"
#include "ingest/rowflag.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;
struct json_t;
struct progress;

struct column_map {
    const char *header; /* header text as it stands in the sheet */
    enum field field;   /* or FIELD_IGNORE: the column is not used, whatever it is called */
};
#define FIELD_IGNORE F__COUNT

struct import_options {
    enum import_kind kind;
    const char *path;
    const char *name;  /* the file's name as its sender knows it (the batch's file_name), or
                          NULL: the last part of path (the server's uploads have a name of
                          its own making on disk) */
    const char *sheet; /* a sheet name or 1-based number; NULL: the first sheet with a header */
    const struct column_map *maps;
    size_t nmaps;
    const char *rejects_path; /* CSV of rejected and flagged rows, or NULL: it appears once the
                                 import has committed (util/outfile), never before or instead */
    bool force;               /* import even if this exact file was imported before */
    struct progress *report;  /* progress for the caller (a terminal bar, a server job), or
                                 NULL: the share of the file read ("读取第 N 行"), then the
                                 writing (0.9–1) */
    const char *actor;        /* who imports, for the batch and the audit trail */
    bool dry_run;             /* read and check every row, then roll back: nothing is stored */
    bool preview;             /* fill import_summary.preview (the web UI's import wizard) */
    bool pending;             /* a department's upload: the batch waits for the county to accept
                                 it (state 'pending') and is nobody's snapshot until then */
    const char *department;   /* the uploading account's department (its key), kept with the
                                 batch; NULL for the county's own imports */
    int shrink_percent;       /* refuse an import that would make the kind's snapshot smaller
                                 than this share of the current one (the setting
                                 import_shrink_percent); 0: no check */
    bool shrink_confirmed;    /* the person has seen both numbers and confirms */
};

/*
 * What the user can do about a refusal, for a front end to say in its own terms (the CLI's
 * options, the web wizard's controls): the library's message names neither.
 */
enum import_hint {
    IMPORT_HINT_NONE,
    IMPORT_HINT_MAP,    /* the header or its columns: say which field a column is */
    IMPORT_HINT_FORCE,  /* the same file again: import it anyway */
    IMPORT_HINT_SHRINK, /* fewer records than the share of the current list: confirm */
};

/* The default of the setting import_shrink_percent (domain/settings.c). */
#define IMPORT_SHRINK_PERCENT_DEFAULT 80

struct import_summary {
    int64_t batch_id;
    char format[8];
    char encoding[24];
    char *sheet;
    long header_row;
    struct buf columns; /* "姓名→name, …" for the summary */
    struct buf ignored; /* header cells not used */
    long rows_read;     /* every row of the sheet: = imported + rejected + skipped */
    long rows_title;    /* skipped: the header row and the title rows above it */
    long rows_imported; /* records written (flagged ones included) */
    long rows_flagged;  /* records with at least one flag */
    long rows_rejected; /* rows that could not name a person */
    long rows_blank;    /* skipped: empty */
    long rows_notes;    /* skipped: notes, signatures, totals, repeated headers */
    long flag_counts[RF__COUNT];
    char county[7];         /* the county the townships were resolved against */
    bool county_inferred;   /* set by this import from the IDs' most common county code */
    int64_t same_as;        /* dry run: the earlier batch with exactly this file, else 0 */
    int64_t previous_batch; /* the kind's current snapshot this one was compared with (0: none) */
    long previous_rows;     /* its records */
    bool shrinks;           /* rows_imported is below shrink_percent of previous_rows */
    enum import_hint hint;  /* after a refusal */
    /* After a success: what did not work although the import did (the list of rejected rows
     * could not be put in place); the command line exits 1 then. */
    struct buf warning;
    /*
     * opt->preview: {"header_row", "header": [cell…], "fields": [field key or null per column],
     * "sample":
     * [{"row", "cells"}] (the first rows under the header), "problems": [{"row", "action"
     * (拒绝/标记), "reason", "cells"}] (the first PREVIEW_PROBLEMS), "choices": [{"key",
     * "label"}] (the fields of this kind), "missing": [{"label", "fields": [key…]}] (the
     * kind's required columns the mapping lacks: the import is refused while any is)}.
     * Cells that look like ID or mobile numbers are masked, and long cells cut to
     * PREVIEW_CELL_CHARS. Set as soon as the header row is found and mapped, also when the
     * import then fails (a required column missing). Owned (jansson), released with the
     * summary.
     */
    struct json_t *preview;
};
#define PREVIEW_SAMPLE     10
#define PREVIEW_PROBLEMS   200
#define PREVIEW_CELL_CHARS 100

/*
 * Import one file as a new snapshot of its kind, in one transaction: the whole file lands or
 * nothing does. Returns 0, or -1 with the outcome filled: OUT_INVALID (the file or the options
 * are unusable; sum->hint says what the person may do about it) or OUT_ERROR. Messages name
 * the file by opt->name when given (an upload), else by its path.
 */
int import_file(struct store *s, const struct import_options *opt, struct import_summary *sum,
                struct outcome *o);

void import_summary_release(struct import_summary *sum);

/*
 * The current snapshot of `kind`: the live batch that became current last, other than
 * `except`; *batch 0 when there is none. 0, or -1 on a store error. For a priority group's
 * list and `except` a new or pending batch of it: what that batch replaces, the newest list of
 * each group it gives (民政's 孤儿 list replaces the last 孤儿 list, not the 低保 list), *rows
 * those lists' rows of its groups.
 */
int import_current(struct store *s, enum import_kind kind, int64_t except, int64_t *batch,
                   long *rows);
/*
 * Each priority group's current list of group kind `kind`: the newest live batch (other than
 * `except`) with rows giving group g in snapshot[g], 0 when none has. A group's list replaces
 * the earlier lists of that group only.
 */
int import_group_snapshot(struct store *s, enum import_kind kind, int64_t except,
                          int64_t snapshot[GRP__COUNT]);
/* Would a snapshot of `rows` records fall below `percent` of the current one's `previous`? */
bool import_shrinks(long rows, long previous, int percent);
/* "本次名单 500 人，只有当前名单（第 3 批，20,000 人）的 2.5%，低于 80%…" */
void import_shrink_message(struct buf *out, enum import_kind kind, long rows,
                           int64_t previous_batch, long previous, int percent);

/* The summary a person reads after an import (Chinese, several lines, no line end). */
void import_summary_describe(const struct import_options *opt, const struct import_summary *sum,
                             struct buf *out);

/*
 * The column mapping "表头=字段" lines (字段 a field's key or Chinese name; empty or "ignore":
 * the column is not used) as column_map rows (owned: column_maps_free). 0, or -1 with the
 * outcome naming the field "map".
 */
int column_maps_parse(const char *text, struct column_map **maps, size_t *n, struct outcome *o);
void column_maps_free(struct column_map *maps, size_t n);

#endif
