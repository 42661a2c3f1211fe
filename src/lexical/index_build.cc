// Building: analyze every product's fields and encode the index file (format version 2,
// docs/formats/lexical-index.md), which InitIndexData then decodes like a loaded file.

#include <algorithm>
#include <array>
#include <chrono>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "index_data_internal.h"
#include "index_format_internal.h"
#include "souk/base/file_util.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"

namespace souk::lexical {
namespace internal {
namespace {

// One term occurrence in the document being indexed.
struct Occurrence {
  TermId term;
  uint8_t field;
  auto operator<=>(const Occurrence&) const = default;
};

// Postings of every term, encoded as they will be written: DocId gap, field mask, tf per field.
class PostingsEncoder {
 public:
  TermId Intern(std::string&& term) {
    auto [it, inserted] = ids_.try_emplace(std::move(term), static_cast<TermId>(terms_.size()));
    if (inserted) terms_.emplace_back();
    return it->second;
  }

  // `occurrences` of document `doc` (DocIds arrive in increasing order); sorts them.
  void AddDocument(uint32_t doc, std::vector<Occurrence>* occurrences) {
    std::sort(occurrences->begin(), occurrences->end());
    for (size_t i = 0; i < occurrences->size();) {
      const TermId term = (*occurrences)[i].term;
      std::array<uint32_t, kNumFields> tf{};
      for (; i < occurrences->size() && (*occurrences)[i].term == term; ++i) {
        ++tf[(*occurrences)[i].field];
      }
      Append(term, doc, tf);
    }
  }

  // Terms in byte order, each with its df and encoded postings.
  void Write(std::string* out) const {
    std::vector<std::pair<std::string_view, TermId>> sorted;
    sorted.reserve(ids_.size());
    for (const auto& [term, id] : ids_) sorted.emplace_back(term, id);
    std::sort(sorted.begin(), sorted.end());
    for (const auto& [term, id] : sorted) {
      PutVarint(term.size(), out);
      out->append(term);
      PutVarint(terms_[id].df, out);
      out->append(terms_[id].postings);
    }
  }

  size_t num_terms() const { return terms_.size(); }
  uint64_t num_postings() const { return num_postings_; }

 private:
  struct TermPostings {
    std::string postings;
    uint32_t df = 0;
    uint32_t last_doc = 0;
  };

  void Append(TermId term, uint32_t doc, const std::array<uint32_t, kNumFields>& tf) {
    TermPostings& t = terms_[term];
    PutVarint(t.df == 0 ? doc : doc - t.last_doc, &t.postings);
    uint8_t mask = 0;
    for (size_t f = 0; f < kNumFields; ++f) mask |= static_cast<uint8_t>(tf[f] > 0 ? 1u << f : 0);
    t.postings.push_back(static_cast<char>(mask));
    for (size_t f = 0; f < kNumFields; ++f) {
      if (tf[f] > 0) PutVarint(tf[f], &t.postings);
    }
    ++t.df;
    t.last_doc = doc;
    ++num_postings_;
  }

  absl::flat_hash_map<std::string, TermId> ids_;
  std::vector<TermPostings> terms_;
  uint64_t num_postings_ = 0;
};

// Analyzes one field's text into `occurrences`; returns the number of terms (its length).
uint32_t AddField(const text::Analyzer& analyzer, Field field, std::string_view text,
                  PostingsEncoder* encoder, std::vector<Occurrence>* occurrences) {
  if (text.empty()) return 0;
  std::vector<std::string> terms = analyzer.Analyze(text);
  for (std::string& term : terms) {
    occurrences->push_back({encoder->Intern(std::move(term)), static_cast<uint8_t>(field)});
  }
  return static_cast<uint32_t>(terms.size());
}

// The expansion's terms that the product's own fields (already in `occurrences`) lack, each
// once: a predicted term adds evidence only where the shop's text has none, and one the title
// already holds would otherwise count twice in the pseudo-frequency. Interning a term the
// product holds creates nothing (it is interned already), so no term is left without postings.
uint32_t AddExpansion(const text::Analyzer& analyzer, std::string_view text,
                      PostingsEncoder* encoder, std::vector<Occurrence>* occurrences) {
  if (text.empty()) return 0;
  absl::flat_hash_set<TermId> held;
  for (const Occurrence& o : *occurrences) held.insert(o.term);
  uint32_t added = 0;
  for (std::string& term : analyzer.Analyze(text)) {
    const TermId id = encoder->Intern(std::move(term));
    if (!held.insert(id).second) continue;
    occurrences->push_back({id, static_cast<uint8_t>(Field::kExpansion)});
    ++added;
  }
  return added;
}

// Field lengths of one product, appending its term occurrences.
std::array<uint32_t, kNumFields> AnalyzeProduct(const catalog::Product& p,
                                                const text::Analyzer& analyzer,
                                                PostingsEncoder* encoder,
                                                std::vector<Occurrence>* occurrences) {
  std::array<uint32_t, kNumFields> len{};
  auto add = [&](Field f, std::string_view text) {
    len[static_cast<size_t>(f)] += AddField(analyzer, f, text, encoder, occurrences);
  };
  add(Field::kTitle, p.title);
  add(Field::kBrand, p.brand);
  // Each level separately, so that no term spans two levels.
  for (const std::string& level : p.category_path) add(Field::kCategory, level);
  // Values only: names ("color", "width") are shared by whole categories, so they would add
  // postings without evidence; the value ("white") is what a query names.
  for (const catalog::Attribute& a : p.attributes) add(Field::kAttributes, a.value);
  add(Field::kDescription, p.description);
  len[static_cast<size_t>(Field::kExpansion)] =
      AddExpansion(analyzer, p.expansion, encoder, occurrences);
  return len;
}

}  // namespace

std::string EncodeCatalog(const catalog::Catalog& catalog, const text::Analyzer& analyzer) {
  PostingsEncoder encoder;
  std::string lengths;
  std::vector<Occurrence> occurrences;
  const std::vector<catalog::Product>& products = catalog.products();
  for (uint32_t doc = 0; doc < products.size(); ++doc) {
    occurrences.clear();
    for (uint32_t len : AnalyzeProduct(products[doc], analyzer, &encoder, &occurrences)) {
      PutVarint(len, &lengths);
    }
    encoder.AddDocument(doc, &occurrences);
  }
  const std::string fingerprint = analyzer.Fingerprint();
  std::string out(kIndexMagic);
  PutU32(kIndexFormatVersion, &out);
  PutU32(static_cast<uint32_t>(products.size()), &out);
  PutU32(static_cast<uint32_t>(kNumFields), &out);
  PutU32(static_cast<uint32_t>(encoder.num_terms()), &out);
  PutU64(encoder.num_postings(), &out);
  PutU32(static_cast<uint32_t>(fingerprint.size()), &out);
  out.append(fingerprint);
  out.append(lengths);
  encoder.Write(&out);
  PutU32(Crc32(out), &out);
  return out;
}

}  // namespace internal

absl::StatusOr<std::unique_ptr<InvertedIndex>> InvertedIndex::Build(const catalog::Catalog& catalog,
                                                                    const text::Analyzer& analyzer,
                                                                    const LexicalOptions& options) {
  SOUK_RETURN_IF_ERROR(Annotate(options.Validate(), "lexical options"));
  if (catalog.size() >= internal::kEndDoc) {
    return absl::InvalidArgumentError(
        StrCat("lexical index: catalog of ", catalog.size(), " products is too large"));
  }
  const auto start = std::chrono::steady_clock::now();
  auto data = std::make_unique<Data>();
  SOUK_RETURN_IF_ERROR(Annotate(internal::InitIndexData(internal::EncodeCatalog(catalog, analyzer),
                                                        catalog, analyzer, options, data.get()),
                                "building lexical index"));
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  SOUK_LOG_INFO("lexical", "built index: ", data->num_docs, " docs, ", data->postings.num_terms(),
                " terms, ", data->postings.docs.size() - data->postings.num_terms(),
                " postings in ", ms, " ms");
  return std::unique_ptr<InvertedIndex>(new InvertedIndex(std::move(data)));
}

}  // namespace souk::lexical
