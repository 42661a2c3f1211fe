#include "souk/encoder/encoder_options.h"

#include <cmath>

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

absl::Status ExpansionOptions::Validate() const {
  if (batch_size < 1) return absl::InvalidArgumentError("expansion.batch_size: must be >= 1");
  if (mask_slots < 1 || mask_slots > 32) {
    return absl::InvalidArgumentError(
        StrCat("expansion.mask_slots: ", mask_slots, " is outside 1..32"));
  }
  if (terms < 1) return absl::InvalidArgumentError("expansion.terms: must be >= 1");
  if (threads < 0) return absl::InvalidArgumentError("expansion.threads: must be >= 0");
  if (!(min_probability >= 0 && min_probability <= 1)) {
    return absl::InvalidArgumentError(
        StrCat("expansion.min_probability: ", min_probability, " is outside [0, 1]"));
  }
  if (!(min_lift >= 0) || !std::isfinite(min_lift)) {
    return absl::InvalidArgumentError(
        StrCat("expansion.min_lift: ", min_lift, " is not a finite number >= 0"));
  }
  return absl::OkStatus();
}

}  // namespace souk::encoder
