#include <cstring>

#include "short_linear_internal.h"
#include "souk/base/target_clones.h"

namespace souk::model::internal {
namespace {

// 16 float lanes: one AVX-512 register, two AVX2 ones, four SSE ones, per clone. Vectors are
// never passed to or returned from a function: their calling convention differs per clone.
typedef float Lanes __attribute__((vector_size(64)));
constexpr size_t kLanes = sizeof(Lanes) / sizeof(float);

float Tail(const float* w, const float* x, size_t from, size_t in) {
  float total = 0;
  for (size_t i = from; i < in; ++i) total += w[i] * x[i];
  return total;
}

// Weight rows o and o + 1 against input rows r .. r + 3: eight accumulators held in registers,
// each weight and input vector loaded once per step for four or two multiply-adds.
SOUK_TARGET_CLONES
void TwoByFour(const float* x, size_t r, size_t in, const float* w, size_t o, float* sums) {
  const size_t whole = in / kLanes * kLanes;
  const float* ws[2] = {w + o * in, w + (o + 1) * in};
  const float* xs[4] = {x + r * in, x + (r + 1) * in, x + (r + 2) * in, x + (r + 3) * in};
  Lanes a0 = {}, a1 = {}, a2 = {}, a3 = {}, c0 = {}, c1 = {}, c2 = {}, c3 = {};
  for (size_t i = 0; i < whole; i += kLanes) {
    Lanes p, q, v0, v1, v2, v3;  // memcpy: rows need not be 64-byte aligned
    std::memcpy(&p, ws[0] + i, sizeof p);
    std::memcpy(&q, ws[1] + i, sizeof q);
    std::memcpy(&v0, xs[0] + i, sizeof v0);
    std::memcpy(&v1, xs[1] + i, sizeof v1);
    std::memcpy(&v2, xs[2] + i, sizeof v2);
    std::memcpy(&v3, xs[3] + i, sizeof v3);
    a0 += p * v0, a1 += p * v1, a2 += p * v2, a3 += p * v3;
    c0 += q * v0, c1 += q * v1, c2 += q * v2, c3 += q * v3;
  }
  float lanes[8][kLanes];
  std::memcpy(lanes[0], &a0, sizeof a0);
  std::memcpy(lanes[1], &a1, sizeof a1);
  std::memcpy(lanes[2], &a2, sizeof a2);
  std::memcpy(lanes[3], &a3, sizeof a3);
  std::memcpy(lanes[4], &c0, sizeof c0);
  std::memcpy(lanes[5], &c1, sizeof c1);
  std::memcpy(lanes[6], &c2, sizeof c2);
  std::memcpy(lanes[7], &c3, sizeof c3);
  for (size_t k = 0; k < 8; ++k) {
    float total = 0;
    for (size_t lane = 0; lane < kLanes; ++lane) total += lanes[k][lane];
    sums[k] = total + Tail(ws[k / 4], xs[k % 4], whole, in);
  }
}

// One weight row against one input row: the edges the blocks above leave.
SOUK_TARGET_CLONES
float Dot(const float* w, const float* x, size_t in) {
  const size_t whole = in / kLanes * kLanes;
  Lanes sum = {};
  for (size_t i = 0; i < whole; i += kLanes) {
    Lanes a, b;
    std::memcpy(&a, w + i, sizeof a);
    std::memcpy(&b, x + i, sizeof b);
    sum += a * b;
  }
  float total = 0;
  for (size_t lane = 0; lane < kLanes; ++lane) total += sum[lane];
  return total + Tail(w, x, whole, in);
}

}  // namespace

void ShortLinearRows(const float* x, size_t rows, size_t in, const float* w, const float* b,
                     size_t out, float* y) {
  const size_t row_blocks = rows / 4 * 4, out_pairs = out / 2 * 2;
  for (size_t o = 0; o < out_pairs; o += 2) {
    for (size_t r = 0; r < row_blocks; r += 4) {
      float sums[8];
      TwoByFour(x, r, in, w, o, sums);
      for (size_t j = 0; j < 4; ++j) {
        y[(r + j) * out + o] = sums[j];
        y[(r + j) * out + o + 1] = sums[4 + j];
      }
    }
  }
  for (size_t o = 0; o < out; ++o) {
    // Rows past the last block of four, and the last output when `out` is odd.
    for (size_t r = o < out_pairs ? row_blocks : 0; r < rows; ++r) {
      y[r * out + o] = Dot(w + o * in, x + r * in, in);
    }
  }
  if (b == nullptr) return;
  for (size_t r = 0; r < rows; ++r) {
    for (size_t o = 0; o < out; ++o) y[r * out + o] += b[o];
  }
}

torch::Tensor ApplyLinear(torch::nn::Linear& linear, const torch::Tensor& x) {
  const torch::Tensor& w = linear->weight;
  const torch::Tensor& b = linear->bias;
  const int64_t in = w.size(1), out = w.size(0);
  const int64_t rows = x.dim() == 0 || x.size(-1) != in ? -1 : x.numel() / in;
  const auto fp32_cpu = [](const torch::Tensor& t) {
    return !t.defined() || (t.device().is_cpu() && t.scalar_type() == torch::kFloat);
  };
  if (rows < 1 || rows > kShortLinearMaxRows || torch::GradMode::is_enabled() || !fp32_cpu(x) ||
      !fp32_cpu(w) || !fp32_cpu(b)) {
    return linear(x);
  }
  const torch::Tensor x_rows = x.contiguous(), w_rows = w.contiguous();
  const torch::Tensor bias = b.defined() ? b.contiguous() : b;
  std::vector<int64_t> shape = x.sizes().vec();
  shape.back() = out;
  torch::Tensor y = torch::empty(shape, x.options());
  ShortLinearRows(x_rows.data_ptr<float>(), static_cast<size_t>(rows), static_cast<size_t>(in),
                  w_rows.data_ptr<float>(), bias.defined() ? bias.data_ptr<float>() : nullptr,
                  static_cast<size_t>(out), y.data_ptr<float>());
  return y;
}

}  // namespace souk::model::internal
