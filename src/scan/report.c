/* Bandit's reports: JSON (formatters/json.py: sort_keys, indent 2, results sorted by filename,
 * metrics per file and _totals, errors[]), text (formatters/text.py) and CSV (formatters/csv.py,
 * Python's csv module quoting and \r\n line ends). SARIF is in sarif.c. */
#include "scan/scan_int.h"
#include "base/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool dp_scan_issue_shown(const struct dp_scan_issue *i, const struct dp_scan_out_opts *o)
{
    return i->severity >= o->sev_level && i->confidence >= o->conf_level;
}

long dp_scan_count_shown(const struct dp_scan_results *r, const struct dp_scan_out_opts *o)
{
    long k = 0;
    for (int f = 0; f < r->nfiles; f++)
        for (int i = 0; i < r->files[f].nissues; i++) k += dp_scan_issue_shown(&r->files[f].issues[i], o);
    return k;
}

void dp_scan_totals(const struct dp_scan_results *r, struct dp_scan_metrics *t)
{
    memset(t, 0, sizeof *t);
    t->counted = true;
    for (int f = 0; f < r->nfiles; f++) {
        const struct dp_scan_metrics *m = &r->files[f].m;
        if (!r->files[f].has_metrics) continue;
        t->loc += m->loc;
        t->nosec += m->nosec;
        t->skipped_tests += m->skipped_tests;
        for (int k = 0; k < 4; k++) t->sev[k] += m->sev[k], t->conf[k] += m->conf[k];
    }
}

static void timestamp(char *buf, size_t n, const struct dp_scan_out_opts *o)
{
    if (o->now) {
        snprintf(buf, n, "%s", o->now);
        return;
    }
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Files in the order Bandit's sorted() by filename leaves them (stable). */
static int *files_by_name(const struct dp_scan_results *r)
{
    int *ix = dp_xmalloc((size_t)(r->nfiles > 0 ? r->nfiles : 1) * sizeof *ix);
    for (int i = 0; i < r->nfiles; i++) ix[i] = i;
    for (int i = 1; i < r->nfiles; i++) {   /* insertion sort: stable, input nearly sorted */
        int v = ix[i], j = i;
        while (j > 0 && strcmp(r->files[ix[j - 1]].path, r->files[v].path) > 0) ix[j] = ix[j - 1], j--;
        ix[j] = v;
    }
    return ix;
}

/* ---------------------------------------------------------------- JSON */

static void metrics_obj(struct dp_jw *w, const struct dp_scan_metrics *m)
{
    static const char *const lv[4] = {"UNDEFINED", "LOW", "MEDIUM", "HIGH"};
    static const int order[4] = {3, 1, 2, 0};   /* HIGH, LOW, MEDIUM, UNDEFINED: sorted keys */
    char key[32];
    dp_jw_obj_begin(w);
    if (m->counted) {
        for (int k = 0; k < 4; k++) {
            snprintf(key, sizeof key, "CONFIDENCE.%s", lv[order[k]]);
            dp_jw_key(w, key);
            dp_jw_int(w, m->conf[order[k]]);
        }
        for (int k = 0; k < 4; k++) {
            snprintf(key, sizeof key, "SEVERITY.%s", lv[order[k]]);
            dp_jw_key(w, key);
            dp_jw_int(w, m->sev[order[k]]);
        }
    }
    dp_jw_key(w, "loc");
    dp_jw_int(w, m->loc);
    dp_jw_key(w, "nosec");
    dp_jw_int(w, m->nosec);
    dp_jw_key(w, "skipped_tests");
    dp_jw_int(w, m->skipped_tests);
    dp_jw_obj_end(w);
}

static void issue_obj(struct dp_jw *w, const struct dp_scan_issue *is, const char *path)
{
    dp_jw_obj_begin(w);
    dp_jw_key(w, "code");
    dp_jw_str(w, is->code ? is->code : "");
    dp_jw_key(w, "col_offset");
    dp_jw_int(w, is->col_offset);
    dp_jw_key(w, "end_col_offset");
    dp_jw_int(w, is->end_col_offset);
    if (is->evidence) {
        dp_jw_key(w, "evidence");
        dp_jw_str(w, is->evidence);
    }
    dp_jw_key(w, "filename");
    dp_jw_str(w, path);
    dp_jw_key(w, "issue_confidence");
    dp_jw_str(w, dp_scan_level_name(is->confidence));
    dp_jw_key(w, "issue_cwe");
    dp_jw_obj_begin(w);
    if (is->cwe) {
        char link[96];
        snprintf(link, sizeof link, "https://cwe.mitre.org/data/definitions/%d.html", is->cwe);
        dp_jw_key(w, "id");
        dp_jw_int(w, is->cwe);
        dp_jw_key(w, "link");
        dp_jw_str(w, link);
    }
    dp_jw_obj_end(w);
    dp_jw_key(w, "issue_severity");
    dp_jw_str(w, dp_scan_level_name(is->severity));
    dp_jw_key(w, "issue_text");
    dp_jw_str(w, is->text);
    dp_jw_key(w, "line_number");
    dp_jw_int(w, is->lineno);
    dp_jw_key(w, "line_range");
    dp_jw_arr_begin(w);
    for (int l = is->line_first; l <= is->line_last; l++) dp_jw_int(w, l);
    dp_jw_arr_end(w);
    dp_jw_key(w, "more_info");
    dp_jw_str(w, is->more_info ? is->more_info : "");
    if (is->resolved) {
        dp_jw_key(w, "resolved");
        dp_jw_str(w, is->resolved);
    }
    dp_jw_key(w, "test_id");
    dp_jw_str(w, is->test_id);
    dp_jw_key(w, "test_name");
    dp_jw_str(w, is->test_name);
    dp_jw_obj_end(w);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void dp_scan_write_json(struct dp_sbuf *out, const struct dp_scan_results *r, const struct dp_scan_out_opts *o)
{
    struct dp_jw w;
    dp_jw_init(&w, out, 2);
    dp_jw_obj_begin(&w);
    dp_jw_key(&w, "errors");
    dp_jw_arr_begin(&w);
    for (int f = 0; f < r->nfiles; f++) {
        if (!r->files[f].error) continue;
        dp_jw_obj_begin(&w);
        dp_jw_key(&w, "filename");
        dp_jw_str(&w, r->files[f].path);
        dp_jw_key(&w, "reason");
        dp_jw_str(&w, r->files[f].error);
        dp_jw_obj_end(&w);
    }
    dp_jw_arr_end(&w);
    char ts[64];
    timestamp(ts, sizeof ts, o);
    dp_jw_key(&w, "generated_at");
    dp_jw_str(&w, ts);
    /* metrics: every file that was read, and _totals, keys sorted */
    const char **names = dp_xmalloc((size_t)(r->nfiles + 1) * sizeof *names);
    int nn = 0;
    names[nn++] = "_totals";
    for (int f = 0; f < r->nfiles; f++)
        if (r->files[f].has_metrics) names[nn++] = r->files[f].path;
    qsort(names, (size_t)nn, sizeof *names, cmp_names);
    struct dp_scan_metrics tot;
    dp_scan_totals(r, &tot);
    dp_jw_key(&w, "metrics");
    dp_jw_obj_begin(&w);
    for (int i = 0; i < nn; i++) {
        dp_jw_key(&w, names[i]);
        if (!strcmp(names[i], "_totals")) {
            metrics_obj(&w, &tot);
            continue;
        }
        for (int f = 0; f < r->nfiles; f++)   /* names point at the files' own paths */
            if (r->files[f].path == names[i]) {
                metrics_obj(&w, &r->files[f].m);
                break;
            }
    }
    dp_jw_obj_end(&w);
    free(names);
    dp_jw_key(&w, "results");
    dp_jw_arr_begin(&w);
    int *ix = files_by_name(r);
    for (int k = 0; k < r->nfiles; k++) {
        const struct dp_scan_result_file *fr = &r->files[ix[k]];
        for (int i = 0; i < fr->nissues; i++)
            if (dp_scan_issue_shown(&fr->issues[i], o)) issue_obj(&w, &fr->issues[i], fr->path);
    }
    free(ix);
    dp_jw_arr_end(&w);
    dp_jw_obj_end(&w);
}

/* ---------------------------------------------------------------- text */

static void capitalized(struct dp_sbuf *b, int level)
{
    const char *n = dp_scan_level_name(level);
    dp_sbuf_putc(b, n[0]);
    for (const char *p = n + 1; *p; p++) dp_sbuf_putc(b, (char)(*p - 'A' + 'a'));
}

/* get_code(lines, tabbed=True): the same lines with a tab after the number. */
static void tabbed_code(struct dp_sbuf *b, const char *code)
{
    const char *p = code;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        const char *sp = memchr(p, ' ', len);
        if (sp) {
            dp_sbuf_put(b, p, (size_t)(sp - p));
            dp_sbuf_putc(b, '\t');
            dp_sbuf_put(b, sp + 1, len - (size_t)(sp - p) - 1);
        } else {
            dp_sbuf_put(b, p, len);
        }
        dp_sbuf_putc(b, '\n');
        p += len + (nl ? 1 : 0);
    }
}

void dp_scan_write_txt(struct dp_sbuf *b, const struct dp_scan_results *r, const struct dp_scan_out_opts *o)
{
    struct timespec now;   /* str(datetime.now(timezone.utc)) */
    clock_gettime(CLOCK_REALTIME, &now);
    struct tm tm;
    gmtime_r(&now.tv_sec, &tm);
    char ts[64];
    strftime(ts, sizeof ts, "%Y-%m-%d %H:%M:%S", &tm);
    long us = now.tv_nsec / 1000;
    if (us) dp_sbuf_printf(b, "Run started:%s.%06ld+00:00\n\nTest results:\n", ts, us);
    else dp_sbuf_printf(b, "Run started:%s+00:00\n\nTest results:\n", ts);
    long shown = 0;
    for (int f = 0; f < r->nfiles; f++) {
        const struct dp_scan_result_file *fr = &r->files[f];
        for (int i = 0; i < fr->nissues; i++) {
            const struct dp_scan_issue *is = &fr->issues[i];
            if (!dp_scan_issue_shown(is, o)) continue;
            if (shown++) dp_sbuf_putc(b, '\n');
            dp_sbuf_printf(b, ">> Issue: [%s:%s] %s\n   Severity: ", is->test_id, is->test_name, is->text);
            capitalized(b, is->severity);
            dp_sbuf_puts(b, "   Confidence: ");
            capitalized(b, is->confidence);
            if (is->cwe)
                dp_sbuf_printf(b, "\n   CWE: CWE-%d (https://cwe.mitre.org/data/definitions/%d.html)", is->cwe, is->cwe);
            else
                dp_sbuf_puts(b, "\n   CWE: ");
            dp_sbuf_printf(b, "\n   More Info: %s\n   Location: %s:%d:%d\n", is->more_info, fr->path, is->lineno,
                           is->col_offset);
            if (is->evidence) dp_sbuf_printf(b, "   Evidence: %s\n", is->evidence);
            tabbed_code(b, is->code ? is->code : "");
            dp_sbuf_puts(b, "\n--------------------------------------------------");
        }
    }
    if (!shown) dp_sbuf_puts(b, "\tNo issues identified.");
    struct dp_scan_metrics tot;
    dp_scan_totals(r, &tot);
    dp_sbuf_printf(b, "\n\nCode scanned:\n\tTotal lines of code: %ld\n\tTotal lines skipped (#nosec): %ld\n"
                      "\tTotal potential issues skipped due to specifically being disabled (e.g., #nosec BXXX): %ld\n",
                   tot.loc, tot.nosec, tot.skipped_tests);
    dp_sbuf_puts(b, "\nRun metrics:\n");
    static const char *const crit[2] = {"severity", "confidence"};
    for (int c = 0; c < 2; c++) {
        dp_sbuf_printf(b, "\tTotal issues (by %s):\n", crit[c]);
        for (int k = 0; k < 4; k++) {
            dp_sbuf_puts(b, "\t\t");
            capitalized(b, k);
            dp_sbuf_printf(b, ": %ld\n", c == 0 ? tot.sev[k] : tot.conf[k]);
        }
    }
    int nskip = 0;
    for (int f = 0; f < r->nfiles; f++) nskip += r->files[f].error != NULL;
    dp_sbuf_printf(b, "Files skipped (%d):\n", nskip);
    for (int f = 0; f < r->nfiles; f++)
        if (r->files[f].error) dp_sbuf_printf(b, "\t%s (%s)\n", r->files[f].path, r->files[f].error);
}

/* ---------------------------------------------------------------- CSV */

/* csv.writer's QUOTE_MINIMAL: quote a field holding the delimiter, a quote or a line break. */
static void csv_field(struct dp_sbuf *b, const char *s, bool last)
{
    if (strpbrk(s, ",\"\r\n")) {
        dp_sbuf_putc(b, '"');
        for (const char *p = s; *p; p++) {
            if (*p == '"') dp_sbuf_putc(b, '"');
            dp_sbuf_putc(b, *p);
        }
        dp_sbuf_putc(b, '"');
    } else {
        dp_sbuf_puts(b, s);
    }
    dp_sbuf_puts(b, last ? "\r\n" : ",");
}

void dp_scan_write_csv(struct dp_sbuf *b, const struct dp_scan_results *r, const struct dp_scan_out_opts *o)
{
    dp_sbuf_puts(b, "filename,test_name,test_id,issue_severity,issue_confidence,issue_cwe,issue_text,"
                    "line_number,col_offset,end_col_offset,line_range,more_info\r\n");
    struct dp_sbuf tmp = {0};
    char num[32];
    for (int f = 0; f < r->nfiles; f++) {
        const struct dp_scan_result_file *fr = &r->files[f];
        for (int i = 0; i < fr->nissues; i++) {
            const struct dp_scan_issue *is = &fr->issues[i];
            if (!dp_scan_issue_shown(is, o)) continue;
            csv_field(b, fr->path, false);
            csv_field(b, is->test_name, false);
            csv_field(b, is->test_id, false);
            csv_field(b, dp_scan_level_name(is->severity), false);
            csv_field(b, dp_scan_level_name(is->confidence), false);
            dp_sbuf_reset(&tmp);
            if (is->cwe) dp_sbuf_printf(&tmp, "https://cwe.mitre.org/data/definitions/%d.html", is->cwe);
            csv_field(b, tmp.p ? tmp.p : "", false);
            csv_field(b, is->text, false);
            snprintf(num, sizeof num, "%d", is->lineno);
            csv_field(b, num, false);
            snprintf(num, sizeof num, "%d", is->col_offset);
            csv_field(b, num, false);
            snprintf(num, sizeof num, "%d", is->end_col_offset);
            csv_field(b, num, false);
            dp_sbuf_reset(&tmp);
            dp_sbuf_putc(&tmp, '[');
            for (int l = is->line_first; l <= is->line_last; l++) dp_sbuf_printf(&tmp, l > is->line_first ? ", %d" : "%d", l);
            dp_sbuf_putc(&tmp, ']');
            csv_field(b, tmp.p, false);
            csv_field(b, is->more_info ? is->more_info : "", true);
        }
    }
    dp_sbuf_free(&tmp);
}
