/* Files: whole-file read, atomic write (temp file + fsync + rename), recursive walk. */
#ifndef DP_BASE_FILE_H
#define DP_BASE_FILE_H
#include <stddef.h>
#include "base/error.h"

/* Reads the whole file (path "-" reads stdin). *data is malloc'd, NUL-terminated, caller frees.
 * Returns 0 or DP_EIO with e naming the file. */
int dp_file_read(const char *path, char **data, size_t *n, struct dp_error *e);
/* Writes data to path atomically: a temp file in the same folder, fsync, rename over path. */
int dp_file_write_atomic(const char *path, const void *data, size_t n, struct dp_error *e);
int dp_file_exists(const char *path);   /* 1 regular file, 2 directory, 0 absent */
/* mkdir -p */
int dp_mkdirs(const char *path, struct dp_error *e);

/* Recursive directory walk in sorted (byte-wise) order. For every regular file whose name ends
 * with ext (NULL: all files), calls cb(path, ud); a non-zero return stops the walk and is returned.
 * path itself may be a file, which is then reported as is. Symlinked folders are not followed. */
typedef int (*dp_walk_fn)(const char *path, void *ud);
int dp_dir_walk(const char *path, const char *ext, dp_walk_fn cb, void *ud, struct dp_error *e);

#endif
