/* dpoison tokenize: the token ids of a file, as Hugging Face tokenizers' encode(text,
 * add_special_tokens=False) gives them for a model's tokenizer.json; with --each, one line per
 * file for many files (the tokenizer parity test runs the stdlib through one process). */
#include "base/file.h"
#include "base/log.h"
#include "cli/cli.h"
#include "tok/tok.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const help =
    "usage: dpoison tokenize --model DIR|tokenizer.json [options] FILE...\n\n"
    "Prints the token ids of FILE (\"-\" for stdin) on one line, separated by spaces, as\n"
    "Hugging Face tokenizers' encode(text, add_special_tokens=False) gives them: nothing is\n"
    "added, and special-token strings in the text (<|im_start|>, <|endoftext|>...) are\n"
    "matched as the special tokens.\n\n"
    "options:\n"
    "  --model PATH    a model folder holding tokenizer.json, or the tokenizer.json file\n"
    "  --each          several FILEs: one line of ids per file, in the order given\n"
    "  --no-special    encode special-token strings in the text as plain text\n"
    "  --tokens        print the tokens as tokenizer.json spells them instead of ids\n"
    "  --stats         print files, megabytes, seconds and MB/s of encoding on stderr\n\n"
    "example:\n  dpoison tokenize --model models/qwen examples/fetch.py\n";

struct tok_opts {
    const char *model;
    bool each, special, tokens, stats;
};

static void put_line(const struct dp_tok *t, const struct dp_tok_ids *ids, bool tokens,
                     struct dp_sbuf *out)
{
    dp_sbuf_reset(out);
    for (size_t i = 0; i < ids->n; i++) {
        if (i) dp_sbuf_putc(out, ' ');
        if (tokens) {
            size_t n;
            const char *s = dp_tok_token_str(t, ids->v[i], &n);
            dp_sbuf_put(out, s, n);
            continue;
        }
        char num[16];
        int k = 0;
        unsigned v = (unsigned)ids->v[i];
        do num[k++] = (char)('0' + v % 10); while (v /= 10);
        while (k) dp_sbuf_putc(out, num[--k]);
    }
    dp_sbuf_putc(out, '\n');
    fwrite(out->p, 1, out->n, stdout);
}

static int parse_opts(int argc, char **argv, struct tok_opts *o, int *first)
{
    *first = argc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) { fputs(help, stdout); return 0; }
        if (!strcmp(a, "--model")) {
            if (i + 1 >= argc) { cli_errorf("--model needs a value"); return 2; }
            o->model = argv[++i];
        } else if (!strcmp(a, "--each")) o->each = true;
        else if (!strcmp(a, "--no-special")) o->special = false;
        else if (!strcmp(a, "--tokens")) o->tokens = true;
        else if (!strcmp(a, "--stats")) o->stats = true;
        else if (a[0] == '-' && a[1]) {
            cli_errorf("tokenize: unknown option '%s' (see `dpoison tokenize --help`)", a);
            return 2;
        } else { *first = i; break; }
    }
    if (!o->model || *first >= argc) { fputs(help, stderr); return 2; }
    if (!o->each && argc - *first != 1) {
        cli_errorf("tokenize: one FILE (use --each for several)");
        return 2;
    }
    return -1;
}

int dp_cmd_tokenize(int argc, char **argv)
{
    struct tok_opts o = {.special = true};
    int first, rc = parse_opts(argc, argv, &o, &first);
    if (rc >= 0) return rc;
    struct dp_error e = {0};
    struct dp_tok *t;
    if (dp_tok_load(o.model, &t, &e)) { cli_error(&e); return 1; }
    struct dp_tok_ids ids = {0};
    struct dp_sbuf line = {0};
    double secs = 0, mb = 0;
    int failed = 0;
    for (int i = first; i < argc; i++) {
        char *text;
        size_t n;
        ids.n = 0;
        if (dp_file_read(argv[i], &text, &n, &e)) {
            cli_error(&e);
            failed++;
            fputc('\n', stdout);   /* keeps one line per file */
            continue;
        }
        double t0 = dp_now();
        if (dp_tok_encode(t, text, n, o.special, &ids, &e)) {
            snprintf(e.path, sizeof e.path, "%s", argv[i]);
            cli_error(&e);
            failed++;
        }
        secs += dp_now() - t0;
        mb += (double)n / 1e6;
        put_line(t, &ids, o.tokens, &line);
        free(text);
    }
    if (o.stats)
        fprintf(stderr, "tokenize: %d files, %.2f MB in %.3f s (%.2f MB/s)\n", argc - first, mb,
                secs, secs > 0 ? mb / secs : 0.0);
    dp_sbuf_free(&line);
    dp_tok_ids_free(&ids);
    dp_tok_free(t);
    return failed ? 1 : 0;
}
