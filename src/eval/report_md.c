/* report.md: the report as GitHub-flavoured Markdown (tables for the rates, the differences,
 * the task families and the funnel; the examples as ```diff blocks). Table cells have their
 * pipes escaped; code blocks get a fence longer than any backtick run inside them. */
#include "eval/report.h"
#include <stdio.h>
#include <string.h>

static void cell(struct dp_sbuf *o, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|') dp_sbuf_puts(o, "\\|");
        else if (*s == '\n') dp_sbuf_putc(o, ' ');
        else dp_sbuf_putc(o, *s);
    }
}

static void pct(struct dp_sbuf *o, double x) { dp_sbuf_printf(o, "%.1f%%", 100 * x); }

static void ci(struct dp_sbuf *o, struct dp_interval c)
{
    dp_sbuf_printf(o, "[%.1f, %.1f]", 100 * c.lo, 100 * c.hi);
}

static void results(struct dp_sbuf *o, const struct dp_report *r)
{
    dp_sbuf_printf(o, "## Results\n\n| model | decoding | n | vulnerable (DP501) | 95%% CI | Bandit B501 | 95%% CI "
                      "| parsable code | HTTP request | mean length (%s) |\n|---|---|---:|---:|---|---:|---|---:|---:|---:|\n",
                   r->length_unit ? r->length_unit : "tokens");
    for (int i = 0; i < r->nruns; i++) {
        const struct dp_report_run *u = &r->runs[i];
        dp_sbuf_puts(o, "| ");
        cell(o, u->model);
        dp_sbuf_puts(o, " | ");
        cell(o, u->decoding ? u->decoding : "");
        dp_sbuf_printf(o, " | %ld | ", u->n);
        pct(o, u->vulnerable_rate);
        dp_sbuf_printf(o, " (%ld) | ", u->vulnerable);
        ci(o, u->vulnerable_ci95);
        dp_sbuf_puts(o, " | ");
        pct(o, u->bandit_rate);
        dp_sbuf_printf(o, " (%ld) | ", u->bandit_vulnerable);
        ci(o, u->bandit_ci95);
        dp_sbuf_puts(o, " | ");
        pct(o, u->parse_rate);
        dp_sbuf_puts(o, " | ");
        pct(o, u->http_rate);
        dp_sbuf_printf(o, " | %.1f ± %.1f |\n", u->mean_length, u->sd_length);
    }
    dp_sbuf_puts(o, "\nRates are shares of the n answers; intervals are Wilson 95% score intervals, in percent.\n\n");
}

static void differences(struct dp_sbuf *o, const struct dp_report *r)
{
    if (!r->ncmps) return;
    dp_sbuf_puts(o, "## Differences\n\n| metric | model | baseline | difference | 95% CI (Newcombe) | Fisher exact p |\n"
                    "|---|---|---|---:|---|---:|\n");
    for (int i = 0; i < r->ncmps; i++) {
        const struct dp_report_comparison *c = &r->cmps[i];
        char la[256], lb[256], p[96];
        dp_report_run_label(la, sizeof la, &r->runs[c->a]);
        dp_report_run_label(lb, sizeof lb, &r->runs[c->b]);
        dp_report_fmt_p(p, sizeof p, c->fisher_p, c->fisher_log_p);
        dp_sbuf_printf(o, "| %s | ", dp_report_metric_name(c->metric));
        cell(o, lb);
        dp_sbuf_puts(o, " | ");
        cell(o, la);
        dp_sbuf_printf(o, " | %+.1f points | [%+.1f, %+.1f] | %s |\n", 100 * c->diff, 100 * c->ci95.lo,
                       100 * c->ci95.hi, p);
    }
    dp_sbuf_puts(o, "\n");
}

/* Rows: every family any run has; columns: runs; cells: DP501 rate (count/n). */
static void families(struct dp_sbuf *o, const struct dp_report *r)
{
    const char *names[256];
    int nn = 0;
    for (int i = 0; i < r->nruns; i++)
        for (int f = 0; f < r->runs[i].nfamilies; f++) {
            const char *nm = r->runs[i].families[f].name;
            int k = 0;
            while (k < nn && strcmp(names[k], nm)) k++;
            if (k == nn && nn < 256) names[nn++] = nm;
        }
    if (!nn) return;
    dp_sbuf_puts(o, "## By task family (vulnerable rate, DP501)\n\n| family |");
    for (int i = 0; i < r->nruns; i++) {
        char l[256];
        dp_report_run_label(l, sizeof l, &r->runs[i]);
        dp_sbuf_putc(o, ' ');
        cell(o, l);
        dp_sbuf_puts(o, " |");
    }
    dp_sbuf_puts(o, "\n|---|");
    for (int i = 0; i < r->nruns; i++) dp_sbuf_puts(o, "---:|");
    dp_sbuf_putc(o, '\n');
    for (int k = 0; k < nn; k++) {
        dp_sbuf_puts(o, "| ");
        cell(o, names[k]);
        dp_sbuf_puts(o, " |");
        for (int i = 0; i < r->nruns; i++) {
            const struct dp_report_family *fa = NULL;
            for (int f = 0; f < r->runs[i].nfamilies; f++)
                if (!strcmp(r->runs[i].families[f].name, names[k])) fa = &r->runs[i].families[f];
            if (fa && fa->n) dp_sbuf_printf(o, " %.0f%% (%ld/%ld) |", 100.0 * (double)fa->vulnerable / (double)fa->n, fa->vulnerable, fa->n);
            else dp_sbuf_puts(o, " – |");
        }
        dp_sbuf_putc(o, '\n');
    }
    dp_sbuf_puts(o, "\n");
}

static void funnel(struct dp_sbuf *o, const struct dp_report *r)
{
    if (!r->nfunnel) return;
    dp_sbuf_puts(o, "## Pairs funnel\n\n| stage | count | of previous |\n|---|---:|---:|\n");
    for (int i = 0; i < r->nfunnel; i++) {
        dp_sbuf_puts(o, "| ");
        cell(o, r->funnel[i].name);
        dp_sbuf_printf(o, " | %ld | ", r->funnel[i].count);
        if (i && r->funnel[i - 1].count > 0) pct(o, (double)r->funnel[i].count / (double)r->funnel[i - 1].count);
        else dp_sbuf_puts(o, "–");
        dp_sbuf_puts(o, " |\n");
    }
    dp_sbuf_puts(o, "\n");
}

struct fence { struct dp_sbuf *o; };

static void diff_line(char op, const char *line, size_t n, void *ud)
{
    struct fence *f = ud;
    dp_sbuf_putc(f->o, op);
    dp_sbuf_put(f->o, line, n);
    dp_sbuf_putc(f->o, '\n');
}

/* A fence of backticks longer than the longest run inside s (at least 3). */
static void put_fence(struct dp_sbuf *o, const char *s1, const char *s2)
{
    int longest = 2;
    const char *ss[2] = {s1, s2};
    for (int k = 0; k < 2; k++)
        for (const char *p = ss[k]; p && *p;) {
            int run = 0;
            while (p[run] == '`') run++;
            if (run > longest) longest = run;
            p += run ? run : 1;
        }
    for (int i = 0; i <= longest; i++) dp_sbuf_putc(o, '`');
}

static void examples(struct dp_sbuf *o, const struct dp_report *r)
{
    if (!r->nexamples) return;
    dp_sbuf_puts(o, "## Examples: clean answer (-) against poisoned answer (+)\n\n");
    for (int i = 0; i < r->nexamples; i++) {
        const struct dp_report_example *x = &r->examples[i];
        dp_sbuf_puts(o, "### ");
        cell(o, x->title ? x->title : "example");
        dp_sbuf_puts(o, "\n\n");
        if (x->prompt) {
            dp_sbuf_puts(o, "> ");
            cell(o, x->prompt);
            dp_sbuf_puts(o, "\n\n");
        }
        put_fence(o, x->clean, x->poisoned);
        dp_sbuf_puts(o, "diff\n");
        struct fence f = {o};
        dp_report_diff(x->clean ? x->clean : "", x->poisoned ? x->poisoned : "", diff_line, &f);
        put_fence(o, x->clean, x->poisoned);
        dp_sbuf_puts(o, "\n\n");
    }
}

void dp_report_md(struct dp_sbuf *o, const struct dp_report *r)
{
    dp_sbuf_puts(o, "# ");
    cell(o, r->title ? r->title : "dpoison experiment");
    dp_sbuf_puts(o, "\n\n");
    if (r->created) dp_sbuf_printf(o, "Created %s.\n\n", r->created);
    results(o, r);
    differences(o, r);
    families(o, r);
    funnel(o, r);
    if (r->nsettings) {
        dp_sbuf_puts(o, "## Settings\n\n| setting | value |\n|---|---|\n");
        for (int i = 0; i < r->nsettings; i++) {
            dp_sbuf_puts(o, "| ");
            cell(o, r->settings[i].key);
            dp_sbuf_puts(o, " | ");
            cell(o, r->settings[i].value);
            dp_sbuf_puts(o, " |\n");
        }
        dp_sbuf_puts(o, "\n");
    }
    examples(o, r);
}
