#ifndef BAOXUE_FUZZ_H
#define BAOXUE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/*
 * What the fuzz harnesses under fuzz/ share. Each harness defines LLVMFuzzerTestOneInput; built
 * with clang's -fsanitize=fuzzer (cmake -DBAOXUE_FUZZ=ON) it is a libFuzzer target, built with
 * replay_main.c it reads the committed corpus (fuzz/corpus/<name>/) once, as a regression test
 * that runs in every build (ctest fuzz.<name>). A harness states the invariants it checks with
 * FUZZ_CHECK, which aborts: libFuzzer reports the input, the replay fails.
 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            fuzz_fail(__FILE__, __LINE__, #cond);                                                  \
    } while (0)

_Noreturn void fuzz_fail(const char *file, int line, const char *what);

/*
 * The input as a file the readers can open by name (sheet_open, FreeXL): an anonymous memory
 * file, named "/proc/self/fd/N". Returns the descriptor (closed by fuzz_file_close), -1 if the
 * system refuses.
 */
int fuzz_file(const void *data, size_t size, char path[64]);
void fuzz_file_close(int fd);

/*
 * Open `path` as a spreadsheet and read every row of every sheet (the first few sheets),
 * checking what sheet.h promises: cell text NUL-terminated valid UTF-8 within the limits,
 * rows numbered upwards, progress within 0..1, a refusal always with a Chinese message. Each
 * cell is also given to the header and name normalisers the import runs on it.
 */
void fuzz_read_sheet(const char *path);

/*
 * An .xlsx package around one part: the parts of a small, valid workbook (workbook, its
 * relationships, styles, shared strings and one worksheet that uses them), with the part
 * named `part` replaced by data[0..size). Stored (not deflated), so that the bytes the fuzzer
 * writes are the bytes the XML parser reads. Returns the zip in a malloc'd buffer.
 */
uint8_t *fuzz_xlsx_with(const char *part, const uint8_t *data, size_t size, size_t *zip_size);

/* Build the package with `part` replaced, write it to a memory file and read it. */
void fuzz_xlsx_part(const char *part, const uint8_t *data, size_t size);

#endif
