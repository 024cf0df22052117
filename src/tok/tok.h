/* Byte-level BPE tokenizers as Hugging Face `tokenizers` runs them from tokenizer.json (Qwen2,
 * GPT-2 and the bundled model's own): added tokens matched first, NFC normalization, the Split /
 * ByteLevel pre-tokenizers (regexes through PCRE2), BPE merges by rank, byte-level decoding with
 * a streaming decoder for generation. Also reads tokenizer_config.json. Not: WordPiece, Unigram,
 * post-processors (encode never adds BOS/EOS), offsets, padding or truncation. */
#ifndef DP_TOK_TOK_H
#define DP_TOK_TOK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/error.h"
#include "base/str.h"

struct dp_tok;

/* tokenizer_config.json: the fields generation needs. Every string is malloc'd and owned by
 * the struct (NULL when absent); free with dp_tok_config_free. */
struct dp_tok_config {
    char *chat_template;     /* the "default" one when the file holds a list of named templates */
    char *eos_token, *pad_token, *bos_token, *unk_token;   /* token strings, e.g. "<|im_end|>" */
    char *tokenizer_class;
    bool add_bos_token, add_eos_token;
};

/* Ids of well-known tokens; -1 when the tokenizer lacks them. */
struct dp_tok_special {
    int32_t endoftext, im_start, im_end;   /* <|endoftext|>, <|im_start|>, <|im_end|> */
    int32_t eos, pad, bos;                 /* the tokens tokenizer_config.json names */
};

/* A growable id array; the caller owns ids (free with dp_tok_ids_free). */
struct dp_tok_ids {
    int32_t *v;
    size_t n, cap;
};
void dp_tok_ids_push(struct dp_tok_ids *a, int32_t id);
void dp_tok_ids_free(struct dp_tok_ids *a);

/* Loads path: a model folder (its tokenizer.json, plus tokenizer_config.json when present) or a
 * tokenizer.json file (a tokenizer_config.json beside it is read too). *out is owned by the
 * caller (dp_tok_free). Errors name the file and, for content errors, line:col: DP_EIO (missing
 * or unreadable), DP_EFORMAT (malformed JSON, unknown model type, bad regex, merge of unknown
 * tokens...). */
int dp_tok_load(const char *path, struct dp_tok **out, struct dp_error *e);
/* Loads tokenizer.json text[0..n) (path only names it in errors); no tokenizer_config.json. */
int dp_tok_load_json(const char *text, size_t n, const char *path, struct dp_tok **out,
                     struct dp_error *e);
void dp_tok_free(struct dp_tok *t);

/* Appends the ids of s[0..n) to out. special: match special added tokens (<|im_start|>...) in
 * the text as HF does by default; false encodes them as plain text (HF's split_special_tokens),
 * non-special added tokens are still matched. Never adds BOS/EOS. Invalid UTF-8 bytes are kept
 * and encoded as byte tokens. Not thread-safe: the BPE cache and regex scratch live in t. Fails
 * only when the regex engine does (DP_ERANGE: match limit). */
int dp_tok_encode(struct dp_tok *t, const char *s, size_t n, bool special,
                  struct dp_tok_ids *out, struct dp_error *e);

/* Appends the bytes of ids[0..n) to out, as HF's ByteLevel decoder does (raw bytes: no lossy
 * replacement of invalid UTF-8); added tokens give their content. skip_special drops special
 * added tokens. DP_ERANGE for an id
 * the vocabulary lacks (e->col is its 1-based index). */
int dp_tok_decode(const struct dp_tok *t, const int32_t *ids, size_t n, bool skip_special,
                  struct dp_sbuf *out, struct dp_error *e);

/* Streaming decoder for generation: push ids one by one; only complete UTF-8 sequences come
 * out, an incomplete tail waits for the next token. Invalid bytes pass through as they come.
 * Zero-initialize; holds no memory. */
struct dp_tok_stream {
    unsigned char pend[4];
    int npend;
};
int dp_tok_stream_push(const struct dp_tok *t, struct dp_tok_stream *s, int32_t id,
                       bool skip_special, struct dp_sbuf *out, struct dp_error *e);
/* Emits what is pending (an incomplete sequence at the very end) and resets s. */
void dp_tok_stream_flush(struct dp_tok_stream *s, struct dp_sbuf *out);

/* Number of ids: the largest id of the vocabulary or added tokens, plus one. */
size_t dp_tok_vocab_size(const struct dp_tok *t);
/* Id of a token as tokenizer.json spells it (byte-level form, "Ġthe"; or an added token's
 * content); -1 when absent. */
int32_t dp_tok_token_id(const struct dp_tok *t, const char *tok, size_t n);
/* Token string of id as tokenizer.json spells it (NUL-terminated, owned by t; *n its length),
 * or NULL for an unused id. */
const char *dp_tok_token_str(const struct dp_tok *t, int32_t id, size_t *n);
/* The bytes id decodes to (owned by t), or NULL for an unused id. */
const char *dp_tok_token_bytes(const struct dp_tok *t, int32_t id, size_t *n);
bool dp_tok_is_special(const struct dp_tok *t, int32_t id);
const struct dp_tok_special *dp_tok_special_ids(const struct dp_tok *t);
/* The tokenizer_config.json read with the tokenizer (all NULL when there was none). */
const struct dp_tok_config *dp_tok_config(const struct dp_tok *t);

/* Reads tokenizer_config.json (path: the file or its folder) into *c. DP_EIO when missing,
 * DP_EFORMAT when malformed (file:line:col). */
int dp_tok_config_load(const char *path, struct dp_tok_config *c, struct dp_error *e);
void dp_tok_config_free(struct dp_tok_config *c);

#endif
