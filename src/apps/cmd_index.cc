// souk index: catalog file -> index directory.

#include <chrono>
#include <iostream>

#include "cmd_util.h"
#include "commands.h"
#include "souk/catalog/product_reader.h"
#include "souk/engine/index_directory.h"

namespace souk::apps {

namespace {
constexpr char kUsage[] =
    R"(usage: souk index --catalog FILE --out DIR [--config FILE] [--set k=v ...]
                  [--model DIR] [--threads N] [--expander DIR] [--skip-malformed]

Reads FILE (.jsonl or .tsv, docs/formats/catalog.md) and writes the index directory DIR
(docs/formats/index-dir.md), replacing it only once complete. Analyzer and BM25F settings come
from --config (the server's YAML) or the defaults. With an encoder (--model DIR, or the
config's encoder.model_dir) every product is embedded too, for dense retrieval; --threads sets
the encoder's threads for that (default: the config's). With an expander (--expander DIR, a
masked-LM model as `souk train pretrain` writes, or the config's expansion.model_dir) each
product's expansion field gets the words the model predicts for its title (docs/search.md,
"Document expansion"; settings under expansion.* in the config or --set).
--skip-malformed skips and counts bad lines instead of stopping at the first.
)";
}  // namespace

int RunIndex(int argc, char** argv) {
  auto flags = Flags::Parse(
      argc, argv, 2,
      {.with_value = {"catalog", "out", "config", "set", "model", "threads", "expander"},
       .boolean = {"skip-malformed", "help"}});
  if (!flags.ok()) return Fail("souk index", flags.status());
  if (flags->Has("help") || !flags->Require({"catalog", "out"}).ok()) {
    return Usage(kUsage, flags->Has("help"));
  }
  auto cfg = ConfigFromFlags(*flags, flags->Get("out"));
  if (!cfg.ok()) return Fail("souk index", cfg.status());
  if (flags->Has("model")) cfg->snapshot.encoder.model_dir = flags->Get("model");
  if (flags->Has("expander")) cfg->snapshot.expansion.model_dir = flags->Get("expander");
  auto threads = flags->GetInt("threads", cfg->snapshot.encoder.threads);
  if (!threads.ok()) return Fail("souk index", threads.status());
  cfg->snapshot.encoder.threads = static_cast<int>(*threads);

  const auto start = std::chrono::steady_clock::now();
  catalog::ReadOptions read_options;
  read_options.skip_malformed = flags->Has("skip-malformed");
  catalog::ReadReport report;
  auto products = catalog::ReadProducts(flags->Get("catalog"), read_options, &report);
  if (!products.ok()) return Fail("souk index", products.status());
  for (const std::string& e : report.errors) std::cerr << "skipped " << e << "\n";

  auto summary = engine::WriteIndexDirectory(std::move(*products), cfg->snapshot);
  if (!summary.ok()) return Fail("souk index", summary.status());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "indexed " << summary->manifest.products << " products (" << report.skipped
            << " malformed lines skipped), " << summary->terms << " terms, "
            << summary->lexical_bytes / 1024 << " KiB lexical index";
  if (!summary->manifest.vectors_model.empty()) {
    std::cout << ", " << summary->manifest.products << " vectors of dim "
              << summary->manifest.vectors_dim << " (embedded in " << summary->embedding_seconds
              << " s)";
  }
  if (!summary->manifest.expansion_model.empty()) {
    std::cout << ", expansion words for " << summary->expanded_products << " products (in "
              << summary->expansion_seconds << " s)";
  }
  if (summary->manifest.vectors_hnsw) {
    std::cout << ", HNSW graph (built in " << summary->hnsw_seconds << " s)";
  }
  std::cout << ", in " << seconds << " s -> " << cfg->snapshot.index_dir << "\n";
  return 0;
}

}  // namespace souk::apps
