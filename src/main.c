#include "cli/cli.h"

#if defined(__SANITIZE_ADDRESS__)
/*
 * Under the sanitizer build: full stacks for allocations. cairo and fontconfig are built
 * without frame pointers, and tests/lsan.supp names the library call a block was lost under
 * (cairo_surface_finish, for every PDF: the notices and the printed tables); with the fast
 * unwinder the stack stops inside cairo and the suppression does not match. An ASAN_OPTIONS
 * setting in the environment still wins.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0";
}
#endif

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
