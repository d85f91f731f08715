#ifndef BAOXUE_SCOPE_H
#define BAOXUE_SCOPE_H

#include <stdbool.h>
#include <stdint.h>

#include "util/outcome.h"

/*
 * Who may do what, and over which children: the one place where roles become permissions and
 * a region. The server resolves a request's scope once, from its session; every read of
 * personal data takes a scope and applies it here (scope_filter, scope_allows), never in a
 * handler.
 */
enum role {
    ROLE_ADMIN,    /* everything, accounts and the audit trail */
    ROLE_COUNTY,   /* county bureau staff: the whole county, full IDs on request */
    ROLE_TOWNSHIP, /* one township's children */
    ROLE_VILLAGE, /* 村（社区）两委: the tasks and cases of the children of its village(s) of one
                     township (the 户籍 list's village names), no list beyond them */
    ROLE_SCHOOL,     /* one school: its pupils, the cases tied to it (scope_object) */
    ROLE_DEPARTMENT, /* a partner department: its own uploads and what its duty needs (the
                        police: 户籍问题 outcomes, the children of the lists it uploaded) */
    ROLE_SUPERVISOR, /* 督导: reads county-wide, never full IDs; writes only inspections and
                        the acceptance of rectifications (PERM_INSPECT) */
    /* issue 18: above the county, in a database many counties share (domain/province.h): the
     * counties' indicators and ranking of its area (a province's 2 digits, a city's 4), counts
     * and rates only, never a child (PERM_PROVINCE) */
    ROLE_PROVINCE, /* 省教育厅 */
    ROLE_CITY,     /* 市教育局 */
    ROLE__COUNT
};

/* The vocabulary (core/words.h): word i is enum role i. */
struct vocab;
extern const struct vocab account_roles;
const char *role_key(enum role r);   /* "township" */
const char *role_label(enum role r); /* "乡镇" */
int role_parse(const char *text);    /* its key, label or another spelling; -1 when none */

enum perm {
    PERM_PUBLIC,     /* no session needed */
    PERM_SESSION,    /* any signed-in user */
    PERM_SUMMARY,    /* counts by township and status */
    PERM_CHILDREN,   /* children's records (scoped, masked) */
    PERM_REVIEW,     /* the clerical review queue */
    PERM_AUDIT,      /* the audit trail */
    PERM_FULL_ID,    /* unmasked ID and phone numbers (audited) */
    PERM_WRITE,      /* state-changing requests beyond one's own session */
    PERM_IMPORT,     /* upload data and start cross-checks (background jobs) */
    PERM_CASEWORK,   /* verification tasks, cases, what is due, the people registry (scoped) */
    PERM_REGISTRY,   /* adding and changing people in the registry */
    PERM_SETTINGS,   /* changing the installation's settings */
    PERM_CASES,      /* verification tasks and cases within one's reach (scope_object): reading
                        them, and the attempts and follow-ups the reach allows */
    PERM_UPLOAD,     /* uploading a list and following one's own uploads */
    PERM_ACCOUNTS,   /* the server's accounts: list, add, disable, reset a password */
    PERM_CHILD_FILE, /* a child's history: every run's status, tasks, case, timeline, and how
                        the records were linked (beyond the child's own record) */
    PERM_APPROVE,    /* approving a 销号: a county account that did not handle the case */
    PERM_INSPECT,    /* 督导检查 (issue 17): recording an inspection with its findings and their
                        rectification items, and accepting or returning a rectification — a
                        supervisor's only writes (perm_needs_write) */
    PERM_PROVINCE,   /* the counties' indicators of the account's area (issue 18), reading the
                        kept table and computing it again: the province's and a city's
                        accounts, and nobody else (perm_needs_write) */
    PERM__COUNT
};

bool role_has(enum role r, enum perm p);
/* Does a state-changing request of a route that needs `p` also need PERM_WRITE? Every
 * permission beyond the session's does, except PERM_INSPECT: a supervisor, who has no
 * PERM_WRITE, records inspections and decides on rectifications (issue 17); and PERM_PROVINCE:
 * the province's and a city's accounts, who write nothing of a county's, compute their area's
 * table of the counties' indicators (issue 18). */
bool perm_needs_write(enum perm p);
/* The permission's name in a session's answer and the vocabulary ("summary"). */
const char *perm_key(enum perm p);
/* What a role without `p` is told (403): why, in Chinese. */
const char *perm_refusal(enum perm p);

struct scope {
    int64_t user_id;
    const char *user;   /* the account name (actor in the audit trail) */
    const char *origin; /* where the request came from (IP address), for the audit trail */
    enum role role;
    const char *township;    /* ROLE_TOWNSHIP, ROLE_VILLAGE: its 9-digit code; NULL otherwise */
    const char *school;      /* ROLE_SCHOOL: its school code; NULL otherwise */
    const char *school_name; /* ROLE_SCHOOL: the school's name in the latest 学籍 list ("" when
                                none), which cases and the people registry name it by */
    const char *department;  /* ROLE_DEPARTMENT: its department's key (domain/department.h),
                                or an older account's free text that names none */
    const char *area;        /* ROLE_PROVINCE, ROLE_CITY: its division code prefix (2 or 4
                                digits); NULL otherwise */
};

/*
 * Narrow a requested township filter to the scope: *township becomes the scope's own township
 * when the scope has one; a request for another township than the scope's gives false (the
 * answer is empty). *school is set to the scope's school (NULL when none).
 */
bool scope_filter(const struct scope *sc, const char **township, const char **school);

/* May the scope see the child registered in `township_code` whose deciding school record is
 * at `school_code` ("" none)? Outside the scope a child does not exist (404, not 403). */
bool scope_allows(const struct scope *sc, const char *township_code, const char *school_code);

/*
 * The casework objects a route may address by id ({id} in its pattern). The server looks the
 * object's township up once (casework_region) and applies scope_allows before the handler
 * runs: an object outside the scope, like an unknown one, is 404.
 */
enum scope_object {
    SCOPE_NONE,
    SCOPE_TASK,
    SCOPE_CASE,
    SCOPE_PERSON,
    SCOPE_RECTIFY /* a rectification item of an inspection (issue 17): the photos of its
                     evidence (casework/attach.h); its reach is casework/inspection.h's */
};

/* What a request does to one task or case. */
enum scope_action {
    ACT_READ,      /* list it, show it */
    ACT_ATTEMPT,   /* record a persuasion attempt (劝返) */
    ACT_FOLLOW_UP, /* record a follow-up after the child's return (巩固回访) */
    ACT_WRITE,     /* everything else: outcomes, the legal ladder, notices, assigning, closing */
    ACT_CONTACT,   /* read the guardian's phone and the home address in full: the accounts of
                      the people assigned to the child (docs/decisions.md, issue 14) */
    ACT_VERIFY,    /* record a verification task's outcome (核查结论): the township's, and a
                      village's for its villages' children (issue 14) */
    ACT__COUNT
};

/* How a task or case is tied to a school account's school, or what it is (bits of
 * object_ties.ties). */
enum {
    TIE_SCHOOL_RECORD = 1, /* the child's deciding 学籍 record is at the school (辍学 from it) */
    TIE_RETURNED_TO = 2,   /* the case's outcome returned the child to the school */
    TIE_TEACHER = 4,       /* a teacher of the school is assigned to it (结对帮扶) */
    TIE_REGISTRATION = 8, /* a task whose outcome is 户籍问题 (the police's to fix), any scope */
    TIE_VILLAGE = 16,     /* the child's record is in one of a village account's villages of its
                             township (user_village; casework_ties) */
    TIE_ASSIGNED = 32,    /* the account's person of the registry is one of the people assigned
                             to it now (the latest assignment of a role; casework_ties) */
};
#define TIES_SCHOOL (TIE_SCHOOL_RECORD | TIE_RETURNED_TO | TIE_TEACHER)

struct object_ties {
    char township[10]; /* the object's township code, "" when none */
    unsigned ties;     /* TIE_* bits: the school ones for the scope's school (0 for other
                          scopes), TIE_VILLAGE for a village account's villages,
                          TIE_REGISTRATION for any */
};

/*
 * May the scope do `act` to the task or case with these ties? OUT_OK; OUT_NOT_FOUND when the
 * scope may not even read it (it does not exist for this account: 404); OUT_FORBIDDEN when it
 * may read it but not do this (403). The table of who reaches what is in scope.c.
 */
enum outcome_kind scope_object_allows(const struct scope *sc, enum scope_object what,
                                      const struct object_ties *t, enum scope_action act);

/*
 * Children with disabilities (issue 15, casework/placement.h): may the scope do `act` to the
 * placement of a child registered in township `township_code` whose placement names school
 * `placement_school` ("" none)? ACT_READ the placement and its visits, ACT_WRITE set or change
 * the placement, ACT_ATTEMPT log a 送教上门 visit. The county (and admin) everything; a township
 * everything for its children; a school reads and logs the visits of the children it sends
 * teachers to (or teaches), and sets no placement; a supervisor reads. OUT_OK, OUT_NOT_FOUND
 * (the child does not exist for the scope), OUT_FORBIDDEN.
 */
enum outcome_kind scope_placement_allows(const struct scope *sc, const char *township_code,
                                         const char *placement_school, enum scope_action act);
/* Does a role read placements at all (the session's "placements_read": the 送教上门 screen)? */
bool role_reads_placements(enum role r);
/* Does the role read the 预警名单 (issue 16, casework/atrisk.h)? The county's roles all, a
 * township its children, a school its pupils; not a village or a department. */
bool role_reads_atrisk(enum role r);
/* The 通报 (issue 17, report/bulletin.h): the county (and admin) issues them; the county, admin,
 * supervisors and townships (to whom they are sent) read the issued ones. */
bool role_issues_bulletins(enum role r);
bool role_reads_bulletins(enum role r);

/*
 * The reach of the scope's lists of tasks or cases, for the SQL of the list: *all true (every
 * object), or *township (objects of that township), or *ties (TIE_* bits any of which admits
 * an object: for the scope's school, or what the object is). False when the scope reads no
 * such objects.
 */
bool scope_list_reach(const struct scope *sc, enum scope_object what, bool *all,
                      const char **township, unsigned *ties);

/*
 * Does the scope read the story of the tasks it reaches (who is assigned, the timeline of
 * conversations and events), or only the outcome its duty needs (a department)?
 */
bool scope_reads_story(const struct scope *sc);

/* Is the scope a department whose duty reads the 户籍问题 (the police): their outcomes, and the
 * reports for the police (report/catalog.h `registration`)? */
bool scope_reads_registration(const struct scope *sc);
/* Is the scope a department whose duty is the aid payments (财政, 学生资助中心: DEPT_READS_AID)?
 * It reads 应助尽助 county-wide, masked. */
bool scope_reads_aid(const struct scope *sc);

/*
 * Does a role read any task (SCOPE_TASK) or case (SCOPE_CASE) with its story, whatever its
 * township or school? The session's answer says so ("tasks_read", "cases_read"), so that the
 * web UI offers the 核查 and 个案 screens exactly to the roles the API gives them to.
 */
bool role_reads_objects(enum role r, enum scope_object what);

/*
 * A department reads the children of the lists it uploaded: the run whose population list
 * (batch.department `population_department`) it uploaded. True only for such a department;
 * other scopes are narrowed by scope_filter and scope_allows.
 */
bool scope_reads_run(const struct scope *sc, const char *population_department);

/*
 * The priority groups' results the scope reads (issue 15): false when none. *groups is
 * 1u << enum priority_group of the groups it reads (0: every group), *township its township
 * (NULL: any), *school its school (NULL: any). The county and supervisors read every group,
 * a township its township's children, a school its pupils, and a department account (乡村振兴,
 * 民政, 残联, 妇联) the groups of the lists its department uploads, county-wide and masked.
 */
bool scope_groups(const struct scope *sc, unsigned *groups, const char **township,
                  const char **school);

/*
 * Attendance (issue 16, casework/attendance.h): the roles that record absences (a school for
 * its own pupils, the county and admin for any school) and those that read them (those, a
 * township its pupils', a supervisor every school's). The session's "attendance_record" and
 * "attendance_read" say so to the web UI.
 */
bool role_records_attendance(enum role r);
/* 督导检查 (issue 17, casework/inspection.h): the roles that read inspections — the county's
 * every one, a township or school those that name it. The session's "inspections_read". */
bool role_reads_inspections(enum role r);
bool role_reads_attendance(enum role r);

/*
 * 联席会议 (issue 17, casework/meeting.h): may the scope do `act` to a decision owned by
 * department `owner` (NULL: the meeting itself, or a new decision)? ACT_READ reads it,
 * ACT_FOLLOW_UP reports progress and records its duty checks, ACT_WRITE creates meetings and
 * decisions. The county (and admin) everything; a department reads and reports on its own
 * department's decisions, nothing of another's (404); a supervisor reads; no one else.
 */
enum outcome_kind scope_meeting_allows(const struct scope *sc, const char *owner,
                                       enum scope_action act);
/*
 * 约谈: may the scope do `act` to an interview of the unit of kind `unit_kind` ("township",
 * "school") and code `unit_code`? The county writes (ACT_WRITE: create, commitments,
 * follow-ups); a township or a school reads its own; a supervisor reads; no one else.
 */
enum outcome_kind scope_interview_allows(const struct scope *sc, const char *unit_kind,
                                         const char *unit_code, enum scope_action act);
/* Does a role read the joint meetings (the 联席会议 screen), the interviews (约谈)? */
bool role_reads_meetings(enum role r);
bool role_reads_interviews(enum role r);
/* Does a role have a 待办 (the worklist): the casework roles, and (issue 17) a department for
 * its decisions and a school for its commitments? */
bool role_has_todo(enum role r);
/*
 * 招生入学 (issue 17, casework/entrants.h): who records an entrant's application (a school for
 * itself, the county and admin for any school), who reads the lists (the county's roles, a
 * township its own, a school its own catchment), and who draws the 学区 (the county, admin).
 * The session's "entrants_read", "entrants_record" and "catchment_edit" say so to the web UI.
 */
bool role_records_entrants(enum role r);
bool role_reads_entrants(enum role r);
bool role_edits_catchment(enum role r);

#endif
