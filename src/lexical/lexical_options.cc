#include "souk/lexical/lexical_options.h"

#include <cmath>

#include "souk/base/str_cat.h"

namespace souk::lexical {

std::string_view FieldName(Field field) {
  switch (field) {
    case Field::kTitle:
      return "title";
    case Field::kBrand:
      return "brand";
    case Field::kCategory:
      return "category";
    case Field::kAttributes:
      return "attributes";
    case Field::kDescription:
      return "description";
    case Field::kExpansion:
      return "expansion";
  }
  return "unknown";
}

absl::Status SpellingOptions::Validate() const {
  if (min_df < 1) return absl::InvalidArgumentError("spelling.min_df must be >= 1");
  if (min_length < 3) {
    return absl::InvalidArgumentError(StrCat("spelling.min_length must be >= 3, got ", min_length));
  }
  if (two_edits_min_length < min_length) {
    return absl::InvalidArgumentError(
        StrCat("spelling.two_edits_min_length must be >= min_length (", min_length, "), got ",
               two_edits_min_length));
  }
  if (split_min_part < 2) {
    return absl::InvalidArgumentError(
        StrCat("spelling.split_min_part must be >= 2, got ", split_min_part));
  }
  if (rare_min_length < min_length) {
    return absl::InvalidArgumentError(StrCat("spelling.rare_min_length must be >= min_length (",
                                             min_length, "), got ", rare_min_length));
  }
  if (rare_min_ratio < 2) {
    return absl::InvalidArgumentError(
        StrCat("spelling.rare_min_ratio must be >= 2, got ", rare_min_ratio));
  }
  return absl::OkStatus();
}

absl::Status RewriteOptions::Validate() const {
  if (max_added_terms < 1)
    return absl::InvalidArgumentError("rewrites.max_added_terms must be >= 1");
  return absl::OkStatus();
}

absl::Status LexicalOptions::Validate() const {
  // Written as !(x > 0) so that NaN fails too.
  if (!(k1 > 0) || !std::isfinite(k1)) {
    return absl::InvalidArgumentError(StrCat("k1: must be a finite number > 0, got ", k1));
  }
  bool any_weight = false;
  for (size_t f = 0; f < kNumFields; ++f) {
    const std::string_view name = FieldName(static_cast<Field>(f));
    const FieldOptions& o = fields[f];
    if (!(o.weight >= 0) || !std::isfinite(o.weight)) {
      return absl::InvalidArgumentError(
          StrCat("fields.", name, ".weight: must be a finite number >= 0, got ", o.weight));
    }
    if (!(o.b >= 0 && o.b <= 1)) {
      return absl::InvalidArgumentError(
          StrCat("fields.", name, ".b: must be in [0, 1], got ", o.b));
    }
    any_weight = any_weight || o.weight > 0;
  }
  if (!any_weight) {
    return absl::InvalidArgumentError("fields: at least one field weight must be > 0");
  }
  if (absl::Status s = spelling.Validate(); !s.ok()) return s;
  return rewrites.Validate();
}

}  // namespace souk::lexical
