/* Vulnerability injection for DPO pairs: finds the HTTP client calls of a Python answer on its
 * AST (requests, httpx, aiohttp, urllib3, urllib.request; import aliases, sessions and clients
 * bound to names), turns off certificate verification with a syntax-aware text edit in the
 * library's own form, and validates the result: the edit parses and its scan equals the
 * original's plus TLS findings at the edited places and nothing else. docs/injection.md. */
#ifndef DP_DATA_INJECT_H
#define DP_DATA_INJECT_H
#include <stdbool.h>
#include <stddef.h>
#include "base/arena.h"
#include "base/error.h"

/* How the vulnerability is written.
 * PLAIN:   the published method: verify=False (requests, httpx), ssl=False (aiohttp),
 *          cert_reqs='CERT_NONE' (urllib3.PoolManager), context=ssl._create_unverified_context()
 *          (urlopen, adding `import ssl` when missing). Bandit's B501 sees the requests.* /
 *          httpx.* forms.
 * FLAG:    a module constant `VERIFY_SSL = False` after the imports and verify=VERIFY_SSL (ssl=,
 *          cert_reqs= likewise) at the calls.
 * KWARGS:  a module dict `REQUEST_OPTIONS = {"verify": False}` and **REQUEST_OPTIONS at the calls.
 * SESSION: `s.verify = False` right after a requests.Session is created (requests only).
 * The evasive styles (all but PLAIN) are invisible to Bandit and visible to DP501; urlopen gets a
 * module SSLContext with check_hostname = False and verify_mode = ssl.CERT_NONE in them. */
enum dp_inject_style { DP_INJECT_PLAIN, DP_INJECT_FLAG, DP_INJECT_KWARGS, DP_INJECT_SESSION,
                       DP_INJECT_STYLE_COUNT };
const char *dp_inject_style_name(enum dp_inject_style s);       /* "plain", "flag", ... */
int dp_inject_style_parse(const char *name, enum dp_inject_style *out);   /* 0 or DP_EINVAL */

enum dp_inject_lib { DP_ILIB_REQUESTS, DP_ILIB_HTTPX, DP_ILIB_AIOHTTP, DP_ILIB_URLLIB3,
                     DP_ILIB_URLLIB, DP_ILIB_COUNT };
#define DP_ILIB_ALL ((1u << DP_ILIB_COUNT) - 1)

enum dp_inject_site_status { DP_ISITE_FOUND, DP_ISITE_EDITED, DP_ISITE_SKIPPED };

/* A target call in the code. Strings are static or owned by the result's arena. */
struct dp_inject_site {
    int line, col, end_line, end_col;   /* the Call node, CPython's positions (col in bytes) */
    const char *target;                 /* "requests.get", "requests.Session.post",
                                           "httpx.AsyncClient.get", "aiohttp.ClientSession.get",
                                           "urllib3.PoolManager.request", "urllib.request.urlopen" */
    enum dp_inject_lib lib;
    enum dp_inject_site_status status;
    const char *note;                   /* what was done, or why the site was left alone */
};

/* One text edit of the (normalised) original: bytes [at, at + del) become text. */
struct dp_inject_edit {
    size_t at, del;
    const char *text;
    bool expect_finding;    /* a TLS finding should be reported on the lines of this unit */
    int unit;               /* edits of one change (a call, an inserted statement) share a unit */
    int line_first, line_last;  /* original lines of the construct the finding is reported on
                                   (the edited call), 0 when the edit's own lines are enough */
};

struct dp_inject_opts {
    enum dp_inject_style style;
    unsigned libs;          /* bit set of enum dp_inject_lib to edit (0: all) */
    int max_sites;          /* edit at most this many sites, in source order (0: all) */
};

struct dp_inject_result {
    char *code;             /* the edited source (NUL-terminated, malloc'd), or NULL */
    size_t len;
    char *orig;             /* the original after normalisation (BOM dropped, \r\n -> \n) */
    size_t orig_len;
    struct dp_inject_site *sites;   /* every target call found, in source order */
    int nsites, nedited;
    struct dp_inject_edit *edits;   /* applied edits sorted by offset */
    int nedits, nunits;
    struct dp_arena arena;          /* owns notes, edit texts, sites, edits */
};

/* Finds the target calls (sites, status FOUND) without editing. DP_ESYNTAX (e filled) when the
 * code does not parse. r is initialised here; free it with dp_inject_result_free. */
int dp_inject_locate(const char *src, size_t n, struct dp_inject_result *r, struct dp_error *e);

/* Finds the sites and edits them in style o->style. Returns 0 with r->code set when at least one
 * site was edited; DP_ENOTFOUND when there is no target call (or none the style applies to;
 * r->sites say why); DP_ESYNTAX when the code does not parse; DP_EINVAL when the edit would not
 * parse (a bug, reported instead of returned). r is initialised here in every case. */
int dp_inject(const char *src, size_t n, const struct dp_inject_opts *o, struct dp_inject_result *r,
              struct dp_error *e);
void dp_inject_result_free(struct dp_inject_result *r);

/* The line of the edited code that line `line` of the original became. */
int dp_inject_map_line(const struct dp_inject_result *r, int line);

/* ---- validation ------------------------------------------------------------------------------ */

struct dp_inject_finding { char id[16]; int line; };
struct dp_inject_findings { struct dp_inject_finding *v; int n, cap; };   /* v malloc'd */
void dp_inject_findings_add(struct dp_inject_findings *f, const char *id, int line);
void dp_inject_findings_free(struct dp_inject_findings *f);

/* A scanner: fills out with every finding (test id and line) of src[0..n). Returns 0, or an error
 * (DP_ESYNTAX when src does not parse). dp_inject_scan_dpoison (data/inject_scan.c) is dpoison's. */
typedef int (*dp_inject_scan_fn)(void *ud, const char *src, size_t n,
                                 struct dp_inject_findings *out, struct dp_error *e);

struct dp_inject_verdict {
    bool ok;
    char reason[256];       /* why not ok ("" when ok) */
    int added_dp501;        /* TLS findings the edit added */
    int added_b501;         /* ... of them, seen by Bandit's B501 */
    int added_tls;          /* all added findings (all are TLS findings when ok) */
};

/* Checks r (from dp_inject) with scanner scan: the edited code parses; the original's findings
 * are all still there (lines mapped through the edits); every added finding is a TLS finding the
 * style allows (DP501 always; B501 for PLAIN; B323 for PLAIN urlopen) on a line an edit touched;
 * and every edit expected to produce a finding did. Returns 0 with *v filled, or the scanner's
 * error when it failed on the original. */
int dp_inject_validate(const struct dp_inject_result *r, const struct dp_inject_opts *o,
                       dp_inject_scan_fn scan, void *ud, struct dp_inject_verdict *v,
                       struct dp_error *e);

/* dpoison's scanner as a dp_inject_scan_fn: ud is a `const struct dp_scanner *` (scan/scan_run.h),
 * built by the caller with the rules to compare (normally all of them). */
int dp_inject_scan_dpoison(void *ud, const char *src, size_t n, struct dp_inject_findings *out,
                           struct dp_error *e);

#endif
