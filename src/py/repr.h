/* Python's repr() of constant values, byte for byte as CPython 3.11 prints them, for ast.dump. */
#ifndef DP_PY_REPR_H
#define DP_PY_REPR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/str.h"
#include "py/ast.h"

/* repr(str): quotes chosen as CPython does ('...' unless the text has ' and no "), escapes
 * \\ \t \n \r, \xhh / \uXXXX / \UXXXXXXXX for non-printable code points (str.isprintable() false,
 * Unicode 14.0 as in Python 3.11), printable non-ASCII kept as UTF-8. Input may hold lone
 * surrogates encoded as 3-byte sequences. */
void dp_py_repr_str(struct dp_sbuf *out, const char *s, size_t n);
void dp_py_repr_bytes(struct dp_sbuf *out, const char *s, size_t n);
void dp_py_repr_float(struct dp_sbuf *out, double v);     /* repr(float): '1e+16', '0.1', 'inf' */
void dp_py_repr_imag(struct dp_sbuf *out, double imag);   /* repr(complex(0, imag)): '1.5j' */
/* Any constant: None, True, False, Ellipsis, ints (digits), floats, complex, str, bytes. */
void dp_py_repr_const(struct dp_sbuf *out, const struct dp_py_const *c);
/* str.isprintable() for one code point. */
bool dp_py_isprintable(uint32_t cp);

#endif
