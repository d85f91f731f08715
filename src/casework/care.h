#ifndef BAOXUE_CARE_H
#define BAOXUE_CARE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/outcome.h"

struct store;
struct scope;
struct vocab;

/*
 * Left-behind children (农村留守儿童, issue 15): the care contacts (关爱联系) a school or its
 * teacher logs, and who reads the guardian (受委托监护人) and the parents' work places. The
 * child is a register record of the latest cross-check that the left-behind list linked
 * (group_member, grp 'left_behind'); its school is the one its status rests on.
 *
 * Who reads the contact: the accounts assigned to the child's task or case now (ACT_CONTACT,
 * TIE_ASSIGNED), and the school account of the child's school — the registry has no link of a
 * child to a 结对教师 outside a case, so the school stands for its pairing teacher. The county
 * reads it with full, audited like an ID. Every full read is audited.
 */
extern const struct vocab care_ways; /* home 入户, phone 电话, video 视频, school 到校 */

struct care_input {
    const char *date;    /* 联系日期: today when blank; not in the future */
    const char *way;     /* 联系方式: a word of care_ways */
    const char *people;  /* 联系人: who (the teacher; the guardian reached) */
    const char *content; /* 联系内容 */
};

/* Log a care contact with the left-behind child `record_id` (a register record). The scope
 * must be the school of the child (or the county's); -1 with the outcome (OUT_NOT_FOUND for a
 * child not on the left-behind list of the latest run or outside the scope, OUT_FORBIDDEN,
 * OUT_INVALID naming the field). Adds a timeline event (关爱联系). */
int care_add(struct store *s, const struct scope *sc, int64_t record_id,
             const struct care_input *in, const char *actor, int64_t *id, struct buf *msg,
             struct outcome *o);

/*
 * What the child record shows of a left-behind child: {"left_behind": bool, "contact_visible",
 * "contact_rule", "guardian": {name, id_number, phone} , "father_work", "mother_work",
 * "village_contact", "may_log", "contacts": [{date, way, way_label, people, content,
 * logged_by}]}. The guardian and work places only when the scope reads the contact (or `full`
 * for an account with full IDs), audited. NULL with the outcome.
 */
json_t *care_get(struct store *s, const struct scope *sc, int64_t record_id, bool full,
                 struct outcome *o);

#endif
