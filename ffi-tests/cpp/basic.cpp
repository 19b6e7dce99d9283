// The header from C++: extern "C" linkage, the enums, and results matching the C checks.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "activ.h"

static int failures = 0;
#define CHECK(cond)                                                                     \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                                 \
        }                                                                               \
    } while (0)

int main() {
    std::vector<double> x = {-740.0, -10.0, -0.0, 0.0, 10.0, 800.0};
    std::vector<double> y(x.size());
    CHECK(activ_sigmoid_f64(x.data(), y.data(), x.size()) == ACTIV_STATUS_OK);
    CHECK(y[0] > 0.0 && y[0] < 2.2250738585072014e-308);  // a subnormal, not 0
    CHECK(y[2] == 0.5 && y[3] == 0.5 && y[5] == 1.0);

    std::vector<float> r = {1.0f, 2.0f, 3.0f, 4.0f};
    CHECK(activ_relu_f32(r.data(), r.data(), r.size()) == ACTIV_STATUS_OK);  // in place
    CHECK(activ_relu_f32(r.data(), r.data() + 1, 3) == ACTIV_STATUS_OVERLAP);
    CHECK(activ_relu_f32(nullptr, r.data(), 1) == ACTIV_STATUS_NULL_POINTER);

    float nan_in = std::nanf(""), out = 0.0f;
    CHECK(activ_relu_f32(&nan_in, &out, 1) == ACTIV_STATUS_OK && std::isnan(out));

    std::vector<float> logits = {1.0f, 2.0f, 3.0f, -INFINITY, -INFINITY, -INFINITY};
    std::vector<float> p(logits.size());
    CHECK(activ_softmax_strided_f32(logits.data(), 3, p.data(), 3, 2, 3, ACTIV_MASKED_ROWS_NAN) == ACTIV_STATUS_OK);
    CHECK(std::fabs(p[0] + p[1] + p[2] - 1.0f) < 1e-6f);
    CHECK(std::isnan(p[3]));

    CHECK(activ_softplus_f32(r.data(), r.data(), r.size(), 0.0f) == ACTIV_STATUS_INVALID_PARAMETER);

    // Backward passes: dx = dy * f'(x) from the forward input, in place over dy or x.
    std::vector<float> xs = {0.0f, -1.0f, 2.0f}, dys = {1.0f, 1.0f, 1.0f}, dxs(3);
    CHECK(activ_sigmoid_backward_f32(xs.data(), dys.data(), dxs.data(), xs.size()) == ACTIV_STATUS_OK);
    CHECK(dxs[0] == 0.25f);
    CHECK(activ_relu_backward_f32(xs.data(), dys.data(), dys.data(), xs.size()) == ACTIV_STATUS_OK);
    CHECK(dys[0] == 0.0f && dys[1] == 0.0f && dys[2] == 1.0f);
    CHECK(activ_leaky_relu_backward_f32(xs.data(), dys.data(), xs.data(), 1, 0.1f) == ACTIV_STATUS_OK);
    CHECK(xs[0] == 0.0f);  // dy was 0 there
    CHECK(activ_relu_backward_f32(xs.data(), dys.data(), dys.data() + 1, 2) == ACTIV_STATUS_OVERLAP);
    CHECK(activ_elu_backward_f32(xs.data(), dys.data(), dxs.data(), 3, NAN) == ACTIV_STATUS_INVALID_PARAMETER);

    // Softmax backward from the forward output, in place over dy; logsumexp backward.
    std::vector<double> sy = {0.25, 0.25, 0.5}, sdy = {0.0, 1.0, 2.0};
    CHECK(activ_softmax_backward_f64(sy.data(), sdy.data(), sdy.data(), 1, 3) == ACTIV_STATUS_OK);
    CHECK(sdy[0] == -0.3125 && sdy[1] == -0.0625 && sdy[2] == 0.375);
    std::vector<double> lx = {0.0, 0.0, -INFINITY, -INFINITY}, dout = {2.0, 7.0}, ldx(4);
    CHECK(activ_logsumexp_backward_strided_f64(lx.data(), 2, dout.data(), ldx.data(), 2, 2, 2,
                                               ACTIV_MASKED_ROWS_ZEROS) == ACTIV_STATUS_OK);
    CHECK(ldx[0] == 1.0 && ldx[1] == 1.0 && ldx[2] == 0.0 && ldx[3] == 0.0);
    CHECK(activ_logsumexp_backward_f64(lx.data(), ldx.data(), ldx.data(), 2, 2) == ACTIV_STATUS_OVERLAP);
    CHECK(std::strlen(activ_status_message(static_cast<activ_status>(99))) > 0);

    if (failures) {
        std::fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    std::puts("ok");
    return 0;
}
