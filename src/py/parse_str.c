/* Python parser, part 3: string literals — implicit concatenation, bytes, and f-strings split
 * into literal text and replacement fields ({expr=!conv:spec}) the way CPython 3.11 builds
 * JoinedStr/FormattedValue; each field's expression is parsed by a sub-parser over its tokens. */
#include "base/str.h"
#include "py/literal.h"
#include "py/parse_int.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fs {
    struct pp *p;
    const struct dp_py_tok *tok;
    const char *src;
    bool raw;
    const char *kind;   /* "u" when the concatenation starts with a u'' literal (3.11 marks every piece) */
    const char **run_kind;   /* 3.12: the kind of the token where the pending literal run began */
    uint32_t *run;           /* 3.12: source span [run[0], run[1]) of the pending literal run */
    bool tok_span;           /* a plain string token: it contributes its whole span */
};

/* Called before the source text [a, b) adds to the pending literal: 3.12 gives a merged piece the
 * kind of the token its first character came from, and the span from there to its last one. */
static void lit_begin(struct fs *f, const struct dp_sbuf *lit, uint32_t a, uint32_t b)
{
    if (lit->n == 0 && f->run_kind) *f->run_kind = f->src[f->tok->start] == 'u' ? "u" : NULL;
    if (f->run) {
        if (lit->n == 0) f->run[0] = a;
        f->run[1] = b;
    }
}

/* Sets n's position to the source span [a, b) (3.12 locates f-string pieces exactly). */
static void locate(struct pp *p, struct dp_py_node *n, uint32_t a, uint32_t b)
{
    const struct dp_py_lexer_out *w = p->whole;
    int la = 1, lb;
    while (la < w->nlines && w->line_start[la + 1] <= a) la++;
    for (lb = la; lb < w->nlines && w->line_start[lb + 1] <= b;) lb++;
    n->lineno = la;
    n->col_offset = (int)(a - w->line_start[la]);
    n->end_lineno = lb;
    n->end_col_offset = (int)(b - w->line_start[lb]);
}

static struct dp_py_node *empty_piece(struct pp *p, const struct dp_py_tok *t, uint32_t at)
{
    struct dp_py_node *c = pp_node(p, DP_PY_Constant, t);
    c->v.Constant.value.kind = DP_PY_CONST_STR;
    c->v.Constant.value.s = "";
    locate(p, c, at, at);
    pp_push(p, c);
    return c;
}

/* Errors inside a string literal: CPython reports them just past the token's end, counting the
 * column in bytes. */
static void str_error(struct fs *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void str_error(struct fs *f, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pp_error_at(f->p, f->tok->end_line, f->tok->end_col, "SyntaxError", "%s", msg);
}

/* Appends literal text s[i..j) (escapes decoded unless raw). */
static bool add_literal(struct fs *f, struct dp_sbuf *lit, uint32_t i, uint32_t j, bool bytes)
{
    if (j <= i) return true;
    if (f->raw || (!bytes && !memchr(f->src + i, '\\', j - i))) {   /* nothing to decode */
        if (bytes)
            for (uint32_t k = i; k < j; k++)
                if ((unsigned char)f->src[k] >= 0x80) {
                    str_error(f, "bytes can only contain ASCII literal characters");
                    return false;
                }
        lit_begin(f, lit, f->tok_span ? f->tok->start : i, f->tok_span ? f->tok->end : j);
        dp_sbuf_put(lit, f->src + i, j - i);
        return true;
    }
    lit_begin(f, lit, f->tok_span ? f->tok->start : i, f->tok_span ? f->tok->end : j);
    size_t bad = 0;
    const char *why = NULL;
    int r = bytes ? dp_py_unescape_bytes(lit, f->src + i, j - i, &bad, &why)
                  : dp_py_unescape_str(lit, f->src + i, j - i, &bad, &why);
    if (r) {
        if (bytes && why && strstr(why, "ASCII"))
            str_error(f, "%s", why);
        else
            str_error(f, "%s", why ? why : "invalid escape");
        return false;
    }
    return true;
}

static void flush_literal(struct fs *f, struct dp_sbuf *lit)
{
    if (lit->n == 0) return;
    struct dp_py_node *c = pp_node(f->p, DP_PY_Constant, f->tok);
    c->v.Constant.value.kind = DP_PY_CONST_STR;
    c->v.Constant.value.s = dp_arena_strndup(f->p->a, lit->p, lit->n);
    c->v.Constant.value.n = lit->n;
    c->v.Constant.kind = f->p->version >= 312 ? (f->run_kind ? *f->run_kind : NULL) : f->kind;
    if (f->p->version >= 312 && f->run) locate(f->p, c, f->run[0], f->run[1]);
    pp_push(f->p, c);
    dp_sbuf_reset(lit);
}

/* skips a string literal starting at i (at a prefix letter or quote); returns the index after it */
static uint32_t skip_string(const char *s, uint32_t i, uint32_t e)
{
    while (i < e && s[i] != '\'' && s[i] != '"') i++;
    if (i >= e) return e;
    char q = s[i];
    bool triple = i + 2 < e && s[i + 1] == q && s[i + 2] == q;
    i += triple ? 3 : 1;
    while (i < e) {
        if (s[i] == '\\') { i += 2; continue; }
        if (s[i] == q) {
            if (!triple) return i + 1;
            if (i + 2 < e && s[i + 1] == q && s[i + 2] == q) return i + 3;
        }
        i++;
    }
    return e;
}

/* end of the expression of a replacement field starting at i: the index of the '=', '!', ':'
 * or '}' that ends it at bracket depth 0 (CPython 3.11's fstring_find_expr) */
static int64_t find_expr_end(struct fs *f, uint32_t i, uint32_t e)
{
    const char *s = f->src;
    int depth = 0;
    while (i < e) {
        char c = s[i];
        if (f->p->version < 312 && c == '\\') {
            str_error(f, "f-string expression part cannot include a backslash");
            return -1;
        }
        if (f->p->version < 312 && c == '#') {
            str_error(f, "f-string expression part cannot include '#'");
            return -1;
        }
        if (c == '\'' || c == '"') { i = skip_string(s, i, e); continue; }
        if (c == '#') {   /* 3.12: a comment inside a replacement field */
            while (i < e && s[i] != '\n') i++;
            continue;
        }
        if (c == '[' || c == '(' || c == '{') { depth++; i++; continue; }
        if (c == ']' || c == ')') {
            if (depth == 0) { str_error(f, "f-string: unmatched '%c'", c); return -1; }
            depth--; i++; continue;
        }
        if (c == '}' && depth > 0) { depth--; i++; continue; }
        if (depth == 0 && (c == '!' || c == ':' || c == '}' || c == '=' || c == '>' || c == '<')) {
            char nx = i + 1 < e ? s[i + 1] : 0;
            if ((c == '!' || c == '=' || c == '<' || c == '>') && nx == '=') { i += 2; continue; }
            if (c == '<' || c == '>') { i++; continue; }
            return i;
        }
        i++;
    }
    str_error(f, "f-string: expecting '}'");
    return -1;
}

static int64_t fstr_body(struct fs *f, uint32_t i, uint32_t e, struct dp_sbuf *lit, int level);

static bool only_space(const char *s, uint32_t i, uint32_t e)
{
    for (; i < e; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\f' && s[i] != '\r') return false;
    return true;
}

/* replacement field after '{' at i; returns the index after its closing '}' */
static int64_t fstr_field(struct fs *f, uint32_t i, uint32_t e, struct dp_sbuf *lit, int level)
{
    struct pp *p = f->p;
    const char *s = f->src;
    if (level >= (p->version >= 312 ? 3 : 2)) { str_error(f, "f-string: expressions nested too deeply"); return -1; }
    int64_t k = find_expr_end(f, i, e);
    if (k < 0) return -1;
    uint32_t xs = i, xe = (uint32_t)k;
    if (only_space(s, xs, xe)) { str_error(f, "f-string: empty expression not allowed"); return -1; }
    bool debug = false;
    uint32_t dbg_end = 0;
    if (s[k] == '=') {
        debug = true;
        k++;
        for (;;) {
            while (k < e && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\f')) k++;
            if (p->version < 312 || k >= e || s[k] != '#') break;
            while (k < e && s[k] != '\n') k++;   /* 3.12: a comment after '=' */
        }
        dbg_end = (uint32_t)k;
    }
    int conversion = -1;
    if (k < e && s[k] == '!') {
        k++;
        char c = k < e ? s[k] : 0;
        if (c != 's' && c != 'r' && c != 'a') {
            str_error(f, "f-string: invalid conversion character: expected 's', 'r', or 'a'");
            return -1;
        }
        conversion = c;
        k++;
        if (p->version >= 312)   /* 3.12 tokenizes fields: blanks may follow the conversion */
            while (k < e && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\f')) k++;
    }
    struct dp_py_node *value = pp_subparse_fexpr(p, xs, xe);
    if (!value) return -1;
    struct dp_py_node *spec = NULL;
    if (k < e && s[k] == ':') {
        spec = pp_node(p, DP_PY_JoinedStr, f->tok);
        int m = pp_mark(p);
        struct dp_sbuf sl = {0};
        const char *spec_kind = NULL;   /* the spec's pieces keep their own run */
        uint32_t spec_run[2] = {0, 0};
        struct fs fspec = *f;
        fspec.run_kind = &spec_kind;
        fspec.run = spec_run;
        int64_t r = fstr_body(&fspec, (uint32_t)k + 1, e, &sl, level + 1);
        if (r >= 0) flush_literal(&fspec, &sl);
        dp_sbuf_free(&sl);
        if (r < 0) { p->nstk = m; return -1; }
        /* 3.12's tokenizer leaves an empty literal after a field that ends a format spec */
        if (p->version >= 312 && pp_mark(p) > m && p->stk[pp_mark(p) - 1]->kind == DP_PY_FormattedValue)
            empty_piece(p, f->tok, (uint32_t)r);
        spec->v.JoinedStr.values = pp_list(p, m);
        if (p->version >= 312) locate(p, spec, (uint32_t)k, (uint32_t)r);
        k = r;
    }
    if (k >= e || s[k] != '}') { str_error(f, "f-string: expecting '}'"); return -1; }
    k++;
    if (debug) {
        /* the expression's text up to the blanks after '=', without comments (3.12) */
        lit_begin(f, lit, xs, dbg_end);
        for (uint32_t i2 = xs; i2 < dbg_end;) {
            if (s[i2] == '\'' || s[i2] == '"') {
                uint32_t j2 = skip_string(s, i2, dbg_end);
                dp_sbuf_put(lit, s + i2, j2 - i2);
                i2 = j2;
                continue;
            }
            if (s[i2] == '#' && p->version >= 312) {
                while (i2 < dbg_end && s[i2] != '\n') i2++;
                continue;
            }
            dp_sbuf_putc(lit, s[i2++]);
        }
        if (conversion < 0 && !spec) conversion = 'r';
    }
    flush_literal(f, lit);
    struct dp_py_node *fv = pp_node(p, DP_PY_FormattedValue, f->tok);
    fv->v.FormattedValue.value = value;
    fv->v.FormattedValue.conversion = conversion;
    fv->v.FormattedValue.format_spec = spec;
    if (p->version >= 312) locate(p, fv, i - 1, (uint32_t)k);
    pp_push(p, fv);
    return k;
}

/* Literal text and fields from i; at level 0 runs to e, inside a format spec stops at the
 * unmatched '}' and returns its index. */
static int64_t fstr_body(struct fs *f, uint32_t i, uint32_t e, struct dp_sbuf *lit, int level)
{
    const char *s = f->src;
    while (i < e) {
        uint32_t j = i;
        while (j < e) {
            char c = s[j];
            if (c == '\\' && !f->raw && j + 1 < e) {
                if (s[j + 1] == 'N' && j + 2 < e && s[j + 2] == '{') {
                    while (j < e && s[j] != '}') j++;
                    if (j < e) j++;
                    continue;
                }
                j += s[j + 1] == '{' || s[j + 1] == '}' ? 1 : 2;
                continue;
            }
            if (c == '{' || c == '}') break;
            j++;
        }
        if (!add_literal(f, lit, i, j, false)) return -1;
        i = j;
        if (i >= e) break;
        char c = s[i];
        if (level == 0 && i + 1 < e && s[i + 1] == c) {
            lit_begin(f, lit, i, i + 2);
            dp_sbuf_putc(lit, c);
            i += 2;
            continue;
        }
        if (level > 0 && c == '{' && i + 1 < e && s[i + 1] == '{' && lit->n == 0 && f->p->version >= 312) {
            /* 3.12 leaves an empty literal before a spec field that opens with a brace */
            empty_piece(f->p, f->tok, i);
        }
        if (c == '}') {
            if (level > 0) return i;
            str_error(f, "f-string: single '}' is not allowed");
            return -1;
        }
        int64_t r = fstr_field(f, i + 1, e, lit, level);
        if (r < 0) return -1;
        i = (uint32_t)r;
    }
    if (level > 0) { str_error(f, "f-string: expecting '}'"); return -1; }
    return e;
}

static void body_span(const struct pp *p, const struct dp_py_tok *t, uint32_t *bs, uint32_t *be)
{
    const char *s = p->whole->src;
    uint32_t i = t->start;
    while (s[i] != '\'' && s[i] != '"') i++;
    uint32_t q = (t->strflags & DP_PY_STR_TRIPLE) ? 3 : 1;
    *bs = i + q;
    *be = t->end - q;
}

/* Python 3.11 gives every piece of an f-string the location of the whole concatenation; a
 * format spec keeps its token's location and gives it to its own pieces. */
static void locate_pieces(struct dp_py_node *js, const struct dp_py_node *whole)
{
    for (int i = 0; i < js->v.JoinedStr.values.n; i++) {
        struct dp_py_node *c = js->v.JoinedStr.values.items[i];
        c->lineno = whole->lineno;
        c->col_offset = whole->col_offset;
        c->end_lineno = whole->end_lineno;
        c->end_col_offset = whole->end_col_offset;
        if (c->kind == DP_PY_FormattedValue && c->v.FormattedValue.format_spec)
            locate_pieces(c->v.FormattedValue.format_spec, c->v.FormattedValue.format_spec);
    }
}

/* A lone literal that is not an f-string and has nothing to decode (most strings of real code):
 * its text is the value. NULL when it is anything else. */
static struct dp_py_node *plain_string(struct pp *p, const struct dp_py_tok *t)
{
    const char *src = p->whole->src;
    uint32_t bs, be;
    body_span(p, t, &bs, &be);
    size_t n = be > bs ? be - bs : 0;
    bool bytes = (t->strflags & DP_PY_STR_BYTES) != 0;
    if (!(t->strflags & DP_PY_STR_RAW) && memchr(src + bs, '\\', n)) return NULL;
    if (bytes)
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)src[bs + i] >= 0x80) return NULL;
    struct dp_py_node *c = pp_node(p, DP_PY_Constant, t);
    struct dp_py_const *v = &c->v.Constant.value;
    v->kind = bytes ? DP_PY_CONST_BYTES : DP_PY_CONST_STR;
    v->s = dp_arena_strndup(p->a, src + bs, n);
    v->n = n;
    c->v.Constant.kind = src[t->start] == 'u' ? "u" : NULL;
    p->pos++;
    if (p->far < p->pos) p->far = p->pos;
    pp_end(p, c);
    return c;
}

/* atom: STRING+ */
struct dp_py_node *pp_strings(struct pp *p)
{
    struct dp_py_tok *st = pp_tok(p);
    if (!(st->strflags & DP_PY_STR_F) && (p->pos + 1 >= p->n || p->t[p->pos + 1].type != DP_PY_TOK_STRING)) {
        struct dp_py_node *c = plain_string(p, st);
        if (c) return c;
    }
    int first = p->pos, last = p->pos;
    bool any_f = false, bytes = (st->strflags & DP_PY_STR_BYTES) != 0;
    while (last < p->n && p->t[last].type == DP_PY_TOK_STRING) {
        if (((p->t[last].strflags & DP_PY_STR_BYTES) != 0) != bytes)
            return pp_error_tok(p, st, "cannot mix bytes and nonbytes literals");
        if (p->t[last].strflags & DP_PY_STR_F) any_f = true;
        last++;
    }
    p->pos = last;
    if (p->far < last) p->far = last;
    struct dp_sbuf lit = {0};
    struct dp_py_node *n;
    int m = pp_mark(p);
    const char *kind = p->whole->src[st->start] == 'u' ? "u" : NULL, *run_kind = NULL;
    uint32_t run[2] = {0, 0};
    for (int i = first; i < last; i++) {
        const struct dp_py_tok *t = &p->t[i];
        struct fs f = {p, t, p->whole->src, (t->strflags & DP_PY_STR_RAW) != 0, kind, &run_kind, run,
                       !(t->strflags & DP_PY_STR_F)};
        uint32_t bs, be;
        body_span(p, t, &bs, &be);
        bool ok;
        if (t->strflags & DP_PY_STR_F) {
            p->fdepth++;
            ok = fstr_body(&f, bs, be, &lit, 0) >= 0;
            p->fdepth--;
        } else {
            ok = add_literal(&f, &lit, bs, be, bytes);
        }
        if (!ok) {
            p->nstk = m;
            dp_sbuf_free(&lit);
            return NULL;
        }
    }
    if (any_f) {
        struct fs f = {p, st, p->whole->src, false, kind, &run_kind, run, false};
        flush_literal(&f, &lit);
        n = pp_node(p, DP_PY_JoinedStr, st);
        n->v.JoinedStr.values = pp_list(p, m);
    } else {
        n = pp_node(p, DP_PY_Constant, st);
        struct dp_py_const *c = &n->v.Constant.value;
        c->kind = bytes ? DP_PY_CONST_BYTES : DP_PY_CONST_STR;
        c->s = dp_arena_strndup(p->a, lit.p ? lit.p : "", lit.n);
        c->n = lit.n;
        n->v.Constant.kind = kind;
    }
    dp_sbuf_free(&lit);
    pp_end(p, n);
    if (any_f && p->version < 312) locate_pieces(n, n);
    return n;
}

/* The expression of a replacement field, parsed as if parenthesized. */
struct dp_py_node *pp_subparse_fexpr(struct pp *p, uint32_t start, uint32_t end)
{
    if (p->fdepth > 20) return pp_error_at(p, p->t[p->pos > 0 ? p->pos - 1 : 0].line, 0, "SyntaxError", "f-string: expressions nested too deeply");
    struct pp sub = *p;
    int r = dp_py_lex_range(p->a, p->whole, start, end, p->path, &sub.lx, p->e);
    if (r) { p->failed = true; return NULL; }
    sub.t = sub.lx.toks;
    sub.n = sub.lx.n;
    sub.pos = 0;
    sub.far = 0;
    struct dp_py_node *e = pp_is_kw(&sub, DP_PY_KW_yield) ? pp_yield_expr(&sub) : pp_star_expressions(&sub);
    if (e && !pp_is_type(&sub, DP_PY_TOK_END)) {
        pp_syntax_error(&sub);
        e = NULL;
    }
    if (e && e->kind == DP_PY_Tuple && e->col_offset == sub.t[0].col && e->lineno == sub.t[0].line) {
        /* CPython parses the field as "(expr)" with the parentheses on the braces */
        const struct dp_py_lexer_out *w = p->whole;
        uint32_t ob = start - 1, cb = end;
        int ol = 1, cl = 1;
        while (ol < w->nlines && w->line_start[ol + 1] <= ob) ol++;
        while (cl < w->nlines && w->line_start[cl + 1] <= cb) cl++;
        e->lineno = ol;
        e->col_offset = (int)(ob - w->line_start[ol]);
        e->end_lineno = cl;
        e->end_col_offset = (int)(cb + 1 - w->line_start[cl]);
    }
    if (sub.failed) p->failed = true;
    /* the sub-parser worked on copies of the shared state */
    p->stk = sub.stk;
    p->nstk = sub.nstk;
    p->capstk = sub.capstk;
    if (sub.deepest > p->deepest) p->deepest = sub.deepest;
    if (sub.longest > p->longest) p->longest = sub.longest;
    return e;
}
