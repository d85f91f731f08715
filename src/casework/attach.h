#ifndef BAOXUE_ATTACH_H
#define BAOXUE_ATTACH_H

#include <jansson.h>
#include <stdint.h>

#include "domain/scope.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;

/*
 * Photos and scanned signed receipts (issue 14): attached to a verification (its task), to a
 * 劝返 attempt or to a notice of a case; and (issue 17) to a rectification item of an inspection
 * (SCOPE_RECTIFY: the evidence of 限期整改, casework/inspection.h). The bytes are the server's
 * cleaned image (ingest/photo.h) stored in the `attachment` table in the same statement as the row,
 * so a photo is kept whole or not at all and no file is left anywhere. Who may see one is who may
 * see its task or case (the caller checks the scope; the server does it before the handler); every
 * download of the image is a full read, audited.
 */
struct attach_input {
    const char *attempt; /* a case's 劝返 record, by its number */
    const char *notice;  /* a case's notice (the timeline's entry), by its number */
    const char *note;    /* what the photo shows: "签收的回执" */
};

/* The size limit in bytes (setting attachment_max_mb); -1 on a store error. */
int attach_limit(struct store *s, uint64_t *bytes, struct outcome *o);

/* A photo of the file at `path` attached to task `what` = SCOPE_TASK or case SCOPE_CASE `id`
 * (to the attempt or notice that `in` names: one of them for a case, neither for a task).
 * Refused, changing nothing, when the file is larger than the limit or not a photo. *new_id the
 * attachment's number. */
int attach_add(struct store *s, enum scope_object what, int64_t id, const struct attach_input *in,
               const char *path, const char *actor, int64_t *new_id, struct buf *msg,
               struct outcome *o);

/* The photos of a task or case, newest last: {"items": [{id, mime, size, note, attempt,
 * notice, added_by, added_at}]}, and for a case its notices to attach a receipt to,
 * "notices": [{id, date, text}]; NULL with the outcome. */
json_t *attach_list(struct store *s, enum scope_object what, int64_t id, struct outcome *o);

/* Photo `aid` of the task or case `id`: its bytes appended to out and its MIME type; the read
 * is audited (actor, origin from the thread). OUT_NOT_FOUND when it is not one of its photos. */
int attach_read(struct store *s, enum scope_object what, int64_t id, int64_t aid, const char *actor,
                struct buf *out, char *mime, size_t mime_size, struct outcome *o);

#endif
