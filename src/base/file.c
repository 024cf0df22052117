/* Whole files: read into memory ("-" is stdin), atomic replace (temp file ".name.tmp.PID" in the
 * same folder, fsync, rename, folder fsync), mkdir -p, and a deterministic recursive walk.
 * Every error is DP_EIO (or DP_EINVAL for a malformed path) naming the path and strerror. */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include "base/file.h"
#include "base/arena.h"
#include "base/str.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static int io_error(struct dp_error *e, const char *path, const char *what, int err)
{
    return dp_error_set(e, DP_EIO, path, 0, 0, "%s: %s", what, strerror(err));
}

/* ---------------------------------------------------------------- reading */

int dp_file_read(const char *path, char **data, size_t *n, struct dp_error *e)
{
    *data = NULL;
    if (n) *n = 0;
    int is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    if (!is_stdin) {
        /* a regular file: one read into a buffer of the right size */
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) return io_error(e, name, "cannot open", errno);
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
            size_t size = (size_t)st.st_size, got = 0;
            char *buf = dp_xmalloc(size + 1);
            while (got < size) {
                ssize_t k = read(fd, buf + got, size - got);
                if (k < 0 && errno == EINTR) continue;
                if (k < 0) {
                    int err = errno;
                    close(fd);
                    free(buf);
                    return io_error(e, name, "cannot read", err);
                }
                if (k == 0) break;   /* the file shrank meanwhile */
                got += (size_t)k;
            }
            close(fd);
            buf[got] = 0;
            *data = buf;
            if (n) *n = got;
            return 0;
        }
        close(fd);
    }
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) return io_error(e, name, "cannot open", errno);
    struct dp_sbuf b = {0};
    for (;;) {
        dp_sbuf_reserve(&b, 65536);
        size_t k = fread(b.p + b.n, 1, b.cap - b.n - 1, f);
        b.n += k;
        b.p[b.n] = 0;
        if (k == 0) break;
    }
    int err = ferror(f) ? errno : 0;
    if (!is_stdin) fclose(f);
    else clearerr(stdin);
    if (err) {
        dp_sbuf_free(&b);
        return io_error(e, name, "cannot read", err);
    }
    if (n) *n = b.n;
    *data = dp_sbuf_take(&b);
    return 0;
}

/* ---------------------------------------------------------------- atomic write */

static int write_all(int fd, const void *data, size_t n)
{
    const char *p = data;
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* The folder part of path ("." when none), for the fsync after rename. */
static void fsync_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? (slash == path ? dp_xstrdup("/") : dp_xmalloc((size_t)(slash - path) + 1))
                      : dp_xstrdup(".");
    if (slash && slash != path) {
        memcpy(dir, path, (size_t)(slash - path));
        dir[slash - path] = 0;
    }
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        fsync(fd);   /* best effort: some file systems refuse fsync on folders */
        close(fd);
    }
    free(dir);
}

int dp_file_write_atomic(const char *path, const void *data, size_t n, struct dp_error *e)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (!*base) return dp_error_set(e, DP_EINVAL, path, 0, 0, "not a file name");
    struct dp_sbuf tmp = {0};
    dp_sbuf_put(&tmp, path, (size_t)(base - path));
    dp_sbuf_printf(&tmp, ".%s.tmp.%ld", base, (long)getpid());

    int fd = open(tmp.p, O_WRONLY | O_CREAT | O_EXCL, 0666);
    if (fd < 0 && errno == EEXIST) {   /* left over by a crashed process with our pid */
        unlink(tmp.p);
        fd = open(tmp.p, O_WRONLY | O_CREAT | O_EXCL, 0666);
    }
    if (fd < 0) {
        int err = errno;
        dp_sbuf_free(&tmp);
        return io_error(e, path, "cannot create temporary file", err);
    }
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) fchmod(fd, st.st_mode & 07777);

    const char *what = NULL;
    if (write_all(fd, data, n) != 0) what = "cannot write";
    else if (fsync(fd) != 0) what = "cannot sync";
    int err = what ? errno : 0;
    if (close(fd) != 0 && !what) what = "cannot close", err = errno;
    if (!what && rename(tmp.p, path) != 0) what = "cannot rename temporary file", err = errno;
    if (what) {
        unlink(tmp.p);
        dp_sbuf_free(&tmp);
        return io_error(e, path, what, err);
    }
    dp_sbuf_free(&tmp);
    fsync_dir_of(path);
    return 0;
}

/* ---------------------------------------------------------------- folders */

int dp_file_exists(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) return 0;
    if (S_ISREG(st.st_mode)) return 1;
    if (S_ISDIR(st.st_mode)) return 2;
    return 0;
}

int dp_mkdirs(const char *path, struct dp_error *e)
{
    if (!*path) return dp_error_set(e, DP_EINVAL, path, 0, 0, "empty folder name");
    char *p = dp_xstrdup(path);
    int rc = 0;
    for (char *q = p + 1;; q++) {
        if (*q != '/' && *q != 0) continue;
        char saved = *q;
        *q = 0;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            rc = io_error(e, p, "cannot create folder", errno);
            break;
        }
        *q = saved;
        if (!saved) break;
    }
    if (rc == 0 && dp_file_exists(path) != 2)
        rc = dp_error_set(e, DP_EIO, path, 0, 0, "cannot create folder: %s", strerror(ENOTDIR));
    free(p);
    return rc;
}

/* ---------------------------------------------------------------- walk */

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_ext(const char *name, const char *ext)
{
    if (!ext) return 1;
    size_t n = strlen(name), k = strlen(ext);
    return n >= k && memcmp(name + n - k, ext, k) == 0;
}

/* Walks folder dir (already known to be a folder). Names are sorted with strcmp inside each
 * folder and sub-folders are entered where their name sorts, so the order is deterministic. */
static int walk_dir(const char *dir, const char *ext, dp_walk_fn cb, void *ud, struct dp_error *e)
{
    DIR *d = opendir(dir);
    if (!d) return io_error(e, dir, "cannot open folder", errno);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
        if (n == cap) names = dp_xrealloc(names, (cap = cap ? cap * 2 : 32) * sizeof *names);
        names[n++] = dp_xstrdup(de->d_name);
    }
    int rc = errno ? io_error(e, dir, "cannot read folder", errno) : 0;
    closedir(d);
    if (n) qsort(names, n, sizeof *names, name_cmp);
    size_t dlen = strlen(dir);
    int sep = dlen > 0 && dir[dlen - 1] != '/';
    struct dp_sbuf p = {0};
    for (size_t i = 0; i < n && rc == 0; i++) {
        dp_sbuf_reset(&p);
        dp_sbuf_put(&p, dir, dlen);
        if (sep) dp_sbuf_putc(&p, '/');
        dp_sbuf_puts(&p, names[i]);
        struct stat st;
        if (lstat(p.p, &st) != 0) {
            rc = io_error(e, p.p, "cannot stat", errno);
            break;
        }
        if (S_ISDIR(st.st_mode)) {
            rc = walk_dir(p.p, ext, cb, ud, e);
        } else if (S_ISLNK(st.st_mode)) {
            /* symlinked files are reported; symlinked folders and dangling links are skipped */
            if (stat(p.p, &st) == 0 && S_ISREG(st.st_mode) && has_ext(names[i], ext))
                rc = cb(p.p, ud);
        } else if (S_ISREG(st.st_mode) && has_ext(names[i], ext)) {
            rc = cb(p.p, ud);
        }
    }
    dp_sbuf_free(&p);
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
}

int dp_dir_walk(const char *path, const char *ext, dp_walk_fn cb, void *ud, struct dp_error *e)
{
    struct stat st;
    if (stat(path, &st) != 0) return io_error(e, path, "cannot stat", errno);
    if (S_ISDIR(st.st_mode)) return walk_dir(path, ext, cb, ud, e);
    /* a file named explicitly is reported whatever its extension */
    if (S_ISREG(st.st_mode)) return cb(path, ud);
    return dp_error_set(e, DP_EIO, path, 0, 0, "not a file or folder");
}
