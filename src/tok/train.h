/* Byte-level BPE training: word counts over text pre-tokenized with Qwen2's Split regex, then
 * the merge loop of Hugging Face tokenizers' BpeTrainer (most frequent pair first, ties to the
 * smallest (left id, right id)), written as a Qwen2-style tokenizer.json + tokenizer_config.json
 * with the ChatML special tokens. Not: WordPiece/Unigram training, dropout, subword prefixes,
 * alphabet limits. */
#ifndef DP_TOK_TRAIN_H
#define DP_TOK_TRAIN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/error.h"
#include "base/str.h"

/* Qwen2's pre-tokenizer pattern, exactly as its tokenizer.json spells it (Split, Isolated). */
extern const char dp_tok_qwen2_pattern[];

struct dp_tok_train_opts {
    size_t vocab_size;        /* every id: byte tokens + merged tokens + the 3 special tokens */
    uint64_t min_frequency;   /* a pair is merged only while it occurs at least this often */
    bool per_line;            /* each line (with its ending) is one sequence, as HF's
                                 Tokenizer.train(files) reads files; else each fed text is one */
    bool seen_alphabet;       /* start from the byte tokens seen (HF's default trainer) instead
                                 of all 256, which byte-level encoding of any text needs */
};
/* vocab_size 4096, min_frequency 2, whole documents, all 256 bytes. */
void dp_tok_train_opts_default(struct dp_tok_train_opts *o);

struct dp_tok_train_stats {
    size_t docs;              /* texts fed */
    uint64_t bytes;           /* bytes fed */
    uint64_t words;           /* pre-tokenized pieces counted */
    size_t unique_words;
    size_t merges;            /* merges in the result (duplicates dropped, as HF saves them) */
    size_t model_vocab;       /* ids of the BPE model (specials excluded) */
    double count_s, merge_s;  /* seconds spent counting words and merging */
};

struct dp_tok_trainer;

/* A trainer with options o (NULL: defaults). DP_EINVAL when vocab_size leaves no room for the
 * byte tokens and specials. Free with dp_tok_trainer_free. */
int dp_tok_trainer_new(const struct dp_tok_train_opts *o, struct dp_tok_trainer **out,
                       struct dp_error *e);
void dp_tok_trainer_free(struct dp_tok_trainer *tr);

/* Counts the words of one document text[0..n) (split into lines first with per_line). The
 * special-token strings are cut out first, as encoding does; the rest is NFC-normalized and
 * split by the regex. Invalid UTF-8 is kept byte for byte, as encoding keeps it. text is not
 * retained. Fails only when the regex engine does (DP_ERANGE). */
int dp_tok_trainer_feed(struct dp_tok_trainer *tr, const char *text, size_t n, struct dp_error *e);

/* Learns the merges from the words fed so far; call once. */
int dp_tok_trainer_train(struct dp_tok_trainer *tr, struct dp_error *e);

/* The result as tokenizer.json / tokenizer_config.json text (appended to out; after train). */
void dp_tok_trainer_json(const struct dp_tok_trainer *tr, struct dp_sbuf *out);
void dp_tok_trainer_config_json(const struct dp_tok_trainer *tr, struct dp_sbuf *out);
/* Writes dir/tokenizer.json then dir/tokenizer_config.json, each atomically (dir is created). */
int dp_tok_trainer_write(const struct dp_tok_trainer *tr, const char *dir, struct dp_error *e);

const struct dp_tok_train_stats *dp_tok_trainer_stats(const struct dp_tok_trainer *tr);

/* The learned tokens (raw bytes, owned by tr) and merges, for tests: id < model_vocab. */
const char *dp_tok_trainer_token(const struct dp_tok_trainer *tr, int32_t id, size_t *n);
size_t dp_tok_trainer_nmerges(const struct dp_tok_trainer *tr);
/* Merge i (0-based rank order): left and right ids, and the id they make. */
void dp_tok_trainer_merge(const struct dp_tok_trainer *tr, size_t i, int32_t *a, int32_t *b,
                          int32_t *id);

#endif
