// souk dense: exact dense retrieval with a model directory over a catalog, for a queries file,
// written as a TREC run (the dense counterpart of `souk search --queries`).

#include <iostream>
#include <memory>

#include "cmd_util.h"
#include "commands.h"
#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/catalog/catalog.h"
#include "souk/catalog/product_reader.h"
#include "souk/eval/qrels.h"
#include "souk/train/dense_retrieval.h"

namespace souk::apps {
namespace {

constexpr char kDenseUsage[] =
    R"(usage: souk dense --model DIR --catalog FILE --queries QUERIES.tsv --output RUN
                  [--k 100] [--tag souk-dense] [--device auto|cpu|cuda|cuda:N] [--threads 0]
                  [--batch 64] [--no-spelling]

Embeds every product of the catalog and each `query_id<TAB>query` line with the model
directory, ranks products by cosine similarity and writes a TREC run (`qid Q0 docid rank score
tag`). A model that reads analyzed text (tokenizer_config.json "analyzer") gets each query's
terms spelling-corrected against the catalog's terms first, as `souk search` does;
--no-spelling leaves them as typed.
)";

absl::Status Dense(const Flags& flags) {
  SOUK_ASSIGN_OR_RETURN(auto products,
                        catalog::ReadProducts(flags.Get("catalog"), catalog::ReadOptions{}));
  SOUK_ASSIGN_OR_RETURN(auto catalog, catalog::Catalog::Create(std::move(products)));
  SOUK_ASSIGN_OR_RETURN(auto queries, eval::ReadQueriesTsv(flags.Get("queries")));
  SOUK_ASSIGN_OR_RETURN(int64_t k, flags.GetInt("k", 100));
  if (k < 1) return absl::InvalidArgumentError("--k: must be >= 1");
  train::DenseRetrievalOptions options;
  options.device = flags.Get("device", "auto");
  SOUK_ASSIGN_OR_RETURN(int64_t threads, flags.GetInt("threads", 0));
  options.threads = static_cast<int>(threads);
  SOUK_ASSIGN_OR_RETURN(options.batch_size, flags.GetInt("batch", 64));
  options.correct_spelling = !flags.Has("no-spelling");
  SOUK_ASSIGN_OR_RETURN(auto retriever,
                        train::DenseRetriever::Create(
                            flags.Get("model"),
                            std::shared_ptr<const catalog::Catalog>(std::move(catalog)), options));
  std::vector<std::string> texts;
  for (const eval::QueryLine& q : queries) texts.push_back(q.text);
  SOUK_ASSIGN_OR_RETURN(auto results, retriever->Search(texts, static_cast<size_t>(k)));
  std::vector<eval::RunEntry> run;
  for (size_t q = 0; q < queries.size(); ++q) {
    for (size_t r = 0; r < results[q].size(); ++r) {
      run.push_back({queries[q].id, results[q][r].first, r + 1, results[q][r].second});
    }
  }
  return WriteFileAtomically(flags.Get("output"),
                             eval::FormatTrecRun(run, flags.Get("tag", "souk-dense")));
}

}  // namespace

int RunDense(int argc, char** argv) {
  auto flags = Flags::Parse(argc, argv, 2,
                            {.with_value = {"model", "catalog", "queries", "output", "k", "tag",
                                            "device", "threads", "batch"},
                             .boolean = {"help", "no-spelling"}});
  if (!flags.ok()) return Fail("souk dense", flags.status());
  if (flags->Has("help")) return Usage(kDenseUsage, true);
  if (absl::Status s = flags->Require({"model", "catalog", "queries", "output"}); !s.ok()) {
    return Fail("souk dense", s);
  }
  absl::Status done = Dense(*flags);
  if (!done.ok()) return Fail("souk dense", done);
  return 0;
}

}  // namespace souk::apps
