#ifndef BAOXUE_CATEGORY_H
#define BAOXUE_CATEGORY_H

#include <stddef.h>

#include "core/words.h"
#include "ingest/field.h"

/*
 * The priority groups (重点群体) a child can belong to, and the categories the departments'
 * lists write (脱贫属性, 保障类别, 孤儿类别, 残疾类别, 监护类型), each category naming its group
 * (issue 15, docs/groups.md). Stored by key; the lists' own spellings are the labels and aliases.
 */
enum priority_group {
    GRP_POVERTY,     /* 脱贫户 (formerly 建档立卡贫困户) */
    GRP_MONITORED,   /* 防返贫监测对象: 脱贫不稳定户, 边缘易致贫户, 突发严重困难户 */
    GRP_DIBAO,       /* 低保 (城市, 农村) */
    GRP_TEKUN,       /* 特困供养 */
    GRP_ORPHAN,      /* 孤儿 (集中供养, 社会散居) */
    GRP_DE_FACTO,    /* 事实无人抚养儿童 */
    GRP_DISABLED,    /* 持残疾人证 */
    GRP_LEFT_BEHIND, /* 农村留守儿童 */
    GRP__COUNT
};
extern const struct vocab priority_groups;

/* The categories a kind's 类别 column may write; NULL for the kinds without one. Each word's
 * flags is its enum priority_group. */
const struct vocab *kind_categories(enum import_kind k);
/*
 * The group a row of kind `k` with the stored category key `category` (NULL or "": none
 * written, or not recognised) gives its child; -1 for a kind that gives none (aid). A poverty
 * row without a category is a 脱贫户's; a welfare row without one is refused by the import.
 */
int category_group(enum import_kind k, const char *category);

/* 残疾等级 一级 … 四级 (key "1" … "4"). */
extern const struct vocab disability_levels;

/*
 * A second-generation disability certificate number (第二代残疾人证号): the holder's 18-character
 * ID, the category digit 1–7 (视力, 听力, 言语, 肢体, 智力, 精神, 多重) and the grade digit 1–4;
 * some print a trailing "B1"/"B2" for a replaced card. 0 with id (19 bytes), category and level
 * set (the ID's check digit is the caller's to check), or -1 when the number is not of that form.
 */
int disability_cert_parse(const char *text, size_t len, char id[19], int *category, int *level);

#endif
