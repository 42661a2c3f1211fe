#include "finetune_data_internal.h"
#include "query_tokens_internal.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/catalog/product_reader.h"
#include "souk/lexical/inverted_index.h"
#include "souk/text/analyzer.h"
#include "souk/train/dense_retrieval.h"
#include "souk/train/labeled_queries.h"

namespace souk::train::internal {
namespace {

absl::StatusOr<std::shared_ptr<const catalog::Catalog>> ReadCatalogs(
    const std::vector<std::string>& paths) {
  std::vector<catalog::Product> products;
  for (const std::string& path : paths) {
    SOUK_ASSIGN_OR_RETURN(std::vector<catalog::Product> more,
                          catalog::ReadProducts(path, catalog::ReadOptions{}));
    products.insert(products.end(), std::make_move_iterator(more.begin()),
                    std::make_move_iterator(more.end()));
  }
  if (products.empty()) return absl::FailedPreconditionError("catalog: no products");
  SOUK_ASSIGN_OR_RETURN(auto catalog, catalog::Catalog::Create(std::move(products)));
  return std::shared_ptr<const catalog::Catalog>(std::move(catalog));
}

void BuildPairs(const FinetuneOptions& options, const catalog::Catalog& catalog,
                FinetuneData& data) {
  data.positives.resize(data.train.size());
  for (size_t q = 0; q < data.train.size(); ++q) {
    // Sorted by product id: the pair order must not depend on hash-map iteration.
    std::vector<std::pair<std::string, double>> judged(data.train[q].judgments.begin(),
                                                       data.train[q].judgments.end());
    std::sort(judged.begin(), judged.end());
    for (const auto& [product_id, grade] : judged) {
      if (grade < options.positive_min_grade) continue;
      const uint32_t doc = catalog.Find(product_id)->value();
      data.positives[q].insert(doc);
      data.pairs.push_back({static_cast<uint32_t>(q), doc});
    }
  }
}

absl::Status MineHardNegatives(const FinetuneOptions& options, FinetuneData& data) {
  data.hard_negatives.resize(data.train.size());
  if (options.hard_negatives == 0) return absl::OkStatus();
  SOUK_ASSIGN_OR_RETURN(auto analyzer, text::Analyzer::Create({}));
  SOUK_ASSIGN_OR_RETURN(auto index, lexical::InvertedIndex::Build(*data.catalog, *analyzer,
                                                                  lexical::LexicalOptions{}));
  lexical::SearchOptions search;
  search.k = static_cast<size_t>(options.hard_negative_depth);
  for (size_t q = 0; q < data.train.size(); ++q) {
    const lexical::SearchResult result =
        index->Search(analyzer->Analyze(data.train[q].text), nullptr, search);
    for (const lexical::Hit& hit : result.hits) {
      if (!data.positives[q].contains(hit.doc.value())) {
        data.hard_negatives[q].push_back(hit.doc.value());
      }
    }
  }
  return absl::OkStatus();
}

std::vector<text::Encoding> EncodeQueries(const std::vector<eval::JudgedQuery>& queries,
                                          const QueryTokens& query_tokens, int64_t max_length) {
  std::vector<text::Encoding> out;
  out.reserve(queries.size());
  for (const eval::JudgedQuery& q : queries) {
    out.push_back(query_tokens.Encode(q.text, static_cast<size_t>(max_length)));
  }
  return out;
}

// 2-3 words of `words` drawn at random, in their order: "makita fan" from "Makita 18-Volt
// LXT Lithium-Ion Cordless Jobsite Fan", the way shoppers name a brand and a product type.
std::string WordSubset(const std::vector<std::string>& words, Rng& rng) {
  const size_t k = std::min<size_t>(words.size(), 2 + rng.Below(2));
  std::vector<size_t> picked;
  for (size_t i = 0; i < words.size() && picked.size() < k; ++i) {
    // Selection sampling (Knuth's algorithm S): each k-subset equally likely, in order.
    if (rng.Below(words.size() - i) < k - picked.size()) picked.push_back(i);
  }
  std::string crop = words[picked[0]];
  for (size_t i = 1; i < picked.size(); ++i) crop += " " + words[picked[i]];
  return crop;
}

// A random span of `text` (1-4 whole words; 2-6 characters of a text without spaces), or, for
// half the texts with spaces, an ordered subset of 2-3 of its words.
std::string CropText(const std::string& text, Rng& rng) {
  std::vector<std::string> words;
  for (size_t begin = 0; begin < text.size();) {
    const size_t end = std::min(text.find(' ', begin), text.size());
    if (end > begin) words.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  if (words.size() >= 3 && rng.Below(2) == 0) return WordSubset(words, rng);
  if (words.size() >= 2) {
    const size_t length = 1 + rng.Below(std::min<size_t>(4, words.size()));
    const size_t first = rng.Below(words.size() - length + 1);
    std::string crop = words[first];
    for (size_t i = first + 1; i < first + length; ++i) crop += " " + words[i];
    return crop;
  }
  // One "word": cut characters (code points), never bytes.
  std::vector<size_t> starts;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  if (starts.size() <= 2) return text;
  const size_t length = 2 + rng.Below(std::min<size_t>(5, starts.size() - 1));
  const size_t first = rng.Below(starts.size() - length + 1);
  const size_t end = first + length < starts.size() ? starts[first + length] : text.size();
  return text.substr(starts[first], end - starts[first]);
}

}  // namespace

PseudoQueries MakePseudoQueries(const catalog::Catalog& catalog, const text::Tokenizer& tokenizer,
                                int64_t count, int64_t max_query_length, Rng& rng) {
  PseudoQueries pseudo;
  for (int64_t i = 0; i < count; ++i) {
    const auto doc = static_cast<uint32_t>(rng.Below(catalog.size()));
    const std::string crop =
        CropText(catalog::ProductText(catalog.product(catalog::DocId(doc))), rng);
    pseudo.docs.push_back(doc);
    pseudo.queries.push_back(tokenizer.Encode(crop, static_cast<size_t>(max_query_length)));
    pseudo.texts.push_back(crop);
  }
  return pseudo;
}

absl::StatusOr<FinetuneData> LoadFinetuneData(const FinetuneOptions& options,
                                              const text::Tokenizer& tokenizer) {
  FinetuneData data;
  SOUK_ASSIGN_OR_RETURN(data.catalog, ReadCatalogs(options.catalogs));
  SOUK_ASSIGN_OR_RETURN(std::vector<eval::JudgedQuery> all,
                        ReadJudgedQueries(options.qrels, options.sessions, *data.catalog));
  QuerySplit split = SplitQueries(all, options.heldout_fraction, options.runtime.seed);
  data.train = std::move(split.train);
  data.heldout = std::move(split.heldout);
  BuildPairs(options, *data.catalog, data);
  if (data.pairs.empty()) {
    return absl::FailedPreconditionError(
        StrCat("no training pair: none of the ", data.train.size(),
               " training queries has a product graded >= ", options.positive_min_grade,
               " (--positive-min-grade)"));
  }
  SOUK_RETURN_IF_ERROR(MineHardNegatives(options, data));
  data.products.reserve(data.catalog->size());
  for (const catalog::Product& p : data.catalog->products()) {
    data.products.push_back(
        tokenizer.Encode(catalog::ProductText(p), static_cast<size_t>(options.max_product_length)));
  }
  SOUK_ASSIGN_OR_RETURN(const std::unique_ptr<QueryTokens> query_tokens,
                        QueryTokens::Create(*data.catalog, tokenizer, options.correct_spelling));
  data.train_queries = EncodeQueries(data.train, *query_tokens, options.max_query_length);
  data.heldout_queries = EncodeQueries(data.heldout, *query_tokens, options.max_query_length);
  SOUK_LOG_INFO("train", "finetune data: ", data.catalog->size(), " products, ", data.train.size(),
                " train queries (", data.pairs.size(), " pairs), ", data.heldout.size(),
                " held-out queries");
  return data;
}

}  // namespace souk::train::internal
