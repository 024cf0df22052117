/* The scanner's driver against Bandit 1.9.4's semantics, on small sources: import alias
 * resolution, the blacklists (B3xx/B4xx) and B324, `# nosec` and its metrics, line ranges and code
 * snippets, lines of code, unparsable files, test selection and profiles. Expected values follow
 * Bandit's code paths (docs/bandit-parity.md); whole-tree parity is stdlib_parity.test.sh. */
#include "harness.h"
#include "scan/rules/blacklist.h"
#include "scan/scan_run.h"
#include <stdlib.h>

static struct dp_scan_results res;
static struct dp_scanner *sc;

static const struct dp_scan_result_file *scan_cfg(const char *src, struct dp_scan_config cfg)
{
    struct dp_error e = {0};
    dp_scan_results_free(&res);
    dp_scanner_free(sc);
    sc = NULL;
    if (dp_scanner_new(&cfg, &sc, &e)) {
        fprintf(stderr, "scanner: %s\n", e.msg);
        return NULL;
    }
    dp_scan_buffer(sc, "t.py", src, strlen(src), &res);
    return &res.files[0];
}

static const struct dp_scan_result_file *scan(const char *src)
{
    return scan_cfg(src, (struct dp_scan_config){.bandit_only = true});
}

/* The n-th issue with this id (0-based), or NULL. */
static const struct dp_scan_issue *find(const struct dp_scan_result_file *f, const char *id, int nth)
{
    for (int i = 0; f && i < f->nissues; i++)
        if (!strcmp(f->issues[i].test_id, id) && nth-- == 0) return &f->issues[i];
    return NULL;
}

static int count(const struct dp_scan_result_file *f, const char *id)
{
    int k = 0;
    for (int i = 0; f && i < f->nissues; i++) k += !strcmp(f->issues[i].test_id, id);
    return k;
}

static void test_import_alias(void)
{
    const struct dp_scan_result_file *f = scan("import pickle as pk\npk.loads(b)\n");
    const struct dp_scan_issue *i = find(f, "B403", 0);
    EXPECT(i && i->lineno == 1);
    if (i) EXPECT_STR(i->text, "Consider possible security implications associated with pickle module.");
    i = find(f, "B301", 0);
    EXPECT(i && i->lineno == 2 && i->col_offset == 0 && i->end_col_offset == 11);
    if (i) EXPECT_STR(i->test_name, "blacklist");
}

static void test_from_import_alias(void)
{
    const struct dp_scan_result_file *f = scan("from xml.etree import ElementTree as ET\nET.parse(f)\n"
                                               "import xml.etree.ElementTree as E2\nE2.fromstring(x)\n");
    const struct dp_scan_issue *i = find(f, "B405", 0);
    EXPECT(i && i->lineno == 1);
    if (i) EXPECT(strstr(i->text, "Using ElementTree to parse") == i->text);
    i = find(f, "B314", 0);
    EXPECT(i && i->lineno == 2);
    if (i) EXPECT(strstr(i->text, "Using xml.etree.ElementTree.parse to parse") == i->text);
    i = find(f, "B314", 1);
    EXPECT(i && i->lineno == 4);
    if (i) EXPECT(strstr(i->text, "Using xml.etree.ElementTree.fromstring") == i->text);
    i = find(f, "B405", 1);   /* import xml.etree.ElementTree as E2: reported with the full name */
    EXPECT(i && i->lineno == 3);
    if (i) EXPECT(strstr(i->text, "Using xml.etree.ElementTree to parse") == i->text);
}

static void test_relative_imports(void)
{
    /* `from . import x` runs the Import checks with name x; `from .m import y` reads as m.y */
    const struct dp_scan_result_file *f = scan("from . import pickle\nfrom .pickle import dumps\nimport pickletools\n");
    EXPECT_INT(count(f, "B403"), 3);
    const struct dp_scan_issue *i = find(f, "B403", 1);
    if (i) EXPECT(strstr(i->text, "associated with dumps module") != NULL);
    i = find(f, "B403", 2);   /* prefix match, as Bandit's startswith */
    EXPECT(i && i->lineno == 3);
}

static void test_one_blacklist_hit_per_statement(void)
{
    /* rows are tried in table order: subprocess (B404) comes after pickle (B403) */
    const struct dp_scan_result_file *f = scan("import subprocess, pickle\n");
    EXPECT_INT(f->nissues, 1);
    EXPECT(find(f, "B403", 0) != NULL);
}

static void test_dynamic_imports(void)
{
    const struct dp_scan_result_file *f = scan("__import__('telnetlib')\nimportlib.import_module('pickle')\n"
                                               "__import__(name)\nimportlib.import_module(name='ftplib')\n");
    EXPECT(find(f, "B401", 0) && find(f, "B401", 0)->lineno == 1);
    EXPECT(find(f, "B403", 0) && find(f, "B403", 0)->lineno == 2);
    EXPECT(find(f, "B402", 0) && find(f, "B402", 0)->lineno == 4);
    EXPECT_INT(f->nissues, 3);   /* __import__(name) is "UNKNOWN": no row */
}

static void test_call_globs_and_names(void)
{
    const struct dp_scan_result_file *f = scan("from ftplib import FTP\nFTP()\nimport telnetlib as t\nt.Telnet()\n"
                                               "eval('1')\nx.eval('1')\n");
    EXPECT(find(f, "B321", 0) && find(f, "B321", 0)->lineno == 2);
    EXPECT(find(f, "B312", 0) && find(f, "B312", 0)->lineno == 4);
    EXPECT_INT(count(f, "B307"), 1);   /* x.eval is "x.eval", not "eval" */
    const struct dp_scan_issue *i = find(f, "B321", 0);
    if (i) EXPECT_STR(i->more_info, "https://bandit.readthedocs.io/en/1.9.4/blacklists/blacklist_calls.html#b321-ftplib");
}

static void test_hashlib_b324(void)
{
    const struct dp_scan_result_file *f = scan("import hashlib\nhashlib.md5(b)\nhashlib.md5(b, usedforsecurity=False)\n"
                                               "hashlib.new('SHA1')\nhashlib.sha256(b)\nfrom hashlib import sha1\nsha1(b)\n"
                                               "import crypt\ncrypt.crypt(p, crypt.METHOD_MD5)\n");
    EXPECT_INT(count(f, "B324"), 4);
    const struct dp_scan_issue *i = find(f, "B324", 0);
    if (i) {
        EXPECT_STR(i->text, "Use of weak MD5 hash for security. Consider usedforsecurity=False");
        EXPECT(i->severity == DP_SCAN_HIGH && i->confidence == DP_SCAN_HIGH && i->cwe == 327);
        EXPECT_STR(i->more_info, "https://bandit.readthedocs.io/en/1.9.4/plugins/b324_hashlib.html");
    }
    i = find(f, "B324", 1);
    EXPECT(i && i->lineno == 4);
    if (i) EXPECT_STR(i->text, "Use of weak SHA1 hash for security. Consider usedforsecurity=False");
    i = find(f, "B324", 3);
    EXPECT(i && i->lineno == 9 && i->severity == DP_SCAN_MEDIUM);
    if (i) EXPECT_STR(i->text, "Use of insecure crypt.METHOD_MD5 hash function.");
}

static void test_nosec_blanket_and_ids(void)
{
    const struct dp_scan_result_file *f = scan("eval(a)  # nosec\neval(b)  #nosec\neval(c)  # nosec B307\n"
                                               "eval(d)  # nosec B101\neval(e)  # nosec: eval\n"
                                               "eval(f)  # nosec this is fine\neval(g)  # noqa\n");
    EXPECT_INT(count(f, "B307"), 2);    /* d (names another test) and g */
    EXPECT(find(f, "B307", 0) && find(f, "B307", 0)->lineno == 4);
    EXPECT(find(f, "B307", 1) && find(f, "B307", 1)->lineno == 7);
    EXPECT_INT(f->m.nosec, 3);          /* a, b, f: blanket */
    EXPECT_INT(f->m.skipped_tests, 2);  /* c by id, e by name */
}

static void test_nosec_comma_quirk(void)
{
    /* Bandit's regex keeps the last item of "B1,B2": B101,B307 names B307 only; B307,B101 B101 only */
    const struct dp_scan_result_file *f = scan("eval(a)  # nosec B101,B307\neval(b)  # nosec B307,B101\n"
                                               "eval(c)  # nosec B307, B101\neval(d)  # nosec b307\n");
    EXPECT_INT(count(f, "B307"), 1);
    EXPECT(find(f, "B307", 0) && find(f, "B307", 0)->lineno == 2);
    EXPECT_INT(f->m.skipped_tests, 2);
    EXPECT_INT(f->m.nosec, 1);          /* "b307" is no id: the comment is a blanket nosec */
}

static void test_nosec_multiline_and_strings(void)
{
    const struct dp_scan_result_file *f = scan("eval(\n    a)  # nosec\nx = '# nosec'; eval(b)\n"
                                               "s = '''\n# nosec\n'''; eval(c)\n");
    EXPECT_INT(count(f, "B307"), 2);    /* the nosec on line 2 covers the call on lines 1-2 */
    EXPECT(find(f, "B307", 0) && find(f, "B307", 0)->lineno == 3);
    EXPECT(find(f, "B307", 1) && find(f, "B307", 1)->lineno == 6);
    f = scan_cfg("eval(a)  # nosec\n", (struct dp_scan_config){.bandit_only = true, .ignore_nosec = true});
    EXPECT_INT(count(f, "B307"), 1);
    EXPECT_INT(f->m.nosec, 0);
}

static void test_range_and_code(void)
{
    const struct dp_scan_result_file *f = scan("x = 1\ny = eval(\n  z)\nw = 2\nv = 3\n");
    const struct dp_scan_issue *i = find(f, "B307", 0);
    EXPECT(i && i->lineno == 2 && i->line_first == 2 && i->line_last == 3 && i->col_offset == 4 &&
           i->end_col_offset == 4);
    if (i) EXPECT_STR(i->code, "1 x = 1\n2 y = eval(\n3   z)\n4 w = 2\n");
    f = scan_cfg("eval(a)", (struct dp_scan_config){.bandit_only = true, .context_lines = 5});
    i = find(f, "B307", 0);
    if (i) EXPECT_STR(i->code, "1 eval(a)\n");
    f = scan("a = 1\r\nb = 2\r\neval(c)\r\nd = 4\r\n");
    i = find(f, "B307", 0);
    if (i) EXPECT_STR(i->code, "2 b = 2\n3 eval(c)\n4 d = 4\n");
}

static void test_metrics(void)
{
    const struct dp_scan_result_file *f = scan("# c\n\nx = 1\n  # d\ny = 2\n\t\n");
    EXPECT_INT(f->m.loc, 2);
    EXPECT(f->m.counted && !f->error && f->has_metrics);
    f = scan("import pickle\nimport subprocess\neval(x)\n");
    EXPECT_INT(f->m.sev[DP_SCAN_LOW], 2);
    EXPECT_INT(f->m.sev[DP_SCAN_MEDIUM], 1);
    EXPECT_INT(f->m.conf[DP_SCAN_HIGH], 3);
    f = scan("def f(:\n    pass\n");
    EXPECT(f->error && !strcmp(f->error, "syntax error while parsing AST from file"));
    EXPECT(!f->m.counted && f->has_metrics);
    EXPECT_INT(f->m.loc, 2);
    EXPECT_INT(f->nissues, 0);
}

static void test_selection(void)
{
    const char *src = "import pickle\neval(x)\nassert x\n";
    const struct dp_scan_result_file *f = scan_cfg(src, (struct dp_scan_config){.tests = "B307"});
    EXPECT_INT(f->nissues, 1);
    EXPECT(find(f, "B307", 0) != NULL);
    f = scan_cfg(src, (struct dp_scan_config){.skips = "B001"});
    EXPECT(!find(f, "B307", 0) && !find(f, "B403", 0) && find(f, "B101", 0));
    f = scan_cfg(src, (struct dp_scan_config){.tests = "B001"});
    EXPECT(find(f, "B307", 0) && find(f, "B403", 0) && !find(f, "B101", 0));
    f = scan_cfg(src, (struct dp_scan_config){.skips = "assert_used,B403"});
    EXPECT(find(f, "B307", 0) && !find(f, "B403", 0) && !find(f, "B101", 0));
    struct dp_scanner *bad;
    struct dp_error e = {0};
    EXPECT(dp_scanner_new(&(struct dp_scan_config){.tests = "B307", .skips = "B307"}, &bad, &e) == DP_EINVAL);
    EXPECT(dp_scanner_new(&(struct dp_scan_config){.tests = "B999"}, &bad, &e) == DP_EINVAL);
}

static void test_profiles(void)
{
    const char *src = "import requests\nrequests.get(u, verify=False, timeout=3)\n";
    const struct dp_scan_result_file *f = scan_cfg(src, (struct dp_scan_config){0});
    EXPECT(find(f, "B501", 0) != NULL);
    EXPECT(find(f, "DP501", 0) != NULL);
    f = scan_cfg(src, (struct dp_scan_config){.bandit_only = true});
    EXPECT(find(f, "B501", 0) && !find(f, "DP501", 0));
}

static void test_blacklist_roots(void)
{
    /* every row's first dotted part is in b001's sorted list of roots (its fast reject) */
    const struct dp_scan_blacklist *tables[2] = {dp_blacklist_calls, dp_blacklist_imports};
    for (int t = 0; t < 2; t++)
        for (const struct dp_scan_blacklist *r = tables[t]; r->id; r++)
            for (const char *const *q = r->qualnames; *q; q++) {
                const char *dot = strchr(*q, '.');
                size_t n = dot ? (size_t)(dot - *q) : strlen(*q);
                EXPECT(!memchr(*q, '*', n) && !memchr(*q, '?', n));
                if (!dp_blacklist_root_known(*q, n)) fprintf(stderr, "root of %s missing\n", *q);
                EXPECT(dp_blacklist_root_known(*q, n));
            }
    EXPECT(!dp_blacklist_root_known("pickle2", 7));
    EXPECT(!dp_blacklist_root_known("os", 2));
}

static void test_fnmatch(void)
{
    EXPECT(dp_scan_fnmatch("ftplib.FTP", "ftplib.*"));
    EXPECT(!dp_scan_fnmatch("ftplib", "ftplib.*"));
    EXPECT(dp_scan_fnmatch("eval", "eval"));
    EXPECT(!dp_scan_fnmatch("evals", "eval"));
    EXPECT(dp_scan_fnmatch("a/b/c.py", "*.py"));
    EXPECT(dp_scan_fnmatch("x.pyw", "*.py?"));
}

int main(void)
{
    RUN(test_import_alias);
    RUN(test_from_import_alias);
    RUN(test_relative_imports);
    RUN(test_one_blacklist_hit_per_statement);
    RUN(test_dynamic_imports);
    RUN(test_call_globs_and_names);
    RUN(test_hashlib_b324);
    RUN(test_nosec_blanket_and_ids);
    RUN(test_nosec_comma_quirk);
    RUN(test_nosec_multiline_and_strings);
    RUN(test_range_and_code);
    RUN(test_metrics);
    RUN(test_selection);
    RUN(test_profiles);
    RUN(test_blacklist_roots);
    RUN(test_fnmatch);
    dp_scan_results_free(&res);
    dp_scanner_free(sc);
    TEST_END();
}
