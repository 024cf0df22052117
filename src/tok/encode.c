/* The encoding pipeline of HF tokenizers (tokenizer.rs, added_vocabulary.rs): added tokens that
 * are not normalized are found in the raw text (leftmost-longest, then single_word / lstrip /
 * rstrip applied as HF does), the rest is normalized, normalized added tokens are found in it,
 * and each remaining segment goes through the pre-tokenizer chain to BPE. Also decoding, the
 * streaming decoder and the lookups. */
#include "base/unicode.h"
#include "base/utf8.h"
#include "tok/tok_int.h"
#include <stdlib.h>
#include <string.h>

void dp_tok_ids_push(struct dp_tok_ids *a, int32_t id)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 256;
        a->v = dp_xrealloc(a->v, a->cap * sizeof *a->v);
    }
    a->v[a->n++] = id;
}

void dp_tok_ids_free(struct dp_tok_ids *a)
{
    free(a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

/* ---------------------------------------------------------------- pre-tokenizers */

static int re_fail(const char *what, int rc, struct dp_error *e)
{
    char msg[256];
    pcre2_get_error_message(rc, (PCRE2_UCHAR *)msg, sizeof msg);
    return dp_error_set(e, DP_ERANGE, "", 0, 0, "%s regex failed: %s", what, msg);
}

static size_t char_len(const unsigned char *s, size_t n)
{
    uint32_t cp;
    size_t k = dp_utf8_decode(s, n, &cp);
    return k ? k : 1;
}

static int pre_step(struct dp_tok *t, int step, const unsigned char *s, size_t n,
                    struct dp_tok_ids *out, struct dp_error *e);

/* Calls fn(step + 1) on the pieces of s that a Split with behavior/invert keeps: with Isolated,
 * every match and every gap between matches; with Removed, the gaps (or the matches, inverted).
 * Empty matches split nothing. */
static int split_re(struct dp_tok *t, const pcre2_code *re, int step, enum tok_split_behavior beh,
                    bool invert, const unsigned char *s, size_t n, struct dp_tok_ids *out,
                    struct dp_error *e)
{
    size_t prev = 0, at = 0;
    int rc;
    while (at < n) {
        rc = pcre2_match(re, s, n, at, 0, t->md, t->mctx);
        if (rc == PCRE2_ERROR_NOMATCH) break;
        if (rc < 0) return re_fail("pre-tokenizer", rc, e);
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(t->md);
        size_t ms = ov[0], me = ov[1];
        if (me <= ms) {   /* empty match: try again one character on */
            at = ms + (ms < n ? char_len(s + ms, n - ms) : 1);
            continue;
        }
        bool keep_gap = beh == TOK_SPLIT_ISOLATED || !invert;
        bool keep_match = beh == TOK_SPLIT_ISOLATED || invert;
        if (ms > prev && keep_gap && (rc = pre_step(t, step + 1, s + prev, ms - prev, out, e)))
            return rc;
        if (keep_match && (rc = pre_step(t, step + 1, s + ms, me - ms, out, e))) return rc;
        prev = at = me;
    }
    if (prev < n && (beh == TOK_SPLIT_ISOLATED || !invert))
        return pre_step(t, step + 1, s + prev, n - prev, out, e);
    return 0;
}

/* Runs pre-tokenizer `step` on s; past the last one (ByteLevel), s is one BPE piece. */
static int pre_step(struct dp_tok *t, int step, const unsigned char *s, size_t n,
                    struct dp_tok_ids *out, struct dp_error *e)
{
    if (n == 0) return 0;
    if (step == t->n_pres) {
        tok_bpe_piece(t, s, n, out);
        return 0;
    }
    const struct tok_pre *p = &t->pres[step];
    if (p->kind == TOK_PRE_SPLIT) return split_re(t, p->re, step, p->behavior, p->invert, s, n, out, e);
    if (p->add_prefix_space && s[0] != ' ') {
        struct dp_sbuf *b = &t->scratch[1];
        dp_sbuf_reset(b);
        dp_sbuf_putc(b, ' ');
        dp_sbuf_put(b, s, n);
        s = (const unsigned char *)b->p;
        n = b->n;
    }
    if (p->re) return split_re(t, p->re, step, TOK_SPLIT_ISOLATED, false, s, n, out, e);
    return pre_step(t, step + 1, s, n, out, e);
}

/* ---------------------------------------------------------------- added tokens */

/* Rust's char::is_whitespace (the White_Space property), which lstrip/rstrip use. */
static bool is_ws(uint32_t c)
{
    return (c >= 9 && c <= 13) || c == 32 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000;
}

static bool is_word(uint32_t c) { return c == '_' || dp_unicode_xid_continue(c); }

/* The code point ending at s[end) (end > 0), and where it starts. */
static uint32_t cp_before(const unsigned char *s, size_t end, size_t *start)
{
    size_t i = end - 1;
    while (i > 0 && end - i < 4 && (s[i] & 0xC0) == 0x80) i--;
    uint32_t cp;
    if (dp_utf8_decode(s + i, end - i, &cp) != end - i) { i = end - 1; cp = 0xFFFD; }
    *start = i;
    return cp;
}

static uint32_t cp_at(const unsigned char *s, size_t n, size_t *len)
{
    uint32_t cp;
    *len = dp_utf8_decode(s, n, &cp);
    if (!*len) { *len = 1; cp = 0xFFFD; }
    return cp;
}

/* Leftmost-longest match of an added token with normalized == norm at or after `from`. */
static const struct tok_added *find_added(const struct dp_tok *t, const unsigned char *s,
                                          size_t n, size_t from, bool norm, size_t *at)
{
    for (size_t i = from; i < n; i++) {
        const uint16_t *list = t->added_by_byte[s[i]];
        if (!list) continue;
        for (; *list != 0xFFFF; list++) {
            const struct tok_added *a = &t->added[*list];
            if (a->normalized == norm && a->match_len <= n - i &&
                memcmp(s + i, a->match, a->match_len) == 0) {
                *at = i;
                return a;
            }
        }
    }
    return NULL;
}

typedef int (*segment_fn)(struct dp_tok *t, const unsigned char *s, size_t n, bool special,
                          struct dp_tok_ids *out, struct dp_error *e);

/* HF's AddedVocabulary::find_matches then split: segments between accepted added tokens go to
 * fn, the tokens themselves straight to out. */
static int split_added(struct dp_tok *t, const unsigned char *s, size_t n, bool norm,
                       bool special, segment_fn fn, struct dp_tok_ids *out, struct dp_error *e)
{
    size_t scan = 0, done = 0, at, k;
    const struct tok_added *a;
    int rc;
    while (scan < n && (a = find_added(t, s, n, scan, norm, &at))) {
        size_t start = at, stop = at + a->match_len;
        scan = stop;
        if (a->special && !special) continue;
        if (a->single_word) {
            bool word_before = start > 0 && is_word(cp_before(s, start, &k));
            bool word_after = stop < n && is_word(cp_at(s + stop, n - stop, &k));
            if (word_before || word_after) continue;
        }
        if (a->lstrip) {
            size_t ns = start;
            while (ns > 0) {
                size_t cs;
                if (!is_ws(cp_before(s, ns, &cs))) break;
                ns = cs;
            }
            start = ns > done ? ns : done;
        }
        if (a->rstrip)
            while (stop < n && is_ws(cp_at(s + stop, n - stop, &k))) stop += k;
        if (start > done && (rc = fn(t, s + done, start - done, special, out, e))) return rc;
        dp_tok_ids_push(out, a->id);
        done = stop;
    }
    if (done < n) return fn(t, s + done, n - done, special, out, e);
    return 0;
}

static int pretok_segment(struct dp_tok *t, const unsigned char *s, size_t n, bool special,
                          struct dp_tok_ids *out, struct dp_error *e)
{
    return pre_step(t, 0, s, n, out, e);
}

void tok_normalize(const struct dp_tok *t, const char *s, size_t n, struct dp_sbuf *out)
{
    struct dp_sbuf cur = {0}, next = {0};
    dp_sbuf_put(&cur, s, n);
    for (int i = 0; i < t->n_norms; i++) {
        dp_sbuf_reset(&next);
        if (t->norms[i] == TOK_NORM_NFC) dp_unicode_nfc(&next, cur.p, cur.n);
        else dp_unicode_nfkc(&next, cur.p, cur.n);
        struct dp_sbuf x = cur;
        cur = next;
        next = x;
    }
    dp_sbuf_put(out, cur.p, cur.n);
    dp_sbuf_free(&cur);
    dp_sbuf_free(&next);
}

/* A segment of raw text between non-normalized added tokens: normalize it, then look for the
 * normalized added tokens in it. */
static int normalize_segment(struct dp_tok *t, const unsigned char *s, size_t n, bool special,
                             struct dp_tok_ids *out, struct dp_error *e)
{
    int buf = 2;   /* scratch[0] and [2] take turns: a step's input is never its output */
    for (int i = 0; i < t->n_norms; i++) {
        bool nfc = t->norms[i] == TOK_NORM_NFC;
        if (nfc ? dp_unicode_is_nfc((const char *)s, n) : dp_unicode_is_nfkc((const char *)s, n))
            continue;
        buf = 2 - buf;
        struct dp_sbuf *b = &t->scratch[buf];
        dp_sbuf_reset(b);
        if (nfc) dp_unicode_nfc(b, (const char *)s, n);
        else dp_unicode_nfkc(b, (const char *)s, n);
        s = (const unsigned char *)b->p;
        n = b->n;
    }
    if (t->any_normalized_added) return split_added(t, s, n, true, special, pretok_segment, out, e);
    return pre_step(t, 0, s, n, out, e);
}

int dp_tok_encode(struct dp_tok *t, const char *s, size_t n, bool special,
                  struct dp_tok_ids *out, struct dp_error *e)
{
    return split_added(t, (const unsigned char *)s, n, false, special, normalize_segment, out, e);
}

/* ---------------------------------------------------------------- decoding */

static const char *id_bytes(const struct dp_tok *t, int32_t id, size_t *n)
{
    if (id < 0 || (size_t)id >= t->n_ids || !t->str[id]) return NULL;
    *n = t->bytes_len[id];
    return t->bytes[id];
}

int dp_tok_decode(const struct dp_tok *t, const int32_t *ids, size_t n, bool skip_special,
                  struct dp_sbuf *out, struct dp_error *e)
{
    for (size_t i = 0; i < n; i++) {
        size_t k;
        const char *b = id_bytes(t, ids[i], &k);
        if (!b)
            return dp_error_set(e, DP_ERANGE, "", 0, (int)(i + 1 > 0x7fffffff ? 0 : i + 1),
                                "token id %ld is not in the vocabulary", (long)ids[i]);
        if (!(skip_special && t->special[ids[i]])) dp_sbuf_put(out, b, k);
    }
    return 0;
}

/* Length of the incomplete UTF-8 sequence ending s[0..n): a lead byte followed by fewer
 * continuation bytes than it announces; 0 when the end is complete (or simply invalid). */
static size_t incomplete_tail(const unsigned char *s, size_t n)
{
    for (size_t k = 1; k <= 3 && k <= n; k++) {
        unsigned char c = s[n - k];
        if ((c & 0xC0) == 0x80) continue;
        size_t need = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 && c < 0xF0 ? 3
                    : c >= 0xC2 && c < 0xE0 ? 2 : 0;
        return need > k ? k : 0;
    }
    return 0;
}

int dp_tok_stream_push(const struct dp_tok *t, struct dp_tok_stream *st, int32_t id,
                       bool skip_special, struct dp_sbuf *out, struct dp_error *e)
{
    size_t k;
    const char *b = id_bytes(t, id, &k);
    if (!b)
        return dp_error_set(e, DP_ERANGE, "", 0, 0, "token id %ld is not in the vocabulary",
                            (long)id);
    if (skip_special && t->special[id]) return 0;
    unsigned char buf[8];
    if ((size_t)st->npend + k <= sizeof buf) {   /* the common case: look at pending + token */
        memcpy(buf, st->pend, (size_t)st->npend);
        memcpy(buf + st->npend, b, k);
        size_t total = (size_t)st->npend + k, hold = incomplete_tail(buf, total);
        dp_sbuf_put(out, buf, total - hold);
        memcpy(st->pend, buf + total - hold, hold);
        st->npend = (int)hold;
        return 0;
    }
    dp_sbuf_put(out, st->pend, (size_t)st->npend);
    size_t hold = incomplete_tail((const unsigned char *)b, k);
    dp_sbuf_put(out, b, k - hold);
    memcpy(st->pend, b + k - hold, hold);
    st->npend = (int)hold;
    return 0;
}

void dp_tok_stream_flush(struct dp_tok_stream *st, struct dp_sbuf *out)
{
    dp_sbuf_put(out, st->pend, (size_t)st->npend);
    st->npend = 0;
}

/* ---------------------------------------------------------------- lookups */

size_t dp_tok_vocab_size(const struct dp_tok *t) { return t->n_ids; }

int32_t dp_tok_token_id(const struct dp_tok *t, const char *tok, size_t n)
{
    void **v = dp_map_get(&t->str_to_id, tok, n);
    return v ? (int32_t)((intptr_t)*v - 1) : -1;
}

const char *dp_tok_token_str(const struct dp_tok *t, int32_t id, size_t *n)
{
    if (id < 0 || (size_t)id >= t->n_ids || !t->str[id]) return NULL;
    if (n) *n = t->str_len[id];
    return t->str[id];
}

const char *dp_tok_token_bytes(const struct dp_tok *t, int32_t id, size_t *n)
{
    size_t k;
    const char *b = id_bytes(t, id, &k);
    if (b && n) *n = k;
    return b;
}

bool dp_tok_is_special(const struct dp_tok *t, int32_t id)
{
    return id >= 0 && (size_t)id < t->n_ids && t->special[id];
}

const struct dp_tok_special *dp_tok_special_ids(const struct dp_tok *t) { return &t->sp; }
const struct dp_tok_config *dp_tok_config(const struct dp_tok *t) { return &t->cfg; }
