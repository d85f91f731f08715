#ifndef BAOXUE_PHOTO_H
#define BAOXUE_PHOTO_H

#include <stddef.h>

#include "util/buf.h"
#include "util/outcome.h"

/*
 * A photo or a scanned receipt as the server keeps it (issue 14, docs/decisions.md): JPEG, PNG or
 * WebP only, recognised by their bytes and walked to their end, never by the file's name. What
 * is kept is rebuilt from the parts an image needs to be drawn (the JPEG's tables and scans, the
 * PNG's header, palette and data, the WebP's bitstream and colour profile); what describes where
 * and with what it was taken — EXIF with its GPS position, XMP, comments, text chunks, times —
 * is left out. A JPEG's orientation (portrait photos are stored on their side with an EXIF tag
 * saying so) is kept as a new EXIF block holding that one tag. Anything else is refused with a
 * Chinese reason: other formats (SVG, PDF, text), an image cut short, bytes after the image's
 * end (a file that is an image and something else as well) — but for what phones append to a
 * JPEG (more JPEGs: a gain map, a depth map; Samsung's trailer), which is cut off.
 */
enum photo_type { PHOTO_JPEG, PHOTO_PNG, PHOTO_WEBP };

/* "image/jpeg", … */
const char *photo_mime(enum photo_type t);
/* "jpg", "png", "webp" */
const char *photo_ext(enum photo_type t);
/* The type of a MIME name as photo_mime writes it; -1 for any other. */
int photo_type_of(const char *mime);

/* The cleaned image of `n` bytes at `p` appended to `out` and its type in *type; -1 with the
 * outcome (OUT_INVALID, field "file") when the bytes are not an image of those kinds. */
int photo_clean(const unsigned char *p, size_t n, struct buf *out, enum photo_type *type,
                struct outcome *o);

#endif
