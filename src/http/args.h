#ifndef BAOXUE_ARGS_H
#define BAOXUE_ARGS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/scope.h"
#include "util/common.h"

/*
 * Internal to src/http: reading a request for the API's handlers — the query's arguments, the
 * path's {id}, the JSON body's fields. Each reader that can refuse returns false (0, NULL)
 * after replying 400/403/404 with a Chinese message that names the argument at fault; the
 * handler then returns without replying again.
 */
struct request;
struct child_query;

/* The {id} of the path, 0 unless it is all digits (for the casework routes the server has
 * already checked it names an object in the scope). */
int64_t path_id(struct request *r);
/* The {id} of /children/{id}/…: a child of the latest run within the scope (404 otherwise,
 * as GET /children/{id}); 0 after replying. */
int64_t child_path_id(struct request *r);

/* A query argument as a person knows it, for the messages that refuse it. */
const char *arg_label(const char *name);
/* A positive integer query argument (dflt when absent); false after replying 400. */
bool arg_int(struct request *r, const char *name, int64_t dflt, int64_t max, int64_t *out);
/* Empty or absent filters mean "any"; over-long ones are refused. */
bool arg_text(struct request *r, const char *name, size_t max, const char **out);
/* full=1: the role must be allowed (403 otherwise); the read is audited by the caller. */
bool arg_full(struct request *r, bool *full);
/* The scope's township filter (as summary_h); false after replying 404. */
bool arg_township(struct request *r, const char **township);
/*
 * The reach of a list of tasks or cases (domain/scope.h): a county-wide scope filters by the
 * township asked for, a township scope by its own (arg_township), a school scope by the ties
 * of the objects to its school. False after replying 403 (no such objects for this account)
 * or 404.
 */
bool arg_reach(struct request *r, enum scope_object what, const char **township, unsigned *ties,
               const char **school, const char **school_name);

/* page / per_page of a casework list (0: not asked, the whole list as before); false after
 * replying 400. */
struct paging {
    int64_t page, per_page;
};
bool arg_paging(struct request *r, struct paging *pg);

/* The children list's query (GET /children and the children-list download); false after
 * replying 400. */
bool child_query_args(struct request *r, struct child_query *cq);

/*
 * The body's fields named in `names` into out[] (NULL when absent or null); strings as given,
 * integers as decimal text, true/false as 是/否. Unknown fields and other types are refused.
 * The body (owner of the strings) is returned; NULL after replying 400.
 */
json_t *body_fields(struct request *r, const char *const *names, size_t n, const char **out);
/* body_fields of a static array of names, in a handler whose request is `r` */
#define BODY(names, vals) body_fields(r, names, ARRAY_SIZE(names), vals)

#endif
