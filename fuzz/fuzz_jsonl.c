/* libFuzzer target for data/prompts_io: any prompt file must parse or fail with a position; what
 * parses must write back as JSONL that parses again to the same prompts (ids, text, messages,
 * family, template, library). */
#include "data/prompts_io.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dp_prompt_set s, s2;
    struct dp_error e = {0};
    dp_prompt_set_init(&s);
    dp_prompt_set_init(&s2);
    if (dp_prompts_parse(&s, (const char *)data, size, "fuzz", &e) != 0) {
        if (e.code != DP_EFORMAT || e.line < 1) abort();
    } else {
        struct dp_sbuf b = {0};
        for (size_t i = 0; i < s.n; i++) dp_prompt_write_jsonl(&b, &s.items[i]);
        if (dp_prompts_parse(&s2, b.p ? b.p : "", b.n, "out", &e) != 0 || s2.n != s.n) abort();
        for (size_t i = 0; i < s.n; i++) {
            const struct dp_prompt *x = &s.items[i], *y = &s2.items[i];
            if (!same(x->id_json, y->id_json) || !same(x->prompt, y->prompt) || !same(x->family, y->family) ||
                !same(x->template, y->template) || !same(x->library, y->library) || x->nmsgs != y->nmsgs)
                abort();
            for (int k = 0; k < x->nmsgs; k++)
                if (!same(x->msgs[k].role, y->msgs[k].role) || !same(x->msgs[k].content, y->msgs[k].content)) abort();
        }
        dp_sbuf_free(&b);
    }
    dp_prompt_set_free(&s);
    dp_prompt_set_free(&s2);
    return 0;
}
