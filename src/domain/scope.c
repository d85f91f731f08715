#include "domain/scope.h"

#include "core/words.h"
#include "domain/department.h"
#include "ingest/category.h"
#include "util/common.h"

static const struct word role_words[ROLE__COUNT] = {
    [ROLE_ADMIN] = {"admin", "系统管理员", "管理员", 0, TONE_NONE},
    [ROLE_COUNTY] = {"county", "县教育局", "教育局", 0, TONE_NONE},
    [ROLE_TOWNSHIP] = {"township", "乡镇", NULL, 0, TONE_NONE},
    [ROLE_VILLAGE] = {"village", "村（社区）", "村|社区|村委会|居委会", 0, TONE_NONE},
    [ROLE_SCHOOL] = {"school", "学校", NULL, 0, TONE_NONE},
    [ROLE_DEPARTMENT] = {"department", "部门", NULL, 0, TONE_NONE},
    [ROLE_SUPERVISOR] = {"supervisor", "督导", "督学", 0, TONE_NONE},
    [ROLE_PROVINCE] = {"province", "省教育厅", "省|省级|教育厅", 0, TONE_NONE},
    [ROLE_CITY] = {"city", "市教育局", "市|市级", 0, TONE_NONE},
};
const struct vocab account_roles = {"角色", role_words, ROLE__COUNT};

/* The names of the permissions (a session's answer lists the role's, so that the web UI shows
 * only what the role may use; the server still checks every request). */
static const char *const perm_keys[PERM__COUNT] = {
    [PERM_PUBLIC] = "public",         [PERM_SESSION] = "session",   [PERM_SUMMARY] = "summary",
    [PERM_CHILDREN] = "children",     [PERM_REVIEW] = "review",     [PERM_AUDIT] = "audit",
    [PERM_FULL_ID] = "full_id",       [PERM_WRITE] = "write",       [PERM_IMPORT] = "import",
    [PERM_CASEWORK] = "casework",     [PERM_REGISTRY] = "registry", [PERM_SETTINGS] = "settings",
    [PERM_CASES] = "cases",           [PERM_UPLOAD] = "upload",     [PERM_ACCOUNTS] = "accounts",
    [PERM_CHILD_FILE] = "child_file", [PERM_APPROVE] = "approve",   [PERM_INSPECT] = "inspect",
    [PERM_PROVINCE] = "province",
};

const char *perm_key(enum perm p)
{
    return p < PERM__COUNT ? perm_keys[p] : "";
}

/* Rows: roles; columns: permissions. The whole access policy in one table (with `reach`
 * below for the tasks and cases a role's routes reach). docs/decisions.md (Issue 5: school and
 * department accounts; issue 11: who may change what). */
#define Y true
#define N false
static const bool grants[ROLE__COUNT][PERM__COUNT] = {
    /*                pub ses sum chi rev aud ful wri imp cwk reg set cas upl acc cfi apr ins prv */
    [ROLE_ADMIN] = {Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, N},
    [ROLE_COUNTY] = {Y, Y, Y, Y, Y, N, Y, Y, Y, Y, Y, N, Y, Y, N, Y, Y, Y, N},
    [ROLE_TOWNSHIP] = {Y, Y, Y, Y, N, N, N, Y, N, Y, N, N, Y, N, N, Y, N, N, N},
    [ROLE_SCHOOL] = {Y, Y, N, Y, N, N, N, Y, N, N, N, N, Y, N, N, Y, N, N, N},
    /* a village: the tasks and cases of its villages' children (reach), nothing township-wide
     * (no list, no counts, no registry, no history beyond the task or case) */
    [ROLE_VILLAGE] = {Y, Y, N, N, N, N, N, Y, N, N, N, N, Y, N, N, N, N, N, N},
    /* a department: the children of its own lists (scope_reads_run), the tasks its duty needs
     * (reach), its uploads; no child's history, nothing of the casework to change */
    [ROLE_DEPARTMENT] = {Y, Y, N, Y, N, N, N, Y, N, N, N, N, Y, Y, N, N, N, N, N},
    /* a supervisor (督导): reads county-wide; its only writes are PERM_INSPECT's (no PERM_WRITE:
     * perm_needs_write lets PERM_INSPECT's routes through without it) */
    [ROLE_SUPERVISOR] = {Y, Y, Y, Y, Y, N, N, N, N, Y, N, N, Y, N, N, Y, N, Y, N},
    /* above the county (issue 18): the counties' indicators of its area, nothing else */
    [ROLE_PROVINCE] = {Y, Y, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, Y},
    [ROLE_CITY] = {Y, Y, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, Y},
};
#undef Y
#undef N

/*
 * Which tasks and cases a role reaches, by action: REACH_ALL (every one), REACH_TOWN (those of
 * the scope's township), or TIE_* bits (those tied to the scope's school in one of these ways);
 * 0 nothing. What a role cannot read does not exist for it (404); what it reads but may not
 * change is 403. A supervisor's writes are refused before (PERM_WRITE).
 */
#define REACH_ALL   0x100u
#define REACH_TOWN  0x200u
#define SCHOOL_READ (TIE_SCHOOL_RECORD | TIE_RETURNED_TO | TIE_TEACHER)
static const unsigned reach[ROLE__COUNT][2][ACT__COUNT] = {
    /* task: read attempt follow-up write contact verify; case: the same (no case is verified).
     * contact: who sees the guardian's phone and the address in full without asking — the
     * accounts of the people assigned to the child now (the township's 包保干部, the 村干部,
     * the school's 结对教师: TIE_ASSIGNED, the account linked to its person of the registry),
     * no one else; the county asks for it (full=1) like for an ID, audited alike */
    [ROLE_ADMIN] = {{REACH_ALL, REACH_ALL, REACH_ALL, REACH_ALL, 0, REACH_ALL},
                    {REACH_ALL, REACH_ALL, REACH_ALL, REACH_ALL, 0, 0}},
    [ROLE_COUNTY] = {{REACH_ALL, REACH_ALL, REACH_ALL, REACH_ALL, 0, REACH_ALL},
                     {REACH_ALL, REACH_ALL, REACH_ALL, REACH_ALL, 0, 0}},
    [ROLE_TOWNSHIP] = {{REACH_TOWN, REACH_TOWN, REACH_TOWN, REACH_TOWN, TIE_ASSIGNED, REACH_TOWN},
                       {REACH_TOWN, REACH_TOWN, REACH_TOWN, REACH_TOWN, TIE_ASSIGNED, 0}},
    /* a village (村两委): its villages' children — it records the verification outcomes, the
     * 劝返 visits and the follow-ups; assigning, the legal ladder, notices and closing stay the
     * township's; it sees the contact like the township's cadre */
    [ROLE_VILLAGE] = {{TIE_VILLAGE, 0, 0, 0, TIE_ASSIGNED, TIE_VILLAGE},
                      {TIE_VILLAGE, TIE_VILLAGE, TIE_VILLAGE, 0, TIE_ASSIGNED, 0}},
    /* a school: its pupils' tasks and cases, the children returned to it, those its teachers
     * are paired with; it records its teachers' visits and the follow-ups of its returners */
    [ROLE_SCHOOL] = {{TIE_SCHOOL_RECORD | TIE_TEACHER, 0, 0, 0, TIE_ASSIGNED, 0},
                     {SCHOOL_READ, TIE_TEACHER, TIE_RETURNED_TO, 0, TIE_ASSIGNED, 0}},
    /* a department: the verification outcomes its duty needs (department.c: the police read
     * 户籍问题), masked and without the story (scope_reads_story); no case, nothing to change */
    [ROLE_DEPARTMENT] = {{TIE_REGISTRATION, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0}},
    [ROLE_SUPERVISOR] = {{REACH_ALL, 0, 0, 0, 0, 0}, {REACH_ALL, 0, 0, 0, 0, 0}},
};

static unsigned reach_of(const struct scope *sc, enum scope_object what, enum scope_action act)
{
    if (sc->role >= ROLE__COUNT || (what != SCOPE_TASK && what != SCOPE_CASE) || act >= ACT__COUNT)
        return 0;
    unsigned r = reach[sc->role][what == SCOPE_CASE][act];
    if (sc->role == ROLE_DEPARTMENT) {
        /* what the role may reach, narrowed to what this department's duty needs */
        const struct department *d = department_find(sc->department);
        if (!d || !(d->reads & DEPT_READS_REGISTRATION))
            r &= ~(unsigned)TIE_REGISTRATION;
    }
    return r;
}

static bool reaches(const struct scope *sc, unsigned r, const struct object_ties *t)
{
    if (r & REACH_ALL)
        return true;
    if ((r & REACH_TOWN) && sc->township && *sc->township && !strcmp(sc->township, t->township))
        return true;
    if (r & t->ties & (TIE_REGISTRATION | TIE_ASSIGNED))
        return true;
    if (sc->role == ROLE_VILLAGE && sc->township && *sc->township &&
        !strcmp(sc->township, t->township) && (r & t->ties & TIE_VILLAGE))
        return true;
    return sc->role == ROLE_SCHOOL && sc->school && *sc->school && (r & t->ties & TIES_SCHOOL);
}

enum outcome_kind scope_object_allows(const struct scope *sc, enum scope_object what,
                                      const struct object_ties *t, enum scope_action act)
{
    if (!reaches(sc, reach_of(sc, what, ACT_READ), t))
        return OUT_NOT_FOUND;
    return reaches(sc, reach_of(sc, what, act), t) ? OUT_OK : OUT_FORBIDDEN;
}

enum outcome_kind scope_placement_allows(const struct scope *sc, const char *township_code,
                                         const char *placement_school, enum scope_action act)
{
    bool read = false, write = false, visit = false;
    switch (sc->role) {
    case ROLE_ADMIN:
    case ROLE_COUNTY:
        read = write = visit = true;
        break;
    case ROLE_SUPERVISOR:
        read = true;
        break;
    case ROLE_TOWNSHIP:
        read = write = visit =
            sc->township && *sc->township && township_code && !strcmp(sc->township, township_code);
        break;
    case ROLE_SCHOOL:
        read = visit =
            sc->school && *sc->school && placement_school && !strcmp(sc->school, placement_school);
        break;
    default:
        break;
    }
    if (!read)
        return OUT_NOT_FOUND;
    if (act == ACT_READ || (act == ACT_WRITE && write) || (act == ACT_ATTEMPT && visit))
        return OUT_OK;
    return OUT_FORBIDDEN;
}

bool role_reads_placements(enum role r)
{
    return r == ROLE_ADMIN || r == ROLE_COUNTY || r == ROLE_SUPERVISOR || r == ROLE_TOWNSHIP ||
           r == ROLE_SCHOOL;
}

bool role_reads_atrisk(enum role r)
{
    return r == ROLE_ADMIN || r == ROLE_COUNTY || r == ROLE_SUPERVISOR || r == ROLE_TOWNSHIP ||
           r == ROLE_SCHOOL;
}

bool role_issues_bulletins(enum role r)
{
    return r == ROLE_ADMIN || r == ROLE_COUNTY;
}

bool role_reads_bulletins(enum role r)
{
    return role_issues_bulletins(r) || r == ROLE_SUPERVISOR || r == ROLE_TOWNSHIP;
}

bool scope_list_reach(const struct scope *sc, enum scope_object what, bool *all,
                      const char **township, unsigned *ties)
{
    unsigned r = reach_of(sc, what, ACT_READ);
    *all = (r & REACH_ALL) != 0;
    *township = !*all && (r & REACH_TOWN) ? (sc->township ? sc->township : "") : NULL;
    *ties = 0;
    if (!*all && sc->role == ROLE_SCHOOL && sc->school && *sc->school)
        *ties |= r & TIES_SCHOOL;
    if (!*all && sc->role == ROLE_VILLAGE && sc->township && *sc->township)
        *ties |= r & TIE_VILLAGE;
    if (!*all)
        *ties |= r & TIE_REGISTRATION;
    return *all || *township || *ties;
}

bool scope_reads_story(const struct scope *sc)
{
    return sc->role != ROLE_DEPARTMENT;
}

bool role_reads_objects(enum role r, enum scope_object what)
{
    if (r >= ROLE__COUNT || (what != SCOPE_TASK && what != SCOPE_CASE) || !role_has(r, PERM_CASES))
        return false;
    const struct scope sc = {.role = r};
    return scope_reads_story(&sc) && reach[r][what == SCOPE_CASE][ACT_READ] != 0;
}

bool scope_reads_registration(const struct scope *sc)
{
    const struct department *d =
        sc->role == ROLE_DEPARTMENT ? department_find(sc->department) : NULL;
    return d && (d->reads & DEPT_READS_REGISTRATION);
}

bool scope_reads_aid(const struct scope *sc)
{
    const struct department *d =
        sc->role == ROLE_DEPARTMENT ? department_find(sc->department) : NULL;
    return d && (d->reads & DEPT_READS_AID);
}

bool scope_reads_run(const struct scope *sc, const char *population_department)
{
    return sc->role == ROLE_DEPARTMENT && department_find(sc->department) &&
           population_department && !strcmp(sc->department, population_department);
}

const char *perm_refusal(enum perm p)
{
    switch (p) {
    case PERM_APPROVE:
        return "销号须由县教育局（或系统管理员）的账号审批，您的账号不能销号";
    case PERM_CHILD_FILE:
        return "您的账号只能查看儿童的名单记录，不能查看其历次比对和核查、案件的经过";
    case PERM_IMPORT:
        return "您的账号无权导入县里的名单、确认部门上传的名单或进行比对";
    case PERM_INSPECT:
        return "督导检查和整改验收由督导、县教育局（或系统管理员）的账号进行，您的账号不能";
    default:
        return "您的账号无权进行此操作";
    }
}

const char *role_key(enum role r)
{
    return r < ROLE__COUNT ? role_words[r].key : "";
}

const char *role_label(enum role r)
{
    return r < ROLE__COUNT ? role_words[r].label : "";
}

int role_parse(const char *text)
{
    for (int r = 0; text && r < ROLE__COUNT; r++) /* a stored key, on every request */
        if (!strcmp(text, role_words[r].key))
            return r;
    return vocab_parse(&account_roles, text);
}

bool perm_needs_write(enum perm p)
{
    return p > PERM_SESSION && p != PERM_INSPECT && p != PERM_PROVINCE;
}

bool role_has(enum role r, enum perm p)
{
    return r < ROLE__COUNT && p < PERM__COUNT && grants[r][p];
}

bool scope_filter(const struct scope *sc, const char **township, const char **school)
{
    *school = sc->role == ROLE_SCHOOL ? (sc->school ? sc->school : "") : NULL;
    if (sc->role == ROLE_TOWNSHIP) {
        const char *own = sc->township ? sc->township : "";
        if (*township && **township && strcmp(*township, own))
            return false;
        *township = own;
    }
    /* a department reads runs by scope_reads_run; a village no township-wide list (its
     * children are reached through their tasks and cases) */
    if (sc->role == ROLE_DEPARTMENT || sc->role == ROLE_VILLAGE)
        return false;
    return true;
}

bool scope_allows(const struct scope *sc, const char *township_code, const char *school_code)
{
    switch (sc->role) {
    case ROLE_ADMIN:
    case ROLE_COUNTY:
    case ROLE_SUPERVISOR:
        return true;
    case ROLE_TOWNSHIP:
        return sc->township && *sc->township && township_code &&
               !strcmp(sc->township, township_code);
    case ROLE_SCHOOL:
        return sc->school && *sc->school && school_code && !strcmp(sc->school, school_code);
    default:
        return false;
    }
}

/* The groups the lists of a department's kinds give (ingest/category.h): each kind's
 * categories name their groups; a poverty row without one is a 脱贫户's. */
static unsigned department_groups(const struct department *d)
{
    unsigned g = 0;
    for (int k = 0; d && k < KIND__COUNT; k++) {
        if (!(d->kinds & (1u << k)))
            continue;
        const struct vocab *v = kind_categories((enum import_kind)k);
        for (size_t i = 0; v && i < v->n; i++)
            g |= 1u << v->words[i].flags;
        int plain = category_group((enum import_kind)k, NULL);
        if (plain >= 0)
            g |= 1u << plain;
    }
    return g;
}

bool scope_groups(const struct scope *sc, unsigned *groups, const char **township,
                  const char **school)
{
    *groups = 0;
    *township = *school = NULL;
    switch (sc->role) {
    case ROLE_ADMIN:
    case ROLE_COUNTY:
    case ROLE_SUPERVISOR:
        return true;
    case ROLE_TOWNSHIP:
        *township = sc->township;
        return sc->township && *sc->township;
    case ROLE_SCHOOL:
        *school = sc->school;
        return sc->school && *sc->school;
    case ROLE_DEPARTMENT:
        *groups = department_groups(department_find(sc->department));
        return *groups != 0;
    default:
        return false;
    }
}

bool role_records_attendance(enum role r)
{
    return r == ROLE_ADMIN || r == ROLE_COUNTY || r == ROLE_SCHOOL;
}

bool role_reads_attendance(enum role r)
{
    return role_records_attendance(r) || r == ROLE_TOWNSHIP || r == ROLE_SUPERVISOR;
}

bool role_reads_inspections(enum role r)
{
    return r == ROLE_ADMIN || r == ROLE_COUNTY || r == ROLE_SUPERVISOR || r == ROLE_TOWNSHIP ||
           r == ROLE_SCHOOL;
}

enum outcome_kind scope_meeting_allows(const struct scope *sc, const char *owner,
                                       enum scope_action act)
{
    switch (sc->role) {
    case ROLE_ADMIN:
    case ROLE_COUNTY:
        return OUT_OK;
    case ROLE_SUPERVISOR:
        return act == ACT_READ ? OUT_OK : OUT_FORBIDDEN;
    case ROLE_DEPARTMENT:
        if (!owner) /* a meeting: read (its own decisions within), never create */
            return act == ACT_READ ? OUT_OK : OUT_FORBIDDEN;
        if (!department_find(sc->department) || strcmp(sc->department, owner))
            return OUT_NOT_FOUND;
        return act == ACT_READ || act == ACT_FOLLOW_UP ? OUT_OK : OUT_FORBIDDEN;
    default:
        return OUT_NOT_FOUND;
    }
}

enum outcome_kind scope_interview_allows(const struct scope *sc, const char *unit_kind,
                                         const char *unit_code, enum scope_action act)
{
    bool own = false;
    switch (sc->role) {
    case ROLE_ADMIN:
    case ROLE_COUNTY:
        return OUT_OK;
    case ROLE_SUPERVISOR:
        return act == ACT_READ ? OUT_OK : OUT_FORBIDDEN;
    case ROLE_TOWNSHIP:
        own = unit_kind && !strcmp(unit_kind, "township") && sc->township && *sc->township &&
              unit_code && !strcmp(unit_code, sc->township);
        break;
    case ROLE_SCHOOL:
        own = unit_kind && !strcmp(unit_kind, "school") && sc->school && *sc->school && unit_code &&
              !strcmp(unit_code, sc->school);
        break;
    default:
        break;
    }
    if (!own)
        return OUT_NOT_FOUND;
    return act == ACT_READ ? OUT_OK : OUT_FORBIDDEN;
}

bool role_reads_meetings(enum role r)
{
    return r == ROLE_ADMIN || r == ROLE_COUNTY || r == ROLE_SUPERVISOR || r == ROLE_DEPARTMENT;
}

bool role_reads_interviews(enum role r)
{
    return r == ROLE_ADMIN || r == ROLE_COUNTY || r == ROLE_SUPERVISOR || r == ROLE_TOWNSHIP ||
           r == ROLE_SCHOOL;
}

bool role_has_todo(enum role r)
{
    return role_has(r, PERM_CASEWORK) || r == ROLE_DEPARTMENT || r == ROLE_SCHOOL;
}

bool role_records_entrants(enum role r)
{
    return r == ROLE_SCHOOL || r == ROLE_COUNTY || r == ROLE_ADMIN;
}

bool role_reads_entrants(enum role r)
{
    return r == ROLE_SCHOOL || r == ROLE_COUNTY || r == ROLE_ADMIN || r == ROLE_TOWNSHIP ||
           r == ROLE_SUPERVISOR;
}

bool role_edits_catchment(enum role r)
{
    return r == ROLE_COUNTY || r == ROLE_ADMIN;
}
