// activ from C++: the header has extern "C" guards; std::vector's data() is the pointer.
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <vector>

#include "activ.h"

// Turn a status into an exception, once, for the whole program.
static void check(activ_status s) {
    if (s != ACTIV_STATUS_OK) throw std::runtime_error(activ_status_message(s));
}

int main() {
    std::vector<double> x = {-3.0, -1.0, 0.0, 1.0, 3.0};
    std::vector<double> y(x.size());
    check(activ_gelu_f64(x.data(), y.data(), x.size()));
    check(activ_gelu_f64(x.data(), x.data(), x.size()));  // in place
    for (std::size_t i = 0; i < x.size(); ++i)
        if (x[i] != y[i]) return 1;  // bit-identical either way
    if (y[2] != 0.0 || std::fabs(y[3] - 0.8413447460685429) > 1e-15) return 1;

    try {
        check(activ_elu_f64(x.data(), y.data(), x.size(), INFINITY));
        return 1;  // not reached: alpha must be finite
    } catch (const std::runtime_error &e) {
        std::printf("refused: %s\n", e.what());
    }
    return 0;
}
