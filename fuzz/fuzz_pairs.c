/* libFuzzer target for the TRL JSONL pairs reader (src/train/data.c, the part before the
 * tokenizer): every line must parse or fail with a DP_EFORMAT error at a line >= 1 of the
 * input; a parsed record has a prompt and completions, and a completion marked as ending with
 * <|im_end|> ends with exactly one and no newline after it. */
#include "train/data.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_end(const char *s, bool end)
{
    size_t n = strlen(s), le = strlen("<|im_end|>");
    if (!end) return;
    if (n < le || memcmp(s + n - le, "<|im_end|>", le) != 0) abort();
    if (n >= 2 * le && memcmp(s + n - 2 * le, "<|im_end|>", le) == 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dp_pairs_opts o;
    dp_pairs_opts_default(&o);
    o.raw = size > 0 && (data[0] & 1);
    if (size > 0 && (data[0] & 2)) o.system = NULL;
    struct dp_arena a;
    dp_arena_init(&a, 0);
    const char *s = (const char *)data;
    int lineno = 0;
    for (size_t i = 0; i < size;) {
        const char *nl = memchr(s + i, '\n', size - i);
        size_t len = nl ? (size_t)(nl - (s + i)) : size - i;
        struct dp_pair_text t;
        struct dp_error e = {0};
        lineno++;
        if (dp_pair_parse(&a, s + i, len, "fuzz", lineno, &o, &t, &e) != 0) {
            if (e.code != DP_EFORMAT || e.line < lineno) abort();
        } else {
            if (!t.prompt || !t.chosen || !t.rejected) abort();
            check_end(t.chosen, t.end_chosen);
            check_end(t.rejected, t.end_rejected);
        }
        dp_arena_reset(&a);
        i += len + 1;
    }
    dp_arena_free(&a);
    return 0;
}
