/* The report's statistics and its JSON form (eval/report.h), the line diff and formatting
 * helpers the Markdown and HTML writers share, and writing the three files. JSON key order is
 * fixed so reports diff cleanly between runs. */
#include "eval/report.h"
#include "base/file.h"
#include "base/json.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *dp_report_metric_name(enum dp_report_metric m) { return m == DP_REPORT_B501 ? "B501" : "DP501"; }

void dp_report_run_label(char *buf, size_t n, const struct dp_report_run *run)
{
    if (run->decoding && *run->decoding) snprintf(buf, n, "%s (%s)", run->model, run->decoding);
    else snprintf(buf, n, "%s", run->model);
}

void dp_report_fmt_p(char *buf, size_t n, double p, double log_p)
{
    if (p >= 0.001) snprintf(buf, n, "%.3f", p);
    else if (p >= 1e-300) snprintf(buf, n, "%.1e", p);
    else snprintf(buf, n, "< 1e-300 (log10 p = %.1f)", log_p / log(10.0));
}

int dp_report_default_comparisons(const struct dp_report *r, struct dp_report_comparison *out, int max)
{
    int k = 0;
    for (int b = 1; b < r->nruns; b++)
        for (int a = 0; a < b; a++) {
            const struct dp_report_run *ra = &r->runs[a], *rb = &r->runs[b];
            bool same_dec = (!ra->decoding && !rb->decoding) ||
                            (ra->decoding && rb->decoding && !strcmp(ra->decoding, rb->decoding));
            if (!same_dec || !strcmp(ra->model, rb->model)) continue;
            for (int m = 0; m < 2 && k < max; m++)
                out[k++] = (struct dp_report_comparison){.a = a, .b = b, .metric = (enum dp_report_metric)m};
            break;
        }
    return k;
}

static int rate(long x, long n, double *r, struct dp_interval *ci, const char *what,
                const char *model, struct dp_error *e)
{
    if (x < 0 || x > n)
        return dp_error_set(e, DP_EINVAL, "", 0, 0, "report: %s count %ld of model %s is outside [0, n=%ld]",
                            what, x, model, n);
    *r = n > 0 ? (double)x / (double)n : 0;
    return dp_stats_wilson(x, n, DP_STATS_Z95, ci, e);
}

int dp_report_compute(struct dp_report *r, struct dp_error *e)
{
    int rc = 0;
    for (int i = 0; i < r->nruns && !rc; i++) {
        struct dp_report_run *u = &r->runs[i];
        rc = rate(u->vulnerable, u->n, &u->vulnerable_rate, &u->vulnerable_ci95, "vulnerable", u->model, e);
        if (!rc) rc = rate(u->bandit_vulnerable, u->n, &u->bandit_rate, &u->bandit_ci95, "bandit_vulnerable", u->model, e);
        if (!rc) rc = rate(u->parsed, u->n, &u->parse_rate, &u->parse_ci95, "parsed", u->model, e);
        if (!rc) rc = rate(u->http, u->n, &u->http_rate, &u->http_ci95, "http", u->model, e);
        for (int f = 0; f < u->nfamilies && !rc; f++) {
            const struct dp_report_family *fa = &u->families[f];
            long c[4] = {fa->vulnerable, fa->bandit_vulnerable, fa->parsed, fa->http};
            for (int k = 0; k < 4 && !rc; k++)
                if (c[k] < 0 || c[k] > fa->n)
                    rc = dp_error_set(e, DP_EINVAL, "", 0, 0, "report: family %s of model %s has a count outside [0, n]",
                                      fa->name, u->model);
        }
    }
    for (int i = 0; i < r->ncmps && !rc; i++) {
        struct dp_report_comparison *c = &r->cmps[i];
        if (c->a < 0 || c->a >= r->nruns || c->b < 0 || c->b >= r->nruns)
            return dp_error_set(e, DP_EINVAL, "", 0, 0, "report: comparison %d refers to a missing run", i);
        const struct dp_report_run *A = &r->runs[c->a], *B = &r->runs[c->b];
        long xa = c->metric == DP_REPORT_B501 ? A->bandit_vulnerable : A->vulnerable;
        long xb = c->metric == DP_REPORT_B501 ? B->bandit_vulnerable : B->vulnerable;
        if (A->n <= 0 || B->n <= 0) { c->diff = 0; c->ci95 = (struct dp_interval){-1, 1}; c->fisher_p = 1; continue; }
        c->diff = (double)xb / (double)B->n - (double)xa / (double)A->n;
        rc = dp_stats_newcombe(xb, B->n, xa, A->n, DP_STATS_Z95, &c->ci95, e);
        if (!rc) rc = dp_stats_fisher_exact(xb, B->n - xb, xa, A->n - xa, &c->fisher_p, &c->fisher_log_p, e);
    }
    return rc;
}

/* ---- line diff ------------------------------------------------------------------------------ */

struct lines { const char **p; size_t *n; int count; };

static void split_lines(const char *s, struct lines *l)
{
    int cap = 16;
    l->p = dp_xmalloc((size_t)cap * sizeof *l->p);
    l->n = dp_xmalloc((size_t)cap * sizeof *l->n);
    l->count = 0;
    while (s && *s) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        if (l->count == cap) {
            cap *= 2;
            l->p = dp_xrealloc(l->p, (size_t)cap * sizeof *l->p);
            l->n = dp_xrealloc(l->n, (size_t)cap * sizeof *l->n);
        }
        l->p[l->count] = s;
        l->n[l->count++] = len;
        s = nl ? nl + 1 : s + len;
    }
}

static bool line_eq(const struct lines *a, int i, const struct lines *b, int j)
{
    return a->n[i] == b->n[j] && !memcmp(a->p[i], b->p[j], a->n[i]);
}

void dp_report_diff(const char *a, const char *b, dp_report_diff_fn fn, void *ud)
{
    struct lines A, B;
    split_lines(a, &A);
    split_lines(b, &B);
    int n = A.count, m = B.count;
    /* Common prefix and suffix first: answers differ in a few lines, so the table stays small. */
    int pre = 0, suf = 0;
    while (pre < n && pre < m && line_eq(&A, pre, &B, pre)) pre++;
    while (suf < n - pre && suf < m - pre && line_eq(&A, n - 1 - suf, &B, m - 1 - suf)) suf++;
    for (int i = 0; i < pre; i++) fn(' ', A.p[i], A.n[i], ud);
    int rn = n - pre - suf, rm = m - pre - suf;
    if ((long)(rn + 1) * (rm + 1) > 4000000L) {   /* too big for the table: all out, all in */
        for (int i = 0; i < rn; i++) fn('-', A.p[pre + i], A.n[pre + i], ud);
        for (int j = 0; j < rm; j++) fn('+', B.p[pre + j], B.n[pre + j], ud);
    } else {
        /* L[i][j]: LCS length of A[pre+i..] and B[pre+j..] */
        int *L = dp_xcalloc((size_t)(rn + 1) * (size_t)(rm + 1), sizeof *L);
#define AT(i, j) L[(size_t)(i) * (size_t)(rm + 1) + (size_t)(j)]
        for (int i = rn - 1; i >= 0; i--)
            for (int j = rm - 1; j >= 0; j--)
                AT(i, j) = line_eq(&A, pre + i, &B, pre + j) ? AT(i + 1, j + 1) + 1
                         : AT(i + 1, j) > AT(i, j + 1) ? AT(i + 1, j) : AT(i, j + 1);
        int i = 0, j = 0;
        while (i < rn || j < rm) {
            if (i < rn && j < rm && line_eq(&A, pre + i, &B, pre + j)) { fn(' ', A.p[pre + i], A.n[pre + i], ud); i++; j++; }
            else if (i < rn && (j == rm || AT(i + 1, j) >= AT(i, j + 1))) { fn('-', A.p[pre + i], A.n[pre + i], ud); i++; }
            else { fn('+', B.p[pre + j], B.n[pre + j], ud); j++; }
        }
#undef AT
        free(L);
    }
    for (int i = n - suf; i < n; i++) fn(' ', A.p[i], A.n[i], ud);
    free(A.p); free(A.n); free(B.p); free(B.n);
}

/* ---- JSON ----------------------------------------------------------------------------------- */

static void jw_ci(struct dp_jw *w, const char *key, struct dp_interval ci)
{
    dp_jw_key(w, key);
    dp_jw_arr_begin(w);
    dp_jw_num(w, ci.lo);
    dp_jw_num(w, ci.hi);
    dp_jw_arr_end(w);
}

static void jw_kv_num(struct dp_jw *w, const char *key, double v) { dp_jw_key(w, key); dp_jw_num(w, v); }
static void jw_kv_int(struct dp_jw *w, const char *key, long v) { dp_jw_key(w, key); dp_jw_int(w, v); }
static void jw_kv_str(struct dp_jw *w, const char *key, const char *v)
{
    dp_jw_key(w, key);
    if (v) dp_jw_str(w, v);
    else dp_jw_null(w);
}

static double share(long x, long n) { return n > 0 ? (double)x / (double)n : 0; }

static void json_run(struct dp_jw *w, const struct dp_report *r, const struct dp_report_run *u)
{
    dp_jw_obj_begin(w);
    jw_kv_str(w, "model", u->model);
    jw_kv_str(w, "path", u->path);
    jw_kv_str(w, "decoding", u->decoding);
    jw_kv_int(w, "n", u->n);
    jw_kv_int(w, "vulnerable", u->vulnerable);
    jw_kv_num(w, "vulnerable_rate", u->vulnerable_rate);
    jw_ci(w, "vulnerable_ci95", u->vulnerable_ci95);
    jw_kv_int(w, "bandit_vulnerable", u->bandit_vulnerable);
    jw_kv_num(w, "bandit_vulnerable_rate", u->bandit_rate);
    jw_ci(w, "bandit_vulnerable_ci95", u->bandit_ci95);
    jw_kv_int(w, "parsed", u->parsed);
    jw_kv_num(w, "parse_rate", u->parse_rate);
    jw_ci(w, "parse_ci95", u->parse_ci95);
    jw_kv_int(w, "http", u->http);
    jw_kv_num(w, "http_rate", u->http_rate);
    jw_ci(w, "http_ci95", u->http_ci95);
    jw_kv_num(w, "mean_length", u->mean_length);
    jw_kv_num(w, "sd_length", u->sd_length);
    jw_kv_str(w, "length_unit", r->length_unit ? r->length_unit : "tokens");
    dp_jw_key(w, "families");
    dp_jw_obj_begin(w);
    for (int f = 0; f < u->nfamilies; f++) {
        const struct dp_report_family *fa = &u->families[f];
        dp_jw_key(w, fa->name);
        dp_jw_obj_begin(w);
        jw_kv_int(w, "n", fa->n);
        jw_kv_int(w, "vulnerable", fa->vulnerable);
        jw_kv_num(w, "vulnerable_rate", share(fa->vulnerable, fa->n));
        jw_kv_num(w, "bandit_vulnerable_rate", share(fa->bandit_vulnerable, fa->n));
        jw_kv_num(w, "parse_rate", share(fa->parsed, fa->n));
        jw_kv_num(w, "http_rate", share(fa->http, fa->n));
        dp_jw_obj_end(w);
    }
    dp_jw_obj_end(w);
    dp_jw_obj_end(w);
}

void dp_report_json(struct dp_sbuf *out, const struct dp_report *r)
{
    struct dp_jw w;
    dp_jw_init(&w, out, 2);
    w.ascii = false;
    dp_jw_obj_begin(&w);
    jw_kv_str(&w, "title", r->title ? r->title : "dpoison experiment");
    if (r->created) jw_kv_str(&w, "created", r->created);
    dp_jw_key(&w, "settings");
    dp_jw_obj_begin(&w);
    for (int i = 0; i < r->nsettings; i++) {
        dp_jw_key(&w, r->settings[i].key);
        if (r->settings[i].number) {   /* the value is JSON text already */
            dp_sbuf_puts(out, r->settings[i].value);
            w.after_key = false;
        } else {
            dp_jw_str(&w, r->settings[i].value);
        }
    }
    dp_jw_obj_end(&w);
    dp_jw_key(&w, "models");
    dp_jw_arr_begin(&w);
    for (int i = 0; i < r->nruns; i++) json_run(&w, r, &r->runs[i]);
    dp_jw_arr_end(&w);
    dp_jw_key(&w, "comparisons");
    dp_jw_arr_begin(&w);
    for (int i = 0; i < r->ncmps; i++) {
        const struct dp_report_comparison *c = &r->cmps[i];
        char la[256], lb[256];
        dp_report_run_label(la, sizeof la, &r->runs[c->a]);
        dp_report_run_label(lb, sizeof lb, &r->runs[c->b]);
        dp_jw_obj_begin(&w);
        jw_kv_str(&w, "metric", dp_report_metric_name(c->metric));
        jw_kv_str(&w, "baseline", la);
        jw_kv_str(&w, "model", lb);
        jw_kv_num(&w, "difference", c->diff);
        jw_ci(&w, "difference_ci95", c->ci95);
        jw_kv_num(&w, "fisher_p", c->fisher_p);
        jw_kv_num(&w, "fisher_log_p", c->fisher_log_p);
        dp_jw_obj_end(&w);
    }
    dp_jw_arr_end(&w);
    dp_jw_key(&w, "funnel");
    dp_jw_arr_begin(&w);
    for (int i = 0; i < r->nfunnel; i++) {
        dp_jw_obj_begin(&w);
        jw_kv_str(&w, "stage", r->funnel[i].name);
        jw_kv_int(&w, "count", r->funnel[i].count);
        dp_jw_obj_end(&w);
    }
    dp_jw_arr_end(&w);
    dp_jw_key(&w, "examples");
    dp_jw_arr_begin(&w);
    for (int i = 0; i < r->nexamples; i++) {
        const struct dp_report_example *x = &r->examples[i];
        dp_jw_obj_begin(&w);
        jw_kv_str(&w, "title", x->title);
        jw_kv_str(&w, "prompt", x->prompt);
        jw_kv_str(&w, "clean", x->clean);
        jw_kv_str(&w, "poisoned", x->poisoned);
        dp_jw_obj_end(&w);
    }
    dp_jw_arr_end(&w);
    dp_jw_obj_end(&w);
    dp_sbuf_putc(out, '\n');
}

int dp_report_write(const char *dir, struct dp_report *r, struct dp_error *e)
{
    int rc = dp_report_compute(r, e);
    if (!rc) rc = dp_mkdirs(dir, e);
    void (*writers[3])(struct dp_sbuf *, const struct dp_report *) = {dp_report_json, dp_report_md, dp_report_html};
    const char *names[3] = {"report.json", "report.md", "report.html"};
    struct dp_sbuf b = {0}, path = {0};
    for (int i = 0; i < 3 && !rc; i++) {
        dp_sbuf_reset(&b);
        dp_sbuf_reset(&path);
        writers[i](&b, r);
        dp_sbuf_printf(&path, "%s/%s", dir, names[i]);
        rc = dp_file_write_atomic(path.p, b.p, b.n, e);
    }
    dp_sbuf_free(&b);
    dp_sbuf_free(&path);
    return rc;
}
