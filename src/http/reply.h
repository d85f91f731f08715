#ifndef BAOXUE_REPLY_H
#define BAOXUE_REPLY_H

#include <jansson.h>

#include "util/outcome.h"

struct request;

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

#endif
