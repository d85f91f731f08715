/* The 通报's reads (issue 17, report/bulletin.h): the issued ones, one with its content, and one
 * as a PDF drawn from the content frozen when it was issued (/bulletins/3.pdf or ?format=pdf).
 * Issuing is an action row (verb/rows_bulletin.c). */
#include <unistd.h>

#include "http/api.h"
#include "http/args.h"
#include "http/reply.h"
#include "http/request.h"
#include "report/bulletin.h"
#include "util/common.h"

void bulletins_h(struct request *r)
{
    struct outcome o = OUTCOME_INIT;
    reply_read(r, bulletin_list(r->store, &r->scope, &o), &o);
}

static void pdf(struct request *r, int64_t id)
{
    char dir[512], path[600], name[160], ascii[64];
    if (!scratch_dir(dir, sizeof(dir))) {
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "无法创建临时文件");
        return;
    }
    snprintf(path, sizeof(path), "%s/out", dir);
    struct outcome o = OUTCOME_INIT;
    if (bulletin_pdf(r->store, &r->scope, id, path, name, sizeof(name), &o) < 0) {
        unlink(path);
        rmdir(dir);
        reply_outcome(r, &o);
    } else {
        snprintf(ascii, sizeof(ascii), "baoxue-bulletin-%lld.pdf", (long long)id);
        reply_file(r, dir, path, "application/pdf", ascii, name);
    }
    outcome_release(&o);
}

void bulletin_h(struct request *r)
{
    char arg[32] = "", *end = arg;
    long long id = 0;
    if (route_param(&r->params, "id", arg, sizeof(arg)) && arg[0] >= '0' && arg[0] <= '9')
        id = strtoll(arg, &end, 10);
    bool as_pdf = !strcmp(end, ".pdf");
    if (id <= 0 || (*end && !as_pdf)) {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这份通报");
        return;
    }
    const char *format;
    if (!arg_text(r, "format", 8, &format))
        return;
    if (format && *format && strcmp(format, "pdf") && strcmp(format, "json")) {
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "format",
                       "文件格式应为 PDF 或 JSON");
        return;
    }
    if (as_pdf || (format && !strcmp(format, "pdf"))) {
        pdf(r, id);
        return;
    }
    struct outcome o = OUTCOME_INIT;
    reply_read(r, bulletin_get(r->store, &r->scope, id, &o), &o);
}
