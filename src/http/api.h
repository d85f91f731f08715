#ifndef BAOXUE_API_H
#define BAOXUE_API_H

/*
 * Internal to src/http: the handlers each resource file of the API gives the routes table
 * (api.c: api_routes). Each replies exactly once. They read the request with args.h and answer
 * with reply.h; the permission a route needs is checked by the server before the handler runs.
 * The background jobs' handlers (/imports upload and list, /runs, /jobs) are in request.h
 * (http/jobs.c).
 */
#include <jansson.h>

struct request;
struct user;

/* api_session.c: signing in and out */
void session_login_h(struct request *r);
void counties_get_h(struct request *r);
void session_get_h(struct request *r);
void session_logout_h(struct request *r);

/* api_children.c: the children list and one child's file */
void children_h(struct request *r);
void children_filters_h(struct request *r);
void child_h(struct request *r);
void child_links_h(struct request *r);
void child_casework_h(struct request *r);
void child_care_h(struct request *r);
/* issue 16: the wellbeing ledgers (api_wellbeing.c) */
void illness_list_h(struct request *r);
/* issue 17: 联席会议 and 约谈 (api_meeting.c) */
void meetings_h(struct request *r);
void meeting_h(struct request *r);
void decisions_h(struct request *r);
void interviews_h(struct request *r);
void interview_h(struct request *r);
void child_illness_h(struct request *r);
void mental_list_h(struct request *r);
void child_mental_h(struct request *r);

/* api_casework.c: verification tasks, cases (the legal ladder, notices), due tasks */
void verify_list_h(struct request *r);
void verify_show_h(struct request *r);
void case_list_h(struct request *r);
void case_show_h(struct request *r);
/* photos of a task or case (http/api_attach.c) */
void attachments_h(struct request *r);
void attachment_h(struct request *r);
/* One photo of `bytes` (image type `mime`, photo number n) as the answer: inline, no-store,
 * sandboxed; takes the bytes (api_attach.c, also a rectification's photos) */
struct buf;
void reply_photo(struct request *r, long long n, struct buf *bytes, const char *mime);
void tasks_h(struct request *r);
void send_teaching_h(struct request *r);
void attendance_list_h(struct request *r);
void attendance_classes_h(struct request *r);
void attendance_class_day_h(struct request *r);
void attendance_days_h(struct request *r);
void warnings_h(struct request *r);
void monthly_h(struct request *r);
void monthly_report_h(struct request *r);
/* 督导检查 and 限期整改 (http/api_inspection.c, issue 17) */
void inspections_h(struct request *r);
void inspection_h(struct request *r);
void inspection_notice_h(struct request *r);
void rectification_h(struct request *r);
void rectify_attachment_h(struct request *r);
void warning_h(struct request *r);
/* issue 17: the 通报 (api_bulletins.c) */
void bulletins_h(struct request *r);
void bulletin_h(struct request *r);

/* api_review.c: the clerical review queue */
void review_h(struct request *r);
void review_get_h(struct request *r);

/* api_people.c: the people registry */
void people_list_h(struct request *r);

/* api_admin.c: accounts and settings */
void users_list_h(struct request *r);
void schools_list_h(struct request *r);
void settings_list_h(struct request *r);

/* api_imports.c: a department's upload accepted or rejected; one cross-check's changes */
void run_get_h(struct request *r);

/* api_reports.c: summary, dashboard, report downloads, the audit trail */
void summary_h(struct request *r);
void dashboard_h(struct request *r);
void report_h(struct request *r);
/* issue 18: api_province.c */
void province_indicators_h(struct request *r);
void province_indicators_post_h(struct request *r);
void audit_h(struct request *r);

#endif
