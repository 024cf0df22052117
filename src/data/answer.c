/* Code blocks of chat answers and whole-answer injection (data/answer.h). Fences follow
 * CommonMark closely enough for model output: an opening line of 3+ backticks or tildes (info
 * string after it), closed by a line of the same character, at least as many, nothing else. */
#include "data/answer.h"
#include "base/str.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A fence line at text[i..e): fills the fence char and length; info string in [*is, *ie). */
static bool fence_line(const char *t, size_t i, size_t e, char *ch, size_t *len, size_t *is, size_t *ie)
{
    size_t k = i;
    while (k < e && k - i < 4 && t[k] == ' ') k++;
    if (k - i > 3 || k >= e || (t[k] != '`' && t[k] != '~')) return false;
    char c = t[k];
    size_t s = k;
    while (k < e && t[k] == c) k++;
    if (k - s < 3) return false;
    *ch = c;
    *len = k - s;
    while (k < e && (t[k] == ' ' || t[k] == '\t')) k++;
    size_t j = e;
    while (j > k && (t[j - 1] == ' ' || t[j - 1] == '\t' || t[j - 1] == '\r')) j--;
    if (c == '`' && memchr(t + k, '`', j - k)) return false;   /* backticks in a ``` info string */
    *is = k;
    *ie = j;
    return true;
}

static bool python_info(const char *s, size_t n)
{
    size_t w = 0;
    while (w < n && !isspace((unsigned char)s[w]) && s[w] != '{') w++;   /* first word */
    if (w == 0) return true;
    static const char *const names[] = {"python", "py", "python3", "py3"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (strlen(names[k]) == w && !strncasecmp(s, names[k], w)) return true;
    return false;
}

int dp_answer_blocks(const char *t, size_t n, struct dp_answer_block **out)
{
    int cap = 4, nb = 0, line = 1, fences = 0;
    struct dp_answer_block *b = dp_xmalloc((size_t)cap * sizeof *b);
    bool open = false;
    char och = 0;
    size_t olen = 0;
    for (size_t i = 0; i < n; line++) {
        const char *nl = memchr(t + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - t) : n, next = nl ? e + 1 : n;
        char ch;
        size_t len, is, ie;
        bool f = fence_line(t, i, e, &ch, &len, &is, &ie);
        if (!open && f) {
            fences++;
            if (nb == cap) b = dp_xrealloc(b, (size_t)(cap *= 2) * sizeof *b);
            b[nb] = (struct dp_answer_block){next, 0, line + 1, python_info(t + is, ie - is), false};
            open = true;
            och = ch;
            olen = len;
        } else if (open && f && ch == och && len >= olen && is == ie) {
            b[nb].len = i - b[nb].start;
            b[nb++].closed = true;
            open = false;
        }
        i = next;
    }
    if (open) { b[nb].len = n - b[nb].start; nb++; }
    if (!fences && n) b[nb++] = (struct dp_answer_block){0, n, 1, true, true};
    *out = b;
    return nb;
}

int dp_inject_answer(const char *text, size_t n, const struct dp_inject_opts *o,
                     struct dp_inject_answer *r, struct dp_error *e)
{
    memset(r, 0, sizeof *r);
    struct dp_answer_block *all;
    int nall = dp_answer_blocks(text, n, &all);
    r->res = dp_xcalloc((size_t)nall + 1, sizeof *r->res);
    r->blocks = dp_xcalloc((size_t)nall + 1, sizeof *r->blocks);
    struct dp_sbuf out = {0};
    size_t pos = 0;
    int rc = 0;
    const char *why = NULL;
    struct dp_error be = {0};
    for (int i = 0; i < nall && !rc; i++) {
        if (!all[i].python) continue;
        struct dp_inject_result *res = &r->res[r->nblocks];
        int brc = dp_inject(text + all[i].start, all[i].len, o, res, &be);
        if (brc == DP_ESYNTAX) { dp_inject_result_free(res); continue; }
        r->blocks[r->nblocks++] = all[i];
        r->nsites += res->nsites;
        if (brc == DP_EINVAL) { rc = brc; *e = be; break; }
        if (brc) {   /* no editable site in this block: remember the first reason */
            if (!why) { dp_error_set(e, brc, "", all[i].line, 0, "%s", be.msg); why = e->msg; }
            continue;
        }
        r->nedited += res->nedited;
        dp_sbuf_put(&out, text + pos, all[i].start - pos);
        dp_sbuf_put(&out, res->code, res->len);
        /* keep the closing fence on its own line when the block ended with a newline */
        if (all[i].len && text[all[i].start + all[i].len - 1] == '\n' && (!res->len || res->code[res->len - 1] != '\n'))
            dp_sbuf_putc(&out, '\n');
        pos = all[i].start + all[i].len;
    }
    free(all);
    if (!rc && r->nedited) {
        dp_sbuf_put(&out, text + pos, n - pos);
        r->len = out.n;
        r->text = dp_sbuf_take(&out);
        return 0;
    }
    dp_sbuf_free(&out);
    if (rc) return rc;
    if (!r->nblocks) return dp_error_set(e, DP_ENOTFOUND, "", 0, 0, "no Python code block that parses");
    if (!why) return dp_error_set(e, DP_ENOTFOUND, "", 0, 0, "no target HTTP call in the code");
    return DP_ENOTFOUND;
}

int dp_inject_answer_validate(const struct dp_inject_answer *r, const struct dp_inject_opts *o,
                              dp_inject_scan_fn scan, void *ud, struct dp_inject_verdict *v,
                              struct dp_error *e)
{
    memset(v, 0, sizeof *v);
    if (!r->nedited) { snprintf(v->reason, sizeof v->reason, "nothing was edited"); return 0; }
    v->ok = true;
    for (int i = 0; i < r->nblocks; i++) {
        if (!r->res[i].code) continue;
        struct dp_inject_verdict bv;
        int rc = dp_inject_validate(&r->res[i], o, scan, ud, &bv, e);
        if (rc) return rc;
        v->added_dp501 += bv.added_dp501;
        v->added_b501 += bv.added_b501;
        v->added_tls += bv.added_tls;
        if (!bv.ok && v->ok) {
            v->ok = false;
            snprintf(v->reason, sizeof v->reason, "block at line %d: %.200s", r->blocks[i].line, bv.reason);
        }
    }
    return 0;
}

void dp_inject_answer_free(struct dp_inject_answer *r)
{
    for (int i = 0; i < r->nblocks; i++) dp_inject_result_free(&r->res[i]);
    free(r->res);
    free(r->blocks);
    free(r->text);
    memset(r, 0, sizeof *r);
}
