/* Running the scanner on files: choosing the rules (profile, -t/-s), finding the files (-r, -x)
 * as Bandit does, scanning them on N threads with results in a deterministic order, filtering by
 * severity/confidence and writing Bandit's JSON, text and CSV reports and SARIF 2.1.0. The CLI
 * (cli/cmd_scan.c), tests and the fuzzer use this; rules see only scan.h. */
#ifndef DP_SCAN_SCAN_RUN_H
#define DP_SCAN_SCAN_RUN_H
#include <stdbool.h>
#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "scan/scan.h"

struct dp_scan_config {
    bool bandit_only;        /* --profile bandit: no DP rules */
    bool ignore_nosec;       /* --ignore-nosec */
    const char *tests;       /* -t: comma-separated ids or names to run (NULL: all) */
    const char *skips;       /* -s: comma-separated ids or names not to run */
    int context_lines;       /* -n: lines of code per issue (Bandit's default 3) */
};

struct dp_scanner;
/* Builds a scanner. Unknown ids in tests/skips are warned about (dp_scanner_warnings), as Bandit
 * does; an id both included and skipped, or a selection that leaves no test to run, is DP_EINVAL.
 * Free with dp_scanner_free. */
int dp_scanner_new(const struct dp_scan_config *cfg, struct dp_scanner **out, struct dp_error *e);
void dp_scanner_free(struct dp_scanner *s);
/* Number of tests (rules and blacklist rows) that run. */
int dp_scanner_ntests(const struct dp_scanner *s);
/* Bandit's warnings about the selection ("Unknown test found in profile: X" lines), or "". */
const char *dp_scanner_warnings(const struct dp_scanner *s);

/* Bandit's per-file metrics. */
struct dp_scan_metrics {
    long loc, nosec, skipped_tests;
    long sev[4], conf[4];    /* issues found by level (before any -l/-i filter) */
    bool counted;            /* the file was scanned (Bandit writes SEVERITY.* / CONFIDENCE.* keys) */
};

struct dp_scan_result_file {
    const char *path;            /* as reported: "./x.py", "dir/y.py", "<stdin>" */
    const char *error;           /* why it was skipped (Bandit's errors[] reason), or NULL */
    bool has_metrics;            /* it was read: metrics exist (even when it did not parse) */
    struct dp_scan_metrics m;
    struct dp_scan_issue *issues;
    int nissues;
};

struct dp_scan_results {
    struct dp_scan_result_file *files;   /* in the order of the paths given */
    int nfiles;
    struct dp_arena *arenas;             /* one per thread; own every string above */
    int narenas;
    double seconds;                      /* wall time of the scan */
};

/* Scans paths (in that order; "-" reads stdin, reported as "<stdin>") on `threads` threads
 * (<= 0: one per online CPU). Files that cannot be read or parsed are recorded, not fatal. */
int dp_scan_paths(const struct dp_scanner *s, char *const *paths, int n, int threads,
                  struct dp_scan_results *out, struct dp_error *e);
/* Scans one buffer as file `path` (tests, fuzzing). */
void dp_scan_buffer(const struct dp_scanner *s, const char *path, const char *data, size_t n,
                    struct dp_scan_results *out);
void dp_scan_results_free(struct dp_scan_results *r);

/* Bandit's file discovery: explicit files are taken as "./" + name (absolute paths as they are,
 * "-" as is), folders are walked with -r (else skipped with a warning in *warn), only *.py and
 * *.pyw there; excluded: paths matching a glob of `exclude` (comma-separated; an existing folder
 * X means X/ *) or containing one of its entries as a substring. NULL exclude: Bandit's default
 * (.svn,CVS,.bzr,.hg,.git,__pycache__,.tox,.eggs,*.egg). Result sorted, without duplicates. */
struct dp_scan_targets {
    char **files;
    int nfiles;
    char **excluded;
    int nexcluded;
    struct dp_sbuf warn;         /* "Skipping directory (X), use -r flag to scan contents\n" ... */
};
int dp_scan_discover(char *const *targets, int n, bool recursive, const char *exclude,
                     struct dp_scan_targets *out, struct dp_error *e);
void dp_scan_targets_free(struct dp_scan_targets *t);

/* Output. Issues below sev_level / conf_level (enum dp_scan_level) are left out of every report;
 * metrics always count all of them, as Bandit's do. */
struct dp_scan_out_opts {
    int sev_level, conf_level;
    const char *now;             /* timestamp (ISO-8601 UTC "2024-01-02T03:04:05Z"); NULL: current time */
    const char *tool_version;    /* SARIF driver version */
};
bool dp_scan_issue_shown(const struct dp_scan_issue *i, const struct dp_scan_out_opts *o);
long dp_scan_count_shown(const struct dp_scan_results *r, const struct dp_scan_out_opts *o);
/* Sums the per-file metrics (Bandit's _totals). */
void dp_scan_totals(const struct dp_scan_results *r, struct dp_scan_metrics *t);
void dp_scan_write_json(struct dp_sbuf *out, const struct dp_scan_results *r, const struct dp_scan_out_opts *o);
void dp_scan_write_txt(struct dp_sbuf *out, const struct dp_scan_results *r, const struct dp_scan_out_opts *o);
void dp_scan_write_csv(struct dp_sbuf *out, const struct dp_scan_results *r, const struct dp_scan_out_opts *o);
void dp_scan_write_sarif(struct dp_sbuf *out, const struct dp_scan_results *r, const struct dp_scan_out_opts *o);

#endif
