/* The DP5xx TLS analysis on its corpus: every tests/scan/tls/{unsafe,safe}_*.py is parsed and
 * analysed directly (parser + dp_tls_analyze, no driver), and its findings must equal the
 * sidecar <name>.expected line for line: "LINE:COL RULE CONFIDENCE RESOLVED | EVIDENCE". safe_*
 * files must have none. Also a tool: `test_tls --print FILE...` prints findings in that format,
 * `test_tls --sweep DIR` prints every finding under DIR with its text (for the stdlib review). */
#include <stdio.h>
#include <string.h>
#include "base/arena.h"
#include "base/file.h"
#include "base/str.h"
#include "py/parse.h"
#include "scan/tls/tls.h"
#include <stdlib.h>
#include <time.h>

#define CORPUS "tests/scan/tls"

static const char *level(int l)
{
    static const char *const names[] = {"UNDEFINED", "LOW", "MEDIUM", "HIGH"};
    return l >= 0 && l <= 3 ? names[l] : "?";
}

struct sink { struct dp_sbuf *out; const char *path; bool with_text; int count; };

static void emit(const struct dp_tls_finding *f, void *ud)
{
    struct sink *s = ud;
    const struct dp_tls_rule_info *ri = dp_tls_rule_info(f->rule);
    if (s->path) dp_sbuf_printf(s->out, "%s:", s->path);
    dp_sbuf_printf(s->out, "%d:%d %s %s %s | %s\n", f->node->lineno, f->node->col_offset, ri->id,
                   level(f->confidence), f->resolved ? f->resolved : "-", f->evidence ? f->evidence : "");
    if (s->with_text) dp_sbuf_printf(s->out, "    %s\n", f->text);
    s->count++;
}

/* Parses and analyses one file, appending findings to out; -1 when it cannot be read or parsed. */
static int analyse(const char *path, struct dp_sbuf *out, bool with_path, bool with_text, int *count)
{
    char *src;
    size_t n;
    struct dp_error e = {0};
    if (dp_file_read(path, &src, &n, &e)) return -1;
    struct dp_arena a;
    dp_arena_init(&a, 1 << 16);
    struct dp_py_node *mod = NULL;
    int rc = dp_py_parse(&a, src, n, path, NULL, &mod, &e);
    if (rc == 0) {
        struct sink s = {out, with_path ? path : NULL, with_text, 0};
        dp_tls_analyze(mod, src, n, emit, &s);
        if (count) *count += s.count;
    }
    dp_arena_free(&a);
    free(src);
    return rc ? -1 : 0;
}

/* The expected lines of a sidecar: comments (#) and blank lines dropped. */
static char *expected(const char *py)
{
    char path[1024];
    snprintf(path, sizeof path, "%.*s.expected", (int)(strlen(py) - 3), py);
    char *data;
    size_t n;
    struct dp_error e = {0};
    if (dp_file_read(path, &data, &n, &e)) return NULL;
    struct dp_sbuf b = {0};
    dp_sbuf_puts(&b, "");
    for (char *line = data; *line;) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (len && line[0] != '#') {
            dp_sbuf_put(&b, line, len);
            dp_sbuf_putc(&b, '\n');
        }
        line += len + (nl ? 1 : 0);
    }
    free(data);
    return dp_sbuf_take(&b);
}

struct corpus { int files, unsafe, safe, findings, failed; };

static int check_file(const char *path, void *ud)
{
    struct corpus *c = ud;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    bool unsafe = !strncmp(base, "unsafe_", 7), safe = !strncmp(base, "safe_", 5);
    if (!unsafe && !safe) return 0;
    c->files++;
    c->unsafe += unsafe;
    c->safe += safe;
    struct dp_sbuf got = {0};
    dp_sbuf_puts(&got, "");
    int count = 0;
    bool ok = analyse(path, &got, false, false, &count) == 0;
    c->findings += count;
    char *exp = expected(path);
    if (!exp) {
        fprintf(stderr, "%s: no .expected sidecar\n", path);
        ok = false;
    } else if (strcmp(exp, got.p) != 0) {
        fprintf(stderr, "%s:\n--- expected\n%s--- got\n%s", path, exp, got.p);
        ok = false;
    }
    if (ok && safe && count) {
        fprintf(stderr, "%s: a safe_ file with findings\n", path);
        ok = false;
    }
    if (ok && unsafe && !count) {
        fprintf(stderr, "%s: an unsafe_ file without findings\n", path);
        ok = false;
    }
    printf("%s - tls corpus %s\n", ok ? "ok" : "not ok", base);
    c->failed += !ok;
    free(exp);
    dp_sbuf_free(&got);
    return 0;
}

struct sweep { struct dp_sbuf out; int files, failed, findings; };

static int sweep_file(const char *path, void *ud)
{
    struct sweep *s = ud;
    s->files++;
    if (analyse(path, &s->out, true, true, &s->findings)) s->failed++;
    fputs(s->out.p ? s->out.p : "", stdout);
    dp_sbuf_reset(&s->out);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "--sweep")) {
        struct sweep s = {{0}, 0, 0, 0};
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        struct dp_error e = {0};
        for (int i = 2; i < argc; i++) dp_dir_walk(argv[i], ".py", sweep_file, &s, &e);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        fprintf(stderr, "%d files (%d not parsed), %d findings, %.0f ms\n", s.files, s.failed, s.findings, ms);
        dp_sbuf_free(&s.out);
        return 0;
    }
    if (argc >= 3 && !strcmp(argv[1], "--print")) {
        for (int i = 2; i < argc; i++) {
            struct dp_sbuf out = {0};
            dp_sbuf_puts(&out, "");
            if (analyse(argv[i], &out, false, false, NULL)) fprintf(stderr, "%s: cannot parse\n", argv[i]);
            fputs(out.p, stdout);
            dp_sbuf_free(&out);
        }
        return 0;
    }
    struct corpus c = {0, 0, 0, 0, 0};
    struct dp_error e = {0};
    if (dp_dir_walk(CORPUS, ".py", check_file, &c, &e)) printf("not ok - tls corpus walk: %s\n", e.msg);
    bool sized = c.unsafe >= 40 && c.safe >= 20;
    printf("%s - tls corpus size: %d files (%d unsafe, %d safe), %d findings\n", sized ? "ok" : "not ok",
           c.files, c.unsafe, c.safe, c.findings);
    return c.failed || !sized ? 1 : 0;
}
