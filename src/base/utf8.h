/* UTF-8 decoding and encoding. */
#ifndef DP_BASE_UTF8_H
#define DP_BASE_UTF8_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes one code point from s[0..n) (n >= 1). Returns the number of bytes consumed (1..4)
 * and stores the code point in *cp; on an invalid or truncated sequence (overlong forms,
 * surrogates, > U+10FFFF) returns 0 and sets *cp to the first byte. */
size_t dp_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* Encodes cp (any value <= 0x10FFFF, surrogates included) into out[4]; returns 1..4, or 0
 * when cp > 0x10FFFF. */
size_t dp_utf8_encode(uint32_t cp, char out[4]);
/* True when s[0..n) is valid UTF-8; *bad_off (if not NULL) gets the offset of the first error. */
bool dp_utf8_valid(const unsigned char *s, size_t n, size_t *bad_off);
/* Number of code points in valid UTF-8 s[0..n). */
size_t dp_utf8_count(const unsigned char *s, size_t n);

#endif
