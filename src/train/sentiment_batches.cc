#include <algorithm>

#include "sentiment_batches_internal.h"
#include "souk/base/check.h"
#include "souk/model/padding.h"
#include "souk/train/masking.h"
#include "torch_runtime_internal.h"

namespace souk::train::internal {
namespace {

constexpr int64_t kBatchesPerLengthWindow = 50;

}  // namespace

void ReviewExamples::Add(const LabeledReview& review, const text::Tokenizer& tokenizer,
                         int64_t max_length) {
  SOUK_CHECK(review.label == 0 || review.label == 1);
  ids_.push_back(tokenizer.Encode(review.text, static_cast<size_t>(max_length)).ids);
  labels_.push_back(review.label);
  auto known = std::find(categories_.begin(), categories_.end(), review.category);
  if (known == categories_.end()) known = categories_.insert(categories_.end(), review.category);
  category_of_.push_back(static_cast<int32_t>(known - categories_.begin()));
}

const std::string& ReviewExamples::category(int64_t row) const {
  return categories_[static_cast<size_t>(category_of_[static_cast<size_t>(row)])];
}

std::vector<std::vector<int64_t>> ReviewExamples::ShuffledBatches(int64_t batch_size,
                                                                  uint64_t seed) const {
  std::vector<int64_t> order = SeededPermutation(size(), DeriveSeed(seed, 0, 0));
  order.resize(static_cast<size_t>(size() / batch_size * batch_size));
  const auto length = [this](int64_t row) { return ids_[static_cast<size_t>(row)].size(); };
  const size_t window = static_cast<size_t>(batch_size * kBatchesPerLengthWindow);
  for (size_t begin = 0; begin < order.size(); begin += window) {
    const auto end =
        order.begin() + static_cast<std::ptrdiff_t>(std::min(begin + window, order.size()));
    std::stable_sort(order.begin() + static_cast<std::ptrdiff_t>(begin), end,
                     [&](int64_t a, int64_t b) { return length(a) < length(b); });
  }
  const int64_t batches = static_cast<int64_t>(order.size()) / batch_size;
  std::vector<std::vector<int64_t>> out;
  out.reserve(static_cast<size_t>(batches));
  for (const int64_t b : SeededPermutation(batches, DeriveSeed(seed, 1, 0))) {
    const auto first = order.begin() + b * batch_size;
    out.emplace_back(first, first + batch_size);
  }
  return out;
}

std::vector<std::vector<int64_t>> ReviewExamples::LengthSortedBatches(int64_t batch_size) const {
  std::vector<int64_t> order(static_cast<size_t>(size()));
  for (int64_t i = 0; i < size(); ++i) order[static_cast<size_t>(i)] = i;
  std::stable_sort(order.begin(), order.end(), [this](int64_t a, int64_t b) {
    return ids_[static_cast<size_t>(a)].size() < ids_[static_cast<size_t>(b)].size();
  });
  std::vector<std::vector<int64_t>> out;
  for (size_t begin = 0; begin < order.size(); begin += static_cast<size_t>(batch_size)) {
    const size_t end = std::min(order.size(), begin + static_cast<size_t>(batch_size));
    out.emplace_back(order.begin() + static_cast<std::ptrdiff_t>(begin),
                     order.begin() + static_cast<std::ptrdiff_t>(end));
  }
  return out;
}

ReviewBatch ReviewExamples::Batch(const std::vector<int64_t>& rows, int64_t pad_id) const {
  std::vector<const std::vector<int64_t>*> ids;
  ids.reserve(rows.size());
  for (const int64_t row : rows) ids.push_back(&ids_[static_cast<size_t>(row)]);
  auto [input_ids, attention_mask] = model::PadRows(ids, pad_id);
  torch::Tensor labels = torch::empty({static_cast<int64_t>(rows.size())}, torch::kInt64);
  auto labels_a = labels.accessor<int64_t, 1>();
  for (size_t i = 0; i < rows.size(); ++i) {
    labels_a[static_cast<int64_t>(i)] = labels_[static_cast<size_t>(rows[i])];
  }
  return {std::move(input_ids), std::move(attention_mask), std::move(labels)};
}

}  // namespace souk::train::internal
