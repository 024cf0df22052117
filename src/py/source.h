/* Python source bytes -> the UTF-8 text the tokenizer reads: PEP 263 coding cookies (UTF-8,
 * latin-1 and the other single-byte codecs; ASCII-only text under a multi-byte codec), the
 * UTF-8 BOM, universal newlines, and a final newline. */
#ifndef DP_PY_SOURCE_H
#define DP_PY_SOURCE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct dp_py_codec {
    const char *name;        /* CPython's codec name, e.g. "cp1252" */
    uint16_t high[128];      /* bytes 0x80-0xFF; 0xFFFF: undefined */
};
extern const struct dp_py_codec dp_py_codecs[];   /* ends with a NULL name; read-only */

/* A cookie name normalized like codecs.lookup does -> index into dp_py_codecs, or -1 for a
 * codec decoded only when the text is pure ASCII (multi-byte codecs). Sorted by name. */
struct dp_py_codec_alias { const char *name; int codec; };
extern const struct dp_py_codec_alias dp_py_codec_aliases[];

/* Decodes src[0..n) into *out (arena-owned, NUL-terminated, *outlen bytes). Errors: an unknown
 * or unusable encoding ("unknown encoding: X", "encoding problem: utf8 with BOM"), bytes the
 * declared codec cannot decode. Invalid UTF-8 is left for the tokenizer to report. */
int dp_py_source_decode(struct dp_arena *a, const char *src, size_t n, const char *path,
                        char **out, size_t *outlen, struct dp_error *e);

/* The tokenizer's view of a source: the decoded text as dp_py_source_decode makes it, where
 * each line starts (line_start[1] = 0, then one entry after each '\n'; [0] unused), and whether
 * the whole text is valid UTF-8 (then no part of it needs checking again). All arena-owned. */
struct dp_py_text {
    const char *s;
    size_t len;
    uint32_t *line_start;
    int nlines;
    bool utf8_ok;
};
int dp_py_source_prepare(struct dp_arena *a, const char *src, size_t n, const char *path,
                         struct dp_py_text *t, struct dp_error *e);

/* The first invalid UTF-8 sequence in s[0..n), as CPython's decoder describes it: its offset,
 * length and reason ("invalid start byte", "invalid continuation byte", "unexpected end of
 * data"). Returns false when s is valid UTF-8. */
bool dp_py_utf8_problem(const unsigned char *s, size_t n, size_t *at, size_t *len, const char **why);

#endif
