#include "souk/rank/lambdamart.h"

#include <xgboost/c_api.h>

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>

#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"

namespace souk::rank {
namespace {

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();
// Gains 2^label - 1 stay exact in float up to here.
constexpr float kMaxLabel = 31;
// XGBoosterPredictFromDMatrix's "type": plain scores, or per-feature contributions.
constexpr int kPredictValue = 0;
constexpr int kPredictContributions = 2;

absl::Status XgbError(std::string_view what) {
  return absl::InternalError(StrCat("xgboost: ", what, ": ", XGBGetLastError()));
}

#define SOUK_XGB(call, what) \
  if ((call) != 0) return XgbError(what)

// Owns a DMatrixHandle.
class DMatrix {
 public:
  DMatrix() = default;
  DMatrix(const DMatrix&) = delete;
  DMatrix& operator=(const DMatrix&) = delete;
  ~DMatrix() {
    if (handle_ != nullptr) XGDMatrixFree(handle_);
  }
  DMatrixHandle* out() { return &handle_; }
  DMatrixHandle get() const { return handle_; }

 private:
  DMatrixHandle handle_ = nullptr;
};

absl::Status MakeDMatrix(std::span<const float> features, size_t cols, DMatrix* m) {
  SOUK_XGB(
      XGDMatrixCreateFromMat(features.data(), features.size() / cols, cols, kMissing, m->out()),
      "creating a feature matrix");
  return absl::OkStatus();
}

absl::Status MakeGroups(const RankingData& data, DMatrix* m) {
  SOUK_RETURN_IF_ERROR(MakeDMatrix(data.features, data.feature_names.size(), m));
  SOUK_XGB(XGDMatrixSetFloatInfo(m->get(), "label", data.labels.data(), data.labels.size()),
           "setting labels");
  SOUK_XGB(
      XGDMatrixSetUIntInfo(m->get(), "group", data.group_sizes.data(), data.group_sizes.size()),
      "setting query groups");
  if (!data.group_weights.empty()) {
    // rank:ndcg reads one weight per query group, scaling that group's lambdas.
    SOUK_XGB(XGDMatrixSetFloatInfo(m->get(), "weight", data.group_weights.data(),
                                   data.group_weights.size()),
             "setting query group weights");
  }
  return absl::OkStatus();
}

absl::Status SetFeatureNames(BoosterHandle booster, const std::vector<std::string>& names) {
  std::vector<const char*> c_names;
  for (const std::string& name : names) c_names.push_back(name.c_str());
  SOUK_XGB(XGBoosterSetStrFeatureInfo(booster, "feature_name", c_names.data(), c_names.size()),
           "setting feature names");
  return absl::OkStatus();
}

absl::Status SetParams(BoosterHandle booster, const LambdaMartOptions& o) {
  const std::vector<std::pair<std::string, std::string>> params = {
      {"objective", "rank:ndcg"},
      {"eval_metric", StrCat("ndcg@", o.ndcg_at)},
      {"tree_method", "hist"},
      {"eta", StrCat(o.learning_rate)},
      {"max_depth", StrCat(o.max_depth)},
      {"min_child_weight", StrCat(o.min_child_weight)},
      {"subsample", StrCat(o.subsample)},
      {"colsample_bytree", StrCat(o.colsample_bytree)},
      {"seed", StrCat(o.seed)},
      {"nthread", StrCat(o.threads)},
      {"verbosity", "1"},
  };
  for (const auto& [key, value] : params) {
    SOUK_XGB(XGBoosterSetParam(booster, key.c_str(), value.c_str()), StrCat("parameter ", key));
  }
  return absl::OkStatus();
}

// The metric values of XGBoosterEvalOneIter's "[3]\ttrain-ndcg@10:0.71\tvalidation-ndcg@10:0.64",
// in the order of the evaluation sets.
std::vector<double> ParseEval(std::string_view line) {
  std::vector<double> values;
  for (size_t colon = line.find(':'); colon != std::string_view::npos;
       colon = line.find(':', colon + 1)) {
    values.push_back(std::strtod(std::string(line.substr(colon + 1)).c_str(), nullptr));
  }
  return values;
}

}  // namespace

absl::Status RankingData::Validate() const {
  if (feature_names.empty()) return absl::InvalidArgumentError("ranking data: no features");
  if (features.size() != rows() * feature_names.size()) {
    return absl::InvalidArgumentError(StrCat("ranking data: ", features.size(),
                                             " feature values for ", rows(), " rows of ",
                                             feature_names.size()));
  }
  uint64_t grouped = 0;
  for (uint32_t size : group_sizes) {
    if (size == 0) return absl::InvalidArgumentError("ranking data: an empty query group");
    grouped += size;
  }
  if (grouped != rows()) {
    return absl::InvalidArgumentError(
        StrCat("ranking data: groups cover ", grouped, " rows, there are ", rows()));
  }
  if (!group_weights.empty() && group_weights.size() != group_sizes.size()) {
    return absl::InvalidArgumentError(StrCat("ranking data: ", group_weights.size(),
                                             " group weights for ", group_sizes.size(), " groups"));
  }
  for (size_t i = 0; i < group_weights.size(); ++i) {
    if (!(group_weights[i] > 0 && std::isfinite(group_weights[i]))) {
      return absl::InvalidArgumentError(StrCat("ranking data: group ", i, " has weight ",
                                               group_weights[i], "; weights must be > 0"));
    }
  }
  for (size_t i = 0; i < labels.size(); ++i) {
    // rank:ndcg truncates labels to integers (gain 2^label - 1): say so rather than lose grades.
    if (!(labels[i] >= 0 && labels[i] <= kMaxLabel && labels[i] == std::floor(labels[i]))) {
      return absl::InvalidArgumentError(StrCat("ranking data: row ", i, " has label ", labels[i],
                                               "; labels are relevance levels 0..", kMaxLabel));
    }
  }
  return absl::OkStatus();
}

absl::Status LambdaMartOptions::Validate() const {
  const auto bad = [](std::string_view field, auto value, std::string_view rule) {
    return absl::InvalidArgumentError(StrCat(field, ": ", value, " ", rule));
  };
  if (max_rounds < 1) return bad("max_rounds", max_rounds, "must be >= 1");
  if (early_stopping_rounds < 0) {
    return bad("early_stopping_rounds", early_stopping_rounds, "must be >= 0");
  }
  if (!(learning_rate > 0 && learning_rate <= 1)) {
    return bad("learning_rate", learning_rate, "must be in (0, 1]");
  }
  if (max_depth < 1) return bad("max_depth", max_depth, "must be >= 1");
  if (!(min_child_weight >= 0)) return bad("min_child_weight", min_child_weight, "must be >= 0");
  if (!(subsample > 0 && subsample <= 1)) return bad("subsample", subsample, "must be in (0, 1]");
  if (!(colsample_bytree > 0 && colsample_bytree <= 1)) {
    return bad("colsample_bytree", colsample_bytree, "must be in (0, 1]");
  }
  if (ndcg_at < 1) return bad("ndcg_at", ndcg_at, "must be >= 1");
  if (threads < 0) return bad("threads", threads, "must be >= 0");
  return absl::OkStatus();
}

LambdaMart::LambdaMart(void* booster, std::vector<std::string> feature_names, int rounds)
    : booster_(booster), feature_names_(std::move(feature_names)), rounds_(rounds) {}

LambdaMart::~LambdaMart() { XGBoosterFree(booster_); }

absl::StatusOr<std::unique_ptr<LambdaMart>> LambdaMart::Train(const RankingData& train,
                                                              const RankingData& validation,
                                                              const LambdaMartOptions& options,
                                                              const RoundCallback& on_round) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  SOUK_RETURN_IF_ERROR(Annotate(train.Validate(), "training data"));
  if (train.rows() == 0) return absl::InvalidArgumentError("training data: no rows");
  const bool validate = validation.rows() > 0;
  if (validate) {
    SOUK_RETURN_IF_ERROR(Annotate(validation.Validate(), "validation data"));
    if (validation.feature_names != train.feature_names) {
      return absl::InvalidArgumentError("validation data: other features than the training data");
    }
  }
  DMatrix dtrain, dvalid;
  SOUK_RETURN_IF_ERROR(MakeGroups(train, &dtrain));
  if (validate) SOUK_RETURN_IF_ERROR(MakeGroups(validation, &dvalid));
  std::vector<DMatrixHandle> sets = {dtrain.get()};
  std::vector<const char*> names = {"train"};
  if (validate) {
    sets.push_back(dvalid.get());
    names.push_back("validation");
  }
  BoosterHandle booster = nullptr;
  SOUK_XGB(XGBoosterCreate(sets.data(), sets.size(), &booster), "creating a booster");
  std::unique_ptr<void, int (*)(BoosterHandle)> owner(booster, XGBoosterFree);
  SOUK_RETURN_IF_ERROR(SetParams(booster, options));
  SOUK_RETURN_IF_ERROR(SetFeatureNames(booster, train.feature_names));

  int best_round = 0;
  double best_ndcg = -1;
  for (int round = 0; round < options.max_rounds; ++round) {
    SOUK_XGB(XGBoosterUpdateOneIter(booster, round, dtrain.get()), StrCat("round ", round));
    const char* eval = nullptr;
    SOUK_XGB(XGBoosterEvalOneIter(booster, round, sets.data(), names.data(), sets.size(), &eval),
             StrCat("evaluating round ", round));
    const std::vector<double> ndcg = ParseEval(eval);
    RoundMetrics metrics{round + 1, ndcg.empty() ? 0 : ndcg[0], ndcg.size() > 1 ? ndcg[1] : 0};
    if (on_round) on_round(metrics);
    // Without validation data, or without early stopping, every round is kept.
    if (!validate || options.early_stopping_rounds == 0 || metrics.validation_ndcg > best_ndcg) {
      best_ndcg = metrics.validation_ndcg;
      best_round = round + 1;
    } else if (round + 1 - best_round >= options.early_stopping_rounds) {
      break;
    }
  }
  // Keep the best round's trees only.
  BoosterHandle best = nullptr;
  SOUK_XGB(XGBoosterSlice(booster, 0, best_round, 1, &best), "keeping the best rounds");
  std::unique_ptr<LambdaMart> model(new LambdaMart(best, train.feature_names, best_round));
  SOUK_RETURN_IF_ERROR(SetFeatureNames(best, train.feature_names));
  return model;
}

absl::StatusOr<std::unique_ptr<LambdaMart>> LambdaMart::Load(const std::string& path) {
  SOUK_ASSIGN_OR_RETURN(std::string bytes, ReadFileToString(path));
  BoosterHandle booster = nullptr;
  SOUK_XGB(XGBoosterCreate(nullptr, 0, &booster), "creating a booster");
  std::unique_ptr<void, int (*)(BoosterHandle)> owner(booster, XGBoosterFree);
  if (XGBoosterLoadModelFromBuffer(booster, bytes.data(), bytes.size()) != 0) {
    return absl::InvalidArgumentError(StrCat(path, ": not an XGBoost model: ", XGBGetLastError()));
  }
  bst_ulong count = 0;
  const char** c_names = nullptr;
  SOUK_XGB(XGBoosterGetStrFeatureInfo(booster, "feature_name", &count, &c_names),
           "reading feature names");
  bst_ulong num_features = 0;
  SOUK_XGB(XGBoosterGetNumFeature(booster, &num_features), "reading the feature count");
  if (count == 0 || count != num_features) {
    return absl::InvalidArgumentError(StrCat(path, ": the model names ", count, " of its ",
                                             num_features, " features; a ranker names them all"));
  }
  std::vector<std::string> names(c_names, c_names + count);
  int rounds = 0;
  SOUK_XGB(XGBoosterBoostedRounds(booster, &rounds), "reading the round count");
  // Requests are scored one at a time on small candidate sets: one thread each.
  SOUK_XGB(XGBoosterSetParam(booster, "nthread", "1"), "parameter nthread");
  return std::unique_ptr<LambdaMart>(new LambdaMart(owner.release(), std::move(names), rounds));
}

absl::Status LambdaMart::Save(const std::string& path) const {
  bst_ulong size = 0;
  const char* bytes = nullptr;
  SOUK_XGB(XGBoosterSaveModelToBuffer(booster_, R"({"format": "json"})", &size, &bytes),
           "serializing the model");
  return WriteFileAtomically(path, std::string_view(bytes, size));
}

absl::StatusOr<std::vector<float>> LambdaMart::Score(std::span<const float> features) const {
  return Predict(features, kPredictValue);
}

absl::StatusOr<std::vector<float>> LambdaMart::Contributions(
    std::span<const float> features) const {
  return Predict(features, kPredictContributions);
}

absl::StatusOr<std::vector<float>> LambdaMart::Predict(std::span<const float> features,
                                                       int type) const {
  const size_t cols = feature_names_.size();
  if (features.size() % cols != 0) {
    return absl::InvalidArgumentError(
        StrCat(features.size(), " feature values are not rows of ", cols, " features"));
  }
  const size_t rows = features.size() / cols;
  if (rows == 0) return std::vector<float>();
  DMatrix m;
  SOUK_RETURN_IF_ERROR(MakeDMatrix(features, cols, &m));
  const std::string config = StrCat(R"({"type": )", type,
                                    R"(, "training": false, "iteration_begin": 0, )"
                                    R"("iteration_end": 0, "strict_shape": false})");
  const bst_ulong* shape = nullptr;
  bst_ulong dims = 0;
  const float* result = nullptr;
  SOUK_XGB(XGBoosterPredictFromDMatrix(booster_, m.get(), config.c_str(), &shape, &dims, &result),
           "predicting");
  const size_t per_row = type == kPredictContributions ? cols + 1 : 1;
  return std::vector<float>(result, result + rows * per_row);
}

}  // namespace souk::rank
