/* Internals shared by the tokenizer's files (load.c builds a struct dp_tok, bpe.c merges,
 * encode.c runs the pipeline). Not part of the API: include tok/tok.h instead. */
#ifndef DP_TOK_INT_H
#define DP_TOK_INT_H
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include "base/arena.h"
#include "base/map.h"
#include "tok/tok.h"

enum tok_norm { TOK_NORM_NFC, TOK_NORM_NFKC };
enum tok_pre_kind { TOK_PRE_SPLIT, TOK_PRE_BYTELEVEL };
enum tok_split_behavior { TOK_SPLIT_ISOLATED, TOK_SPLIT_REMOVED };

struct tok_pre {
    enum tok_pre_kind kind;
    pcre2_code *re;              /* Split; ByteLevel with use_regex (GPT-2 pattern); else NULL */
    enum tok_split_behavior behavior;
    bool invert;                 /* Split: the matches are the content, the gaps the delimiters */
    bool add_prefix_space;       /* ByteLevel */
};

struct tok_added {
    const char *content;         /* arena */
    size_t len;
    const char *match;           /* what is searched for: content, normalized when normalized */
    size_t match_len;
    int32_t id;
    bool special, lstrip, rstrip, single_word, normalized;
};

/* One merge: pair (a, b) -> new id, rank = its index in the merges list. */
struct tok_merge {
    uint64_t key;                /* (uint64_t)a << 32 | b; TOK_NO_KEY when the slot is empty */
    uint32_t rank;
    int32_t new_id;
};
#define TOK_NO_KEY UINT64_MAX

struct dp_tok {
    struct dp_arena arena;       /* token strings, added tokens, pre-tokenizer table */
    size_t n_ids;                /* max id + 1 */
    const char **str;            /* [n_ids] token as spelled in tokenizer.json, NULL: unused */
    uint32_t *str_len;
    const char **bytes;          /* [n_ids] what the token decodes to */
    uint32_t *bytes_len;
    bool *special;               /* [n_ids] special added token */
    struct dp_map str_to_id;     /* spelling -> (void *)(id + 1): vocabulary then added tokens */
    struct dp_map bytes_to_id;   /* model vocabulary by decoded bytes -> (void *)(id + 1) */
    int32_t byte_id[256];        /* id of each single-byte token, -1 when missing */

    struct tok_merge *merges;    /* open addressing, cap a power of two */
    size_t merges_cap;
    bool ignore_merges;

    enum tok_norm norms[8];
    int n_norms;
    struct tok_pre pres[8];
    int n_pres;

    struct tok_added *added;     /* [n_added] in file order */
    size_t n_added;
    uint16_t *added_by_byte[256];/* per first byte: indexes into added, longest first, ends 0xFFFF */
    bool any_normalized_added;

    struct dp_tok_special sp;
    struct dp_tok_config cfg;

    /* mutable scratch: regex match data, JIT stack, BPE cache (hence not thread-safe) */
    pcre2_match_data *md;
    pcre2_jit_stack *jit_stack;
    pcre2_match_context *mctx;
    struct dp_map cache;         /* piece bytes -> struct tok_cached * in cache_arena */
    struct dp_arena cache_arena;
    struct dp_sbuf scratch[3];   /* normalization and prefix-space buffers */
    struct tok_sym *syms;        /* BPE work arrays, grown as needed */
    struct tok_heap_ent *heap;
    size_t work_cap;
};

struct tok_sym {
    int32_t id;
    int32_t prev, next;          /* -1 at the ends */
    bool dead;                   /* merged into the symbol on its left */
};
struct tok_heap_ent {
    uint32_t rank, pos;          /* pos: index of the left symbol */
    int32_t new_id;
};

struct tok_cached {
    uint32_t n;
    int32_t ids[];
};

/* The GPT-2 byte <-> unicode table: b2cp[b] is the code point byte b is spelled with in
 * tokenizer.json; cp2b[cp] the byte a code point < 324 stands for, or -1. */
#define TOK_CP_LIMIT 324
void tok_byte_tables(uint32_t b2cp[256], int16_t cp2b[TOK_CP_LIMIT]);

/* encode.c: appends s[0..n) as t's normalizers leave it to out (for added tokens at load). */
void tok_normalize(const struct dp_tok *t, const char *s, size_t n, struct dp_sbuf *out);

/* bpe.c: inserts a merge (a later duplicate overrides, as in HF); looks one up. */
void tok_merges_init(struct dp_tok *t, size_t n);
void tok_merges_put(struct dp_tok *t, int32_t a, int32_t b, uint32_t rank, int32_t new_id);
const struct tok_merge *tok_merges_get(const struct dp_tok *t, int32_t a, int32_t b);
/* Appends the BPE ids of one pre-tokenized piece (raw bytes) to out, through the cache. */
void tok_bpe_piece(struct dp_tok *t, const unsigned char *s, size_t n, struct dp_tok_ids *out);
void tok_cache_clear(struct dp_tok *t);

#endif
