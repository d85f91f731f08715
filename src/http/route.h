#ifndef BAOXUE_ROUTE_H
#define BAOXUE_ROUTE_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/scope.h"

/*
 * The server's routes are one table: the read routes of http/api.c and one route for each
 * action row that has a path (verb/verb.h, http/verbs.c). A row says the method, path pattern,
 * handler and the permission a caller needs, and for a route that addresses one casework object
 * by {id}, what kind of object it is and what the route does to it: the server checks the
 * caller's reach from these before the handler runs (server.c), never from the path's words.
 * A pattern is a path whose segments are literal or a {name} parameter that matches one
 * non-empty segment ("/api/v1/children/{id}").
 */
struct request;
struct verb;
typedef void (*route_handler)(struct request *r);

struct route {
    const char *method;  /* "GET", "POST", "DELETE", … (HEAD is answered by GET routes) */
    const char *pattern; /* "/api/v1/children/{id}" */
    route_handler handler;
    enum perm perm;
    const char *summary;      /* Chinese, also the OpenAPI summary */
    enum scope_object object; /* what {id} names (SCOPE_NONE: the permission decides) */
    enum scope_action action; /* what the route does to it */
    const struct verb *verb;  /* the action row a route serves, or NULL */
};

#define ROUTE_MAX_PARAMS 4
struct route_params {
    size_t n;
    struct {
        const char *name; /* points into the pattern, name_len bytes */
        size_t name_len;
        const char *value; /* points into the path, len bytes */
        size_t len;
    } p[ROUTE_MAX_PARAMS];
};

/* Does `path` (without query) match `pattern`? Parameters are captured into *out. */
bool route_match(const char *pattern, const char *path, struct route_params *out);

/*
 * The route for method and path, or NULL; *path_known says whether some route has the path
 * (then the answer is 405, not 404).
 */
const struct route *route_find(const struct route *routes, size_t n, const char *method,
                               const char *path, struct route_params *out, bool *path_known);

/* The value of parameter `name` copied into out (size bytes); false when absent or too long. */
bool route_param(const struct route_params *rp, const char *name, char *out, size_t size);

#endif
