#include "ingest/rowflag.h"

#include "util/common.h"

static const struct {
    const char *key, *label;
} flags[RF__COUNT] = {
    [RF_ID_MISSING] = {"id_missing", "缺少身份证号"},
    [RF_ID_BAD_FORMAT] = {"id_bad_format", "身份证号格式错误（位数或字符不对）"},
    [RF_ID_BAD_CHECK] = {"id_bad_check", "身份证号校验位错误（疑似录入错误）"},
    [RF_ID_BAD_BIRTH] = {"id_bad_birth", "身份证号中的出生日期不存在"},
    [RF_ID_PRECISION_LOST] = {"id_precision_lost", "身份证号被存成数字，后几位已丢失"},
    [RF_ID_REGION_UNKNOWN] = {"id_region_unknown", "身份证号地区码不在行政区划表中（仅提示）"},
    [RF_BIRTH_MISMATCH] = {"birth_mismatch", "出生日期与身份证号不一致"},
    [RF_SEX_MISMATCH] = {"sex_mismatch", "性别与身份证号不一致"},
    [RF_DATE_INVALID] = {"date_invalid", "出生日期无法识别或不存在"},
    [RF_DUP_IN_FILE] = {"dup_in_file", "身份证号在本文件中重复"},
    [RF_NAME_MISSING] = {"name_missing", "缺少姓名"},
    [RF_GENDER_INVALID] = {"gender_invalid", "性别无法识别"},
    [RF_STATUS_UNKNOWN] = {"status_unknown", "状态无法识别"},
    [RF_GRADE_INVALID] = {"grade_invalid", "年级无法识别"},
    [RF_TOWNSHIP_UNKNOWN] = {"township_unknown", "乡镇不属于本县"},
    [RF_CONTROL_CHARS] = {"control_chars", "含有控制字符（已清除）"},
    [RF_CATEGORY_UNKNOWN] = {"category_unknown", "类别无法识别"},
    [RF_CERT_INVALID] = {"cert_invalid", "残疾人证号格式错误（应为身份证号加残疾类别、等级两位）"},
    [RF_CERT_MISMATCH] = {"cert_mismatch", "残疾人证号与身份证号、残疾类别或等级不一致"},
    [RF_LEVEL_INVALID] = {"level_invalid", "残疾等级无法识别"},
    [RF_AMOUNT_INVALID] = {"amount_invalid", "金额无法识别"},
    [RF_HEAD_ID_INVALID] = {"head_id_invalid", "户主或监护人身份证号不可用"},
};

const char *row_flag_key(enum row_flag f)
{
    return flags[f].key;
}

const char *row_flag_label(enum row_flag f)
{
    return flags[f].label;
}
