/* Learning-rate schedules as transformers' get_*_schedule_with_warmup: linear ramp over the
 * warmup steps, then constant, linear decay to 0, or half a cosine to 0. */
#ifndef DP_TRAIN_SCHEDULE_H
#define DP_TRAIN_SCHEDULE_H

enum dp_sched { DP_SCHED_LINEAR, DP_SCHED_COSINE, DP_SCHED_CONSTANT, DP_SCHED_COUNT };
extern const char *const dp_sched_names[DP_SCHED_COUNT];   /* "linear", "cosine", "constant" */
int dp_sched_parse(const char *s);                         /* -1 when unknown */

/* Learning rate of optimizer step `step` (0-based) of `total`, peak lr, `warmup` warmup steps. */
double dp_sched_lr(enum dp_sched s, double lr, long step, long total, long warmup);

#endif
