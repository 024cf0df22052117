/* libFuzzer target for base/json: any input must parse or fail cleanly; whatever parses must
 * write back (pretty, compact, ASCII and UTF-8 variants) to text that parses again to an equal
 * value, and writing that value again must give the same text. */
#include "base/json.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int json_eq(const struct dp_json *x, const struct dp_json *y)
{
    if (x->type != y->type) return 0;
    switch (x->type) {
    case DP_JSON_NULL: return 1;
    case DP_JSON_BOOL: return x->b == y->b;
    case DP_JSON_NUM: return x->num == y->num && x->is_int == y->is_int && (!x->is_int || x->i == y->i);
    case DP_JSON_STR: return x->len == y->len && memcmp(x->str, y->str, x->len) == 0;
    case DP_JSON_ARR:
    case DP_JSON_OBJ:
        if (x->len != y->len) return 0;
        for (size_t i = 0; i < x->len; i++) {
            if (x->type == DP_JSON_OBJ && (x->keylens[i] != y->keylens[i] ||
                                           memcmp(x->keys[i], y->keys[i], x->keylens[i]) != 0))
                return 0;
            if (!json_eq(x->items[i], y->items[i])) return 0;
        }
        return 1;
    }
    return 0;
}

static void write_value(struct dp_sbuf *b, const struct dp_json *v, int indent, int compact, int ascii)
{
    struct dp_jw w;
    dp_sbuf_reset(b);
    dp_jw_init(&w, b, indent);
    w.compact = compact;
    w.ascii = ascii;
    dp_jw_value(&w, v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dp_arena a;
    struct dp_error e;
    struct dp_json *v, *v2, *v3;
    dp_arena_init(&a, 0);
    if (dp_json_parse(&a, (const char *)data, size, "fuzz", &v, &e) != 0) {
        if (e.code != DP_EFORMAT || e.line < 1 || e.col < 1) abort();
        dp_arena_free(&a);
        return 0;
    }
    struct dp_sbuf b1 = {0}, b2 = {0};
    int variant = size ? data[0] % 4 : 0;
    write_value(&b1, v, variant == 1 ? 2 : 0, variant == 2, variant != 3);
    if (dp_json_parse(&a, b1.p, b1.n, "out1", &v2, &e) != 0) abort();
    if (!json_eq(v, v2)) abort();
    write_value(&b2, v2, variant == 1 ? 2 : 0, variant == 2, variant != 3);
    if (b1.n != b2.n || memcmp(b1.p, b2.p, b1.n) != 0) abort();
    if (dp_json_parse(&a, b2.p, b2.n, "out2", &v3, &e) != 0 || !json_eq(v, v3)) abort();
    dp_sbuf_free(&b1);
    dp_sbuf_free(&b2);
    dp_arena_free(&a);
    return 0;
}
