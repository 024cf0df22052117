/* Names and sizes of the safetensors dtypes; IEEE half <-> single conversions done bit by bit
 * (no F16C needed), rounding to nearest even like numpy and torch. */
#include "nn/dtype.h"

static const struct { const char *name; size_t size; } dtypes[DP_DTYPE_COUNT] = {
    [DP_DTYPE_F32] = {"F32", 4},   [DP_DTYPE_F16] = {"F16", 2},   [DP_DTYPE_BF16] = {"BF16", 2},
    [DP_DTYPE_F64] = {"F64", 8},   [DP_DTYPE_I64] = {"I64", 8},   [DP_DTYPE_I32] = {"I32", 4},
    [DP_DTYPE_I16] = {"I16", 2},   [DP_DTYPE_I8] = {"I8", 1},     [DP_DTYPE_U8] = {"U8", 1},
    [DP_DTYPE_BOOL] = {"BOOL", 1}, [DP_DTYPE_U16] = {"U16", 2},   [DP_DTYPE_U32] = {"U32", 4},
    [DP_DTYPE_U64] = {"U64", 8},   [DP_DTYPE_F8_E4M3] = {"F8_E4M3", 1},
    [DP_DTYPE_F8_E5M2] = {"F8_E5M2", 1},
};

size_t dp_dtype_size(enum dp_dtype t) { return (unsigned)t < DP_DTYPE_COUNT ? dtypes[t].size : 0; }

const char *dp_dtype_name(enum dp_dtype t)
{
    return (unsigned)t < DP_DTYPE_COUNT ? dtypes[t].name : "?";
}

int dp_dtype_parse(const char *s, size_t n)
{
    for (int i = 0; i < DP_DTYPE_COUNT; i++)
        if (strlen(dtypes[i].name) == n && memcmp(dtypes[i].name, s, n) == 0) return i;
    return -1;
}

float dp_f16_to_f32(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exp = (h >> 10) & 0x1f, man = h & 0x3ff, u;
    if (exp == 0x1f) {
        u = sign | 0x7f800000u | (man << 13);
    } else if (exp == 0) {
        if (man == 0) {
            u = sign;
        } else {   /* subnormal: normalize */
            int e = -1;
            do { man <<= 1; e++; } while (!(man & 0x400));
            u = sign | ((uint32_t)(127 - 15 - e) << 23) | ((man & 0x3ff) << 13);
        }
    } else {
        u = sign | ((exp + 127 - 15) << 23) | (man << 13);
    }
    float f;
    memcpy(&f, &u, 4);
    return f;
}

uint16_t dp_f32_to_f16(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    uint32_t sign = (u >> 16) & 0x8000, a = u & 0x7fffffffu;
    if (a > 0x7f800000u) return (uint16_t)(sign | 0x7e00);   /* NaN */
    if (a >= 0x477ff000u) return (uint16_t)(sign | 0x7c00);  /* rounds to >= 65520: inf */
    if (a < 0x38800000u) {                                    /* below 2^-14: subnormal or 0 */
        if (a < 0x33000000u) return (uint16_t)sign;          /* < 2^-25: rounds to 0 */
        uint32_t e = a >> 23, m = (a & 0x7fffff) | 0x800000;
        int shift = (int)(126 - e);                           /* m * 2^(e-150) / 2^-24 */
        uint32_t r = m >> shift, rem = m & ((1u << shift) - 1), half = 1u << (shift - 1);
        if (rem > half || (rem == half && (r & 1))) r++;
        return (uint16_t)(sign | r);
    }
    uint32_t r = ((a >> 13) - ((127 - 15) << 10)), rem = a & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (r & 1))) r++;
    return (uint16_t)(sign | r);
}

void dp_convert_to_f32(float *out, const void *data, enum dp_dtype t, size_t n)
{
    if (t == DP_DTYPE_F32) {
        memcpy(out, data, n * 4);
        return;
    }
    for (size_t i = 0; i < n; i++) out[i] = dp_load_f32(data, t, i);
}
