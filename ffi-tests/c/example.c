#include <stdio.h>
#include "activ.h"

int main(void) {
    float x[4] = {-100.0f, -1.0f, 0.0f, 100.0f}, y[4];
    activ_status s = activ_sigmoid_f32(x, y, 4);
    if (s != ACTIV_STATUS_OK) { fprintf(stderr, "%s\n", activ_status_message(s)); return 1; }
    printf("%g %g %g %g\n", y[0], y[1], y[2], y[3]);
    return activ_softmax_f32(x, x, 2, 2) == ACTIV_STATUS_OK ? 0 : 1; /* in place */
}
