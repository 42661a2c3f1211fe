#include "souk/model/bert_config.h"

#include <cmath>
#include <limits>
#include <utility>

#include "nlohmann/json.hpp"
#include "souk/base/check.h"
#include "souk/base/file_util.h"
#include "souk/base/quote.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"

namespace souk::model {
namespace {

using Json = nlohmann::json;

absl::Status KeyError(std::string_view key, std::string_view problem) {
  return absl::InvalidArgumentError(StrCat(key, ": ", problem));
}

absl::Status ReadInt(const Json& value, std::string_view key, int64_t& out) {
  if (!value.is_number_integer()) return KeyError(key, "expected an integer");
  if (value.is_number_unsigned() &&
      value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return KeyError(key, "integer out of range");
  }
  out = value.get<int64_t>();
  return absl::OkStatus();
}

absl::Status ReadDouble(const Json& value, std::string_view key, double& out) {
  if (!value.is_number()) return KeyError(key, "expected a number");
  out = value.get<double>();
  return absl::OkStatus();
}

absl::Status ReadString(const Json& value, std::string_view key, std::string& out) {
  if (!value.is_string()) return KeyError(key, "expected a string");
  out = value.get<std::string>();
  return absl::OkStatus();
}

absl::Status ReadArchitectures(const Json& value, std::vector<std::string>& out) {
  out.clear();
  if (value.is_null()) return absl::OkStatus();
  if (!value.is_array()) return KeyError("architectures", "expected an array of strings");
  for (const Json& item : value) {
    if (!item.is_string()) return KeyError("architectures", "expected an array of strings");
    out.push_back(item.get<std::string>());
  }
  return absl::OkStatus();
}

// Keys transformers may write that change the architecture: accepted only at the value this
// encoder implements, then kept in `extra` like any other key.
absl::Status CheckFixedKey(std::string_view key, const Json& value) {
  if (key == "position_embedding_type" && value != Json("absolute")) {
    return KeyError(key, StrCat(value.dump(), " is not supported (only \"absolute\")"));
  }
  if ((key == "is_decoder" || key == "add_cross_attention") && value != Json(false)) {
    return KeyError(key, StrCat(value.dump(), " is not supported (only false)"));
  }
  return absl::OkStatus();
}

absl::Status ReadKey(std::string_view key, const Json& value, BertConfig& c) {
  if (key == "vocab_size") return ReadInt(value, key, c.vocab_size);
  if (key == "hidden_size") return ReadInt(value, key, c.hidden_size);
  if (key == "num_hidden_layers") return ReadInt(value, key, c.num_hidden_layers);
  if (key == "num_attention_heads") return ReadInt(value, key, c.num_attention_heads);
  if (key == "intermediate_size") return ReadInt(value, key, c.intermediate_size);
  if (key == "max_position_embeddings") return ReadInt(value, key, c.max_position_embeddings);
  if (key == "type_vocab_size") return ReadInt(value, key, c.type_vocab_size);
  if (key == "pad_token_id") return ReadInt(value, key, c.pad_token_id);
  if (key == "hidden_dropout_prob") return ReadDouble(value, key, c.hidden_dropout_prob);
  if (key == "attention_probs_dropout_prob") {
    return ReadDouble(value, key, c.attention_probs_dropout_prob);
  }
  if (key == "layer_norm_eps") return ReadDouble(value, key, c.layer_norm_eps);
  if (key == "initializer_range") return ReadDouble(value, key, c.initializer_range);
  if (key == "hidden_act") return ReadString(value, key, c.hidden_act);
  if (key == "model_type") return ReadString(value, key, c.model_type);
  if (key == "architectures") return ReadArchitectures(value, c.architectures);
  SOUK_RETURN_IF_ERROR(CheckFixedKey(key, value));
  c.extra[std::string(key)] = value.dump();
  return absl::OkStatus();
}

absl::Status CheckPositive(std::string_view key, int64_t value) {
  if (value <= 0) return KeyError(key, StrCat("must be positive, got ", value));
  return absl::OkStatus();
}

absl::Status CheckProbability(std::string_view key, double value) {
  if (!(value >= 0.0 && value < 1.0)) {
    return KeyError(key, StrCat("must be in [0, 1), got ", value));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status BertConfig::Validate() const {
  SOUK_RETURN_IF_ERROR(CheckPositive("vocab_size", vocab_size));
  SOUK_RETURN_IF_ERROR(CheckPositive("hidden_size", hidden_size));
  // 0 is a static embedding model: each token's state is its embeddings' LayerNorm (Hugging
  // Face's BertModel builds an empty encoder the same way).
  if (num_hidden_layers < 0) {
    return KeyError("num_hidden_layers", StrCat("must be >= 0, got ", num_hidden_layers));
  }
  SOUK_RETURN_IF_ERROR(CheckPositive("num_attention_heads", num_attention_heads));
  SOUK_RETURN_IF_ERROR(CheckPositive("intermediate_size", intermediate_size));
  SOUK_RETURN_IF_ERROR(CheckPositive("max_position_embeddings", max_position_embeddings));
  SOUK_RETURN_IF_ERROR(CheckPositive("type_vocab_size", type_vocab_size));
  if (hidden_size % num_attention_heads != 0) {
    return KeyError("hidden_size",
                    StrCat("(", hidden_size, ") must be a multiple of num_attention_heads (",
                           num_attention_heads, ")"));
  }
  if (hidden_act != "gelu") {
    return KeyError("hidden_act", StrCat(QuoteForError(hidden_act),
                                         " is not supported (only \"gelu\", the exact erf GELU)"));
  }
  if (model_type != "bert") {
    return KeyError("model_type",
                    StrCat(QuoteForError(model_type), " is not supported (only \"bert\")"));
  }
  SOUK_RETURN_IF_ERROR(CheckProbability("hidden_dropout_prob", hidden_dropout_prob));
  SOUK_RETURN_IF_ERROR(
      CheckProbability("attention_probs_dropout_prob", attention_probs_dropout_prob));
  if (!(layer_norm_eps > 0.0 && std::isfinite(layer_norm_eps))) {
    return KeyError("layer_norm_eps", StrCat("must be positive and finite, got ", layer_norm_eps));
  }
  if (!(initializer_range >= 0.0 && std::isfinite(initializer_range))) {
    return KeyError("initializer_range",
                    StrCat("must be non-negative and finite, got ", initializer_range));
  }
  if (pad_token_id < 0 || pad_token_id >= vocab_size) {
    return KeyError("pad_token_id",
                    StrCat(pad_token_id, " is outside the vocabulary [0, ", vocab_size, ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<BertConfig> BertConfig::FromJson(std::string_view text, std::string_view source) {
  const Json json = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return absl::InvalidArgumentError(StrCat(source, ": not a JSON object"));
  }
  BertConfig config;
  for (const auto& [key, value] : json.items()) {
    SOUK_RETURN_IF_ERROR(Annotate(ReadKey(key, value, config), source));
  }
  SOUK_RETURN_IF_ERROR(Annotate(config.Validate(), source));
  return config;
}

absl::StatusOr<BertConfig> BertConfig::Load(const std::string& path) {
  SOUK_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  return FromJson(text, path);
}

std::string BertConfig::ToJson() const {
  Json json = Json::object();
  for (const auto& [key, text] : extra) {
    Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    SOUK_CHECK(!value.is_discarded());  // extra holds JSON texts by contract
    json[key] = std::move(value);
  }
  json["vocab_size"] = vocab_size;
  json["hidden_size"] = hidden_size;
  json["num_hidden_layers"] = num_hidden_layers;
  json["num_attention_heads"] = num_attention_heads;
  json["intermediate_size"] = intermediate_size;
  json["hidden_act"] = hidden_act;
  json["hidden_dropout_prob"] = hidden_dropout_prob;
  json["attention_probs_dropout_prob"] = attention_probs_dropout_prob;
  json["max_position_embeddings"] = max_position_embeddings;
  json["type_vocab_size"] = type_vocab_size;
  json["layer_norm_eps"] = layer_norm_eps;
  json["pad_token_id"] = pad_token_id;
  json["initializer_range"] = initializer_range;
  json["model_type"] = model_type;
  if (!architectures.empty()) json["architectures"] = architectures;
  // Strings come from valid JSON or from our callers; replace rather than throw on bad UTF-8.
  return json.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

absl::Status BertConfig::Save(const std::string& path) const {
  return WriteFileAtomically(path, ToJson());
}

}  // namespace souk::model
