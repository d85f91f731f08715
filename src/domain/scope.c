#include "domain/scope.h"

#include "util/common.h"

static const struct {
    const char *key, *label;
} roles[ROLE__COUNT] = {
    [ROLE_ADMIN] = {"admin", "系统管理员"},     [ROLE_COUNTY] = {"county", "县教育局"},
    [ROLE_TOWNSHIP] = {"township", "乡镇"},     [ROLE_SCHOOL] = {"school", "学校"},
    [ROLE_DEPARTMENT] = {"department", "部门"}, [ROLE_SUPERVISOR] = {"supervisor", "督导"},
};

/* Rows: roles; columns: permissions. The whole access policy in one table (with `reach`
 * below for the tasks and cases a role's routes reach). docs/decisions.md (Issue 5: school and
 * department accounts). */
static const bool grants[ROLE__COUNT][PERM__COUNT] = {
    /* public session summary children review audit full  write import casework registry
     * settings cases upload accounts */
    [ROLE_ADMIN] = {true, true, true, true, true, true, true, true, true, true, true, true, true,
                    true, true},
    [ROLE_COUNTY] = {true, true, true, true, true, false, true, true, true, true, true, false, true,
                     true, false},
    [ROLE_TOWNSHIP] = {true, true, true, true, false, false, false, true, false, true, false, false,
                       true, false, false},
    [ROLE_SCHOOL] = {true, true, false, true, false, false, false, true, false, false, false, false,
                     true, false, false},
    [ROLE_DEPARTMENT] = {true, true, false, false, false, false, false, true, false, false, false,
                         false, true, true, false},
    [ROLE_SUPERVISOR] = {true, true, true, true, true, false, false, false, false, true, false,
                         false, true, false, false},
};

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
    /*              task: read attempt follow-up write      case: read attempt follow-up write */
    [ROLE_ADMIN] = {{REACH_ALL, REACH_ALL, REACH_ALL, REACH_ALL},
                    {REACH_ALL, REACH_ALL, REACH_ALL, REACH_ALL}},
    [ROLE_COUNTY] = {{REACH_ALL, REACH_ALL, REACH_ALL, REACH_ALL},
                     {REACH_ALL, REACH_ALL, REACH_ALL, REACH_ALL}},
    [ROLE_TOWNSHIP] = {{REACH_TOWN, REACH_TOWN, REACH_TOWN, REACH_TOWN},
                       {REACH_TOWN, REACH_TOWN, REACH_TOWN, REACH_TOWN}},
    /* a school: its pupils' tasks and cases, the children returned to it, those its teachers
     * are paired with; it records its teachers' visits and the follow-ups of its returners */
    [ROLE_SCHOOL] = {{TIE_SCHOOL_RECORD | TIE_TEACHER, 0, 0, 0},
                     {SCHOOL_READ, TIE_TEACHER, TIE_RETURNED_TO, 0}},
    /* a department: the county's cases as masked summaries, nothing to change */
    [ROLE_DEPARTMENT] = {{0, 0, 0, 0}, {REACH_ALL, 0, 0, 0}},
    [ROLE_SUPERVISOR] = {{REACH_ALL, 0, 0, 0}, {REACH_ALL, 0, 0, 0}},
};

static unsigned reach_of(const struct scope *sc, enum scope_object what, enum scope_action act)
{
    if (sc->role >= ROLE__COUNT || (what != SCOPE_TASK && what != SCOPE_CASE) || act >= ACT__COUNT)
        return 0;
    return reach[sc->role][what == SCOPE_CASE][act];
}

static bool reaches(const struct scope *sc, unsigned r, const struct object_ties *t)
{
    if (r & REACH_ALL)
        return true;
    if ((r & REACH_TOWN) && sc->township && *sc->township && !strcmp(sc->township, t->township))
        return true;
    return sc->role == ROLE_SCHOOL && sc->school && *sc->school && (r & t->school);
}

enum outcome scope_object_allows(const struct scope *sc, enum scope_object what,
                                 const struct object_ties *t, enum scope_action act)
{
    if (!reaches(sc, reach_of(sc, what, ACT_READ), t))
        return OUT_NOT_FOUND;
    return reaches(sc, reach_of(sc, what, act), t) ? OUT_OK : OUT_FORBIDDEN;
}

bool scope_list_reach(const struct scope *sc, enum scope_object what, bool *all,
                      const char **township, unsigned *school_ties)
{
    unsigned r = reach_of(sc, what, ACT_READ);
    *all = (r & REACH_ALL) != 0;
    *township = !*all && (r & REACH_TOWN) ? (sc->township ? sc->township : "") : NULL;
    *school_ties = !*all && sc->role == ROLE_SCHOOL && sc->school && *sc->school
                       ? r & (TIE_SCHOOL_RECORD | TIE_RETURNED_TO | TIE_TEACHER)
                       : 0;
    return *all || *township || *school_ties;
}

const char *role_key(enum role r)
{
    return r < ROLE__COUNT ? roles[r].key : "";
}

const char *role_label(enum role r)
{
    return r < ROLE__COUNT ? roles[r].label : "";
}

int role_parse(const char *key)
{
    for (int r = 0; r < ROLE__COUNT; r++)
        if (!strcmp(key, roles[r].key) || !strcmp(key, roles[r].label))
            return r;
    return -1;
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
    if (sc->role == ROLE_DEPARTMENT)
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
