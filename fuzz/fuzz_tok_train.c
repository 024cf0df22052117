/* libFuzzer target for the BPE trainer: any bytes (split in two documents at the first NUL)
 * must train without error into a tokenizer.json that src/tok loads, whose merges all produce
 * tokens of the vocabulary, and which encodes the input and decodes it back to NFC(input) byte
 * for byte whenever the input holds no special-token string. */
#include "base/unicode.h"
#include "tok/tok.h"
#include "tok/train.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    struct dp_tok_train_opts o;
    dp_tok_train_opts_default(&o);
    o.vocab_size = 300 + size % 200;
    o.min_frequency = size % 3;
    o.per_line = size % 2;
    o.seen_alphabet = size % 5 == 0;
    struct dp_tok_trainer *tr;
    struct dp_error e;
    if (dp_tok_trainer_new(&o, &tr, &e)) abort();
    const char *nul = memchr(s, 0, size);
    size_t k = nul ? (size_t)(nul - s) : size;
    if (dp_tok_trainer_feed(tr, s, k, &e)) abort();
    if (nul && dp_tok_trainer_feed(tr, nul + 1, size - k - 1, &e)) abort();
    if (dp_tok_trainer_train(tr, &e)) abort();
    struct dp_sbuf json = {0}, dec = {0}, want = {0};
    dp_tok_trainer_json(tr, &json);
    struct dp_tok *t;
    if (dp_tok_load_json(json.p, json.n, "fuzz/tokenizer.json", &t, &e)) abort();
    if (dp_tok_vocab_size(t) != dp_tok_trainer_stats(tr)->model_vocab + 3) abort();
    if (!o.seen_alphabet && !memmem(s, size, "<|", 2)) {
        struct dp_tok_ids ids = {0};
        if (dp_tok_encode(t, s, size, true, &ids, &e)) abort();
        if (dp_tok_decode(t, ids.v, ids.n, false, &dec, &e)) abort();
        dp_unicode_nfc(&want, s, size);
        if (want.n != dec.n || (dec.n && memcmp(want.p, dec.p, dec.n))) abort();
        dp_tok_ids_free(&ids);
    }
    dp_tok_free(t);
    dp_sbuf_free(&json);
    dp_sbuf_free(&dec);
    dp_sbuf_free(&want);
    dp_tok_trainer_free(tr);
    return 0;
}
