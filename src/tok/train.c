/* The BPE trainer's front half: cuts each fed text the way encoding does (special-token strings
 * out, NFC, Qwen2's Split regex with Isolated behaviour) and counts the pieces ("words") in a
 * hash map. The merge loop is in train_bpe.c, the file writers in train_write.c. */
#include "base/log.h"
#include "base/unicode.h"
#include "base/utf8.h"
#include "tok/train_int.h"
#include <stdlib.h>
#include <string.h>

const char dp_tok_qwen2_pattern[] =
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
    "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

const char *const tok_train_specials[TRAIN_NSPECIAL] = {"<|endoftext|>", "<|im_start|>", "<|im_end|>"};

void dp_tok_train_opts_default(struct dp_tok_train_opts *o)
{
    memset(o, 0, sizeof *o);
    o->vocab_size = 4096;
    o->min_frequency = 2;
}

int dp_tok_trainer_new(const struct dp_tok_train_opts *o, struct dp_tok_trainer **out,
                       struct dp_error *e)
{
    *out = NULL;
    struct dp_tok_train_opts def;
    if (!o) { dp_tok_train_opts_default(&def); o = &def; }
    if (o->vocab_size < 256 + TRAIN_NSPECIAL || o->vocab_size > (1u << 24))
        return dp_error_set(e, DP_EINVAL, "", 0, 0,
                            "vocab size %zu: expected %d to %u (256 byte tokens and %d special tokens "
                            "at least)", o->vocab_size, 256 + TRAIN_NSPECIAL, 1u << 24, TRAIN_NSPECIAL);
    struct dp_tok_trainer *tr = dp_xcalloc(1, sizeof *tr);
    tr->o = *o;
    dp_arena_init(&tr->arena, 1 << 20);
    dp_map_init(&tr->word_ix);
    int err;
    PCRE2_SIZE off;
    tr->re = pcre2_compile((PCRE2_SPTR)dp_tok_qwen2_pattern, PCRE2_ZERO_TERMINATED,
                           PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL);
    if (tr->re) pcre2_jit_compile(tr->re, PCRE2_JIT_COMPLETE);
    tr->md = tr->re ? pcre2_match_data_create(1, NULL) : NULL;
    tr->mctx = pcre2_match_context_create(NULL);
    tr->jit_stack = pcre2_jit_stack_create(32 * 1024, 4 * 1024 * 1024, NULL);
    if (!tr->re || !tr->md || !tr->mctx || !tr->jit_stack) {
        dp_tok_trainer_free(tr);
        return dp_error_set(e, DP_ENOMEM, "", 0, 0, "cannot set up the pre-tokenizer regex");
    }
    pcre2_jit_stack_assign(tr->mctx, NULL, tr->jit_stack);
    *out = tr;
    return 0;
}

void dp_tok_trainer_free(struct dp_tok_trainer *tr)
{
    if (!tr) return;
    pcre2_code_free(tr->re);
    pcre2_match_data_free(tr->md);
    pcre2_match_context_free(tr->mctx);
    pcre2_jit_stack_free(tr->jit_stack);
    dp_map_free(&tr->word_ix);
    dp_arena_free(&tr->arena);
    dp_sbuf_free(&tr->norm);
    free(tr->words);
    free(tr->toks);
    free(tr->merges);
    free(tr);
}

/* ---------------------------------------------------------------- counting */

static void count_word(struct dp_tok_trainer *tr, const char *s, size_t n)
{
    tr->st.words++;
    void **v = dp_map_get(&tr->word_ix, s, n);
    if (v) {
        tr->words[(uintptr_t)*v - 1].count++;
        return;
    }
    if (tr->nwords == tr->words_cap) {
        tr->words_cap = tr->words_cap ? tr->words_cap * 2 : 4096;
        tr->words = dp_xrealloc(tr->words, tr->words_cap * sizeof *tr->words);
    }
    char *key = dp_arena_strndup(&tr->arena, s, n);
    tr->words[tr->nwords] = (struct train_word){key, (uint32_t)n, 1};
    dp_map_put(&tr->word_ix, key, n, (void *)(uintptr_t)(++tr->nwords));
}

/* HF's Split with behavior Isolated: every match and every gap between matches is a word;
 * empty matches split nothing (the same loop as encoding's, tok/encode.c). */
static int split_count(struct dp_tok_trainer *tr, const unsigned char *s, size_t n,
                       struct dp_error *e)
{
    size_t prev = 0, at = 0;
    while (at < n) {
        int rc = pcre2_match(tr->re, s, n, at, 0, tr->md, tr->mctx);
        if (rc == PCRE2_ERROR_NOMATCH) break;
        if (rc < 0) {
            char msg[256];
            pcre2_get_error_message(rc, (PCRE2_UCHAR *)msg, sizeof msg);
            return dp_error_set(e, DP_ERANGE, "", 0, 0, "pre-tokenizer regex failed: %s", msg);
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(tr->md);
        size_t ms = ov[0], me = ov[1];
        if (me <= ms) {
            uint32_t cp;
            size_t k = ms < n ? dp_utf8_decode(s + ms, n - ms, &cp) : 1;
            at = ms + (k ? k : 1);
            continue;
        }
        if (ms > prev) count_word(tr, (const char *)s + prev, ms - prev);
        count_word(tr, (const char *)s + ms, me - ms);
        prev = at = me;
    }
    if (prev < n) count_word(tr, (const char *)s + prev, n - prev);
    return 0;
}

static int count_segment(struct dp_tok_trainer *tr, const char *s, size_t n, struct dp_error *e)
{
    if (n == 0) return 0;
    if (!dp_unicode_is_nfc(s, n)) {
        dp_sbuf_reset(&tr->norm);
        dp_unicode_nfc(&tr->norm, s, n);
        s = tr->norm.p;
        n = tr->norm.n;
    }
    return split_count(tr, (const unsigned char *)s, n, e);
}

/* The first special-token string at or after s[0..n): its offset and length, or n. */
static size_t find_special(const char *s, size_t n, size_t *len)
{
    const char *p = s, *end = s + n;
    while ((p = memchr(p, '<', (size_t)(end - p)))) {
        if (end - p >= 2 && p[1] == '|')
            for (int i = 0; i < TRAIN_NSPECIAL; i++) {
                size_t k = strlen(tok_train_specials[i]);
                if ((size_t)(end - p) >= k && !memcmp(p, tok_train_specials[i], k)) {
                    *len = k;
                    return (size_t)(p - s);
                }
            }
        p++;
    }
    return n;
}

/* One sequence: the pieces between special-token strings are counted; the tokens are not
 * (they are added tokens, never BPE input). */
static int count_sequence(struct dp_tok_trainer *tr, const char *s, size_t n, struct dp_error *e)
{
    while (n) {
        size_t k = 0, at = find_special(s, n, &k);
        int rc = count_segment(tr, s, at, e);
        if (rc) return rc;
        if (at == n) break;
        s += at + k;
        n -= at + k;
    }
    return 0;
}

int dp_tok_trainer_feed(struct dp_tok_trainer *tr, const char *text, size_t n, struct dp_error *e)
{
    double t0 = dp_now();
    tr->st.docs++;
    tr->st.bytes += n;
    int rc = 0;
    if (!tr->o.per_line) {
        rc = count_sequence(tr, text, n, e);
    } else {
        while (n && !rc) {
            const char *nl = memchr(text, '\n', n);
            size_t k = nl ? (size_t)(nl - text) + 1 : n;
            rc = count_sequence(tr, text, k, e);
            text += k;
            n -= k;
        }
    }
    tr->st.unique_words = tr->nwords;
    tr->st.count_s += dp_now() - t0;
    return rc;
}

/* ---------------------------------------------------------------- results */

int dp_tok_trainer_train(struct dp_tok_trainer *tr, struct dp_error *e)
{
    if (tr->trained) return dp_error_set(e, DP_EINVAL, "", 0, 0, "the trainer has already trained");
    double t0 = dp_now();
    int rc = tok_train_bpe(tr, e);
    tr->st.merge_s = dp_now() - t0;
    tr->st.merges = tr->nmerges;
    tr->st.model_vocab = tr->ntoks;
    tr->trained = !rc;
    return rc;
}

const struct dp_tok_train_stats *dp_tok_trainer_stats(const struct dp_tok_trainer *tr)
{
    return &tr->st;
}

const char *dp_tok_trainer_token(const struct dp_tok_trainer *tr, int32_t id, size_t *n)
{
    if (id < 0 || (size_t)id >= tr->ntoks) return NULL;
    *n = tr->toks[id].len;
    return tr->toks[id].bytes;
}

size_t dp_tok_trainer_nmerges(const struct dp_tok_trainer *tr) { return tr->nmerges; }

void dp_tok_trainer_merge(const struct dp_tok_trainer *tr, size_t i, int32_t *a, int32_t *b,
                          int32_t *id)
{
    *a = tr->merges[i].a;
    *b = tr->merges[i].b;
    *id = tr->merges[i].id;
}
