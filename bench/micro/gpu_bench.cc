// The GPU figures (bench/gpu/run.sh builds and runs this on a CUDA machine): a BERT-base-sized
// encoder and the exact vector index on the device, each answer waited for
// (torch::cuda::synchronize) before the clock stops.
//  1. BM_BertBaseQuery/seq: model::BertModel forward, batch 1, sequence 32 / 64 / 128, in the
//     serving precision: a query's latency on the device.
//  2. BM_BertBaseThroughput/batch: batches of 64 / 256 / 1024 sequences of 128 tokens:
//     sequences per second (items_per_second).
//  3. BM_EncodeQuery: TextEncoder::Encode of one 6-word query as soukd runs it on the device
//     (tokenization, transfer, forward, pooling, back to the host), cache off.
//  4. BM_ExactSearch/batch: ExactVectorIndex on the device over 1,000,000 unit rows of dim 256
//     (fp16 on CUDA), top 10, batches of 1 and 64 queries: time per batch; the counter
//     top10_agreement is the share of its top 10 that the CPU's fp32 index also returns.
// Models are random (WriteRandomModelDirectory; timing does not depend on the weights), written
// to a temporary directory removed at exit. Environment: SOUK_BENCH_DEVICE (default cuda; cpu
// runs the same program on the CPU, to check it without a GPU), SOUK_BENCH_PRECISION (fp16,
// bf16 or fp32; CUDA only), SOUK_BENCH_ROWS (1000000).
//
//   build/gpu/bench/gpu_bench --benchmark_out=gpu.json --benchmark_out_format=json

#include <benchmark/benchmark.h>
#include <torch/cuda.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "bench_vocabulary.h"
#include "souk/encoder/model_directory.h"
#include "souk/encoder/text_encoder.h"
#include "souk/model/bert.h"
#include "souk/model/bert_config.h"
#include "souk/model/device.h"
#include "souk/model/serving_config.h"
#include "souk/vector/exact_index.h"

namespace souk {
namespace {

constexpr size_t kDim = 256, kTopK = 10;

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "gpu_bench: " << what << "\n";
  std::abort();
}

std::string Env(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

const std::string& DeviceName() {
  static const std::string name = Env("SOUK_BENCH_DEVICE", "cuda");
  return name;
}

const std::string& Precision() {
  static const std::string precision = Env("SOUK_BENCH_PRECISION", "fp16");
  return precision;
}

torch::Device TheDevice() {
  static const torch::Device device = [] {
    auto resolved = model::ResolveDevice(DeviceName(), "SOUK_BENCH_DEVICE");
    if (!resolved.ok()) Die(std::string(resolved.status().message()));
    return *resolved;
  }();
  return device;
}

// The precision the encoder serves in: fp32 on the CPU, as it always is there.
torch::Dtype ServingDtype() {
  if (!TheDevice().is_cuda() || Precision() == "fp32") return torch::kFloat;
  return Precision() == "bf16" ? torch::kBFloat16 : torch::kHalf;
}

void WaitForDevice() {
  if (TheDevice().is_cuda()) torch::cuda::synchronize();
}

using bench::SyllableWords;

// BERT-base: BertConfig's defaults (12 layers, 768 wide, 12 heads, feed-forward 3072).
model::BertConfig BaseConfig() {
  model::BertConfig c;
  c.vocab_size = static_cast<int64_t>(SyllableWords().size()) + 5;
  c.max_position_embeddings = 512;
  return c;
}

model::BertModel& BaseModel() {
  static model::BertModel* bert = [] {
    torch::manual_seed(42);
    auto* m = new model::BertModel(BaseConfig());
    (*m)->eval();
    (*m)->to(TheDevice(), ServingDtype());
    return m;
  }();
  return *bert;
}

void RunForward(benchmark::State& state, int64_t batch, int64_t seq) {
  model::BertModel& bert = BaseModel();
  torch::InferenceMode inference;
  const auto on_device = torch::TensorOptions().dtype(torch::kLong).device(TheDevice());
  const torch::Tensor ids = torch::randint(5, bert->config().vocab_size, {batch, seq}, on_device);
  const torch::Tensor mask = torch::ones({batch, seq}, on_device);
  for (int i = 0; i < 3; ++i) bert->forward(ids, mask);  // warm-up: kernels, allocator
  WaitForDevice();
  for (auto _ : state) {
    model::BertModelOutput out = bert->forward(ids, mask);
    WaitForDevice();
    benchmark::DoNotOptimize(out.last_hidden_state.data_ptr());
  }
  state.SetItemsProcessed(state.iterations() * batch);
  state.SetLabel(DeviceName() + " " + (TheDevice().is_cuda() ? Precision() : "fp32"));
}

void BM_BertBaseQuery(benchmark::State& state) { RunForward(state, 1, state.range(0)); }
BENCHMARK(BM_BertBaseQuery)
    ->ArgName("seq")
    ->Arg(32)
    ->Arg(64)
    ->Arg(128)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

void BM_BertBaseThroughput(benchmark::State& state) { RunForward(state, state.range(0), 128); }
BENCHMARK(BM_BertBaseThroughput)
    ->ArgName("batch")
    ->Arg(64)
    ->Arg(256)
    ->Arg(1024)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// ---- the served query path ----

encoder::TextEncoder& BaseEncoder() {
  static bench::TempRoot root("souk_gpu_bench");
  static std::unique_ptr<encoder::TextEncoder> encoder = [] {
    const std::string dir = (root.path / "base").string();
    const absl::Status written = encoder::WriteRandomModelDirectory(
        dir, BaseConfig(), model::ServingConfig{}, bench::SyllableVocabulary(), 42);
    if (!written.ok()) Die(std::string(written.message()));
    encoder::EncoderOptions options;
    options.model_dir = dir;
    options.device = DeviceName();
    options.cuda_precision = Precision();
    options.cache_entries = 0;
    auto created = encoder::TextEncoder::Create(options);
    if (!created.ok()) Die(std::string(created.status().message()));
    return *std::move(created);
  }();
  return *encoder;
}

void BM_EncodeQuery(benchmark::State& state) {
  encoder::TextEncoder& encoder = BaseEncoder();
  std::mt19937 rng(11);
  std::vector<std::string> queries;
  for (int i = 0; i < 256; ++i) {
    std::string q;
    for (int w = 0; w < 6; ++w)
      q += (w > 0 ? " " : "") + SyllableWords()[rng() % SyllableWords().size()];
    queries.push_back(std::move(q));
  }
  for (int i = 0; i < 3; ++i) (void)encoder.Encode(queries[static_cast<size_t>(i)]);
  size_t next = 0;
  for (auto _ : state) {
    auto vector = encoder.Encode(queries[next++ % queries.size()]);  // returns on the host
    if (!vector.ok()) Die(std::string(vector.status().message()));
  }
  state.SetLabel(DeviceName());
}
BENCHMARK(BM_EncodeQuery)->Unit(benchmark::kMicrosecond)->UseRealTime();

// ---- exact vector search ----

struct Vectors {
  std::vector<uint32_t> ids;
  std::vector<float> rows, queries;
  std::unique_ptr<vector::ExactVectorIndex> device_index, cpu_index;
};

std::vector<float> UnitRows(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<float> out(n * kDim);
  for (size_t r = 0; r < n; ++r) {
    float* row = &out[r * kDim];
    float norm = 0;
    for (size_t d = 0; d < kDim; ++d) {
      row[d] = normal(rng);
      norm += row[d] * row[d];
    }
    for (size_t d = 0; d < kDim; ++d) row[d] /= std::sqrt(norm);
  }
  return out;
}

const Vectors& TheVectors() {
  static const Vectors* v = [] {
    auto* out = new Vectors;
    const size_t rows = std::stoul(Env("SOUK_BENCH_ROWS", "1000000"));
    for (size_t i = 0; i < rows; ++i) out->ids.push_back(static_cast<uint32_t>(i));
    out->rows = UnitRows(rows, 1);
    out->queries = UnitRows(64, 2);
    auto device_index = vector::ExactVectorIndex::Create(kDim, {.device = DeviceName()});
    auto cpu_index = vector::ExactVectorIndex::Create(kDim, {.device = "cpu"});
    if (!device_index.ok() || !cpu_index.ok()) Die("exact index");
    out->device_index = *std::move(device_index);
    out->cpu_index = *std::move(cpu_index);
    if (!out->device_index->Add(out->ids, out->rows).ok() ||
        !out->cpu_index->Add(out->ids, out->rows).ok()) {
      Die("adding rows");
    }
    return out;
  }();
  return *v;
}

void BM_ExactSearch(benchmark::State& state) {
  const Vectors& v = TheVectors();
  const auto batch = static_cast<size_t>(state.range(0));
  const std::span<const float> queries = std::span<const float>(v.queries).first(batch * kDim);
  auto truth = v.cpu_index->Search(queries, kTopK);
  if (!truth.ok()) Die("cpu search");
  std::vector<std::vector<vector::Neighbor>> found;
  for (auto _ : state) {
    auto answer = v.device_index->Search(queries, kTopK);  // returns on the host
    if (!answer.ok()) Die(std::string(answer.status().message()));
    found = *std::move(answer);
  }
  size_t agree = 0;
  for (size_t q = 0; q < batch; ++q) {
    std::set<uint32_t> expected;
    for (const vector::Neighbor& n : (*truth)[q]) expected.insert(n.id);
    for (const vector::Neighbor& n : found[q]) agree += expected.count(n.id);
  }
  state.counters["top10_agreement"] =
      static_cast<double>(agree) / static_cast<double>(batch * kTopK);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch));  // queries/s
  state.SetLabel(DeviceName() + " " + std::to_string(v.ids.size()) + " rows");
}
BENCHMARK(BM_ExactSearch)->ArgName("batch")->Arg(1)->Arg(64)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace souk

BENCHMARK_MAIN();
