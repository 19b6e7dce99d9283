/* The book's first C program: elementwise functions, in place, and softmax rows. */
#include <math.h>
#include <stdio.h>

#include "activ.h"

int main(void) {
    /* Out of place: y[i] = sigmoid(x[i]). */
    float x[5] = {-100.0f, -1.0f, 0.0f, 1.0f, 100.0f};
    float y[5];
    activ_status s = activ_sigmoid_f32(x, y, 5);
    if (s != ACTIV_STATUS_OK) {
        fprintf(stderr, "sigmoid: %s\n", activ_status_message(s));
        return 1;
    }
    if (!(y[0] > 0.0f && y[0] < 1e-43f) || y[2] != 0.5f || y[4] != 1.0f) return 1;

    /* In place: pass the same pointer as input and output. */
    double v[4] = {-2.0, -0.0, 0.5, NAN};
    if (activ_relu_f64(v, v, 4) != ACTIV_STATUS_OK) return 1;
    if (v[0] != 0.0 || signbit(v[1]) || v[2] != 0.5 || !isnan(v[3])) return 1;

    /* Softmax over the rows of a 2 x 3 row-major matrix; the second row is masked. */
    float logits[6] = {1.0f, 2.0f, 3.0f, -INFINITY, -INFINITY, -INFINITY};
    float p[6];
    if (activ_softmax_f32(logits, p, 2, 3) != ACTIV_STATUS_OK) return 1;
    if (fabsf(p[0] + p[1] + p[2] - 1.0f) > 1e-6f) return 1;
    if (p[3] != 0.0f || p[4] != 0.0f || p[5] != 0.0f) return 1;

    printf("sigmoid(-100) = %g, softmax row 0 = %.6f %.6f %.6f\n", y[0], p[0], p[1], p[2]);
    return 0;
}
