/* Internals shared by the BPE trainer's files: train.c counts words, train_bpe.c runs the merge
 * loop, train_write.c writes the tokenizer files. Not part of the API: include tok/train.h. */
#ifndef DP_TOK_TRAIN_INT_H
#define DP_TOK_TRAIN_INT_H
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include "base/arena.h"
#include "base/map.h"
#include "tok/train.h"

#define TRAIN_NSPECIAL 3
/* <|endoftext|>, <|im_start|>, <|im_end|>: ids model_vocab, +1, +2, as in Qwen2 (151643..5). */
extern const char *const tok_train_specials[TRAIN_NSPECIAL];

struct train_word {
    const char *bytes;       /* arena; the piece as the regex cut it */
    uint32_t len;
    uint64_t count;
};

struct train_tok {
    const char *bytes;       /* arena */
    uint32_t len;
};

struct train_merge {
    int32_t a, b, id;
};

struct dp_tok_trainer {
    struct dp_tok_train_opts o;
    struct dp_tok_train_stats st;
    pcre2_code *re;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit_stack;
    struct dp_arena arena;       /* word and token bytes */
    struct dp_map word_ix;       /* word bytes -> (void *)(index + 1) */
    struct train_word *words;    /* [nwords] in first-seen order */
    size_t nwords, words_cap;
    struct dp_sbuf norm;         /* NFC scratch */

    struct train_tok *toks;      /* [ntoks] the model vocabulary by id */
    size_t ntoks, toks_cap;
    struct train_merge *merges;  /* [nmerges] in rank order, duplicates dropped */
    size_t nmerges;
    bool trained;
};

/* train_bpe.c: learns tr->toks and tr->merges from tr->words. */
int tok_train_bpe(struct dp_tok_trainer *tr, struct dp_error *e);

#endif
