/* Uploads: the multipart/form-data body of a row that reads a file, streamed to a file on this
 * server's disk, then queued as a job (an import, which this server runs: its file is here) or
 * run at once (a photo); the files (docs/decisions.md, Issue 11: the server): a name the server
 * makes, the user's file name kept only as metadata (valid UTF-8 whatever it came as), removal,
 * and the sweep at start-up of whatever a killed server left. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "casework/attach.h"
#include "domain/department.h"
#include "domain/job.h"
#include "http/args.h"
#include "http/reply.h"
#include "http/request.h"
#include "store/store.h"
#include "util/common.h"
#include "verb/verb.h"

int upload_create(const char *data_dir, char *path, size_t size)
{
    int n = snprintf(path, size, "%s/uploads", data_dir);
    if (n < 0 || (size_t)n + 16 >= size || (mkdir(path, 0700) < 0 && errno != EEXIST))
        return -1;
    snprintf(path, size, "%s/uploads/up-XXXXXX", data_dir);
    int fd = mkostemp(path, O_CLOEXEC);
    if (fd < 0)
        path[0] = '\0';
    return fd;
}

void upload_remove(const char *path)
{
    if (path && *path)
        unlink(path);
}

/* An entry of uploads/ and, for a directory (where earlier versions put each upload), what is
 * in it. */
static void remove_entry(const char *dir, const char *name)
{
    char path[8192];
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
        return;
    struct stat st;
    if (lstat(path, &st) < 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                remove_entry(path, e->d_name);
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

int uploads_kept(struct store *s, json_t *keep)
{
    struct stmt *st = store_prepare(
        s, "SELECT params FROM job WHERE kind = 'import' AND state IN ('queued', 'running')");
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == 1) {
        json_t *p = json_loads(stmt_text(st, 0), 0, NULL);
        const char *path = json_string_value(json_object_get(p, "path"));
        if (path)
            json_array_append_new(keep, json_string(path));
        json_decref(p);
    }
    stmt_finalize(st);
    return rc < 0 ? -1 : 0;
}

long uploads_sweep(const char *data_dir, json_t *keep)
{
    char dir[4096];
    if ((size_t)snprintf(dir, sizeof(dir), "%s/uploads", data_dir) >= sizeof(dir))
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    long removed = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char path[8192];
        if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path))
            continue;
        bool kept = false;
        size_t i;
        json_t *v;
        json_array_foreach(keep, i, v) if (!strcmp(json_string_value(v), path)) kept = true;
        if (!kept) {
            remove_entry(dir, e->d_name);
            removed++;
        }
    }
    closedir(d);
    return removed;
}

/* ---- the upload: multipart/form-data streamed to a file under the data directory ---- */

#define UPLOAD_FIELDS     8
#define UPLOAD_FIELD_SIZE 1024

struct upload {
    struct MHD_PostProcessor *pp;
    /* a row that is no job (a photo: verb/rows_attach.c): its fields by their keys, and the
     * limit of its file (0: the server's --max-upload) */
    const struct verb *verb;
    char values[UPLOAD_FIELDS][UPLOAD_FIELD_SIZE];
    bool given[UPLOAD_FIELDS];
    uint64_t limit, body;
    char kind[32], force[8], dry_run[8], confirm_shrink[8];
    char map[4096];  /* "表头=字段" lines, one per map part (issue 6: the import wizard) */
    char *file_name; /* as the user named it: metadata only (upload_display_name) */
    char path[4096]; /* the server's own name for it */
    FILE *f;
    uint64_t bytes;
    bool bad, io_error, too_large, two_files, handed_over;
};

bool upload_route(const char *method, const char *path)
{
    /* the routes of the rows that read a file take it as a streamed multipart upload */
    struct route_params rp;
    for (size_t i = 0; verbs[i]; i++)
        if ((verbs[i]->flags & VERB_FILE_IN) && verbs[i]->path &&
            !strcmp(method, verbs[i]->method) && route_match(verbs[i]->path, path, &rp))
            return true;
    return false;
}

static void field_add(struct upload *up, char *dst, size_t size, const char *data, size_t n)
{
    size_t len = strlen(dst);
    if (len + n >= size) {
        up->bad = true;
        return;
    }
    memcpy(dst + len, data, n);
    dst[len + n] = '\0';
}

static bool open_file(struct request *r, struct upload *up, const char *filename)
{
    char *name = upload_display_name(filename);
    up->file_name = arena_strdup(&r->arena, name);
    free(name);
    int fd = upload_create(r->cfg->data_dir, up->path, sizeof(up->path));
    if (fd < 0 || !(up->f = fdopen(fd, "wb"))) {
        if (fd >= 0) {
            close(fd);
            upload_remove(up->path);
        }
        up->path[0] = '\0';
        return false;
    }
    return true;
}

static bool form_yes(const char *v)
{
    return !strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "on") || !strcmp(v, "是");
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
    (void)kind, (void)content_type, (void)transfer_encoding;
    struct request *r = cls;
    struct upload *up = r->upload;
    if (!key)
        return MHD_YES;
    if (up->verb && strcmp(key, "file")) {
        /* a field of the row: kept by its place in the row; an unknown part is refused */
        const struct verb_field *f = verb_field(up->verb, key, strlen(key));
        size_t i = f ? (size_t)(f - up->verb->fields) : UPLOAD_FIELDS;
        if (i >= UPLOAD_FIELDS || (f->flags & VF_CLI))
            up->bad = true;
        else {
            up->given[i] = true;
            field_add(up, up->values[i], UPLOAD_FIELD_SIZE, data, size);
        }
    } else if (!strcmp(key, "kind")) {
        field_add(up, up->kind, sizeof(up->kind), data, size);
    } else if (!strcmp(key, "force")) {
        field_add(up, up->force, sizeof(up->force), data, size);
    } else if (!strcmp(key, "dry_run")) {
        field_add(up, up->dry_run, sizeof(up->dry_run), data, size);
    } else if (!strcmp(key, "confirm_shrink")) {
        field_add(up, up->confirm_shrink, sizeof(up->confirm_shrink), data, size);
    } else if (!strcmp(key, "map")) {
        if (off == 0 && up->map[0])
            field_add(up, up->map, sizeof(up->map), "\n", 1);
        field_add(up, up->map, sizeof(up->map), data, size);
    } else if (!strcmp(key, "file")) {
        if (off == 0 && up->path[0]) {
            up->two_files = true;
            return MHD_YES;
        }
        if (up->two_files || up->io_error)
            return MHD_YES;
        if (!up->f && !up->path[0] && !open_file(r, up, filename)) {
            up->io_error = true;
            return MHD_YES;
        }
        if (up->limit && up->bytes + size > up->limit) {
            /* beyond the row's limit: nothing more is written, the file is refused */
            up->too_large = true;
            return MHD_NO;
        }
        if (size && up->f && fwrite(data, 1, size, up->f) != size)
            up->io_error = true;
        up->bytes += size;
    }
    return up->bad ? MHD_NO : MHD_YES;
}

/* What a form around a photo may add to it: the boundaries, the part headers, the fields. */
#define UPLOAD_FORM_SLACK (64 * 1024)

static void reply_too_large(struct request *r, const struct upload *up)
{
    char msg[200];
    if (up->limit)
        snprintf(msg, sizeof(msg), "照片太大：不能超过 %llu MB；请降低相机分辨率或压缩后再上传",
                 (unsigned long long)(up->limit >> 20));
    else
        snprintf(msg, sizeof(msg), "上传的文件过大");
    reply_error_at(r, MHD_HTTP_CONTENT_TOO_LARGE, "payload_too_large", "file", msg);
}

void upload_begin(struct request *r)
{
    struct upload *up = arena_alloc(&r->arena, sizeof(*up));
    memset(up, 0, sizeof(*up));
    r->upload = up;
    const struct verb *v = r->route->verb;
    if (v && !(v->flags & VERB_JOB)) {
        /* a photo: its limit is a setting, and a body announced beyond it is refused at once */
        struct outcome o = OUTCOME_INIT;
        up->verb = v;
        if (attach_limit(r->store, &up->limit, &o) < 0) {
            reply_outcome(r, &o);
            outcome_release(&o);
            return;
        }
        const char *cl = request_header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > up->limit + UPLOAD_FORM_SLACK) {
            up->too_large = true;
            reply_too_large(r, up);
            return;
        }
    }
    up->pp = MHD_create_post_processor(r->conn, 65536, on_part, r);
    if (!up->pp)
        reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid_request",
                    "上传内容无效：应以表单上传名单类型和要导入的文件");
}

void upload_feed(struct request *r, const char *data, size_t n)
{
    struct upload *up = r->upload;
    if (!up || !up->pp || up->bad || up->too_large)
        return;
    up->body += n;
    if (up->bytes + n > r->cfg->max_upload ||
        (up->limit && up->body > up->limit + UPLOAD_FORM_SLACK)) {
        up->too_large = true;
        return;
    }
    if (MHD_post_process(up->pp, data, n) == MHD_NO)
        up->bad = true;
}

static void upload_close(struct upload *up)
{
    if (up->pp && MHD_destroy_post_processor(up->pp) == MHD_NO)
        up->bad = true;
    up->pp = NULL;
    if (up->f && fclose(up->f) != 0)
        up->io_error = true;
    up->f = NULL;
}

void upload_end(struct request *r)
{
    struct upload *up = r->upload;
    if (!up)
        return;
    upload_close(up);
    if (!up->handed_over)
        upload_remove(up->path);
}

void imports_post_h(struct request *r)
{
    struct upload *up = r->upload;
    if (!up)
        return;
    upload_close(up);
    enum import_kind kind;
    bool ok = false;
    struct outcome refusal = OUTCOME_INIT;
    if (up->too_large) {
        reply_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "payload_too_large", "上传的文件过大");
    } else if (up->bad) {
        reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid_request",
                    "上传内容无效：应为一个表单，含名单类型和要导入的文件");
    } else if (up->io_error) {
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
                    "服务器无法保存上传的文件（磁盘已满或数据目录不可写？）");
    } else if (up->two_files) {
        reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "一次只能上传一个文件");
    } else if (!up->kind[0] || kind_parse(up->kind, &kind) < 0) {
        char msg[200];
        snprintf(msg, sizeof(msg), "%s名单类型，应为%s、%s或%s", up->kind[0] ? "无效的" : "缺少",
                 kind_label(KIND_POPULATION), kind_label(KIND_ENROLLMENT),
                 kind_label(KIND_OUTSIDE));
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "kind", msg);
    } else if (r->scope.role == ROLE_DEPARTMENT &&
               department_check_upload(r->scope.department, kind, &refusal) < 0) {
        /* each department uploads its own kinds of list only */
        reply_outcome(r, &refusal);
    } else if (!up->path[0] || !up->bytes) {
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "file",
                       "缺少要导入的文件，或文件为空");
    } else {
        /* the form's fields by the row's keys (verb/rows_jobs.c), as a JSON body gives them */
        json_t *fields =
            json_pack("{s:s, s:s?, s:b, s:b, s:b}", "kind", kind_key(kind), "map",
                      up->map[0] ? up->map : NULL, "force", form_yes(up->force), "dry_run",
                      form_yes(up->dry_run), "confirm_shrink", form_yes(up->confirm_shrink));
        json_object_set_new(fields, "path", json_string(up->path));
        json_object_set_new(fields, "file_name", json_string(up->file_name));
        json_object_set_new(fields, "bytes", json_integer((json_int_t)up->bytes));
        int64_t id = job_submit(r, r->route->verb, fields);
        json_decref(fields);
        ok = up->handed_over = id > 0;
    }
    if (!ok) {
        /* before the answer leaves, not when the connection ends */
        upload_remove(up->path);
        up->path[0] = '\0';
    }
    outcome_release(&refusal);
}

/* A row that reads a file and is no job (a photo): its form's fields by the row's keys, the
 * file the upload wrote, the row run at once; the file is removed before the answer whatever
 * the end (the row keeps what it needs in the store). */
void file_verb_h(struct request *r)
{
    struct upload *up = r->upload;
    if (!up)
        return;
    upload_close(up);
    const struct verb *v = r->route->verb;
    if (up->too_large) {
        reply_too_large(r, up);
    } else if (up->bad || !up->verb) {
        reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid_request",
                    "上传内容无效：应为一个表单，含要上传的文件和说明等字段");
    } else if (up->io_error) {
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
                    "服务器无法保存上传的文件（磁盘已满或数据目录不可写？）");
    } else if (up->two_files) {
        reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "一次只能上传一个文件");
    } else if (!up->path[0] || !up->bytes) {
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "file",
                       "缺少要上传的照片，或文件为空");
    } else {
        void *in = arena_alloc(&r->arena, v->size);
        memset(in, 0, v->size);
        for (size_t i = 0; i < v->nfields && i < UPLOAD_FIELDS; i++)
            if (up->given[i] && (v->fields[i].flags & VF_FLAG))
                *verb_flag(&v->fields[i], in) = form_yes(up->values[i]);
            else if (up->given[i])
                *verb_text(&v->fields[i], in) = up->values[i];
        struct verb_call c = {.s = r->store,
                              .scope = &r->scope,
                              .actor = r->scope.user,
                              .id = path_id(r),
                              .in_path = up->path,
                              .in_name = up->file_name};
        struct outcome o = OUTCOME_INIT;
        if (verb_run(v, &c, in, &o) < 0)
            reply_outcome(r, &o);
        else
            reply_verb(r, v, &c);
        outcome_release(&o);
        verb_call_release(&c);
    }
    upload_remove(up->path);
    up->path[0] = '\0';
}
