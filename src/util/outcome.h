#ifndef BAOXUE_OUTCOME_H
#define BAOXUE_OUTCOME_H

#include "util/buf.h"

/*
 * How a library function says why it failed: one convention for the whole library. A function
 * that can fail for a reason a person should read takes a `struct outcome *` as its last
 * argument and returns -1 (or NULL) after filling it with failed() or failed_at(); on success it
 * leaves the outcome alone. Each front end maps the kind once: the CLI to an exit code
 * (outcome_exit) and a line on stderr, the server to an HTTP status (http/reply.c).
 *
 * The message is Chinese prose for the person at the screen. It names fields by their labels
 * ("核查日期不能晚于今天"), never by a command-line option or a JSON key, and carries no child's
 * personal data when it may reach a log. `field` is the key of the field at fault, when there is
 * one, so that a front end may add its own hint: the CLI writes "（--date）" after the message,
 * the web form marks the field.
 */
enum outcome_kind {
    OUT_OK = 0,
    OUT_INVALID,   /* the input cannot be used as given (400, exit 2) */
    OUT_NOT_FOUND, /* no such object, or none within the caller's reach (404, exit 2) */
    OUT_NO_RUN,    /* nothing to read yet: no cross-check has run (404, exit 2) */
    OUT_FORBIDDEN, /* the caller may not do this (403, exit 2) */
    OUT_ERROR,     /* the store or the system failed, not the input (500, exit 1) */
};

struct outcome {
    enum outcome_kind kind;
    const char *field; /* key of the field at fault (static storage), or NULL */
    struct buf msg;    /* what went wrong, in Chinese; empty while kind is OUT_OK */
};
#define OUTCOME_INIT                                                                               \
    {                                                                                              \
        OUT_OK, NULL, BUF_INIT                                                                     \
    }

/* Set the kind, append the message (a second failure adds to the first, separated by "；");
 * returns -1 so that a caller writes `return failed(o, OUT_INVALID, "…")`. */
int failed(struct outcome *o, enum outcome_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* failed() naming the key of the field at fault. */
int failed_at(struct outcome *o, enum outcome_kind kind, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* OUT_ERROR with a message that is already text (a store's error message, say). */
int failed_error(struct outcome *o, const char *msg);

/* The exit code of the command-line contract for a kind: 0, 1 (OUT_ERROR) or 2. */
int outcome_exit(enum outcome_kind kind);
/* Forget a failure (kind OUT_OK, no field, empty message), keeping the buffer. */
void outcome_reset(struct outcome *o);
void outcome_release(struct outcome *o);

#endif
