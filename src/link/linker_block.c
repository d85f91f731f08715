/*
 * The linker's stage 2, blocking: the records an ID does not link are compared only with the
 * register children sharing one of their blocks (birth date + sex + surname pinyin, folded name
 * + birth year, pinyin name + birth year), collected from the register in one pass on two
 * cores; a block too large to say anything is left out.
 */
#include "link/linker_impl.h"

#include "core/idcard.h"
#include "util/common.h"
#include "util/utf8.h"

/* An ID ending in 000: perhaps a number's fifteen digits with a check digit that happens to
 * hold. */
static bool ends_000(uint64_t key)
{
    char id[19];
    id_unpack(key, id);
    return !memcmp(id + 15, "000", 3);
}

/* ---- blocking keys ------------------------------------------------------------------------ */

/* The pinyin of the surname (its first character, folded), 0 when none: equal for 张/張 and
 * for the homophones a clerk types by ear (章/张 are not: different syllables). */
static uint32_t surname_key(const char *name)
{
    unsigned cp;
    size_t len = strlen(name);
    if (!len || !utf8_decode(name, len, &cp))
        return 0;
    uint32_t f = hanzi_fold(cp);
    uint16_t py = hanzi_surname_pinyin(f);
    return py ? 0x100000u | py : f; /* no reading (Latin, rare): the character itself */
}

/* Hashes of the folded name and of its toneless pinyin, without dots and spaces. */
static void name_hashes(const char *name, uint64_t *folded, uint64_t *pinyin)
{
    uint64_t h = 1469598103934665603ull, hp = 1469598103934665603ull;
    size_t len = strlen(name), i = 0;
    bool first = true;
    while (i < len) {
        unsigned cp;
        i += utf8_decode(name + i, len - i, &cp);
        if (cp == ' ' || cp == 0xB7 || cp == 0x3000)
            continue;
        uint32_t f = hanzi_fold(cp);
        uint16_t py = first ? hanzi_surname_pinyin(f) : hanzi_pinyin(f);
        first = false;
        h = (h ^ f) * 1099511628211ull;
        hp = (hp ^ (py ? py : 0x200000u + f)) * 1099511628211ull;
    }
    *folded = h;
    *pinyin = hp;
}

/*
 * Blocks a record is compared within: birth date + sex + surname (pinyin), folded name + birth
 * year (a wrong birth date), pinyin name + birth year (a homophone and a wrong birth date).
 * Birth date + sex alone would put hundreds of children in one block at province scale. A
 * school record without a sex looks in both sexes' blocks.
 */
enum { BLOCK_KEYS = 4 };

static int block_keys(const struct lk_rec *r, bool any_sex, uint64_t out[BLOCK_KEYS])
{
    int n = 0;
    if (!r->name[0])
        return 0;
    uint32_t s = surname_key(r->name);
    if (r->birth && s) {
        uint64_t base = (1ull << 62) | ((uint64_t)r->birth << 23) | (s & 0x1FFFFF);
        if (r->sex || !any_sex) {
            out[n++] = base | ((uint64_t)r->sex << 21);
        } else {
            out[n++] = base | (1ull << 21);
            out[n++] = base | (2ull << 21);
        }
    }
    uint64_t hf, hp;
    name_hashes(r->name, &hf, &hp);
    uint64_t year = (uint64_t)(r->birth / 10000);
    out[n++] = (2ull << 62) | (year << 44) | (hf & ((1ull << 44) - 1));
    out[n++] = (3ull << 62) | (year << 44) | (hp & ((1ull << 44) - 1));
    return n;
}

/* The register's side of the blocks, over part of the register: the (block, child) pairs of
 * the blocks pending records want, and each child's name hash for the term frequencies. */
struct block_job {
    const struct lk_rec *pop;
    size_t npop;
    const struct u64map *want;
    uint64_t *name_hash;
    struct cand *bm[2];
    size_t nbm[2];
};

static void block_part(void *arg, int part)
{
    struct block_job *j = arg;
    size_t lo, hi, alloc = 0;
    linker_par_range(j->npop, part, &lo, &hi);
    struct cand *bm = NULL;
    size_t nbm = 0;
    for (size_t i = lo; i < hi; i++) {
        uint64_t k[BLOCK_KEYS];
        int nk = block_keys(&j->pop[i], false, k);
        for (int b = 0; b < nk; b++) {
            uint32_t *blk = u64map_find(j->want, k[b]);
            if (blk) {
                ALLOC_GROW(bm, nbm + 1, alloc);
                bm[nbm++] = (struct cand){*blk, (uint32_t)i};
            }
        }
        j->name_hash[i] = linker_hash_str(j->pop[i].name);
    }
    j->bm[part] = bm;
    j->nbm[part] = nbm;
}

uint64_t *linker_block(const struct lk_rec *pop, size_t npop, const struct lk_rec *oth, size_t noth,
                       const uint8_t *pending, size_t parallel_min, struct cand **candsp,
                       size_t *ncandsp, size_t *allocp)
{
    struct cand *cands = *candsp;
    size_t ncands = *ncandsp, cands_alloc = *allocp;

    /* Blocks: only the keys pending records need are collected from the register. */
    struct u64map want = {0};
    uint32_t nblocks = 0;
    for (size_t i = 0; i < noth; i++) {
        if (!pending[i])
            continue;
        uint64_t k[BLOCK_KEYS];
        int nk = block_keys(&oth[i], true, k);
        for (int j = 0; j < nk; j++)
            u64map_slot(&want, k[j], nblocks), nblocks = (uint32_t)want.n;
    }
    /* Members of each wanted block, as a CSR array: one pass over the register collects
     * (block, child) pairs, a counting sort groups them. */
    struct block_job bj = {
        pop, npop, &want, xmalloc((npop ? npop : 1) * sizeof(uint64_t)), {NULL, NULL}, {0, 0}};
    linker_par2(block_part, &bj, npop, parallel_min);
    uint64_t *name_hash = bj.name_hash;
    size_t nbm = bj.nbm[0] + bj.nbm[1];
    uint32_t *bstart = xcalloc((size_t)nblocks + 1, sizeof(uint32_t));
    for (int t = 0; t < 2; t++)
        for (size_t m = 0; m < bj.nbm[t]; m++)
            bstart[bj.bm[t][m].other + 1]++;
    for (uint32_t bi = 0; bi < nblocks; bi++)
        bstart[bi + 1] += bstart[bi];
    uint32_t *bfill = xmalloc(((size_t)nblocks + 1) * sizeof(uint32_t));
    memcpy(bfill, bstart, ((size_t)nblocks + 1) * sizeof(uint32_t));
    uint32_t *bmember = xmalloc((nbm + 1) * sizeof(uint32_t));
    /* part 0 holds the lower register indexes: members stay in register order */
    for (int t = 0; t < 2; t++) {
        for (size_t m = 0; m < bj.nbm[t]; m++)
            bmember[bfill[bj.bm[t][m].other]++] = bj.bm[t][m].pop;
        free(bj.bm[t]);
    }
    free(bfill);
    /* A block this large says nothing (a very common name across a year): cap the work. */
    enum { BLOCK_CAP = 500 };
    for (size_t i = 0; i < noth; i++) {
        if (!pending[i])
            continue;
        uint64_t k[BLOCK_KEYS];
        int nk = block_keys(&oth[i], true, k);
        /* A record with a valid ID that names nobody can never be accepted for a child with
         * another valid ID (two valid IDs far apart are two people): such pairs are not worth
         * scoring. A doubtful exact ID still meets everyone: the twin must be found; so does
         * one ending in 000, which may be a number's fifteen digits. */
        bool valid = oth[i].id_state == LK_ID_VALID && pending[i] == 1 && !ends_000(oth[i].key);
        for (int j = 0; j < nk; j++) {
            uint32_t blk = *u64map_find(&want, k[j]);
            uint32_t size = bstart[blk + 1] - bstart[blk];
            if (size > BLOCK_CAP)
                continue;
            for (uint32_t m = bstart[blk]; m < bstart[blk + 1]; m++) {
                if (valid && pop[bmember[m]].id_state == LK_ID_VALID)
                    continue;
                ALLOC_GROW(cands, ncands + 1, cands_alloc);
                cands[ncands++] = (struct cand){(uint32_t)i, bmember[m]};
            }
        }
    }
    free(bstart);
    free(bmember);
    u64map_release(&want);
    *candsp = cands;
    *ncandsp = ncands;
    *allocp = cands_alloc;
    return name_hash;
}
