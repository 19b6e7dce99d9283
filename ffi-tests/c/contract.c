/* The bad-input contract of the C ABI, line by line, and results to compare with Rust.
 *
 * Exit status 0 when every check passed. On stdout, one line per evaluated element:
 *   <function> f32 <input bits> <output bits>     (hex)
 *   <function> f64 <input bits> <output bits>
 * which the Rust harness recomputes with the Rust API and compares bit for bit. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "activ.h"

static int failures = 0;

#define CHECK(cond)                                                             \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                         \
        }                                                                       \
    } while (0)

typedef activ_status (*fn_f32)(const float *, float *, size_t);
typedef activ_status (*fn_f64)(const double *, double *, size_t);

/* The parametrized functions at their default parameters. */
static activ_status logit_eps_f32(const float *x, float *y, size_t n) { return activ_logit_eps_f32(x, y, n, 1e-6f); }
static activ_status logit_eps_f64(const double *x, double *y, size_t n) { return activ_logit_eps_f64(x, y, n, 1e-6); }
static activ_status leaky_relu_f32(const float *x, float *y, size_t n) { return activ_leaky_relu_f32(x, y, n, 0.01f); }
static activ_status leaky_relu_f64(const double *x, double *y, size_t n) { return activ_leaky_relu_f64(x, y, n, 0.01); }
static activ_status elu_f32(const float *x, float *y, size_t n) { return activ_elu_f32(x, y, n, 1.0f); }
static activ_status elu_f64(const double *x, double *y, size_t n) { return activ_elu_f64(x, y, n, 1.0); }
static activ_status celu_f32(const float *x, float *y, size_t n) { return activ_celu_f32(x, y, n, 1.0f); }
static activ_status celu_f64(const double *x, double *y, size_t n) { return activ_celu_f64(x, y, n, 1.0); }
static activ_status softplus_f32(const float *x, float *y, size_t n) { return activ_softplus_f32(x, y, n, 1.0f); }
static activ_status softplus_f64(const double *x, double *y, size_t n) { return activ_softplus_f64(x, y, n, 1.0); }

static const struct {
    const char *name;
    fn_f32 f32;
    fn_f64 f64;
} FUNCTIONS[] = {
    {"sigmoid", activ_sigmoid_f32, activ_sigmoid_f64},
    {"log_sigmoid", activ_log_sigmoid_f32, activ_log_sigmoid_f64},
    {"logit", activ_logit_f32, activ_logit_f64},
    {"logit_eps", logit_eps_f32, logit_eps_f64},
    {"softplus", softplus_f32, softplus_f64},
    {"tanh", activ_tanh_f32, activ_tanh_f64},
    {"relu", activ_relu_f32, activ_relu_f64},
    {"relu6", activ_relu6_f32, activ_relu6_f64},
    {"leaky_relu", leaky_relu_f32, leaky_relu_f64},
    {"elu", elu_f32, elu_f64},
    {"selu", activ_selu_f32, activ_selu_f64},
    {"celu", celu_f32, celu_f64},
    {"gelu", activ_gelu_f32, activ_gelu_f64},
    {"gelu_tanh", activ_gelu_tanh_f32, activ_gelu_tanh_f64},
    {"silu", activ_silu_f32, activ_silu_f64},
    {"mish", activ_mish_f32, activ_mish_f64},
    {"softsign", activ_softsign_f32, activ_softsign_f64},
    {"hard_sigmoid", activ_hard_sigmoid_f32, activ_hard_sigmoid_f64},
    {"hard_swish", activ_hard_swish_f32, activ_hard_swish_f64},
};
#define N_FUNCTIONS (sizeof FUNCTIONS / sizeof FUNCTIONS[0])

#define N_INPUTS 600
static float in32[N_INPUTS];
static double in64[N_INPUTS];

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t next_random(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static float f32_from_bits(uint32_t b) { float f; memcpy(&f, &b, sizeof f); return f; }
static uint32_t f32_bits(float f) { uint32_t b; memcpy(&b, &f, sizeof b); return b; }
static double f64_from_bits(uint64_t b) { double f; memcpy(&f, &b, sizeof f); return f; }
static uint64_t f64_bits(double f) { uint64_t b; memcpy(&b, &f, sizeof b); return b; }

static void make_inputs(void) {
    static const double special[] = {0.0, -0.0, 1.0, -1.0, 0.5, 3.0, -3.0, 6.0, 100.0, -100.0,
                                     -88.8, -104.0, 1e30, -1e30, 1e-40, -1e-40, 20.0, -20.0,
                                     0.25, 0.75, 1e-7, 0.9999999};
    size_t n_special = sizeof special / sizeof special[0];
    size_t i = 0;
    for (; i < n_special; i++) {
        in32[i] = (float)special[i];
        in64[i] = special[i];
    }
    in32[i] = f32_from_bits(0x7fc00000u); in64[i++] = f64_from_bits(0x7ff8000000000000ull);
    in32[i] = (float)INFINITY; in64[i++] = INFINITY;
    in32[i] = -(float)INFINITY; in64[i++] = -INFINITY;
    in32[i] = f32_from_bits(1u); in64[i++] = f64_from_bits(1u);
    in32[i] = f32_from_bits(0x7f7fffffu); in64[i++] = f64_from_bits(0x7fefffffffffffffull);
    for (; i < N_INPUTS; i++) {
        uint64_t r = next_random();
        if (i % 3 == 0) {
            /* any bit pattern */
            in32[i] = f32_from_bits((uint32_t)r);
            in64[i] = f64_from_bits(r);
        } else {
            /* where the functions bend: uniform in [-40, 40] */
            double u = (double)(r >> 11) / 9007199254740992.0;
            in32[i] = (float)(80.0 * u - 40.0);
            in64[i] = 80.0 * u - 40.0;
        }
    }
}

static void elementwise_contract(void) {
    size_t f;
    for (f = 0; f < N_FUNCTIONS; f++) {
        float x[8] = {-2.0f, -1.0f, -0.5f, 0.0f, 0.5f, 1.0f, 2.0f, 3.0f};
        float y[8], buf[9], ref[8];
        double xd[4] = {-1.0, 0.0, 0.5, 2.0}, yd[4];
        size_t i;

        /* Zero length: OK and nothing touched, even with NULL. */
        CHECK(FUNCTIONS[f].f32(NULL, NULL, 0) == ACTIV_STATUS_OK);
        CHECK(FUNCTIONS[f].f64(NULL, NULL, 0) == ACTIV_STATUS_OK);

        /* NULL with n > 0, and nothing written. */
        for (i = 0; i < 8; i++) y[i] = 42.0f;
        CHECK(FUNCTIONS[f].f32(NULL, y, 8) == ACTIV_STATUS_NULL_POINTER);
        CHECK(FUNCTIONS[f].f32(x, NULL, 8) == ACTIV_STATUS_NULL_POINTER);
        CHECK(FUNCTIONS[f].f64(xd, NULL, 4) == ACTIV_STATUS_NULL_POINTER);
        for (i = 0; i < 8; i++) CHECK(y[i] == 42.0f);

        /* Sizes whose byte length exceeds PTRDIFF_MAX (never dereferenced). */
        CHECK(FUNCTIONS[f].f32(x, y, SIZE_MAX) == ACTIV_STATUS_SIZE_OVERFLOW);
        CHECK(FUNCTIONS[f].f32(x, y, (size_t)PTRDIFF_MAX / sizeof(float) + 1) == ACTIV_STATUS_SIZE_OVERFLOW);
        CHECK(FUNCTIONS[f].f64(xd, yd, (size_t)PTRDIFF_MAX / sizeof(double) + 1) == ACTIV_STATUS_SIZE_OVERFLOW);
        for (i = 0; i < 8; i++) CHECK(y[i] == 42.0f);

        /* Out of place, then in place: same bits. */
        CHECK(FUNCTIONS[f].f32(x, ref, 8) == ACTIV_STATUS_OK);
        memcpy(buf, x, sizeof x);
        CHECK(FUNCTIONS[f].f32(buf, buf, 8) == ACTIV_STATUS_OK);
        CHECK(memcmp(buf, ref, sizeof ref) == 0);
        CHECK(FUNCTIONS[f].f64(xd, yd, 4) == ACTIV_STATUS_OK);

        /* Partial overlap either way: refused, nothing written. */
        memcpy(buf, x, sizeof x);
        buf[8] = 42.0f;
        CHECK(FUNCTIONS[f].f32(buf, buf + 1, 8) == ACTIV_STATUS_OVERLAP);
        CHECK(FUNCTIONS[f].f32(buf + 1, buf, 8) == ACTIV_STATUS_OVERLAP);
        CHECK(memcmp(buf, x, sizeof x) == 0 && buf[8] == 42.0f);
        /* Adjacent but disjoint ranges are fine. */
        CHECK(FUNCTIONS[f].f32(buf, buf + 4, 4) == ACTIV_STATUS_OK);
    }
}

static void parameter_contract(void) {
    float x[2] = {-1.0f, 1.0f}, y[2] = {42.0f, 42.0f};
    double xd[2] = {-1.0, 1.0}, yd[2] = {42.0, 42.0};
    CHECK(activ_leaky_relu_f32(x, y, 2, NAN) == ACTIV_STATUS_INVALID_PARAMETER);
    CHECK(activ_leaky_relu_f64(xd, yd, 2, INFINITY) == ACTIV_STATUS_INVALID_PARAMETER);
    CHECK(activ_elu_f32(x, y, 2, -INFINITY) == ACTIV_STATUS_INVALID_PARAMETER);
    CHECK(activ_celu_f32(x, y, 2, 0.0f) == ACTIV_STATUS_INVALID_PARAMETER);
    CHECK(activ_celu_f64(xd, yd, 2, NAN) == ACTIV_STATUS_INVALID_PARAMETER);
    CHECK(activ_softplus_f32(x, y, 2, 0.0f) == ACTIV_STATUS_INVALID_PARAMETER);
    CHECK(activ_softplus_f32(x, y, 2, -1.0f) == ACTIV_STATUS_INVALID_PARAMETER);
    CHECK(activ_softplus_f64(xd, yd, 2, INFINITY) == ACTIV_STATUS_INVALID_PARAMETER);
    CHECK(activ_logit_eps_f32(x, y, 2, -0.1f) == ACTIV_STATUS_INVALID_PARAMETER);
    CHECK(activ_logit_eps_f32(x, y, 2, 0.6f) == ACTIV_STATUS_INVALID_PARAMETER);
    CHECK(activ_logit_eps_f64(xd, yd, 2, NAN) == ACTIV_STATUS_INVALID_PARAMETER);
    CHECK(y[0] == 42.0f && y[1] == 42.0f && yd[0] == 42.0 && yd[1] == 42.0);
    /* Valid edges of the domains. */
    CHECK(activ_logit_eps_f32(x, y, 2, 0.5f) == ACTIV_STATUS_OK);
    CHECK(activ_logit_eps_f32(x, y, 2, 0.0f) == ACTIV_STATUS_OK);
    CHECK(activ_softplus_f64(xd, yd, 2, 1e-300) == ACTIV_STATUS_OK);
    CHECK(activ_celu_f32(x, y, 2, -2.0f) == ACTIV_STATUS_OK);
}

static void rows_contract(void) {
    float x[12], y[12], out[4];
    size_t i;
    for (i = 0; i < 12; i++) { x[i] = (float)i * 0.5f - 2.0f; y[i] = 42.0f; }
    for (i = 0; i < 4; i++) out[i] = 42.0f;

    CHECK(activ_softmax_f32(NULL, NULL, 0, 5) == ACTIV_STATUS_OK);
    CHECK(activ_softmax_f32(NULL, NULL, 5, 0) == ACTIV_STATUS_OK);
    CHECK(activ_log_softmax_f64(NULL, NULL, 0, 0) == ACTIV_STATUS_OK);
    CHECK(activ_softmax_strided_f32(NULL, 0, NULL, 0, 0, 3, ACTIV_MASKED_ROWS_ZEROS) == ACTIV_STATUS_OK);
    CHECK(activ_logsumexp_f32(NULL, NULL, 0, 3) == ACTIV_STATUS_OK);
    CHECK(activ_softmax_f32(NULL, y, 3, 4) == ACTIV_STATUS_NULL_POINTER);
    CHECK(activ_softmax_f32(x, NULL, 3, 4) == ACTIV_STATUS_NULL_POINTER);
    CHECK(activ_logsumexp_f32(x, NULL, 3, 4) == ACTIV_STATUS_NULL_POINTER);
    CHECK(activ_logsumexp_f32(NULL, out, 3, 4) == ACTIV_STATUS_NULL_POINTER);
    CHECK(activ_softmax_f32(x, y, SIZE_MAX, 2) == ACTIV_STATUS_SIZE_OVERFLOW);
    CHECK(activ_softmax_f32(x, y, (size_t)1 << 62, 4) == ACTIV_STATUS_SIZE_OVERFLOW);
    CHECK(activ_logsumexp_f32(x, out, SIZE_MAX, SIZE_MAX) == ACTIV_STATUS_SIZE_OVERFLOW);
    CHECK(activ_logsumexp_f32(x, out, 4, SIZE_MAX / 2) == ACTIV_STATUS_SIZE_OVERFLOW);
    CHECK(activ_softmax_strided_f32(x, 2, y, 4, 3, 4, ACTIV_MASKED_ROWS_ZEROS) == ACTIV_STATUS_SIZE_OVERFLOW);
    CHECK(activ_softmax_strided_f32(x, 4, y, 3, 3, 4, ACTIV_MASKED_ROWS_ZEROS) == ACTIV_STATUS_SIZE_OVERFLOW);
    CHECK(activ_logsumexp_strided_f32(x, 3, out, 3, 4) == ACTIV_STATUS_SIZE_OVERFLOW);
    CHECK(activ_softmax_strided_f32(x, 4, y, 4, 3, 4, (activ_masked_rows)7) == ACTIV_STATUS_INVALID_PARAMETER);
    CHECK(activ_log_softmax_strided_f64(NULL, 4, NULL, 4, 3, 4, (activ_masked_rows)0) == ACTIV_STATUS_NULL_POINTER);
    for (i = 0; i < 12; i++) CHECK(y[i] == 42.0f);
    for (i = 0; i < 4; i++) CHECK(out[i] == 42.0f);

    /* Overlap: a shifted output, or the same pointer with a different stride. */
    CHECK(activ_softmax_f32(x, x + 1, 2, 4) == ACTIV_STATUS_OVERLAP);
    CHECK(activ_softmax_strided_f32(x, 4, x, 5, 2, 4, ACTIV_MASKED_ROWS_ZEROS) == ACTIV_STATUS_OVERLAP);
    CHECK(activ_logsumexp_f32(x, x + 2, 3, 4) == ACTIV_STATUS_OVERLAP);
    for (i = 0; i < 12; i++) CHECK(x[i] == (float)i * 0.5f - 2.0f);

    /* In place equals out of place. */
    CHECK(activ_softmax_f32(x, y, 3, 4) == ACTIV_STATUS_OK);
    CHECK(activ_softmax_f32(x, x, 3, 4) == ACTIV_STATUS_OK);
    CHECK(memcmp(x, y, sizeof y) == 0);

    /* Masked rows, both policies; logsumexp of an empty row. */
    {
        float m[3] = {-(float)INFINITY, -(float)INFINITY, -(float)INFINITY}, r[3];
        CHECK(activ_softmax_strided_f32(m, 3, r, 3, 1, 3, ACTIV_MASKED_ROWS_ZEROS) == ACTIV_STATUS_OK);
        CHECK(r[0] == 0.0f && r[1] == 0.0f && r[2] == 0.0f);
        CHECK(activ_softmax_strided_f32(m, 3, r, 3, 1, 3, ACTIV_MASKED_ROWS_NAN) == ACTIV_STATUS_OK);
        CHECK(isnan(r[0]) && isnan(r[1]) && isnan(r[2]));
        CHECK(activ_log_softmax_f32(m, r, 1, 3) == ACTIV_STATUS_OK);
        CHECK(isinf(r[0]) && r[0] < 0.0f);
        CHECK(activ_logsumexp_f32(NULL, out, 2, 0) == ACTIV_STATUS_OK);
        CHECK(isinf(out[0]) && out[0] < 0.0f && isinf(out[1]));
    }
}

static void status_and_version(void) {
    char expected[64];
    int s;
    for (s = -2; s < 10; s++) CHECK(activ_status_message((activ_status)s) != NULL);
    CHECK(strcmp(activ_status_message(ACTIV_STATUS_OK), "success") == 0);
    sprintf(expected, "%d.%d.%d", ACTIV_VERSION_MAJOR, ACTIV_VERSION_MINOR, ACTIV_VERSION_PATCH);
    CHECK(strcmp(activ_version(), expected) == 0);
}

static void emit_results(void) {
    float y32[N_INPUTS];
    double y64[N_INPUTS];
    size_t f, i;
    for (f = 0; f < N_FUNCTIONS; f++) {
        CHECK(FUNCTIONS[f].f32(in32, y32, N_INPUTS) == ACTIV_STATUS_OK);
        CHECK(FUNCTIONS[f].f64(in64, y64, N_INPUTS) == ACTIV_STATUS_OK);
        for (i = 0; i < N_INPUTS; i++)
            printf("%s f32 %08lx %08lx\n", FUNCTIONS[f].name, (unsigned long)f32_bits(in32[i]),
                   (unsigned long)f32_bits(y32[i]));
        for (i = 0; i < N_INPUTS; i++)
            printf("%s f64 %016llx %016llx\n", FUNCTIONS[f].name, (unsigned long long)f64_bits(in64[i]),
                   (unsigned long long)f64_bits(y64[i]));
    }
    /* One softmax row of 40 random logits, and its log-softmax and logsumexp. */
    {
        double row[40], sm[40], ls[40], lse;
        for (i = 0; i < 40; i++) row[i] = in64[100 + i];
        CHECK(activ_softmax_f64(row, sm, 1, 40) == ACTIV_STATUS_OK);
        CHECK(activ_log_softmax_f64(row, ls, 1, 40) == ACTIV_STATUS_OK);
        CHECK(activ_logsumexp_f64(row, &lse, 1, 40) == ACTIV_STATUS_OK);
        for (i = 0; i < 40; i++)
            printf("softmax_row f64 %016llx %016llx\n", (unsigned long long)f64_bits(row[i]),
                   (unsigned long long)f64_bits(sm[i]));
        for (i = 0; i < 40; i++)
            printf("log_softmax_row f64 %016llx %016llx\n", (unsigned long long)f64_bits(row[i]),
                   (unsigned long long)f64_bits(ls[i]));
        printf("logsumexp_row f64 0 %016llx\n", (unsigned long long)f64_bits(lse));
    }
}

int main(void) {
    make_inputs();
    elementwise_contract();
    parameter_contract();
    rows_contract();
    status_and_version();
    emit_results();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    return 0;
}
