#ifndef BAOXUE_COUNTIES_H
#define BAOXUE_COUNTIES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "domain/province.h"
#include "util/buf.h"

/*
 * The counties one server serves (issue 18, point 3; docs/decisions.md "one server for every
 * county of a province"). A server started on the province's schema of a shared PostgreSQL
 * database (domain/province.h) serves the province's and the cities' accounts, as before, and
 * every county registered there: a request's county is the one its session cookie names
 * (http/cookie.h), its connection one to that county's schema that the request holds from its
 * first callback to its completion, so that what the county's own server would run runs
 * unchanged on the county's tables. A county's own
 * server, or an SQLite file, has no registry: counties_open gives NULL and nothing changes.
 *
 * The registry is read at the start and again, at most every COUNTIES_REREAD seconds, as
 * requests name counties and as the job threads look for jobs: a county added while the server
 * runs is served without a restart, one taken off stops being served. A registered county whose
 * schema has no tables is left out, as if not registered.
 */

/* the connections to counties' schemas kept when no request holds them, and for how long */
#define COUNTIES_IDLE_MAX     64
#define COUNTIES_IDLE_SECONDS 600
#define COUNTIES_REREAD       2

struct store;
struct counties;

/* 0 with *out the registry of the province's schema main is on, or NULL on any other store;
 * -1 with a Chinese message in err. */
int counties_open(struct counties **out, struct store *main, struct buf *err);
/* After every thread that used it has stopped: their connections closed. NULL is nothing. */
void counties_close(struct counties *c);
/* The number of counties served. */
size_t counties_count(struct counties *c);

/* Is code a registered county? true with *out filled. s: the caller's connection to the
 * province's schema (the registry is read again on it when it is COUNTIES_REREAD old). */
bool counties_find(struct counties *c, struct store *s, const char *code,
                   struct province_county *out);
/* The registered counties, by code: [{"code": "140521", "name": "山西省晋城市沁水县"}, …] (the
 * registry read again on s when it was read more than COUNTIES_REREAD seconds ago). */
json_t *counties_json(struct counties *c, struct store *s);

/*
 * A connection to a registered county's schema for one request, from those the requests of
 * this server released (the most lately released of the county), else a new one; NULL with err.
 * The request holds it until counties_release, whatever other requests come meanwhile (an
 * upload holds it from its headers to its last byte). Released connections are kept for the
 * next requests of their county, COUNTIES_IDLE_MAX of them at most across all counties and none
 * idle longer than COUNTIES_IDLE_SECONDS.
 */
struct store *counties_acquire(struct counties *c, const struct province_county *county,
                               struct buf *err);
void counties_release(struct counties *c, const char *code, struct store *s);
/* A new connection to a registered county's schema (the caller closes it): 0, or -1 with err. */
int counties_connect(struct counties *c, const char *code, struct store **out, struct buf *err);

/*
 * The codes of the counties whose job table has a queued job, or with `running` a queued or
 * running one, in one round trip on s (the province's schema): *codes malloc'ed (free it),
 * *n of them. 0, or -1 (a store error).
 */
int counties_with_jobs(struct counties *c, struct store *s, bool running, char (**codes)[8],
                       size_t *n);

#endif
