#include "souk/model/padding.h"

#include <torch/torch.h>

#include <algorithm>

namespace souk::model {

std::pair<torch::Tensor, torch::Tensor> PadRows(
    const std::vector<const std::vector<int64_t>*>& rows, int64_t pad_id) {
  size_t longest = 0;
  for (const std::vector<int64_t>* row : rows) longest = std::max(longest, row->size());
  const auto b = static_cast<int64_t>(rows.size());
  torch::Tensor ids = torch::full({b, static_cast<int64_t>(longest)}, pad_id, torch::kLong);
  torch::Tensor mask = torch::zeros_like(ids);
  auto ids_a = ids.accessor<int64_t, 2>();
  auto mask_a = mask.accessor<int64_t, 2>();
  for (int64_t i = 0; i < b; ++i) {
    const std::vector<int64_t>& row = *rows[static_cast<size_t>(i)];
    for (size_t j = 0; j < row.size(); ++j) {
      ids_a[i][static_cast<int64_t>(j)] = row[j];
      mask_a[i][static_cast<int64_t>(j)] = 1;
    }
  }
  return {ids, mask};
}

}  // namespace souk::model
