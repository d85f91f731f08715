/*
 * libFuzzer harness for the server's parsers of what a client sends (issue 11): route matching
 * and path parameters (http/route.c), the Cookie header (http/cookie.c), a JSON body into the
 * fields of a request struct (http/parse.c, as every POST/PUT/PATCH handler reads it), and the
 * file name of a multipart upload (http/parse.c). The first byte chooses the target; the rest
 * is the input. Built with clang -fsanitize=fuzzer,address,undefined and run for 20 s by
 * `make test-sanitize` (ctest fuzz.http; CMakeLists.txt).
 */
#include <stdint.h>

#include "http/cookie.h"
#include "http/parse.h"
#include "http/route.h"
#include "util/common.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void handler(struct request *r)
{
    (void)r;
}

/* The shapes of the server's routes (api_routes): literal segments, {id}, {name}, nested. */
static const struct route routes[] = {
    {.method = "GET", .pattern = "/healthz", .handler = handler, .perm = PERM_PUBLIC},
    {.method = "POST", .pattern = "/api/v1/session", .handler = handler, .perm = PERM_PUBLIC},
    {.method = "GET", .pattern = "/api/v1/children", .handler = handler, .perm = PERM_CHILDREN},
    {.method = "GET",
     .pattern = "/api/v1/children/{id}",
     .handler = handler,
     .perm = PERM_CHILDREN},
    {.method = "GET",
     .pattern = "/api/v1/children/{id}/links",
     .handler = handler,
     .perm = PERM_CHILDREN},
    {.method = "POST",
     .pattern = "/api/v1/cases/{id}/notice",
     .handler = handler,
     .perm = PERM_WRITE},
    {.method = "POST",
     .pattern = "/api/v1/cases/{id}/attempts",
     .handler = handler,
     .perm = PERM_CASES},
    {.method = "GET",
     .pattern = "/api/v1/reports/{name}",
     .handler = handler,
     .perm = PERM_SUMMARY},
    {.method = "PUT",
     .pattern = "/api/v1/settings/{key}",
     .handler = handler,
     .perm = PERM_SETTINGS},
    {.method = "GET", .pattern = "/api/v1/review/{id}", .handler = handler, .perm = PERM_CHILDREN},
};

static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

static void fuzz_route(const char *path)
{
    for (size_t m = 0; m < ARRAY_SIZE(methods); m++) {
        struct route_params rp;
        bool known = false;
        const struct route *rt =
            route_find(routes, ARRAY_SIZE(routes), methods[m], path, &rp, &known);
        if (rt && !known)
            abort(); /* a route found on a path not known */
        char v[32];
        if (rt && route_param(&rp, "id", v, sizeof(v)) && strlen(v) >= sizeof(v))
            abort();
        for (size_t i = 0; rt && i < rp.n; i++)
            if (!rp.p[i].len || memchr(rp.p[i].value, '/', rp.p[i].len))
                abort(); /* a parameter is one non-empty segment */
    }
}

static void fuzz_cookie(const char *header)
{
    char out[65];
    if (cookie_get(header, SESSION_COOKIE, out, sizeof(out)) && strlen(out) >= sizeof(out))
        abort();
    char small[2];
    if (cookie_get(header, "a", small, sizeof(small)) && strlen(small) != 1)
        abort();
}

static void fuzz_body(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"date",   "method",    "people",   "said", "response",
                                        "result", "next_step", "corrects", "full"};
    const char *out[ARRAY_SIZE(names)];
    struct arena a;
    arena_init(&a, 0);
    enum body_error e;
    char why[200], field[72];
    json_t *j = body_fields_parse((const char *)data, size, names, ARRAY_SIZE(names), out, &a, &e,
                                  why, sizeof(why), field, sizeof(field));
    if (j) {
        for (size_t i = 0; i < ARRAY_SIZE(names); i++)
            if (out[i] && !utf8_valid(out[i], strlen(out[i]), false))
                abort(); /* jansson gives UTF-8 only */
    } else if (e == BODY_BAD_FIELD &&
               (!utf8_valid(why, strlen(why), false) || !utf8_valid(field, strlen(field), false))) {
        abort(); /* the key at fault is cut at a character: still UTF-8 */
    }
    json_decref(j);
    arena_release(&a);
}

static void fuzz_file_name(const char *raw)
{
    char *name = upload_display_name(raw);
    size_t len = strlen(name);
    if (!len || len > 4096 || !utf8_valid(name, len, false) || strchr(name, '/') ||
        strchr(name, '\\'))
        abort();
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
            abort();
    free(name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t which = data[0] % 4;
    data++;
    size--;
    char *text = xmalloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0'; /* paths, headers and names arrive NUL-terminated */
    switch (which) {
    case 0:
        fuzz_route(text);
        break;
    case 1:
        fuzz_cookie(text);
        break;
    case 2:
        fuzz_body(data, size);
        break;
    default:
        fuzz_file_name(text);
        break;
    }
    free(text);
    return 0;
}
