/*
 * Resident IDs as they arrive in cells (core/idcard.h): whatever id_normalize makes of the
 * input, a filled ID is 17 digits and a check character, packs and unpacks to itself, masks to
 * 18 characters; a valid one (digits not lost) has no check flag, and its birth date and sex are
 * set.
 */
#include "fuzz.h"

#include <string.h>

#include "core/date.h"
#include "core/idcard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct resident_id rid;
    int flags = id_normalize((const char *)data, size, &rid);

    FUZZ_CHECK(flags == rid.flags);
    FUZZ_CHECK(memchr(rid.id, '\0', sizeof(rid.id)) != NULL);
    if (!rid.id[0]) {
        FUZZ_CHECK(flags & (ID_EMPTY | ID_BAD_FORMAT | ID_PRECISION_LOST));
        return 0;
    }
    FUZZ_CHECK(strlen(rid.id) == 18);
    for (int i = 0; i < 17; i++)
        FUZZ_CHECK(rid.id[i] >= '0' && rid.id[i] <= '9');
    FUZZ_CHECK((rid.id[17] >= '0' && rid.id[17] <= '9') || rid.id[17] == 'X');
    /* an ID read off a number cell lost its last digits, the sequence's parity among them */
    FUZZ_CHECK(rid.sex == 1 || rid.sex == 2 || (!rid.sex && (flags & ID_PRECISION_LOST)));
    FUZZ_CHECK(!rid.birth_ymd || ymd_valid(rid.birth_ymd));
    /* digits lost: never a valid ID, even when the check character happens to fit */
    if (flags & ID_PRECISION_LOST)
        FUZZ_CHECK(flags & ID_BAD_CHECK);
    else
        FUZZ_CHECK(id_is_valid(rid.id) == !(flags & ID_BAD_CHECK));

    uint64_t packed = id_pack(rid.id);
    char back[19], masked[19];
    if (packed) {
        id_unpack(packed, back);
        FUZZ_CHECK(!strcmp(back, rid.id));
    }
    id_mask(rid.id, masked);
    FUZZ_CHECK(strlen(masked) == 18);
    FUZZ_CHECK(!memcmp(masked, rid.id, 6) && !memcmp(masked + 14, rid.id + 14, 4));
    return 0;
}
