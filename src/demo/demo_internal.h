#ifndef BAOXUE_DEMO_INTERNAL_H
#define BAOXUE_DEMO_INTERNAL_H

/* Shared between the demo county's files; not part of the public API (see demo/demo.h). */

#include <stdbool.h>
#include <stdint.h>

#include "core/schoolyear.h"
#include "demo/demo.h"
#include "util/buf.h"

/* ---- deterministic random numbers (xoshiro256**, seeded through splitmix64) ---- */

struct demo_rng {
    uint64_t s[4];
};

/* One independent stream per (seed, stream): each output file draws from its own. */
void rng_seed(struct demo_rng *r, uint64_t seed, uint64_t stream);
uint64_t rng_next(struct demo_rng *r);
/* Uniform in 0..n-1 (n >= 1). */
uint32_t rng_below(struct demo_rng *r, uint32_t n);
/* True with probability ppm / 1,000,000. */
bool rng_ppm(struct demo_rng *r, uint32_t ppm);
/* Index drawn from cumulative weights cum[0..n-1] (cum[n-1] is the total). */
size_t rng_cum(struct demo_rng *r, const uint32_t *cum, size_t n);

/* An error rate (ppm) times the scale demo_options.errors, at most 50%; exact at scale 1. */
#define DEMO_RATE_CAP 500000
uint32_t rate_scaled(uint32_t ppm, double scale);

/* ---- resident IDs (ids.c) ---- */

struct id_alloc {
    char codes[12][7]; /* this county's code first, then other counties' */
    size_t ncodes;
    long day0, ndays;
    uint64_t *used;   /* [code][day][16]: bit s set when sequence s (0..999) is taken */
    uint16_t *counts; /* [code][day][2]: taken per sex */
};

void ids_init(struct id_alloc *a, const char *county, long day0, long ndays);
void ids_release(struct id_alloc *a);
/*
 * Issue an ID (or two for twins: consecutive sequence numbers differing in one digit only).
 * Starts with code index `code` and moves to other codes when that day is full, which only
 * happens with millions of children in one county.
 */
void ids_issue(struct id_alloc *a, struct demo_rng *r, size_t code, int ymd, int sex, char *id1,
               int sex2, char *id2);
/* An unused ID of `sex` born the same day under the same code as `near`, its sequence number
 * one digit from near's; false when there is none. */
bool ids_issue_next_to(struct id_alloc *a, const char *near, int sex, char *out19);

/* ---- names ---- */

void names_init(void);
/* Appends a surname (UTF-8); returns its table index. */
size_t names_surname(struct demo_rng *r, struct buf *out);
/* Appends a given name of one or two characters for sex 1 (male) / 2 (female). */
void names_given(struct demo_rng *r, int sex, struct buf *out);
/* Appends the given name of a twin whose twin is called `given` (UTF-8, without the surname),
 * as parents name twins: a character shared (子涵/子轩, 欣悦/可悦), both doubled (乐乐/欢欢),
 * a near homophone (思雨/思语) or nothing alike; never the same name. */
void names_twin(struct demo_rng *r, int sex, struct buf *out, const char *given, size_t len);
/* A generation character (字辈) for siblings: three bytes of UTF-8, no terminator. */
void names_generation_char(struct demo_rng *r, char out3[3]);
/* Appends a two-character given name starting with the generation character: 子轩, 子涵. */
void names_given_generation(struct demo_rng *r, int sex, struct buf *out, const char gen3[3]);
/* A Uyghur-style name "given·father" part: appends one given part for `sex`. */
void names_minority_part(struct demo_rng *r, int sex, struct buf *out);
/* The name as a clerk misspelt it: homophone, traditional characters. Appends to out; returns
 * false (and appends the name unchanged) when nothing could be changed. */
bool names_homophone(struct demo_rng *r, const char *name, size_t len, struct buf *out);
bool names_traditional(const char *name, size_t len, struct buf *out);
/* One character of the given name swapped for one that looks alike (形近字: 未/末, 己/已). */
bool names_similar(struct demo_rng *r, const char *name, size_t len, struct buf *out);

/* ---- the county: townships, villages, schools ---- */

enum school_kind {
    SK_CENTRAL,
    SK_PRIMARY,
    SK_POINT,
    SK_JUNIOR,
    SK_NINE,
    SK_COUNTY_PRIMARY,
    SK_COUNTY_MIDDLE
};

struct demo_school {
    char code[11];
    char name[96];
    int township;
    int kind;
    int lo, hi; /* grades taught */
    uint32_t weight;
};

struct demo_village {
    char name[40];
    int township;
    uint32_t weight;
};

#define DEMO_MAX_CAND 24

struct demo_township {
    char code[10];
    const char *name;
    uint32_t weight;
    int first_village, nvillages;
    /* county schools a child of this township attends, per grade 1..9, cumulative weights */
    int ncand[10];
    int cand[10][DEMO_MAX_CAND];
    uint32_t cand_cum[10][DEMO_MAX_CAND];
};

struct demo_outside_school {
    const char *name;
    const char *region;
    int lo, hi;
};

struct demo_county {
    char code[7];
    const char *name;  /* 沁水县 */
    char fullname[96]; /* 山西省晋城市沁水县 */
    struct demo_township *townships;
    int ntownships;
    struct demo_village *villages;
    int nvillages;
    struct demo_school *schools;
    int nschools;
};

int county_build(struct demo_county *c, const char *code6, struct buf *err);
void county_release(struct demo_county *c);
/* A county school teaching `grade` for a child living in `township`. */
int county_pick_school(const struct demo_county *c, struct demo_rng *r, int township, int grade);
extern const struct demo_outside_school demo_outside_schools[];
extern const size_t demo_outside_nschools;

/* ---- the people and their records ---- */

enum true_status {
    ST_ENROLLED,
    ST_ELSEWHERE,
    ST_NOT_ENROLLED,
    ST_DROPPED,
    ST_SUSPENDED,
    ST_YOUNG,
    ST_BEYOND,
    ST_INACTIVE,
    ST_NONE /* 借读: not in the register */
};
extern const char *const demo_status_names[];

enum reg_state { REG_NORMAL, REG_MOVED, REG_DEAD, REG_CANCELLED };
extern const char *const demo_reg_state_names[];

enum enrol_state { EN_ACTIVE, EN_SUSPENDED, EN_TRANSFERRED, EN_DROPPED, EN_GRADUATED, EN_DEAD };
extern const char *const demo_enrol_state_names[];

extern const char *const demo_nations[];

#define NO_HOUSEHOLD UINT32_MAX

struct demo_child {
    char id[19];        /* the true ID */
    uint32_t name_off;  /* into demo_world.text */
    uint32_t household; /* NO_HOUSEHOLD for 借读 students */
    int32_t birth_ymd;
    int32_t enrollment_row; /* decisive 学籍 row, 0 none */
    uint8_t name_len;
    uint8_t sex; /* 1 male, 2 female */
    uint8_t nation;
    uint8_t reg_state;
    uint8_t status;
    uint8_t age;
    uint8_t twin_first; /* the first of a twin pair; the second follows it */
};

enum guardian_kind { GUARDIAN_FATHER, GUARDIAN_MOTHER, GUARDIAN_GRANDFATHER, GUARDIAN_GRANDMOTHER };

struct demo_household {
    uint32_t guardian_off;
    uint64_t phone;
    uint16_t village;
    uint16_t house_no;
    uint8_t guardian_len;
    uint8_t group;         /* 村民小组, 0 none */
    uint8_t guardian_kind; /* enum guardian_kind: who the 户籍's 监护人 is */
};

/*
 * What happens to a row's ID on its way into the list (fates.c draws it, write.c types it).
 * The twin fates are typed on one twin's 学籍 row; the other twin's row, if any, is exact.
 */
enum id_fate {
    FATE_EXACT,       /* the ID as issued */
    FATE_TYPO,        /* one substitution or two neighbours swapped (mess_id_typo) */
    FATE_MISSING,     /* no ID; 学籍号 J… or L… */
    FATE_MISSING_G,   /* the ID cell left empty; 学籍号 G + ID */
    FATE_BROKEN_G,    /* the ID cell unusable (a fragment, a remark); 学籍号 G + ID */
    FATE_NUMBER,      /* typed into a number cell: the last three digits lost; 学籍号 G + ID */
    FATE_NUMBER_NO_G, /* the same, and the 学籍号 cell empty (or the list has none) */
    FATE_TWIN_SEQ,    /* a sequence digit typed as the twin's: one slip from both twins */
    FATE_TWIN_CHECK,  /* the check character typed as the twin's: one slip from both */
    FATE_TWIN_COPY,   /* the twin's ID: the wrong line of the household booklet */
    FATE_TWIN_SUB,    /* one digit substituted elsewhere */
    FATE_TWIN_SWAP,   /* two neighbouring digits swapped */
    FATE__COUNT
};
extern const char *const demo_fate_keys[];

struct demo_enrol {
    uint32_t child;
    uint16_t school;
    uint16_t class_no;
    uint8_t grade; /* 1..9 */
    uint8_t state; /* enum enrol_state */
    uint8_t decisive;
    uint8_t fate;      /* enum id_fate */
    uint8_t mistake;   /* enum name_mistake: NAME_NONE (or 0) none */
    uint8_t birth_off; /* the 出生日期 cell is a slip away from the truth */
    uint8_t fated;     /* the fate was set with the row (twins), not drawn by fates_assign */
};

struct demo_outside {
    uint32_t child;
    uint16_t school; /* index into demo_outside_schools */
    uint8_t grade;
    uint8_t fate;    /* FATE_EXACT, FATE_TYPO or FATE_NUMBER_NO_G (the list has no 学籍号) */
    uint8_t mistake; /* enum name_mistake: NAME_NONE (or 0) none */
};

/* A 随迁 pupil made to resemble a register child (the unregistered family). */
enum lookalike_kind {
    LOOK_NONE,
    LOOK_NEIGHBOUR, /* born the same day under the same county code, the next sequence number */
    LOOK_NAMESAKE,  /* the register child's name, born another day */
};
struct demo_lookalike {
    uint32_t pupil, child; /* the 随迁 pupil (index in children) and the register child */
    uint8_t kind;          /* enum lookalike_kind */
};

struct demo_world {
    const struct demo_options *opt;
    double errors; /* the scale of the error rates in effect (opt->errors, 0 taken as 1) */
    struct school_calendar cal;
    int school_year, cutoff_ymd;
    struct demo_county county;
    struct buf text; /* names of children and guardians, back to back */
    struct demo_child *children;
    size_t nchildren; /* register children first (npop), then 借读 students */
    size_t npop;
    struct demo_household *households;
    size_t nhouseholds;
    struct demo_enrol *enrols;
    size_t nenrols, enrols_alloc;
    struct demo_outside *outside;
    size_t noutside, outside_alloc;
    uint32_t age_cum[16], band_cum[16]; /* cumulative weights of ages 3.., all / in band */
    struct demo_lookalike *lookalikes;
    size_t nlookalikes, lookalikes_alloc;
    long twin_traps;
    long out_of_school;
    /* the priority-group lists (groups.c), made after the rest of the world */
    char (*guardian_ids)[19];  /* the 监护人's ID per household */
    struct demo_sheet *sheets; /* GL__COUNT of them */
    uint32_t send_teach; /* the disabled child taught at home (送教上门), UINT32_MAX none */
    uint32_t *no_aid;    /* priority pupils in school the aid list misses */
    size_t nno_aid;
};

/* Resemblance of 随迁 pupils to register children (lookalike.c). */
struct name_ix {
    uint64_t hash;
    uint32_t child;
};
uint64_t lookalike_name_hash(const char *s, size_t len);
int lookalike_cmp(const void *x, const void *y); /* name_ix by hash, then child */
/* A register child of the compulsory band for a neighbour; `out` the truly out of school. */
size_t lookalike_pick(struct demo_world *w, struct demo_rng *r, const size_t *out, size_t nout);
/* A namesake: draws `name` until a register child of the band bears it; SIZE_MAX if none. */
size_t lookalike_namesake(struct demo_world *w, struct demo_rng *r, const struct name_ix *ix,
                          size_t nix, int sex, struct buf *name);
void lookalike_add(struct demo_world *w, size_t pupil, size_t child, enum lookalike_kind k);

/* The twin of a register child, or NULL (the second of a pair follows the first). */
const struct demo_child *world_twin(const struct demo_world *w, const struct demo_child *c);
/* An enrolled child's 在读 row, sometimes after a 转出 row at another county school. */
void enrol_active(struct demo_world *w, struct demo_rng *r, size_t ci, int grade,
                  bool may_transfer);

int world_generate(struct demo_world *w, const struct demo_options *opt, struct buf *err);
void world_release(struct demo_world *w);

/* ---- each row's fate (fates.c): the error families and their rates ---- */

/* Draw the ID fate, name mistake and birth-date slip of every row not fated yet. */
void fates_assign(struct demo_world *w, struct demo_rng *r);
/* A twin pair's case: `typed` enrolled with a row whose ID suffers `fate`; `other` absent
 * (never enrolled) or enrolled with a clean row. */
void fates_twin_case(struct demo_world *w, struct demo_rng *r, size_t typed, size_t other,
                     enum id_fate fate, bool other_absent);
/* The twin fates the siblings family draws from (FATE_TWIN_* and the missing and lost IDs). */
enum id_fate fates_twin_draw(struct demo_rng *r);
/* The error family a row's fate and name mistake belong to (DEMO_FAMILY_NONE: clean, or an
 * error of no family: a lone typo, a look-alike character, a wrong birth date). */
enum demo_family fate_family(int fate, int mistake, bool borrowed);

/* ---- messing up: what clerks do to the data (rates at the top of mess.c) ---- */

/* Appends an ID as a clerk typed it in the 学籍 / 外出就读 lists. */
void mess_id_typo(struct demo_rng *r, const char *id, char *out19);
/* One digit substituted (swap false) or two different neighbours swapped (swap true), the
 * result never one slip from `avoid` (a twin's ID) when given. */
void mess_id_slip(struct demo_rng *r, const char *id, const char *avoid, bool swap, char *out19);
/* An ID cell an 18-digit number cell shows after a sheet kept fifteen significant digits:
 * "140521201503041000" (digits, csv) or the number itself (as a double, xlsx). */
void mess_id_number_text(const char *id, struct buf *out);
double mess_id_number(const char *id);
/* A fragment or a remark in an ID cell that cannot be read as an ID. */
void mess_id_broken(struct demo_rng *r, const char *id, struct buf *out);
/* Cosmetic noise on an ID cell: lower-case x, full-width digits, spaces. */
void mess_id_cell(struct demo_rng *r, const char *id, struct buf *out, uint32_t lower_x_ppm,
                  uint32_t fullwidth_ppm, uint32_t space_ppm, uint32_t apostrophe_ppm);
/* Rates (ppm) of a list's name mistakes; homophone, traditional and similar exclude each other. */
struct name_rates {
    uint32_t homophone, traditional, similar, space;
};
/* The mistake a row must have whatever the rates say (combined errors), or NAME_DRAW. */
enum name_mistake { NAME_DRAW, NAME_HOMOPHONE, NAME_TRADITIONAL, NAME_SIMILAR, NAME_NONE };
extern const char *const demo_mistake_keys[];
/* A name as the school typed it: homophone, traditional, look-alike character, stray space, dot
 * variants. */
void mess_name(struct demo_rng *r, const char *name, size_t len, struct buf *out,
               const struct name_rates *k, enum name_mistake force);

/* ---- the priority-group lists (groups.c, group_rows.c) ---- */

/* The lists, in the order their files are written. */
enum group_list {
    GL_POVERTY,     /* 防返贫监测 / 脱贫户 household members (乡村振兴) */
    GL_WELFARE,     /* 低保 / 特困 households (民政) */
    GL_ORPHAN,      /* 孤儿 / 事实无人抚养儿童 (民政) */
    GL_DISABILITY,  /* 残疾人 (残联) */
    GL_LEFT_BEHIND, /* 农村留守儿童 (民政 / 妇联) */
    GL_AID,         /* 学生资助发放 (学生资助中心) */
    GL__COUNT
};
extern const char *const demo_group_keys[]; /* "poverty", … "aid": the truth's list names */

/*
 * What a group row offers the matcher to find its register child (the truth's "offer"): the
 * child's own ID, right or one slip away; no usable ID but an adult of the row (head, guardian)
 * whose ID the 户籍 file shows as the child's 监护人; no usable ID and only the guardian's name;
 * nothing but the child's name and birth date. OFFER_ADULT: the row is an adult's.
 */
enum group_offer {
    OFFER_ID,
    OFFER_ID_TYPO,
    OFFER_HOUSEHOLD_ID,
    OFFER_HOUSEHOLD_NAME,
    OFFER_NAME_BIRTH,
    OFFER_ADULT
};
extern const char *const demo_offer_keys[];

/* A list as cells: rows × columns of text, and each row's truth. */
struct demo_sheet {
    const char *const *header;
    size_t ncols;
    unsigned numeric; /* bit c: column c holds numbers (written as numbers in .xlsx) */
    struct buf text;  /* cells back to back */
    uint32_t *cell;   /* nrows * ncols + 1 offsets into text */
    size_t nrows, ncells, cells_alloc;
    /* the truth of each row */
    uint32_t *child; /* register child index, UINT32_MAX none */
    uint8_t *offer;  /* enum group_offer */
    uint8_t *kase;   /* enum group_case */
    uint16_t *category;
    size_t truth_alloc;
};

/* Why a group row or child is in the truth's findings and cases. */
enum group_case {
    GC_NONE,
    GC_NOT_IN_REGISTER,   /* a child of the list in no register here: a finding */
    GC_NICKNAME,          /* the child under a nickname (小名) */
    GC_HOMOPHONE,         /* the child's name with a homophone */
    GC_HEAD_ONLY,         /* a 低保 household where only the head's ID is given */
    GC_PARTIAL_BIRTH,     /* the birth date as year and month only */
    GC_AID_PRIORITY,      /* aid to a priority pupil in school */
    GC_AID_OTHER,         /* aid to a pupil of no list (家庭经济困难 found by the school) */
    GC_AID_NOT_IN_SCHOOL, /* aid to a child out of school: a finding */
    GC_AID_NOT_IN_COUNTY, /* aid to a child enrolled elsewhere: a finding */
    GC__COUNT
};
extern const char *const demo_group_case_keys[];

/* Decide who is in each list and make the lists' cells (stream 6 and up). */
void groups_build(struct demo_world *w);
void groups_release(struct demo_world *w);
/* Whether the 户籍 rows of a township carry the 监护人's ID (the police station's export). */
bool groups_township_has_guardian_id(int township);
/* Write list l (xlsx, or csv beyond the sheet limit; the 低保 list always GB18030 csv). */
int write_group(struct demo_world *w, enum group_list l, const char *path, bool xlsx,
                struct buf *err);
/* truth_groups.csv and truth_group_findings.csv in dir. */
int write_group_truth(struct demo_world *w, const char *dir, struct buf *err);

/* ---- output ---- */

struct sink {
    FILE *f;
    const char *path;
    struct buf b;
    void *iconv; /* iconv_t to GB18030, or NULL for UTF-8 */
    struct buf conv;
    int failed;
    int saved_errno;
};

int sink_open(struct sink *s, const char *path, bool gb18030);
/* Write the buffered rows out when the buffer is large; call between rows. */
void sink_maybe_flush(struct sink *s);
int sink_close(struct sink *s, struct buf *err);

void put_uint(struct buf *b, uint64_t v);
void put_uint_width(struct buf *b, uint64_t v, int width);

int write_population(struct demo_world *w, const char *path, struct buf *err);
int write_enrollment(struct demo_world *w, const char *path, bool xlsx, struct buf *err);
int write_outside(struct demo_world *w, const char *path, bool xlsx, struct buf *err);
int write_truth(struct demo_world *w, const char *dir, const char *truth_path, struct buf *err);
/* The people registry (人员名册) CSV, GB18030: the number of people, or -1 with a message. */
long write_registry(struct demo_world *w, const char *path, struct buf *err);

#endif
