/* SARIF 2.1.0 report (OASIS static analysis results interchange format): one run whose driver
 * lists every rule that produced a shown result (id, name, help URI, CWE tag), one result per
 * issue with its physical location (1-based columns) and code snippet, files that could not be
 * scanned as tool execution notifications, and Bandit's metrics under the run's properties. */
#include "scan/scan_int.h"
#include "base/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *sarif_level(int severity)
{
    return severity == DP_SCAN_HIGH ? "error" : severity == DP_SCAN_MEDIUM ? "warning" : "note";
}

/* A relative URI reference for a path: "./" dropped, bytes outside the unreserved and
 * sub-delimiter sets percent-encoded. */
static void uri(struct dp_sbuf *b, const char *path)
{
    while (path[0] == '.' && path[1] == '/') path += 2;
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/!$&'()*+,;=:@", *p)) {
            dp_sbuf_putc(b, (char)*p);
        } else {
            dp_sbuf_putc(b, '%');
            dp_sbuf_putc(b, hex[*p >> 4]);
            dp_sbuf_putc(b, hex[*p & 15]);
        }
    }
}

/* The rules that appear in the shown results, in first-appearance order. */
struct rule_ref { const char *id, *name, *help; int cwe; };

static int rule_index(struct rule_ref *rs, int *n, const struct dp_scan_issue *is)
{
    for (int i = 0; i < *n; i++)
        if (!strcmp(rs[i].id, is->test_id)) return i;
    rs[*n] = (struct rule_ref){is->test_id, is->test_name, is->more_info, is->cwe};
    return (*n)++;
}

static void region(struct dp_jw *w, const struct dp_scan_issue *is)
{
    dp_jw_key(w, "region");
    dp_jw_obj_begin(w);
    dp_jw_key(w, "startLine");
    dp_jw_int(w, is->lineno > 0 ? is->lineno : 1);
    dp_jw_key(w, "startColumn");
    dp_jw_int(w, is->col_offset + 1);
    if (is->line_last >= is->lineno && is->lineno > 0) {
        dp_jw_key(w, "endLine");
        dp_jw_int(w, is->line_last);
    }
    if (is->end_col_offset > 0 && is->line_last >= is->lineno) {
        dp_jw_key(w, "endColumn");
        dp_jw_int(w, is->end_col_offset + 1);
    }
    dp_jw_key(w, "snippet");
    dp_jw_obj_begin(w);
    dp_jw_key(w, "text");
    dp_jw_str(w, is->code ? is->code : "");
    dp_jw_obj_end(w);
    dp_jw_obj_end(w);
}

static void result(struct dp_jw *w, struct dp_sbuf *tmp, const struct dp_scan_issue *is, const char *path, int ri)
{
    dp_jw_obj_begin(w);
    dp_jw_key(w, "ruleId");
    dp_jw_str(w, is->test_id);
    dp_jw_key(w, "ruleIndex");
    dp_jw_int(w, ri);
    dp_jw_key(w, "level");
    dp_jw_str(w, sarif_level(is->severity));
    dp_jw_key(w, "message");
    dp_jw_obj_begin(w);
    dp_jw_key(w, "text");
    dp_jw_str(w, is->text);
    dp_jw_obj_end(w);
    dp_jw_key(w, "locations");
    dp_jw_arr_begin(w);
    dp_jw_obj_begin(w);
    dp_jw_key(w, "physicalLocation");
    dp_jw_obj_begin(w);
    dp_jw_key(w, "artifactLocation");
    dp_jw_obj_begin(w);
    dp_sbuf_reset(tmp);
    uri(tmp, path);
    dp_jw_key(w, "uri");
    dp_jw_str(w, tmp->p ? tmp->p : "");
    dp_jw_obj_end(w);
    region(w, is);
    dp_jw_obj_end(w);
    dp_jw_obj_end(w);
    dp_jw_arr_end(w);
    dp_jw_key(w, "properties");
    dp_jw_obj_begin(w);
    dp_jw_key(w, "issue_severity");
    dp_jw_str(w, dp_scan_level_name(is->severity));
    dp_jw_key(w, "issue_confidence");
    dp_jw_str(w, dp_scan_level_name(is->confidence));
    dp_jw_key(w, "line_range");
    dp_jw_arr_begin(w);
    dp_jw_int(w, is->line_first);
    dp_jw_int(w, is->line_last);
    dp_jw_arr_end(w);
    if (is->resolved) { dp_jw_key(w, "resolved"); dp_jw_str(w, is->resolved); }
    if (is->evidence) { dp_jw_key(w, "evidence"); dp_jw_str(w, is->evidence); }
    dp_jw_obj_end(w);
    dp_jw_obj_end(w);
}

static void driver(struct dp_jw *w, const struct rule_ref *rs, int nr, const struct dp_scan_out_opts *o)
{
    dp_jw_key(w, "tool");
    dp_jw_obj_begin(w);
    dp_jw_key(w, "driver");
    dp_jw_obj_begin(w);
    dp_jw_key(w, "name");
    dp_jw_str(w, "dpoison");
    dp_jw_key(w, "version");
    dp_jw_str(w, o->tool_version ? o->tool_version : "0.1.0");
    dp_jw_key(w, "informationUri");
    dp_jw_str(w, "https://bandit.readthedocs.io/en/1.9.4/");
    dp_jw_key(w, "rules");
    dp_jw_arr_begin(w);
    char tag[32];
    for (int i = 0; i < nr; i++) {
        dp_jw_obj_begin(w);
        dp_jw_key(w, "id");
        dp_jw_str(w, rs[i].id);
        dp_jw_key(w, "name");
        dp_jw_str(w, rs[i].name);
        if (rs[i].help && rs[i].help[0]) {
            dp_jw_key(w, "helpUri");
            dp_jw_str(w, rs[i].help);
        }
        dp_jw_key(w, "properties");
        dp_jw_obj_begin(w);
        dp_jw_key(w, "tags");
        dp_jw_arr_begin(w);
        dp_jw_str(w, "security");
        if (rs[i].cwe) {
            snprintf(tag, sizeof tag, "CWE-%d", rs[i].cwe);
            dp_jw_str(w, tag);
        }
        dp_jw_arr_end(w);
        dp_jw_obj_end(w);
        dp_jw_obj_end(w);
    }
    dp_jw_arr_end(w);
    dp_jw_obj_end(w);
    dp_jw_obj_end(w);
}

static void invocation(struct dp_jw *w, struct dp_sbuf *tmp, const struct dp_scan_results *r, const char *ts)
{
    dp_jw_key(w, "invocations");
    dp_jw_arr_begin(w);
    dp_jw_obj_begin(w);
    dp_jw_key(w, "executionSuccessful");
    dp_jw_bool(w, true);
    dp_jw_key(w, "endTimeUtc");
    dp_jw_str(w, ts);
    dp_jw_key(w, "toolExecutionNotifications");
    dp_jw_arr_begin(w);
    for (int f = 0; f < r->nfiles; f++) {
        if (!r->files[f].error) continue;
        dp_jw_obj_begin(w);
        dp_jw_key(w, "level");
        dp_jw_str(w, "error");
        dp_jw_key(w, "message");
        dp_jw_obj_begin(w);
        dp_jw_key(w, "text");
        dp_jw_str(w, r->files[f].error);
        dp_jw_obj_end(w);
        dp_jw_key(w, "locations");
        dp_jw_arr_begin(w);
        dp_jw_obj_begin(w);
        dp_jw_key(w, "physicalLocation");
        dp_jw_obj_begin(w);
        dp_jw_key(w, "artifactLocation");
        dp_jw_obj_begin(w);
        dp_sbuf_reset(tmp);
        uri(tmp, r->files[f].path);
        dp_jw_key(w, "uri");
        dp_jw_str(w, tmp->p ? tmp->p : "");
        dp_jw_obj_end(w);
        dp_jw_obj_end(w);
        dp_jw_obj_end(w);
        dp_jw_arr_end(w);
        dp_jw_obj_end(w);
    }
    dp_jw_arr_end(w);
    dp_jw_obj_end(w);
    dp_jw_arr_end(w);
}

void dp_scan_write_sarif(struct dp_sbuf *out, const struct dp_scan_results *r, const struct dp_scan_out_opts *o)
{
    char ts[64];
    if (o->now) snprintf(ts, sizeof ts, "%s", o->now);
    else {
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    long total = 0;
    for (int f = 0; f < r->nfiles; f++) total += r->files[f].nissues;
    struct rule_ref *rs = dp_xmalloc((size_t)(total + 1) * sizeof *rs);
    int nr = 0;
    for (int f = 0; f < r->nfiles; f++)
        for (int i = 0; i < r->files[f].nissues; i++)
            if (dp_scan_issue_shown(&r->files[f].issues[i], o)) rule_index(rs, &nr, &r->files[f].issues[i]);
    struct dp_sbuf tmp = {0};
    struct dp_jw w;
    dp_jw_init(&w, out, 2);
    dp_jw_obj_begin(&w);
    dp_jw_key(&w, "$schema");
    dp_jw_str(&w, "https://json.schemastore.org/sarif-2.1.0.json");
    dp_jw_key(&w, "version");
    dp_jw_str(&w, "2.1.0");
    dp_jw_key(&w, "runs");
    dp_jw_arr_begin(&w);
    dp_jw_obj_begin(&w);
    driver(&w, rs, nr, o);
    invocation(&w, &tmp, r, ts);
    dp_jw_key(&w, "results");
    dp_jw_arr_begin(&w);
    for (int f = 0; f < r->nfiles; f++)
        for (int i = 0; i < r->files[f].nissues; i++) {
            const struct dp_scan_issue *is = &r->files[f].issues[i];
            if (dp_scan_issue_shown(is, o)) result(&w, &tmp, is, r->files[f].path, rule_index(rs, &nr, is));
        }
    dp_jw_arr_end(&w);
    struct dp_scan_metrics tot;
    dp_scan_totals(r, &tot);
    dp_jw_key(&w, "properties");
    dp_jw_obj_begin(&w);
    dp_jw_key(&w, "metrics");
    dp_jw_obj_begin(&w);
    dp_jw_key(&w, "loc");
    dp_jw_int(&w, tot.loc);
    dp_jw_key(&w, "nosec");
    dp_jw_int(&w, tot.nosec);
    dp_jw_key(&w, "skipped_tests");
    dp_jw_int(&w, tot.skipped_tests);
    dp_jw_obj_end(&w);
    dp_jw_obj_end(&w);
    dp_jw_obj_end(&w);
    dp_jw_arr_end(&w);
    dp_jw_obj_end(&w);
    dp_sbuf_free(&tmp);
    free(rs);
}
