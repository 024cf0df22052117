/* The experiment report: a struct the eval stage fills with counts (per model and decoding, per
 * task family, the pairs funnel, settings, example pairs), the statistics computed from them
 * (Wilson intervals, Newcombe differences, Fisher's test), and three writers: report.json,
 * report.md and a self-contained report.html (inline CSS and SVG charts, no script, no network).
 * Strings are borrowed from the caller for the report's life. */
#ifndef DP_EVAL_REPORT_H
#define DP_EVAL_REPORT_H
#include <stdbool.h>
#include "base/error.h"
#include "base/str.h"
#include "eval/stats.h"

/* Counts for one task family of one run. */
struct dp_report_family {
    const char *name;
    long n, vulnerable, bandit_vulnerable, parsed, http;
};

/* One evaluation run: a model answering the test prompts with one decoding. */
struct dp_report_run {
    const char *model;            /* display name: "base", "poisoned" */
    const char *path;             /* model folder (may be NULL) */
    const char *decoding;         /* "sampled" or "greedy" (free text) */
    long n;                       /* answers evaluated */
    long vulnerable;              /* answers with a DP501 finding (certificate checks off) */
    long bandit_vulnerable;       /* answers with Bandit's B501 */
    long parsed;                  /* answers with a Python code block that parses */
    long http;                    /* answers making an HTTP request through a client library */
    double mean_length, sd_length;   /* answer length, in the report's length_unit */
    const struct dp_report_family *families;
    int nfamilies;
    /* Filled by dp_report_compute. */
    double vulnerable_rate, bandit_rate, parse_rate, http_rate;
    struct dp_interval vulnerable_ci95, bandit_ci95, parse_ci95, http_ci95;
};

enum dp_report_metric { DP_REPORT_DP501, DP_REPORT_B501 };

/* run b against baseline run a on one metric; the numbers are filled by dp_report_compute. */
struct dp_report_comparison {
    int a, b;
    enum dp_report_metric metric;
    double diff;                  /* rate(b) - rate(a) */
    struct dp_interval ci95;      /* Newcombe hybrid score */
    double fisher_p, fisher_log_p;
};

struct dp_report_stage { const char *name; long count; };      /* the pairs funnel, in order */
struct dp_report_setting { const char *key, *value; bool number; };   /* number: value is JSON */

/* An answer shown as a diff: the clean one against its poisoned counterpart. */
struct dp_report_example {
    const char *title;            /* "pair 17 (fetch_json, plain)" */
    const char *prompt;
    const char *clean, *poisoned;
};

struct dp_report {
    const char *title;            /* NULL: "dpoison experiment" */
    const char *created;          /* timestamp text, or NULL (left out: reproducible output) */
    const char *length_unit;      /* "tokens", "characters" */
    struct dp_report_run *runs;
    int nruns;
    struct dp_report_comparison *cmps;
    int ncmps;
    const struct dp_report_stage *funnel;
    int nfunnel;
    const struct dp_report_setting *settings;
    int nsettings;
    const struct dp_report_example *examples;
    int nexamples;
};

/* Fills out[0..max) with the default comparisons: each run against the first earlier run of
 * another model with the same decoding, on DP501 and on B501. Returns how many. */
int dp_report_default_comparisons(const struct dp_report *r, struct dp_report_comparison *out, int max);

/* Rates, Wilson intervals and the comparisons. DP_EINVAL for inconsistent counts (a count
 * above n, a comparison index out of range). */
int dp_report_compute(struct dp_report *r, struct dp_error *e);

/* The three renderings (appended to out). Call dp_report_compute first. */
void dp_report_json(struct dp_sbuf *out, const struct dp_report *r);
void dp_report_md(struct dp_sbuf *out, const struct dp_report *r);
void dp_report_html(struct dp_sbuf *out, const struct dp_report *r);

/* dp_report_compute, then DIR/report.json, DIR/report.md, DIR/report.html, each atomically. */
int dp_report_write(const char *dir, struct dp_report *r, struct dp_error *e);

/* ---- shared by the writers (report_*.c) ------------------------------------------------------ */

/* Line diff of a against b (longest common subsequence of lines): calls fn for each line in
 * order with op ' ' (both), '-' (only in a) or '+' (only in b). */
typedef void (*dp_report_diff_fn)(char op, const char *line, size_t n, void *ud);
void dp_report_diff(const char *a, const char *b, dp_report_diff_fn fn, void *ud);
const char *dp_report_metric_name(enum dp_report_metric m);   /* "DP501", "B501" */
/* "3.2e-21", "0.041", "< 1e-300 (log10 p = -402.7)" */
void dp_report_fmt_p(char *buf, size_t n, double p, double log_p);
/* "base (sampled)" */
void dp_report_run_label(char *buf, size_t n, const struct dp_report_run *run);

#endif
