/* String views (borrowed bytes) and string builders (owned, growable, NUL-terminated). */
#ifndef DP_BASE_STR_H
#define DP_BASE_STR_H
#include <stdbool.h>
#include <stddef.h>

struct dp_sv {
    const char *p;  /* borrowed; not NUL-terminated in general */
    size_t n;
};

struct dp_sbuf {
    char *p;        /* owned; always NUL-terminated after any put (p may be NULL when cap == 0) */
    size_t n, cap;
};

static inline struct dp_sv dp_sv_from(const char *p, size_t n) { struct dp_sv v = {p, n}; return v; }
struct dp_sv dp_sv_cstr(const char *s);
bool dp_sv_eq(struct dp_sv a, struct dp_sv b);
bool dp_sv_eq_cstr(struct dp_sv a, const char *s);
bool dp_sv_starts_with(struct dp_sv a, const char *prefix);

void dp_sbuf_reserve(struct dp_sbuf *b, size_t extra);
void dp_sbuf_put(struct dp_sbuf *b, const void *p, size_t n);
void dp_sbuf_puts(struct dp_sbuf *b, const char *s);
void dp_sbuf_putc(struct dp_sbuf *b, char c);
void dp_sbuf_printf(struct dp_sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void dp_sbuf_reset(struct dp_sbuf *b);   /* length 0, keeps capacity */
void dp_sbuf_free(struct dp_sbuf *b);

/* The non-blank lines of a text (JSONL, prompt lists): blank means only spaces, tabs and CR.
 * A line excludes its '\n' and a trailing '\r'; lineno is 1-based; last is true for a line
 * with no '\n' after it (a torn last record of a killed writer). */
struct dp_lines {
    const char *p;
    size_t n, i;
    int lineno;
};
struct dp_line {
    const char *s;
    size_t len;
    int lineno;
    bool last;
};
void dp_lines_init(struct dp_lines *it, const char *p, size_t n);
bool dp_lines_next(struct dp_lines *it, struct dp_line *out);
/* Hands the buffer to the caller (free() it); b is left empty. */
char *dp_sbuf_take(struct dp_sbuf *b);

#endif
