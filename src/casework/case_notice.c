/* Notices (通知书) of a case: what the ladder step writes to a family, as a PDF. */
#include "casework/case.h"
#include "casework/case_impl.h"

#include "casework/event.h"
#include "core/date.h"
#include "core/division.h"
#include "core/view.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "store/audit.h"
#include "ingest/field.h"
#include "render/notice.h"
#include "store/store.h"
#include "util/common.h"
#include "util/fieldtext.h"

/* One text column of the first row of `sql` with $1 = id, into out ("" when none). */
static int text_of(struct store *s, const char *sql, int64_t id, char *out, size_t size)
{
    struct stmt *q = store_prepare(s, sql);
    if (!q)
        return -1;
    stmt_bind_int(q, 1, id);
    int rc = stmt_step(q);
    snprintf(out, size, "%s", rc == 1 ? stmt_text(q, 0) : "");
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

int case_notice(struct store *s, int64_t case_id, const struct notice_input *in, const char *path,
                const char *actor, struct buf *msg, struct outcome *o)
{
    const struct text_field typed[] = {
        {"发文机关", in->authority, TEXT_LINE, "authority"},
        {"文号", in->doc_number, TEXT_LINE, "doc_number"},
        {"学校", in->school, TEXT_LINE, "school"},
        {"年级", in->grade, TEXT_LINE, "grade"},
        {"联系人", in->contact, TEXT_LINE, "contact"},
    };
    if (text_check_all(typed, ARRAY_SIZE(typed), o) < 0)
        return -1;
    int kind = notice_kind_parse(in->kind ? in->kind : "");
    if (kind < 0)
        return failed_at(o, OUT_INVALID, "kind",
                         "通知书种类“%s”无效，应为劝返复学通知书或责令限期改正通知书",
                         in->kind ? in->kind : "");
    if (case_blank(path))
        return failed_at(o, OUT_INVALID, "output", "缺少要写入的文件（.pdf）");
    int issue = date_today();
    if (!case_blank(in->date) && date_parse(in->date, strlen(in->date), &issue) < 0)
        return failed_at(o, OUT_INVALID, "date", "日期“%s”不是有效日期", in->date);
    struct case_row c;
    if (case_load(s, case_id, &c, o) < 0)
        return -1;
    if (!strcmp(c.state, "closed"))
        return case_must_be(&c, "open", "出具通知书", o);

    /* the child and guardian, from the record that opened the case */
    char name[128] = "", birth[16] = "", idn[32] = "", guardian[128] = "", address[512] = "";
    char township[64] = "", idshown[VIEW_ID_SIZE] = "";
    int gender = 0;
    {
        struct stmt *q = store_prepare(
            s, "SELECT coalesce(name, ''), coalesce(gender, 0), coalesce(birth_date, ''),"
               " coalesce(id_number, id_raw, ''), coalesce(guardian, ''), coalesce(address, ''),"
               " coalesce(township, '') FROM record WHERE id = $1");
        if (!q)
            return fail_store(s, o);
        stmt_bind_int(q, 1, c.record);
        int rc = stmt_step(q);
        if (rc == 1) {
            snprintf(name, sizeof(name), "%s", stmt_text(q, 0));
            gender = (int)stmt_int(q, 1);
            snprintf(birth, sizeof(birth), "%s", stmt_text(q, 2));
            snprintf(idn, sizeof(idn), "%s", stmt_text(q, 3));
            snprintf(guardian, sizeof(guardian), "%s", stmt_text(q, 4));
            snprintf(address, sizeof(address), "%s", stmt_text(q, 5));
            snprintf(township, sizeof(township), "%s", stmt_text(q, 6));
        }
        stmt_finalize(q);
        if (rc < 0)
            return fail_store(s, o);
    }
    /* on paper as on screen: masked unless --full, an age in place of the birth date */
    struct view v;
    if (run_view(s, in->full, &v) < 0)
        return fail_store(s, o);
    if (v.full || strlen(idn) == 18) /* a notice leaves out a number that is not one */
        view_id(&v, idn, idshown);
    if (!*guardian)
        return failed(o, OUT_INVALID,
                      "户籍记录中没有监护人姓名，无法出具通知书；请先在户籍数据中补全监护人");

    /* the county, the issuing body, the deadline */
    struct buf county = BUF_INIT, authority = BUF_INIT, contact = BUF_INIT, age = BUF_INIT;
    char code[8] = "", step_authority[256] = "", step_deadline[16] = "", deadline[16] = "";
    char school[256] = "", grade[64] = "";
    int ret = -1;
    struct buf cv = BUF_INIT;
    int got = store_get_setting(s, "county", &cv);
    if (got == 1 && cv.len == 6)
        memcpy(code, cv.buf, 7);
    buf_release(&cv);
    /* the latest 书面通知/责令限期改正 step: its authority and deadline */
    struct stmt *lq = got < 0 ? NULL
                              : store_prepare(s, "SELECT authority, coalesce(deadline, '')"
                                                 " FROM ladder_step WHERE case_id = $1 AND step = 2"
                                                 " ORDER BY id DESC LIMIT 1");
    int lrc = -1;
    if (lq) {
        stmt_bind_int(lq, 1, case_id);
        if ((lrc = stmt_step(lq)) == 1) {
            snprintf(step_authority, sizeof(step_authority), "%s", stmt_text(lq, 0));
            snprintf(step_deadline, sizeof(step_deadline), "%s", stmt_text(lq, 1));
        }
        stmt_finalize(lq);
    }
    if (lrc < 0) {
        fail_store(s, o);
        goto out;
    }
    const char *cname = *code ? division_county_name(code) : NULL;
    buf_adds(&county, cname ? cname : "");
    if (!county.len) {
        failed(o, OUT_INVALID, "还没有设置本县，通知书无法写明县名");
        goto out;
    }
    if (!case_blank(in->authority))
        buf_adds(&authority, in->authority);
    else if (kind == NOTICE_ORDER && *step_authority)
        buf_adds(&authority, step_authority);
    else if (*township || *c.township)
        buf_addf(&authority, "%s人民政府", *c.township ? c.township : township);
    else
        buf_addf(&authority, "%s教育局", county.buf);
    if (!case_blank(in->deadline)) {
        int d;
        if (date_parse(in->deadline, strlen(in->deadline), &d) < 0) {
            failed_at(o, OUT_INVALID, "deadline", "改正期限“%s”不是有效日期", in->deadline);
            goto out;
        }
        date_format(d, deadline);
    } else if (kind == NOTICE_ORDER) {
        if (!*step_deadline) {
            failed_at(o, OUT_INVALID, "deadline",
                      "责令限期改正通知书需要改正期限：请先记录依法控辍第 2 步（责令限期改正）"
                      "及其限期，或在此写明改正期限");
            goto out;
        }
        snprintf(deadline, sizeof(deadline), "%s", step_deadline);
    }
    /* the school: given, the case's outcome, or the school of the child's 学籍 record */
    if (!case_blank(in->school)) {
        snprintf(school, sizeof(school), "%s", in->school);
    } else if (*c.outcome_school) {
        snprintf(school, sizeof(school), "%s", c.outcome_school);
    } else {
        /* the record the run's status rests on (a 辍学 child's last school) */
        struct run_status_entry e;
        int rs = run_status_get(s, c.run, c.record, &e);
        if (rs < 0 || (rs == 1 && e.school_record &&
                       text_of(s, "SELECT coalesce(school_name, '') FROM record WHERE id = $1",
                               e.school_record, school, sizeof(school)) < 0)) {
            fail_store(s, o);
            goto out;
        }
    }
    if (!case_blank(in->grade))
        snprintf(grade, sizeof(grade), "%s", in->grade);
    else if (*c.outcome_grade)
        snprintf(grade, sizeof(grade), "%s", c.outcome_grade);
    if (!case_blank(in->contact)) {
        buf_adds(&contact, in->contact);
    } else {
        struct stmt *q = store_prepare(
            s, "SELECT p.name, coalesce(p.phone, '') FROM assignment a"
               " JOIN person p ON p.id = a.person_id WHERE a.case_id = $1 AND a.role = 'township'"
               " ORDER BY a.id DESC LIMIT 1");
        if (!q) {
            fail_store(s, o);
            goto out;
        }
        stmt_bind_int(q, 1, case_id);
        if (stmt_step(q) == 1)
            buf_addf(&contact, "%s %s", stmt_text(q, 0), stmt_text(q, 1));
        stmt_finalize(q);
    }

    if (!v.full && view_age(&v, birth) >= 0)
        view_age_text(&v, view_age(&v, birth), &age);
    char issue_text[11], case_no[32];
    date_format(issue, issue_text);
    snprintf(case_no, sizeof(case_no), "%d-%04lld", ymd_year(c.opened), (long long)case_id);
    struct notice_fields f = {
        .kind = (enum notice_kind)kind,
        .county = county.buf,
        .authority = authority.buf,
        .doc_number = in->doc_number,
        .case_no = case_no,
        .child_name = name,
        .child_gender = gender_label(gender),
        .child_birth = view_birth(&v, birth),
        .child_age = age.len ? age.buf : NULL,
        .child_id = idshown,
        .guardian = guardian,
        .guardian_address = address,
        .school = school,
        .grade = grade,
        .issue_date = issue_text,
        .deadline = kind == NOTICE_ORDER || *deadline ? deadline : NULL,
        .contact = contact.len ? contact.buf : NULL,
    };
    /* a full ID on paper is a full read: recorded before it is written */
    char target[AUDIT_TARGET_SIZE];
    audit_target(target, OBJ_CASE, case_id);
    if (in->full && audit_record(s, actor, NULL, "read_full", target, "通知书") < 0) {
        fail_store(s, o);
        goto out;
    }
    struct buf nerr = BUF_INIT;
    int rendered = notice_render_pdf(&f, path, &nerr);
    if (rendered < 0) {
        failed(o, OUT_ERROR, "无法生成%s：%s", notice_kind_label((enum notice_kind)kind), nerr.buf);
        buf_release(&nerr);
        goto out;
    }
    buf_release(&nerr);
    /* the notice is part of the case's history */
    struct buf text = BUF_INIT;
    buf_addf(&text, "出具《%s》（%s）%s%s", notice_kind_label((enum notice_kind)kind),
             authority.buf, *deadline ? "，限期至 " : "", deadline);
    int rc = store_begin(s);
    if (rc == 0)
        rc = event_add(s, c.child, 0, case_id, "notice", issue, actor, text.buf);
    if (rc == 0)
        rc = case_finish(s, actor, "notice", case_id, notice_kind_key((enum notice_kind)kind));
    else
        store_rollback(s);
    buf_release(&text);
    if (rc < 0) {
        fail_store(s, o);
        goto out;
    }
    buf_addf(msg, "已生成%s：%s（案件 %lld）", notice_kind_label((enum notice_kind)kind), path,
             (long long)case_id);
    ret = 0;
out:
    buf_release(&county);
    buf_release(&authority);
    buf_release(&contact);
    buf_release(&age);
    return ret;
}
