#include "store/audit.h"

#include <jansson.h>

#include "core/date.h"
#include "core/words.h"
#include "store/store.h"
#include "util/common.h"

/* The front end's origin on this thread (a request being served, a job being run). */
static _Thread_local const char *thread_origin;

void audit_set_origin(const char *origin)
{
    thread_origin = origin;
}

static _Thread_local struct store *thread_primary;

void audit_set_primary(struct store *primary)
{
    thread_primary = primary;
}

const char *audit_origin(void)
{
    return thread_origin ? thread_origin : "cli";
}

static const struct word object_words[OBJ__COUNT] = {
    [OBJ_TASK] = {"task", "核查任务", "verify_task|任务", 0, TONE_NONE},
    [OBJ_CASE] = {"case", "案件", NULL, 0, TONE_NONE},
    [OBJ_PERSON] = {"person", "人员", NULL, 0, TONE_NONE},
    [OBJ_USER] = {"user", "账号", "用户", 0, TONE_NONE},
    [OBJ_BATCH] = {"batch", "导入批次", "批次", 0, TONE_NONE},
    [OBJ_RUN] = {"run", "比对", NULL, 0, TONE_NONE},
    [OBJ_RECORD] = {"record", "儿童记录", "记录|儿童", 0, TONE_NONE},
    [OBJ_CANDIDATE] = {"candidate", "候选记录对", "记录对", 0, TONE_NONE},
    [OBJ_SETTING] = {"setting", "设置项", "设置", 0, TONE_NONE},
    [OBJ_SCHOOL] = {"school", "学校", NULL, 0, TONE_NONE},
    [OBJ_MONTHLY] = {"monthly", "月报", NULL, 0, TONE_NONE},
    [OBJ_INSPECTION] = {"inspection", "督导检查", NULL, 0, TONE_NONE},
    [OBJ_RECTIFY] = {"rectify", "整改事项", NULL, 0, TONE_NONE},
    [OBJ_BULLETIN] = {"bulletin", "通报", NULL, 0, TONE_NONE},
    [OBJ_MEETING] = {"meeting", "联席会议", NULL, 0, TONE_NONE},
    [OBJ_DECISION] = {"decision", "议定事项", NULL, 0, TONE_NONE},
    [OBJ_INTERVIEW] = {"interview", "约谈", NULL, 0, TONE_NONE},
    [OBJ_COMMITMENT] = {"commitment", "约谈承诺", NULL, 0, TONE_NONE},
};
const struct vocab audit_objects = {"审计对象", object_words, OBJ__COUNT};

static const struct word action_words[] = {
    {"login", "登录", NULL, 0, TONE_NONE},
    {"login_failed", "登录失败", NULL, 0, TONE_WARN},
    {"login_locked", "登录锁定", NULL, 0, TONE_BAD},
    {"logout", "退出登录", NULL, 0, TONE_NONE},
    {"read_full", "查看完整身份证号/电话", NULL, 0, TONE_WARN},
    {"export_full", "导出完整信息", NULL, 0, TONE_WARN},
    {"user_add", "新建账号", NULL, 0, TONE_NONE},
    {"user_disable", "停用账号", NULL, 0, TONE_NONE},
    {"user_enable", "启用账号", NULL, 0, TONE_NONE},
    {"user_password", "重设密码", NULL, 0, TONE_NONE},
    {"user_department", "指定部门", NULL, 0, TONE_NONE},
    {"user_person", "关联人员名册", NULL, 0, TONE_NONE},
    {"import", "导入数据", NULL, 0, TONE_NONE},
    {"import_accept", "确认部门上传的名单", NULL, 0, TONE_NONE},
    {"import_reject", "退回部门上传的名单", NULL, 0, TONE_NONE},
    {"match", "比对", NULL, 0, TONE_NONE},
    {"review", "人工复核", NULL, 0, TONE_NONE},
    {"explain", "查看比对说明", NULL, 0, TONE_NONE},
    {"child", "查看学生档案", NULL, 0, TONE_NONE},
    {"casework", "核查和个案", NULL, 0, TONE_NONE},
    {"verify", "记录核查结论", NULL, 0, TONE_NONE},
    {"assign", "指派责任人", NULL, 0, TONE_NONE},
    {"case_attempt", "劝返记录", NULL, 0, TONE_NONE},
    {"case_escalate", "依法控辍", NULL, 0, TONE_NONE},
    {"case_resolve", "劝返结果", NULL, 0, TONE_NONE},
    {"case_follow_up", "巩固回访", NULL, 0, TONE_NONE},
    {"case_close", "销号", NULL, 0, TONE_NONE},
    {"case_reopen", "重新打开案件", NULL, 0, TONE_NONE},
    {"notice", "打印通知书", NULL, 0, TONE_NONE},
    {"attach", "添加照片", NULL, 0, TONE_NONE},
    {"care_contact", "记录关爱联系", NULL, 0, TONE_NONE},
    {"pairing_add", "安排结对教师", NULL, 0, TONE_NONE},
    {"pairing_end", "结束结对", NULL, 0, TONE_NONE},
    {"attachment_read", "查看照片", NULL, 0, TONE_WARN},
    {"people_import", "导入人员名册", NULL, 0, TONE_NONE},
    {"person_add", "登记人员", NULL, 0, TONE_NONE},
    {"person_edit", "修改人员", NULL, 0, TONE_NONE},
    {"person_deactivate", "停用人员", NULL, 0, TONE_NONE},
    {"setting_set", "修改设置", NULL, 0, TONE_NONE},
    {"setting_unset", "恢复默认设置", NULL, 0, TONE_NONE},
    {"placement_set", "设置安置方式", NULL, 0, TONE_NONE},
    {"send_visit", "送教上门记录", NULL, 0, TONE_NONE},
    /* issue 16: the wellbeing ledgers (the details never quote an entry) */
    {"illness_add", "登记疾病台帐", NULL, 0, TONE_NONE},
    {"illness_follow", "疾病随访", NULL, 0, TONE_NONE},
    {"mental_add", "建立心理健康台帐", NULL, 0, TONE_NONE},
    {"mental_note", "心理健康干预或复查", NULL, 0, TONE_NONE},
    {"mental_grant", "授予或撤销心理健康台帐权限", NULL, 0, TONE_WARN},
    {"mental_read", "查看心理健康台帐", NULL, 0, TONE_WARN},
    {"attendance_record", "记录考勤", NULL, 0, TONE_NONE},
    {"attendance_replace", "改记考勤", NULL, 0, TONE_NONE},
    {"attendance_remove", "撤销考勤记录", NULL, 0, TONE_WARN},
    {"attendance_import", "导入考勤表", NULL, 0, TONE_NONE},
    {"school_closure", "登记学校停课", NULL, 0, TONE_NONE},
    {"school_reopen", "撤销学校停课", NULL, 0, TONE_NONE},
    {"warning_update", "处置考勤预警", NULL, 0, TONE_NONE},
    {"warning_refresh", "重新计算考勤预警", NULL, 0, TONE_NONE},
    /* issue 17: the monthly report's confirmation */
    {"monthly_confirm", "确认月报", NULL, 0, TONE_NONE},
    {"monthly_issue", "审定上报全县月报", NULL, 0, TONE_NONE},
    {"monthly_withdraw", "撤回乡镇的月报确认", NULL, 0, TONE_WARN},
    /* issue 17: 督导检查 and 限期整改 */
    {"inspection_create", "记录督导检查", NULL, 0, TONE_NONE},
    {"finding_add", "记录检查发现的问题", NULL, 0, TONE_NONE},
    {"rectify_update", "整改进展和提交", NULL, 0, TONE_NONE},
    {"rectify_decide", "整改验收或退回", NULL, 0, TONE_NONE},
    /* issue 17: the 通报 */
    {"bulletin_issue", "印发通报", NULL, 0, TONE_NONE},
    /* issue 17: 联席会议 and 约谈 (casework/meeting.h) */
    {"meeting_add", "登记联席会议", NULL, 0, TONE_NONE},
    {"meeting_decide", "登记联席会议议定事项", NULL, 0, TONE_NONE},
    {"decision_progress", "报告议定事项进展", NULL, 0, TONE_NONE},
    {"duty_check", "登记部门职责检查", NULL, 0, TONE_NONE},
    {"interview_add", "登记约谈", NULL, 0, TONE_NONE},
    {"interview_commit", "登记约谈承诺", NULL, 0, TONE_NONE},
    {"interview_follow", "约谈回访", NULL, 0, TONE_NONE},
    /* issue 17: 招生入学 */
    {"catchment_set", "划定学区", NULL, 0, TONE_NONE},
    {"catchment_remove", "取消学区", NULL, 0, TONE_WARN},
    {"catchment_import", "导入学区表", NULL, 0, TONE_NONE},
    {"entrant_apply", "登记入学申请", NULL, 0, TONE_NONE},
    /* issue 18: backup and restore (store/backup.h) */
    {"backup", "备份数据库", NULL, 0, TONE_NONE},
    {"restore", "从备份恢复数据库", NULL, 0, TONE_WARN},
    /* issue 18: the province's table of the counties' indicators, computed and kept */
    {"province_indicators", "计算各县指标", NULL, 0, TONE_NONE},
};
const struct vocab audit_actions = {"审计操作", action_words, ARRAY_SIZE(action_words)};

const char *audit_target_name(char *out, enum audit_object o, const char *name)
{
    snprintf(out, AUDIT_TARGET_SIZE, "%s:%s", object_words[o].key, name);
    return out;
}

const char *audit_target(char *out, enum audit_object o, int64_t id)
{
    snprintf(out, AUDIT_TARGET_SIZE, "%s:%lld", object_words[o].key, (long long)id);
    return out;
}

/*
 * The object a target names (any spelling: "task:12", "verify_task:12", "核查任务 12",
 * "核查任务12") and its id; -1 when it names no kind (an older row's bare account name, or a
 * word nobody wrote).
 */
static int target_parse(const char *target, const char **id)
{
    const char *colon = strchr(target, ':');
    char kind[64];
    if (colon) {
        *id = colon + 1;
        snprintf(kind, sizeof(kind), "%.*s", (int)(colon - target), target);
        return *kind ? vocab_parse(&audit_objects, kind) : -1;
    }
    /* a label and the id after it: "核查任务 12" */
    for (int o = 0; o < OBJ__COUNT; o++) {
        size_t n = strlen(object_words[o].label);
        if (!strncmp(target, object_words[o].label, n) && target[n]) {
            const char *p = target + n;
            while (*p == ' ')
                p++;
            if (*p) {
                *id = p;
                return o;
            }
        }
    }
    return -1;
}

void audit_target_label(const char *target, char *out, size_t size)
{
    const char *id = NULL;
    int o = target && *target ? target_parse(target, &id) : -1;
    if (o >= 0)
        snprintf(out, size, "%s %s", object_words[o].label, id);
    else if (target && *target) /* before the kinds: an account's bare name */
        snprintf(out, size, "%s %s", object_words[OBJ_USER].label, target);
    else
        snprintf(out, size, "%s", "");
}

/* Every spelling of the object `target` names (the one of today first); n of them, at most 3. */
static int target_spellings(const char *target, char out[3][AUDIT_TARGET_SIZE])
{
    const char *id = NULL;
    int o = target_parse(target, &id), n = 0;
    if (o < 0) { /* a bare name: an account's, before accounts were user:NAME */
        audit_target_name(out[n++], OBJ_USER, target);
        snprintf(out[n++], AUDIT_TARGET_SIZE, "%s", target);
        return n;
    }
    audit_target_name(out[n++], (enum audit_object)o, id);
    const char *a = object_words[o].aliases;
    /* the older ASCII spelling of the kind (verify_task), which rows may still carry */
    for (const char *p = a; p && *p && n < 3;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if ((unsigned char)*p < 0x80)
            snprintf(out[n++], AUDIT_TARGET_SIZE, "%.*s:%s", (int)len, p, id);
        p = bar ? bar + 1 : NULL;
    }
    if (o == OBJ_USER && n < 3)
        snprintf(out[n++], AUDIT_TARGET_SIZE, "%s", id);
    return n;
}

int audit_record(struct store *s, const char *actor, const char *origin, const char *action,
                 const char *target, const char *detail)
{
    if (!origin)
        origin = audit_origin();
    if (s->replica && thread_primary)
        s = thread_primary; /* a read on the replica is audited on the primary */
    char now[32];
    date_now_text(now, sizeof(now));
    /* stmt_bind_str binds "" as NULL; an unnamed caller is still someone */
    const char *p[] = {now, actor && *actor ? actor : "unknown", origin, action, target, detail};
    /* the next link of the chain (schema step 10), read and written by one statement, which
     * SQLite runs under its one writer's lock; PostgreSQL's trigger recomputes both under its
     * advisory lock */
    return store_run(s,
                     "INSERT INTO audit (at, actor, origin, action, target, detail, seq, hash)"
                     " VALUES ($1, $2, $3, $4, $5, $6,"
                     " (SELECT coalesce(max(seq), 0) + 1 FROM audit),"
                     " baoxue_audit_hash((SELECT coalesce(max(hash), '') FROM audit"
                     "  WHERE seq = (SELECT max(seq) FROM audit)),"
                     " (SELECT coalesce(max(seq), 0) + 1 FROM audit), $1, $2, $3, $4, $5, $6))",
                     6, p);
}

int audit_verify(struct store *s, struct audit_check *out)
{
    memset(out, 0, sizeof(*out));
    /* each row against the one before it in seq order: a missing row is a gap in seq, a
     * changed one a hash that its fields and its predecessor's hash no longer give */
    /* each row joined to the one numbered before it, streamed in seq order (no window over
     * the whole trail) */
    struct stmt *q = store_prepare(
        s, "SELECT coalesce(a.seq, 0), coalesce(a.hash, ''), a.id,"
           " baoxue_audit_hash(coalesce(p.hash, ''), a.seq, a.at, a.actor, a.origin, a.action,"
           " a.target, a.detail)"
           " FROM audit a LEFT JOIN audit p ON p.seq = a.seq - 1 ORDER BY a.seq, a.id");
    if (!q)
        return -1;
    int rc;
    int64_t expect = 1;
    while ((rc = stmt_step(q)) == 1) {
        int64_t seq = stmt_int(q, 0);
        const char *hash = stmt_text(q, 1);
        out->rows++;
        if (!out->first_bad && (seq != expect || strcmp(hash, stmt_text(q, 3)))) {
            out->first_bad = seq ? seq : -1;
            out->bad_id = stmt_int(q, 2);
            out->missing = seq > expect ? seq - expect : 0;
        }
        expect = seq + 1;
        out->last_seq = seq;
        snprintf(out->last_hash, sizeof(out->last_hash), "%s", hash);
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

int audit_head(struct store *s, int64_t *seq, char hash[65])
{
    *seq = 0;
    hash[0] = '\0';
    struct stmt *q = store_prepare(
        s, "SELECT seq, coalesce(hash, '') FROM audit WHERE seq IS NOT NULL ORDER BY seq DESC"
           " LIMIT 1");
    if (!q)
        return -1;
    int rc = stmt_step(q);
    if (rc == 1) {
        *seq = stmt_int(q, 0);
        snprintf(hash, 65, "%s", stmt_text(q, 1));
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

/* $3, $6, $7: the spellings of the target */
#define AUDIT_WHERE                                                                                \
    " WHERE (CAST($1 AS TEXT) IS NULL OR actor = $1) AND (CAST($2 AS TEXT) IS NULL OR action = "   \
    "$2)"                                                                                          \
    " AND (CAST($3 AS TEXT) IS NULL OR target = $3 OR target = $6 OR target = $7)"                 \
    " AND (CAST($4 AS TEXT) IS NULL OR at >= $4) AND (CAST($5 AS TEXT) IS NULL OR at <= $5 || "    \
    "'~')"

static void bind_filters(struct stmt *st, const struct audit_query *q)
{
    char sp[3][AUDIT_TARGET_SIZE];
    int n = q->target && *q->target ? target_spellings(q->target, sp) : 0;
    /* an action by its label (登录) as well as its key (login) */
    int a = q->action && *q->action ? vocab_parse(&audit_actions, q->action) : -1;
    stmt_bind_str(st, 1, q->actor);
    stmt_bind_str(st, 2, a >= 0 ? action_words[a].key : q->action);
    stmt_bind_str(st, 3, n ? sp[0] : NULL);
    stmt_bind_str(st, 4, q->since);
    stmt_bind_str(st, 5, q->until);
    stmt_bind_str(st, 6, n > 1 ? sp[1] : n ? sp[0] : NULL);
    stmt_bind_str(st, 7, n > 2 ? sp[2] : n ? sp[0] : NULL);
}

/* Where a row came from, as the log shows it: "命令行", "网页或接口（10.0.0.7）". */
static json_t *origin_label(const char *origin)
{
    if (!strcmp(origin, "cli"))
        return json_string("命令行");
    if (!strncmp(origin, "api ", 4))
        return json_sprintf("网页或接口（%s）", origin + 4);
    return json_string(origin);
}

static json_t *text_or_null(struct stmt *st, int col)
{
    return stmt_is_null(st, col) ? json_null() : json_string(stmt_text(st, col));
}

json_t *audit_list(struct store *s, const struct audit_query *q)
{
    struct stmt *c = store_prepare(s, "SELECT count(*) FROM audit" AUDIT_WHERE);
    if (!c)
        return NULL;
    bind_filters(c, q);
    int rc = stmt_step(c);
    int64_t total = rc == 1 ? stmt_int(c, 0) : 0;
    stmt_finalize(c);
    if (rc < 0)
        return NULL;
    struct stmt *st = store_prepare(
        s, "SELECT id, at, actor, origin, action, target, detail, " ACTOR_NAME_SQL(
               "actor") " FROM audit" AUDIT_WHERE " ORDER BY id DESC LIMIT $8 OFFSET $9");
    if (!st)
        return NULL;
    bind_filters(st, q);
    stmt_bind_int(st, 8, q->per_page);
    stmt_bind_int(st, 9, (q->page - 1) * q->per_page);
    json_t *items = json_array();
    while ((rc = stmt_step(st)) == 1) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(stmt_int(st, 0)));
        json_object_set_new(o, "at", json_string(stmt_text(st, 1)));
        json_object_set_new(o, "actor", json_string(stmt_text(st, 2)));
        json_object_set_new(o, "actor_name", json_string(stmt_text(st, 7)));
        json_object_set_new(o, "origin", json_string(stmt_text(st, 3)));
        json_object_set_new(o, "origin_label", origin_label(stmt_text(st, 3)));
        json_object_set_new(o, "action", json_string(stmt_text(st, 4)));
        const char *al = vocab_label(&audit_actions, stmt_text(st, 4));
        json_object_set_new(o, "action_label", json_string(*al ? al : stmt_text(st, 4)));
        json_object_set_new(o, "target", text_or_null(st, 5));
        char tl[AUDIT_TARGET_SIZE + 32];
        audit_target_label(stmt_text(st, 5), tl, sizeof(tl));
        json_object_set_new(o, "target_label", *tl ? json_string(tl) : json_null());
        json_object_set_new(o, "detail", text_or_null(st, 6));
        json_array_append_new(items, o);
    }
    stmt_finalize(st);
    if (rc < 0) {
        json_decref(items);
        return NULL;
    }
    return json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total, "page",
                     (json_int_t)q->page, "per_page", (json_int_t)q->per_page);
}
