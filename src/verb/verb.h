#ifndef BAOXUE_VERB_H
#define BAOXUE_VERB_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/scope.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;
struct progress;
struct vocab;

/*
 * Every state-changing action is one row (redis's command table is the model): its name, the
 * function that does it, its fields (the JSON member and the command-line option are the same
 * key; the label is what messages and forms say), the permission it needs, the object it
 * touches and what it does to it (which decides how the caller's reach is checked), what the
 * audit trail records, and one Chinese line. One adapter serves every row on the command line
 * (cli/verbs.c) and one over HTTP (http/verbs.c); the OpenAPI document of a row's route is made
 * from the row. Adding an action is adding a row and a function (verb/rows_*.c).
 *
 * A field is a member of the action's input struct at `offset`: a `const char *` holding the
 * text as given (the library parses and checks it and names the field in its messages), or for
 * VF_FLAG a `bool`. Over HTTP a JSON string, integer or boolean is taken as text (true/false
 * as 是/否); on the command line --key (underscores as hyphens) takes one value, a flag none.
 */
enum verb_type {
    VT_TEXT,  /* one line of text */
    VT_PROSE, /* several lines: what was said, a note */
    VT_NAME,  /* a person's name, or a name from the people registry */
    VT_DATE,  /* a date: 2026-11-20, 2026/11/20, 2026年11月20日 … */
    VT_INT,   /* a whole number */
    VT_YESNO, /* 是 or 否 */
    VT_WORD,  /* a word of `vocab`: its key, label or another spelling */
    VT_SECRET /* a password: never echoed, never logged */
};

enum {
    VF_REQUIRED = 1 << 0,   /* the action cannot be done without it */
    VF_FLAG = 1 << 1,       /* a bool member: present or not (JSON true/false) */
    VF_CLI = 1 << 2,        /* the command line only (the server decides it itself) */
    VF_POSITIONAL = 1 << 3, /* the command line takes it as an argument after the target */
    VF_GENERATE = 1 << 4,   /* VT_SECRET: the command line makes one when none is given and
                               shows it once */
    VF_LIST = 1 << 5,       /* several values, one a line (the command line repeats the option) */
    VF_HTTP = 1 << 6,       /* over HTTP only (the web UI's preview: the command line has none) */
    VF_MAY_OMIT = 1 << 7,   /* VF_POSITIONAL, last: the command line may leave it off (what
                               leaving it off does is the row's: "user person 用户名" unlinks) */
};

struct verb_field {
    const char *key; /* JSON member; --key on the command line */
    enum verb_type type;
    const char *label; /* Chinese: "劝返方式" */
    size_t offset;     /* offsetof(input struct, member) */
    unsigned flags;
    const struct vocab *vocab; /* VT_WORD */
    const char *hint;          /* for help and forms: "家访、电话…" or NULL */
    const char *alias;         /* an older command-line spelling still accepted (--kind), or NULL */
};

/* What the object in a row's path is, to look it up and check the caller's reach. */
enum verb_target {
    VTG_NONE,
    VTG_ID,   /* a number: {id} in the path, the first argument on the command line */
    VTG_NAME, /* a name: {name} (an account) */
    VTG_KEY,  /* a setting's key: {key} */
};

enum {
    VERB_FILE_OUT = 1 << 0, /* writes a file (a PDF): the server sends it, the CLI writes -o */
    VERB_JOB = 1 << 1,      /* over HTTP it runs as a background job (imports, cross-checks,
                               the province's table) */
    VERB_FILE_IN = 1 << 2,  /* reads a file: the command line's argument, the server's upload */
    VERB_CREATES = 1 << 3,  /* makes a new object: the API answers 201 Created */
};

/* One call of an action: who asks and on what; the function fills msg (and result). */
struct verb_call {
    struct store *s;
    const struct scope *scope; /* who asks, with their reach (the command line: the county's) */
    const char *actor;         /* the account (or, on the command line, the system user) */
    int64_t id;                /* VTG_ID */
    const char *name;          /* VTG_NAME, VTG_KEY */
    const char *in_path;       /* VERB_FILE_IN: the file to read */
    const char *in_name;       /* VERB_FILE_IN: its name as the user knows it */
    const char *out_path;      /* VERB_FILE_OUT: where to write */
    struct progress *progress; /* long actions report here (NULL: nobody watches) */
    int64_t job;               /* a job thread running a job's row: the job's id; else 0 */
    struct buf msg;            /* what was done, in Chinese */
    struct buf warning;        /* what did not work although the action did (the command line
                                  exits 1 after saying it) */
    /* A long action that commits before it ends (a cross-check, then its casework) says what
     * it committed here, when set: a job that stops before the end is then told apart. */
    void (*committed)(struct verb_call *c, int64_t id);
    void *committed_ctx;
    json_t *result;      /* what the API answers besides the message (owned), or NULL */
    char file_name[128]; /* VERB_FILE_OUT: the name to offer the file under */
};

struct verb {
    const char *name;    /* "case.attempt": the command and its subcommand */
    const char *summary; /* one Chinese line: help, the OpenAPI summary */
    const char *method;  /* "POST", "PUT", "PATCH" */
    const char *path;    /* "/api/v1/cases/{id}/attempts", or NULL: the command line only, or
                            a job's row whose route is a handler of its own (the province's
                            table: http/api_province.c checks the area before it queues it) */
    enum perm perm;
    enum scope_object object; /* what {id} names (SCOPE_NONE: the permission decides) */
    enum scope_action action; /* what the action does to it */
    enum verb_target target;
    const char *target_label; /* "案件编号" */
    const char *audit;        /* the audit trail's action for it ("case_attempt") */
    unsigned flags;
    size_t size; /* of the input struct */
    const struct verb_field *fields;
    size_t nfields;
    int (*run)(struct verb_call *c, const void *in, struct outcome *o);
    /* What the fields must be that verb_check cannot tell (a date, a word of a vocabulary),
     * checked without touching anything; NULL: nothing more. A job's row is checked so before
     * it is queued, for the request to be refused at once. */
    int (*check)(const void *in, struct outcome *o);
    const char *failure; /* VERB_JOB: a failed job's message starts so ("导入失败") */
    const char *phase;   /* VERB_JOB: what a job that has started says first ("正在导入") */
};

/* Every row, in the order help lists them; the table ends with a row whose name is NULL. */
extern const struct verb *const verbs[];

const struct verb *verb_find(const char *name);
/* The row of command `cmd` and subcommand `sub` ("case", "attempt"). */
const struct verb *verb_find_sub(const char *cmd, const char *sub);

/* The field whose key is `key` (length len), or NULL. */
const struct verb_field *verb_field(const struct verb *v, const char *key, size_t len);
/* The member of `in` that a field fills. */
const char **verb_text(const struct verb_field *f, void *in);
bool *verb_flag(const struct verb_field *f, void *in);

/*
 * Check what every front end checks alike before the function runs: a required field given and
 * not blank. -1 with the outcome (OUT_INVALID, the field's key) naming the first one missing.
 */
int verb_check(const struct verb *v, const void *in, struct outcome *o);

/* Run a row: verb_check, then its function. c->msg and c->result hold what it answers. */
int verb_run(const struct verb *v, struct verb_call *c, const void *in, struct outcome *o);
void verb_call_release(struct verb_call *c);

/* "--visits-per-week" for the key "visits_per_week" (the command line's spelling). */
void verb_option_name(const char *key, char *out, size_t size);

#endif
