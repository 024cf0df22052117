/* Source decoding before tokenizing (see source.h): CPython reads the coding cookie from the
 * first two lines (PEP 263), refuses unknown encodings, and translates \r\n and \r to \n. Not
 * here: validation of UTF-8 itself, which the tokenizer reports with a position. */
#include "py/source.h"
#include <stdbool.h>
#include <string.h>

/* The cookie's encoding name (lowercased, at most cap-1 chars) or "" when there is none. */
static void find_cookie(const char *s, size_t n, char *enc, size_t cap)
{
    enc[0] = 0;
    size_t i = 0;
    for (int line = 0; line < 2 && i < n; line++) {
        size_t e = i;
        while (e < n && s[e] != '\n' && s[e] != '\r') e++;
        size_t j = i;
        while (j < e && (s[j] == ' ' || s[j] == '\t' || s[j] == '\f')) j++;
        if (j < e && s[j] == '#') {
            /* regex ^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+) */
            for (size_t k = j; k + 7 <= e; k++) {
                if (memcmp(s + k, "coding", 6) != 0 || (s[k + 6] != ':' && s[k + 6] != '=')) continue;
                size_t v = k + 7, m = 0;
                while (v < e && (s[v] == ' ' || s[v] == '\t')) v++;
                while (v < e && m + 1 < cap) {
                    char c = s[v];
                    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                c == '_' || c == '-' || c == '.';
                    if (!word) break;
                    enc[m++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
                    v++;
                }
                enc[m] = 0;
                if (m) return;
            }
        } else if (j < e) {
            return;   /* a line of code: no cookie on the next line either */
        }
        i = e + (e + 1 < n && s[e] == '\r' && s[e + 1] == '\n' ? 2 : 1);
    }
}

/* CPython's get_normal_name: "utf-8" and "latin-1" families. */
static const char *normal_name(const char *enc)
{
    if (!strncmp(enc, "utf-8", 5) && (enc[5] == 0 || enc[5] == '-')) return "utf-8";
    static const char *const l1[] = {"latin-1", "iso-8859-1", "iso-latin-1"};
    for (int i = 0; i < 3; i++) {
        size_t k = strlen(l1[i]);
        if (!strncmp(enc, l1[i], k) && (enc[k] == 0 || enc[k] == '-')) return "iso-8859-1";
    }
    return enc;
}

/* -2: UTF-8; -1: ASCII-only codec; >= 0: dp_py_codecs index; -3: unknown */
static int codec_of(const char *enc)
{
    char norm[64];
    size_t m = 0;
    bool sep = false;
    for (const char *c = enc; *c && m + 1 < sizeof norm; c++) {
        bool keep = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '.';
        if (keep) {
            if (sep && m) norm[m++] = '_';
            norm[m++] = *c;
            sep = false;
        } else {
            sep = true;
        }
    }
    norm[m] = 0;
    if (!strcmp(norm, "utf_8") || !strcmp(norm, "utf8") || !strcmp(norm, "u8") || !strcmp(norm, "utf") ||
        !strcmp(norm, "cp65001") || !strcmp(norm, "utf8_ucs2") || !strcmp(norm, "utf8_ucs4"))
        return -2;
    for (const struct dp_py_codec_alias *a = dp_py_codec_aliases; a->name; a++)
        if (!strcmp(a->name, norm)) return a->codec;
    return -3;
}

static size_t put_utf8(char *d, uint32_t cp)
{
    if (cp < 0x80) { d[0] = (char)cp; return 1; }
    if (cp < 0x800) { d[0] = (char)(0xC0 | (cp >> 6)); d[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    d[0] = (char)(0xE0 | (cp >> 12));
    d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    d[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

int dp_py_source_decode(struct dp_arena *a, const char *src, size_t n, const char *path,
                        char **out, size_t *outlen, struct dp_error *e)
{
    bool bom = n >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0;
    if (bom) { src += 3; n -= 3; }
    char enc[64];
    find_cookie(src, n, enc, sizeof enc);
    int codec = -2;
    if (enc[0]) {
        const char *nn = normal_name(enc);
        if (bom && strcmp(nn, "utf-8") != 0)
            return dp_error_set(e, DP_ESYNTAX, path, 0, 0, "SyntaxError: encoding problem: %s with BOM", enc);
        codec = codec_of(nn);
        if (codec == -3)
            return dp_error_set(e, DP_ESYNTAX, path, 0, 0, "SyntaxError: unknown encoding: %s", enc);
    }
    const struct dp_py_codec *cd = codec >= 0 ? &dp_py_codecs[codec] : NULL;
    char *d = dp_arena_alloc_raw(a, n * 3 + 2);
    size_t k = 0;
    if (!cd && !memchr(src, '\r', n)) {   /* the common case: nothing to translate */
        memcpy(d, src, n);
        k = n;
    } else {
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)src[i];
            if (c == '\r') {
                d[k++] = '\n';
                if (i + 1 < n && src[i + 1] == '\n') i++;
            } else if (cd && c >= 0x80) {
                uint32_t cp = cd->high[c - 0x80];
                if (cp == 0xFFFF)
                    return dp_error_set(e, DP_ESYNTAX, path, 0, 0,
                                        "SyntaxError: (unicode error) '%s' codec can't decode byte 0x%02x",
                                        cd->name, c);
                k += put_utf8(d + k, cp);
            } else {
                d[k++] = (char)c;
            }
        }
    }
    if (codec == -1) {
        for (size_t i = 0; i < k; i++)
            if ((unsigned char)d[i] >= 0x80)
                return dp_error_set(e, DP_ESYNTAX, path, 0, 0,
                                    "SyntaxError: encoding %s is supported for ASCII text only", enc);
    }
    if (k > 0 && d[k - 1] != '\n') d[k++] = '\n';
    d[k] = 0;
    *out = d;
    *outlen = k;
    return 0;
}

/* The first invalid UTF-8 sequence in s[0..n), as CPython's decoder describes it: its offset,
 * its length and the reason. Returns false when s is valid. */
bool dp_py_utf8_problem(const unsigned char *s, size_t n, size_t *at, size_t *len, const char **why)
{
    for (size_t i = 0; i < n;) {
        uint64_t w;
        if (i + 8 <= n && (memcpy(&w, s + i, 8), (w & 0x8080808080808080ull) == 0)) {
            i += 8;   /* eight ASCII bytes at once */
            continue;
        }
        unsigned char c = s[i];
        if (c < 0x80) { i++; continue; }
        size_t need = c < 0xC2 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : c < 0xF5 ? 3 : 0;
        *at = i;
        if (!need) { *len = 1; *why = "invalid start byte"; return true; }
        unsigned char lo = 0x80, hi = 0xBF;   /* the second byte's range excludes overlongs and surrogates */
        if (c == 0xE0) lo = 0xA0;
        else if (c == 0xED) hi = 0x9F;
        else if (c == 0xF0) lo = 0x90;
        else if (c == 0xF4) hi = 0x8F;
        for (size_t k = 1; k <= need; k++) {
            if (i + k >= n) { *len = k; *why = "unexpected end of data"; return true; }
            unsigned char d = s[i + k];
            bool ok = k == 1 ? (d >= lo && d <= hi) : (d >= 0x80 && d <= 0xBF);
            if (!ok) { *len = k; *why = "invalid continuation byte"; return true; }
        }
        i += need + 1;
    }
    return false;
}
