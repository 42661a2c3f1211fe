// Text encoder latency and throughput on CPU, with random BERTs (nothing is downloaded):
//  1. BM_BareForward: model::BertModel::forward in eval mode under torch::InferenceMode, batch
//     1/32 x sequence 32/128, for small (L2 H128 A2), mid (L4 H256 A4) and BERT-base-sized
//     (L12 H768 A12) models, at 1 and 2 intra-op threads. ms per forward.
//  2. BM_EncodeQuery vs BM_BareForwardQuery: TextEncoder::Encode of one 6-word query with the
//     cache off and max_wait 0, against the bare forward of the same token ids (batch 1); the
//     difference is tokenization + batcher hand-off + pooling. BM_EncodeBatchQuery (the same
//     query through EncodeBatch, on the caller's thread) separates the hand-off from the rest.
//     Small and mid, 1 thread.
//  3. BM_Batching: N callers (1, 4, 16, 64 threads of our own) each encode a fixed number of
//     distinct queries (cache off), with dynamic batching (max_batch_size 32, max_wait 1000 us)
//     and without (max_batch_size 1). Counters: qps, p50_ms, p95_ms over all calls. Mid, 1 thread.
//
// Each model directory is written once per process (WriteRandomModelDirectory) into a temp dir
// removed at exit; the vocabulary is ~2000 generated syllable words plus BERT's specials, and
// queries are 6 of those words, so every query tokenizes to 6 pieces + [CLS] [SEP].
// Weights of the bare-forward models are random too (same shapes; timing does not depend on
// values). OPENBLAS_CORETYPE is left as the machine sets it.
//
//   ninja -C build-rel encoder_bench && ./build-rel/bench/encoder_bench
//   ./build-rel/bench/encoder_bench --benchmark_filter=Batching

#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench_vocabulary.h"
#include "souk/encoder/model_directory.h"
#include "souk/encoder/text_encoder.h"
#include "souk/model/bert.h"
#include "souk/model/bert_config.h"
#include "souk/model/serving_config.h"

namespace souk::encoder {
namespace {

using Clock = std::chrono::steady_clock;

enum ModelSize { kSmall = 0, kMid = 1, kBase = 2 };
constexpr const char* kSizeNames[] = {"small_L2_H128", "mid_L4_H256", "base_L12_H768"};

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "encoder_bench: " << what << "\n";
  std::abort();
}

using bench::SyllableWords;

model::BertConfig Config(ModelSize size) {
  model::BertConfig c;
  c.vocab_size = static_cast<int64_t>(SyllableWords().size()) + 5;
  c.max_position_embeddings = 512;
  if (size == kSmall) {
    c.num_hidden_layers = 2, c.hidden_size = 128, c.num_attention_heads = 2;
    c.intermediate_size = 512;
  } else if (size == kMid) {
    c.num_hidden_layers = 4, c.hidden_size = 256, c.num_attention_heads = 4;
    c.intermediate_size = 1024;
  }  // kBase: BertConfig's defaults (12 x 768, 12 heads, ffn 3072)
  return c;
}

const std::string& ModelDir(ModelSize size) {
  static bench::TempRoot root("souk_encoder_bench");
  static std::map<ModelSize, std::string> dirs;
  auto it = dirs.find(size);
  if (it != dirs.end()) return it->second;
  const std::string dir = (root.path / kSizeNames[size]).string();
  const absl::Status written = WriteRandomModelDirectory(dir, Config(size), model::ServingConfig{},
                                                         bench::SyllableVocabulary(), 42);
  if (!written.ok()) Die(std::string(written.message()));
  return dirs.emplace(size, dir).first->second;
}

std::unique_ptr<TextEncoder> MakeEncoder(ModelSize size, size_t max_batch, int64_t max_wait_us) {
  EncoderOptions options;
  options.model_dir = ModelDir(size);
  options.threads = 1;
  options.cache_entries = 0;
  options.batching.max_batch_size = max_batch;
  options.batching.max_wait = std::chrono::microseconds(max_wait_us);
  auto encoder = TextEncoder::Create(options);
  if (!encoder.ok()) Die(std::string(encoder.status().message()));
  return *std::move(encoder);
}

// `count` distinct 6-word queries, seeded.
std::vector<std::string> Queries(size_t count, uint32_t seed) {
  const std::vector<std::string>& words = SyllableWords();
  std::mt19937 rng(seed);
  std::vector<std::string> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    std::string q;
    for (int w = 0; w < 6; ++w) {
      if (w > 0) q += ' ';
      q += words[rng() % words.size()];
    }
    out.push_back(std::move(q));
  }
  return out;
}

model::BertModel& BareModel(ModelSize size) {
  static std::map<ModelSize, model::BertModel> models;
  auto it = models.find(size);
  if (it != models.end()) return it->second;
  torch::manual_seed(42);
  model::BertModel bert(Config(size));
  bert->eval();
  return models.emplace(size, std::move(bert)).first->second;
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// ---- 1. bare forward ----

// Args: size, threads, batch, seq.
void BM_BareForward(benchmark::State& state) {
  const auto size = static_cast<ModelSize>(state.range(0));
  at::set_num_threads(static_cast<int>(state.range(1)));
  const int64_t batch = state.range(2);
  const int64_t seq = state.range(3);
  model::BertModel& bert = BareModel(size);
  torch::InferenceMode inference;
  const torch::Tensor ids =
      torch::randint(5, bert->config().vocab_size, {batch, seq}, torch::kLong);
  const torch::Tensor mask = torch::ones({batch, seq}, torch::kLong);
  bert->forward(ids, mask);  // warm-up: allocator, OpenMP pool
  for (auto _ : state) {
    model::BertModelOutput out = bert->forward(ids, mask);
    benchmark::DoNotOptimize(out.last_hidden_state.data_ptr<float>());
  }
  state.SetLabel(std::string(kSizeNames[size]) + " thr" + std::to_string(state.range(1)));
  state.SetItemsProcessed(state.iterations() * batch);  // sequences/s
  at::set_num_threads(1);
}

void BareForwardArgs(benchmark::internal::Benchmark* b) {
  b->ArgNames({"size", "thr", "batch", "seq"})->Unit(benchmark::kMillisecond)->UseRealTime();
}

BENCHMARK(BM_BareForward)
    ->Apply(BareForwardArgs)
    ->ArgsProduct({{kSmall, kMid}, {1, 2}, {1, 32}, {32, 128}});
BENCHMARK(BM_BareForward)->Apply(BareForwardArgs)->ArgsProduct({{kBase}, {1, 2}, {1}, {32, 128}});
BENCHMARK(BM_BareForward)
    ->Apply(BareForwardArgs)
    ->ArgsProduct({{kBase}, {1, 2}, {32}, {32, 128}})
    ->Iterations(3);

// ---- 2. query encoding overhead ----

void BM_EncodeQuery(benchmark::State& state) {
  const auto size = static_cast<ModelSize>(state.range(0));
  at::set_num_threads(1);
  std::unique_ptr<TextEncoder> encoder = MakeEncoder(size, 32, 0);
  const std::vector<std::string> queries = Queries(64, 3);
  size_t i = 0;
  if (!encoder->Encode(queries[0]).ok()) Die("warm-up Encode failed");
  for (auto _ : state) {
    auto vector = encoder->Encode(queries[i++ % queries.size()]);
    if (!vector.ok()) Die(std::string(vector.status().message()));
    benchmark::DoNotOptimize(vector->data());
  }
  state.SetLabel(std::string(kSizeNames[size]) + " tokens " +
                 std::to_string(encoder->Tokenize(queries[0]).size()));
  state.SetItemsProcessed(state.iterations());
}

// The forward the encoder runs for one query: the same token ids, batch 1, no tokenizer,
// batcher or pooling.
void BM_BareForwardQuery(benchmark::State& state) {
  const auto size = static_cast<ModelSize>(state.range(0));
  at::set_num_threads(1);
  std::unique_ptr<TextEncoder> encoder = MakeEncoder(size, 1, 0);
  const std::vector<int64_t> token_ids = encoder->Tokenize(Queries(1, 3)[0]);
  model::BertModel& bert = BareModel(size);
  torch::InferenceMode inference;
  const torch::Tensor ids =
      torch::tensor(token_ids, torch::kLong).reshape({1, static_cast<int64_t>(token_ids.size())});
  const torch::Tensor mask = torch::ones_like(ids);
  bert->forward(ids, mask);
  for (auto _ : state) {
    model::BertModelOutput out = bert->forward(ids, mask);
    benchmark::DoNotOptimize(out.last_hidden_state.data_ptr<float>());
  }
  state.SetLabel(std::string(kSizeNames[size]) + " tokens " + std::to_string(token_ids.size()));
  state.SetItemsProcessed(state.iterations());
}

// EncodeBatch of the same single query: tokenizer, forward and pooling on the calling thread,
// without the batcher's hand-off to its worker.
void BM_EncodeBatchQuery(benchmark::State& state) {
  const auto size = static_cast<ModelSize>(state.range(0));
  at::set_num_threads(1);
  std::unique_ptr<TextEncoder> encoder = MakeEncoder(size, 32, 0);
  const std::vector<std::string> queries = Queries(64, 3);
  size_t i = 0;
  for (auto _ : state) {
    auto vectors = encoder->EncodeBatch({queries[i++ % queries.size()]});
    if (!vectors.ok()) Die(std::string(vectors.status().message()));
    benchmark::DoNotOptimize(vectors->data());
  }
  state.SetLabel(kSizeNames[size]);
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_BareForwardQuery)
    ->Arg(kSmall)
    ->Arg(kMid)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();
BENCHMARK(BM_EncodeBatchQuery)
    ->Arg(kSmall)
    ->Arg(kMid)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();
BENCHMARK(BM_EncodeQuery)->Arg(kSmall)->Arg(kMid)->Unit(benchmark::kMicrosecond)->UseRealTime();

// ---- 3. dynamic batching throughput ----

// Args: callers, batching (0 = max_batch_size 1, 1 = 32 within 1000 us). One iteration: every
// caller encodes its own distinct queries back to back; latencies of all calls give p50/p95.
void BM_Batching(benchmark::State& state) {
  const auto callers = static_cast<size_t>(state.range(0));
  const bool batching = state.range(1) != 0;
  const size_t per_caller = std::max<size_t>(8, 256 / callers);
  at::set_num_threads(1);
  std::unique_ptr<TextEncoder> encoder =
      batching ? MakeEncoder(kMid, 32, 1000) : MakeEncoder(kMid, 1, 0);
  const std::vector<std::string> queries = Queries(callers * per_caller + 8, 11);
  for (size_t i = 0; i < 8; ++i) {  // warm-up, distinct from the timed queries
    if (!encoder->Encode(queries[callers * per_caller + i]).ok()) Die("warm-up Encode failed");
  }
  std::vector<double> latencies_ms;
  double seconds = 0;
  for (auto _ : state) {
    std::vector<std::vector<double>> per_thread(callers);
    const Clock::time_point start = Clock::now();
    std::vector<std::thread> threads;
    for (size_t c = 0; c < callers; ++c) {
      threads.emplace_back([&, c] {
        for (size_t k = 0; k < per_caller; ++k) {
          const Clock::time_point t0 = Clock::now();
          auto vector = encoder->Encode(queries[c * per_caller + k]);
          if (!vector.ok()) Die(std::string(vector.status().message()));
          per_thread[c].push_back(Ms(Clock::now() - t0));
        }
      });
    }
    for (std::thread& t : threads) t.join();
    seconds += std::chrono::duration<double>(Clock::now() - start).count();
    for (const auto& l : per_thread) latencies_ms.insert(latencies_ms.end(), l.begin(), l.end());
  }
  std::sort(latencies_ms.begin(), latencies_ms.end());
  const auto percentile = [&](double p) {
    return latencies_ms[std::min(
        latencies_ms.size() - 1,
        static_cast<size_t>(p * static_cast<double>(latencies_ms.size())))];
  };
  const double qps = static_cast<double>(latencies_ms.size()) / seconds;
  state.counters["qps"] = qps;
  state.counters["p50_ms"] = percentile(0.50);
  state.counters["p95_ms"] = percentile(0.95);
  state.counters["calls"] = static_cast<double>(latencies_ms.size());
  state.SetLabel(batching ? "batch<=32 wait 1000us" : "no batching");
  std::cerr << "batching table: callers " << callers << (batching ? "  batched  " : "  single   ")
            << " qps " << qps << "  p50 " << percentile(0.50) << " ms  p95 " << percentile(0.95)
            << " ms  (" << latencies_ms.size() << " calls)\n";
}

BENCHMARK(BM_Batching)
    ->ArgNames({"callers", "batching"})
    ->ArgsProduct({{1, 4, 16, 64}, {0, 1}})
    ->Iterations(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace souk::encoder

int main(int argc, char** argv) {
  at::set_num_threads(1);
  // Whether a fresh std::thread (like the batcher's worker) sees the same intra-op setting.
  int worker_threads = 0;
  std::thread([&] { worker_threads = at::get_num_threads(); }).join();
  std::cerr << "intra-op threads: main " << at::get_num_threads() << ", fresh std::thread "
            << worker_threads << "; OPENBLAS_CORETYPE="
            << (std::getenv("OPENBLAS_CORETYPE") ? std::getenv("OPENBLAS_CORETYPE") : "(unset)")
            << "\n";
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
