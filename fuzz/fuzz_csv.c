/* Delimited text as a department sends it: encoding and delimiter sniffed, RFC 4180 parsed. An
 * input that happens to start like a zip or an OLE file goes to those readers, as it would. */
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
