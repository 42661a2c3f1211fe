// InvertedIndex queries: term lookup, top-k (MaxScore or exhaustive), facets, single-document
// scores. Building is in index_build.cc, saving and loading in index_io.cc.

#include "souk/lexical/inverted_index.h"

#include <algorithm>
#include <bit>

#include "absl/strings/string_view.h"
#include "index_data_internal.h"
#include "query_internal.h"
#include "souk/base/check.h"

namespace souk::lexical {
namespace internal {

size_t PostingStore::MemoryBytes() const {
  return offsets.capacity() * sizeof(uint64_t) + docs.capacity() * sizeof(uint32_t) +
         (impacts.capacity() + idf.capacity() + max_impact.capacity()) * sizeof(float) +
         field_masks.capacity();
}

CursorList OpenCursors(const IndexData& data, const std::vector<std::string>& terms) {
  absl::InlinedVector<TermId, 16> ids;
  for (const std::string& term : terms) {
    if (auto it = data.dictionary.find(term); it != data.dictionary.end())
      ids.push_back(it->second);
  }
  std::sort(ids.begin(), ids.end());
  const PostingStore& p = data.postings;
  CursorList cursors;
  for (size_t i = 0; i < ids.size();) {
    const TermId t = ids[i];
    size_t qtf = 0;
    for (; i < ids.size() && ids[i] == t; ++i) ++qtf;
    const float weight = p.idf[t] * static_cast<float>(qtf);
    const uint64_t begin = p.offsets[t];
    const uint64_t end = p.offsets[t + 1] - 1;  // the sentinel
    cursors.emplace_back(p.docs.data() + begin, p.docs.data() + end, p.impacts.data() + begin,
                         weight, weight * p.max_impact[t]);
  }
  return cursors;
}

namespace {

SearchResult RunSearch(const IndexData& data, const std::vector<std::string>& terms,
                       const DocFilter* filter, const SearchOptions& options, bool exhaustive) {
  // A filter compiled by another index is a bug of the caller, not bad input.
  SOUK_CHECK(filter == nullptr || filter->num_docs() == data.num_docs);
  CursorList cursors = OpenCursors(data, terms);
  SearchResult result;
  const size_t k = std::min(options.k, data.num_docs);
  if (options.facets) {
    const std::vector<uint64_t> matches = MatchingDocs(cursors, filter, data.num_docs);
    size_t total = 0;
    for (uint64_t word : matches) total += static_cast<size_t>(std::popcount(word));
    result.total_matches = total;
    static const std::vector<std::string> kNoCategory;
    result.facets =
        data.columns.Count(matches, filter != nullptr ? filter->category_path() : kNoCategory,
                           options.max_facet_values);
  }
  result.hits = exhaustive ? ExhaustiveTopK(cursors, filter, k, data.num_docs)
                           : MaxScoreTopK(std::span(cursors), filter, k);
  return result;
}

}  // namespace
}  // namespace internal

InvertedIndex::InvertedIndex(std::unique_ptr<Data> data) : data_(std::move(data)) {}
InvertedIndex::~InvertedIndex() = default;

absl::StatusOr<DocFilter> InvertedIndex::CompileFilter(const Filter& filter) const {
  return data_->columns.Compile(filter);
}

SearchResult InvertedIndex::Search(const std::vector<std::string>& terms, const DocFilter* filter,
                                   const SearchOptions& options) const {
  return internal::RunSearch(*data_, terms, filter, options, /*exhaustive=*/false);
}

SearchResult InvertedIndex::SearchExhaustive(const std::vector<std::string>& terms,
                                             const DocFilter* filter,
                                             const SearchOptions& options) const {
  return internal::RunSearch(*data_, terms, filter, options, /*exhaustive=*/true);
}

float InvertedIndex::Score(const std::vector<std::string>& terms, catalog::DocId doc) const {
  SOUK_CHECK(doc.value() < data_->num_docs);
  double score = 0;
  for (internal::PostingCursor& c : internal::OpenCursors(*data_, terms)) {
    c.NextGeq(doc.value());
    if (c.Doc() == doc.value()) score += c.Score();
  }
  return static_cast<float>(score);
}

std::vector<TermMatch> InvertedIndex::MatchTerms(const std::vector<std::string>& terms,
                                                 std::span<const catalog::DocId> docs) const {
  const internal::PostingStore& p = data_->postings;
  std::vector<TermMatch> matches(docs.size() * terms.size());
  for (size_t t = 0; t < terms.size(); ++t) {
    auto it = data_->dictionary.find(terms[t]);
    if (it == data_->dictionary.end()) continue;
    const uint32_t* begin = p.docs.data() + p.offsets[it->second];
    const uint32_t* end = p.docs.data() + p.offsets[it->second + 1] - 1;  // the sentinel
    for (size_t d = 0; d < docs.size(); ++d) {
      SOUK_CHECK(docs[d].value() < data_->num_docs);
      TermMatch& m = matches[d * terms.size() + t];
      m.idf = p.idf[it->second];
      const uint32_t* found = std::lower_bound(begin, end, docs[d].value());
      if (found == end || *found != docs[d].value()) continue;
      const size_t posting = static_cast<size_t>(found - p.docs.data());
      m.impact = p.impacts[posting];
      m.fields = p.field_masks[posting];
    }
  }
  return matches;
}

size_t InvertedIndex::num_docs() const { return data_->num_docs; }
size_t InvertedIndex::num_terms() const { return data_->postings.num_terms(); }

bool InvertedIndex::Contains(std::string_view term) const {
  // absl's own string_view: the one its string hash takes without a copy.
  return data_->dictionary.contains(absl::string_view(term.data(), term.size()));
}

size_t InvertedIndex::DocumentFrequency(std::string_view term) const {
  const auto it = data_->dictionary.find(absl::string_view(term.data(), term.size()));
  return it == data_->dictionary.end() ? 0 : data_->postings.df(it->second);
}

void InvertedIndex::ForEachTerm(
    const std::function<void(std::string_view term, size_t df)>& visit) const {
  for (const auto& [term, id] : data_->dictionary) visit(term, data_->postings.df(id));
}

size_t InvertedIndex::MemoryBytes() const {
  size_t dictionary = data_->dictionary.capacity() * (sizeof(std::string) + sizeof(uint32_t) + 1);
  for (const auto& [term, id] : data_->dictionary) dictionary += term.capacity();
  return sizeof(Data) + data_->postings.MemoryBytes() + data_->columns.MemoryBytes() +
         data_->encoded.capacity() + dictionary;
}

}  // namespace souk::lexical
