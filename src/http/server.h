#ifndef BAOXUE_SERVER_H
#define BAOXUE_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/*
 * `baoxue serve`: libmicrohttpd in thread-pool + epoll mode over the store. Every worker thread
 * has its own store connection; nothing a second server would need lives in this process
 * (sessions are in the store).
 */
struct server_config {
    const char *db;
    const char *listen; /* "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:80" */
    const char *web;    /* directory of static files, NULL none */
    unsigned threads;
    size_t max_body;               /* bytes: larger request bodies get 413 */
    size_t max_header;             /* bytes of request line + headers per connection (431 beyond) */
    unsigned max_connections;      /* at once; more are answered 503 (http/gate.h) */
    unsigned reserved_connections; /* of those, kept for addresses with a session */
    unsigned per_address;          /* connections one address without a session may hold */
    unsigned header_timeout;       /* seconds to send a request's headers (0: no limit) */
    unsigned min_body_rate;        /* bytes a second a request body must bring (0: none) */
    unsigned timeout;              /* seconds of inactivity before a connection is closed */
    unsigned drain;                /* seconds a shutdown waits for running requests */
    bool secure_cookie;            /* add Secure to the session cookie (behind HTTPS) */
    const char *data_dir;      /* uploads are streamed to DIR/uploads/ (NULL: chosen by serve) */
    size_t max_upload;         /* bytes: the body limit of POST /api/v1/imports only */
    unsigned job_threads;      /* background jobs (imports, cross-checks) at once */
    unsigned job_lease;        /* seconds a server vouches for its jobs (domain/job.h); renewed */
    const char *trusted_proxy; /* the reverse proxy's address: its X-Forwarded-For is read */
    const char *db_read; /* a PostgreSQL streaming replica for lists and reports (NULL none) */
    double read_max_lag; /* seconds the replica may lag before the primary answers instead */
};
#define SERVER_CONFIG_INIT                                                                         \
    {                                                                                              \
        NULL, "127.0.0.1:8080", NULL, 4, 1 << 20, 16384, 2048, 256, 64, 10, 1024, 30, 30, false,   \
            NULL, (size_t)2 << 30, 2, 30, NULL, NULL, 30                                           \
    }

/* Serve until SIGTERM or SIGINT, then finish running requests and return 0; -1 with a
 * Chinese message when the server cannot start. */
int server_run(const struct server_config *cfg, struct buf *err);

/* Parse "host:port" / "[v6]:port" / ":port" into a socket address; -1 when malformed. */
struct sockaddr_storage;
int listen_parse(const char *text, struct sockaddr_storage *out, unsigned *len);

#endif
