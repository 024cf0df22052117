/* libFuzzer target for the tokenizer.json loader: any input must load or fail with a
 * DP_EFORMAT error that names the file; what loads must encode and decode a fixed text (added
 * tokens, whitespace, accents, invalid bytes) without error. */
#include "tok/tok.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char text[] =
    "Hi <|im_start|>user\n  it's 42 caf\xc3\xa9 e\xcc\x81\t\xff\xfe [L] \xe4\xb8\xad!";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dp_tok *t;
    struct dp_error e;
    if (dp_tok_load_json((const char *)data, size, "fuzz.json", &t, &e)) {
        if ((e.code != DP_EFORMAT && e.code != DP_ENOMEM) || strcmp(e.path, "fuzz.json") != 0) abort();
        return 0;
    }
    struct dp_tok_ids ids = {0};
    struct dp_sbuf out = {0};
    if (dp_tok_encode(t, text, sizeof text - 1, true, &ids, &e)) abort();
    if (dp_tok_decode(t, ids.v, ids.n, false, &out, &e)) abort();
    dp_sbuf_free(&out);
    dp_tok_ids_free(&ids);
    dp_tok_free(t);
    return 0;
}
