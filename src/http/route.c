#include "http/route.h"

#include "util/common.h"

bool route_match(const char *pattern, const char *path, struct route_params *out)
{
    out->n = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            if (!close || out->n == ROUTE_MAX_PARAMS)
                return false;
            size_t len = strcspn(s, "/");
            if (len == 0)
                return false;
            out->p[out->n].name = p + 1;
            out->p[out->n].name_len = (size_t)(close - p - 1);
            out->p[out->n].value = s;
            out->p[out->n].len = len;
            out->n++;
            p = close + 1;
            s += len;
            continue;
        }
        if (*p != *s)
            return false;
        p++;
        s++;
    }
    return *p == '\0' && *s == '\0';
}

const struct route *route_find(const struct route *routes, size_t n, const char *method,
                               const char *path, struct route_params *out, bool *path_known)
{
    *path_known = false;
    bool head = !strcmp(method, "HEAD");
    for (size_t i = 0; i < n; i++) {
        struct route_params rp;
        if (!route_match(routes[i].pattern, path, &rp))
            continue;
        *path_known = true;
        if (!strcmp(routes[i].method, method) || (head && !strcmp(routes[i].method, "GET"))) {
            *out = rp;
            return &routes[i];
        }
    }
    return NULL;
}

bool route_param(const struct route_params *rp, const char *name, char *out, size_t size)
{
    size_t nl = strlen(name);
    for (size_t i = 0; i < rp->n; i++) {
        if (rp->p[i].name_len == nl && !memcmp(rp->p[i].name, name, nl)) {
            if (rp->p[i].len >= size)
                return false;
            memcpy(out, rp->p[i].value, rp->p[i].len);
            out[rp->p[i].len] = '\0';
            return true;
        }
    }
    return false;
}
