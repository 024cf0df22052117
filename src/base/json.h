/* JSON: a reader into an arena DOM (RFC 8259, with line:col on every value and in every error)
 * and a streaming writer into a dp_sbuf. */
#ifndef DP_BASE_JSON_H
#define DP_BASE_JSON_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"

enum dp_json_type { DP_JSON_NULL, DP_JSON_BOOL, DP_JSON_NUM, DP_JSON_STR, DP_JSON_ARR, DP_JSON_OBJ };

struct dp_json {
    enum dp_json_type type;
    int line, col;            /* where the value starts, 1-based */
    bool b;                   /* DP_JSON_BOOL */
    double num;               /* DP_JSON_NUM */
    int64_t i;                /* DP_JSON_NUM when is_int */
    bool is_int;              /* number written without fraction/exponent and fits int64 */
    const char *str;          /* DP_JSON_STR: decoded UTF-8, NUL-terminated (may hold \0) */
    size_t len;               /* DP_JSON_STR: byte length; ARR/OBJ: element count */
    struct dp_json **items;   /* ARR: elements; OBJ: values, in file order */
    const char **keys;        /* OBJ: keys (decoded, NUL-terminated), in file order */
    size_t *keylens;          /* OBJ */
};

/* Parses text[0..n). All memory comes from arena a. On error returns DP_EFORMAT with
 * e = "path:line:col: message". Depth is limited (1000) so hostile input cannot overflow the stack.
 * Duplicate keys are kept (dp_json_get returns the last one, as Python does). */
int dp_json_parse(struct dp_arena *a, const char *text, size_t n, const char *path,
                  struct dp_json **out, struct dp_error *e);
/* Reads path and parses it whole (the text is freed; the tree lives in a). */
int dp_json_parse_file(struct dp_arena *a, const char *path, struct dp_json **out, struct dp_error *e);
/* Object member by key, or NULL (also NULL when obj is not an object). */
const struct dp_json *dp_json_get(const struct dp_json *obj, const char *key);
/* Convenience getters: return def when absent or of another type. */
const char *dp_json_get_str(const struct dp_json *obj, const char *key, const char *def);
double dp_json_get_num(const struct dp_json *obj, const char *key, double def);
int64_t dp_json_get_int(const struct dp_json *obj, const char *key, int64_t def);
bool dp_json_get_bool(const struct dp_json *obj, const char *key, bool def);

/* Writer. indent 0: compact one-line output with ", " and ": " separators like Python's
 * json.dumps default; indent > 0: one value per line like json.dumps(indent=N). Strings are
 * escaped as json.dumps does with ensure_ascii (non-ASCII as \uXXXX, surrogate pairs) unless
 * ascii is false, in which case UTF-8 passes through. */
struct dp_jw {
    struct dp_sbuf *out;      /* borrowed */
    int indent;
    bool ascii;
    bool compact;             /* "," and ":" with no spaces (JSONL records) */
    int depth;
    bool first[128];          /* per depth: no element written yet */
    bool after_key;
};
void dp_jw_init(struct dp_jw *w, struct dp_sbuf *out, int indent);
void dp_jw_obj_begin(struct dp_jw *w);
void dp_jw_obj_end(struct dp_jw *w);
void dp_jw_arr_begin(struct dp_jw *w);
void dp_jw_arr_end(struct dp_jw *w);
void dp_jw_key(struct dp_jw *w, const char *key);
void dp_jw_keyn(struct dp_jw *w, const char *key, size_t n);   /* key may hold \0 */
void dp_jw_str(struct dp_jw *w, const char *s);
void dp_jw_strn(struct dp_jw *w, const char *s, size_t n);
void dp_jw_int(struct dp_jw *w, int64_t v);
void dp_jw_num(struct dp_jw *w, double v);   /* shortest repr that round-trips, like Python */
void dp_jw_bool(struct dp_jw *w, bool v);
void dp_jw_null(struct dp_jw *w);
/* Writes a parsed value (integers via dp_jw_int, other numbers via dp_jw_num). */
void dp_jw_value(struct dp_jw *w, const struct dp_json *v);
/* Escapes s[0..n) as a JSON string literal (with quotes) into out. */
void dp_json_escape(struct dp_sbuf *out, const char *s, size_t n, bool ascii);

#endif
