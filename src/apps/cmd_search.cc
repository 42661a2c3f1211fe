// souk search: one query as a readable table, or a queries file as a TREC run.

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "absl/strings/str_join.h"
#include "cmd_util.h"
#include "commands.h"
#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/catalog/product.h"
#include "souk/engine/search_engine.h"
#include "souk/engine/snapshot.h"
#include "souk/eval/qrels.h"

namespace souk::apps {

namespace {
constexpr char kUsage[] =
    R"(usage: souk search --index DIR [--k N] [--config FILE] [--set k=v ...] "a query"
       souk search --index DIR --queries QUERIES.tsv --output RUN [--k N] [--tag TAG] [...]

The first form prints the top N (default 10) as a table, and the query's terms as the index
searched them (spelling corrected, synonyms and rewrites added) to stderr. The second reads
`query_id<TAB>query` lines (no header) and writes a TREC run (`qid Q0 docid rank score tag`).
)";

void PrintTable(const engine::SearchPage& page) {
  std::vector<ResultRow> rows;
  for (const engine::ResultItem& item : page.items) rows.push_back({item.product, item.score});
  PrintResultTable(rows);
}

absl::Status WriteRun(const engine::SearchEngine& engine, const Flags& flags, int64_t k) {
  SOUK_ASSIGN_OR_RETURN(auto queries, eval::ReadQueriesTsv(flags.Get("queries")));
  std::vector<eval::RunEntry> run;
  size_t skipped = 0;
  const auto start = std::chrono::steady_clock::now();
  for (const eval::QueryLine& q : queries) {
    engine::SearchQuery query;
    query.query = q.text;
    query.page_size = k;
    absl::StatusOr<engine::SearchPage> page = engine.Search(query);
    if (!page.ok()) {
      std::cerr << "query " << q.id << " skipped: " << page.status() << "\n";
      ++skipped;
      continue;
    }
    for (size_t i = 0; i < page->items.size(); ++i) {
      run.push_back({q.id, page->items[i].product->id, i + 1, page->items[i].score});
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  SOUK_RETURN_IF_ERROR(WriteFileAtomically(
      flags.Get("output"), eval::FormatTrecRun(run, flags.Get("tag", "souk-bm25"))));
  std::cerr << "searched " << queries.size() - skipped << " queries (" << skipped << " skipped) in "
            << seconds << " s -> " << flags.Get("output") << "\n";
  return absl::OkStatus();
}

}  // namespace

int RunSearch(int argc, char** argv) {
  auto flags =
      Flags::Parse(argc, argv, 2,
                   {.with_value = {"index", "k", "config", "set", "queries", "output", "tag"},
                    .boolean = {"help"}});
  if (!flags.ok()) return Fail("souk search", flags.status());
  const bool run_mode = flags->Has("queries");
  if (flags->Has("help") || !flags->Has("index") ||
      (run_mode ? !flags->Has("output") : flags->positional().size() != 1)) {
    return Usage(kUsage, flags->Has("help"));
  }
  auto k = flags->GetInt("k", 10);
  if (!k.ok()) return Fail("souk search", k.status());
  if (*k < 1 || *k > 100000) {
    return Fail("souk search", absl::InvalidArgumentError("--k must be in 1..100000"));
  }
  auto cfg = ConfigFromFlags(*flags, flags->Get("index"));
  if (!cfg.ok()) return Fail("souk search", cfg.status());
  cfg->search.max_page_size = std::max<size_t>(cfg->search.max_page_size, *k);
  cfg->search.max_result_window =
      std::max(cfg->search.max_result_window, cfg->search.max_page_size);
  auto snapshot = engine::Snapshot::Load(cfg->snapshot);
  if (!snapshot.ok()) return Fail("souk search", snapshot.status());
  auto engine = engine::SearchEngine::Create(cfg->search, *snapshot);
  if (!engine.ok()) return Fail("souk search", engine.status());

  if (run_mode) {
    absl::Status s = WriteRun(**engine, *flags, *k);
    return s.ok() ? 0 : Fail("souk search", s);
  }
  engine::SearchQuery query;
  query.query = flags->positional()[0];
  query.page_size = *k;
  auto page = (*engine)->Search(query);
  if (!page.ok()) return Fail("souk search", page.status());
  // What the index searched for: the analyzed terms after spelling, synonyms and rewrites.
  std::cerr << "query terms: " << absl::StrJoin((*snapshot)->QueryTerms(query.query), " ") << "\n";
  PrintTable(*page);
  return 0;
}

}  // namespace souk::apps
