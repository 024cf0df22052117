/* libFuzzer target for the SFT record reader (dp_sft_parse in src/train/lm_data.c, the part
 * before the tokenizer): every line must parse or fail with a DP_EFORMAT error at line >= its
 * line of the input and a column >= 1. What parses: non-empty segments; a conversation (any
 * segment without loss) has at least one labeled segment, each labeled segment ends with
 * <|im_end|> and is followed by an unlabeled one that starts with a newline; a {"text"} record
 * is at most one labeled segment; parsing again gives the same segments. The first byte picks
 * the default system prompt (Qwen's or none). */
#include "train/lm.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define IM_END "<|im_end|>"

static void check(const struct dp_sft_seg *s, int n)
{
    bool conv = false;
    for (int i = 0; i < n; i++) {
        if (!s[i].text || !s[i].text[0]) abort();
        conv |= !s[i].loss;
    }
    if (!conv) {
        if (n > 1) abort();
        return;
    }
    int labeled = 0;
    size_t le = strlen(IM_END);
    for (int i = 0; i < n; i++) {
        if (!s[i].loss) continue;
        labeled++;
        size_t k = strlen(s[i].text);
        if (k < le || memcmp(s[i].text + k - le, IM_END, le) != 0) abort();
        if (i + 1 >= n || s[i + 1].loss || s[i + 1].text[0] != '\n') abort();
    }
    if (labeled == 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dp_sft_opts o;
    dp_sft_opts_default(&o);
    if (size > 0 && (data[0] & 1)) o.system = NULL;
    struct dp_arena a, b;
    dp_arena_init(&a, 0);
    dp_arena_init(&b, 0);
    const char *s = (const char *)data;
    int lineno = 0;
    for (size_t i = 0; i < size;) {
        const char *nl = memchr(s + i, '\n', size - i);
        size_t len = nl ? (size_t)(nl - (s + i)) : size - i;
        struct dp_sft_seg *sg, *sg2;
        int ns, ns2;
        struct dp_error e = {0};
        lineno++;
        if (dp_sft_parse(&a, s + i, len, "fuzz", lineno, &o, &sg, &ns, &e) != 0) {
            if (e.code != DP_EFORMAT || e.line < lineno || e.col < 1 || strcmp(e.path, "fuzz") != 0) abort();
        } else {
            check(sg, ns);
            if (dp_sft_parse(&b, s + i, len, "fuzz", lineno, &o, &sg2, &ns2, &e) != 0 || ns2 != ns) abort();
            for (int k = 0; k < ns; k++)
                if (sg[k].loss != sg2[k].loss || strcmp(sg[k].text, sg2[k].text) != 0) abort();
        }
        dp_arena_reset(&a);
        dp_arena_reset(&b);
        i += len + 1;
    }
    dp_arena_free(&a);
    dp_arena_free(&b);
    return 0;
}
