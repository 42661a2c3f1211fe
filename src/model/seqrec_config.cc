#include "souk/model/seqrec_config.h"

#include <cmath>

#include "nlohmann/json.hpp"
#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"

namespace souk::model {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kModelType = "souk_sasrec";

absl::Status KeyError(std::string_view key, std::string_view message) {
  return absl::InvalidArgumentError(StrCat(key, ": ", message));
}

absl::Status CheckPositive(std::string_view key, int64_t value) {
  return value > 0 ? absl::OkStatus() : KeyError(key, StrCat("must be positive, got ", value));
}

absl::Status ReadInt(const Json& value, std::string_view key, int64_t* out) {
  if (!value.is_number_integer()) return KeyError(key, "must be an integer");
  *out = value.get<int64_t>();
  return absl::OkStatus();
}

absl::Status ReadDouble(const Json& value, std::string_view key, double* out) {
  if (!value.is_number()) return KeyError(key, "must be a number");
  *out = value.get<double>();
  return absl::OkStatus();
}

absl::Status ReadKey(const std::string& key, const Json& value, SeqRecConfig* c) {
  if (key == "num_items") return ReadInt(value, key, &c->num_items);
  if (key == "hidden_size") return ReadInt(value, key, &c->hidden_size);
  if (key == "num_layers") return ReadInt(value, key, &c->num_layers);
  if (key == "num_heads") return ReadInt(value, key, &c->num_heads);
  if (key == "max_length") return ReadInt(value, key, &c->max_length);
  if (key == "dropout") return ReadDouble(value, key, &c->dropout);
  if (key == "layer_norm_eps") return ReadDouble(value, key, &c->layer_norm_eps);
  if (key == "initializer_range") return ReadDouble(value, key, &c->initializer_range);
  if (key == "model_type") {
    if (value != kModelType) return KeyError(key, StrCat("must be \"", kModelType, "\""));
    return absl::OkStatus();
  }
  return KeyError(key, "unknown key");
}

}  // namespace

absl::Status SeqRecConfig::Validate() const {
  SOUK_RETURN_IF_ERROR(CheckPositive("num_items", num_items));
  SOUK_RETURN_IF_ERROR(CheckPositive("hidden_size", hidden_size));
  SOUK_RETURN_IF_ERROR(CheckPositive("num_layers", num_layers));
  SOUK_RETURN_IF_ERROR(CheckPositive("num_heads", num_heads));
  SOUK_RETURN_IF_ERROR(CheckPositive("max_length", max_length));
  if (hidden_size % num_heads != 0) {
    return KeyError("hidden_size", StrCat("(", hidden_size, ") must be a multiple of num_heads (",
                                          num_heads, ")"));
  }
  if (!(dropout >= 0 && dropout < 1)) {
    return KeyError("dropout", StrCat("must be in [0, 1), got ", dropout));
  }
  if (!(layer_norm_eps > 0 && std::isfinite(layer_norm_eps))) {
    return KeyError("layer_norm_eps", StrCat("must be positive and finite, got ", layer_norm_eps));
  }
  if (!(initializer_range >= 0 && std::isfinite(initializer_range))) {
    return KeyError("initializer_range",
                    StrCat("must be non-negative and finite, got ", initializer_range));
  }
  return absl::OkStatus();
}

absl::StatusOr<SeqRecConfig> SeqRecConfig::FromJson(std::string_view text,
                                                    std::string_view source) {
  const Json json = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return absl::InvalidArgumentError(StrCat(source, ": not a JSON object"));
  }
  if (!json.contains("model_type")) {
    return absl::InvalidArgumentError(
        StrCat(source, ": no model_type (a seqrec config says \"", kModelType, "\")"));
  }
  SeqRecConfig config;
  for (const auto& [key, value] : json.items()) {
    SOUK_RETURN_IF_ERROR(Annotate(ReadKey(key, value, &config), source));
  }
  SOUK_RETURN_IF_ERROR(Annotate(config.Validate(), source));
  return config;
}

absl::StatusOr<SeqRecConfig> SeqRecConfig::Load(const std::string& path) {
  SOUK_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  return FromJson(text, path);
}

std::string SeqRecConfig::ToJson() const {
  Json json = Json::object();
  json["model_type"] = kModelType;
  json["num_items"] = num_items;
  json["hidden_size"] = hidden_size;
  json["num_layers"] = num_layers;
  json["num_heads"] = num_heads;
  json["max_length"] = max_length;
  json["dropout"] = dropout;
  json["layer_norm_eps"] = layer_norm_eps;
  json["initializer_range"] = initializer_range;
  return json.dump(2) + "\n";
}

absl::Status SeqRecConfig::Save(const std::string& path) const {
  return WriteFileAtomically(path, ToJson());
}

}  // namespace souk::model
