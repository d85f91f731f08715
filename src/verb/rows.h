#ifndef BAOXUE_VERB_ROWS_H
#define BAOXUE_VERB_ROWS_H

#include <stddef.h>

#include "verb/verb.h"

/*
 * What the rows' files (verb/rows_*.c) share: a field row whose key is its member's name, and
 * the rows themselves for the table in verb/table.c.
 */
#define FIELD(type_, member, vtype, label, flags, vocab, hint)                                     \
    {                                                                                              \
#member, (vtype), (label), offsetof(type_, member), (flags), (vocab), (hint), NULL         \
    }
/* The same, with the command line's older spelling of the option still accepted. */
#define FIELD_ALIAS(type_, member, vtype, label, flags, vocab, hint, alias)                        \
    {                                                                                              \
#member, (vtype), (label), offsetof(type_, member), (flags), (vocab), (hint), (alias)      \
    }
#define FIELDS(a) (a), (sizeof(a) / sizeof((a)[0]))

/* the fields of assigning a task or a case */
#define ASSIGN_FIELDS 4
extern const struct verb_field assign_fields[ASSIGN_FIELDS];

extern const struct verb verb_verify_record, verb_verify_assign, verb_verify_attach;
extern const struct verb verb_case_assign, verb_case_attempt, verb_case_escalate, verb_case_resolve,
    verb_case_follow_up, verb_case_close, verb_case_reopen, verb_case_notice, verb_case_attach;
extern const struct verb verb_people_add, verb_people_edit, verb_people_deactivate,
    verb_people_import;
extern const struct verb verb_review_decide, verb_review_accept, verb_review_reject;
extern const struct verb verb_settings_set, verb_settings_unset;
extern const struct verb verb_user_add, verb_user_disabled, verb_user_disable, verb_user_enable,
    verb_user_password, verb_user_department, verb_user_person;
extern const struct verb verb_import_accept, verb_import_reject;
extern const struct verb verb_import, verb_match;
extern const struct verb verb_placement_set, verb_placement_visit;
extern const struct verb verb_care_add;
extern const struct verb verb_pairing_add, verb_pairing_end;
extern const struct verb verb_warning_contact, verb_warning_resolve, verb_warning_escalate;
/* issue 16: the wellbeing ledgers (rows_wellbeing.c) */
extern const struct verb verb_illness_add, verb_illness_follow, verb_mental_add, verb_mental_note,
    verb_user_mental_health;
extern const struct verb verb_attendance_record, verb_attendance_remove, verb_attendance_close,
    verb_attendance_reopen, verb_attendance_import;
/* issue 17: the monthly report's confirmation (rows_monthly.c) */
extern const struct verb verb_monthly_confirm, verb_monthly_issue, verb_monthly_withdraw;
/* issue 17: 督导检查 and 限期整改 (rows_inspection.c) */
extern const struct verb verb_inspections_create, verb_inspections_finding,
    verb_rectifications_progress, verb_rectifications_submit, verb_rectifications_accept,
    verb_rectifications_return, verb_rectifications_attach;
/* issue 17: the 通报 (rows_bulletin.c) */
extern const struct verb verb_bulletin_issue;
/* issue 17: 联席会议 and 约谈 (rows_meeting.c, rows_interview.c) */
extern const struct verb verb_meeting_add, verb_meeting_decide, verb_meeting_progress,
    verb_meeting_check;
extern const struct verb verb_interview_add, verb_interview_commit, verb_interview_follow;
/* issue 17: 招生入学 (rows_entrants.c) */
extern const struct verb verb_catchment_set, verb_catchment_remove, verb_catchment_import,
    verb_entrants_apply;
/* issue 18: the province's table of the counties' indicators, a job (rows_province.c) */
extern const struct verb verb_province_indicators;

#endif
