/* Statistics for comparing vulnerable-code rates: Wilson score intervals for one proportion,
 * Newcombe's hybrid-score interval for a difference of two, Fisher's exact test on a 2x2 table
 * (exact hypergeometric sums in log space, no lgamma), mean and sample standard deviation.
 * Checked against exact-arithmetic references (tools/ref/stats_ref.py). */
#ifndef DP_EVAL_STATS_H
#define DP_EVAL_STATS_H
#include <stddef.h>
#include "base/error.h"

/* The two-sided 95% normal quantile, Phi^-1(0.975). */
#define DP_STATS_Z95 1.959963984540054

struct dp_interval { double lo, hi; };

/* Wilson score interval for x successes out of n at normal quantile z (DP_STATS_Z95 for 95%).
 * Returns DP_EINVAL when n < 0, x < 0 or x > n. n == 0 gives [0, 1] (no information). */
int dp_stats_wilson(long x, long n, double z, struct dp_interval *out, struct dp_error *e);

/* Newcombe's hybrid score interval (his method 10) for p1 - p2 = x1/n1 - x2/n2, built from the
 * two Wilson intervals. Both n must be positive. */
int dp_stats_newcombe(long x1, long n1, long x2, long n2, double z, struct dp_interval *out,
                      struct dp_error *e);

/* Fisher's exact test on [[a, b], [c, d]], two-sided as R and SciPy compute it: the sum of the
 * probabilities of all tables with the observed margins whose probability is at most the
 * observed one (relative tolerance 1e-7 for ties). *p gets the p-value (may underflow to 0) and
 * *log_p (when not NULL) its natural logarithm, which does not underflow. Cells >= 0; the
 * support is walked term by term, so time and memory are O(min margin) (fine up to n ~ 10^7). */
int dp_stats_fisher_exact(long a, long b, long c, long d, double *p, double *log_p,
                          struct dp_error *e);

/* Mean and sample standard deviation (n - 1 in the denominator; 0 when n < 2) of x[0..n),
 * by Welford's update. n == 0 gives mean 0. */
void dp_stats_mean_sd(const double *x, size_t n, double *mean, double *sd);

#endif
