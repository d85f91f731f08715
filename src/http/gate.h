#ifndef BAOXUE_GATE_H
#define BAOXUE_GATE_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "util/buf.h"

/*
 * The server's door (docs/decisions.md, Issue 11: the server). The server accepts its own
 * connections on one thread and hands those it admits to libmicrohttpd (MHD_add_connection); the
 * others are answered 503 and closed at once, so the kernel's queue never fills and nobody
 * waits in it. Admission counts connections overall and per client address (IPv4, or an IPv6
 * /64):
 *   - an address where nobody is signed in may hold at most `per_address` connections, and all
 *     such addresses together at most `max_connections - reserved`;
 *   - an address with a live session (one signed in, or a signed-in request served, within
 *     the session idle time) may use the reserve too, up to `per_address * 4` connections.
 * Deadlines, checked once a second: a connection waiting for a request's headers (a new one, or
 * a kept-alive one between requests) is closed `header_timeout` seconds after it started
 * waiting, however many bytes trickle in; a request body must bring at least `min_body_rate`
 * bytes a second over each window of `header_timeout` seconds. 0 turns each limit off.
 */
struct gate_limits {
    unsigned max_connections;
    unsigned reserved;       /* of max_connections, for addresses with a session */
    unsigned per_address;    /* 0: none */
    unsigned header_timeout; /* seconds; 0: none */
    unsigned min_body_rate;  /* bytes a second; 0: none */
};

/* The admission decision, from the counts at the moment a connection arrives. */
enum gate_verdict { GATE_ADMIT, GATE_FULL, GATE_ADDRESS_FULL };
enum gate_verdict gate_admit(const struct gate_limits *lim, unsigned total, unsigned at_address,
                             bool known);

/* The key an address is counted under: IPv4 (also v4-mapped IPv6) whole, IPv6 by its /64. */
struct gate_key {
    unsigned char b[16];
};
bool gate_key_of(const struct sockaddr *sa, struct gate_key *out);

/*
 * Raise this process's open-file limit to its hard limit (at most 65536) and return how many
 * connections fit under it (the limit less room for the database, the jobs and the log).
 */
unsigned gate_fd_budget(void);

/* Bind and listen on addr (-1 with a Chinese message); the port actually bound in *port. */
int gate_listen(const struct sockaddr *addr, socklen_t len, unsigned *port, struct buf *err);
/* Start the accepting thread, handing admitted connections to d. */
int gate_start(struct MHD_Daemon *d, const struct gate_limits *lim, struct buf *err);
/* Stop accepting and close the listening socket (new connections are refused by the kernel). */
void gate_stop(void);

/* MHD_OPTION_NOTIFY_CONNECTION: a connection begins or ends in libmicrohttpd. */
void gate_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                 enum MHD_ConnectionNotificationCode code);
/* A request's headers are in: its body (if any) is read next. */
void gate_headers_in(struct MHD_Connection *c);
/* n bytes of a request body arrived. */
void gate_body_in(struct MHD_Connection *c, size_t n);
/* The request is whole: the handler and the answer have no read deadline. */
void gate_request_whole(struct MHD_Connection *c);
/* The answer was sent (or the request ended): the connection waits for the next headers. */
void gate_request_done(struct MHD_Connection *c);
/* A signed-in request was served to this connection's address: it may use the reserve. */
void gate_known(struct MHD_Connection *c);

#endif
