/* String views and builders. */
#include "base/str.h"
#include "base/arena.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dp_sv dp_sv_cstr(const char *s) { return dp_sv_from(s, strlen(s)); }

bool dp_sv_eq(struct dp_sv a, struct dp_sv b)
{
    return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

bool dp_sv_eq_cstr(struct dp_sv a, const char *s) { return dp_sv_eq(a, dp_sv_cstr(s)); }

bool dp_sv_starts_with(struct dp_sv a, const char *prefix)
{
    size_t n = strlen(prefix);
    return a.n >= n && memcmp(a.p, prefix, n) == 0;
}

void dp_sbuf_reserve(struct dp_sbuf *b, size_t extra)
{
    if (b->n + extra + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->n + extra + 1) cap *= 2;
    b->p = dp_xrealloc(b->p, cap);
    b->cap = cap;
}

void dp_sbuf_put(struct dp_sbuf *b, const void *p, size_t n)
{
    dp_sbuf_reserve(b, n);
    if (n) memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = 0;
}

void dp_sbuf_puts(struct dp_sbuf *b, const char *s) { dp_sbuf_put(b, s, strlen(s)); }

void dp_sbuf_putc(struct dp_sbuf *b, char c)
{
    dp_sbuf_reserve(b, 1);
    b->p[b->n++] = c;
    b->p[b->n] = 0;
}

void dp_sbuf_printf(struct dp_sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (k < 0) return;
    if ((size_t)k < sizeof tmp) {
        dp_sbuf_put(b, tmp, (size_t)k);
        return;
    }
    dp_sbuf_reserve(b, (size_t)k);
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
}

void dp_sbuf_reset(struct dp_sbuf *b)
{
    b->n = 0;
    if (b->p) b->p[0] = 0;
}

void dp_sbuf_free(struct dp_sbuf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

char *dp_sbuf_take(struct dp_sbuf *b)
{
    if (!b->p) dp_sbuf_reserve(b, 0), b->p[0] = 0;
    char *p = b->p;
    b->p = NULL;
    b->n = b->cap = 0;
    return p;
}

void dp_lines_init(struct dp_lines *it, const char *p, size_t n)
{
    *it = (struct dp_lines){p, n, 0, 0};
}

bool dp_lines_next(struct dp_lines *it, struct dp_line *out)
{
    while (it->i < it->n) {
        const char *s = it->p + it->i, *nl = memchr(s, '\n', it->n - it->i);
        size_t len = nl ? (size_t)(nl - s) : it->n - it->i;
        it->i += len + 1;
        it->lineno++;
        if (len > 0 && s[len - 1] == '\r') len--;
        size_t t = 0;
        while (t < len && (s[t] == ' ' || s[t] == '\t' || s[t] == '\r')) t++;
        if (t == len) continue;
        *out = (struct dp_line){s, len, it->lineno, nl == NULL};
        return true;
    }
    return false;
}
