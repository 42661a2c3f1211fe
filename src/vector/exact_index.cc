#include "souk/vector/exact_index.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "row_checks_internal.h"
#include "row_scan_internal.h"
#include "souk/base/logging.h"
#include "souk/base/str_cat.h"
#include "souk/model/device.h"

namespace souk::vector {
namespace {

// Queries scored together: 256 x 1M rows of fp32 scores is 1 GB at most in flight.
constexpr int64_t kQueryChunk = 256;

// Fewer queries than this at once are each scanned row by row on the CPU
// (row_scan_internal.h); more share one matrix product.
constexpr int64_t kMatrixProductFrom = 8;

// Largest magnitude an fp16 row can hold.
constexpr float kHalfMax = 65504.0f;

}  // namespace

struct ExactVectorIndex::Impl {
  size_t dim = 0;
  torch::Device device{torch::kCPU};
  torch::Dtype dtype = torch::kFloat;
  std::vector<uint32_t> ids;                    // row -> id
  absl::flat_hash_map<uint32_t, int64_t> rows;  // id -> row
  torch::Tensor matrix;                         // [rows, dim] on `device`, in `dtype`

  torch::Tensor ToDevice(std::span<const float> values, int64_t n) const {
    // from_blob does not copy: clone before the caller's buffer can go away.
    return torch::from_blob(const_cast<float*>(values.data()), {n, static_cast<int64_t>(dim)},
                            torch::kFloat)
        .to(device, dtype, /*non_blocking=*/false, /*copy=*/true);
  }

  // Per row, whether `filter` allows its id (empty when there is no filter).
  std::vector<char> Allowed(const IdFilter& filter) const {
    std::vector<char> allowed;
    if (!filter) return allowed;
    allowed.resize(ids.size());
    for (size_t row = 0; row < ids.size(); ++row) allowed[row] = filter(ids[row]) ? 1 : 0;
    return allowed;
  }

  std::vector<std::vector<Neighbor>> ScanEach(std::span<const float> queries, int64_t k,
                                              std::span<const char> allowed) const;
  std::vector<std::vector<Neighbor>> SearchChunk(const torch::Tensor& queries, int64_t k,
                                                 const torch::Tensor& allowed) const;
};

ExactVectorIndex::ExactVectorIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ExactVectorIndex::~ExactVectorIndex() = default;

absl::StatusOr<std::unique_ptr<ExactVectorIndex>> ExactVectorIndex::Create(
    size_t dim, const ExactIndexOptions& options) {
  if (dim == 0) return absl::InvalidArgumentError("vector index: dim must be > 0");
  auto impl = std::make_unique<Impl>();
  impl->dim = dim;
  absl::StatusOr<torch::Device> device = model::ResolveDevice(options.device, "vector.device");
  if (!device.ok()) return device.status();
  impl->device = *device;
  impl->dtype = impl->device.is_cuda() && options.fp16_on_cuda ? torch::kHalf : torch::kFloat;
  impl->matrix = torch::empty({0, static_cast<int64_t>(dim)},
                              torch::TensorOptions().dtype(impl->dtype).device(impl->device));
  return std::unique_ptr<ExactVectorIndex>(new ExactVectorIndex(std::move(impl)));
}

size_t ExactVectorIndex::dim() const { return impl_->dim; }
size_t ExactVectorIndex::size() const { return impl_->ids.size(); }

absl::Status ExactVectorIndex::Add(std::span<const uint32_t> ids, std::span<const float> vectors) {
  Impl& m = *impl_;
  if (absl::Status s = internal::CheckRows(ids, vectors, m.dim, "vector index"); !s.ok()) return s;
  const float limit = m.dtype == torch::kHalf ? kHalfMax : std::numeric_limits<float>::max();
  if (!internal::AllWithin(vectors, limit)) {
    return absl::InvalidArgumentError(
        StrCat("vector index: a vector has a NaN or infinite value",
               m.dtype == torch::kHalf ? " or one beyond fp16's 65504" : ""));
  }
  if (ids.empty()) return absl::OkStatus();
  std::vector<int64_t> replaced_rows, replaced_from, appended_from;
  for (size_t i = 0; i < ids.size(); ++i) {
    const auto it = m.rows.find(ids[i]);
    if (it != m.rows.end()) {
      replaced_rows.push_back(it->second);
      replaced_from.push_back(static_cast<int64_t>(i));
    } else {
      appended_from.push_back(static_cast<int64_t>(i));
    }
  }
  try {
    // The new matrix is built aside and swapped in: a failure (out of device memory) changes
    // nothing.
    const torch::Tensor added = m.ToDevice(vectors, static_cast<int64_t>(ids.size()));
    torch::Tensor matrix = m.matrix;
    if (!replaced_rows.empty()) {
      matrix = matrix.index_copy(0, torch::tensor(replaced_rows).to(m.device),
                                 added.index_select(0, torch::tensor(replaced_from).to(m.device)));
    }
    if (!appended_from.empty()) {
      matrix =
          torch::cat({matrix, added.index_select(0, torch::tensor(appended_from).to(m.device))});
    }
    m.matrix = std::move(matrix);
  } catch (const c10::Error& e) {
    return absl::InternalError(StrCat("vector index: adding rows: ", e.what_without_backtrace()));
  }
  for (int64_t i : appended_from) {
    m.rows[ids[static_cast<size_t>(i)]] = static_cast<int64_t>(m.ids.size());
    m.ids.push_back(ids[static_cast<size_t>(i)]);
  }
  return absl::OkStatus();
}

size_t ExactVectorIndex::Remove(std::span<const uint32_t> ids) {
  Impl& m = *impl_;
  absl::flat_hash_set<uint32_t> gone;
  for (uint32_t id : ids) {
    if (m.rows.contains(id)) gone.insert(id);
  }
  if (gone.empty()) return 0;
  std::vector<int64_t> keep;
  std::vector<uint32_t> kept_ids;
  for (size_t row = 0; row < m.ids.size(); ++row) {
    if (gone.contains(m.ids[row])) continue;
    keep.push_back(static_cast<int64_t>(row));
    kept_ids.push_back(m.ids[row]);
  }
  try {
    m.matrix = m.matrix.index_select(0, torch::tensor(keep, torch::kLong).to(m.device));
  } catch (const c10::Error& e) {
    // Only an allocation can fail here; the rows stay as they were.
    SOUK_LOG_ERROR("vector", "removing rows: ", e.what_without_backtrace());
    return 0;
  }
  m.ids = std::move(kept_ids);
  m.rows.clear();
  for (size_t row = 0; row < m.ids.size(); ++row) m.rows[m.ids[row]] = static_cast<int64_t>(row);
  return gone.size();
}

std::vector<std::vector<Neighbor>> ExactVectorIndex::Impl::ScanEach(
    std::span<const float> queries, int64_t k, std::span<const char> allowed) const {
  const torch::Tensor values = matrix.contiguous();  // a no-op: kept contiguous by Add and Remove
  std::vector<std::vector<Neighbor>> out;
  for (size_t begin = 0; begin < queries.size(); begin += dim) {
    out.emplace_back();
    for (const internal::ScoredRow& top :
         internal::TopRows(values.data_ptr<float>(), ids.size(), dim, &queries[begin],
                           static_cast<size_t>(k), allowed)) {
      out.back().push_back({ids[static_cast<size_t>(top.row)], top.score});
    }
  }
  return out;
}

std::vector<std::vector<Neighbor>> ExactVectorIndex::Impl::SearchChunk(
    const torch::Tensor& queries, int64_t k, const torch::Tensor& allowed) const {
  // fp16 rows give fp16 scores (about 3 significant digits, ExactIndexOptions); topk and the
  // mask run in fp32.
  torch::Tensor scores = torch::matmul(queries, matrix.t()).to(torch::kFloat);
  if (allowed.defined()) {
    scores.masked_fill_(allowed.logical_not(), -std::numeric_limits<float>::infinity());
  }
  auto [top_scores, top_rows] = scores.topk(k, /*dim=*/1, /*largest=*/true, /*sorted=*/true);
  top_scores = top_scores.to(torch::kCPU);
  top_rows = top_rows.to(torch::kCPU);
  auto s = top_scores.accessor<float, 2>();
  auto r = top_rows.accessor<int64_t, 2>();
  std::vector<std::vector<Neighbor>> out(static_cast<size_t>(queries.size(0)));
  for (int64_t q = 0; q < top_rows.size(0); ++q) {
    for (int64_t j = 0; j < k; ++j) {
      if (s[q][j] == -std::numeric_limits<float>::infinity()) break;  // only disallowed rows left
      out[static_cast<size_t>(q)].push_back({ids[static_cast<size_t>(r[q][j])], s[q][j]});
    }
  }
  return out;
}

absl::StatusOr<std::vector<std::vector<Neighbor>>> ExactVectorIndex::Search(
    std::span<const float> queries, size_t k, const IdFilter& filter) const {
  const Impl& m = *impl_;
  if (absl::Status s = internal::CheckQueryShape(queries, m.dim, "vector search"); !s.ok()) {
    return s;
  }
  if (!internal::AllWithin(
          queries, m.dtype == torch::kHalf ? kHalfMax : std::numeric_limits<float>::max())) {
    return absl::InvalidArgumentError("vector search: a query has a NaN or infinite value");
  }
  const auto n = static_cast<int64_t>(queries.size() / m.dim);
  std::vector<std::vector<Neighbor>> out;
  out.reserve(static_cast<size_t>(n));
  const auto kk = static_cast<int64_t>(std::min(k, m.ids.size()));
  if (kk == 0) {
    out.resize(static_cast<size_t>(n));
    return out;
  }
  try {
    torch::InferenceMode inference;
    std::vector<char> allowed_rows = m.Allowed(filter);
    if (m.device.is_cpu() && n < kMatrixProductFrom) return m.ScanEach(queries, kk, allowed_rows);
    torch::Tensor allowed;
    if (filter) {
      allowed = torch::from_blob(allowed_rows.data(), {static_cast<int64_t>(allowed_rows.size())},
                                 torch::kBool)
                    .to(m.device, /*non_blocking=*/false, /*copy=*/true);
    }
    for (int64_t begin = 0; begin < n; begin += kQueryChunk) {
      const int64_t count = std::min(kQueryChunk, n - begin);
      const torch::Tensor chunk = m.ToDevice(
          queries.subspan(static_cast<size_t>(begin) * m.dim, static_cast<size_t>(count) * m.dim),
          count);
      for (auto& row : m.SearchChunk(chunk, kk, allowed)) out.push_back(std::move(row));
    }
  } catch (const c10::Error& e) {
    return absl::InternalError(StrCat("vector search: ", e.what_without_backtrace()));
  }
  return out;
}

absl::StatusOr<std::vector<float>> ExactVectorIndex::Score(std::span<const float> query,
                                                           std::span<const uint32_t> ids) const {
  const Impl& m = *impl_;
  if (query.size() != m.dim) {
    return absl::InvalidArgumentError(
        StrCat("vector score: a query of ", query.size(), " values, the index has dim ", m.dim));
  }
  if (!internal::AllWithin(
          query, m.dtype == torch::kHalf ? kHalfMax : std::numeric_limits<float>::max())) {
    return absl::InvalidArgumentError("vector score: the query has a NaN or infinite value");
  }
  std::vector<int64_t> rows;
  rows.reserve(ids.size());
  for (uint32_t id : ids) {
    const auto it = m.rows.find(id);
    if (it == m.rows.end()) return absl::NotFoundError(StrCat("vector score: no row for id ", id));
    rows.push_back(it->second);
  }
  if (rows.empty()) return std::vector<float>();
  try {
    torch::InferenceMode inference;
    const torch::Tensor selected =
        m.matrix.index_select(0, torch::tensor(rows, torch::kLong).to(m.device));
    const torch::Tensor scores =
        torch::matmul(selected, m.ToDevice(query, 1).squeeze(0)).to(torch::kCPU, torch::kFloat);
    const float* data = scores.data_ptr<float>();
    return std::vector<float>(data, data + rows.size());
  } catch (const c10::Error& e) {
    return absl::InternalError(StrCat("vector score: ", e.what_without_backtrace()));
  }
}

absl::StatusOr<std::vector<float>> ExactVectorIndex::Row(uint32_t id) const {
  const Impl& m = *impl_;
  const auto it = m.rows.find(id);
  if (it == m.rows.end()) return absl::NotFoundError(StrCat("vector row: no row for id ", id));
  try {
    torch::InferenceMode inference;
    const torch::Tensor row = m.matrix[it->second].to(torch::kCPU, torch::kFloat).contiguous();
    const float* data = row.data_ptr<float>();
    return std::vector<float>(data, data + m.dim);
  } catch (const c10::Error& e) {
    return absl::InternalError(StrCat("vector row: ", e.what_without_backtrace()));
  }
}

}  // namespace souk::vector
