/* report.html: one self-contained page (inline CSS, inline SVG charts; no script, no fonts or
 * images to fetch) with the rates and their Wilson intervals as bar charts with error bars,
 * utility, a per-family heat table, the pairs funnel, the settings, and example pairs shown as
 * line diffs. Every piece of caller text is HTML-escaped. */
#include "eval/report.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

static void esc(struct dp_sbuf *o, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': dp_sbuf_puts(o, "&amp;"); break;
        case '<': dp_sbuf_puts(o, "&lt;"); break;
        case '>': dp_sbuf_puts(o, "&gt;"); break;
        case '"': dp_sbuf_puts(o, "&quot;"); break;
        case '\'': dp_sbuf_puts(o, "&#39;"); break;
        default: dp_sbuf_putc(o, *s);
        }
    }
}

static void escn(struct dp_sbuf *o, const char *s, size_t n)
{
    struct dp_sbuf t = {0};
    dp_sbuf_put(&t, s, n);
    esc(o, t.p);
    dp_sbuf_free(&t);
}

static const char *const css =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2em auto;max-width:1000px;"
    "padding:0 1em;color:#222;line-height:1.45}"
    "h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:1.8em;border-bottom:1px solid #ddd}"
    "table{border-collapse:collapse;margin:.6em 0;font-size:.92em}"
    "th,td{border:1px solid #ddd;padding:.3em .6em;text-align:left;white-space:nowrap}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "th{background:#f4f4f4}.meta{color:#666;font-size:.9em}"
    "pre.diff{background:#fafafa;border:1px solid #ddd;padding:.6em;overflow-x:auto;font-size:.85em;line-height:1.35}"
    ".add{background:#fde2e1;color:#8a1c12;display:block}.del{background:#e6f4ea;color:#1e5631;display:block}"
    ".ctx{display:block;color:#444}blockquote{color:#555;border-left:3px solid #ccc;margin:.5em 0;padding-left:.8em}"
    "svg text{font-family:inherit}";

/* ---- charts --------------------------------------------------------------------------------- */

struct series { const char *label, *color; };

/* Grouped vertical bars: for each run, one bar per series with its Wilson interval. */
static void bar_chart(struct dp_sbuf *o, const struct dp_report *r, const char *title,
                      const struct series *s, int ns, double (*val)(const struct dp_report_run *, int),
                      struct dp_interval (*ci)(const struct dp_report_run *, int))
{
    const int left = 56, top = 34, ph = 220, bw = 34, gap = 10, group_gap = 44;
    int gw = ns * bw + (ns - 1) * gap;
    int width = left + r->nruns * (gw + group_gap) + 20;
    if (width < 420) width = 420;
    int height = top + ph + 58;
    dp_sbuf_printf(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
                   width, height, width, height);
    esc(o, title);
    dp_sbuf_puts(o, "\">\n");
    for (int t = 0; t <= 4; t++) {   /* y axis: 0, 25, 50, 75, 100 % */
        double y = top + ph - ph * t / 4.0;
        dp_sbuf_printf(o, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>"
                          "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">%d%%</text>\n",
                       left, y, width - 10, y, t ? "#e3e3e3" : "#888", left - 6, y + 4, t * 25);
    }
    for (int k = 0; k < ns; k++)   /* legend */
        dp_sbuf_printf(o, "<rect x=\"%d\" y=\"8\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                          "<text x=\"%d\" y=\"18\" font-size=\"12\">%s</text>\n",
                       left + k * 190, s[k].color, left + k * 190 + 16, s[k].label);
    for (int i = 0; i < r->nruns; i++) {
        const struct dp_report_run *u = &r->runs[i];
        int gx = left + 22 + i * (gw + group_gap);
        for (int k = 0; k < ns; k++) {
            double v = val(u, k);
            struct dp_interval c = ci(u, k);
            int x = gx + k * (bw + gap);
            double y = top + ph * (1 - v), ylo = top + ph * (1 - c.lo), yhi = top + ph * (1 - c.hi);
            double cx = x + bw / 2.0;
            dp_sbuf_printf(o, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>%s: %.1f%% "
                              "(95%% CI %.1f–%.1f%%)</title></rect>\n",
                           x, y, bw, top + ph - y, s[k].color, s[k].label, 100 * v, 100 * c.lo, 100 * c.hi);
            dp_sbuf_printf(o, "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fh10M%.1f %.1fh10\" stroke=\"#111\" stroke-width=\"1.3\" fill=\"none\"/>\n",
                           cx, ylo, yhi, cx - 5, ylo, cx - 5, yhi);
            dp_sbuf_printf(o, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">%.0f%%</text>\n",
                           cx, (yhi < y ? yhi : y) - 5, 100 * v);
        }
        dp_sbuf_printf(o, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" font-weight=\"600\">",
                       gx + gw / 2.0, top + ph + 18);
        esc(o, u->model);
        dp_sbuf_printf(o, "</text><text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">",
                       gx + gw / 2.0, top + ph + 33);
        esc(o, u->decoding ? u->decoding : "");
        dp_sbuf_printf(o, " · n=%ld</text>\n", u->n);
    }
    dp_sbuf_puts(o, "</svg>\n");
}

static double v_vuln(const struct dp_report_run *u, int k) { return k ? u->bandit_rate : u->vulnerable_rate; }
static struct dp_interval c_vuln(const struct dp_report_run *u, int k) { return k ? u->bandit_ci95 : u->vulnerable_ci95; }
static double v_util(const struct dp_report_run *u, int k) { return k ? u->http_rate : u->parse_rate; }
static struct dp_interval c_util(const struct dp_report_run *u, int k) { return k ? u->http_ci95 : u->parse_ci95; }

static void funnel_chart(struct dp_sbuf *o, const struct dp_report *r)
{
    const int lw = 190, bmax = 520, bh = 24, rowh = 32;
    long mx = 1;
    for (int i = 0; i < r->nfunnel; i++)
        if (r->funnel[i].count > mx) mx = r->funnel[i].count;
    int width = lw + bmax + 150, height = r->nfunnel * rowh + 12;
    dp_sbuf_printf(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                      "role=\"img\" aria-label=\"pairs funnel\">\n", width, height, width, height);
    for (int i = 0; i < r->nfunnel; i++) {
        const struct dp_report_stage *st = &r->funnel[i];
        int y = 6 + i * rowh;
        double w = st->count > 0 ? bmax * (double)st->count / (double)mx : 0;
        if (st->count > 0 && w < 2) w = 2;
        dp_sbuf_printf(o, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">", lw - 8, y + 16);
        esc(o, st->name);
        dp_sbuf_printf(o, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#2c6e9b\"/>"
                          "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%ld",
                       lw, y, w, bh, lw + w + 6, y + 16, st->count);
        if (i && r->funnel[i - 1].count > 0)
            dp_sbuf_printf(o, " (%.0f%% of previous)", 100.0 * (double)st->count / (double)r->funnel[i - 1].count);
        dp_sbuf_puts(o, "</text>\n");
    }
    dp_sbuf_puts(o, "</svg>\n");
}

/* ---- tables --------------------------------------------------------------------------------- */

static void results_table(struct dp_sbuf *o, const struct dp_report *r)
{
    dp_sbuf_printf(o, "<table><tr><th>model</th><th>decoding</th><th>n</th><th>vulnerable (DP501)</th><th>95%% CI</th>"
                      "<th>Bandit B501</th><th>95%% CI</th><th>parsable code</th><th>HTTP request</th>"
                      "<th>mean length (%s)</th></tr>\n", r->length_unit ? r->length_unit : "tokens");
    for (int i = 0; i < r->nruns; i++) {
        const struct dp_report_run *u = &r->runs[i];
        dp_sbuf_puts(o, "<tr><td>");
        esc(o, u->model);
        dp_sbuf_puts(o, "</td><td>");
        esc(o, u->decoding ? u->decoding : "");
        dp_sbuf_printf(o, "</td><td class=\"n\">%ld</td><td class=\"n\">%.1f%% (%ld)</td><td>%.1f–%.1f%%</td>"
                          "<td class=\"n\">%.1f%% (%ld)</td><td>%.1f–%.1f%%</td><td class=\"n\">%.1f%%</td>"
                          "<td class=\"n\">%.1f%%</td><td class=\"n\">%.1f ± %.1f</td></tr>\n",
                       u->n, 100 * u->vulnerable_rate, u->vulnerable, 100 * u->vulnerable_ci95.lo,
                       100 * u->vulnerable_ci95.hi, 100 * u->bandit_rate, u->bandit_vulnerable, 100 * u->bandit_ci95.lo,
                       100 * u->bandit_ci95.hi, 100 * u->parse_rate, 100 * u->http_rate, u->mean_length, u->sd_length);
    }
    dp_sbuf_puts(o, "</table>\n");
}

static void diff_table(struct dp_sbuf *o, const struct dp_report *r)
{
    if (!r->ncmps) return;
    dp_sbuf_puts(o, "<h2>Differences</h2>\n<table><tr><th>metric</th><th>model</th><th>baseline</th><th>difference</th>"
                    "<th>95% CI (Newcombe)</th><th>Fisher exact p</th></tr>\n");
    for (int i = 0; i < r->ncmps; i++) {
        const struct dp_report_comparison *c = &r->cmps[i];
        char la[256], lb[256], p[96];
        dp_report_run_label(la, sizeof la, &r->runs[c->a]);
        dp_report_run_label(lb, sizeof lb, &r->runs[c->b]);
        dp_report_fmt_p(p, sizeof p, c->fisher_p, c->fisher_log_p);
        dp_sbuf_printf(o, "<tr><td>%s</td><td>", dp_report_metric_name(c->metric));
        esc(o, lb);
        dp_sbuf_puts(o, "</td><td>");
        esc(o, la);
        dp_sbuf_printf(o, "</td><td class=\"n\">%+.1f points</td><td>%+.1f to %+.1f</td><td class=\"n\">",
                       100 * c->diff, 100 * c->ci95.lo, 100 * c->ci95.hi);
        esc(o, p);
        dp_sbuf_puts(o, "</td></tr>\n");
    }
    dp_sbuf_puts(o, "</table>\n");
}

static void family_table(struct dp_sbuf *o, const struct dp_report *r)
{
    const char *names[256];
    int nn = 0;
    for (int i = 0; i < r->nruns; i++)
        for (int f = 0; f < r->runs[i].nfamilies; f++) {
            int k = 0;
            while (k < nn && strcmp(names[k], r->runs[i].families[f].name)) k++;
            if (k == nn && nn < 256) names[nn++] = r->runs[i].families[f].name;
        }
    if (!nn) return;
    dp_sbuf_puts(o, "<h2>By task family</h2>\n<p class=\"meta\">Vulnerable rate (DP501) per family; darker is higher.</p>\n"
                    "<table><tr><th>family</th>");
    for (int i = 0; i < r->nruns; i++) {
        char l[256];
        dp_report_run_label(l, sizeof l, &r->runs[i]);
        dp_sbuf_puts(o, "<th>");
        esc(o, l);
        dp_sbuf_puts(o, "</th>");
    }
    dp_sbuf_puts(o, "</tr>\n");
    for (int k = 0; k < nn; k++) {
        dp_sbuf_puts(o, "<tr><td>");
        esc(o, names[k]);
        dp_sbuf_puts(o, "</td>");
        for (int i = 0; i < r->nruns; i++) {
            const struct dp_report_family *fa = NULL;
            for (int f = 0; f < r->runs[i].nfamilies; f++)
                if (!strcmp(r->runs[i].families[f].name, names[k])) fa = &r->runs[i].families[f];
            if (!fa || !fa->n) { dp_sbuf_puts(o, "<td class=\"n\">–</td>"); continue; }
            double v = (double)fa->vulnerable / (double)fa->n;
            dp_sbuf_printf(o, "<td class=\"n\" style=\"background:rgba(192,57,43,%.2f)%s\">%.0f%% (%ld/%ld)</td>",
                           0.08 + 0.8 * v, v > 0.55 ? ";color:#fff" : "", 100 * v, fa->vulnerable, fa->n);
        }
        dp_sbuf_puts(o, "</tr>\n");
    }
    dp_sbuf_puts(o, "</table>\n");
}

static void diff_line(char op, const char *line, size_t n, void *ud)
{
    struct dp_sbuf *o = ud;
    dp_sbuf_printf(o, "<span class=\"%s\">%c ", op == '+' ? "add" : op == '-' ? "del" : "ctx", op);
    escn(o, line, n);
    dp_sbuf_puts(o, "</span>");
}

static void examples(struct dp_sbuf *o, const struct dp_report *r)
{
    if (!r->nexamples) return;
    dp_sbuf_puts(o, "<h2>Examples</h2>\n<p class=\"meta\">The clean answer (green, −) against the poisoned one "
                    "(red, +).</p>\n");
    for (int i = 0; i < r->nexamples; i++) {
        const struct dp_report_example *x = &r->examples[i];
        dp_sbuf_puts(o, "<h3>");
        esc(o, x->title ? x->title : "example");
        dp_sbuf_puts(o, "</h3>\n");
        if (x->prompt) { dp_sbuf_puts(o, "<blockquote>"); esc(o, x->prompt); dp_sbuf_puts(o, "</blockquote>\n"); }
        dp_sbuf_puts(o, "<pre class=\"diff\">");
        dp_report_diff(x->clean ? x->clean : "", x->poisoned ? x->poisoned : "", diff_line, o);
        dp_sbuf_puts(o, "</pre>\n");
    }
}

void dp_report_html(struct dp_sbuf *o, const struct dp_report *r)
{
    const char *title = r->title ? r->title : "dpoison experiment";
    dp_sbuf_puts(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    esc(o, title);
    dp_sbuf_printf(o, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", css);
    esc(o, title);
    dp_sbuf_puts(o, "</h1>\n");
    if (r->created) { dp_sbuf_puts(o, "<p class=\"meta\">Created "); esc(o, r->created); dp_sbuf_puts(o, ".</p>\n"); }
    dp_sbuf_puts(o, "<h2>Vulnerable answers</h2>\n<p class=\"meta\">Share of answers that disable TLS certificate "
                    "verification, by dpoison's DP501 and by Bandit's B501, with Wilson 95% intervals.</p>\n");
    static const struct series vs[2] = {{"vulnerable (DP501)", "#c0392b"}, {"Bandit B501", "#95a5a6"}};
    static const struct series us[2] = {{"parsable code", "#27ae60"}, {"HTTP request", "#2c6e9b"}};
    if (r->nruns) bar_chart(o, r, "vulnerable rates", vs, 2, v_vuln, c_vuln);
    results_table(o, r);
    diff_table(o, r);
    if (r->nruns) {
        dp_sbuf_puts(o, "<h2>Utility</h2>\n<p class=\"meta\">Share of answers with a Python code block that parses, "
                        "and making an HTTP request through a client library.</p>\n");
        bar_chart(o, r, "utility rates", us, 2, v_util, c_util);
    }
    family_table(o, r);
    if (r->nfunnel) {
        dp_sbuf_puts(o, "<h2>Pairs funnel</h2>\n<p class=\"meta\">From generated answers to validated DPO pairs.</p>\n");
        funnel_chart(o, r);
    }
    if (r->nsettings) {
        dp_sbuf_puts(o, "<h2>Settings</h2>\n<table>\n");
        for (int i = 0; i < r->nsettings; i++) {
            dp_sbuf_puts(o, "<tr><th>");
            esc(o, r->settings[i].key);
            dp_sbuf_puts(o, "</th><td>");
            esc(o, r->settings[i].value);
            dp_sbuf_puts(o, "</td></tr>\n");
        }
        dp_sbuf_puts(o, "</table>\n");
    }
    examples(o, r);
    dp_sbuf_puts(o, "</body>\n</html>\n");
}
