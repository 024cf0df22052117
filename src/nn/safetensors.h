/* safetensors: Hugging Face's tensor file format (8-byte little-endian header length, a JSON
 * header of {name: {dtype, shape, data_offsets}}, then the raw bytes). The reader maps files
 * read-only and validates everything before anything is used; a folder may hold one file or a
 * sharded set named by model.safetensors.index.json. The writer streams to a temp file and
 * renames it over the target, so readers never see half a file. */
#ifndef DP_NN_SAFETENSORS_H
#define DP_NN_SAFETENSORS_H
#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"
#include "base/map.h"
#include "nn/dtype.h"

#define DP_ST_MAX_DIMS 8

struct dp_st_tensor {
    const char *name;              /* owned by the dp_st */
    enum dp_dtype dtype;
    int ndim;
    int64_t shape[DP_ST_MAX_DIMS];
    int64_t numel;
    const void *data;              /* into the mapping; NOT aligned in general; read-only */
    size_t nbytes;
    const char *file;              /* path of the file holding it; owned by the dp_st */
};

struct dp_st_file;
struct dp_st {
    struct dp_arena arena;         /* names, paths, JSON */
    struct dp_st_file *files;      /* malloc'd; each mapping unmapped by dp_st_close */
    size_t nfiles;
    struct dp_st_tensor *tensors;  /* malloc'd, in header order, file by file */
    size_t ntensors, cap;
    struct dp_map by_name;         /* name -> struct dp_st_tensor * (index + 1, see .c) */
    const char *where;             /* what was opened (file, index or folder), for errors */
};

/* Opens path: a .safetensors file, a model.safetensors.index.json, or a folder holding either
 * (the index wins). All files are mapped and validated; on any violation returns DP_EFORMAT
 * (or DP_EIO) with a one-line message naming the file and the tensor, and *st is left closed.
 * The caller calls dp_st_close on success. */
int dp_st_open(struct dp_st *st, const char *path, struct dp_error *e);
/* The same validation over an in-memory file image buf[0..n) (borrowed: must outlive *st);
 * name is used in messages. For fuzzing and tests. */
int dp_st_open_mem(struct dp_st *st, const void *buf, size_t n, const char *name,
                   struct dp_error *e);
void dp_st_close(struct dp_st *st);
/* Drops t's pages of a mapped file from memory once the caller has copied what it needs (a
 * later read faults them in again from the page cache), so that loading a model does not hold
 * the whole file and its converted copy at once. No-op for in-memory images. */
void dp_st_release(const struct dp_st *st, const struct dp_st_tensor *t);

/* The tensor named name, or NULL. */
const struct dp_st_tensor *dp_st_get(const struct dp_st *st, const char *name);
/* The tensor named name, which must exist, have a float dtype (F32, F16, BF16) and exactly the
 * given shape; otherwise DP_EFORMAT "FILE: tensor 'NAME': ...". */
int dp_st_require(const struct dp_st *st, const char *name, int ndim, const int64_t *shape,
                  const struct dp_st_tensor **out, struct dp_error *e);

/* ---------------------------------------------------------------- writer */

struct dp_st_wtensor {
    const char *name;
    enum dp_dtype dtype;
    int ndim;
    int64_t shape[DP_ST_MAX_DIMS];
    const void *data;              /* numel * dtype size bytes; borrowed */
};

/* Writes the tensors (in the given order, packed) and the optional string metadata
 * (meta[2i] = key, meta[2i+1] = value; nmeta pairs) to path atomically: temp file in the same
 * folder, fsync, rename. The header is padded with spaces to a multiple of 8 bytes. */
int dp_st_write(const char *path, const struct dp_st_wtensor *t, size_t n,
                const char *const *meta, size_t nmeta, struct dp_error *e);

#endif
