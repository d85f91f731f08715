/* .xls (BIFF in an OLE compound file) through FreeXL, which is probed in a child process
 * first: a crash there must become a refusal, never reach the reader. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_file(data, size, path);

    if (fd < 0)
        return 0;
    fuzz_read_sheet(path);
    fuzz_file_close(fd);
    return 0;
}
