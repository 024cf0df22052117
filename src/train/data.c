/* TRL JSONL preference pairs (see data.h): one record is parsed and rendered to text by
 * dp_pair_parse (no tokenizer: the fuzz target runs it alone), then tokenized and truncated. */
#include "train/data.h"
#include "base/file.h"
#include "base/json.h"
#include "tok/chat.h"
#include <stdlib.h>
#include <string.h>

#define IM_END "<|im_end|>"

void dp_pairs_opts_default(struct dp_pairs_opts *o)
{
    memset(o, 0, sizeof *o);
    o->max_length = 1024;
    o->max_prompt_length = 512;
    o->system = DP_CHAT_QWEN_SYSTEM;
}

/* ---------------------------------------------------------------- messages */

struct msgs {
    struct dp_chat_msg *v;
    size_t n;
};

/* content: a string, or a list of {"type": "text", "text": ...} parts (concatenated). */
static const char *content_of(struct dp_arena *a, const struct dp_json *c)
{
    if (!c || c->type == DP_JSON_NULL) return "";
    if (c->type == DP_JSON_STR) return c->str;
    if (c->type != DP_JSON_ARR) return NULL;
    struct dp_sbuf b = {0};
    for (size_t i = 0; i < c->len; i++) {
        const char *t = dp_json_get_str(c->items[i], "text", NULL);
        if (!t) {
            dp_sbuf_free(&b);
            return NULL;
        }
        dp_sbuf_puts(&b, t);
    }
    const char *s = dp_arena_strndup(a, b.p ? b.p : "", b.n);
    dp_sbuf_free(&b);
    return s;
}

int dp_train_msgs(struct dp_arena *a, const struct dp_json *arr, const char *path, const char *key,
                  struct dp_chat_msg **v, size_t *n, struct dp_error *e)
{
    *n = arr->len;
    *v = dp_arena_alloc(a, sizeof **v * (arr->len + 1));
    for (size_t i = 0; i < arr->len; i++) {
        const struct dp_json *m = arr->items[i];
        const char *role = dp_json_get_str(m, "role", NULL);
        const char *content = m->type == DP_JSON_OBJ ? content_of(a, dp_json_get(m, "content")) : NULL;
        if (!role || !content)
            return dp_error_set(e, DP_EFORMAT, path, m->line, m->col,
                                "\"%s\": message %zu needs a string \"role\" and a text \"content\"", key, i);
        (*v)[i] = (struct dp_chat_msg){role, content};
    }
    return 0;
}

static int to_msgs(struct dp_arena *a, const struct dp_json *arr, const char *path, const char *key,
                   struct msgs *out, struct dp_error *e)
{
    return dp_train_msgs(a, arr, path, key, &out->v, &out->n, e);
}

static bool msg_eq(const struct dp_chat_msg *x, const struct dp_chat_msg *y)
{
    return strcmp(x->role, y->role) == 0 && strcmp(x->content, y->content) == 0;
}

/* TRL's extract_prompt: the prompt is the shared prefix (the loop index at the first difference,
 * or the last index compared when there is none). */
static size_t common_msgs(const struct msgs *c, const struct msgs *r)
{
    size_t n = c->n < r->n ? c->n : r->n, i = 0;
    for (; i < n; i++)
        if (!msg_eq(&c->v[i], &r->v[i])) return i;
    return n ? n - 1 : 0;
}

static size_t common_str(const char *c, const char *r)
{
    size_t n = strlen(c) < strlen(r) ? strlen(c) : strlen(r), i = 0;
    for (; i < n; i++)
        if (c[i] != r[i]) return i > 0 && c[i - 1] == ' ' ? i - 1 : i;
    return n ? n - 1 : 0;
}

/* ---------------------------------------------------------------- rendering */

static const char *render(struct dp_arena *a, const struct msgs *m, size_t n, const char *system, bool gen)
{
    struct dp_sbuf b = {0};
    dp_chat_render(&b, m->v, n, system, gen);
    const char *s = dp_arena_strndup(a, b.p ? b.p : "", b.n);
    dp_sbuf_free(&b);
    return s;
}

/* The completion after prompt p: template(prompt + completion) minus template(prompt, gen). */
static int completion_text(struct dp_arena *a, const struct msgs *p, const struct msgs *c, const char *ptext,
                           const struct dp_pairs_opts *o, const char *path, const struct dp_json *at,
                           const char *key, const char **out, struct dp_error *e)
{
    struct msgs all = {dp_arena_alloc(a, sizeof *all.v * (p->n + c->n + 1)), p->n + c->n};
    memcpy(all.v, p->v, sizeof *all.v * p->n);
    memcpy(all.v + p->n, c->v, sizeof *all.v * c->n);
    const char *full = render(a, &all, all.n, o->system, false);
    size_t lp = strlen(ptext);
    if (c->n == 0 || strcmp(c->v[0].role, "assistant") != 0 || strncmp(full, ptext, lp) != 0)
        return dp_error_set(e, DP_EFORMAT, path, at->line, at->col,
                            "\"%s\" must start with an assistant message", key);
    *out = full + lp;
    return 0;
}

/* Drops newlines after a final <|im_end|> and repeats of it; true when the text then ends
 * with exactly one. */
static bool trim_end(struct dp_arena *a, const char **s)
{
    size_t n = strlen(*s), k = n, le = strlen(IM_END);
    while (k > 0 && (*s)[k - 1] == '\n') k--;
    if (k < le || memcmp(*s + k - le, IM_END, le) != 0) return false;
    while (k >= 2 * le && memcmp(*s + k - 2 * le, IM_END, le) == 0) k -= le;
    if (k < n) *s = dp_arena_strndup(a, *s, k);
    return true;
}

static bool is_text(const struct dp_json *v) { return v && v->type == DP_JSON_STR; }
static bool is_conv(const struct dp_json *v) { return v && v->type == DP_JSON_ARR; }

static int parse_record(struct dp_arena *a, const char *line, size_t n, const char *path, int lineno,
                        const struct dp_pairs_opts *o, struct dp_pair_text *out, struct dp_error *e)
{
    struct dp_json *j;
    int rc = dp_json_parse(a, line, n, path, &j, e);
    if (rc) return rc;
    if (j->type != DP_JSON_OBJ)
        return dp_error_set(e, DP_EFORMAT, path, lineno, j->col, "a record must be a JSON object");
    const struct dp_json *pj = dp_json_get(j, "prompt"), *cj = dp_json_get(j, "chosen"), *rj = dp_json_get(j, "rejected");
    if (!cj || !rj || !(is_text(cj) || is_conv(cj)) || cj->type != rj->type ||
        (pj && pj->type != cj->type))
        return dp_error_set(e, DP_EFORMAT, path, lineno, 1,
                            "a record needs \"chosen\" and \"rejected\" (both strings or both message lists) "
                            "and an optional \"prompt\" of the same kind");
    memset(out, 0, sizeof *out);
    if (is_text(cj)) {
        const char *p = pj ? pj->str : NULL, *c = cj->str, *r = rj->str;
        if (!pj) {   /* implicit prompt: the shared prefix */
            size_t k = common_str(c, r);
            p = dp_arena_strndup(a, c, k), c += k, r += k;
        }
        if (o->raw) {
            out->prompt = p;
        } else {
            struct dp_chat_msg u = {"user", p};
            struct msgs m = {&u, 1};
            out->prompt = render(a, &m, 1, o->system, true);
        }
        out->chosen = c, out->rejected = r;
    } else {
        struct msgs pm = {0}, cm, rm;
        if (pj && (rc = to_msgs(a, pj, path, "prompt", &pm, e))) return rc;
        if ((rc = to_msgs(a, cj, path, "chosen", &cm, e)) || (rc = to_msgs(a, rj, path, "rejected", &rm, e)))
            return rc;
        if (!pj) {
            size_t k = common_msgs(&cm, &rm);
            pm = (struct msgs){cm.v, k};
            cm.v += k, cm.n -= k, rm.v += k, rm.n -= k;
        }
        out->prompt = render(a, &pm, pm.n, o->system, true);
        if ((rc = completion_text(a, &pm, &cm, out->prompt, o, path, cj, "chosen", &out->chosen, e)) ||
            (rc = completion_text(a, &pm, &rm, out->prompt, o, path, rj, "rejected", &out->rejected, e)))
            return rc;
    }
    out->end_chosen = trim_end(a, &out->chosen);
    out->end_rejected = trim_end(a, &out->rejected);
    return 0;
}

int dp_pair_parse(struct dp_arena *a, const char *line, size_t n, const char *path, int lineno,
                  const struct dp_pairs_opts *o, struct dp_pair_text *out, struct dp_error *e)
{
    int rc = parse_record(a, line, n, path, 1, o, out, e);
    if (rc && e) e->line = e->line > 0 ? e->line + lineno - 1 : lineno;   /* positions within the line */
    return rc;
}

/* ---------------------------------------------------------------- tokenizing */

struct tk {
    struct dp_tok *tok;
    const struct dp_pairs_opts *o;
    int32_t end;
};

/* prompt (already truncated) + completion text (+ end id) truncated; NULL when no completion
 * token survives. */
static int32_t *sequence(const struct tk *k, const struct dp_tok_ids *p, const char *text, bool has_end, int *len,
                         int *plen, bool *trunc, struct dp_error *e)
{
    struct dp_tok_ids c = {0};
    if (dp_tok_encode(k->tok, text, strlen(text), true, &c, e)) return NULL;
    if (!has_end) dp_tok_ids_push(&c, k->end);
    size_t nc = c.n, np = p->n, start = 0;
    if (k->o->max_completion_length > 0 && nc > (size_t)k->o->max_completion_length)
        nc = (size_t)k->o->max_completion_length, *trunc = true;
    size_t total = np + nc, keep = total;
    if (k->o->max_length > 0 && total > (size_t)k->o->max_length) {
        keep = (size_t)k->o->max_length;
        if (!k->o->keep_start) start = total - keep;
        *trunc = true;
    }
    int32_t *v = dp_xmalloc(sizeof *v * (total + 1));
    memcpy(v, p->v, sizeof *v * np);
    memcpy(v + np, c.v, sizeof *v * nc);
    memmove(v, v + start, sizeof *v * keep);
    dp_tok_ids_free(&c);
    *len = (int)keep;
    *plen = np > start ? (int)(np - start) : 0;
    if (*plen > *len) *plen = *len;
    return v;
}

static int completion_tokens(int len, int plen) { return len - (plen > 1 ? plen : 1); }

static int add_record(const struct tk *k, const struct dp_pair_text *t, int lineno, struct dp_pairs *out,
                      int *cap, struct dp_error *e)
{
    struct dp_tok_ids p = {0};
    int rc = dp_tok_encode(k->tok, t->prompt, strlen(t->prompt), true, &p, e);
    if (rc) return e->line = lineno, rc;
    bool tc = false, tr;
    if (k->o->max_prompt_length > 0 && p.n > (size_t)k->o->max_prompt_length) {
        size_t cut = p.n - (size_t)k->o->max_prompt_length;
        memmove(p.v, p.v + cut, sizeof *p.v * (p.n - cut));
        p.n -= cut;
        tc = true;
    }
    tr = tc;
    struct dp_pair q = {.line = lineno};
    q.chosen = sequence(k, &p, t->chosen, t->end_chosen, &q.nc, &q.pc, &tc, e);
    if (q.chosen) q.rejected = sequence(k, &p, t->rejected, t->end_rejected, &q.nr, &q.pr, &tr, e);
    dp_tok_ids_free(&p);
    if (!q.chosen || !q.rejected) {
        free(q.chosen);
        return e->code ? e->code : DP_EFORMAT;
    }
    out->truncated += tc + tr;
    if (completion_tokens(q.nc, q.pc) < 1 || completion_tokens(q.nr, q.pr) < 1) {
        out->dropped++;
        free(q.chosen), free(q.rejected);
        return 0;
    }
    if (out->n == *cap) {
        *cap = *cap ? 2 * *cap : 64;
        out->v = dp_xrealloc(out->v, sizeof *out->v * (size_t)*cap);
    }
    out->tokens += q.nc + q.nr;
    out->v[out->n++] = q;
    return 0;
}

int dp_pairs_load(const char *path, struct dp_tok *tok, const struct dp_pairs_opts *o, struct dp_pairs *out,
                  struct dp_error *e)
{
    memset(out, 0, sizeof *out);
    char *text;
    size_t n;
    int rc = dp_file_read(path, &text, &n, e);
    if (rc) return rc;
    const struct dp_tok_special *sp = dp_tok_special_ids(tok);
    struct tk k = {tok, o, sp->im_end >= 0 ? sp->im_end : sp->eos};
    if (k.end < 0) rc = dp_error_set(e, DP_EFORMAT, path, 0, 0, "the tokenizer has neither <|im_end|> nor an eos token");
    struct dp_arena a;
    dp_arena_init(&a, 1 << 16);
    int cap = 0;
    struct dp_lines it;
    struct dp_line ln;
    dp_lines_init(&it, text, n);
    while (!rc && dp_lines_next(&it, &ln)) {
        struct dp_pair_text pt;
        rc = dp_pair_parse(&a, ln.s, ln.len, path, ln.lineno, o, &pt, e);
        if (!rc) rc = add_record(&k, &pt, ln.lineno, out, &cap, e);
        dp_arena_reset(&a);
    }
    dp_arena_free(&a);
    free(text);
    if (!rc && out->n == 0)
        rc = dp_error_set(e, DP_EFORMAT, path, 0, 0, "no usable preference pairs (%d dropped by truncation)", out->dropped);
    if (rc) dp_pairs_free(out);
    return rc;
}

void dp_pairs_free(struct dp_pairs *p)
{
    for (int i = 0; i < p->n; i++) free(p->v[i].chosen), free(p->v[i].rejected);
    free(p->v);
    memset(p, 0, sizeof *p);
}
