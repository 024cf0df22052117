/* Loading tokenizer.json into a struct dp_tok: the BPE model (vocabulary, merges in either the
 * "a b" or the ["a", "b"] form, ignore_merges), added tokens, the normalizer and the
 * pre-tokenizer chain. Anything this tokenizer would not run exactly as HF does (another model
 * type, normalizer or decoder) is refused with file:line:col rather than run differently. */
#include "base/file.h"
#include "base/json.h"
#include "base/utf8.h"
#include "tok/tok_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_IDS (1 << 24)   /* a hostile id must not make us allocate gigabytes */

/* GPT-2's pattern, which ByteLevel applies when use_regex is true. */
static const char gpt2_pattern[] =
    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

struct loader {
    struct dp_tok *t;
    const char *path;
    struct dp_error *e;
    uint32_t b2cp[256];
    int16_t cp2b[TOK_CP_LIMIT];
};

static int fail(struct loader *L, const struct dp_json *at, const char *fmt, const char *arg)
{
    return dp_error_set(L->e, DP_EFORMAT, L->path, at ? at->line : 0, at ? at->col : 0, fmt, arg);
}

static const struct dp_json *member(const struct dp_json *obj, const char *key,
                                    enum dp_json_type type)
{
    const struct dp_json *v = dp_json_get(obj, key);
    return v && v->type == type ? v : NULL;
}

/* Optional boolean member: def when absent or null; an error when of another type. */
static int opt_bool(struct loader *L, const struct dp_json *obj, const char *key, bool def,
                    bool *out)
{
    const struct dp_json *v = dp_json_get(obj, key);
    *out = def;
    if (!v || v->type == DP_JSON_NULL) return 0;
    if (v->type != DP_JSON_BOOL) return fail(L, v, "\"%s\" must be true or false", key);
    *out = v->b;
    return 0;
}

static int32_t str_id(const struct dp_tok *t, const char *s, size_t n)
{
    void **v = dp_map_get(&t->str_to_id, s, n);
    return v ? (int32_t)((intptr_t)*v - 1) : -1;
}

/* Sets id's spelling and its decoded bytes: each character through the byte-level table, or
 * the spelling's own UTF-8 when some character is not in the table (HF's ByteLevel decoder) or
 * when the token is an added token (raw): those decode to their content, as in transformers.js
 * and HF tokenizers since the fix of huggingface/tokenizers#1996 (before it, "été" came back as
 * bytes E9 74 E9). Returns whether the token is pure byte-level. */
static bool set_token(struct loader *L, int32_t id, const char *s, size_t n, bool raw)
{
    struct dp_tok *t = L->t;
    char *spell = dp_arena_strndup(&t->arena, s, n);
    char *bytes = dp_arena_alloc(&t->arena, n + 1);
    size_t nb = 0, i = 0;
    bool mapped = !raw;
    while (mapped && i < n) {
        uint32_t cp;
        size_t k = dp_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (k == 0 || cp >= TOK_CP_LIMIT || L->cp2b[cp] < 0) { mapped = false; break; }
        bytes[nb++] = (char)L->cp2b[cp];
        i += k;
    }
    if (!mapped) memcpy(bytes, s, nb = n);
    t->str[id] = spell;
    t->str_len[id] = (uint32_t)n;
    t->bytes[id] = bytes;
    t->bytes_len[id] = (uint32_t)nb;
    return mapped;
}

static int check_id(struct loader *L, const struct dp_json *v, int64_t *id)
{
    if (!v || v->type != DP_JSON_NUM || !v->is_int || v->i < 0 || v->i >= MAX_IDS)
        return fail(L, v, "%s: expected a token id (an integer from 0 to 16777215)", "id");
    *id = v->i;
    return 0;
}

/* ---------------------------------------------------------------- model */

static int load_vocab(struct loader *L, const struct dp_json *vocab, const struct dp_json *added)
{
    struct dp_tok *t = L->t;
    int64_t max = -1, id = 0;
    for (size_t i = 0; i < vocab->len; i++) {
        if (check_id(L, vocab->items[i], &id)) return L->e->code;
        if (id > max) max = id;
    }
    for (size_t i = 0; added && i < added->len; i++) {
        const struct dp_json *a = added->items[i];
        if (a->type != DP_JSON_OBJ) return fail(L, a, "%s: expected an object", "added_tokens");
        if (check_id(L, dp_json_get(a, "id"), &id)) return L->e->code;
        if (id > max) max = id;
    }
    t->n_ids = (size_t)(max + 1);
    t->str = dp_xcalloc(t->n_ids + 1, sizeof *t->str);
    t->str_len = dp_xcalloc(t->n_ids + 1, sizeof *t->str_len);
    t->bytes = dp_xcalloc(t->n_ids + 1, sizeof *t->bytes);
    t->bytes_len = dp_xcalloc(t->n_ids + 1, sizeof *t->bytes_len);
    t->special = dp_xcalloc(t->n_ids + 1, sizeof *t->special);
    for (size_t i = 0; i < vocab->len; i++) {
        id = vocab->items[i]->i;
        bool mapped = set_token(L, (int32_t)id, vocab->keys[i], vocab->keylens[i], false);
        dp_map_put(&t->str_to_id, t->str[id], t->str_len[id], (void *)(intptr_t)(id + 1));
        if (!mapped) continue;
        dp_map_put(&t->bytes_to_id, t->bytes[id], t->bytes_len[id], (void *)(intptr_t)(id + 1));
        if (t->bytes_len[id] == 1) t->byte_id[(unsigned char)t->bytes[id][0]] = (int32_t)id;
    }
    return 0;
}

/* One merge: "a b" or ["a", "b"]; a, b and their concatenation must be in the vocabulary. */
static int load_merge(struct loader *L, const struct dp_json *m, uint32_t rank, struct dp_sbuf *cat)
{
    const char *a, *b;
    size_t na, nb;
    if (m->type == DP_JSON_STR) {
        const char *sp = memchr(m->str, ' ', m->len);
        if (!sp || memchr(sp + 1, ' ', m->len - (size_t)(sp + 1 - m->str)))
            return fail(L, m, "merge \"%s\" is not two tokens separated by one space", m->str);
        a = m->str, na = (size_t)(sp - m->str), b = sp + 1, nb = m->len - na - 1;
    } else if (m->type == DP_JSON_ARR && m->len == 2 && m->items[0]->type == DP_JSON_STR &&
               m->items[1]->type == DP_JSON_STR) {
        a = m->items[0]->str, na = m->items[0]->len, b = m->items[1]->str, nb = m->items[1]->len;
    } else {
        return fail(L, m, "%s: expected \"a b\" or [\"a\", \"b\"]", "merges");
    }
    dp_sbuf_reset(cat);
    dp_sbuf_put(cat, a, na);
    dp_sbuf_put(cat, b, nb);
    int32_t ia = str_id(L->t, a, na), ib = str_id(L->t, b, nb), ic = str_id(L->t, cat->p, cat->n);
    if (ia < 0 || ib < 0 || ic < 0)
        return fail(L, m, "merge token \"%s\" is not in the vocabulary",
                    ia < 0 ? a : ib < 0 ? b : cat->p);
    tok_merges_put(L->t, ia, ib, rank, ic);
    return 0;
}

static int load_model(struct loader *L, const struct dp_json *model, const struct dp_json *added)
{
    if (!model || model->type != DP_JSON_OBJ) return fail(L, model, "%s: expected an object", "model");
    const char *type = dp_json_get_str(model, "type", "BPE");
    if (strcmp(type, "BPE") != 0)
        return fail(L, dp_json_get(model, "type"),
                    "unknown model type \"%s\" (only byte-level BPE is supported)", type);
    const struct dp_json *vocab = member(model, "vocab", DP_JSON_OBJ);
    const struct dp_json *merges = member(model, "merges", DP_JSON_ARR);
    if (!vocab) return fail(L, model, "%s: no \"vocab\" object", "model");
    if (!merges) return fail(L, model, "%s: no \"merges\" list", "model");
    const struct dp_json *drop = dp_json_get(model, "dropout");
    if (drop && drop->type != DP_JSON_NULL && !(drop->type == DP_JSON_NUM && drop->num == 0))
        return fail(L, drop, "%s: BPE dropout is not supported", "model");
    const char *keys[] = {"continuing_subword_prefix", "end_of_word_suffix"};
    for (int i = 0; i < 2; i++) {
        const char *v = dp_json_get_str(model, keys[i], "");
        if (*v) return fail(L, dp_json_get(model, keys[i]), "\"%s\" is not supported", keys[i]);
    }
    if (opt_bool(L, model, "ignore_merges", false, &L->t->ignore_merges)) return L->e->code;
    if (load_vocab(L, vocab, added)) return L->e->code;
    tok_merges_init(L->t, merges->len);
    struct dp_sbuf cat = {0};
    int rc = 0;
    for (size_t i = 0; i < merges->len && !rc; i++)
        rc = load_merge(L, merges->items[i], (uint32_t)i, &cat);
    dp_sbuf_free(&cat);
    return rc;
}

/* ---------------------------------------------------------------- added tokens */

static int cmp_added_len(const void *x, const void *y, void *ctx)
{
    const struct tok_added *a = ctx;
    size_t lx = a[*(const uint16_t *)x].match_len, ly = a[*(const uint16_t *)y].match_len;
    if (lx != ly) return lx > ly ? -1 : 1;
    return (int)*(const uint16_t *)x - (int)*(const uint16_t *)y;
}

static int load_added(struct loader *L, const struct dp_json *added)
{
    struct dp_tok *t = L->t;
    if (!added) return 0;
    if (added->len >= 0xFFFF) return fail(L, added, "%s: more than 65534 added tokens", "added_tokens");
    t->added = dp_arena_alloc(&t->arena, (added->len + 1) * sizeof *t->added);
    for (size_t i = 0; i < added->len; i++) {
        const struct dp_json *a = added->items[i], *c = member(a, "content", DP_JSON_STR);
        struct tok_added *x = &t->added[t->n_added];
        if (!c) return fail(L, a, "%s: no \"content\" string", "added token");
        x->id = (int32_t)dp_json_get(a, "id")->i;   /* checked by load_vocab */
        if (opt_bool(L, a, "special", false, &x->special) ||
            opt_bool(L, a, "lstrip", false, &x->lstrip) ||
            opt_bool(L, a, "rstrip", false, &x->rstrip) ||
            opt_bool(L, a, "single_word", false, &x->single_word) ||
            opt_bool(L, a, "normalized", !x->special, &x->normalized))
            return L->e->code;
        set_token(L, x->id, c->str, c->len, true);
        x->content = x->match = t->str[x->id];
        x->len = x->match_len = c->len;
        t->special[x->id] = x->special;
        dp_map_put(&t->str_to_id, x->content, x->len, (void *)(intptr_t)(x->id + 1));
        if (x->normalized && t->n_norms) {   /* HF searches normalized text for its normal form */
            struct dp_sbuf nb = {0};
            tok_normalize(t, x->content, x->len, &nb);
            x->match = dp_arena_strndup(&t->arena, nb.p ? nb.p : "", nb.n);
            x->match_len = nb.n;
            dp_sbuf_free(&nb);
        }
        if (x->match_len == 0) continue;   /* never matched */
        if (x->normalized) t->any_normalized_added = true;
        t->n_added++;
    }
    /* per first byte, the candidates longest first (leftmost-longest matching) */
    size_t count[256] = {0};
    for (size_t i = 0; i < t->n_added; i++) count[(unsigned char)t->added[i].match[0]]++;
    for (int b = 0; b < 256; b++) {
        if (!count[b]) continue;
        uint16_t *list = dp_arena_alloc(&t->arena, (count[b] + 1) * sizeof *list);
        size_t k = 0;
        for (size_t i = 0; i < t->n_added; i++)
            if ((unsigned char)t->added[i].match[0] == b) list[k++] = (uint16_t)i;
        qsort_r(list, k, sizeof *list, cmp_added_len, t->added);
        list[k] = 0xFFFF;
        t->added_by_byte[b] = list;
    }
    return 0;
}

/* ---------------------------------------------------------------- normalizer, pre-tokenizer */

static int load_normalizer(struct loader *L, const struct dp_json *n)
{
    if (!n || n->type == DP_JSON_NULL) return 0;
    const char *type = dp_json_get_str(n, "type", "");
    if (!strcmp(type, "Sequence")) {
        const struct dp_json *list = member(n, "normalizers", DP_JSON_ARR);
        if (!list) return fail(L, n, "%s: no \"normalizers\" list", "Sequence normalizer");
        for (size_t i = 0; i < list->len; i++)
            if (load_normalizer(L, list->items[i])) return L->e->code;
        return 0;
    }
    if (L->t->n_norms == 8) return fail(L, n, "%s: more than 8 normalizers", "normalizer");
    if (!strcmp(type, "NFC")) L->t->norms[L->t->n_norms++] = TOK_NORM_NFC;
    else if (!strcmp(type, "NFKC")) L->t->norms[L->t->n_norms++] = TOK_NORM_NFKC;
    else return fail(L, n, "unsupported normalizer \"%s\" (NFC, NFKC or Sequence)", type);
    return 0;
}

static int compile_re(struct loader *L, const struct dp_json *at, const char *pat, size_t n,
                      bool literal, pcre2_code **out)
{
    int err;
    PCRE2_SIZE off;
    uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF | (literal ? PCRE2_LITERAL : 0);
    *out = pcre2_compile((PCRE2_SPTR)pat, n, opts, &err, &off, NULL);
    if (!*out) {
        char msg[256], full[400];
        pcre2_get_error_message(err, (PCRE2_UCHAR *)msg, sizeof msg);
        snprintf(full, sizeof full, "regex rejected at offset %zu: %s", (size_t)off, msg);
        return fail(L, at, "%s", full);
    }
    pcre2_jit_compile(*out, PCRE2_JIT_COMPLETE);   /* without JIT the interpreter runs it */
    return 0;
}

static int load_split(struct loader *L, const struct dp_json *p, struct tok_pre *x)
{
    const struct dp_json *pat = member(p, "pattern", DP_JSON_OBJ), *re, *str;
    if (!pat) return fail(L, p, "%s: no \"pattern\" object", "Split pre-tokenizer");
    const char *beh = dp_json_get_str(p, "behavior", "");
    if (!strcmp(beh, "Isolated")) x->behavior = TOK_SPLIT_ISOLATED;
    else if (!strcmp(beh, "Removed")) x->behavior = TOK_SPLIT_REMOVED;
    else return fail(L, p, "unsupported Split behavior \"%s\" (Isolated or Removed)", beh);
    if (opt_bool(L, p, "invert", false, &x->invert)) return L->e->code;
    if ((re = member(pat, "Regex", DP_JSON_STR)))
        return compile_re(L, re, re->str, re->len, false, &x->re);
    if ((str = member(pat, "String", DP_JSON_STR)))
        return compile_re(L, str, str->str, str->len, true, &x->re);
    return fail(L, pat, "%s: expected {\"Regex\": ...} or {\"String\": ...}", "Split pattern");
}

static int load_pre(struct loader *L, const struct dp_json *p)
{
    struct dp_tok *t = L->t;
    if (!p || p->type == DP_JSON_NULL) return 0;
    const char *type = dp_json_get_str(p, "type", "");
    if (!strcmp(type, "Sequence")) {
        const struct dp_json *list = member(p, "pretokenizers", DP_JSON_ARR);
        if (!list) return fail(L, p, "%s: no \"pretokenizers\" list", "Sequence pre-tokenizer");
        for (size_t i = 0; i < list->len; i++)
            if (load_pre(L, list->items[i])) return L->e->code;
        return 0;
    }
    if (t->n_pres == 8) return fail(L, p, "%s: more than 8 pre-tokenizers", "pre_tokenizer");
    if (t->n_pres && t->pres[t->n_pres - 1].kind == TOK_PRE_BYTELEVEL)
        return fail(L, p, "pre-tokenizer \"%s\" after ByteLevel is not supported", type);
    struct tok_pre *x = &t->pres[t->n_pres];
    memset(x, 0, sizeof *x);
    if (!strcmp(type, "Split")) {
        x->kind = TOK_PRE_SPLIT;
        if (load_split(L, p, x)) return L->e->code;
    } else if (!strcmp(type, "ByteLevel")) {
        bool use_regex;
        x->kind = TOK_PRE_BYTELEVEL;
        if (opt_bool(L, p, "add_prefix_space", true, &x->add_prefix_space) ||
            opt_bool(L, p, "use_regex", true, &use_regex))
            return L->e->code;
        if (use_regex && compile_re(L, p, gpt2_pattern, sizeof gpt2_pattern - 1, false, &x->re))
            return L->e->code;
    } else {
        return fail(L, p, "unsupported pre-tokenizer \"%s\" (Split, ByteLevel or Sequence)", type);
    }
    t->n_pres++;
    return 0;
}

static int check_decoder(struct loader *L, const struct dp_json *d)
{
    if (!d || d->type == DP_JSON_NULL) return 0;
    const char *type = dp_json_get_str(d, "type", "");
    if (strcmp(type, "ByteLevel") != 0)
        return fail(L, d, "unsupported decoder \"%s\" (only ByteLevel)", type);
    return 0;
}

/* ---------------------------------------------------------------- entry points */

static void special_ids(struct dp_tok *t)
{
    const struct dp_tok_config *c = &t->cfg;
    t->sp.endoftext = str_id(t, "<|endoftext|>", 13);
    t->sp.im_start = str_id(t, "<|im_start|>", 12);
    t->sp.im_end = str_id(t, "<|im_end|>", 10);
    t->sp.eos = c->eos_token ? str_id(t, c->eos_token, strlen(c->eos_token)) : -1;
    t->sp.pad = c->pad_token ? str_id(t, c->pad_token, strlen(c->pad_token)) : -1;
    t->sp.bos = c->bos_token ? str_id(t, c->bos_token, strlen(c->bos_token)) : -1;
}

static int load_root(struct loader *L, const struct dp_json *root)
{
    struct dp_tok *t = L->t;
    if (root->type != DP_JSON_OBJ) return fail(L, root, "%s: expected an object", "tokenizer.json");
    const struct dp_json *added = dp_json_get(root, "added_tokens");
    if (added && added->type == DP_JSON_NULL) added = NULL;
    if (added && added->type != DP_JSON_ARR)
        return fail(L, added, "%s: expected a list", "added_tokens");
    if (load_model(L, dp_json_get(root, "model"), added) ||
        load_normalizer(L, dp_json_get(root, "normalizer")) || load_added(L, added) ||
        load_pre(L, dp_json_get(root, "pre_tokenizer")) ||
        check_decoder(L, dp_json_get(root, "decoder")))
        return L->e->code;
    if (t->n_pres == 0 || t->pres[t->n_pres - 1].kind != TOK_PRE_BYTELEVEL)
        return fail(L, root, "%s: no ByteLevel pre-tokenizer (only byte-level BPE is supported)",
                    "pre_tokenizer");
    special_ids(t);
    return 0;
}

int dp_tok_load_json(const char *text, size_t n, const char *path, struct dp_tok **out,
                     struct dp_error *e)
{
    struct dp_tok *t = dp_xcalloc(1, sizeof *t);
    dp_arena_init(&t->arena, 1 << 20);
    dp_arena_init(&t->cache_arena, 1 << 20);
    for (int b = 0; b < 256; b++) t->byte_id[b] = -1;
    *out = NULL;
    struct loader L = {.t = t, .path = path, .e = e};
    tok_byte_tables(L.b2cp, L.cp2b);
    struct dp_arena ja;
    dp_arena_init(&ja, 1 << 20);
    struct dp_json *root;
    int rc = dp_json_parse(&ja, text, n, path, &root, e);
    if (!rc) rc = load_root(&L, root);
    dp_arena_free(&ja);
    if (rc) { dp_tok_free(t); return rc; }
    t->md = pcre2_match_data_create(1, NULL);
    t->mctx = pcre2_match_context_create(NULL);
    t->jit_stack = pcre2_jit_stack_create(32 * 1024, 4 * 1024 * 1024, NULL);
    if (!t->md || !t->mctx || !t->jit_stack) {
        dp_tok_free(t);
        return dp_error_set(e, DP_ENOMEM, path, 0, 0, "out of memory for the regex engine");
    }
    pcre2_jit_stack_assign(t->mctx, NULL, t->jit_stack);
    *out = t;
    return 0;
}

/* path: a folder holding tokenizer.json, or the file itself. */
int dp_tok_load(const char *path, struct dp_tok **out, struct dp_error *e)
{
    struct dp_sbuf file = {0}, dir = {0};
    *out = NULL;
    if (dp_file_exists(path) == 2) {
        dp_sbuf_printf(&file, "%s/tokenizer.json", path);
        dp_sbuf_puts(&dir, path);
    } else {
        dp_sbuf_puts(&file, path);
        const char *slash = strrchr(path, '/');
        if (slash) dp_sbuf_put(&dir, path, (size_t)(slash - path));
        else dp_sbuf_puts(&dir, ".");
    }
    char *text = NULL;
    size_t n;
    int rc = dp_file_read(file.p, &text, &n, e);
    if (!rc) rc = dp_tok_load_json(text, n, file.p, out, e);
    free(text);
    if (!rc) {
        dp_sbuf_puts(&dir, "/tokenizer_config.json");
        if (dp_file_exists(dir.p) == 1) {
            rc = dp_tok_config_load(dir.p, &(*out)->cfg, e);
            if (rc) { dp_tok_free(*out); *out = NULL; }
            else special_ids(*out);
        }
    }
    dp_sbuf_free(&file);
    dp_sbuf_free(&dir);
    return rc;
}

void dp_tok_free(struct dp_tok *t)
{
    if (!t) return;
    for (int i = 0; i < t->n_pres; i++) pcre2_code_free(t->pres[i].re);
    pcre2_match_data_free(t->md);
    pcre2_match_context_free(t->mctx);
    pcre2_jit_stack_free(t->jit_stack);
    free(t->str);
    free(t->str_len);
    free(t->bytes);
    free(t->bytes_len);
    free(t->special);
    free(t->merges);
    free(t->syms);
    free(t->heap);
    dp_map_free(&t->str_to_id);
    dp_map_free(&t->bytes_to_id);
    dp_map_free(&t->cache);
    dp_arena_free(&t->cache_arena);
    dp_arena_free(&t->arena);
    for (int i = 0; i < 3; i++) dp_sbuf_free(&t->scratch[i]);
    dp_tok_config_free(&t->cfg);
    free(t);
}
