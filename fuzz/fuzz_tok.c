/* libFuzzer target for the tokenizer's encoder, on the tiny test tokenizer (tests/tok/tiny, or
 * $DP_FUZZ_TOK), loaded once: any bytes must encode and decode without error; the streaming
 * decoder must give what decode gives; and with the added tokens' first characters ('<', '[')
 * masked, decode(encode(x)) must be NFC(x) byte for byte (invalid UTF-8 included). The loaded
 * tokenizer is the one static the libFuzzer API forces on us. */
#include "base/unicode.h"
#include "tok/tok.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct dp_tok *tok;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *path = getenv("DP_FUZZ_TOK");
    struct dp_error e = {0};
    if (dp_tok_load(path ? path : "tests/tok/tiny", &tok, &e)) {
        char buf[1200];
        dp_error_format(&e, buf, sizeof buf);
        fprintf(stderr, "fuzz_tok: %s (run from the repo root or set DP_FUZZ_TOK)\n", buf);
        abort();
    }
    return 0;
}

static void roundtrip(const char *s, size_t n, bool special, bool exact)
{
    struct dp_tok_ids ids = {0};
    struct dp_sbuf dec = {0}, str = {0}, want = {0};
    struct dp_error e;
    if (dp_tok_encode(tok, s, n, special, &ids, &e)) abort();
    for (size_t i = 0; i < ids.n; i++)
        if (ids.v[i] < 0 || (size_t)ids.v[i] >= dp_tok_vocab_size(tok)) abort();
    if (dp_tok_decode(tok, ids.v, ids.n, false, &dec, &e)) abort();
    struct dp_tok_stream st = {0};
    for (size_t i = 0; i < ids.n; i++)
        if (dp_tok_stream_push(tok, &st, ids.v[i], false, &str, &e)) abort();
    dp_tok_stream_flush(&st, &str);
    if (str.n != dec.n || (dec.n && memcmp(str.p, dec.p, dec.n) != 0)) abort();
    if (exact) {
        dp_unicode_nfc(&want, s, n);
        if (want.n != dec.n || (dec.n && memcmp(want.p, dec.p, dec.n) != 0)) abort();
    }
    dp_sbuf_free(&dec);
    dp_sbuf_free(&str);
    dp_sbuf_free(&want);
    dp_tok_ids_free(&ids);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    roundtrip((const char *)data, size, size && (data[0] & 1), false);
    char *masked = malloc(size + 1);
    for (size_t i = 0; i < size; i++) masked[i] = data[i] == '<' || data[i] == '[' ? '(' : (char)data[i];
    roundtrip(masked, size, true, true);
    free(masked);
    return 0;
}
