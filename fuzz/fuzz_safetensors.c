/* libFuzzer target for nn/safetensors: any byte string must open or fail with an error (never
 * crash); whatever opens must have every tensor's bytes inside the input, readable end to end,
 * and its shape must pass dp_st_require. */
#include "nn/safetensors.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a private copy, so reads past the image are caught by ASan */
    uint8_t *buf = malloc(size ? size : 1);
    memcpy(buf, data, size);
    struct dp_st st;
    struct dp_error e = {0};
    if (dp_st_open_mem(&st, buf, size, "fuzz.safetensors", &e) == 0) {
        unsigned sum = 0;
        for (size_t i = 0; i < st.ntensors; i++) {
            const struct dp_st_tensor *t = &st.tensors[i], *r;
            const uint8_t *p = t->data;
            if (p < buf || p + t->nbytes > buf + size) abort();
            for (size_t k = 0; k < t->nbytes; k++) sum += p[k];
            if (dp_st_get(&st, t->name) != t) abort();
            if (dp_dtype_is_float(t->dtype) && dp_st_require(&st, t->name, t->ndim, t->shape, &r, &e))
                abort();
            if (t->numel > 0 && dp_dtype_is_float(t->dtype)) sum += dp_load_f32(p, t->dtype, 0) > 0;
        }
        (void)sum;
        dp_st_close(&st);
    }
    free(buf);
    return 0;
}
