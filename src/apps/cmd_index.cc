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
                  [--skip-malformed]

Reads FILE (.jsonl or .tsv, docs/formats/catalog.md) and writes the index directory DIR
(docs/formats/index-dir.md), replacing it only once complete. Analyzer and BM25F settings come
from --config (the server's YAML) or the defaults. --skip-malformed skips and counts bad lines
instead of stopping at the first.
)";
}  // namespace

int RunIndex(int argc, char** argv) {
  auto flags = Flags::Parse(
      argc, argv, 2,
      {.with_value = {"catalog", "out", "config", "set"}, .boolean = {"skip-malformed", "help"}});
  if (!flags.ok()) return Fail("souk index", flags.status());
  if (flags->Has("help") || !flags->Require({"catalog", "out"}).ok()) {
    return Usage(kUsage, flags->Has("help"));
  }
  auto cfg = ConfigFromFlags(*flags, flags->Get("out"));
  if (!cfg.ok()) return Fail("souk index", cfg.status());

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
            << summary->lexical_bytes / 1024 << " KiB lexical index, in " << seconds << " s -> "
            << cfg->snapshot.index_dir << "\n";
  return 0;
}

}  // namespace souk::apps
