/* Leveled logging to a stream passed around as a value (no global logger), progress lines that
 * redraw themselves on a terminal and thin out to one line per 10% elsewhere, and a monotonic
 * clock. Messages get a "warning: " / "error: " / "debug: " prefix; info lines get none. */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include "base/log.h"
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void dp_log_init(struct dp_log *l, FILE *stream, enum dp_log_level level)
{
    l->stream = stream;
    l->level = level;
    int fd = stream ? fileno(stream) : -1;
    l->tty = fd >= 0 && isatty(fd);
}

static const char *level_prefix(enum dp_log_level lv)
{
    switch (lv) {
    case DP_LOG_DEBUG: return "debug: ";
    case DP_LOG_WARN: return "warning: ";
    case DP_LOG_ERROR: return "error: ";
    default: return "";
    }
}

void dp_log(const struct dp_log *l, enum dp_log_level lv, const char *fmt, ...)
{
    if (!l || !l->stream || lv >= DP_LOG_QUIET || lv < l->level) return;
    /* on a terminal, wipe a progress line that may be pending on the current row */
    if (l->tty) fputs("\r\033[K", l->stream);
    fputs(level_prefix(lv), l->stream);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(l->stream, fmt, ap);
    va_end(ap);
    size_t k = strlen(fmt);
    if (k == 0 || fmt[k - 1] != '\n') fputc('\n', l->stream);
    fflush(l->stream);
}

/* "mm:ss", or "h:mm:ss" past an hour; "--:--" when unknown. */
static void fmt_duration(char *buf, size_t n, double s)
{
    if (!(s >= 0) || s > 1e8) {
        snprintf(buf, n, "--:--");
        return;
    }
    long t = (long)(s + 0.5);
    if (t >= 3600) snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else snprintf(buf, n, "%02ld:%02ld", t / 60, t % 60);
}

/* The logger is stateless, so off a terminal a line is printed when done enters a new 10%
 * bucket compared with done - 1: callers that advance by one see exactly one line per bucket;
 * callers that jump may see fewer. Without a total, lines come at powers of two. */
static int progress_due(long done, long total)
{
    if (done <= 0) return 0;
    if (total <= 0) return (done & (done - 1)) == 0;
    if (done >= total) return done == total;
    return (done * 10 / total) != ((done - 1) * 10 / total);
}

void dp_log_progress(const struct dp_log *l, const char *label, long done, long total,
                     double elapsed_s, double units, const char *unit)
{
    if (!l || !l->stream || l->level > DP_LOG_INFO) return;
    if (!l->tty && !progress_due(done, total)) return;
    double rate = elapsed_s > 0 ? units / elapsed_s : 0;
    char eta[32];
    if (total > 0 && done > 0) fmt_duration(eta, sizeof eta, elapsed_s * (double)(total - done) / (double)done);
    else fmt_duration(eta, sizeof eta, -1);
    if (l->tty) fputs("\r\033[K", l->stream);
    if (total > 0)
        fprintf(l->stream, "%s %ld/%ld  %.1f %s/s  ETA %s", label, done, total, rate,
                unit ? unit : "it", eta);
    else
        fprintf(l->stream, "%s %ld  %.1f %s/s", label, done, rate, unit ? unit : "it");
    if (!l->tty || (total > 0 && done >= total)) fputc('\n', l->stream);
    fflush(l->stream);
}

double dp_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
