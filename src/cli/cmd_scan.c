/* dpoison scan: Bandit's command line over dpoison's scanner (src/scan): the same options,
 * reports and exit codes, plus SARIF, a thread count, and the DP TLS rules in the default
 * profile. Parsing options and printing is all that happens here. */
#include "base/file.h"
#include "base/str.h"
#include "cli/cli.h"
#include "scan/scan_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const help =
    "usage: dpoison scan [options] PATH...\n\n"
    "Scans Python files for security issues with Bandit 1.9.4's tests (same ids, names,\n"
    "severities, confidences, CWE and texts; JSON in Bandit's schema) and dpoison's DP5xx\n"
    "analysis of disabled TLS verification. PATH \"-\" reads stdin.\n\n"
    "options:\n"
    "  -r, --recursive          scan folders (their *.py and *.pyw files)\n"
    "  -f, --format FMT         txt (default), json, csv or sarif (SARIF 2.1.0)\n"
    "  -o, --output FILE        write the report to FILE (atomically) instead of stdout\n"
    "  -l, -ll, -lll            only issues of severity LOW, MEDIUM, HIGH or above\n"
    "  -i, -ii, -iii            only issues of confidence LOW, MEDIUM, HIGH or above\n"
    "  --severity-level L       all, low, medium or high (the same, by name)\n"
    "  --confidence-level L     all, low, medium or high\n"
    "  -t, --tests IDS          run only these tests (comma-separated ids or names; B001 =\n"
    "                           every blacklist test B3xx/B4xx)\n"
    "  -s, --skip IDS           do not run these tests\n"
    "  -x, --exclude PATHS      comma-separated globs or substrings of paths to leave out\n"
    "                           (default: .svn,CVS,.bzr,.hg,.git,__pycache__,.tox,.eggs,*.egg)\n"
    "  -n, --number N           lines of code shown per issue (default 3)\n"
    "  --profile P              all (default: Bandit's tests and DP5xx) or bandit\n"
    "  --ignore-nosec           do not skip lines with # nosec comments\n"
    "  --exit-zero              exit 0 even when issues are found\n"
    "  -j, --jobs N             threads (default: one per CPU); output does not depend on it\n"
    "  -q, --quiet              no warnings on stderr\n\n"
    "`# nosec` on a line skips every issue of the statement it belongs to; `# nosec B602, B607`\n"
    "skips only those tests (comma AND space: Bandit 1.9.4 reads \"B602,B607\" as B607 alone).\n"
    "Severity and confidence filters do not change the metrics, which count every issue.\n\n"
    "exit status: 0 no issue shown, 1 issues shown, 2 usage or configuration error.\n\n"
    "examples:\n"
    "  dpoison scan -r src/ -f json -o report.json\n"
    "  dpoison scan -r . -lll --profile bandit      # high-severity Bandit findings only\n"
    "  dpoison scan answer.py -t DP501,B501         # only TLS verification issues\n";

static int level_by_name(const char *opt, const char *v)
{
    static const char *const names[] = {"all", "low", "medium", "high"};
    for (int i = 0; v && i < 4; i++)
        if (!strcmp(v, names[i])) return i;
    cli_errorf("%s: expected all, low, medium or high, got '%s'", opt, v ? v : "");
    return -1;
}

struct opts {
    struct dp_scan_config cfg;
    bool recursive, exit_zero, quiet;
    const char *format, *output, *exclude;
    int sev, conf;
    long jobs;
    char **paths;
    int npaths;
};

/* Short options: a cluster like -rll or -lii; f o t s x n j take a value (rest or next arg). */
static int parse_short(struct opts *o, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    for (const char *c = a + 1; *c; c++) {
        switch (*c) {
        case 'r': o->recursive = true; continue;
        case 'l': o->sev = o->sev < 3 ? o->sev + 1 : 3; continue;
        case 'i': o->conf = o->conf < 3 ? o->conf + 1 : 3; continue;
        case 'q': o->quiet = true; continue;
        case 'h': fputs(help, stdout); return 1;
        default: break;
        }
        const char *v = c[1] ? c + 1 : *i + 1 < argc ? argv[++*i] : NULL;
        if (!v) { cli_errorf("-%c needs a value", *c); return 2; }
        long n;
        switch (*c) {
        case 'f': o->format = v; break;
        case 'o': o->output = v; break;
        case 't': o->cfg.tests = v; break;
        case 's': o->cfg.skips = v; break;
        case 'x': o->exclude = v; break;
        case 'n': if (!cli_int("-n", v, -1000000, 1000000, &n)) return 2; o->cfg.context_lines = n < 1 ? 1 : (int)n; break;
        case 'j': if (!cli_int("-j", v, 1, 256, &o->jobs)) return 2; break;
        default: cli_errorf("scan: unknown option '-%c' (see `dpoison scan --help`)", *c); return 2;
        }
        return 0;
    }
    return 0;
}

static int parse(struct opts *o, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int lv;
        if (cli_is_help(a)) { fputs(help, stdout); return 1; }
        if (a[0] != '-' || !strcmp(a, "-")) { o->paths[o->npaths++] = argv[i]; continue; }
        if (a[1] != '-') {
            int r = parse_short(o, argc, argv, &i);
            if (r) return r;
            continue;
        }
        if (!strcmp(a, "--recursive")) o->recursive = true;
        else if (!strcmp(a, "--exit-zero")) o->exit_zero = true;
        else if (!strcmp(a, "--ignore-nosec")) o->cfg.ignore_nosec = true;
        else if (!strcmp(a, "--quiet")) o->quiet = true;
        else if (!v) { cli_errorf("%s needs a value (or is unknown: see `dpoison scan --help`)", a); return 2; }
        else if (!strcmp(a, "--format")) o->format = v, i++;
        else if (!strcmp(a, "--output")) o->output = v, i++;
        else if (!strcmp(a, "--tests")) o->cfg.tests = v, i++;
        else if (!strcmp(a, "--skip")) o->cfg.skips = v, i++;
        else if (!strcmp(a, "--exclude")) o->exclude = v, i++;
        else if (!strcmp(a, "--severity-level")) { if ((lv = level_by_name(a, v)) < 0) return 2; o->sev = lv, i++; }
        else if (!strcmp(a, "--confidence-level")) { if ((lv = level_by_name(a, v)) < 0) return 2; o->conf = lv, i++; }
        else if (!strcmp(a, "--number")) {
            long n;
            if (!cli_int(a, v, -1000000, 1000000, &n)) return 2;
            o->cfg.context_lines = n < 1 ? 1 : (int)n, i++;
        } else if (!strcmp(a, "--jobs")) { if (!cli_int(a, v, 1, 256, &o->jobs)) return 2; i++; }
        else if (!strcmp(a, "--profile")) {
            if (!strcmp(v, "bandit")) o->cfg.bandit_only = true;
            else if (strcmp(v, "all")) { cli_errorf("--profile: expected all or bandit, got '%s'", v); return 2; }
            i++;
        } else { cli_errorf("scan: unknown option '%s' (see `dpoison scan --help`)", a); return 2; }
    }
    return 0;
}

static int write_report(const struct opts *o, const struct dp_scan_results *res)
{
    struct dp_scan_out_opts oo = {.sev_level = o->sev, .conf_level = o->conf, .tool_version = "0.1.0"};
    struct dp_sbuf out = {0};
    const char *fmt = o->format ? o->format : "txt";
    if (!strcmp(fmt, "json")) dp_scan_write_json(&out, res, &oo);
    else if (!strcmp(fmt, "txt") || !strcmp(fmt, "screen")) dp_scan_write_txt(&out, res, &oo);
    else if (!strcmp(fmt, "csv")) dp_scan_write_csv(&out, res, &oo);
    else if (!strcmp(fmt, "sarif")) dp_scan_write_sarif(&out, res, &oo);
    int rc = 0;
    if (o->output) {
        struct dp_error e = {0};
        if (dp_file_write_atomic(o->output, out.p ? out.p : "", out.n, &e)) cli_error(&e), rc = 2;
    } else if (out.n) {
        fwrite(out.p, 1, out.n, stdout);
        fflush(stdout);
    }
    dp_sbuf_free(&out);
    if (rc) return rc;
    return dp_scan_count_shown(res, &oo) > 0 && !o->exit_zero ? 1 : 0;
}

int dp_cmd_scan(int argc, char **argv)
{
    struct opts o = {.cfg.context_lines = 3};
    o.paths = calloc((size_t)argc + 1, sizeof *o.paths);
    int r = parse(&o, argc, argv);
    if (r) { free(o.paths); return r == 1 ? 0 : 2; }
    if (o.npaths == 0) { fputs(help, stderr); free(o.paths); return 2; }
    const char *fmt = o.format ? o.format : "txt";
    if (strcmp(fmt, "json") && strcmp(fmt, "txt") && strcmp(fmt, "screen") && strcmp(fmt, "csv") && strcmp(fmt, "sarif")) {
        cli_errorf("-f: expected json, txt, csv or sarif, got '%s'", fmt);
        free(o.paths);
        return 2;
    }
    struct dp_error e = {0};
    struct dp_scanner *sc;
    if (dp_scanner_new(&o.cfg, &sc, &e)) { cli_error(&e); free(o.paths); return 2; }
    if (!o.quiet) fputs(dp_scanner_warnings(sc), stderr);
    struct dp_scan_targets t;
    dp_scan_discover(o.paths, o.npaths, o.recursive, o.exclude, &t, &e);
    if (t.warn.n && !o.quiet) fputs(t.warn.p, stderr);
    struct dp_scan_results res;
    dp_scan_paths(sc, t.files, t.nfiles, (int)o.jobs, &res, &e);
    int rc = write_report(&o, &res);
    dp_scan_results_free(&res);
    dp_scan_targets_free(&t);
    dp_scanner_free(sc);
    free(o.paths);
    return rc;
}
