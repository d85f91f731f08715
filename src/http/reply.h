#ifndef BAOXUE_REPLY_H
#define BAOXUE_REPLY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/outcome.h"

struct request;
struct report_table;
struct paging;
struct MHD_Response;

/*
 * The one place the server maps a library outcome to its answer: the kind to the HTTP status
 * and the error code the API documents (OUT_INVALID 400 invalid_request, OUT_NOT_FOUND 404
 * not_found, OUT_NO_RUN 404 no_run, OUT_FORBIDDEN 403 forbidden, OUT_ERROR 500 internal), the
 * Chinese message, and the key of the field at fault as "field" when there is one:
 * {"error": {"code", "message", "field"?}}.
 */
void reply_outcome(struct request *r, const struct outcome *o);
/* {"error": {"code", "message", "field"}}: a refusal of the front end's own naming a field. */
void reply_error_at(struct request *r, unsigned status, const char *code, const char *field,
                    const char *message);
/* A library read's answer: its JSON (stolen) when j, else the answer of the outcome; releases
 * the outcome. */
void reply_read(struct request *r, json_t *j, struct outcome *o);
/* A library write's answer: {"message": msg} when rc is 0, else the answer of the outcome;
 * releases both. */
void reply_done(struct request *r, int rc, struct buf *msg, struct outcome *o);
/* A library list's answer: the table as JSON, or the outcome's; releases both. */
void reply_table(struct request *r, int rc, struct report_table *t, struct outcome *o);
/* A casework list, one page of it when asked (args.h: arg_paging): the rows of that page,
 * "total", "page", "per_page". The library builds the whole list (a county's open work, not
 * its children). */
void reply_table_paged(struct request *r, int rc, struct report_table *t, struct outcome *o,
                       const struct paging *pg);
/* {id, text, …the fields of `detail`} (the CLI's text and the screens' fields, one read);
 * releases out, o and detail. */
void show_reply(struct request *r, int rc, int64_t id, struct buf *out, struct outcome *o,
                json_t *detail);

/* A full read is audited before anything is shown; false after replying 500. */
bool audit_full(struct request *r, const char *what, const char *target);

/* Downloads. */
/* filename="ascii"; filename*=UTF-8''percent-encoded (RFC 6266, RFC 5987) */
void content_disposition(struct MHD_Response *resp, const char *ascii, const char *name);
/* A scratch directory for one rendered file: the library writes `dir/name`, we stream it and
 * remove both before answering (the open descriptor keeps the bytes). */
bool scratch_dir(char *dir, size_t size);
/* A report's table as JSON or as a downloaded file (CSV, XLSX, PDF) named name.ext
 * ("ranking.xlsx") and, for people, title.ext; the table is released. */
struct report_table;
enum report_format;
void reply_report_file(struct request *r, struct report_table *t, enum report_format fmt,
                       const char *name, const char *title);
/* Stream `path` (then removed, with its directory) as a download. */
void reply_file(struct request *r, const char *dir, const char *path, const char *type,
                const char *ascii, const char *name);

#endif
