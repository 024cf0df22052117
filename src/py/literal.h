/* Python literal values: decoding the escapes of string and bytes literals, and the value of
 * number literals, as CPython 3.11 does. Errors are reported as an offset into the input. */
#ifndef DP_PY_LITERAL_H
#define DP_PY_LITERAL_H
#include <stddef.h>
#include "base/arena.h"
#include "base/str.h"
#include "py/ast.h"

/* Appends the value of the body of a non-raw str literal (the text between the quotes, or one
 * literal piece of an f-string) to out: \\ \' \" \a \b \f \n \r \t \v, \<newline> (removed),
 * \ooo (1-3 octal digits, any value up to 0o777), \xhh, \uXXXX, \UXXXXXXXX, \N{NAME}.
 * Unknown escapes such as \d are kept as they are (CPython only warns). Output is UTF-8 with lone
 * surrogates as 3-byte sequences (see struct dp_py_const). Returns 0, or -1 with *bad_off set to
 * the offset of the offending backslash and *reason to a message in CPython's words, e.g.
 * "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-1: truncated \xXX escape". */
int dp_py_unescape_str(struct dp_sbuf *out, const char *s, size_t n, size_t *bad_off,
                       const char **reason);
/* Same for a non-raw bytes literal: no \u \U \N (kept as is); octal values are taken mod 256.
 * A non-ASCII byte in s is an error "bytes can only contain ASCII literal characters". */
int dp_py_unescape_bytes(struct dp_sbuf *out, const char *s, size_t n, size_t *bad_off,
                         const char **reason);
/* Looks up a Unicode character name as \N{} does (case-insensitive, aliases and named
 * sequences excluded as CPython's \N excludes sequences). Returns the code point or -1. */
long dp_py_unicode_lookup(const char *name, size_t n);

/* Parses a NUMBER token s[0..n) (underscores allowed between digits, 0x/0o/0b, floats,
 * exponents, j suffix) into c (kind INT, FLOAT or COMPLEX). INT digits are stored in the arena.
 * Returns 0 or -1 with *reason (e.g. "invalid decimal literal") for malformed input. */
int dp_py_number_parse(struct dp_arena *a, const char *s, size_t n, struct dp_py_const *c,
                       const char **reason);

#endif
