#include "souk/train/masking.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <utility>

#include "souk/base/check.h"
#include "souk/base/str_cat.h"

namespace souk::train {
namespace {

constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

// SplitMix64's output function (Steele, Lea and Flood 2014, "Fast splittable pseudorandom
// number generators").
uint64_t Mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

absl::Status CheckProbability(double value, const char* field) {
  if (!(value >= 0.0 && value <= 1.0)) {
    return absl::InvalidArgumentError(StrCat("masking.", field, ": ", value, " is not in [0, 1]"));
  }
  return absl::OkStatus();
}

// ---- choosing ----

// Half-open runs [begin, end) of maskable positions: whole words, or single tokens. A word is a
// run of consecutive positions with one word id, so the two texts of a pair never merge.
std::vector<std::pair<size_t, size_t>> Candidates(const std::vector<int64_t>& ids,
                                                  const std::vector<int32_t>& word_ids,
                                                  const std::vector<int64_t>& specials,
                                                  bool whole_word) {
  std::vector<std::pair<size_t, size_t>> runs;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (word_ids[i] < 0 || std::binary_search(specials.begin(), specials.end(), ids[i])) continue;
    const bool continues =
        whole_word && !runs.empty() && runs.back().second == i && word_ids[i - 1] == word_ids[i];
    if (continues) {
      runs.back().second = i + 1;
    } else {
      runs.emplace_back(i, i + 1);
    }
  }
  return runs;
}

// Positions chosen for prediction. As Hugging Face's DataCollatorForWholeWordMask: words in a
// random order, a word that would pass the budget skipped, until the budget is reached; when
// that leaves nothing chosen, the first word in that order is chosen whole.
std::vector<size_t> ChoosePositions(std::vector<std::pair<size_t, size_t>> runs, double probability,
                                    Rng& rng) {
  size_t maskable = 0;
  for (const auto& [begin, end] : runs) maskable += end - begin;
  size_t budget = static_cast<size_t>(std::llround(probability * static_cast<double>(maskable)));
  if (probability > 0.0 && maskable > 0) budget = std::max<size_t>(budget, 1);
  for (size_t i = runs.size(); i > 1; --i) std::swap(runs[i - 1], runs[rng.Below(i)]);
  std::vector<size_t> chosen;
  for (const auto& [begin, end] : runs) {
    if (chosen.size() >= budget) break;
    if (chosen.size() + (end - begin) > budget) continue;
    for (size_t i = begin; i < end; ++i) chosen.push_back(i);
  }
  // Every word longer than the budget (short texts cut into many pieces): predict one whole
  // word anyway, or the sequence would teach nothing (and a batch of them has no loss at all).
  if (chosen.empty() && budget > 0 && !runs.empty()) {
    for (size_t i = runs.front().first; i < runs.front().second; ++i) chosen.push_back(i);
  }
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

// ---- replacing ----

// A uniform id of [0, vocab_size) outside `excluded` (sorted, unique): draws the k-th allowed id
// directly, so no retry loop can spin.
int64_t RandomAllowedId(int64_t vocab_size, const std::vector<int64_t>& excluded, Rng& rng) {
  size_t in_range = 0;
  for (const int64_t id : excluded) in_range += (id >= 0 && id < vocab_size) ? 1 : 0;
  const int64_t allowed = vocab_size - static_cast<int64_t>(in_range);
  SOUK_CHECK(allowed > 0);
  int64_t id = static_cast<int64_t>(rng.Below(static_cast<uint64_t>(allowed)));
  for (const int64_t skip : excluded) {
    if (skip < 0) continue;
    if (skip > id) break;
    ++id;
  }
  return id;
}

}  // namespace

uint64_t Rng::Next() {
  state_ += kGolden;
  return Mix64(state_);
}

double Rng::Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

uint64_t Rng::Below(uint64_t n) {
  // Rejecting the lowest (2^64 mod n) values leaves a range that n divides: no modulo bias.
  const uint64_t threshold = (0 - n) % n;
  while (true) {
    const uint64_t r = Next();
    if (r >= threshold) return r % n;
  }
}

uint64_t DeriveSeed(uint64_t seed, uint64_t stream, uint64_t index) {
  uint64_t h = Mix64(seed + kGolden);
  h = Mix64(h ^ (stream + 2 * kGolden));
  return Mix64(h ^ (index + 3 * kGolden));
}

absl::Status MaskingOptions::Validate() const {
  if (absl::Status s = CheckProbability(mask_probability, "mask_probability"); !s.ok()) return s;
  if (absl::Status s = CheckProbability(replace_with_mask, "replace_with_mask"); !s.ok()) return s;
  if (absl::Status s = CheckProbability(replace_with_random, "replace_with_random"); !s.ok()) {
    return s;
  }
  if (replace_with_mask + replace_with_random > 1.0) {
    return absl::InvalidArgumentError(
        StrCat("masking.replace_with_mask + masking.replace_with_random: ",
               replace_with_mask + replace_with_random, " is more than 1"));
  }
  return absl::OkStatus();
}

MaskedSequence MaskSequence(const std::vector<int64_t>& ids, const std::vector<int32_t>& word_ids,
                            const MaskingOptions& options, const MaskVocabulary& vocabulary,
                            Rng& rng) {
  SOUK_CHECK(ids.size() == word_ids.size());
  std::vector<int64_t> specials = vocabulary.special_ids;
  std::sort(specials.begin(), specials.end());
  specials.erase(std::unique(specials.begin(), specials.end()), specials.end());
  // [MASK] as a "random" replacement would skew the 80/10/10 split.
  std::vector<int64_t> excluded = specials;
  excluded.insert(std::upper_bound(excluded.begin(), excluded.end(), vocabulary.mask_id),
                  vocabulary.mask_id);
  excluded.erase(std::unique(excluded.begin(), excluded.end()), excluded.end());

  MaskedSequence out{ids, std::vector<int64_t>(ids.size(), kIgnoreLabel)};
  const std::vector<size_t> chosen = ChoosePositions(
      Candidates(ids, word_ids, specials, options.whole_word), options.mask_probability, rng);
  for (const size_t i : chosen) {
    out.labels[i] = ids[i];
    const double r = rng.Uniform();
    if (r < options.replace_with_mask) {
      out.input_ids[i] = vocabulary.mask_id;
    } else if (r < options.replace_with_mask + options.replace_with_random) {
      out.input_ids[i] = RandomAllowedId(vocabulary.vocab_size, excluded, rng);
    }
  }
  return out;
}

}  // namespace souk::train
