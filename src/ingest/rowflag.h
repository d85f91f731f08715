#ifndef BAOXUE_ROWFLAG_H
#define BAOXUE_ROWFLAG_H

/*
 * What validation found wrong with an imported row. A flagged row is still imported (a
 * student with a mistyped ID is still a student); only a row that cannot name a person, or
 * whose fields are longer than any real one (field_max_chars), is rejected. Stored as bits in
 * record.flags.
 */
enum row_flag {
    RF_ID_MISSING,
    RF_ID_BAD_FORMAT,
    RF_ID_BAD_CHECK,
    RF_ID_BAD_BIRTH,
    RF_ID_PRECISION_LOST,
    RF_ID_REGION_UNKNOWN,
    RF_BIRTH_MISMATCH,
    RF_SEX_MISMATCH,
    RF_DATE_INVALID,
    RF_DUP_IN_FILE,
    RF_NAME_MISSING,
    RF_GENDER_INVALID,
    RF_STATUS_UNKNOWN,
    RF_GRADE_INVALID,
    RF_TOWNSHIP_UNKNOWN,
    RF_CONTROL_CHARS, /* control or direction characters removed from the stored text */
    /* the group lists' and the aid payments' own (issue 15) */
    RF_CATEGORY_UNKNOWN,
    RF_CERT_INVALID,
    RF_CERT_MISMATCH,
    RF_LEVEL_INVALID,
    RF_AMOUNT_INVALID,
    RF_HEAD_ID_INVALID,
    RF__COUNT
};

#define RF_BIT(f) (1u << (f))

const char *row_flag_key(enum row_flag f);   /* "id_bad_check" */
const char *row_flag_label(enum row_flag f); /* "身份证号校验位错误" */

#endif
