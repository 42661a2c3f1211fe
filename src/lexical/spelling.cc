#include "souk/lexical/spelling.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"

namespace souk::lexical {
namespace {

bool AllAsciiLetters(std::string_view term) {
  return !term.empty() &&
         std::all_of(term.begin(), term.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// `s` and every string made by deleting up to `depth` of its characters.
absl::flat_hash_set<std::string> Deletions(std::string_view s, size_t depth) {
  absl::flat_hash_set<std::string> out = {std::string(s)};
  std::vector<std::string> frontier = {std::string(s)};
  for (size_t d = 0; d < depth; ++d) {
    std::vector<std::string> next;
    for (const std::string& word : frontier) {
      for (size_t i = 0; i < word.size(); ++i) {
        std::string shorter = word.substr(0, i) + word.substr(i + 1);
        if (out.insert(shorter).second) next.push_back(std::move(shorter));
      }
    }
    frontier = std::move(next);
  }
  return out;
}

// Optimal string alignment distance, or max_edits + 1 once it must exceed max_edits.
size_t EditDistance(std::string_view a, std::string_view b, size_t max_edits) {
  const size_t too_far = max_edits + 1;
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > max_edits) {
    return too_far;
  }
  // Rows i-2, i-1 and i of the (a.size()+1) x (b.size()+1) table.
  std::vector<size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    size_t row_min = current[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
      row_min = std::min(row_min, current[j]);
    }
    if (row_min > max_edits) return too_far;
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return std::min(previous[b.size()], too_far);
}

}  // namespace

struct SpellingCorrector::Data {
  const InvertedIndex* index = nullptr;
  SpellingOptions options;
  std::vector<std::string> terms;  // the candidates
  std::vector<size_t> df;
  absl::flat_hash_map<std::string_view, uint32_t> by_text;  // into `terms`
  // (hash of a deletion, candidate), sorted: equal_range finds a deletion's candidates.
  std::vector<std::pair<uint64_t, uint32_t>> deletions;
  size_t longest = 0;  // letters of the longest candidate

  static uint64_t Hash(std::string_view s) { return std::hash<std::string_view>()(s); }

  size_t MaxEdits(size_t length) const { return length >= options.two_edits_min_length ? 2 : 1; }

  // The nearest, then most frequent, then smallest candidate other than `term` itself within
  // `max_edits` of it.
  std::optional<uint32_t> Nearest(std::string_view term, size_t max_edits) const {
    std::optional<uint32_t> best;
    size_t best_distance = max_edits + 1;
    for (const std::string& deletion : Deletions(term, max_edits)) {
      const auto [first, last] = std::equal_range(
          deletions.begin(), deletions.end(), std::make_pair(Hash(deletion), uint32_t{0}),
          [](const auto& a, const auto& b) { return a.first < b.first; });
      for (auto it = first; it != last; ++it) {
        const uint32_t candidate = it->second;
        if (terms[candidate] == term) continue;
        const size_t distance = EditDistance(term, terms[candidate], max_edits);
        if (distance > max_edits) continue;
        if (!best.has_value() || distance < best_distance ||
            (distance == best_distance && Better(candidate, *best))) {
          best = candidate;
          best_distance = distance;
        }
      }
    }
    return best;
  }

  // For a term few products hold, a candidate one edit away that many times more hold: the
  // spelling most titles use of a word a few misspell ("flourescent" beside "fluorescent").
  std::optional<uint32_t> CommonVariant(std::string_view term) const {
    const size_t term_df = index->DocumentFrequency(term);
    if (term_df == 0 || term_df > options.rare_max_df || term.size() < options.rare_min_length) {
      return std::nullopt;
    }
    const std::optional<uint32_t> nearest = Nearest(term, 1);
    if (!nearest || df[*nearest] < options.rare_min_ratio * term_df) return std::nullopt;
    return nearest;
  }

  bool Better(uint32_t a, uint32_t b) const {
    return df[a] != df[b] ? df[a] > df[b] : terms[a] < terms[b];
  }

  // The two-candidate split of `term` whose rarer half is most frequent (the leftmost on ties).
  std::optional<std::pair<uint32_t, uint32_t>> BestSplit(std::string_view term) const {
    std::optional<std::pair<uint32_t, uint32_t>> best;
    size_t best_df = 0;
    for (size_t i = options.split_min_part; i + options.split_min_part <= term.size(); ++i) {
      const auto left = by_text.find(term.substr(0, i));
      const auto right = by_text.find(term.substr(i));
      if (left == by_text.end() || right == by_text.end()) continue;
      const size_t rarer = std::min(df[left->second], df[right->second]);
      if (rarer > best_df) {
        best = std::make_pair(left->second, right->second);
        best_df = rarer;
      }
    }
    return best;
  }
};

std::unique_ptr<SpellingCorrector> SpellingCorrector::Build(const InvertedIndex& index,
                                                            const SpellingOptions& options) {
  auto data = std::make_unique<Data>();
  data->index = &index;
  data->options = options;
  index.ForEachTerm([&](std::string_view term, size_t df) {
    if (df < options.min_df || !AllAsciiLetters(term)) return;
    data->terms.emplace_back(term);
    data->df.push_back(df);
    data->longest = std::max(data->longest, term.size());
  });
  for (uint32_t t = 0; t < data->terms.size(); ++t) {
    const std::string& term = data->terms[t];
    data->by_text.emplace(term, t);
    // A query term of n letters reaches candidates of n - max_edits letters or more.
    const size_t depth = term.size() + 2 >= options.two_edits_min_length ? 2 : 1;
    if (term.size() + depth < options.min_length) continue;
    for (const std::string& deletion : Deletions(term, depth)) {
      data->deletions.emplace_back(Data::Hash(deletion), t);
    }
  }
  std::sort(data->deletions.begin(), data->deletions.end());
  return std::unique_ptr<SpellingCorrector>(new SpellingCorrector(std::move(data)));
}

SpellingCorrector::SpellingCorrector(std::unique_ptr<Data> data) : data_(std::move(data)) {}
SpellingCorrector::~SpellingCorrector() = default;

std::vector<std::string> SpellingCorrector::Correct(const std::vector<std::string>& terms,
                                                    std::vector<Correction>* corrections) const {
  std::vector<std::string> out;
  for (const std::string& term : terms) {
    // Past the longest candidate by more than two letters, nothing is near (and the deletion
    // search would grow with the square of the length for nothing).
    if (term.size() < data_->options.min_length || term.size() > data_->longest + 2 ||
        !AllAsciiLetters(term)) {
      out.push_back(term);
      continue;
    }
    if (data_->index->Contains(term)) {  // known, yet perhaps a rare misspelling
      out.push_back(term);
      if (std::optional<uint32_t> common = data_->CommonVariant(term)) {
        out.push_back(data_->terms[*common]);
        if (corrections != nullptr) corrections->push_back({term, {data_->terms[*common]}});
      }
      continue;
    }
    Correction made{term, {}};
    if (const std::optional<uint32_t> nearest =
            data_->Nearest(term, data_->MaxEdits(term.size()))) {
      made.to = {data_->terms[*nearest]};
    } else if (const auto split = data_->BestSplit(term)) {
      made.to = {data_->terms[split->first], data_->terms[split->second]};
    } else {
      out.push_back(term);
      continue;
    }
    out.insert(out.end(), made.to.begin(), made.to.end());
    if (corrections != nullptr) corrections->push_back(std::move(made));
  }
  // Two neighbours as typed that make a known term together ("sheet rock" -> sheetrock): add it,
  // unless the query holds it already.
  for (size_t i = 0; i + 1 < terms.size(); ++i) {
    if (!AllAsciiLetters(terms[i]) || !AllAsciiLetters(terms[i + 1])) continue;
    std::string joined = terms[i] + terms[i + 1];
    if (!data_->by_text.contains(joined) ||
        std::find(out.begin(), out.end(), joined) != out.end()) {
      continue;
    }
    out.push_back(joined);
    if (corrections != nullptr) {
      corrections->push_back({terms[i] + " " + terms[i + 1], {std::move(joined)}});
    }
  }
  return out;
}

size_t SpellingCorrector::num_candidates() const { return data_->terms.size(); }

size_t SpellingCorrector::MemoryBytes() const {
  size_t bytes = data_->deletions.capacity() * sizeof(data_->deletions[0]) +
                 data_->df.capacity() * sizeof(size_t) +
                 data_->by_text.capacity() * (sizeof(std::string_view) + sizeof(uint32_t) + 1);
  for (const std::string& term : data_->terms) bytes += sizeof(std::string) + term.capacity();
  return bytes;
}

}  // namespace souk::lexical
