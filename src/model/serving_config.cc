#include "souk/model/serving_config.h"

#include <limits>

#include "nlohmann/json.hpp"
#include "souk/base/file_util.h"
#include "souk/base/quote.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/model/bert_config.h"

namespace souk::model {
namespace {

using Json = nlohmann::json;

absl::Status ReadKey(const std::string& key, const Json& value, ServingConfig& c) {
  if (key == "pooling") {
    if (!value.is_string()) return absl::InvalidArgumentError("pooling: expected a string");
    const std::optional<Pooling> pooling = ParsePooling(value.get<std::string>());
    if (!pooling) {
      return absl::InvalidArgumentError(
          StrCat("pooling: ", QuoteForError(value.get<std::string>()),
                 " is not one of \"cls\", \"mean\", \"weighted_mean\", \"pooler\""));
    }
    c.pooling = *pooling;
    return absl::OkStatus();
  }
  if (key == "normalize") {
    if (!value.is_boolean()) return absl::InvalidArgumentError("normalize: expected a boolean");
    c.normalize = value.get<bool>();
    return absl::OkStatus();
  }
  if (key == "max_length") {
    if (!value.is_number_integer() ||
        (value.is_number_unsigned() &&
         value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))) {
      return absl::InvalidArgumentError("max_length: expected an integer");
    }
    c.max_length = value.get<int64_t>();
    return absl::OkStatus();
  }
  if (key == "distinct_tokens") {
    if (!value.is_boolean())
      return absl::InvalidArgumentError("distinct_tokens: expected a boolean");
    c.distinct_tokens = value.get<bool>();
    return absl::OkStatus();
  }
  if (key == "length_pivot") {
    if (!value.is_boolean()) return absl::InvalidArgumentError("length_pivot: expected a boolean");
    c.length_pivot = value.get<bool>();
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(StrCat(
      QuoteForError(key),
      ": unknown key (known: pooling, normalize, max_length, distinct_tokens, length_pivot)"));
}

}  // namespace

std::string_view PoolingName(Pooling pooling) {
  switch (pooling) {
    case Pooling::kCls:
      return "cls";
    case Pooling::kMean:
      return "mean";
    case Pooling::kPooler:
      return "pooler";
    case Pooling::kWeightedMean:
      return "weighted_mean";
  }
  return "cls";
}

std::optional<Pooling> ParsePooling(std::string_view name) {
  for (Pooling p : {Pooling::kCls, Pooling::kMean, Pooling::kPooler, Pooling::kWeightedMean}) {
    if (PoolingName(p) == name) return p;
  }
  return std::nullopt;
}

absl::Status ServingConfig::Validate() const {
  if (max_length < 2) {
    return absl::InvalidArgumentError(
        StrCat("max_length: must be at least 2 ([CLS] and [SEP]), got ", max_length));
  }
  if (distinct_tokens && pooling != Pooling::kWeightedMean) {
    return absl::InvalidArgumentError(
        StrCat("distinct_tokens: needs pooling weighted_mean, not ", PoolingName(pooling)));
  }
  if (length_pivot && pooling != Pooling::kWeightedMean) {
    return absl::InvalidArgumentError(
        StrCat("length_pivot: needs pooling weighted_mean, not ", PoolingName(pooling)));
  }
  if (length_pivot && !normalize) {
    return absl::InvalidArgumentError("length_pivot: needs normalize (it acts through the norm)");
  }
  return absl::OkStatus();
}

absl::Status ServingConfig::ValidateFor(const BertConfig& bert) const {
  SOUK_RETURN_IF_ERROR(Validate());
  if (max_length > bert.max_position_embeddings) {
    return absl::InvalidArgumentError(StrCat("max_length: ", max_length,
                                             " exceeds the model's max_position_embeddings (",
                                             bert.max_position_embeddings, ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<ServingConfig> ServingConfig::FromJson(std::string_view text,
                                                      std::string_view source) {
  const Json json = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return absl::InvalidArgumentError(StrCat(source, ": not a JSON object"));
  }
  ServingConfig config;
  for (const auto& [key, value] : json.items()) {
    SOUK_RETURN_IF_ERROR(Annotate(ReadKey(key, value, config), source));
  }
  SOUK_RETURN_IF_ERROR(Annotate(config.Validate(), source));
  return config;
}

absl::StatusOr<ServingConfig> ServingConfig::Load(const std::string& path) {
  SOUK_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  return FromJson(text, path);
}

std::string ServingConfig::ToJson() const {
  const Json json = {{"pooling", PoolingName(pooling)},
                     {"normalize", normalize},
                     {"max_length", max_length},
                     {"distinct_tokens", distinct_tokens},
                     {"length_pivot", length_pivot}};
  return json.dump(2) + "\n";
}

absl::Status ServingConfig::Save(const std::string& path) const {
  return WriteFileAtomically(path, ToJson());
}

}  // namespace souk::model
