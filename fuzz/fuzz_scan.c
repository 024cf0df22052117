/* libFuzzer target for the whole scan: arbitrary bytes as a Python file through the driver
 * (parse, the tree walk, every rule of the default profile including the DP TLS pass, `# nosec`,
 * code snippets, metrics) and then every report writer (JSON, text, CSV, SARIF). Looks for
 * crashes, leaks, UB and hangs; correctness is the parity and unit tests' job. `make fuzz`. */
#include <stddef.h>
#include <stdint.h>
#include "base/str.h"
#include "scan/scan_run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Options come from the length, not the bytes, so the seeds stay plain Python. */
    struct dp_scan_config cfg = {
        .bandit_only = (size & 1) != 0,
        .ignore_nosec = (size & 2) != 0,
        .context_lines = (size & 4) ? 1 : 3,
    };
    struct dp_scanner *sc;
    struct dp_error e = {0};
    if (dp_scanner_new(&cfg, &sc, &e)) return 0;
    struct dp_scan_results r;
    dp_scan_buffer(sc, "fuzz.py", (const char *)data, size, &r);
    struct dp_scan_out_opts o = {.now = "2024-01-01T00:00:00Z", .sev_level = (int)(size >> 3) & 3};
    struct dp_sbuf out = {0};
    dp_scan_write_json(&out, &r, &o);
    dp_sbuf_reset(&out);
    dp_scan_write_txt(&out, &r, &o);
    dp_sbuf_reset(&out);
    dp_scan_write_csv(&out, &r, &o);
    dp_sbuf_reset(&out);
    dp_scan_write_sarif(&out, &r, &o);
    dp_sbuf_free(&out);
    dp_scan_results_free(&r);
    dp_scanner_free(sc);
    return 0;
}
