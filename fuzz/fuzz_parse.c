/* libFuzzer target for the Python parser: dp_py_parse on arbitrary bytes and, when it accepts
 * them, dp_py_dump of the tree. Looks for crashes, leaks, UB and hangs only; whether the
 * output is right is the golden and stdlib-parity tests' job. Built by `make fuzz`. */
#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "py/dump.h"
#include "py/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Options come from the length, not from the bytes, so the seeds stay plain Python. */
    int fv = (size & 1) ? 312 : 311;
    struct dp_py_parse_opts popt = {.feature_version = fv};
    struct dp_py_dump_opts dopt = {
        .indent = (size & 2) ? 2 : -1,
        .include_attributes = (size & 4) != 0,
        .feature_version = fv,
    };
    struct dp_arena a;
    struct dp_error e = {0};
    struct dp_py_node *root = NULL;

    dp_arena_init(&a, 0);
    if (dp_py_parse(&a, (const char *)data, size, "<fuzz>", &popt, &root, &e) == 0) {
        struct dp_sbuf out = {0};
        dp_py_dump(&out, root, &dopt);
        dp_sbuf_free(&out);
    }
    dp_arena_free(&a);
    return 0;
}
