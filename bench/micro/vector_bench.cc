// Vector search latency and recall: ExactVectorIndex (one matrix product over every row, CPU)
// against HnswVectorIndex, side by side on the same rows and queries.
//
// Rows: 100,000 unit vectors of dim 128 around 1,000 random centres (seeded), the shape of
// product embeddings; queries: 1,000 more from the same centres. Each index is built once per
// process (the HNSW build time, m 16, ef_construction 200, one thread, is printed). Per query, one
// at a time (batch 1, as Search asks):
//  - BM_Exact: the exact top 10, unfiltered and with a filter allowing half the ids;
//  - BM_Hnsw/ef: the graph's top 10 at ef_search 50 / 100 / 200, with recall@10 against the
//    exact answers as a counter; the filtered variant shows the cost of post-filtering.
//
//   cmake --build build/bench --target vector_bench && build/bench/bench/vector_bench
//   SOUK_BENCH_VECTORS=index/vectors.soukvec build/bench/bench/vector_bench  # real embeddings

#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <random>
#include <set>
#include <vector>

#include "souk/vector/exact_index.h"
#include "souk/vector/hnsw_index.h"
#include "souk/vector/vector_file.h"

namespace souk::vector {
namespace {

constexpr size_t kDim = 128, kRows = 100000, kCentres = 1000, kQueries = 1000, kTopK = 10;

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "vector_bench: " << what << "\n";
  std::abort();
}

std::vector<float> Clustered(size_t n, uint32_t seed) {
  std::mt19937 centre_rng(7);  // the same centres for rows and queries
  std::normal_distribution<float> normal;
  std::vector<float> centres(kCentres * kDim);
  for (float& x : centres) x = normal(centre_rng);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<size_t> pick(0, kCentres - 1);
  std::vector<float> out(n * kDim);
  for (size_t r = 0; r < n; ++r) {
    const size_t c = pick(rng);
    float norm = 0;
    for (size_t d = 0; d < kDim; ++d) {
      float& x = out[r * kDim + d];
      x = centres[c * kDim + d] + 0.7f * normal(rng);
      norm += x * x;
    }
    for (size_t d = 0; d < kDim; ++d) out[r * kDim + d] /= std::sqrt(norm);
  }
  return out;
}

bool EvenId(uint32_t id) { return id % 2 == 0; }

// SOUK_BENCH_VECTORS=file.soukvec: that file's rows (an index's product embeddings), and 1,000
// of them sampled (seeded) as queries: neighbours of products, as SimilarItems asks for.
void LoadRows(std::vector<uint32_t>* ids, std::vector<float>* rows, std::vector<float>* queries,
              size_t* dim) {
  const char* path = std::getenv("SOUK_BENCH_VECTORS");
  if (path == nullptr) {
    for (size_t i = 0; i < kRows; ++i) ids->push_back(static_cast<uint32_t>(i));
    *rows = Clustered(kRows, 1);
    *queries = Clustered(kQueries, 2);
    *dim = kDim;
    return;
  }
  auto set = ReadVectorFile(path);
  if (!set.ok()) Die(std::string(set.status().message()));
  if (set->ids.size() < kQueries) Die("fewer vectors than queries");
  *ids = set->ids;
  *rows = set->values;
  *dim = set->dim;
  std::mt19937 rng(3);
  std::uniform_int_distribution<size_t> pick(0, set->ids.size() - 1);
  for (size_t q = 0; q < kQueries; ++q) {
    const size_t r = pick(rng);
    queries->insert(queries->end(), rows->begin() + r * *dim, rows->begin() + (r + 1) * *dim);
  }
  std::cerr << "vectors: " << ids->size() << " of dim " << *dim << " from " << path << "\n";
}

struct Data {
  std::vector<uint32_t> ids;
  std::vector<float> rows;
  std::vector<float> queries;
  size_t dim = 0;
  std::unique_ptr<ExactVectorIndex> exact;
  std::unique_ptr<HnswVectorIndex> hnsw;  // ef_search set per benchmark (they run one by one)
  std::vector<std::set<uint32_t>> truth, truth_even;  // exact top 10 per query

  Data() {
    LoadRows(&ids, &rows, &queries, &dim);
    auto e = ExactVectorIndex::Create(dim, {});
    if (!e.ok() || !(*e)->Add(ids, rows).ok()) Die("exact index");
    exact = std::move(*e);
    const auto start = std::chrono::steady_clock::now();
    auto h = HnswVectorIndex::Create(dim, {});
    if (!h.ok() || !(*h)->Add(ids, rows).ok()) Die("hnsw index");
    std::cerr << "hnsw build: " << ids.size() << " rows of dim " << dim << " in "
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()
              << " s (m 16, ef_construction 200, 1 thread)\n";
    hnsw = std::move(*h);
    truth = Truth({});
    truth_even = Truth(EvenId);
  }

  std::vector<std::set<uint32_t>> Truth(const IdFilter& filter) const {
    auto found = exact->Search(queries, kTopK, filter);
    if (!found.ok()) Die("exact search");
    std::vector<std::set<uint32_t>> out;
    for (const auto& list : *found) {
      out.emplace_back();
      for (const Neighbor& n : list) out.back().insert(n.id);
    }
    return out;
  }

  std::span<const float> Query(size_t q) const {
    return std::span<const float>(queries).subspan(q * dim, dim);
  }
};

const Data& TheData() {
  static const Data* data = new Data();
  return *data;
}

void RunQueries(benchmark::State& state, const VectorIndex& index, const IdFilter& filter,
                const std::vector<std::set<uint32_t>>& truth) {
  size_t q = 0, hits = 0, asked = 0;
  for (auto _ : state) {
    auto found = index.Search(TheData().Query(q), kTopK, filter);
    if (!found.ok()) Die("search");
    for (const Neighbor& n : (*found)[0]) hits += truth[q].count(n.id);
    asked += kTopK;
    q = (q + 1) % kQueries;
  }
  state.counters["recall@10"] = static_cast<double>(hits) / static_cast<double>(asked);
}

void BM_Exact(benchmark::State& state) {
  const Data& d = TheData();
  const bool filtered = state.range(0) != 0;
  RunQueries(state, *d.exact, filtered ? IdFilter(EvenId) : IdFilter(),
             filtered ? d.truth_even : d.truth);
}
BENCHMARK(BM_Exact)->ArgName("half_filtered")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_Hnsw(benchmark::State& state) {
  const Data& d = TheData();
  d.hnsw->set_ef_search(static_cast<size_t>(state.range(0)));
  const bool filtered = state.range(1) != 0;
  RunQueries(state, *d.hnsw, filtered ? IdFilter(EvenId) : IdFilter(),
             filtered ? d.truth_even : d.truth);
}
BENCHMARK(BM_Hnsw)
    ->ArgNames({"ef", "half_filtered"})
    ->ArgsProduct({{50, 100, 200}, {0, 1}})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace souk::vector

BENCHMARK_MAIN();
