/* Element types of tensors as safetensors names them, and the scalar conversions between the
 * 16-bit float formats and fp32. Bulk conversion kernels live with the matmul (nn/matmul.h). */
#ifndef DP_NN_DTYPE_H
#define DP_NN_DTYPE_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum dp_dtype {
    DP_DTYPE_F32, DP_DTYPE_F16, DP_DTYPE_BF16, DP_DTYPE_F64,
    DP_DTYPE_I64, DP_DTYPE_I32, DP_DTYPE_I16, DP_DTYPE_I8, DP_DTYPE_U8, DP_DTYPE_BOOL,
    DP_DTYPE_U16, DP_DTYPE_U32, DP_DTYPE_U64, DP_DTYPE_F8_E4M3, DP_DTYPE_F8_E5M2,
    DP_DTYPE_COUNT
};

size_t dp_dtype_size(enum dp_dtype t);          /* bytes per element */
const char *dp_dtype_name(enum dp_dtype t);     /* "F32", "BF16", ... as in safetensors */
/* The dtype named s[0..n); -1 when the name is not a safetensors dtype. */
int dp_dtype_parse(const char *s, size_t n);
static inline int dp_dtype_is_float(enum dp_dtype t)
{
    return t == DP_DTYPE_F32 || t == DP_DTYPE_F16 || t == DP_DTYPE_BF16;
}

static inline float dp_bf16_to_f32(uint16_t h)
{
    uint32_t u = (uint32_t)h << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

/* Round to nearest even, as torch's .to(torch.bfloat16); NaN stays NaN. */
static inline uint16_t dp_f32_to_bf16(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    if ((u & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((u >> 16) | 0x40);
    u += 0x7fffu + ((u >> 16) & 1);
    return (uint16_t)(u >> 16);
}

float dp_f16_to_f32(uint16_t h);
uint16_t dp_f32_to_f16(float f);   /* round to nearest even, overflow to inf */

/* Element i of a buffer of dtype t (F32, F16 or BF16; data need not be aligned), as fp32. */
static inline float dp_load_f32(const void *data, enum dp_dtype t, size_t i)
{
    const unsigned char *p = data;
    if (t == DP_DTYPE_F32) {
        float f;
        memcpy(&f, p + 4 * i, 4);
        return f;
    }
    uint16_t h;
    memcpy(&h, p + 2 * i, 2);
    return t == DP_DTYPE_BF16 ? dp_bf16_to_f32(h) : dp_f16_to_f32(h);
}
/* Converts n elements of dtype t (F32, F16, BF16) to fp32. */
void dp_convert_to_f32(float *out, const void *data, enum dp_dtype t, size_t n);

#endif
