/*
 * The rows of the two long actions: importing a list and the cross-check. On the command line
 * they run in the foreground with a bar (cli/verbs.c); over HTTP as background jobs that a
 * worker runs and the browser watches (http/jobs.c). Either way the same function does the
 * work, reports its progress to c->progress and says what it did in c->msg (what a person
 * reads) and c->result (what the API answers).
 */
#include "casework/attendance.h"
#include "casework/casework.h"
#include "core/date.h"
#include "core/words.h"
#include "domain/batch.h"
#include "domain/department.h"
#include "domain/match.h"
#include "ingest/import.h"
#include "ingest/rowflag.h"
#include "store/store.h"
#include "util/common.h"
#include "util/progress.h"
#include "verb/rows.h"

/* ---- import: one list as a new snapshot of its kind ---- */

struct import_input {
    const char *kind, *sheet, *map, *rejects, *school;
    bool force, confirm_shrink, dry_run;
};

static const struct verb_field import_fields[] = {
    FIELD(struct import_input, kind, VT_WORD, "名单类型", VF_REQUIRED, &import_kinds,
          "户籍（公安户籍适龄儿童）、学籍（学籍系统导出）或外出就读（本县儿童在外地就读名单）；"
          "学校的考勤表：考勤"),
    FIELD(struct import_input, sheet, VT_TEXT, "工作表", 0, NULL,
          "名称或序号（默认：第一个有表头的工作表）"),
    FIELD(struct import_input, map, VT_TEXT, "列对应", VF_LIST, NULL,
          "表头=字段，指定表头对应的字段，例如 学生名字=name（字段见导入说明）"),
    FIELD(struct import_input, rejects, VT_TEXT, "拒绝行文件", VF_CLI, NULL,
          "把被拒绝和有标记的行及原因写入这个 CSV 文件"),
    FIELD(struct import_input, force, VT_YESNO, "再次导入", VF_FLAG, NULL,
          "即使同一文件已导入过也再次导入"),
    FIELD(struct import_input, school, VT_TEXT, "考勤表的学校", VF_CLI, NULL,
          "只用于考勤表：表中没有学校列、只写了姓名时，是哪所学校的（学籍中的标识码或名称）"),
    FIELD(struct import_input, confirm_shrink, VT_YESNO, "确认人数减少", VF_FLAG, NULL,
          "名单人数低于当前名单的一定比例（设置 import_shrink_percent，默认 80%）时，确认无误"
          "仍然导入（不确认时这样的导入被拒绝）"),
    FIELD(struct import_input, dry_run, VT_YESNO, "只检查", VF_FLAG | VF_HTTP, NULL,
          "读取并检查每一行，不保存（导入向导的预览）"),
};

/* The field an import refusal's hint points at: what the person may change. */
static const char *hint_field(enum import_hint h)
{
    return h == IMPORT_HINT_MAP      ? "map"
           : h == IMPORT_HINT_FORCE  ? "force"
           : h == IMPORT_HINT_SHRINK ? "confirm_shrink"
                                     : NULL;
}

static json_t *import_result(const struct import_input *in, const struct import_options *io,
                             const struct import_summary *sum, const char *file_name)
{
    json_t *flags = json_object();
    for (int f = 0; f < RF__COUNT; f++)
        if (sum->flag_counts[f])
            json_object_set_new(flags, row_flag_key((enum row_flag)f),
                                json_integer(sum->flag_counts[f]));
    json_t *res = json_pack(
        "{s:I, s:s, s:s?, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:o}", "batch_id",
        (json_int_t)sum->batch_id, "kind", kind_key(io->kind), "file_name", file_name, "format",
        sum->format, "encoding", sum->encoding, "rows_read", (json_int_t)sum->rows_read,
        "rows_imported", (json_int_t)sum->rows_imported, "rows_flagged",
        (json_int_t)sum->rows_flagged, "rows_rejected", (json_int_t)sum->rows_rejected,
        "rows_skipped", (json_int_t)(sum->rows_title + sum->rows_blank + sum->rows_notes), "flags",
        flags);
    /* the snapshot it replaces (or would): the wizard asks before a sharp shrink */
    json_object_set_new(res, "pending", json_boolean(io->pending));
    json_object_set_new(res, "previous_batch",
                        sum->previous_batch ? json_integer(sum->previous_batch) : json_null());
    json_object_set_new(res, "previous_rows", json_integer(sum->previous_rows));
    json_object_set_new(res, "shrinks", json_boolean(sum->shrinks));
    json_object_set_new(res, "shrink_threshold", json_integer(io->shrink_percent));
    if (in->dry_run) {
        /* nothing was stored: what the import would do, for the wizard to confirm */
        json_object_set_new(res, "dry_run", json_true());
        json_object_set_new(res, "batch_id", json_null());
        json_object_set_new(res, "header_row", json_integer(sum->header_row));
        json_object_set_new(res, "sheet", sum->sheet ? json_string(sum->sheet) : json_null());
        json_object_set_new(res, "same_as_batch",
                            sum->same_as ? json_integer(sum->same_as) : json_null());
        json_t *labels = json_object();
        for (int f = 0; f < RF__COUNT; f++)
            if (sum->flag_counts[f])
                json_object_set_new(labels, row_flag_key((enum row_flag)f),
                                    json_string(row_flag_label((enum row_flag)f)));
        json_object_set_new(res, "flag_labels", labels);
        if (sum->preview)
            json_object_set(res, "preview", sum->preview);
    }
    return res;
}

static int import_check(const void *in_, struct outcome *o)
{
    const struct import_input *in = in_;
    if (attendance_kind_word(in->kind))
        return 0; /* a school's attendance sheet (casework/attendance.h) */
    if (vocab_parse(&import_kinds, in->kind) < 0) {
        struct buf why = BUF_INIT;
        vocab_error(&import_kinds, in->kind, &why);
        failed_at(o, OUT_INVALID, "kind", "%s", why.buf);
        buf_release(&why);
        return -1;
    }
    struct column_map *maps;
    size_t n;
    if (column_maps_parse(in->map, &maps, &n, o) < 0)
        return -1;
    column_maps_free(maps, n);
    return 0;
}

/* An attendance sheet (考勤表, issue 16): not a list's snapshot but absences added to the
 * schools' attendance, by casework/attendance.h (the sheet names its school, or its pupils by
 * 学籍号 or ID). */
static int attendance_sheet_run(struct verb_call *c, const struct import_input *in,
                                struct outcome *o)
{
    struct attendance_import_options ao = {.path = c->in_path,
                                           .name = c->in_name,
                                           .rejects_path = in->rejects,
                                           .school = in->school,
                                           .force = in->force,
                                           .dry_run = in->dry_run,
                                           .actor = c->actor,
                                           .report = c->progress};
    struct attendance_import_summary sum;
    progress_report(c->progress, true, 0, in->dry_run ? "正在检查" : "正在导入");
    if (attendance_import(c->s, c->scope, &ao, &sum, o) < 0)
        return -1;
    attendance_import_describe(&ao, &sum, &c->msg);
    c->result = attendance_import_json(&ao, &sum);
    json_object_set_new(c->result, "kind", json_string("attendance"));
    return 0;
}

static int import_run(struct verb_call *c, const void *in_, struct outcome *o)
{
    const struct import_input *in = in_;
    if (attendance_kind_word(in->kind))
        return attendance_sheet_run(c, in, o);
    struct import_options io = {.path = c->in_path,
                                .name = c->in_name,
                                .sheet = in->sheet,
                                .rejects_path = in->rejects,
                                .force = in->force,
                                .report = c->progress,
                                .actor = c->actor,
                                .dry_run = in->dry_run,
                                .preview = in->dry_run,
                                .shrink_confirmed = in->confirm_shrink};
    io.kind = (enum import_kind)vocab_parse(&import_kinds, in->kind); /* (import_check) */
    /* a department's upload waits for the county, and it uploads its own kinds only */
    if (c->scope->role == ROLE_DEPARTMENT) {
        if (department_check_upload(c->scope->department, io.kind, o) < 0)
            return -1;
        io.pending = true;
        io.department = c->scope->department;
    }
    struct column_map *maps = NULL;
    if (column_maps_parse(in->map, &maps, &io.nmaps, o) < 0)
        return -1;
    io.maps = maps;
    int rc = batch_shrink_percent(c->s, &io.shrink_percent);
    struct import_summary sum;
    memset(&sum, 0, sizeof(sum));
    if (rc < 0) {
        fail_store(c->s, o);
    } else {
        progress_report(c->progress, true, 0, in->dry_run ? "正在检查" : "正在导入");
        rc = import_file(c->s, &io, &sum, o);
    }
    if (rc < 0 && in->dry_run && sum.preview) {
        /* the header was found but cannot be used as it is: the wizard shows it to be mapped */
        c->result = json_pack(
            "{s:b, s:s, s:s, s:s?, s:I, s:O}", "dry_run", true, "error", o->msg.buf, "kind",
            kind_key(io.kind), "file_name", c->in_name, "header_row",
            json_integer_value(json_object_get(sum.preview, "header_row")), "preview", sum.preview);
        buf_adds(&c->msg, o->msg.buf);
        outcome_release(o);
        rc = 0;
    } else if (rc < 0) {
        if (!o->field)
            o->field = hint_field(sum.hint);
    } else {
        import_summary_describe(&io, &sum, &c->msg);
        if (sum.warning.len)
            buf_add(&c->warning, sum.warning.buf, sum.warning.len);
        c->result = import_result(in, &io, &sum, c->in_name);
    }
    column_maps_free(maps, io.nmaps);
    import_summary_release(&sum);
    return rc < 0 ? -1 : 0;
}

const struct verb verb_import = {
    .name = "import",
    .summary = "导入一份名单（户籍、学籍或外出就读），整份导入或整份不导入",
    .method = "POST",
    .path = "/api/v1/imports",
    .perm = PERM_UPLOAD,
    .audit = "import",
    .flags = VERB_FILE_IN | VERB_JOB,
    .size = sizeof(struct import_input),
    .fields = FIELDS(import_fields),
    .run = import_run,
    .check = import_check,
    .failure = "导入失败",
    .phase = "正在导入",
};

/* ---- match: the cross-check, then the casework it gives rise to ---- */

struct match_input {
    const char *as_of;
};

static const struct verb_field match_fields[] = {
    FIELD(struct match_input, as_of, VT_DATE, "比对基准日期", 0, NULL,
          "按这一天计算年龄和学年（默认今天）"),
};

static json_t *match_json(const struct match_result *res, const struct casework_summary *cw)
{
    json_t *counts = json_object();
    for (int st = 0; st < ST__COUNT; st++)
        json_object_set_new(counts, status_key((enum child_status)st),
                            json_integer(res->counts[st]));
    return json_pack(
        "{s:I, s:i, s:I, s:I, s:I, s:o, s:I, s:I, s:{s:I, s:I, s:I, s:I, s:I, s:I}, s:b}", "run_id",
        (json_int_t)res->run_id, "school_year", res->school_year, "population",
        (json_int_t)res->population, "links", (json_int_t)res->links, "review",
        (json_int_t)res->review, "counts", counts, "out_of_school",
        (json_int_t)(res->counts[ST_NOT_ENROLLED] + res->counts[ST_DROPPED_OUT]),
        "population_batch", (json_int_t)res->population_batch, "casework", "tasks_created",
        (json_int_t)cw->tasks_created, "cases_reopened", (json_int_t)cw->cases_reopened,
        "claims_flagged", (json_int_t)cw->claims_flagged, "tasks_closed",
        (json_int_t)cw->tasks_closed, "already_open", (json_int_t)cw->already_open,
        "outcomes_stand", (json_int_t)cw->outcomes_stand, "lists_unchanged",
        res->previous_run && !res->lists_new);
}

static int match_check(const void *in_, struct outcome *o)
{
    const struct match_input *in = in_;
    int ymd;
    if (in->as_of && *in->as_of && date_parse(in->as_of, strlen(in->as_of), &ymd) < 0)
        return failed_at(o, OUT_INVALID, "as_of",
                         "比对的基准日期“%s”不是有效的日期，应写成 2026-11-20", in->as_of);
    return 0;
}

static int match_row_run(struct verb_call *c, const void *in_, struct outcome *o)
{
    const struct match_input *in = in_;
    struct match_options mo = {.actor = c->actor, .report = c->progress};
    if (in->as_of && *in->as_of)
        date_parse(in->as_of, strlen(in->as_of), &mo.as_of); /* (match_check) */
    if (!mo.as_of)
        mo.as_of = date_today();
    if (calendar_load(c->s, &mo.cal) < 0)
        return fail_store(c->s, o);
    progress_report(c->progress, true, 0, "正在比对");
    struct match_result res;
    memset(&res, 0, sizeof(res));
    if (match_run(c->s, &mo, &res, o) < 0)
        return -1;
    /* the run is committed: whoever waits for it may say so (a job that ends early) */
    if (c->committed)
        c->committed(c, res.run_id);
    match_describe(&res, &c->msg);
    progress_report(c->progress, true, 0.97, "生成核查任务（第 %lld 次比对）",
                    (long long)res.run_id);
    /* casework follows in its own transaction */
    struct casework_summary cw;
    if (casework_after_match(c->s, res.run_id, c->actor, &cw, o) < 0) {
        struct buf why = BUF_INIT;
        buf_add(&why, o->msg.buf, o->msg.len);
        outcome_release(o);
        failed(o, OUT_ERROR, "比对结果已保存（第 %lld 次比对），但生成核查任务失败：%s",
               (long long)res.run_id, why.buf);
        buf_release(&why);
        return -1;
    }
    casework_describe(&cw, &c->msg);
    buf_setlen(&c->msg,
               c->msg.len && c->msg.buf[c->msg.len - 1] == '\n' ? c->msg.len - 1 : c->msg.len);
    c->result = match_json(&res, &cw);
    return 0;
}

const struct verb verb_match = {
    .name = "match",
    .summary = "用最新的户籍、学籍和外出就读数据比对，判定每名儿童的状态，并生成核查任务",
    .method = "POST",
    .path = "/api/v1/runs",
    .perm = PERM_IMPORT,
    .audit = "match",
    .flags = VERB_JOB,
    .size = sizeof(struct match_input),
    .fields = FIELDS(match_fields),
    .run = match_row_run,
    .check = match_check,
    .failure = "比对失败",
    .phase = "正在比对",
};
