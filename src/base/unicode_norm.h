/* Internal to base/unicode.c: layout of the normalization tables that
 * tools/ref/gen_unicode_norm.py writes into unicode_tables_norm.c (the generated file checks
 * every constant here with _Static_assert), and the inline lookups over them. Not a public API. */
#ifndef DP_BASE_UNICODE_NORM_H
#define DP_BASE_UNICODE_NORM_H
#include <stddef.h>
#include <stdint.h>

/* Three-level tries over code points 0..0x10FFFF: top[c >> 12] picks a mid block of 128,
 * mid[block * 128 + ((c >> 5) & 127)] is the offset of a leaf block of 32 values. */
#define DP_UNI_SHIFT1 12
#define DP_UNI_SHIFT2 5

/* A property record (16 bits): ccc in bits 0-7, then these. */
#define DP_UNI_NFC_QC_SHIFT 8           /* 2 bits: enum dp_uni_qc for NFC */
#define DP_UNI_NFKC_QC_SHIFT 10         /* 2 bits: enum dp_uni_qc for NFKC */
#define DP_UNI_XID_START 4096           /* ch.isidentifier() (includes '_') */
#define DP_UNI_XID_CONTINUE 8192        /* ('a' + ch).isidentifier() */
#define DP_UNI_HAS_DECOMP 16384         /* has an entry in the decomposition trie */
#define DP_UNI_COMBINES_BACK 32768      /* second half of some composition pair */
enum dp_uni_qc { DP_UNI_QC_YES = 0, DP_UNI_QC_MAYBE = 1, DP_UNI_QC_NO = 2 };

/* Decompositions: the decomposition trie gives k (0: none); dp_uni_dec_canon[k] and
 * dp_uni_dec_compat[k] are offset << DP_UNI_LEN_BITS | length into dp_uni_dec_pool, the full
 * (recursive, canonically ordered) NFD and NFKD of the code point; length 0: none of that kind.
 * Hangul syllables are not in the tables (decomposed and composed by arithmetic). */
#define DP_UNI_LEN_BITS 5

/* Canonical composition pairs (composition exclusions left out): an open-addressing table of
 * 1 << DP_UNI_COMP_BITS slots, linear probing from dp_uni_comp_hash; first == 0 marks empty. */
#define DP_UNI_COMP_BITS 12
struct dp_uni_pair {
    uint32_t first, second, composite;
};

extern const uint16_t dp_uni_prop_rec[];
extern const uint8_t dp_uni_prop_top[];
extern const uint16_t dp_uni_prop_mid[];
extern const uint8_t dp_uni_prop_leaf[];
extern const uint8_t dp_uni_dec_top[];
extern const uint16_t dp_uni_dec_mid[];
extern const uint16_t dp_uni_dec_leaf[];
extern const uint32_t dp_uni_dec_canon[];
extern const uint32_t dp_uni_dec_compat[];
extern const uint32_t dp_uni_dec_pool[];
extern const struct dp_uni_pair dp_uni_comp[];

#define DP_UNI_TRIE_INDEX(top, mid, c) \
    ((size_t)(mid)[((size_t)(top)[(c) >> DP_UNI_SHIFT1] << (DP_UNI_SHIFT1 - DP_UNI_SHIFT2)) | \
                   (((c) >> DP_UNI_SHIFT2) & ((1u << (DP_UNI_SHIFT1 - DP_UNI_SHIFT2)) - 1))] | \
     ((c) & ((1u << DP_UNI_SHIFT2) - 1)))

/* Property record of c (c <= 0x10FFFF). */
static inline uint16_t dp_uni_props(uint32_t c)
{
    return dp_uni_prop_rec[dp_uni_prop_leaf[DP_UNI_TRIE_INDEX(dp_uni_prop_top, dp_uni_prop_mid, c)]];
}

/* Decomposition index of c (c <= 0x10FFFF); 0 when it has none. */
static inline unsigned dp_uni_dec_index(uint32_t c)
{
    return dp_uni_dec_leaf[DP_UNI_TRIE_INDEX(dp_uni_dec_top, dp_uni_dec_mid, c)];
}

static inline uint32_t dp_uni_comp_hash(uint32_t a, uint32_t b)
{
    return ((a * 0x9E3779B1u) ^ (b * 0x85EBCA6Bu)) >> (32 - DP_UNI_COMP_BITS);
}

#endif
