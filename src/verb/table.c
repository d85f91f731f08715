/* The table of every action row, in the order help lists them (verb/verb.h). */
#include "verb/rows.h"

/* one block per issue, for merges */
/* clang-format off */
const struct verb *const verbs[] = {
    &verb_import,         &verb_match,           &verb_verify_record,     &verb_verify_assign,
    &verb_case_assign,    &verb_case_attempt,    &verb_case_escalate,     &verb_case_resolve,
    &verb_case_follow_up, &verb_case_close,      &verb_case_reopen,       &verb_case_notice,
    &verb_people_add,     &verb_people_edit,     &verb_people_deactivate, &verb_people_import,
    &verb_review_decide,  &verb_review_accept,   &verb_review_reject,     &verb_settings_set,
    &verb_settings_unset, &verb_user_add,        &verb_user_disabled,     &verb_user_disable,
    &verb_user_enable,    &verb_user_password,   &verb_user_department,   &verb_user_person,
    &verb_import_accept,  &verb_import_reject,   &verb_verify_attach,     &verb_case_attach,
    &verb_placement_set,  &verb_placement_visit, &verb_care_add,
    /* issue 16: the wellbeing ledgers */
    &verb_illness_add, &verb_illness_follow, &verb_mental_add, &verb_mental_note,
    &verb_user_mental_health,
    NULL,
};
/* clang-format on */
