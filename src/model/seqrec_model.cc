#include "souk/model/seqrec_model.h"

#include <torch/torch.h>

#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/model/device.h"
#include "souk/model/seqrec.h"
#include "souk/model/tensor_io.h"

namespace souk::model {

struct SeqRecModel::Impl {
  SasRec net{nullptr};
  torch::Device device = torch::kCPU;
};

absl::StatusOr<std::unique_ptr<SeqRecModel>> SeqRecModel::Load(const std::string& dir,
                                                               const std::string& device,
                                                               int threads) {
  auto impl = std::make_unique<Impl>();
  SOUK_ASSIGN_OR_RETURN(impl->device, ResolveDevice(device, "device"));
  if (threads > 0) torch::set_num_threads(threads);
  SOUK_ASSIGN_OR_RETURN(const SeqRecConfig config,
                        SeqRecConfig::Load(StrCat(dir, "/", kSeqRecConfigFile)));
  const std::string weights_path = StrCat(dir, "/", kSeqRecWeightsFile);
  SOUK_ASSIGN_OR_RETURN(const auto weights, ReadTensors(weights_path));
  try {
    impl->net = SasRec(config);
    SOUK_RETURN_IF_ERROR(Annotate(impl->net->LoadTensors(weights), weights_path));
    impl->net->to(impl->device);
    impl->net->eval();
  } catch (const c10::Error& e) {
    return absl::InternalError(StrCat(dir, ": ", e.what_without_backtrace()));
  }
  return std::unique_ptr<SeqRecModel>(new SeqRecModel(std::move(impl)));
}

SeqRecModel::SeqRecModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SeqRecModel::~SeqRecModel() = default;

const SeqRecConfig& SeqRecModel::config() const { return impl_->net->config(); }

namespace {

absl::Status CheckItems(std::span<const std::vector<uint32_t>> lists, std::string_view what,
                        int64_t num_items) {
  for (size_t r = 0; r < lists.size(); ++r) {
    for (const uint32_t item : lists[r]) {
      if (item < 1 || item > num_items) {
        return absl::InvalidArgumentError(
            StrCat(what, " ", r, ": item id ", item, " is outside the model's 1..", num_items));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<std::vector<float>>> SeqRecModel::ScoreItems(
    std::span<const std::vector<uint32_t>> histories,
    std::span<const std::vector<uint32_t>> candidates) const {
  const int64_t num_items = config().num_items;
  SOUK_RETURN_IF_ERROR(CheckItems(histories, "history", num_items));
  SOUK_RETURN_IF_ERROR(CheckItems(candidates, "candidates", num_items));
  if (candidates.size() != histories.size()) {
    return absl::InvalidArgumentError(
        StrCat(histories.size(), " histories but ", candidates.size(), " candidate lists"));
  }
  std::vector<std::vector<float>> out(histories.size());
  if (histories.empty()) return out;
  try {
    torch::InferenceMode inference;
    const torch::Tensor scores =
        ScoreNextItems(*impl_->net, histories, impl_->device).cpu().contiguous();
    const auto a = scores.accessor<float, 2>();
    for (size_t r = 0; r < histories.size(); ++r) {
      for (const uint32_t item : candidates[r]) {
        out[r].push_back(a[static_cast<int64_t>(r)][static_cast<int64_t>(item) - 1]);
      }
    }
  } catch (const c10::Error& e) {
    return absl::InternalError(StrCat("seqrec: ", e.what_without_backtrace()));
  }
  return out;
}

absl::StatusOr<std::vector<std::vector<ScoredItem>>> SeqRecModel::TopK(
    std::span<const std::vector<uint32_t>> histories, size_t k) const {
  const int64_t num_items = config().num_items;
  SOUK_RETURN_IF_ERROR(CheckItems(histories, "history", num_items));
  std::vector<std::vector<ScoredItem>> out(histories.size());
  if (histories.empty() || k == 0) return out;
  try {
    torch::InferenceMode inference;
    const torch::Tensor scores = ScoreNextItems(*impl_->net, histories, impl_->device);
    const int64_t take = std::min<int64_t>(static_cast<int64_t>(k), num_items);
    auto [values, indices] = scores.topk(take, /*dim=*/1);
    values = values.cpu();
    indices = indices.cpu();
    const auto v = values.accessor<float, 2>();
    const auto i = indices.accessor<int64_t, 2>();
    for (size_t r = 0; r < histories.size(); ++r) {
      for (int64_t j = 0; j < take; ++j) {
        const float score = v[static_cast<int64_t>(r)][j];
        if (score == -std::numeric_limits<float>::infinity()) break;  // only history items left
        out[r].push_back({static_cast<uint32_t>(i[static_cast<int64_t>(r)][j] + 1), score});
      }
    }
  } catch (const c10::Error& e) {
    return absl::InternalError(StrCat("seqrec: ", e.what_without_backtrace()));
  }
  return out;
}

}  // namespace souk::model
