#include "souk/encoder/encoder_options.h"

#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"

namespace souk::encoder {

absl::Status EncoderOptions::Validate() const {
  if (model_dir.empty()) return absl::InvalidArgumentError("encoder.model_dir: must not be empty");
  if (threads < 1 || threads > 256) {
    return absl::InvalidArgumentError(StrCat("encoder.threads: ", threads, " is outside 1..256"));
  }
  if (cuda_precision != "fp16" && cuda_precision != "bf16" && cuda_precision != "fp32") {
    return absl::InvalidArgumentError(
        StrCat("encoder.cuda_precision: '", cuda_precision, "' is not fp16, bf16 or fp32"));
  }
  return Annotate(batching.Validate(), "encoder.batching");
}

}  // namespace souk::encoder
