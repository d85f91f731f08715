#ifndef BAOXUE_USER_H
#define BAOXUE_USER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/scope.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;

/*
 * Accounts of the server. A password is kept only as an argon2id hash (libsodium
 * crypto_pwhash_str); every change is in the audit trail. An account is never deleted (the
 * audit trail names it): it is disabled, which ends its sessions at once.
 */
struct user {
    int64_t id;
    char name[65];
    enum role role;
    char township[16];   /* ROLE_TOWNSHIP, ROLE_VILLAGE: 9-digit township code */
    char school[32];     /* ROLE_SCHOOL: school code (学校标识码) */
    char department[97]; /* ROLE_DEPARTMENT: the key of its department (domain/department.h),
                            or the free text of an older account that names none */
    char villages[512];  /* ROLE_VILLAGE: its villages as the 户籍 list names them, "、" between
                            (table user_village; user_get and user_each fill it) */
    char area[8];        /* ROLE_PROVINCE: its province's 2 digits; ROLE_CITY: its city's 4 */
    int64_t person_id;   /* the person of the registry the account is; 0 none */
    char person_name[128], person_org[192]; /* that person's name and unit ("" none) */
    bool disabled;
};

#define PASSWORD_MIN 8
#define PASSWORD_MAX 256

/* A valid account name: 1..64 bytes of UTF-8 letters, digits, '.', '_', '-', no spaces. */
bool user_name_valid(const char *name);
/*
 * Check a new password (domain/password.c): PASSWORD_MIN to PASSWORD_MAX characters, no control
 * characters, not one character repeated, not a run (12345678), not the account's `name`, not
 * one of the commonest passwords. -1 with a Chinese message.
 */
int password_check(const char *pw, const char *name, struct buf *err);
/* argon2id hash of `pw` in out (crypto_pwhash_STRBYTES = 128 bytes); -1 out of memory. */
int password_hash(const char *pw, char out[128]);
bool password_verify(const char *hash, const char *pw);

/*
 * Create an account. Checks the name, the role's region (township needs a township code of
 * the county; village that and its villages, each a village of that township in the latest 户籍
 * list; school a school code of the latest 学籍 list; department one of the vocabulary's:
 * stored by its key), the person of the registry it is (person_id, 0 none: an active person),
 * the password (password_check), that the name is free.
 * -1 with the outcome: OUT_INVALID for the user's mistakes (naming the field), OUT_ERROR.
 */
int user_add(struct store *s, const struct user *u, const char *password, const char *actor,
             const char *origin, struct outcome *o);
/* 1 found, 0 no such account, -1 store error. */
int user_get(struct store *s, const char *name, struct user *out);
/* A village account's villages into u->villages (user_get does it); -1 store error. */
int user_load_villages(struct store *s, struct user *u);
/* Link the account to person `person_id` of the registry (an active person), or unlink it (0).
 * Its sessions go on (nothing it may do changes); audited. */
int user_set_person(struct store *s, const char *name, int64_t person_id, const char *actor,
                    const char *origin, struct outcome *o);
/* Every account, in name order; fn's non-zero return stops (and is returned). */
int user_each(struct store *s, int (*fn)(void *ctx, const struct user *u), void *ctx);
/* Disable (or enable) an account; disabling deletes its sessions in the same transaction. */
int user_set_disabled(struct store *s, const char *name, bool disabled, const char *actor,
                      const char *origin, struct outcome *o);
/* The department (its key, name or an alias) of a department account; its sessions end. */
int user_set_department(struct store *s, const char *name, const char *department,
                        const char *actor, const char *origin, struct outcome *o);
/* New password; the account's sessions end. */
int user_set_password(struct store *s, const char *name, const char *password, const char *actor,
                      const char *origin, struct outcome *o);

/* An account as the API shows it: name, role, township, school, department, its permissions. */
json_t *user_json(const struct user *u);

#endif
