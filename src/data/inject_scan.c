/* dpoison's scanner (scan/scan_run.h) as the injector's validation scanner: every finding of
 * every enabled rule, by test id and line, for one source buffer. */
#include "data/inject.h"
#include "scan/scan_run.h"

int dp_inject_scan_dpoison(void *ud, const char *src, size_t n, struct dp_inject_findings *out,
                           struct dp_error *e)
{
    const struct dp_scanner *s = ud;
    struct dp_scan_results res;
    dp_scan_buffer(s, "<answer>", src, n, &res);
    int rc = 0;
    const struct dp_scan_result_file *f = res.nfiles ? &res.files[0] : NULL;
    if (!f || f->error) {
        rc = dp_error_set(e, DP_ESYNTAX, "<answer>", 0, 0, "%s", f && f->error ? f->error : "not scanned");
    } else {
        for (int i = 0; i < f->nissues; i++) dp_inject_findings_add(out, f->issues[i].test_id, f->issues[i].lineno);
    }
    dp_scan_results_free(&res);
    return rc;
}
