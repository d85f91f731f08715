#include "http/cookie.h"

#include "util/common.h"

bool cookie_get(const char *header, const char *name, char *out, size_t size)
{
    if (!header || !size)
        return false;
    size_t nl = strlen(name);
    const char *p = header;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ';')
            p++;
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (eq) {
            size_t klen = (size_t)(eq - p);
            while (klen && (p[klen - 1] == ' ' || p[klen - 1] == '\t'))
                klen--;
            if (klen == nl && !memcmp(p, name, nl)) {
                const char *v = eq + 1;
                size_t vlen = len - (size_t)(v - p);
                while (vlen && (*v == ' ' || *v == '\t')) {
                    v++;
                    vlen--;
                }
                while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
                    vlen--;
                if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
                    v++;
                    vlen -= 2;
                }
                if (vlen == 0 || vlen >= size)
                    return false;
                memcpy(out, v, vlen);
                out[vlen] = '\0';
                return true;
            }
        }
        if (!end)
            break;
        p = end + 1;
    }
    return false;
}

bool cookie_session_get(const char *header, char *sid, size_t sid_size, char county[8])
{
    char v[160];
    county[0] = '\0';
    if (!cookie_get(header, SESSION_COOKIE, v, sizeof(v)))
        return false;
    const char *id = v;
    const char *dot = strchr(v, '.');
    if (dot) {
        if (dot - v != 6 || strspn(v, "0123456789") != 6)
            return false;
        memcpy(county, v, 6);
        county[6] = '\0';
        id = dot + 1;
    }
    size_t n = strlen(id);
    if (!n || n >= sid_size) {
        county[0] = '\0';
        return false;
    }
    memcpy(sid, id, n + 1);
    return true;
}

void cookie_session(char *out, size_t size, const char *value, long max_age, bool secure)
{
    snprintf(out, size, "%s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Strict%s", SESSION_COOKIE,
             value, max_age, secure ? "; Secure" : "");
}
