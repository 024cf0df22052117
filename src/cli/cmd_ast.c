/* dpoison ast: parse Python files and print their trees as CPython's ast.dump would, or only
 * check that they parse (--parse-only, used by bench/parse.sh). */
#include "base/arena.h"
#include "base/file.h"
#include "cli/cli.h"
#include "py/dump.h"
#include "py/parse.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const help =
    "usage: dpoison ast [options] FILE...\n\n"
    "Parses each Python FILE (\"-\" for stdin) and prints its syntax tree exactly as\n"
    "CPython's ast.dump(ast.parse(source)) prints it.\n\n"
    "options:\n"
    "  --indent N             pretty-print like ast.dump(..., indent=N)\n"
    "  --attributes           include lineno/col_offset/end_lineno/end_col_offset\n"
    "  --feature-version V    3.11 (default) or 3.12: which Python's field set to print\n"
    "  --parse-only           print nothing for files that parse; a summary on stderr\n\n"
    "With several files, each tree is preceded by a line \"==> FILE <==\".\n"
    "A file that does not parse gets \"FILE:LINE:COL: SyntaxError: reason\" on stderr and\n"
    "the command goes on with the next file; the exit status is then 1.\n\n"
    "example:\n  dpoison ast --indent 2 examples/fetch.py\n";

int dp_cmd_ast(int argc, char **argv)
{
    struct dp_py_dump_opts dopt = {.indent = -1, .feature_version = 311};
    bool parse_only = false;
    int first = argc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) { fputs(help, stdout); return 0; }
        if (!strcmp(a, "--indent")) {
            long v;
            if (!cli_int(a, i + 1 < argc ? argv[++i] : NULL, 0, 64, &v)) return 2;
            dopt.indent = (int)v;
        } else if (!strcmp(a, "--attributes")) {
            dopt.include_attributes = true;
        } else if (!strcmp(a, "--feature-version")) {
            const char *v = i + 1 < argc ? argv[++i] : "";
            if (!strcmp(v, "3.11")) dopt.feature_version = 311;
            else if (!strcmp(v, "3.12")) dopt.feature_version = 312;
            else { cli_errorf("--feature-version: expected 3.11 or 3.12, got '%s'", v); return 2; }
        } else if (!strcmp(a, "--parse-only")) {
            parse_only = true;
        } else if (a[0] == '-' && a[1]) {
            cli_errorf("ast: unknown option '%s' (see `dpoison ast --help`)", a);
            return 2;
        } else {
            first = i;
            break;
        }
    }
    if (first >= argc) { fputs(help, stderr); return 2; }
    int nfiles = argc - first, failed = 0;
    struct dp_py_parse_opts popt = {.feature_version = dopt.feature_version};
    struct dp_sbuf out = {0};
    struct dp_arena a;
    dp_arena_init(&a, 1 << 20);
    for (int i = first; i < argc; i++) {
        struct dp_error e = {0};
        char *src;
        size_t n;
        if (dp_file_read(argv[i], &src, &n, &e)) {
            cli_error(&e);
            failed++;
            continue;
        }
        struct dp_py_node *root;
        if (dp_py_parse(&a, src, n, argv[i], &popt, &root, &e)) {
            char buf[1200];
            dp_error_format(&e, buf, sizeof buf);
            fprintf(stderr, "%s\n", buf);
            failed++;
        } else if (!parse_only) {
            dp_sbuf_reset(&out);
            if (nfiles > 1) dp_sbuf_printf(&out, "==> %s <==\n", argv[i]);
            dp_py_dump(&out, root, &dopt);
            dp_sbuf_putc(&out, '\n');
            fwrite(out.p, 1, out.n, stdout);
        }
        dp_arena_reset(&a);
        free(src);
    }
    dp_arena_free(&a);
    dp_sbuf_free(&out);
    if (parse_only) fprintf(stderr, "parsed %d files, %d errors\n", nfiles, failed);
    return failed ? 1 : 0;
}
