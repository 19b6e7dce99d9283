/* Error handling: every call returns an activ_status, and nothing is written on error. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "activ.h"

static int check(activ_status got, activ_status want, const char *what) {
    if (got != want) {
        fprintf(stderr, "%s: got \"%s\", want \"%s\"\n", what, activ_status_message(got),
                activ_status_message(want));
        return 1;
    }
    printf("%-28s -> %s\n", what, activ_status_message(got));
    return 0;
}

int main(void) {
    float buf[8] = {1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f, 7.0f, 8.0f};
    float out[8] = {0};
    int failures = 0;

    /* NULL with elements to process; NULL is fine when n == 0. */
    failures += check(activ_tanh_f32(NULL, out, 1), ACTIV_STATUS_NULL_POINTER, "NULL input");
    failures += check(activ_tanh_f32(NULL, NULL, 0), ACTIV_STATUS_OK, "NULL, n = 0");

    /* Partial overlap is refused; y == x (in place) is allowed. */
    failures += check(activ_tanh_f32(buf, buf + 1, 4), ACTIV_STATUS_OVERLAP, "partial overlap");
    failures += check(activ_tanh_f32(buf, buf, 4), ACTIV_STATUS_OK, "in place");

    /* A parameter outside the function's domain. */
    failures += check(activ_softplus_f32(buf, out, 8, 0.0f), ACTIV_STATUS_INVALID_PARAMETER,
                      "softplus with beta = 0");
    /* A row stride smaller than the row. */
    failures += check(activ_softmax_strided_f32(buf, 2, out, 3, 2, 3, ACTIV_MASKED_ROWS_ZEROS),
                      ACTIV_STATUS_SIZE_OVERFLOW, "stride < cols");
    /* A size in bytes beyond PTRDIFF_MAX. */
    failures += check(activ_sigmoid_f32(buf, out, SIZE_MAX / 2), ACTIV_STATUS_SIZE_OVERFLOW,
                      "n * sizeof(float) too large");

    /* None of the refused calls wrote anything. */
    for (int i = 0; i < 8; i++) {
        if (out[i] != 0.0f) {
            fprintf(stderr, "out[%d] was written\n", i);
            failures++;
        }
    }
    /* Every status, even an unknown one, has a message. */
    if (strlen(activ_status_message((activ_status)42)) == 0) failures++;
    printf("activ %s\n", activ_version());
    return failures == 0 ? 0 : 1;
}
