#include "domain/scope.h"

#include "util/common.h"

static const struct {
    const char *key, *label;
} roles[ROLE__COUNT] = {
    [ROLE_ADMIN] = {"admin", "系统管理员"},     [ROLE_COUNTY] = {"county", "县教育局"},
    [ROLE_TOWNSHIP] = {"township", "乡镇"},     [ROLE_SCHOOL] = {"school", "学校"},
    [ROLE_DEPARTMENT] = {"department", "部门"}, [ROLE_SUPERVISOR] = {"supervisor", "督导"},
};

/* Rows: roles; columns: permissions. The whole access policy in one table. */
static const bool grants[ROLE__COUNT][PERM__COUNT] = {
    /* public session summary children review audit full  write import casework registry
     * settings accounts */
    [ROLE_ADMIN] = {true, true, true, true, true, true, true, true, true, true, true, true, true},
    [ROLE_COUNTY] = {true, true, true, true, true, false, true, true, true, true, true, false},
    [ROLE_TOWNSHIP] = {true, true, true, true, false, false, false, true, false, true, false,
                       false},
    [ROLE_SCHOOL] = {true, true, false, true, false, false, false, true, false, false, false,
                     false},
    [ROLE_DEPARTMENT] = {true, true, false, false, false, false, false, true, false, false, false,
                         false},
    [ROLE_SUPERVISOR] = {true, true, true, true, true, false, false, false, false, true, false,
                         false},
};

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
