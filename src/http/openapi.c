/* The OpenAPI 3 document of the server's routes: the read routes as plain JSON in openapi.json
 * (compiled in by openapi_data.S), and one operation for each action row that has a route,
 * made from the row itself (its fields, labels, target and permission) when first asked for.
 * tests/unit/test_http.c checks that every route is in the document and nothing else is. */
#include <pthread.h>

#include "core/words.h"
#include "http/request.h"
#include "util/common.h"
#include "verb/verb.h"

extern const char baoxue_openapi_json[];

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char *document;

static json_t *error_ref(void)
{
    return json_pack("{s:s}", "$ref", "#/components/responses/Error");
}

/* A field's schema: its JSON type, its label, and what it takes. */
static json_t *field_schema(const struct verb_field *f)
{
    struct buf d = BUF_INIT;
    buf_adds(&d, f->label);
    if (f->hint)
        buf_addf(&d, "：%s", f->hint);
    if (f->type == VT_WORD && f->vocab) {
        buf_adds(&d, d.len ? "。可填：" : "可填：");
        for (size_t i = 0; i < f->vocab->n; i++)
            buf_addf(&d, "%s%s", i ? "、" : "", f->vocab->words[i].label);
    }
    const char *type = (f->flags & VF_FLAG) ? "boolean" : f->type == VT_INT ? "integer" : "string";
    json_t *s = json_pack("{s:s, s:s, s:s}", "type", type, "title", f->label, "description", d.buf);
    if (f->type == VT_DATE)
        json_object_set_new(s, "format", json_string("date"));
    if (f->type == VT_SECRET)
        json_object_set_new(s, "format", json_string("password"));
    buf_release(&d);
    return s;
}

static json_t *operation(const struct verb *v)
{
    json_t *params = json_array();
    if (v->target != VTG_NONE) {
        const char *name = v->target == VTG_ID ? "id" : v->target == VTG_NAME ? "name" : "key";
        json_array_append_new(params,
                              json_pack("{s:s, s:s, s:b, s:s, s:{s:s}}", "name", name, "in", "path",
                                        "required", 1, "description", v->target_label, "schema",
                                        "type", v->target == VTG_ID ? "integer" : "string"));
    }
    json_array_append_new(params,
                          json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", "X-CSRF-Token", "in",
                                    "header", "required", 1, "schema", "type", "string"));
    json_t *props = json_object(), *required = json_array();
    for (size_t i = 0; i < v->nfields; i++) {
        const struct verb_field *f = &v->fields[i];
        if (f->flags & VF_CLI)
            continue;
        json_object_set_new(props, f->key, field_schema(f));
        if (f->flags & VF_REQUIRED)
            json_array_append_new(required, json_string(f->key));
    }
    bool upload = v->flags & VERB_FILE_IN;
    if (upload) {
        /* a streamed multipart form: the file and the fields as form values */
        json_object_set_new(
            props, "file",
            json_pack("{s:s, s:s, s:s}", "type", "string", "format", "binary", "description",
                      v->flags & VERB_JOB ? "要导入的文件" : "要上传的照片（JPEG、PNG 或 WebP）"));
        json_array_append_new(required, json_string("file"));
        const char *key;
        json_t *p;
        json_object_foreach(props, key, p)
        {
            if (!strcmp(json_string_value(json_object_get(p, "type")), "boolean")) {
                json_object_set_new(p, "type", json_string("string"));
                json_object_set_new(p, "enum", json_pack("[s, s, s]", "1", "true", "是"));
            }
        }
    }
    json_t *schema = json_pack("{s:s, s:o}", "type", "object", "properties", props);
    if (!upload)
        json_object_set_new(schema, "additionalProperties", json_false());
    bool needs_body = json_array_size(required) > 0;
    if (needs_body)
        json_object_set_new(schema, "required", required);
    else
        json_decref(required);
    json_t *ok = (v->flags & VERB_FILE_OUT) ? json_pack("{s:s, s:{s:{}}}", "description",
                                                        "生成的文件", "content", "application/pdf")
                 : (v->flags & VERB_JOB)
                     ? json_pack("{s:s}", "description",
                                 "已排队的任务（轮询 /api/v1/jobs/{id}；结束后任务的 result 是"
                                 "做了什么，message 是给人读的说明）")
                     : json_pack("{s:s}", "description", "{message: 做了什么（中文）, …}");
    const char *ok_status = v->flags & VERB_JOB ? "202" : v->flags & VERB_CREATES ? "201" : "200";
    json_t *responses = json_pack("{s:o, s:o, s:o, s:o, s:o}", ok_status, ok, "400", error_ref(),
                                  "401", error_ref(), "403", error_ref(), "404", error_ref());
    if (upload)
        json_object_set_new(responses, "413", error_ref());
    return json_pack("{s:s, s:s, s:s, s:o, s:{s:b, s:{s:{s:o}}}, s:o}", "summary", v->summary,
                     "x-action", v->name, "x-audit", v->audit, "parameters", params, "requestBody",
                     "required", needs_body, "content",
                     upload ? "multipart/form-data" : "application/json", "schema", schema,
                     "responses", responses);
}

static void build(void)
{
    json_error_t je;
    json_t *doc = json_loads(baoxue_openapi_json, JSON_PRESERVE_ORDER, &je);
    json_t *paths = doc ? json_object_get(doc, "paths") : NULL;
    if (!paths) {
        document = xstrdup(baoxue_openapi_json); /* (test_http fails on a broken document) */
        json_decref(doc);
        return;
    }
    for (size_t i = 0; verbs[i]; i++) {
        const struct verb *v = verbs[i];
        if (!v->path)
            continue;
        json_t *item = json_object_get(paths, v->path);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, v->path, item);
        }
        char method[16];
        size_t n = 0;
        for (; v->method[n] && n + 1 < sizeof(method); n++)
            method[n] = (char)(v->method[n] | 0x20);
        method[n] = '\0';
        json_object_set_new(item, method, operation(v));
    }
    document = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(doc);
}

const char *openapi_document(void)
{
    pthread_once(&once, build);
    return document;
}
