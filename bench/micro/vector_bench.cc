// Vector search latency and recall: ExactVectorIndex (one matrix product over every row, CPU)
// against HnswVectorIndex, and FAISS's indexes as peers, side by side on the same rows and
// queries.
//
// Rows: 100,000 unit vectors of dim 128 around 1,000 random centres (seeded), the shape of
// product embeddings; queries: 1,000 more from the same centres. Each index is built when its
// first benchmark runs (build times are printed), so --benchmark_filter also chooses what gets
// built. Per query, one at a time (batch 1, as Search asks), one thread:
//  - BM_Exact: the exact top 10, unfiltered and with a filter allowing half the ids;
//  - BM_Hnsw/ef: the graph's top 10 at ef_search 50 / 100 / 200, with recall@10 against the
//    exact answers as a counter; the filtered variant shows the cost of post-filtering;
//  - BM_FaissFlat: FAISS's exact IndexFlatIP;
//  - BM_FaissHnsw/ef: FAISS's IndexHNSWFlat with the same m 16 and ef_construction 200;
//  - BM_FaissIvfFlat/nprobe and BM_FaissIvfPq/nprobe: inverted lists over sqrt(rows) k-means
//    cells, with full vectors or 8-bit product-quantized codes (dim / 8 bytes per row).
//
//   cmake --build build/bench --target vector_bench && build/bench/bench/vector_bench
//   SOUK_BENCH_VECTORS=index/vectors.soukvec build/bench/bench/vector_bench  # real embeddings

#include <benchmark/benchmark.h>
#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/IndexIVFPQ.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <functional>
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
  std::vector<std::set<uint32_t>> truth, truth_even;  // exact top 10 per query

  Data() {
    LoadRows(&ids, &rows, &queries, &dim);
    auto e = ExactVectorIndex::Create(dim, {});
    if (!e.ok() || !(*e)->Add(ids, rows).ok()) Die("exact index");
    exact = std::move(*e);
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

// Runs `build` and prints how long it took.
template <typename T>
T* Timed(const std::string& what, const std::function<T*()>& build) {
  const auto start = std::chrono::steady_clock::now();
  T* built = build();
  std::cerr << what << ": " << TheData().ids.size() << " rows of dim " << TheData().dim
            << " built in "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()
            << " s\n";
  return built;
}

// ef_search is set per benchmark (they run one by one).
HnswVectorIndex& TheHnsw() {
  static HnswVectorIndex* hnsw =
      Timed<HnswVectorIndex>("hnsw (m 16, ef_construction 200, 1 thread)", [] {
        auto h = HnswVectorIndex::Create(TheData().dim, {});
        if (!h.ok() || !(*h)->Add(TheData().ids, TheData().rows).ok()) Die("hnsw index");
        return h->release();
      });
  return *hnsw;
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
  HnswVectorIndex& hnsw = TheHnsw();
  hnsw.set_ef_search(static_cast<size_t>(state.range(0)));
  const bool filtered = state.range(1) != 0;
  RunQueries(state, hnsw, filtered ? IdFilter(EvenId) : IdFilter(),
             filtered ? d.truth_even : d.truth);
}
BENCHMARK(BM_Hnsw)
    ->ArgNames({"ef", "half_filtered"})
    ->ArgsProduct({{50, 100, 200}, {0, 1}})
    ->Unit(benchmark::kMicrosecond);

// ---- FAISS peers (Debian's 1.7.3: scalar distance code, BLAS only for batches of 20+) ----

// A FAISS index searched one query at a time on one thread; FAISS labels are row positions.
void RunFaissQueries(benchmark::State& state, const faiss::Index& index) {
  const Data& d = TheData();
  omp_set_num_threads(1);
  std::vector<float> scores(kTopK);
  std::vector<faiss::Index::idx_t> rows(kTopK);
  size_t q = 0, hits = 0, asked = 0;
  for (auto _ : state) {
    index.search(1, d.Query(q).data(), kTopK, scores.data(), rows.data());
    for (const faiss::Index::idx_t row : rows) {
      if (row >= 0) hits += d.truth[q].count(d.ids[static_cast<size_t>(row)]);
    }
    asked += kTopK;
    q = (q + 1) % kQueries;
  }
  state.counters["recall@10"] = static_cast<double>(hits) / static_cast<double>(asked);
}

size_t Cells() { return static_cast<size_t>(std::sqrt(static_cast<double>(TheData().ids.size()))); }

// An IVF index over Cells() k-means cells of an exact inner-product quantizer, trained and
// filled on every row (FAISS samples 256 rows per cell for k-means), on both cores.
template <typename Ivf, typename... CodeArgs>
faiss::IndexIVF* BuildIvf(CodeArgs... code_args) {
  const Data& d = TheData();
  omp_set_num_threads(2);
  auto* quantizer = new faiss::IndexFlatIP(static_cast<int>(d.dim));
  auto* ivf = new Ivf(quantizer, d.dim, Cells(), code_args..., faiss::METRIC_INNER_PRODUCT);
  ivf->own_fields = true;
  const auto n = static_cast<faiss::Index::idx_t>(d.ids.size());
  ivf->train(n, d.rows.data());
  ivf->add(n, d.rows.data());
  return ivf;
}

void BM_FaissFlat(benchmark::State& state) {
  static faiss::IndexFlatIP* flat = Timed<faiss::IndexFlatIP>("faiss flat", [] {
    auto* index = new faiss::IndexFlatIP(static_cast<int>(TheData().dim));
    index->add(static_cast<faiss::Index::idx_t>(TheData().ids.size()), TheData().rows.data());
    return index;
  });
  RunFaissQueries(state, *flat);
}
BENCHMARK(BM_FaissFlat)->Unit(benchmark::kMicrosecond);

void BM_FaissHnsw(benchmark::State& state) {
  static faiss::IndexHNSWFlat* hnsw =
      Timed<faiss::IndexHNSWFlat>("faiss hnsw (m 16, ef_construction 200, 2 threads)", [] {
        omp_set_num_threads(2);
        auto* index = new faiss::IndexHNSWFlat(static_cast<int>(TheData().dim), 16,
                                               faiss::METRIC_INNER_PRODUCT);
        index->hnsw.efConstruction = 200;
        index->add(static_cast<faiss::Index::idx_t>(TheData().ids.size()), TheData().rows.data());
        return index;
      });
  hnsw->hnsw.efSearch = static_cast<int>(state.range(0));
  RunFaissQueries(state, *hnsw);
}
BENCHMARK(BM_FaissHnsw)->ArgName("ef")->Arg(50)->Arg(100)->Arg(200)->Unit(benchmark::kMicrosecond);

void BM_FaissIvfFlat(benchmark::State& state) {
  static faiss::IndexIVF* ivf =
      Timed<faiss::IndexIVF>("faiss ivf-flat (sqrt(rows) cells, 2 threads)",
                             [] { return BuildIvf<faiss::IndexIVFFlat>(); });
  ivf->nprobe = static_cast<size_t>(state.range(0));
  RunFaissQueries(state, *ivf);
}
BENCHMARK(BM_FaissIvfFlat)
    ->ArgName("nprobe")
    ->RangeMultiplier(2)
    ->Range(8, 64)
    ->Unit(benchmark::kMicrosecond);

void BM_FaissIvfPq(benchmark::State& state) {
  static faiss::IndexIVF* ivf = Timed<faiss::IndexIVF>(
      "faiss ivf-pq (sqrt(rows) cells, dim/8 codes of 8 bits, 2 threads)",
      [] { return BuildIvf<faiss::IndexIVFPQ>(TheData().dim / 8, size_t{8}); });
  ivf->nprobe = static_cast<size_t>(state.range(0));
  RunFaissQueries(state, *ivf);
}
BENCHMARK(BM_FaissIvfPq)
    ->ArgName("nprobe")
    ->RangeMultiplier(2)
    ->Range(8, 64)
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace souk::vector

BENCHMARK_MAIN();
