#ifndef BAOXUE_MATCH_IMPL_H
#define BAOXUE_MATCH_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/match.h"
#include "domain/runstatus.h"
#include "ingest/field.h"
#include "ingest/import.h"
#include "link/linker.h"
#include "util/buf.h"
#include "util/intern.h"
#include "util/outcome.h"

/*
 * What the files of the cross-check share (match.h says what a run does):
 *
 *   match.c        the run, phase by phase: its inputs, the linking, each child's status
 *                  decided (decide()) and written
 *   match_load.c   reading: the snapshots into compact arrays (the register on a connection
 *                  and a thread of its own), and the clerks' decisions on pairs
 *   match_store.c  writing: the run's row, the scored pairs and links, the counts and the
 *                  audit at the end
 */

struct person {
    int64_t id;
    uint64_t key; /* packed ID, 0 when none */
    int birth;    /* ymd, 0 unknown */
    int id_flags;
    enum reg_status reg;
    bool pending_review; /* a candidate record of this child waits for a clerk */
    uint32_t place;      /* index into snapshot.places: township code, tab, name */
};

struct school_rec {
    int64_t id;
    enum import_kind kind;
    enum enroll_status st;
    enum lk_method method; /* how it was linked to its child */
    int grade;
    const char *school; /* school name (学籍) or school + region (外出); interned */
    uint32_t school_ix; /* its index in snapshot.schools */
};

/* Strings loaded from the store, kept in one arena (offsets until loading ends). */
struct arena {
    struct buf b;
};

/* The linker's view of the people and records, and what the decisions need besides. */
struct snapshot {
    struct person *people;
    struct lk_rec *pop;
    size_t npop;
    struct school_rec *recs;
    struct lk_rec *oth;
    size_t noth, oth_alloc;
    struct arena pop_names; /* name keys of the register (loaded in a thread of its own) */
    struct arena names;     /* name keys of the school records */
    struct intern schools;  /* school names: they repeat for every pupil */
    struct intern places;   /* the register's townships (keys_place) */
    size_t *pop_name_off, *oth_name_off;
};

/* The clerks' decisions on pairs (review_decision), sorted by pair key. */
struct decisions {
    const struct snapshot *sn;
    char **keys; /* sorted pair keys */
    int *verdict;
    size_t n;
};

/* ---- match_load.c ---- */

/*
 * The snapshots of the run's batches (res->population_batch, enrollment_batch,
 * outside_batch) into *sn, its strings made pointers, and the clerks' decisions into *dec.
 * -1 with the store's message in err.
 */
int match_load_snapshot(struct store *s, const struct match_result *res, struct snapshot *sn,
                        struct decisions *dec, struct buf *err);
void match_snapshot_release(struct snapshot *sn);
/* The linker's callback: a clerk's verdict on a pair, 1 accept, -1 reject, 0 none. Called
 * from the linker's scoring threads: nothing shared is written. */
int match_decided(void *ctx, uint32_t pop, uint32_t other);
void match_decisions_release(struct decisions *d);

/* ---- match_store.c: a run being written ---- */

struct run_state {
    struct store *s;
    const struct match_options *opt;
    struct match_result *res;
    struct buf *err;
    enum outcome_kind kind; /* what a failure is */
    struct snapshot sn;
    struct lk_params lp;
    struct lk_result lr;
    struct decisions dec;
    uint32_t *start, *member; /* each child's records: a CSR array over the linker's matches */
    struct stmt *ins_link, *ins_status, *ins_cand, *ins_count;
    struct stmt *ins_nonlocal, *ins_nonlocal_count; /* pupils without 户籍 here (match.c) */
    char county[7]; /* the county's code (setting county; "" unknown): whose IDs are local */
    struct store_writer *wq;
    struct run_status_writer rsw;
    struct buf detail, key, levels;
    bool in_tx, bulk, fk_off;
};

/* "保存比对结果失败：" and the store's message; -1. */
int match_db_error(struct run_state *st);
/* The writer thread stopped (its error is the one reported), then match_db_error. */
int match_writer_error(struct run_state *st);
/* The run's row in its bulk transaction, the statements and the writer thread. */
int match_begin_run(struct run_state *st);
/* Every scored pair (candidate), and the links beyond an exact ID with their explanation. */
int match_write_candidates(struct run_state *st);
/* The run's counts, its model and its audit; the statements finalized. Not yet committed. */
int match_finish_run(struct run_state *st);

#endif
