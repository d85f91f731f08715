#ifndef BAOXUE_SEPARATION_H
#define BAOXUE_SEPARATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casework/attendance.h"
#include "report/reports.h"
#include "util/buf.h"

/*
 * 人籍分离 (issue 16): pupils whose 学籍 does not say where they really are, per school, for the
 * county to have corrected. Three kinds of rows (the rules in docs/decisions.md, "Issue 16
 * (人籍分离)"):
 *
 *   absent     长期旷课未到校: active in the latest 学籍 at school Y, and an unexcused run of at
 *              least N consecutive school days of Y (setting warning_dropout_days) that reaches
 *              the latest school day on or before the report's day, or the one before it.
 *   elsewhere  在他校就读: active at Y, but another school X keeps the pupil — absences
 *              recorded at X (X had the pupil on its roster: a case returned the child
 *              there; X is not the school the 学籍 left, that is a mismatch), a case that returned
 * the child to X, or the class teacher of Y writing in an absence's note that the pupil attends
 * another school (a school of the 学籍 list named, or 借读/转学/外地就读…). mismatch
 * 学籍变动与考勤不符: active at X in the previous 学籍 snapshot and no longer in the latest (moved
 * to Y, another status, or gone), while X's attendance still reported the pupil after that previous
 * snapshot was imported.
 *
 * separation.c is the pure rule over one pupil's facts (unit-tested); separation_read.c reads
 * them, scopes the rows and makes the table.
 */
enum sep_kind { SEP_ABSENT, SEP_ELSEWHERE, SEP_MISMATCH, SEP__COUNT };
/* "长期旷课未到校", "在他校就读", "学籍变动与考勤不符" */
const char *sep_kind_label(enum sep_kind k);
const char *sep_kind_key(enum sep_kind k);

/* One 学籍 snapshot's entry of a pupil (school "" when the snapshot does not list it). */
struct sep_enrol {
    char school[32];
    char status[32]; /* the record's enroll_status ("active", "transferred", …) */
    bool active;
};

/* One absence as the rules read it. */
struct sep_absence {
    int ymd;
    enum absence_kind kind;
    char school[32];
    const char *note;    /* "" none */
    bool after_previous; /* recorded (at or) after the previous 学籍 snapshot became current */
};

struct sep_pupil {
    struct sep_enrol now, before;
    char returned_to[32];         /* the school a case returned the child to ("" none) */
    const struct sep_absence *ab; /* in date order */
    size_t nab;
};

/* A school of the current 学籍 list, for names in the evidence and in notes. */
struct sep_school {
    char code[32];
    char name[128];
};

struct sep_context {
    int as_of;         /* ymd */
    int absent_days;   /* N */
    bool has_previous; /* there is a previous 学籍 snapshot */
    const struct sep_school *schools;
    size_t nschools;
    /* the calendar of a school (its code), never NULL */
    const struct term_calendar *(*calendar)(void *arg, const char *school);
    void *arg;
};

struct sep_row {
    enum sep_kind kind;
    char school[32]; /* the school that must act (its code) */
    char other[32];  /* the other school: where the pupil attends, or where its 学籍 went */
    char other_name[128];
    struct buf evidence; /* Chinese: what the records say */
    struct buf action;   /* Chinese: what the school must do */
    int first;           /* absent: the run's first day */
    int days;            /* absent: its length in school days */
};

/* The rows of one pupil (at most SEP__COUNT, into out[]; their bufs initialised here and
 * released with sep_row_release). */
size_t sep_rules(const struct sep_context *cx, const struct sep_pupil *p,
                 struct sep_row out[SEP__COUNT]);
void sep_row_release(struct sep_row *r);
/* The school's name (its code when the list has none). */
const char *sep_school_name(const struct sep_context *cx, const char *code);

/* The report (catalog "separation"): --school, --township; a school its rows (as the school
 * that acts or the other school), a township the children its 户籍 list registers. */
int report_separation(struct store *s, const struct report_options *opt, struct report_table *t,
                      struct outcome *o);

#endif
