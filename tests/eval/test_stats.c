/* Tests for eval/stats: every case of tests/eval/stats_golden.txt (frozen from exact arithmetic
 * by tools/ref/stats_ref.py), published worked examples, and argument errors. */
#include "eval/stats.h"
#include "base/file.h"
#include "harness.h"
#include <math.h>
#include <stdlib.h>

static int close_rel(double got, double want, double rel)
{
    if (got == want) return 1;
    double tol = rel * fmax(fabs(want), 1e-300);
    if (fabs(got - want) <= tol) return 1;
    fprintf(stderr, "  got %.17g want %.17g (diff %.3g)\n", got, want, fabs(got - want));
    return 0;
}

static int close_abs(double got, double want, double tol)
{
    if (fabs(got - want) <= tol) return 1;
    fprintf(stderr, "  got %.17g want %.17g (diff %.3g)\n", got, want, fabs(got - want));
    return 0;
}

static int ncases[4];

static void check_line(char *line)
{
    char kind[16];
    if (sscanf(line, "%15s", kind) != 1) return;
    struct dp_interval iv;
    struct dp_error e = {0};
    if (!strcmp(kind, "wilson")) {
        long x, n;
        double lo, hi;
        EXPECT(sscanf(line, "%*s %ld %ld %lf %lf", &x, &n, &lo, &hi) == 4);
        EXPECT_INT(dp_stats_wilson(x, n, DP_STATS_Z95, &iv, &e), 0);
        EXPECT(close_abs(iv.lo, lo, 1e-15) && close_abs(iv.hi, hi, 1e-15));
        ncases[0]++;
    } else if (!strcmp(kind, "newcombe")) {
        long x1, n1, x2, n2;
        double lo, hi;
        EXPECT(sscanf(line, "%*s %ld %ld %ld %ld %lf %lf", &x1, &n1, &x2, &n2, &lo, &hi) == 6);
        EXPECT_INT(dp_stats_newcombe(x1, n1, x2, n2, DP_STATS_Z95, &iv, &e), 0);
        EXPECT(close_abs(iv.lo, lo, 1e-14) && close_abs(iv.hi, hi, 1e-14));
        ncases[1]++;
    } else if (!strcmp(kind, "fisher")) {
        long a, b, c, d;
        double p, lp, gp, glp;
        EXPECT(sscanf(line, "%*s %ld %ld %ld %ld %lf %lf", &a, &b, &c, &d, &p, &lp) == 6);
        EXPECT_INT(dp_stats_fisher_exact(a, b, c, d, &gp, &glp, &e), 0);
        /* log p to 1e-10 relative: 1e5 ratio steps each lose ~1e-16 */
        if (!close_abs(glp, lp, 1e-10 * fmax(1, fabs(lp))) || !close_rel(gp, p, 1e-9)) {
            fprintf(stderr, "  fisher %ld %ld %ld %ld\n", a, b, c, d);
            EXPECT(0);
        }
        ncases[2]++;
    } else if (!strcmp(kind, "meansd")) {
        char vals[512];
        double m, sd, x[64], gm, gsd;
        size_t n = 0;
        EXPECT(sscanf(line, "%*s %511s %lf %lf", vals, &m, &sd) == 3);
        for (char *t = strtok(vals, ","); t && n < 64; t = strtok(NULL, ",")) x[n++] = strtod(t, NULL);
        dp_stats_mean_sd(x, n, &gm, &gsd);
        EXPECT(close_rel(gm, m, 1e-15) && close_rel(gsd, sd, 1e-9));
        ncases[3]++;
    } else {
        fprintf(stderr, "unknown golden line: %s\n", line);
        EXPECT(0);
    }
}

static void test_golden(void)
{
    char *text;
    size_t n;
    struct dp_error e = {0};
    EXPECT_INT(dp_file_read("tests/eval/stats_golden.txt", &text, &n, &e), 0);
    if (e.code) return;
    for (char *line = text, *nl; line && *line; line = nl ? nl + 1 : NULL) {
        nl = strchr(line, '\n');
        if (nl) *nl = 0;
        check_line(line);
    }
    free(text);
    EXPECT(ncases[0] >= 10 && ncases[1] >= 10 && ncases[2] >= 20 && ncases[3] >= 4);
}

/* Worked examples from the literature, to 4 decimals as printed there. */
static void test_published(void)
{
    struct dp_interval iv;
    struct dp_error e = {0};
    /* Newcombe (1998), Statistics in Medicine 17:873, Table II (a): 56/70 - 48/80, method 10 */
    dp_stats_newcombe(56, 70, 48, 80, DP_STATS_Z95, &iv, &e);
    EXPECT(fabs(iv.lo - 0.0524) < 5e-5 && fabs(iv.hi - 0.3339) < 5e-5);
    /* Newcombe (1998) Table II (e): 5/56 - 0/29 -> -0.0381, 0.1926 */
    dp_stats_newcombe(5, 56, 0, 29, DP_STATS_Z95, &iv, &e);
    EXPECT(fabs(iv.lo + 0.0381) < 5e-5 && fabs(iv.hi - 0.1926) < 5e-5);
    /* Newcombe (1998), Statistics in Medicine 17:857, Table I: 81/263 -> 0.2553, 0.3662 */
    dp_stats_wilson(81, 263, DP_STATS_Z95, &iv, &e);
    EXPECT(fabs(iv.lo - 0.2553) < 5e-5 && fabs(iv.hi - 0.3662) < 5e-5);
    /* Fisher's lady tasting tea, [[3,1],[1,3]]: two-sided p = 0.4857 (R's fisher.test) */
    double p;
    dp_stats_fisher_exact(3, 1, 1, 3, &p, NULL, &e);
    EXPECT(fabs(p - 0.4857) < 5e-5);
}

static void test_errors(void)
{
    struct dp_interval iv;
    struct dp_error e = {0};
    double p;
    EXPECT_INT(dp_stats_wilson(5, 4, DP_STATS_Z95, &iv, &e), DP_EINVAL);
    EXPECT_INT(dp_stats_wilson(-1, 4, DP_STATS_Z95, &iv, &e), DP_EINVAL);
    EXPECT_INT(dp_stats_wilson(0, 0, DP_STATS_Z95, &iv, &e), 0);
    EXPECT(iv.lo == 0 && iv.hi == 1);
    EXPECT_INT(dp_stats_newcombe(1, 0, 1, 2, DP_STATS_Z95, &iv, &e), DP_EINVAL);
    EXPECT_INT(dp_stats_fisher_exact(1, -1, 2, 3, &p, NULL, &e), DP_EINVAL);
    double lp;
    /* Symmetric tables: p is exactly 1 and never above it. */
    EXPECT_INT(dp_stats_fisher_exact(500, 500, 500, 500, &p, &lp, &e), 0);
    EXPECT(p == 1 && lp == 0);
    /* Swapping rows, columns or transposing leaves p unchanged. */
    double p1, p2, p3;
    dp_stats_fisher_exact(7, 12, 0, 5, &p1, NULL, &e);
    dp_stats_fisher_exact(0, 5, 7, 12, &p2, NULL, &e);
    dp_stats_fisher_exact(7, 0, 12, 5, &p3, NULL, &e);
    EXPECT(close_rel(p1, p2, 1e-12) && close_rel(p1, p3, 1e-12));
}

int main(void)
{
    RUN(test_golden);
    RUN(test_published);
    RUN(test_errors);
    TEST_END();
}
