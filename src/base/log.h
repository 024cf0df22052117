/* Logging to a stream with a level threshold. The logger is a value passed to whoever logs;
 * there is no global state. Progress lines (\r-updated) go only to terminals. */
#ifndef DP_BASE_LOG_H
#define DP_BASE_LOG_H
#include <stdbool.h>
#include <stdio.h>

enum dp_log_level { DP_LOG_DEBUG, DP_LOG_INFO, DP_LOG_WARN, DP_LOG_ERROR, DP_LOG_QUIET };

struct dp_log {
    FILE *stream;              /* usually stderr */
    enum dp_log_level level;   /* messages below it are dropped */
    bool tty;                  /* stream is a terminal: progress lines overwrite themselves */
};

void dp_log_init(struct dp_log *l, FILE *stream, enum dp_log_level level);
void dp_log(const struct dp_log *l, enum dp_log_level lv, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "label done/total  rate unit/s  ETA mm:ss"; on a terminal overwrites the line, otherwise
 * prints at most one line per 10% of progress. elapsed_s is seconds since the start. */
void dp_log_progress(const struct dp_log *l, const char *label, long done, long total,
                     double elapsed_s, double units, const char *unit);
double dp_now(void);   /* monotonic seconds */

#endif
