// Souk's binary index files from arbitrary bytes: the lexical index, the vector file and the
// HNSW graph file. A load either fails with a status or gives an index whose searches stay in
// bounds. The first input byte picks the format (bits 0-1) and whether the CRC-32 trailer is
// recomputed over the mutated bytes (bit 2), so that the parser behind the checksum is reached
// too. The HNSW file is never resealed: its checksum is what stands between a damaged file and
// hnswlib's loader, which trusts the sizes in its stream (docs/formats/hnsw.md).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_shop.h"
#include "fuzz_support.h"
#include "souk/catalog/catalog.h"
#include "souk/lexical/inverted_index.h"
#include "souk/text/analyzer.h"
#include "souk/vector/hnsw_index.h"
#include "souk/vector/vector_file.h"

namespace {

using souk::fuzz::Fail;

enum Format : uint8_t { kLexical = 0, kVectors = 1, kHnsw = 2 };
constexpr uint8_t kReseal = 4;
constexpr size_t kDim = 4;

using souk::fuzz::TheShop;

std::string LexicalSeed() {
  const std::string path = souk::fuzz::ScratchDir() + "/seed.lex";
  if (!TheShop().index->Save(path).ok()) Fail("writing the seed lexical index");
  return souk::fuzz::ReadWholeFile(path);
}

std::vector<float> Rows(size_t n) {
  std::vector<float> values(n * kDim);
  for (size_t i = 0; i < values.size(); ++i) values[i] = std::sin(static_cast<float>(i));
  return values;
}

std::string VectorSeed() {
  const souk::vector::VectorSet set{.dim = kDim, .ids = {0, 1, 2}, .values = Rows(3), .model = "m"};
  const std::string path = souk::fuzz::ScratchDir() + "/seed.soukvec";
  if (!souk::vector::WriteVectorFile(path, set).ok()) Fail("writing the seed vector file");
  return souk::fuzz::ReadWholeFile(path);
}

std::string HnswSeed() {
  auto index = souk::vector::HnswVectorIndex::Create(kDim, souk::vector::HnswOptions{.m = 4});
  const std::vector<uint32_t> ids = {0, 1, 2, 3, 4};
  const std::string path = souk::fuzz::ScratchDir() + "/seed.soukhnsw";
  if (!index.ok() || !(*index)->Add(ids, Rows(ids.size())).ok() || !(*index)->Save(path).ok()) {
    Fail("writing the seed HNSW file");
  }
  return souk::fuzz::ReadWholeFile(path);
}

void LoadLexical(const std::string& path) {
  const souk::fuzz::Shop& w = TheShop();
  auto index = souk::lexical::InvertedIndex::Load(path, *w.catalog, *w.analyzer, w.lexical);
  if (!index.ok()) return;
  for (const auto* query : {"cordless drill", "耳机", "hose led light"}) {
    const std::vector<std::string> terms = w.analyzer->Analyze(query);
    const auto result = (*index)->Search(terms, nullptr, {.k = 10, .facets = true});
    for (const souk::lexical::Hit& hit : result.hits) {
      if (hit.doc.value() >= w.catalog->size()) Fail("a lexical hit beyond the catalog");
      if (!std::isfinite(hit.score)) Fail("a lexical score that is not finite");
    }
  }
}

void LoadVectors(const std::string& path) {
  auto set = souk::vector::ReadVectorFile(path);
  if (set.ok() && (set->dim == 0 || set->values.size() != set->ids.size() * set->dim)) {
    Fail("a vector file read with values that do not fill ids x dim");
  }
}

void LoadHnsw(const std::string& path) {
  auto index = souk::vector::HnswVectorIndex::Load(path, souk::vector::HnswOptions{});
  if (!index.ok()) return;
  const std::vector<float> query((*index)->dim(), 0.5f);
  auto found = (*index)->Search(query, 3);
  if (found.ok() && found->size() != 1) Fail("one query gave other than one neighbour list");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  souk::fuzz::QuietLogs();
  const auto with_control = [](uint8_t control, const std::string& file) {
    return std::string(1, static_cast<char>(control)) + file;
  };
  souk::fuzz::WriteSeeds(
      *argc, *argv,
      {with_control(kLexical | kReseal, LexicalSeed()),
       with_control(kVectors | kReseal, VectorSeed()), with_control(kHnsw, HnswSeed())});
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t control = data[0];
  std::string file(souk::fuzz::AsText(data + 1, size - 1));
  switch (control & 3) {
    case kLexical:
      if (control & kReseal) souk::fuzz::SealCrc32(&file);
      LoadLexical(souk::fuzz::WriteScratchFile("index.lex", file));
      break;
    case kVectors:
      if (control & kReseal) souk::fuzz::SealCrc32(&file);
      LoadVectors(souk::fuzz::WriteScratchFile("vectors.soukvec", file));
      break;
    default:
      LoadHnsw(souk::fuzz::WriteScratchFile("graph.soukhnsw", file));
      break;
  }
  return 0;
}
