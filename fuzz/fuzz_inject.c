/* libFuzzer target for data/inject: any source must be located/injected or rejected cleanly; an
 * accepted edit must parse (dp_inject checks; a "does not parse" or "overlapping edits" error is a
 * bug in the edit rules and aborts), line mapping must be monotonic, and validation with
 * dpoison's scanner must run. The first byte picks the style (low bits) and whether the input is
 * also injected as a chat answer with code blocks (bit 2). */
#include "data/answer.h"
#include "data/inject.h"
#include "scan/scan_run.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct dp_scanner *scanner;   /* built once; read-only afterwards */
    struct dp_error e = {0};
    if (!scanner) {
        struct dp_scan_config cfg = {.context_lines = 3};
        if (dp_scanner_new(&cfg, &scanner, &e)) abort();
    }
    if (size < 1) return 0;
    struct dp_inject_opts o = {.style = (enum dp_inject_style)(data[0] % DP_INJECT_STYLE_COUNT)};
    const char *src = (const char *)data + 1;
    size_t n = size - 1;
    struct dp_inject_result r;
    int rc = dp_inject_locate(src, n, &r, &e);
    int nsites = r.nsites;
    dp_inject_result_free(&r);
    rc = dp_inject(src, n, &o, &r, &e);
    if (rc == DP_EINVAL && (strstr(e.msg, "does not parse") || strstr(e.msg, "overlapping"))) abort();
    if (rc == 0) {
        if (!r.code || r.nsites != nsites || r.nedited < 1) abort();
        int prev = 0;
        for (int line = 1, nl = 1; line <= nl + 1; line++) {
            if (line == 1) for (size_t i = 0; i < r.orig_len; i++) nl += r.orig[i] == '\n';
            int m = dp_inject_map_line(&r, line);
            if (m < prev) abort();
            prev = m;
        }
        struct dp_inject_verdict v;
        dp_inject_validate(&r, &o, dp_inject_scan_dpoison, scanner, &v, &e);
    }
    dp_inject_result_free(&r);
    if (data[0] & 4) {
        struct dp_inject_answer ar;
        rc = dp_inject_answer(src, n, &o, &ar, &e);
        if (rc == DP_EINVAL) abort();
        if (rc == 0) {
            if (!ar.text || ar.nedited < 1) abort();
            struct dp_inject_verdict v;
            dp_inject_answer_validate(&ar, &o, dp_inject_scan_dpoison, scanner, &v, &e);
        }
        dp_inject_answer_free(&ar);
    }
    return 0;
}
