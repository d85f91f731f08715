/* Every route of the server in one table: the read routes of http/api.c and one route for each
 * action row with a path (http/verbs.c), joined once when first asked for. */
#include <pthread.h>

#include "http/request.h"
#include "util/common.h"
#include "verb/verb.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct route *all;
static size_t count;

static void build(void)
{
    size_t nverbs = 0;
    while (verbs[nverbs])
        nverbs++;
    all = xcalloc(api_routes_count + nverbs, sizeof(*all));
    memcpy(all, api_routes, api_routes_count * sizeof(*all));
    count = api_routes_count + verb_routes(all + api_routes_count, nverbs);
}

const struct route *routes_all(size_t *n)
{
    pthread_once(&once, build);
    *n = count;
    return all;
}
