/* Strided rows: a padded 2 x 3 matrix (row stride 4), masked-row policy and logsumexp. */
#include <math.h>
#include <stdio.h>

#include "activ.h"

int main(void) {
    double x[8] = {1000.0, 1000.0, -INFINITY, 0.0,   /* row 0, then padding */
                   -INFINITY, -INFINITY, -INFINITY, 0.0}; /* row 1: fully masked */
    double p[8] = {0};
    double lse[2];
    p[3] = p[7] = 42.0; /* padding: must stay untouched */

    if (activ_softmax_strided_f64(x, 4, p, 4, 2, 3, ACTIV_MASKED_ROWS_NAN) != ACTIV_STATUS_OK)
        return 1;
    if (p[0] != 0.5 || p[1] != 0.5 || p[2] != 0.0) return 1; /* no overflow at 1000 */
    if (!isnan(p[4]) || !isnan(p[5]) || !isnan(p[6])) return 1; /* PyTorch's policy */
    if (p[3] != 42.0 || p[7] != 42.0) return 1;

    if (activ_logsumexp_strided_f64(x, 4, lse, 2, 3) != ACTIV_STATUS_OK) return 1;
    if (lse[0] != 1000.0 + log(2.0)) return 1; /* 1000 + ln 2, not inf */
    if (lse[1] != -INFINITY) return 1;         /* log 0 */

    /* The dominant logit keeps its relative precision in log_softmax. */
    float row[2] = {0.0f, -20.0f};
    if (activ_log_softmax_f32(row, row, 1, 2) != ACTIV_STATUS_OK) return 1; /* in place */
    if (row[0] == 0.0f || fabsf(row[0] / -2.0611537e-9f - 1.0f) > 1e-6f) return 1;

    printf("logsumexp = %.17g, log_softmax = %g %g\n", lse[0], row[0], row[1]);
    return 0;
}
