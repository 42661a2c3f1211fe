#include <filesystem>

#include "model_files_internal.h"
#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/encoder/model_directory.h"
#include "souk/model/tensor_io.h"

namespace souk::train::internal {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTokenizerFiles[] = {encoder::kSentencePieceFile, "spiece.vocab",
                                           encoder::kVocabFile, encoder::kTokenizerConfigFile};

}  // namespace

absl::StatusOr<ModelFiles> ReadModelFiles(const std::string& dir) {
  ModelFiles files;
  SOUK_ASSIGN_OR_RETURN(files.config,
                        model::BertConfig::Load(StrCat(dir, "/", encoder::kConfigFile)));
  absl::StatusOr<model::ServingConfig> serving =
      model::ServingConfig::Load(StrCat(dir, "/", encoder::kServingFile));
  if (serving.ok()) {
    files.serving = *serving;
  } else if (!absl::IsNotFound(serving.status())) {
    return serving.status();
  }
  SOUK_ASSIGN_OR_RETURN(files.weights, model::ReadTensors(StrCat(dir, "/", encoder::kWeightsFile)));
  return files;
}

absl::StatusOr<model::BertModel> BuildBert(const model::BertConfig& config, model::Pooling pooling,
                                           const ModelFiles& files, const std::string& dir) {
  bool has_pooler = false;
  for (const auto& [name, t] : files.weights) {
    has_pooler |= name.find("pooler.dense.weight") != std::string::npos;
  }
  if (pooling == model::Pooling::kPooler && !has_pooler) {
    return absl::FailedPreconditionError(
        StrCat(dir, ": pooling \"pooler\" but the model has no pooler weights"));
  }
  SOUK_ASSIGN_OR_RETURN(auto bert, model::BertModelImpl::Create(config, has_pooler));
  model::BertModel model(bert);
  SOUK_RETURN_IF_ERROR(model->LoadStateDict(files.weights, /*strict=*/true));
  return model;
}

absl::Status CopyTokenizerFiles(const std::string& from_dir, const std::string& to_dir) {
  std::error_code ec;
  if (fs::equivalent(from_dir, to_dir, ec)) return absl::OkStatus();
  for (const char* name : kTokenizerFiles) {
    const std::string from = StrCat(from_dir, "/", name);
    if (!fs::exists(from, ec)) continue;
    SOUK_ASSIGN_OR_RETURN(std::string bytes, ReadFileToString(from));
    SOUK_RETURN_IF_ERROR(WriteFileAtomically(StrCat(to_dir, "/", name), bytes));
  }
  return absl::OkStatus();
}

absl::Status WriteModelDirectory(const std::string& dir, const model::BertConfig& config,
                                 const model::ServingConfig& serving,
                                 const std::map<std::string, torch::Tensor>& weights,
                                 const std::string& tokenizer_dir) {
  SOUK_RETURN_IF_ERROR(MakeDirectories(dir));
  SOUK_RETURN_IF_ERROR(model::WriteTensors(StrCat(dir, "/", encoder::kWeightsFile), weights));
  SOUK_RETURN_IF_ERROR(config.Save(StrCat(dir, "/", encoder::kConfigFile)));
  SOUK_RETURN_IF_ERROR(serving.Save(StrCat(dir, "/", encoder::kServingFile)));
  return CopyTokenizerFiles(tokenizer_dir, dir);
}

}  // namespace souk::train::internal
