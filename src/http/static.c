/* Static files of the web UI: content types, caching, precompressed .gz siblings, the service
 * worker's scope, and never a byte from outside the directory. */
#include <fcntl.h>
#include <strings.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/request.h"
#include "util/common.h"

static const struct {
    const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".htm", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".map", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".ttf", "font/ttf"},
    {".otf", "font/otf"},
    {".txt", "text/plain; charset=utf-8"},
    {".pdf", "application/pdf"},
    {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {".csv", "text/csv; charset=utf-8"},
    {".wasm", "application/wasm"},
};

const char *static_content_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    const char *slash = strrchr(name, '/');
    if (dot && (!slash || dot > slash))
        for (size_t i = 0; i < ARRAY_SIZE(types); i++)
            if (!strcasecmp(dot, types[i].ext))
                return types[i].type;
    return "application/octet-stream";
}

bool static_is_hashed(const char *name)
{
    /* a dot-separated part of at least 8 hex digits or [A-Za-z0-9_-] of 8+ with a digit, as
     * bundlers write it: app.3f9a1c2e.js, index-BkX2c9aZ.css */
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    const char *ext = strrchr(base, '.');
    if (!ext || ext == base)
        return false;
    const char *p = base;
    while (p < ext) {
        size_t len = strcspn(p, ".-");
        if (p + len > ext)
            len = (size_t)(ext - p);
        size_t hex = 0, digits = 0, ok = 0;
        for (size_t i = 0; i < len; i++) {
            char c = p[i];
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
                hex++;
            if (c >= '0' && c <= '9')
                digits++;
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                c == '_')
                ok++;
        }
        if (p != base && len >= 8 && ok == len && digits > 0 && (hex == len || len <= 12))
            return true;
        p += len + 1;
    }
    return false;
}

bool static_resolve(const char *root, const char *path, char *out, size_t size)
{
    if (path[0] != '/' || strchr(path, '\\'))
        return false;
    /* no segment may be "." or ".."; empty segments (//) are refused too */
    for (const char *seg = path + 1; *seg;) {
        size_t len = strcspn(seg, "/");
        if ((len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.'))
            return false;
        if (len == 0 && seg[len])
            return false;
        seg += len + (seg[len] == '/');
    }
    char joined[PATH_MAX], real_root[PATH_MAX], real[PATH_MAX];
    size_t plen = strlen(path);
    int n = snprintf(joined, sizeof(joined), "%s%s%s", root, path,
                     plen && path[plen - 1] == '/' ? "index.html" : "");
    if (n < 0 || (size_t)n >= sizeof(joined))
        return false;
    if (!realpath(root, real_root) || !realpath(joined, real))
        return false;
    size_t rl = strlen(real_root);
    /* a symbolic link inside the directory may not point outside it */
    if (strncmp(real, real_root, rl) || (real[rl] != '/' && real[rl] != '\0'))
        return false;
    struct stat st;
    if (stat(real, &st) == 0 && S_ISDIR(st.st_mode)) {
        n = snprintf(joined, sizeof(joined), "%s/index.html", real);
        if (n < 0 || (size_t)n >= sizeof(joined) || !realpath(joined, real) ||
            strncmp(real, real_root, rl) || real[rl] != '/')
            return false;
    }
    if ((size_t)snprintf(out, size, "%s", real) >= size)
        return false;
    return true;
}

static bool accepts_gzip(struct request *r)
{
    const char *ae = request_header(r, MHD_HTTP_HEADER_ACCEPT_ENCODING);
    return ae && strstr(ae, "gzip") && !strstr(ae, "gzip;q=0");
}

void static_serve(struct request *r)
{
    char file[PATH_MAX];
    if (!static_resolve(r->cfg->web, r->path, file, sizeof(file))) {
        r->log_path = "(未知地址)";
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这个文件");
        return;
    }
    struct stat st;
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        r->log_path = "(未知地址)";
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这个文件");
        return;
    }
    r->log_path = r->path;
    const char *type = static_content_type(file);
    bool hashed = static_is_hashed(file);
    char etag[64], modified[64];
    snprintf(etag, sizeof(etag), "\"%llx-%llx\"", (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtime);
    struct tm tm;
    gmtime_r(&st.st_mtime, &tm);
    strftime(modified, sizeof(modified), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    const char *inm = request_header(r, MHD_HTTP_HEADER_IF_NONE_MATCH);
    const char *ims = request_header(r, MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
    if ((inm && strstr(inm, etag)) || (!inm && ims && !strcmp(ims, modified))) {
        close(fd);
        struct MHD_Response *resp = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag);
        reply_response(r, MHD_HTTP_NOT_MODIFIED, resp);
        return;
    }
    /* a precompressed sibling (file.gz) is sent as is to a client that takes gzip */
    bool gz = false;
    if (accepts_gzip(r)) {
        char gzname[PATH_MAX];
        struct stat gst;
        if ((size_t)snprintf(gzname, sizeof(gzname), "%s.gz", file) < sizeof(gzname)) {
            int gfd = open(gzname, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
            if (gfd >= 0 && fstat(gfd, &gst) == 0 && S_ISREG(gst.st_mode)) {
                close(fd);
                fd = gfd;
                st = gst;
                gz = true;
            } else if (gfd >= 0) {
                close(gfd);
            }
        }
    }
    struct MHD_Response *resp = MHD_create_response_from_fd64((uint64_t)st.st_size, fd);
    if (!resp) {
        close(fd);
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "无法读取文件");
        return;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    if (gz)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    if (hashed) {
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
                                "public, max-age=31536000, immutable");
    } else {
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_LAST_MODIFIED, modified);
    }
    /* the web UI's service worker (web/src/sw.js, issue 14: offline use) serves the whole site,
     * whatever directory the server is asked to present it from */
    if (!strcmp(r->path, "/sw.js"))
        MHD_add_response_header(resp, "Service-Worker-Allowed", "/");
    reply_response(r, MHD_HTTP_OK, resp);
}
