#ifndef BAOXUE_FIELD_H
#define BAOXUE_FIELD_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/*
 * The kinds of list an import can be: the three the cross-check compares, then the lists of
 * the priority groups (重点群体, issue 15) and the aid payments.
 */
enum import_kind {
    KIND_POPULATION,
    KIND_ENROLLMENT,
    KIND_OUTSIDE,
    KIND_POVERTY, /* 乡村振兴: 脱贫户 and 防返贫监测对象, one row per household member */
    KIND_WELFARE,     /* 民政: 低保, 特困供养, 孤儿, 事实无人抚养儿童 */
    KIND_DISABILITY,  /* 残联: 残疾人证 holders */
    KIND_LEFT_BEHIND, /* 民政/妇联: 农村留守儿童 */
    KIND_AID,         /* 学生资助: payments */
    KIND__COUNT
};
/* Whether a kind is one of the priority groups' lists or the aid payments (no cross-check of
 * its own: its rows are matched to the register's children). */
static inline int kind_is_group(enum import_kind k)
{
    return k >= KIND_POVERTY;
}

/* The vocabulary (core/words.h): word k is enum import_kind k. */
struct vocab;
extern const struct vocab import_kinds;
const char *kind_key(enum import_kind k);   /* "population" */
const char *kind_label(enum import_kind k); /* "户籍" */
const char *kind_title(enum import_kind k); /* "户籍适龄儿童": the import wizard's choice */
const char *kind_hint(enum import_kind k);  /* "公安户籍：应当在校的全部适龄儿童" */
/* Exactly its key, label or another spelling ("户籍适龄儿童"); -1 when none. */
int kind_parse(const char *s, enum import_kind *out);

/* The fields baoxue understands in an imported sheet. */
enum field {
    F_SEQ,
    F_NAME,
    F_GENDER,
    F_ETHNICITY,
    F_ID_NUMBER,
    F_ID_TYPE,
    F_BIRTH_DATE,
    F_ADDRESS,
    F_TOWNSHIP,
    F_VILLAGE,
    F_GUARDIAN,
    F_PHONE,
    F_REG_STATUS,
    F_SCHOOL_CODE,
    F_SCHOOL_NAME,
    F_SCHOOL_REGION,
    F_GRADE,
    F_CLASS,
    F_STUDENT_NO,
    F_ENROLL_STATUS,
    /* the household and the guardian: 户籍 exports may carry them, the group lists do */
    F_HOUSEHOLD_NO,
    F_HEAD_NAME,
    F_HEAD_ID,
    F_RELATION,
    F_GUARDIAN_ID,
    /* the group lists' own */
    F_CATEGORY, /* 脱贫属性, 保障类别, 孤儿类别, 残疾类别, 监护类型: a words table per kind */
    F_LEVEL,   /* 残疾等级 */
    F_CERT_NO, /* 残疾人证号 */
    F_SCHOOL_STATUS,
    F_FATHER_WORK,
    F_MOTHER_WORK,
    F_CONTACT,
    F_AID_ITEM,
    F_AMOUNT,
    F_TERM,
    F_PAID_DATE,
    F__COUNT
};
/* A set of fields, bit f for field f. */
typedef unsigned long long field_set;
#define FIELD_BIT(f) (1ull << (f))

const char *field_key(enum field f);   /* "id_number": the name --map uses */
const char *field_label(enum field f); /* "身份证号" */
/* Accepts a field key or its Chinese label. */
int field_parse(const char *s, enum field *out);
/* Whether a field belongs to a kind's sheets (header recognition only looks for these). */
bool field_in_kind(enum field f, enum import_kind k);

/*
 * The most characters a field's text may have once normalised (as it is stored), 0 for no
 * limit: longer is no real name, ID, address or school, and the row is refused.
 */
unsigned field_max_chars(enum field f);
/* The characters of a cell over its field's limit, or 0 when it is within it (fast when the
 * cell has no more bytes than the limit has characters). `scratch` is overwritten. */
size_t field_overlong(enum field f, const char *text, size_t len, struct buf *scratch);

/*
 * A column a kind's sheets must have: `field`, or one of `alternatives` (bits 1 << field).
 * The required columns define the kind (field.c's kind table).
 */
struct kind_column {
    enum field field;
    field_set alternatives;
};
/* The required columns of a kind: how many, and *cols pointing into the kind table. */
size_t kind_required(enum import_kind k, const struct kind_column **cols);
/* Which required columns (bit i for column i) no mapped column covers; col[f] >= 0 is the
 * sheet column of field f. */
unsigned kind_missing(enum import_kind k, const int col[F__COUNT]);
/* A required column as people read it: "身份证号（或全国学籍号）". Appends. */
void kind_column_label(struct buf *out, const struct kind_column *c);

/*
 * Header text as compared: spaces removed, full-width ASCII folded, full-width brackets to
 * ASCII, a trailing colon dropped, "号码" shortened to "号", "*" (required marker) dropped.
 */
void header_key(struct buf *out, const char *text, size_t len);

/* The field a header cell names for this kind, or -1. */
int header_field(enum import_kind k, const char *text, size_t len);

/* Population register status (the vocabulary reg_statuses: word s is enum reg_status s). */
extern const struct vocab reg_statuses;
enum reg_status { REG_NORMAL, REG_MOVED_OUT, REG_DECEASED, REG_CANCELLED, REG_UNKNOWN };
enum reg_status reg_status_parse(const char *s, size_t len);
const char *reg_status_key(enum reg_status s);   /* "normal" */
const char *reg_status_label(enum reg_status s); /* "正常" */
/* A stored key ("moved_out") back to its state; REG_NORMAL for anything else. */
enum reg_status reg_status_from_key(const char *key);

/* Student-status (学籍) state (the vocabulary enroll_statuses: word s is enum enroll_status s). */
extern const struct vocab enroll_statuses;
enum enroll_status {
    ENR_ACTIVE,
    ENR_SUSPENDED,
    ENR_TRANSFERRED,
    ENR_DROPPED_OUT,
    ENR_GRADUATED,
    ENR_DECEASED,
    ENR_UNKNOWN
};
enum enroll_status enroll_status_parse(const char *s, size_t len);
const char *enroll_status_key(enum enroll_status s);
const char *enroll_status_label(enum enroll_status s);
/* A stored key ("transferred") back to its state; ENR_UNKNOWN for anything else. */
enum enroll_status enroll_status_from_key(const char *key);

/*
 * How a school record's school is named in statuses and lists: the school (学籍), or the school
 * and where it is (外出就读); a blank name says so. Nothing for the population register.
 */
void school_display(struct buf *out, enum import_kind kind, const char *name, const char *region);

/* 1 male, 2 female, 0 not recognised (男/女/1/2/M/F/男性/女性/male/female). */
int gender_parse(const char *s, size_t len);
const char *gender_label(int g); /* "男", "女", "" */

#endif
