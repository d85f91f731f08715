#ifndef BAOXUE_DEMO_H
#define BAOXUE_DEMO_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/outcome.h"

/*
 * The demo county: writes a synthetic county's department files exactly as a bureau receives
 * them (the 公安 household register in GB18030 CSV, the 学籍 export as .xlsx, the 外出就读 list
 * as .xlsx; CSV instead of .xlsx beyond 1,048,000 rows) plus the ground truth they were made
 * from, so that import and linkage can be measured.
 *
 * Every child's true status is decided first; the department files are then written from it,
 * with the errors real files have (mistyped and missing IDs, homophones, traditional and
 * look-alike characters, wrong birth dates, two of these on one row, mixed date forms, twins one
 * digit apart, siblings sharing a generation character, …), their rates scaled by `errors`.
 * The same options and seed give byte-identical files.
 *
 * Files written into out_dir (created if missing):
 *   户籍适龄儿童花名册.csv   population register, GB18030, title row, blank row, header, data,
 *                            blank row, footer rows (制表人, 合计)
 *   学籍数据.xlsx | .csv     student-status export, merged title row, header in row 2
 *   外出就读学生名单.xlsx | .csv   children of the county enrolled elsewhere
 *   the priority-group lists (enum demo_group; .csv instead of .xlsx beyond the sheet limit):
 *     防返贫监测对象家庭成员信息.xlsx   title row; one row per household member, adults too
 *     低保特困保障对象名册.csv          GB18030; one row per member, the head's columns repeated
 *     孤儿和事实无人抚养儿童名册.xlsx   one row per child, with the guardian
 *     残疾人基本信息.xlsx               残疾人证号 = ID + 残疾类别 (1–7) + 残疾等级 (1–4)
 *     农村留守儿童信息登记表.xlsx       title row; child, parents' work places, entrusted guardian
 *     学生资助资金发放明细.xlsx         title row; one row per payment
 *   truth_groups.csv         list,row,key,category,offer,case: the register child (key) of
 *                            every group list row, empty for adults and children in no register
 *                            here; offer is what the row gives a matcher to find the child: id,
 *                            id_typo, household_id (no usable child ID, a guardian ID the 户籍
 *                            file shows), household_name (the guardian by name only),
 *                            name_birth, adult; case: not_in_register, nickname, homophone,
 *                            head_only, partial_birth, aid_priority, aid_other,
 *                            aid_not_in_school, aid_not_in_county or empty
 *   truth_group_findings.csv finding,key,list,row: not_in_register, send_teach (the disabled
 *                            child taught at home, 送教上门), no_aid (a priority pupil in school
 *                            the aid list misses), not_in_school, not_in_county (aid paid to them)
 *   ground_truth.csv         one row per register child: key,true_id,name,birth_date,
 *                            township_code,village,true_status,enrollment_row,case
 *   truth_enrollment.csv     row,key,case: the register child each 学籍 data row belongs to
 *                            (key empty for 借读 and 随迁 pupils in no register here)
 *   truth_outside.csv        row,key,case: the same for the 外出就读 list
 *   控辍保学责任人名册.csv   the people registry (`people import`), GB18030: bureau staff, a
 *                            包保干部 and a 教办主任 per township, village cadres, principals
 *                            and teachers
 * The 户籍 file's 监护人身份证号 column is filled for the townships whose police station exports
 * it (three of five), empty for the others: household matching degrades there.
 * "row" is the 1-based data row (the first row under the header is 1); "key" is the register's
 * 序号. true_status is one of: enrolled, enrolled_elsewhere, not_enrolled, dropped_out,
 * suspended, not_yet_school_age, beyond_age, inactive. "case" names the error family a row (or
 * the child it belongs to) was made for, and what was done to it: "family:fate[+name]" —
 * siblings:twin_copy:typed (the twin whose 学籍 row carries the other twin's ID) and
 * siblings:twin_copy:other (that other twin), names:missing+homophone, numbers:number_no_g,
 * noid:missing_g, unregistered:neighbour, unregistered:neighbour:lookalike (the register child
 * a 随迁 pupil resembles); empty for a clean row. The linkage benchmark measures each family on
 * the rows and children so marked (bench/linkage_quality.py).
 */

/*
 * The error families of the linkage benchmark. Every demo county has all of them at the rates
 * a county's files show; demo_options.family raises one of them to hundreds of cases, so that
 * the benchmark measures that family on its own.
 */
enum demo_family {
    DEMO_FAMILY_NONE,
    DEMO_FAMILY_SIBLINGS,     /* twins born the same day, one twin's 学籍 ID mistyped (every
                                 kind of slip), copied from the other twin, lost or missing */
    DEMO_FAMILY_NAMES,        /* homophones and traditional characters, with an exact, mistyped
                                 or missing ID */
    DEMO_FAMILY_NUMBERS,      /* IDs stored as numbers (the last three digits lost), with and
                                 without the 全国学籍号 */
    DEMO_FAMILY_NOID,         /* no usable ID, with and without the 全国学籍号 G + ID */
    DEMO_FAMILY_UNREGISTERED, /* pupils in 学籍 who are in no register here (随迁子女), some
                                 born the same day as a register child with the next sequence
                                 number, some with a register child's name */
    DEMO_FAMILY__COUNT
};

const char *demo_family_key(enum demo_family f);   /* "siblings" */
const char *demo_family_label(enum demo_family f); /* "同日出生的兄弟姐妹（双胞胎）" */
int demo_family_from_key(const char *key);         /* -1 when unknown */

struct demo_options {
    const char *out_dir;
    long children; /* rows of the population register, 1..20,000,000 */
    uint64_t seed;
    int as_of_ymd;      /* the day the lists are drawn (school year and ages follow from it) */
    const char *county; /* 6-digit county code, "140521" */
    /*
     * Scale of every error rate of the 学籍 and 外出就读 lists and of the 户籍 file's messes
     * (mixed date forms are not errors and stay): 0 clean files, 1 the usual mix, up to 10;
     * no rate exceeds 50%. At least 3 twin traps are always there. A zero-initialized struct
     * means 1: set errors_set to mean the value given, 0 included.
     */
    double errors;
    bool errors_set;
    enum demo_family family; /* DEMO_FAMILY_NONE: the usual mix; else that family raised */
};

/* The priority-group lists (重点群体), in the order they are written and imported. */
enum demo_group {
    DEMO_GROUP_POVERTY,     /* 防返贫监测对象家庭成员信息.xlsx (kind poverty) */
    DEMO_GROUP_WELFARE,     /* 低保特困保障对象名册.csv, GB18030 (kind welfare) */
    DEMO_GROUP_ORPHAN,      /* 孤儿和事实无人抚养儿童名册.xlsx (kind welfare) */
    DEMO_GROUP_DISABILITY,  /* 残疾人基本信息.xlsx (kind disability) */
    DEMO_GROUP_LEFT_BEHIND, /* 农村留守儿童信息登记表.xlsx (kind left_behind) */
    DEMO_GROUP_AID,         /* 学生资助资金发放明细.xlsx (kind aid) */
    DEMO_GROUP__COUNT
};
/* The import kind of a list ("poverty"), and its name for people ("防返贫监测（脱贫户）"). */
const char *demo_group_kind(enum demo_group g);
const char *demo_group_label(enum demo_group g);

struct demo_result {
    char *population_path;
    char *enrollment_path;
    char *outside_path;
    char *truth_path;
    char *registry_path;
    char *group_paths[DEMO_GROUP__COUNT];
    long group_rows[DEMO_GROUP__COUNT];
    long population_rows, enrollment_rows, outside_rows, registry_rows;
    long truth_out_of_school; /* children whose true status is not_enrolled or dropped_out */
};

#define DEMO_RESULT_INIT                                                                           \
    {                                                                                              \
        0                                                                                          \
    }

/* 0, or -1 with the outcome (OUT_INVALID for the options, OUT_ERROR for the files; res then
 * holds nothing to release). */
int demo_generate(const struct demo_options *opt, struct demo_result *res, struct outcome *o);
void demo_result_release(struct demo_result *res);

#endif
