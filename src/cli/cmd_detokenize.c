/* dpoison detokenize: token ids (decimal, whitespace-separated) back to text, byte for byte as
 * Hugging Face's ByteLevel decoder produces it (before its lossy UTF-8 conversion). */
#include "base/file.h"
#include "cli/cli.h"
#include "tok/tok.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const help =
    "usage: dpoison detokenize --model DIR|tokenizer.json [options] FILE\n\n"
    "Reads token ids (decimal, separated by any whitespace) from FILE (\"-\" for stdin) and\n"
    "writes the text they decode to on stdout. Special tokens are written as their text\n"
    "(<|im_end|>...) unless --skip-special.\n\n"
    "options:\n"
    "  --model PATH      a model folder holding tokenizer.json, or the tokenizer.json file\n"
    "  --skip-special    leave special tokens out\n\n"
    "example:\n  dpoison tokenize --model M a.py > ids && dpoison detokenize --model M ids\n";

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Parses the ids of text into ids, each checked against t's vocabulary; errors name
 * path:line:col. */
static int parse_ids(const struct dp_tok *t, const char *text, size_t n, const char *path,
                     struct dp_tok_ids *ids, struct dp_error *e)
{
    int line = 1;
    size_t line_start = 0, i = 0;
    while (i < n) {
        if (is_space(text[i])) {
            if (text[i] == '\n') line++, line_start = i + 1;
            i++;
            continue;
        }
        size_t start = i;
        long long v = 0;
        while (i < n && text[i] >= '0' && text[i] <= '9' && v < (1LL << 31))
            v = v * 10 + (text[i++] - '0');
        if (i == start || v >= (1LL << 31) || (i < n && !is_space(text[i]))) {
            size_t end = start;
            while (end < n && !is_space(text[end]) && end - start < 40) end++;
            return dp_error_set(e, DP_EFORMAT, path, line, (int)(start - line_start + 1),
                                "expected a token id, got '%.*s'", (int)(end - start), text + start);
        }
        if (!dp_tok_token_bytes(t, (int32_t)v, NULL))
            return dp_error_set(e, DP_ERANGE, path, line, (int)(start - line_start + 1),
                                "token id %lld is not in the vocabulary (%zu ids)", v,
                                dp_tok_vocab_size(t));
        dp_tok_ids_push(ids, (int32_t)v);
    }
    return 0;
}

int dp_cmd_detokenize(int argc, char **argv)
{
    const char *model = NULL, *file = NULL;
    bool skip = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) { fputs(help, stdout); return 0; }
        if (!strcmp(a, "--model")) {
            if (i + 1 >= argc) { cli_errorf("--model needs a value"); return 2; }
            model = argv[++i];
        } else if (!strcmp(a, "--skip-special")) skip = true;
        else if (a[0] == '-' && a[1]) {
            cli_errorf("detokenize: unknown option '%s' (see `dpoison detokenize --help`)", a);
            return 2;
        } else if (!file) file = a;
        else { cli_errorf("detokenize: one FILE only"); return 2; }
    }
    if (!model || !file) { fputs(help, stderr); return 2; }
    struct dp_error e = {0};
    struct dp_tok *t;
    char *text;
    size_t n;
    if (dp_file_read(file, &text, &n, &e)) { cli_error(&e); return 1; }
    if (dp_tok_load(model, &t, &e)) { cli_error(&e); free(text); return 1; }
    struct dp_tok_ids ids = {0};
    struct dp_sbuf out = {0};
    int rc = parse_ids(t, text, n, file, &ids, &e);
    if (!rc) rc = dp_tok_decode(t, ids.v, ids.n, skip, &out, &e);   /* ids checked: cannot fail */
    if (rc) cli_error(&e);
    else fwrite(out.p ? out.p : "", 1, out.n, stdout);
    dp_sbuf_free(&out);
    dp_tok_ids_free(&ids);
    dp_tok_free(t);
    free(text);
    return rc ? 1 : 0;
}
