/* Statistics for the evaluation report (eval/stats.h). Fisher's test walks the hypergeometric
 * support from its mode with the exact term ratio P(x+1)/P(x), keeping logarithms, so neither
 * lgamma's cancellation nor underflow limits it; p-values below 1e-308 survive as log_p. */
#include "eval/stats.h"
#include "base/arena.h"
#include <math.h>
#include <stdlib.h>

int dp_stats_wilson(long x, long n, double z, struct dp_interval *out, struct dp_error *e)
{
    if (n < 0 || x < 0 || x > n || !(z > 0))
        return dp_error_set(e, DP_EINVAL, "", 0, 0, "wilson: need 0 <= x <= n and z > 0 (x=%ld, n=%ld)", x, n);
    if (n == 0) { out->lo = 0; out->hi = 1; return 0; }
    double nn = (double)n, p = (double)x / nn, z2 = z * z;
    double denom = 1 + z2 / nn;
    double center = (p + z2 / (2 * nn)) / denom;
    double half = z * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / denom;
    out->lo = x == 0 ? 0 : fmax(0, center - half);
    out->hi = x == n ? 1 : fmin(1, center + half);
    return 0;
}

int dp_stats_newcombe(long x1, long n1, long x2, long n2, double z, struct dp_interval *out,
                      struct dp_error *e)
{
    struct dp_interval w1, w2;
    if (n1 <= 0 || n2 <= 0)
        return dp_error_set(e, DP_EINVAL, "", 0, 0, "newcombe: both samples need n > 0 (n1=%ld, n2=%ld)", n1, n2);
    int rc = dp_stats_wilson(x1, n1, z, &w1, e);
    if (!rc) rc = dp_stats_wilson(x2, n2, z, &w2, e);
    if (rc) return rc;
    double p1 = (double)x1 / (double)n1, p2 = (double)x2 / (double)n2, d = p1 - p2;
    out->lo = d - sqrt((p1 - w1.lo) * (p1 - w1.lo) + (w2.hi - p2) * (w2.hi - p2));
    out->hi = d + sqrt((w1.hi - p1) * (w1.hi - p1) + (p2 - w2.lo) * (p2 - w2.lo));
    return 0;
}

/* log(sum(exp(v[i]))) over the i with keep(v[i]) (all when thr is +inf). */
static double log_sum_exp_below(const double *v, long n, double thr)
{
    double mx = -INFINITY;
    for (long i = 0; i < n; i++)
        if (v[i] <= thr && v[i] > mx) mx = v[i];
    if (mx == -INFINITY) return -INFINITY;
    double s = 0;
    for (long i = 0; i < n; i++)
        if (v[i] <= thr) s += exp(v[i] - mx);
    return mx + log(s);
}

int dp_stats_fisher_exact(long a, long b, long c, long d, double *p, double *log_p,
                          struct dp_error *e)
{
    if (a < 0 || b < 0 || c < 0 || d < 0)
        return dp_error_set(e, DP_EINVAL, "", 0, 0, "fisher: negative cell in [[%ld, %ld], [%ld, %ld]]", a, b, c, d);
    long n = a + b + c + d, r1 = a + b, c1 = a + c;
    long lo = r1 + c1 - n > 0 ? r1 + c1 - n : 0;
    long hi = r1 < c1 ? r1 : c1;
    long m = hi - lo + 1;   /* support size; the cell a takes values lo..hi */
    double *lp = dp_xmalloc((size_t)m * sizeof *lp);
    /* The mode of the hypergeometric, clamped to the support; its log-term is 0. */
    long mode = (long)(((double)(r1 + 1) * (double)(c1 + 1)) / (double)(n + 2));
    if (mode < lo) mode = lo;
    if (mode > hi) mode = hi;
    lp[mode - lo] = 0;
    double rest = (double)(n - c1 - r1);   /* d - a: the fourth cell is x + rest */
    for (long x = mode; x < hi; x++) {     /* P(x+1)/P(x) = (c1-x)(r1-x) / ((x+1)(x+1+rest)) */
        double ratio = ((double)(c1 - x) * (double)(r1 - x)) / ((double)(x + 1) * ((double)(x + 1) + rest));
        lp[x + 1 - lo] = lp[x - lo] + log(ratio);
    }
    for (long x = mode; x > lo; x--) {     /* P(x-1)/P(x) = x(x+rest) / ((c1-x+1)(r1-x+1)) */
        double ratio = ((double)x * ((double)x + rest)) / ((double)(c1 - x + 1) * (double)(r1 - x + 1));
        lp[x - 1 - lo] = lp[x - lo] + log(ratio);
    }
    double total = log_sum_exp_below(lp, m, INFINITY);
    double thr = lp[a - lo] + log1p(1e-7);
    double lpv = log_sum_exp_below(lp, m, thr) - total;
    free(lp);
    if (lpv > 0) lpv = 0;
    *p = exp(lpv);
    if (log_p) *log_p = lpv;
    return 0;
}

void dp_stats_mean_sd(const double *x, size_t n, double *mean, double *sd)
{
    double m = 0, s = 0;
    for (size_t i = 0; i < n; i++) {
        double delta = x[i] - m;
        m += delta / (double)(i + 1);
        s += delta * (x[i] - m);
    }
    *mean = m;
    *sd = n > 1 ? sqrt(s / (double)(n - 1)) : 0;
}
