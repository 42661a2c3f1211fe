// BM25F top-k latency: MaxScore (InvertedIndex::Search) against exhaustive scoring and against
// Xapian 1.4's BM25 (the peer a shop would otherwise embed), top 10 and top 100, on two corpora:
//  - Home Depot titles (54,667 products) with the development queries of dev-qrels.tsv, read from
//    $SOUK_SHARED_DATA (default: the configured ../shared/data); skipped when absent;
//  - a generated catalog of 1M products: titles of 6-10 English-like words drawn from a seeded
//    Zipfian vocabulary (s = 1, 50,000 words), queries of 2-3 words taken from random titles.
// Each iteration is one query (cycling through the set); items_per_second is the single-thread
// QPS. Index building and query analysis happen once, outside the timings.
// Xapian indexes the same analyzed terms (so both match alike) in a glass database in the temp
// directory, compacted and warm in the page cache after building; BM25 with Souk's k1 1.2 and b
// 0.75. Its benchmarks report top10_overlap: the mean share of Souk's top 10 that Xapian's top 10
// holds.
//
//   cmake -S . -B build-rel -G Ninja -DCMAKE_BUILD_TYPE=Release -DSOUK_BUILD_BENCH=ON
//   ninja -C build-rel bm25_bench && ./build-rel/bench/bm25_bench
//   SOUK_BENCH_DOCS=200000 ./build-rel/bench/bm25_bench   # a smaller generated catalog

#include <benchmark/benchmark.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "souk/catalog/catalog.h"
#include "souk/catalog/product_reader.h"
#include "souk/lexical/inverted_index.h"
#include "souk/text/analyzer.h"

namespace souk::lexical {
namespace {

struct Corpus {
  std::unique_ptr<catalog::Catalog> catalog;
  std::unique_ptr<InvertedIndex> index;
  std::vector<std::vector<std::string>> queries;  // analyzed
  std::string error;                              // why the corpus is unavailable
};

const text::Analyzer& BenchAnalyzer() {
  static const std::unique_ptr<text::Analyzer> analyzer = [] {
    auto created = text::Analyzer::Create({});
    if (!created.ok()) {
      std::cerr << created.status() << "\n";
      std::abort();
    }
    return *std::move(created);
  }();
  return *analyzer;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void BuildIndex(const char* name, Corpus* corpus) {
  const auto start = std::chrono::steady_clock::now();
  auto index = InvertedIndex::Build(*corpus->catalog, BenchAnalyzer(), {});
  if (!index.ok()) {
    corpus->error = std::string(index.status().message());
    return;
  }
  corpus->index = *std::move(index);
  std::cerr << name << ": " << corpus->index->num_docs() << " docs, " << corpus->index->num_terms()
            << " terms, " << corpus->index->MemoryBytes() / (1 << 20) << " MiB, built in "
            << SecondsSince(start) << " s; " << corpus->queries.size() << " queries\n";
}

std::string SharedData() {
  const char* env = std::getenv("SOUK_SHARED_DATA");
  return env != nullptr ? env : SOUK_SHARED_DATA_DIR;
}

// ---- Home Depot ----

Corpus LoadHomeDepot() {
  Corpus corpus;
  const std::string dir = SharedData() + "/homedepot/";
  auto products = catalog::ReadProducts(dir + "products.tsv", {});
  if (!products.ok()) {
    corpus.error = std::string(products.status().message());
    return corpus;
  }
  auto created = catalog::Catalog::Create(*std::move(products));
  if (!created.ok()) {
    corpus.error = std::string(created.status().message());
    return corpus;
  }
  corpus.catalog = *std::move(created);
  // dev-qrels.tsv: query_id, query, product_uid, relevance; one line per judged pair.
  std::ifstream qrels(dir + "dev-qrels.tsv");
  absl::flat_hash_set<std::string> seen;
  std::string line;
  std::getline(qrels, line);  // header
  while (std::getline(qrels, line)) {
    const size_t a = line.find('\t');
    const size_t b = line.find('\t', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    std::string query = line.substr(a + 1, b - a - 1);
    if (!seen.insert(query).second) continue;
    if (auto terms = BenchAnalyzer().Analyze(query); !terms.empty()) {
      corpus.queries.push_back(std::move(terms));
    }
  }
  BuildIndex("homedepot", &corpus);
  return corpus;
}

// ---- generated catalog ----

// English-like words from syllables: "delmor", "tarvine", ...
std::vector<std::string> MakeVocabulary(size_t n, std::mt19937_64& rng) {
  static constexpr const char* kOnsets[] = {
      "b", "c",  "d",  "f",  "g",  "h",  "j",  "k",  "l",  "m",  "n",  "p",  "r",  "s",  "t", "v",
      "w", "br", "cl", "dr", "fl", "gr", "pl", "st", "tr", "sh", "ch", "th", "sp", "sk", "",  "qu"};
  static constexpr const char* kNuclei[] = {"a", "e", "i", "o", "u", "ai", "ea", "oo", "ou", "ie"};
  static constexpr const char* kCodas[] = {"",   "",   "n",  "r",  "l",  "s", "t",  "m",
                                           "nd", "st", "ck", "ng", "rt", "x", "ll", "sh"};
  auto pick = [&](const auto& options) {
    return options[std::uniform_int_distribution<size_t>(0, std::size(options) - 1)(rng)];
  };
  absl::flat_hash_set<std::string> seen;
  std::vector<std::string> words;
  while (words.size() < n) {
    std::string word;
    const int syllables = std::uniform_int_distribution<int>(1, 3)(rng);
    for (int s = 0; s < syllables; ++s) {
      word.append(pick(kOnsets)).append(pick(kNuclei)).append(pick(kCodas));
    }
    if (word.size() >= 3 && seen.insert(word).second) words.push_back(std::move(word));
  }
  return words;
}

size_t GeneratedSize() {
  const char* env = std::getenv("SOUK_BENCH_DOCS");
  return env != nullptr ? std::strtoul(env, nullptr, 10) : 1'000'000;
}

Corpus MakeGenerated() {
  Corpus corpus;
  std::mt19937_64 rng(20240611);
  const std::vector<std::string> vocabulary = MakeVocabulary(50'000, rng);
  std::vector<double> weights(vocabulary.size());
  for (size_t i = 0; i < weights.size(); ++i) weights[i] = 1.0 / static_cast<double>(i + 1);
  std::discrete_distribution<size_t> zipf(weights.begin(), weights.end());
  std::uniform_int_distribution<int> title_words(6, 10);
  const size_t n = GeneratedSize();
  std::vector<catalog::Product> products(n);
  for (size_t i = 0; i < n; ++i) {
    products[i].id = std::to_string(i);
    const int words = title_words(rng);
    for (int w = 0; w < words; ++w) {
      if (w > 0) products[i].title += ' ';
      products[i].title += vocabulary[zipf(rng)];
    }
  }
  // Queries: 2-3 words of a random title, as users type words they saw.
  std::uniform_int_distribution<size_t> any_product(0, n - 1);
  for (int q = 0; q < 2000; ++q) {
    std::vector<std::string> words = BenchAnalyzer().Analyze(products[any_product(rng)].title);
    std::shuffle(words.begin(), words.end(), rng);
    words.resize(std::min<size_t>(words.size(), std::uniform_int_distribution<size_t>(2, 3)(rng)));
    corpus.queries.push_back(std::move(words));
  }
  auto created = catalog::Catalog::Create(std::move(products));
  if (!created.ok()) {
    corpus.error = std::string(created.status().message());
    return corpus;
  }
  corpus.catalog = *std::move(created);
  BuildIndex("generated", &corpus);
  return corpus;
}

const Corpus& HomeDepot() {
  static const Corpus corpus = LoadHomeDepot();
  return corpus;
}

const Corpus& Generated() {
  static const Corpus corpus = MakeGenerated();
  return corpus;
}

// ---- Xapian, the peer ----

struct XapianPeer {
  std::filesystem::path dir;             // its databases; removed with the peer
  std::unique_ptr<Xapian::Database> db;  // read-only, opened after building
  std::vector<Xapian::Query> queries;    // OR of the analyzed terms, as Souk's queries
  double top10_overlap = 0;
  std::string error;

  XapianPeer() = default;
  XapianPeer(const XapianPeer&) = delete;
  XapianPeer& operator=(const XapianPeer&) = delete;
  ~XapianPeer() {
    db.reset();
    std::error_code ignored;
    if (!dir.empty()) std::filesystem::remove_all(dir, ignored);
  }
};

Xapian::Enquire MakeEnquire(const Xapian::Database& db) {
  Xapian::Enquire enquire(db);
  // k1, k2 (query length correction: none, as Souk), k3 (query term frequency), b, min_normlen.
  enquire.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5));
  return enquire;
}

// Mean over the queries with a hit of |Souk's top 10 ∩ Xapian's top 10| / |Souk's top 10|. Xapian's
// docid d is the catalog's document d - 1 (added in order to a new database).
double TopTenOverlap(const Corpus& corpus, const XapianPeer& peer) {
  Xapian::Enquire enquire = MakeEnquire(*peer.db);
  SearchOptions options;
  options.k = 10;
  double sum = 0;
  size_t counted = 0;
  for (size_t q = 0; q < corpus.queries.size(); ++q) {
    const SearchResult souk = corpus.index->Search(corpus.queries[q], nullptr, options);
    enquire.set_query(peer.queries[q]);
    const Xapian::MSet mset = enquire.get_mset(0, 10);
    size_t shared = 0;
    if (souk.hits.empty()) continue;
    for (const Hit& hit : souk.hits) {
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        shared += (*it - 1 == hit.doc.value()) ? 1 : 0;
      }
    }
    sum += static_cast<double>(shared) / static_cast<double>(souk.hits.size());
    ++counted;
  }
  return counted == 0 ? 0 : sum / static_cast<double>(counted);
}

// Xapian's index of `corpus`, or a peer whose error says why there is none.
std::unique_ptr<XapianPeer> BuildXapian(const std::string& name, const Corpus& corpus) {
  auto peer = std::make_unique<XapianPeer>();
  if (!corpus.error.empty()) {
    peer->error = corpus.error;
    return peer;
  }
  const auto start = std::chrono::steady_clock::now();
  try {
    peer->dir = std::filesystem::temp_directory_path() /
                ("souk-bench-xapian-" + name + "-" + std::to_string(getpid()));
    const std::filesystem::path built = peer->dir / "built";
    const std::filesystem::path compacted = peer->dir / "compacted";
    std::filesystem::create_directories(peer->dir);
    Xapian::WritableDatabase writer(built.string(), Xapian::DB_CREATE_OR_OVERWRITE);
    for (const catalog::Product& product : corpus.catalog->products()) {
      Xapian::Document doc;
      for (const std::string& term : BenchAnalyzer().Analyze(product.title)) doc.add_term(term);
      writer.add_document(doc);
    }
    writer.commit();
    writer.close();
    // Compacted, as Xapian's documentation advises for a database that is searched, not
    // updated: full B-tree blocks, fewer reads per posting list.
    Xapian::Database(built.string()).compact(compacted.string());
    std::filesystem::remove_all(built);
    peer->db = std::make_unique<Xapian::Database>(compacted.string());
    for (const std::vector<std::string>& terms : corpus.queries) {
      peer->queries.emplace_back(Xapian::Query::OP_OR, terms.begin(), terms.end());
    }
    peer->top10_overlap = TopTenOverlap(corpus, *peer);
  } catch (const Xapian::Error& e) {
    peer->error = e.get_description();
    return peer;
  }
  std::cerr << name << " (Xapian " << Xapian::version_string() << "): " << peer->db->get_doccount()
            << " docs, built in " << SecondsSince(start)
            << " s (with the overlap check); top-10 overlap with Souk " << peer->top10_overlap
            << "\n";
  return peer;
}

// The peers are destroyed at exit, which removes their database directories.
const XapianPeer& HomeDepotXapian() {
  static const std::unique_ptr<XapianPeer> peer = BuildXapian("homedepot", HomeDepot());
  return *peer;
}

const XapianPeer& GeneratedXapian() {
  static const std::unique_ptr<XapianPeer> peer = BuildXapian("generated", Generated());
  return *peer;
}

// ---- benchmarks ----

void RunQueries(benchmark::State& state, const Corpus& corpus, bool exhaustive) {
  if (!corpus.error.empty()) {
    state.SkipWithError(corpus.error.c_str());
    return;
  }
  SearchOptions options;
  options.k = static_cast<size_t>(state.range(0));
  size_t q = 0;
  size_t hits = 0;
  for (auto _ : state) {
    const std::vector<std::string>& terms = corpus.queries[q];
    q = q + 1 == corpus.queries.size() ? 0 : q + 1;
    SearchResult result = exhaustive ? corpus.index->SearchExhaustive(terms, nullptr, options)
                                     : corpus.index->Search(terms, nullptr, options);
    hits += result.hits.size();
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["hits_per_query"] =
      static_cast<double>(hits) / static_cast<double>(std::max<int64_t>(1, state.iterations()));
}

void RunXapianQueries(benchmark::State& state, const XapianPeer& peer) {
  if (!peer.error.empty()) {
    state.SkipWithError(peer.error.c_str());
    return;
  }
  Xapian::Enquire enquire = MakeEnquire(*peer.db);
  const auto k = static_cast<Xapian::doccount>(state.range(0));
  size_t q = 0;
  size_t hits = 0;
  for (auto _ : state) {
    enquire.set_query(peer.queries[q]);
    q = q + 1 == peer.queries.size() ? 0 : q + 1;
    Xapian::MSet mset = enquire.get_mset(0, k);
    hits += mset.size();
    benchmark::DoNotOptimize(mset);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["hits_per_query"] =
      static_cast<double>(hits) / static_cast<double>(std::max<int64_t>(1, state.iterations()));
  state.counters["top10_overlap"] = peer.top10_overlap;
}

void BM_HomeDepotMaxScore(benchmark::State& state) { RunQueries(state, HomeDepot(), false); }
void BM_HomeDepotExhaustive(benchmark::State& state) { RunQueries(state, HomeDepot(), true); }
void BM_GeneratedMaxScore(benchmark::State& state) { RunQueries(state, Generated(), false); }
void BM_GeneratedExhaustive(benchmark::State& state) { RunQueries(state, Generated(), true); }
void BM_HomeDepotXapian(benchmark::State& state) { RunXapianQueries(state, HomeDepotXapian()); }
void BM_GeneratedXapian(benchmark::State& state) { RunXapianQueries(state, GeneratedXapian()); }

BENCHMARK(BM_HomeDepotMaxScore)->Arg(10)->Arg(100)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_HomeDepotExhaustive)->Arg(10)->Arg(100)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_HomeDepotXapian)->Arg(10)->Arg(100)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_GeneratedMaxScore)->Arg(10)->Arg(100)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_GeneratedExhaustive)->Arg(10)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_GeneratedXapian)->Arg(10)->Arg(100)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace souk::lexical

BENCHMARK_MAIN();
