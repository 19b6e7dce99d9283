/* The backward functions of the C ABI: exact values, the bad-input contract, aliasing, and
 * results to compare with Rust.
 *
 * Exit status 0 when every check passed. On stdout, one line per evaluated element:
 *   <function> f32 <a bits> <b bits> <dx bits>     (hex)
 *   <function> f64 <a bits> <b bits> <dx bits>
 * with (a, b) = (x, dy) for the elementwise functions, (y, dy) for softmax_backward and
 * log_softmax_backward (rows of ROW_COLS), and (x, dout of the row) for logsumexp_backward,
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

typedef activ_status (*grad_f32)(const float *, const float *, float *, size_t);
typedef activ_status (*grad_f64)(const double *, const double *, double *, size_t);

/* The parametrized functions at their default parameters (as contract.c). */
static activ_status logit_eps_f32(const float *x, const float *dy, float *dx, size_t n) { return activ_logit_eps_backward_f32(x, dy, dx, n, 1e-6f); }
static activ_status logit_eps_f64(const double *x, const double *dy, double *dx, size_t n) { return activ_logit_eps_backward_f64(x, dy, dx, n, 1e-6); }
static activ_status leaky_relu_f32(const float *x, const float *dy, float *dx, size_t n) { return activ_leaky_relu_backward_f32(x, dy, dx, n, 0.01f); }
static activ_status leaky_relu_f64(const double *x, const double *dy, double *dx, size_t n) { return activ_leaky_relu_backward_f64(x, dy, dx, n, 0.01); }
static activ_status elu_f32(const float *x, const float *dy, float *dx, size_t n) { return activ_elu_backward_f32(x, dy, dx, n, 1.0f); }
static activ_status elu_f64(const double *x, const double *dy, double *dx, size_t n) { return activ_elu_backward_f64(x, dy, dx, n, 1.0); }
static activ_status celu_f32(const float *x, const float *dy, float *dx, size_t n) { return activ_celu_backward_f32(x, dy, dx, n, 1.0f); }
static activ_status celu_f64(const double *x, const double *dy, double *dx, size_t n) { return activ_celu_backward_f64(x, dy, dx, n, 1.0); }
static activ_status softplus_f32(const float *x, const float *dy, float *dx, size_t n) { return activ_softplus_backward_f32(x, dy, dx, n, 1.0f); }
static activ_status softplus_f64(const double *x, const double *dy, double *dx, size_t n) { return activ_softplus_backward_f64(x, dy, dx, n, 1.0); }

static const struct {
    const char *name;
    grad_f32 f32;
    grad_f64 f64;
} FUNCTIONS[] = {
    {"sigmoid", activ_sigmoid_backward_f32, activ_sigmoid_backward_f64},
    {"log_sigmoid", activ_log_sigmoid_backward_f32, activ_log_sigmoid_backward_f64},
    {"logit", activ_logit_backward_f32, activ_logit_backward_f64},
    {"logit_eps", logit_eps_f32, logit_eps_f64},
    {"softplus", softplus_f32, softplus_f64},
    {"tanh", activ_tanh_backward_f32, activ_tanh_backward_f64},
    {"relu", activ_relu_backward_f32, activ_relu_backward_f64},
    {"relu6", activ_relu6_backward_f32, activ_relu6_backward_f64},
    {"leaky_relu", leaky_relu_f32, leaky_relu_f64},
    {"elu", elu_f32, elu_f64},
    {"selu", activ_selu_backward_f32, activ_selu_backward_f64},
    {"celu", celu_f32, celu_f64},
    {"gelu", activ_gelu_backward_f32, activ_gelu_backward_f64},
    {"gelu_tanh", activ_gelu_tanh_backward_f32, activ_gelu_tanh_backward_f64},
    {"silu", activ_silu_backward_f32, activ_silu_backward_f64},
    {"mish", activ_mish_backward_f32, activ_mish_backward_f64},
    {"softsign", activ_softsign_backward_f32, activ_softsign_backward_f64},
    {"hard_sigmoid", activ_hard_sigmoid_backward_f32, activ_hard_sigmoid_backward_f64},
    {"hard_swish", activ_hard_swish_backward_f32, activ_hard_swish_backward_f64},
};
#define N_FUNCTIONS (sizeof FUNCTIONS / sizeof FUNCTIONS[0])

#define N_INPUTS 600
static float x32[N_INPUTS], dy32[N_INPUTS];
static double x64[N_INPUTS], dy64[N_INPUTS];

static uint64_t rng_state = 0x243F6A8885A308D3ull;
static uint64_t next_random(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double uniform(double lo, double hi) {
    return lo + (hi - lo) * ((double)(next_random() >> 11) / 9007199254740992.0);
}

static float f32_from_bits(uint32_t b) { float f; memcpy(&f, &b, sizeof f); return f; }
static uint32_t f32_bits(float f) { uint32_t b; memcpy(&b, &f, sizeof b); return b; }
static double f64_from_bits(uint64_t b) { double f; memcpy(&f, &b, sizeof f); return f; }
static uint64_t f64_bits(double f) { uint64_t b; memcpy(&b, &f, sizeof b); return b; }

static void make_inputs(void) {
    /* The kinks and flat pieces, then random points where the functions bend. */
    static const double special[] = {0.0, -0.0, 1.0, -1.0, 0.5, 3.0, -3.0, 6.0, 100.0, -100.0,
                                     -88.8, -104.0, 1e30, -1e30, 1e-40, -1e-40, 20.0, -20.0,
                                     0.25, 0.75, 1e-7, 0.9999999, 1e-6, 2.9999, -2.9999};
    static const double special_dy[] = {1.0, -1.0, 0.0, -0.0, 1e-30, 1e30, 3.5};
    size_t n_special = sizeof special / sizeof special[0];
    size_t i = 0;
    for (; i < n_special; i++) {
        x32[i] = (float)special[i];
        x64[i] = special[i];
    }
    x32[i] = f32_from_bits(0x7fc00000u); x64[i++] = f64_from_bits(0x7ff8000000000000ull);
    x32[i] = (float)INFINITY; x64[i++] = INFINITY;
    x32[i] = -(float)INFINITY; x64[i++] = -INFINITY;
    x32[i] = f32_from_bits(1u); x64[i++] = f64_from_bits(1u);
    for (; i < N_INPUTS; i++) {
        uint64_t r = next_random();
        if (i % 5 == 0) {
            x32[i] = f32_from_bits((uint32_t)r);
            x64[i] = f64_from_bits(r);
        } else {
            double u = uniform(-40.0, 40.0);
            x32[i] = (float)u;
            x64[i] = u;
        }
    }
    for (i = 0; i < N_INPUTS; i++) {
        double d;
        if (i < 2 * n_special) d = special_dy[i % (sizeof special_dy / sizeof special_dy[0])];
        else if (i % 50 == 7) d = NAN;
        else if (i % 50 == 9) d = -INFINITY;
        else d = uniform(-4.0, 4.0);
        dy32[i] = (float)d;
        dy64[i] = d;
    }
}

/* Exact values the documentation promises. */
static void exact_values(void) {
    float x, dy, dx;
    double xd, dyd, dxd;

    x = 0.0f; dy = 1.0f;
    CHECK(activ_sigmoid_backward_f32(&x, &dy, &dx, 1) == ACTIV_STATUS_OK && dx == 0.25f);
    xd = 0.0; dyd = 1.0;
    CHECK(activ_sigmoid_backward_f64(&xd, &dyd, &dxd, 1) == ACTIV_STATUS_OK && dxd == 0.25);
    xd = 0.0; dyd = 2.0;
    CHECK(activ_tanh_backward_f64(&xd, &dyd, &dxd, 1) == ACTIV_STATUS_OK && dxd == 2.0);

    /* relu'(0) = 0, and a flat piece gives +0 whatever dy is. */
    x = 0.0f; dy = 1.0f;
    CHECK(activ_relu_backward_f32(&x, &dy, &dx, 1) == ACTIV_STATUS_OK && dx == 0.0f && !signbit(dx));
    x = -2.0f; dy = -(float)INFINITY;
    CHECK(activ_relu_backward_f32(&x, &dy, &dx, 1) == ACTIV_STATUS_OK && dx == 0.0f && !signbit(dx));
    dy = (float)NAN;
    CHECK(activ_relu_backward_f32(&x, &dy, &dx, 1) == ACTIV_STATUS_OK && dx == 0.0f && !signbit(dx));
    x = 2.0f; dy = 3.0f;
    CHECK(activ_relu_backward_f32(&x, &dy, &dx, 1) == ACTIV_STATUS_OK && dx == 3.0f);
    x = (float)NAN; dy = 1.0f;
    CHECK(activ_relu_backward_f32(&x, &dy, &dx, 1) == ACTIV_STATUS_OK && isnan(dx));

    /* leaky_relu'(0) = slope; relu6' is 0 at both kinks. */
    x = 0.0f; dy = 1.0f;
    CHECK(activ_leaky_relu_backward_f32(&x, &dy, &dx, 1, 0.01f) == ACTIV_STATUS_OK && dx == 0.01f);
    xd = 0.0; dyd = 1.0;
    CHECK(activ_leaky_relu_backward_f64(&xd, &dyd, &dxd, 1, 0.2) == ACTIV_STATUS_OK && dxd == 0.2);
    {
        double xs[4] = {0.0, 6.0, 3.0, 7.0}, dys[4] = {5.0, 5.0, 5.0, 5.0}, dxs[4];
        CHECK(activ_relu6_backward_f64(xs, dys, dxs, 4) == ACTIV_STATUS_OK);
        CHECK(dxs[0] == 0.0 && dxs[1] == 0.0 && dxs[2] == 5.0 && dxs[3] == 0.0);
    }
    /* elu'(0) = alpha; selu'(0) = lambda * alpha; celu'(0) = 1. */
    xd = 0.0; dyd = 1.0;
    CHECK(activ_elu_backward_f64(&xd, &dyd, &dxd, 1, 1.5) == ACTIV_STATUS_OK && dxd == 1.5);
    CHECK(activ_celu_backward_f64(&xd, &dyd, &dxd, 1, 2.0) == ACTIV_STATUS_OK && dxd == 1.0);
    /* PyTorch's hard_sigmoid and hard_swish. */
    {
        float xs[5] = {-3.0f, 3.0f, 0.0f, -4.0f, 4.0f}, dys[5] = {1.0f, 1.0f, 1.0f, 1.0f, 1.0f}, dxs[5];
        CHECK(activ_hard_sigmoid_backward_f32(xs, dys, dxs, 5) == ACTIV_STATUS_OK);
        CHECK(dxs[0] == 0.0f && dxs[1] == 0.0f && dxs[2] == 1.0f / 6.0f && dxs[3] == 0.0f && dxs[4] == 0.0f);
        CHECK(activ_hard_swish_backward_f32(xs, dys, dxs, 5) == ACTIV_STATUS_OK);
        CHECK(dxs[0] == -0.5f && dxs[1] == 1.5f && dxs[2] == 0.5f && dxs[3] == 0.0f && dxs[4] == 1.0f);
    }
    /* logit_eps is flat outside [eps, 1 - eps]. */
    {
        double ps[3] = {0.05, 0.5, 0.95}, dys[3] = {1.0, 1.0, 1.0}, dxs[3];
        CHECK(activ_logit_eps_backward_f64(ps, dys, dxs, 3, 0.1) == ACTIV_STATUS_OK);
        CHECK(dxs[0] == 0.0 && dxs[1] == 4.0 && dxs[2] == 0.0);
    }

    /* softmax backward of y = [0.25, 0.25, 0.5], dy = [0, 1, 2]: <dy, y> = 1.25. */
    {
        const float y[3] = {0.25f, 0.25f, 0.5f}, want[3] = {-0.3125f, -0.0625f, 0.375f};
        float dyv[3] = {0.0f, 1.0f, 2.0f}, out[3], yy[3];
        const double yd[3] = {0.25, 0.25, 0.5}, wantd[3] = {-0.3125, -0.0625, 0.375};
        double dydv[3] = {0.0, 1.0, 2.0}, outd[3];
        CHECK(activ_softmax_backward_f32(y, dyv, out, 1, 3) == ACTIV_STATUS_OK);
        CHECK(memcmp(out, want, sizeof want) == 0);
        CHECK(activ_softmax_backward_f64(yd, dydv, outd, 1, 3) == ACTIV_STATUS_OK);
        CHECK(memcmp(outd, wantd, sizeof wantd) == 0);
        /* dx == dy and dx == y. */
        CHECK(activ_softmax_backward_f64(yd, dydv, dydv, 1, 3) == ACTIV_STATUS_OK);
        CHECK(memcmp(dydv, wantd, sizeof wantd) == 0);
        memcpy(yy, y, sizeof yy);
        CHECK(activ_softmax_backward_strided_f32(yy, 3, dyv, 3, yy, 3, 1, 3) == ACTIV_STATUS_OK);
        CHECK(memcmp(yy, want, sizeof want) == 0);
    }
    /* A masked row (softmax wrote 0 everywhere) gives +0 whatever dy holds. */
    {
        float y[3] = {0.0f, 0.0f, 0.0f}, dyv[3] = {1.0f, (float)INFINITY, (float)NAN}, out[3];
        CHECK(activ_softmax_backward_f32(y, dyv, out, 1, 3) == ACTIV_STATUS_OK);
        CHECK(out[0] == 0.0f && out[1] == 0.0f && out[2] == 0.0f && !signbit(out[0]));
    }
    /* log_softmax backward: dx = dy - exp(y) * sum(dy). */
    {
        double y[2] = {0.0, -INFINITY}, dyv[2] = {2.0, 3.0}, out[2];
        double m[2] = {-INFINITY, -INFINITY};
        CHECK(activ_log_softmax_backward_f64(y, dyv, out, 1, 2) == ACTIV_STATUS_OK);
        CHECK(out[0] == -3.0 && out[1] == 3.0);
        CHECK(activ_log_softmax_backward_f64(m, dyv, out, 1, 2) == ACTIV_STATUS_OK);
        CHECK(out[0] == 0.0 && out[1] == 0.0);
    }
    /* logsumexp backward: softmax(x) * dout; a masked row gives 0, or NaN by policy. */
    {
        float xs[4] = {0.0f, 0.0f, -(float)INFINITY, -(float)INFINITY}, dout[2] = {2.0f, 5.0f};
        float out[4] = {9.0f, 9.0f, 9.0f, 9.0f};
        CHECK(activ_logsumexp_backward_f32(xs, dout, out, 2, 2) == ACTIV_STATUS_OK);
        CHECK(out[0] == 1.0f && out[1] == 1.0f && out[2] == 0.0f && out[3] == 0.0f);
        CHECK(activ_logsumexp_backward_strided_f32(xs, 2, dout, out, 2, 2, 2, ACTIV_MASKED_ROWS_NAN) == ACTIV_STATUS_OK);
        CHECK(out[0] == 1.0f && out[1] == 1.0f && isnan(out[2]) && isnan(out[3]));
        /* In place over x. */
        CHECK(activ_logsumexp_backward_f32(xs, dout, xs, 2, 2) == ACTIV_STATUS_OK);
        CHECK(xs[0] == 1.0f && xs[1] == 1.0f && xs[2] == 0.0f && xs[3] == 0.0f);
    }
}

static void elementwise_contract(void) {
    size_t f, i;
    for (f = 0; f < N_FUNCTIONS; f++) {
        float x[8] = {-2.0f, -1.0f, -0.5f, 0.0f, 0.5f, 1.0f, 2.0f, 3.0f};
        float dy[8] = {1.0f, -2.0f, 0.5f, 3.0f, -1.0f, 0.25f, 4.0f, -3.0f};
        float dx[8], ref[8], ref_same[8], buf[10];
        double xd[4] = {-1.0, 0.0, 0.5, 2.0}, dyd[4] = {1.0, 1.0, 1.0, 1.0}, dxd[4];

        CHECK(FUNCTIONS[f].f32(NULL, NULL, NULL, 0) == ACTIV_STATUS_OK);
        CHECK(FUNCTIONS[f].f64(NULL, NULL, NULL, 0) == ACTIV_STATUS_OK);

        for (i = 0; i < 8; i++) dx[i] = 42.0f;
        CHECK(FUNCTIONS[f].f32(NULL, dy, dx, 8) == ACTIV_STATUS_NULL_POINTER);
        CHECK(FUNCTIONS[f].f32(x, NULL, dx, 8) == ACTIV_STATUS_NULL_POINTER);
        CHECK(FUNCTIONS[f].f32(x, dy, NULL, 8) == ACTIV_STATUS_NULL_POINTER);
        CHECK(FUNCTIONS[f].f64(xd, NULL, dxd, 4) == ACTIV_STATUS_NULL_POINTER);
        CHECK(FUNCTIONS[f].f32(x, dy, dx, SIZE_MAX) == ACTIV_STATUS_SIZE_OVERFLOW);
        CHECK(FUNCTIONS[f].f32(x, dy, dx, (size_t)PTRDIFF_MAX / sizeof(float) + 1) == ACTIV_STATUS_SIZE_OVERFLOW);
        CHECK(FUNCTIONS[f].f64(xd, dyd, dxd, (size_t)PTRDIFF_MAX / sizeof(double) + 1) == ACTIV_STATUS_SIZE_OVERFLOW);
        for (i = 0; i < 8; i++) CHECK(dx[i] == 42.0f);

        /* Separate buffers, then dx == dy, dx == x and dx == x == dy: the same bits. */
        CHECK(FUNCTIONS[f].f32(x, dy, ref, 8) == ACTIV_STATUS_OK);
        CHECK(FUNCTIONS[f].f32(x, x, ref_same, 8) == ACTIV_STATUS_OK);
        memcpy(buf, dy, sizeof dy);
        CHECK(FUNCTIONS[f].f32(x, buf, buf, 8) == ACTIV_STATUS_OK);
        CHECK(memcmp(buf, ref, sizeof ref) == 0);
        memcpy(buf, x, sizeof x);
        CHECK(FUNCTIONS[f].f32(buf, dy, buf, 8) == ACTIV_STATUS_OK);
        CHECK(memcmp(buf, ref, sizeof ref) == 0);
        memcpy(buf, x, sizeof x);
        CHECK(FUNCTIONS[f].f32(buf, buf, buf, 8) == ACTIV_STATUS_OK);
        CHECK(memcmp(buf, ref_same, sizeof ref_same) == 0);
        CHECK(FUNCTIONS[f].f64(xd, dyd, dxd, 4) == ACTIV_STATUS_OK);
        CHECK(FUNCTIONS[f].f64(xd, dyd, dyd, 4) == ACTIV_STATUS_OK);
        CHECK(memcmp(dxd, dyd, sizeof dxd) == 0);

        /* dx partially over x or over dy: refused, nothing written (guards included). */
        memcpy(buf + 1, x, sizeof x);
        buf[0] = buf[9] = 42.0f;
        CHECK(FUNCTIONS[f].f32(buf + 1, dy, buf + 2, 8) == ACTIV_STATUS_OVERLAP);
        CHECK(FUNCTIONS[f].f32(buf + 1, dy, buf, 8) == ACTIV_STATUS_OVERLAP);
        CHECK(FUNCTIONS[f].f32(x, buf + 1, buf + 2, 8) == ACTIV_STATUS_OVERLAP);
        CHECK(FUNCTIONS[f].f32(buf + 1, buf + 1, buf + 2, 8) == ACTIV_STATUS_OVERLAP);
        /* dx == x exactly but dy partially over it. */
        CHECK(FUNCTIONS[f].f32(buf + 1, buf + 2, buf + 1, 8) == ACTIV_STATUS_OVERLAP);
        CHECK(memcmp(buf + 1, x, sizeof x) == 0 && buf[0] == 42.0f && buf[9] == 42.0f);
        /* The inputs may overlap each other; dx between guards writes only its 8 elements. */
        {
            float in[9] = {-2.0f, -1.0f, -0.5f, 0.0f, 0.5f, 1.0f, 2.0f, 3.0f, 4.0f};
            float want[8], sep_x[8], sep_dy[8];
            memcpy(sep_x, in, sizeof sep_x);
            memcpy(sep_dy, in + 1, sizeof sep_dy);
            CHECK(FUNCTIONS[f].f32(sep_x, sep_dy, want, 8) == ACTIV_STATUS_OK);
            buf[0] = buf[9] = 42.0f;
            CHECK(FUNCTIONS[f].f32(in, in + 1, buf + 1, 8) == ACTIV_STATUS_OK);
            CHECK(memcmp(buf + 1, want, sizeof want) == 0 && buf[0] == 42.0f && buf[9] == 42.0f);
        }
    }
}

static void parameter_contract(void) {
    float x[2] = {-1.0f, 1.0f}, dy[2] = {1.0f, 1.0f}, dx[2] = {42.0f, 42.0f};
    double xd[2] = {-1.0, 1.0}, dyd[2] = {1.0, 1.0}, dxd[2] = {42.0, 42.0};
    CHECK(activ_leaky_relu_backward_f32(x, dy, dx, 2, NAN) == ACTIV_STATUS_INVALID_PARAMETER);
    CHECK(activ_leaky_relu_backward_f64(xd, dyd, dxd, 2, INFINITY) == ACTIV_STATUS_INVALID_PARAMETER);
    CHECK(activ_elu_backward_f32(x, dy, dx, 2, -INFINITY) == ACTIV_STATUS_INVALID_PARAMETER);
    CHECK(activ_celu_backward_f32(x, dy, dx, 2, 0.0f) == ACTIV_STATUS_INVALID_PARAMETER);
    CHECK(activ_celu_backward_f64(xd, dyd, dxd, 2, NAN) == ACTIV_STATUS_INVALID_PARAMETER);
    CHECK(activ_softplus_backward_f32(x, dy, dx, 2, 0.0f) == ACTIV_STATUS_INVALID_PARAMETER);
    CHECK(activ_softplus_backward_f32(x, dy, dx, 2, -1.0f) == ACTIV_STATUS_INVALID_PARAMETER);
    CHECK(activ_softplus_backward_f64(xd, dyd, dxd, 2, INFINITY) == ACTIV_STATUS_INVALID_PARAMETER);
    CHECK(activ_logit_eps_backward_f32(x, dy, dx, 2, -0.1f) == ACTIV_STATUS_INVALID_PARAMETER);
    CHECK(activ_logit_eps_backward_f32(x, dy, dx, 2, 0.6f) == ACTIV_STATUS_INVALID_PARAMETER);
    CHECK(activ_logit_eps_backward_f64(xd, dyd, dxd, 2, NAN) == ACTIV_STATUS_INVALID_PARAMETER);
    /* A bad parameter is reported before an overlap, a NULL before a bad parameter. */
    CHECK(activ_softplus_backward_f32(x, dy, x + 1, 1, 0.0f) == ACTIV_STATUS_INVALID_PARAMETER);
    CHECK(activ_softplus_backward_f32(x, NULL, dx, 2, 0.0f) == ACTIV_STATUS_NULL_POINTER);
    CHECK(dx[0] == 42.0f && dx[1] == 42.0f && dxd[0] == 42.0 && dxd[1] == 42.0);
    /* Valid edges of the domains. */
    CHECK(activ_logit_eps_backward_f32(x, dy, dx, 2, 0.5f) == ACTIV_STATUS_OK);
    CHECK(activ_logit_eps_backward_f32(x, dy, dx, 2, 0.0f) == ACTIV_STATUS_OK);
    CHECK(activ_softplus_backward_f64(xd, dyd, dxd, 2, 1e-300) == ACTIV_STATUS_OK);
    CHECK(activ_celu_backward_f32(x, dy, dx, 2, -2.0f) == ACTIV_STATUS_OK);
}

static void rows_contract(void) {
    float y[12], dy[12], dx[16], dout[3] = {1.0f, 2.0f, 3.0f};
    float ref[12], buf[12];
    size_t i;
    for (i = 0; i < 12; i++) { y[i] = 1.0f / 12.0f + (float)i * 0.001f; dy[i] = (float)i - 5.0f; }
    for (i = 0; i < 16; i++) dx[i] = 42.0f;

    CHECK(activ_softmax_backward_f32(NULL, NULL, NULL, 0, 4) == ACTIV_STATUS_OK);
    CHECK(activ_log_softmax_backward_f64(NULL, NULL, NULL, 3, 0) == ACTIV_STATUS_OK);
    CHECK(activ_logsumexp_backward_f32(NULL, NULL, NULL, 3, 0) == ACTIV_STATUS_OK);
    CHECK(activ_softmax_backward_strided_f32(NULL, 0, NULL, 0, NULL, 0, 0, 3) == ACTIV_STATUS_OK);
    CHECK(activ_softmax_backward_f32(NULL, dy, dx, 3, 4) == ACTIV_STATUS_NULL_POINTER);
    CHECK(activ_softmax_backward_f32(y, NULL, dx, 3, 4) == ACTIV_STATUS_NULL_POINTER);
    CHECK(activ_log_softmax_backward_f32(y, dy, NULL, 3, 4) == ACTIV_STATUS_NULL_POINTER);
    CHECK(activ_logsumexp_backward_f32(y, NULL, dx, 3, 4) == ACTIV_STATUS_NULL_POINTER);
    CHECK(activ_softmax_backward_f32(y, dy, dx, SIZE_MAX, 2) == ACTIV_STATUS_SIZE_OVERFLOW);
    CHECK(activ_log_softmax_backward_f32(y, dy, dx, (size_t)1 << 62, 4) == ACTIV_STATUS_SIZE_OVERFLOW);
    CHECK(activ_logsumexp_backward_f32(y, dout, dx, SIZE_MAX, SIZE_MAX) == ACTIV_STATUS_SIZE_OVERFLOW);
    CHECK(activ_softmax_backward_strided_f32(y, 3, dy, 4, dx, 4, 3, 4) == ACTIV_STATUS_SIZE_OVERFLOW);
    CHECK(activ_log_softmax_backward_strided_f32(y, 4, dy, 4, dx, 2, 3, 4) == ACTIV_STATUS_SIZE_OVERFLOW);
    CHECK(activ_logsumexp_backward_strided_f32(y, 4, dout, dx, 3, 3, 4, ACTIV_MASKED_ROWS_ZEROS) == ACTIV_STATUS_SIZE_OVERFLOW);
    CHECK(activ_logsumexp_backward_strided_f32(y, 4, dout, dx, 4, 3, 4, (activ_masked_rows)7) == ACTIV_STATUS_INVALID_PARAMETER);
    /* dx partially over y, over dy, over dout, or at y with another stride. */
    CHECK(activ_softmax_backward_f32(dx, dy, dx + 1, 2, 4) == ACTIV_STATUS_OVERLAP);
    CHECK(activ_log_softmax_backward_f32(y, dx + 3, dx, 2, 4) == ACTIV_STATUS_OVERLAP);
    CHECK(activ_softmax_backward_strided_f32(dx, 4, dy, 4, dx, 5, 2, 4) == ACTIV_STATUS_OVERLAP);
    CHECK(activ_softmax_backward_strided_f32(y, 4, dx, 5, dx, 4, 2, 4) == ACTIV_STATUS_OVERLAP);
    CHECK(activ_logsumexp_backward_f32(y, dx + 2, dx, 3, 4) == ACTIV_STATUS_OVERLAP);
    CHECK(activ_logsumexp_backward_f32(dx + 1, dout, dx, 3, 4) == ACTIV_STATUS_OVERLAP);
    CHECK(activ_logsumexp_backward_strided_f32(dx, 5, dout, dx, 4, 2, 4, ACTIV_MASKED_ROWS_ZEROS) == ACTIV_STATUS_OVERLAP);
    for (i = 0; i < 16; i++) CHECK(dx[i] == 42.0f);

    /* Exact aliasing equals separate buffers: dx == dy, dx == y, dx == y == dy. */
    CHECK(activ_softmax_backward_f32(y, dy, ref, 3, 4) == ACTIV_STATUS_OK);
    memcpy(buf, dy, sizeof buf);
    CHECK(activ_softmax_backward_f32(y, buf, buf, 3, 4) == ACTIV_STATUS_OK);
    CHECK(memcmp(buf, ref, sizeof ref) == 0);
    memcpy(buf, y, sizeof buf);
    CHECK(activ_softmax_backward_f32(buf, dy, buf, 3, 4) == ACTIV_STATUS_OK);
    CHECK(memcmp(buf, ref, sizeof ref) == 0);
    CHECK(activ_log_softmax_backward_f32(y, y, ref, 3, 4) == ACTIV_STATUS_OK);
    memcpy(buf, y, sizeof buf);
    CHECK(activ_log_softmax_backward_f32(buf, buf, buf, 3, 4) == ACTIV_STATUS_OK);
    CHECK(memcmp(buf, ref, sizeof ref) == 0);
    CHECK(activ_logsumexp_backward_f32(y, dout, ref, 3, 4) == ACTIV_STATUS_OK);
    memcpy(buf, y, sizeof buf);
    CHECK(activ_logsumexp_backward_f32(buf, dout, buf, 3, 4) == ACTIV_STATUS_OK);
    CHECK(memcmp(buf, ref, sizeof ref) == 0);

    /* Strided: 3 rows of 3 in rows of 5; the two gap elements per row are never written. */
    {
        float ys[15], dys[15], dxs[15], want[9];
        for (i = 0; i < 15; i++) { ys[i] = 0.1f * (float)i; dys[i] = 1.0f - 0.3f * (float)i; dxs[i] = 42.0f; }
        for (i = 0; i < 3; i++) {
            float yr[3], dyr[3];
            memcpy(yr, ys + 5 * i, sizeof yr);
            memcpy(dyr, dys + 5 * i, sizeof dyr);
            CHECK(activ_softmax_backward_f32(yr, dyr, want + 3 * i, 1, 3) == ACTIV_STATUS_OK);
        }
        CHECK(activ_softmax_backward_strided_f32(ys, 5, dys, 5, dxs, 5, 3, 3) == ACTIV_STATUS_OK);
        for (i = 0; i < 15; i++) {
            if (i % 5 < 3) CHECK(memcmp(&dxs[i], &want[3 * (i / 5) + i % 5], sizeof(float)) == 0);
            else CHECK(dxs[i] == 42.0f);
        }
        /* In place over dy with its stride. */
        CHECK(activ_softmax_backward_strided_f32(ys, 5, dys, 5, dys, 5, 3, 3) == ACTIV_STATUS_OK);
        for (i = 0; i < 15; i++) if (i % 5 < 3) CHECK(memcmp(&dys[i], &dxs[i], sizeof(float)) == 0);
    }
}

#define ROWS 3
#define ROW_COLS 40

static void emit_results(void) {
    static float out32[N_INPUTS];
    static double out64[N_INPUTS];
    size_t f, i, r;
    for (f = 0; f < N_FUNCTIONS; f++) {
        CHECK(FUNCTIONS[f].f32(x32, dy32, out32, N_INPUTS) == ACTIV_STATUS_OK);
        CHECK(FUNCTIONS[f].f64(x64, dy64, out64, N_INPUTS) == ACTIV_STATUS_OK);
        for (i = 0; i < N_INPUTS; i++)
            printf("%s f32 %08lx %08lx %08lx\n", FUNCTIONS[f].name, (unsigned long)f32_bits(x32[i]),
                   (unsigned long)f32_bits(dy32[i]), (unsigned long)f32_bits(out32[i]));
        for (i = 0; i < N_INPUTS; i++)
            printf("%s f64 %016llx %016llx %016llx\n", FUNCTIONS[f].name, (unsigned long long)f64_bits(x64[i]),
                   (unsigned long long)f64_bits(dy64[i]), (unsigned long long)f64_bits(out64[i]));
    }
    /* Rows of logits, their softmax and log-softmax as y, random dy and dout. */
    {
        double logits[ROWS * ROW_COLS], y[ROWS * ROW_COLS], ly[ROWS * ROW_COLS], dy[ROWS * ROW_COLS], dout[ROWS];
        double dx[ROWS * ROW_COLS], ldx[ROWS * ROW_COLS], edx[ROWS * ROW_COLS];
        float logits32[ROWS * ROW_COLS], y32[ROWS * ROW_COLS], ly32[ROWS * ROW_COLS], dyf[ROWS * ROW_COLS], dout32[ROWS];
        float dx32[ROWS * ROW_COLS], ldx32[ROWS * ROW_COLS], edx32[ROWS * ROW_COLS];
        for (i = 0; i < ROWS * ROW_COLS; i++) {
            logits[i] = uniform(-10.0, 10.0);
            dy[i] = uniform(-2.0, 2.0);
            logits32[i] = (float)logits[i];
            dyf[i] = (float)dy[i];
        }
        logits[ROW_COLS + 3] = -INFINITY; logits32[ROW_COLS + 3] = -(float)INFINITY;
        for (r = 0; r < ROWS; r++) { dout[r] = uniform(-3.0, 3.0); dout32[r] = (float)dout[r]; }
        CHECK(activ_softmax_f64(logits, y, ROWS, ROW_COLS) == ACTIV_STATUS_OK);
        CHECK(activ_log_softmax_f64(logits, ly, ROWS, ROW_COLS) == ACTIV_STATUS_OK);
        CHECK(activ_softmax_backward_f64(y, dy, dx, ROWS, ROW_COLS) == ACTIV_STATUS_OK);
        CHECK(activ_log_softmax_backward_f64(ly, dy, ldx, ROWS, ROW_COLS) == ACTIV_STATUS_OK);
        CHECK(activ_logsumexp_backward_f64(logits, dout, edx, ROWS, ROW_COLS) == ACTIV_STATUS_OK);
        CHECK(activ_softmax_f32(logits32, y32, ROWS, ROW_COLS) == ACTIV_STATUS_OK);
        CHECK(activ_log_softmax_f32(logits32, ly32, ROWS, ROW_COLS) == ACTIV_STATUS_OK);
        CHECK(activ_softmax_backward_f32(y32, dyf, dx32, ROWS, ROW_COLS) == ACTIV_STATUS_OK);
        CHECK(activ_log_softmax_backward_f32(ly32, dyf, ldx32, ROWS, ROW_COLS) == ACTIV_STATUS_OK);
        CHECK(activ_logsumexp_backward_f32(logits32, dout32, edx32, ROWS, ROW_COLS) == ACTIV_STATUS_OK);
        for (i = 0; i < ROWS * ROW_COLS; i++) {
            printf("softmax_backward f64 %016llx %016llx %016llx\n", (unsigned long long)f64_bits(y[i]),
                   (unsigned long long)f64_bits(dy[i]), (unsigned long long)f64_bits(dx[i]));
            printf("log_softmax_backward f64 %016llx %016llx %016llx\n", (unsigned long long)f64_bits(ly[i]),
                   (unsigned long long)f64_bits(dy[i]), (unsigned long long)f64_bits(ldx[i]));
            printf("logsumexp_backward f64 %016llx %016llx %016llx\n", (unsigned long long)f64_bits(logits[i]),
                   (unsigned long long)f64_bits(dout[i / ROW_COLS]), (unsigned long long)f64_bits(edx[i]));
            printf("softmax_backward f32 %08lx %08lx %08lx\n", (unsigned long)f32_bits(y32[i]),
                   (unsigned long)f32_bits(dyf[i]), (unsigned long)f32_bits(dx32[i]));
            printf("log_softmax_backward f32 %08lx %08lx %08lx\n", (unsigned long)f32_bits(ly32[i]),
                   (unsigned long)f32_bits(dyf[i]), (unsigned long)f32_bits(ldx32[i]));
            printf("logsumexp_backward f32 %08lx %08lx %08lx\n", (unsigned long)f32_bits(logits32[i]),
                   (unsigned long)f32_bits(dout32[i / ROW_COLS]), (unsigned long)f32_bits(edx32[i]));
        }
    }
}

int main(void) {
    make_inputs();
    exact_values();
    elementwise_contract();
    parameter_contract();
    rows_contract();
    emit_results();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    return 0;
}
