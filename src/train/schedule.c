/* Learning-rate schedules (see schedule.h): the lambdas of transformers' optimization.py. */
#include "train/schedule.h"
#include <math.h>
#include <string.h>

const char *const dp_sched_names[DP_SCHED_COUNT] = {"linear", "cosine", "constant"};

int dp_sched_parse(const char *s)
{
    for (int i = 0; i < DP_SCHED_COUNT; i++)
        if (strcmp(s, dp_sched_names[i]) == 0) return i;
    return -1;
}

double dp_sched_lr(enum dp_sched s, double lr, long step, long total, long warmup)
{
    if (step < warmup) return lr * (double)step / (double)(warmup > 1 ? warmup : 1);
    if (s == DP_SCHED_CONSTANT) return lr;
    double rest = (double)(total - warmup > 1 ? total - warmup : 1);
    double progress = (double)(step - warmup) / rest;
    if (s == DP_SCHED_LINEAR) return lr * fmax(0.0, (double)(total - step) / rest);
    return lr * fmax(0.0, 0.5 * (1.0 + cos(M_PI * progress)));
}
