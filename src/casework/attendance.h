#ifndef BAOXUE_ATTENDANCE_H
#define BAOXUE_ATTENDANCE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/schoolcal.h"
#include "render/table.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;
struct scope;
struct vocab;
struct progress;

/*
 * Attendance (考勤, issue 16). Schools record absences, not presence: per pupil and school day
 * one of 事假 / 病假 / 旷课 / 迟到早退, with a note, who recorded it and when, and the import it
 * came from. The data model (docs/ARCHITECTURE.md, migration 22):
 *
 *   attendance (pupil_key, on_date) UNIQUE — kind, note, school_code, grade, class, record_id,
 *              import_id (NULL: an account), recorded_by, recorded_at
 *   school_closure (school_code, first_day, last_day, reason, set_by, set_at)
 *   attendance_import, attendance_reject — one row per imported sheet and its rejected rows
 *
 * The pupil is keyed by the casework's child key (CHILD_KEY_SQL of the 学籍 record: "I:" and
 * the ID, else "N:" name/birth/sex), the key tasks and cases already use, so that an absence
 * survives the next 学籍 import and joins the child's tasks and cases without a lookup.
 *
 * A school's pupils (its roster) are the active pupils of the current 学籍 list at that school
 * (the latest enrollment snapshot), plus the children a case returned to it (case outcome 复学
 * naming the school) who are not on that list yet. An absence for anyone else, or on a day that
 * is not a school day of the school's calendar, is refused with the reason.
 */
enum absence_kind { AB_PERSONAL, AB_SICK, AB_UNEXCUSED, AB_LATE, AB__COUNT };
/* 事假 personal, 病假 sick, 旷课 unexcused, 迟到早退 late: word k is enum absence_kind k. */
extern const struct vocab absence_kinds;

/* ---- the school calendar ---- */

/*
 * The calendar of school `school` (its code; NULL or "": the county's alone): the terms and
 * make-up days of the settings, the casework's school_holidays, and the school's closed days.
 * 0, or -1 with the outcome.
 */
int attendance_calendar(struct store *s, const char *school, struct term_calendar *cal,
                        struct outcome *o);

/* ---- pupils ---- */

struct pupil {
    char *key;         /* the child key (owned by the roster) */
    char *name;        /* (owned by the roster) */
    int64_t record_id; /* the 学籍 record (or the case's register record) */
    char school[32];   /* 学籍 code */
    int grade;         /* 1..12, 0 unknown */
    char klass[32];    /* 班级 as the 学籍 list writes it ("" none) */
    char student_no[40];
    bool returned; /* a child a case returned to the school, not on the 学籍 list yet */
};

/*
 * The roster of school `school` (NULL: the active pupils of every school of the current 学籍
 * list, without the returned children; grade 0: every grade; klass NULL or "": every class),
 * in grade, class and name order. *out is owned (attendance_roster_free). 0, or -1 with the
 * outcome.
 */
int attendance_roster(struct store *s, const char *school, int grade, const char *klass,
                      struct pupil **out, size_t *n, struct outcome *o);
void attendance_roster_free(struct pupil *r, size_t n);

/* ---- recording ---- */

struct attendance_input {
    const char *school; /* 学校: its code or name; a school account's own when blank */
    const char *date;   /* 日期: today when blank */
    const char *kind;   /* 类型: a word of absence_kinds */
    const char *pupils; /* 学生: one a line — 学籍号, 身份证号, or the record number */
    const char *note;   /* 原因/备注 */
};
/*
 * Record one day's absence of one or many pupils of a school, in one transaction: every pupil
 * must be the school's and the day a school day, else nothing is recorded (OUT_INVALID naming
 * the pupil or the day, in Chinese). A day already recorded for a pupil is replaced (the old
 * kind in the audit row). A school account records for its own school only; the county and
 * admin for any (OUT_FORBIDDEN otherwise).
 */
int attendance_record(struct store *s, const struct scope *sc, const struct attendance_input *in,
                      const char *actor, struct buf *msg, json_t **result, struct outcome *o);

struct attendance_remove_input {
    const char *school, *date, *pupils, *reason;
};
/* Remove the day's absence of the pupils (audited with what was removed). */
int attendance_remove(struct store *s, const struct scope *sc,
                      const struct attendance_remove_input *in, const char *actor, struct buf *msg,
                      struct outcome *o);

struct closure_input {
    const char *school, *from, *to, *reason;
};
/* Close a school for days (停课: weather, an epidemic, an exam centre): they are no school
 * days for it. The school's own account or the county. *id the closure's number. */
int attendance_close(struct store *s, const struct scope *sc, const struct closure_input *in,
                     const char *actor, int64_t *id, struct buf *msg, struct outcome *o);
/* Take closure `id` back (its days are school days again). */
int attendance_reopen(struct store *s, const struct scope *sc, int64_t id, const char *actor,
                      struct buf *msg, struct outcome *o);

/* ---- reading ---- */

struct attendance_filter {
    const char *school; /* code or name; a school account's own */
    long grade;         /* 0 any */
    const char *klass;  /* NULL any */
    const char *pupil;  /* 学籍号, 身份证号 or record number; NULL any */
    int from, to;       /* ymd; 0: the term's first school day / today */
    const char *kind;   /* a word of absence_kinds; NULL any */
};
/* The absences the scope reaches, newest day first, then class and name (names and 学籍号,
 * never ID numbers): a school its own, a township those of the children its 户籍 list registers
 * (by ID), the county and supervisors every school's. */
int attendance_list(struct store *s, const struct scope *sc, const struct attendance_filter *f,
                    struct report_table *t, struct outcome *o);
/*
 * A school's attendance by day and class, for the school head and the county: one row per
 * school day of [from, to] and class, with the roster's size and each kind's count. The
 * scope's school, or `school` for the county.
 */
int attendance_by_class(struct store *s, const struct scope *sc, const struct attendance_filter *f,
                        struct report_table *t, struct outcome *o);
/*
 * The class teacher's screen: {"school", "school_name", "date", "school_day", "reason",
 * "grades": [{grade, classes: [..]}], "pupils": [{key_ref, record_id, name, student_no, grade,
 * class, kind|null, note}]} of the class on the day. Names whole (the school's own pupils),
 * IDs never.
 */
json_t *attendance_class_day(struct store *s, const struct scope *sc, const char *school, int grade,
                             const char *klass, int day, struct outcome *o);

/* Every day of [from, to] (default the last two weeks) for the school (NULL: the county's
 * calendar alone): a school day or why not; meta school_days the count. */
int attendance_days(struct store *s, const struct scope *sc, const char *school, int from, int to,
                    struct report_table *t, struct outcome *o);

/* ---- what the early-warning rules read ---- */

struct absence_day {
    int ymd;
    enum absence_kind kind;
    char school[32];
};
/* A pupil's absences (by child key) from a to b included, in date order. *out owned. */
int attendance_absences(struct store *s, const char *pupil_key, int from, int to,
                        struct absence_day **out, size_t *n);

struct absence_streak {
    int first, last; /* ymd of its first and last school day */
    int days;        /* school days in it */
};
/*
 * The runs of consecutive school days (of `cal`) a pupil was absent with kind `kind` (旷课 for
 * the warnings) within [from, to]: days that are no school day (weekends, holidays, closures)
 * neither break nor lengthen a run; a school day without that kind (present, or 病假/事假)
 * ends it. *out owned, in date order. 0 or -1 (store error).
 */
int attendance_streaks(struct store *s, const struct term_calendar *cal, const char *pupil_key,
                       enum absence_kind kind, int from, int to, struct absence_streak **out,
                       size_t *n);
/* The same from a pupil's absences already read (a, n in date order): the pure rule. */
size_t absence_streaks(const struct term_calendar *cal, const struct absence_day *a, size_t n,
                       enum absence_kind kind, int from, int to, struct absence_streak *out);

/* ---- importing a school's sheet ---- */

struct attendance_import_options {
    const char *path, *name; /* the file, and its name as the sender knows it */
    const char *school;      /* the school (code or name) when the sheet names none; a school
                                account's own always */
    const char *rejects_path;
    bool force, dry_run;
    const char *actor;
    struct progress *report;
};
struct attendance_import_summary {
    int64_t import_id;
    char shape[8]; /* "rows" or "grid" */
    long rows_read, absences, replaced, rows_rejected, present_marks;
    long warnings_opened, warning_tasks; /* what the early-warning rules made of it */
};
/*
 * Import an attendance sheet (考勤表) in one transaction: one row per absence (日期, 班级,
 * 学籍号 or 身份证号 or 姓名, 类型, 原因), or a class's month grid (rows pupils, columns days
 * 1..31, marks ✓/√ present, 事, 病, 旷, 迟; the month from a title row "2026年11月 七年级(2)班
 * 考勤表" or a 月份 column). A row that names no pupil of the school, or a day that is no school
 * day, is rejected with the reason (attendance_reject, and the rejects file); the others land.
 */
int attendance_import(struct store *s, const struct scope *sc,
                      const struct attendance_import_options *opt,
                      struct attendance_import_summary *sum, struct outcome *o);
/* What an import did, as a person reads it (a few lines), and as the API answers it. */
void attendance_import_describe(const struct attendance_import_options *opt,
                                const struct attendance_import_summary *sum, struct buf *out);
json_t *attendance_import_json(const struct attendance_import_options *opt,
                               const struct attendance_import_summary *sum);
/* Is `kind` the attendance kind's word ("attendance", "考勤", "考勤表")? */
bool attendance_kind_word(const char *kind);

#endif
