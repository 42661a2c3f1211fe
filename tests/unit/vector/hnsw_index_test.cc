// HNSW search: recall against the exact index, filters (wide and narrow), replacing and
// removing rows, files that round-trip and damaged files refused, bad input named.

#include "souk/vector/hnsw_index.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include "souk/base/check.h"
#include "souk/base/file_util.h"
#include "souk/vector/exact_index.h"
#include "support/test_support.h"

namespace souk::vector {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;

constexpr size_t kDim = 24;

std::unique_ptr<HnswVectorIndex> MakeIndex(const HnswOptions& options = {}) {
  auto index = HnswVectorIndex::Create(kDim, options);
  SOUK_CHECK(index.ok());
  return std::move(*index);
}

// Unit rows around `clusters` random centres: the shape of product embeddings.
std::vector<float> ClusteredRows(size_t n, size_t clusters, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<float> centres(clusters * kDim);
  for (float& x : centres) x = normal(rng);
  std::vector<float> rows(n * kDim);
  for (size_t r = 0; r < n; ++r) {
    const size_t c = r % clusters;
    float norm = 0;
    for (size_t d = 0; d < kDim; ++d) {
      rows[r * kDim + d] = centres[c * kDim + d] + 0.5f * normal(rng);
      norm += rows[r * kDim + d] * rows[r * kDim + d];
    }
    for (size_t d = 0; d < kDim; ++d) rows[r * kDim + d] /= std::sqrt(norm);
  }
  return rows;
}

std::vector<uint32_t> SequentialIds(size_t n, uint32_t first) {
  std::vector<uint32_t> ids(n);
  for (size_t i = 0; i < n; ++i) ids[i] = first + static_cast<uint32_t>(i);
  return ids;
}

std::vector<uint32_t> Ids(const std::vector<Neighbor>& neighbors) {
  std::vector<uint32_t> out;
  for (const Neighbor& n : neighbors) out.push_back(n.id);
  return out;
}

// Share of the exact top-k that `approximate` found, over all queries.
double Recall(const std::vector<std::vector<Neighbor>>& exact,
              const std::vector<std::vector<Neighbor>>& approximate) {
  size_t hits = 0, total = 0;
  for (size_t q = 0; q < exact.size(); ++q) {
    const std::vector<uint32_t> found = Ids(approximate[q]);
    const std::set<uint32_t> found_set(found.begin(), found.end());
    for (const Neighbor& n : exact[q]) hits += found_set.count(n.id);
    total += exact[q].size();
  }
  return static_cast<double>(hits) / static_cast<double>(total);
}

struct Fixture {
  std::vector<uint32_t> ids = SequentialIds(3000, 100);
  std::vector<float> rows = ClusteredRows(3000, 30, 1);
  std::vector<float> queries = ClusteredRows(100, 30, 2);
};

std::vector<std::vector<Neighbor>> ExactSearch(const Fixture& f, size_t k,
                                               const IdFilter& filter = {}) {
  auto exact = ExactVectorIndex::Create(kDim, {});
  SOUK_CHECK(exact.ok());
  SOUK_CHECK((*exact)->Add(f.ids, f.rows).ok());
  auto result = (*exact)->Search(f.queries, k, filter);
  SOUK_CHECK(result.ok());
  return *result;
}

TEST(HnswVectorIndexTest, FindsNearlyWhatTheExactIndexFinds) {
  const Fixture f;
  auto index = MakeIndex();
  ASSERT_OK(index->Add(f.ids, f.rows));
  EXPECT_EQ(index->size(), f.ids.size());
  auto found = index->Search(f.queries, 10);
  ASSERT_OK(found);
  const auto exact = ExactSearch(f, 10);
  EXPECT_GE(Recall(exact, *found), 0.95);
  // Scores are inner products, best first.
  const std::vector<Neighbor>& first = (*found)[0];
  ASSERT_EQ(first.size(), 10u);
  EXPECT_NEAR(first[0].score, exact[0][0].score, 1e-4);
  EXPECT_TRUE(std::is_sorted(first.begin(), first.end(), [](const Neighbor& a, const Neighbor& b) {
    return a.score > b.score;
  }));
  // A smaller candidate list still answers k rows, at a recall no better.
  index->set_ef_search(1);
  auto narrow = index->Search(f.queries, 10);
  ASSERT_OK(narrow);
  EXPECT_EQ((*narrow)[0].size(), 10u);
  EXPECT_LE(Recall(exact, *narrow), Recall(exact, *found));
}

TEST(HnswVectorIndexTest, ScoreGivesTheInnerProductOfNamedRowsAsExactDoes) {
  const std::vector<float> rows = ClusteredRows(50, 5, 21);
  const std::vector<uint32_t> ids = SequentialIds(50, 100);
  auto hnsw = MakeIndex();
  auto exact = ExactVectorIndex::Create(kDim, {});
  ASSERT_OK(exact);
  ASSERT_OK(hnsw->Add(ids, rows));
  ASSERT_OK((*exact)->Add(ids, rows));
  const std::vector<float> query(rows.begin() + 7 * kDim, rows.begin() + 8 * kDim);
  const std::vector<uint32_t> asked = {149, 107, 100};
  auto from_hnsw = hnsw->Score(query, asked);
  auto from_exact = (*exact)->Score(query, asked);
  ASSERT_OK(from_hnsw);
  ASSERT_OK(from_exact);
  ASSERT_EQ(from_hnsw->size(), 3u);
  EXPECT_NEAR((*from_hnsw)[1], 1.0f, 1e-5);  // row 107 is the query, of unit length
  for (size_t i = 0; i < asked.size(); ++i) {
    float dot = 0;
    for (size_t d = 0; d < kDim; ++d) dot += rows[(asked[i] - 100) * kDim + d] * query[d];
    EXPECT_NEAR((*from_hnsw)[i], dot, 1e-5);
    EXPECT_NEAR((*from_exact)[i], dot, 1e-5);
  }
  for (const VectorIndex* index : {static_cast<const VectorIndex*>(hnsw.get()),
                                   static_cast<const VectorIndex*>(exact->get())}) {
    auto row = index->Row(107);
    ASSERT_OK(row);
    EXPECT_THAT(*row, ::testing::Pointwise(::testing::FloatEq(), query));
  }
  hnsw->Remove(std::vector<uint32_t>{107});
  EXPECT_THAT(hnsw->Score(query, asked), StatusIs(absl::StatusCode::kNotFound, "id 107"));
  EXPECT_THAT(hnsw->Row(107), StatusIs(absl::StatusCode::kNotFound, "id 107"));
  EXPECT_THAT((*exact)->Row(7), StatusIs(absl::StatusCode::kNotFound, "id 7"));
  EXPECT_THAT((*exact)->Score(query, std::vector<uint32_t>{7}),
              StatusIs(absl::StatusCode::kNotFound, "id 7"));
  EXPECT_THAT(hnsw->Score(std::vector<float>(3), asked),
              StatusIs(absl::StatusCode::kInvalidArgument, "dim"));
  EXPECT_THAT((*exact)->Score(std::vector<float>(3), asked),
              StatusIs(absl::StatusCode::kInvalidArgument, "dim"));
}

TEST(HnswVectorIndexTest, FiltersKeepOnlyAllowedIdsWideOrNarrow) {
  const Fixture f;
  auto index = MakeIndex();
  ASSERT_OK(index->Add(f.ids, f.rows));
  // Half the rows allowed: post-filtering the graph's answer.
  const IdFilter even = [](uint32_t id) { return id % 2 == 0; };
  auto found = index->Search(f.queries, 10, even);
  ASSERT_OK(found);
  EXPECT_GE(Recall(ExactSearch(f, 10, even), *found), 0.95);
  for (const auto& list : *found) {
    EXPECT_EQ(list.size(), 10u);
    for (const Neighbor& n : list) EXPECT_EQ(n.id % 2, 0u);
  }
  // Three rows allowed: an exact scan of them, in score order.
  const IdFilter three = [](uint32_t id) { return id == 150 || id == 1500 || id == 2900; };
  auto narrow = index->Search(f.queries, 10, three);
  ASSERT_OK(narrow);
  const std::vector<Neighbor> expected = ExactSearch(f, 10, three)[0];
  EXPECT_EQ(Ids((*narrow)[0]), Ids(expected));
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_NEAR((*narrow)[0][i].score, expected[i].score, 1e-5);
  }
}

TEST(HnswVectorIndexTest, RemovedRowsAreNotFoundAndAddingRevivesAndReplaces) {
  const Fixture f;
  auto index = MakeIndex();
  ASSERT_OK(index->Add(f.ids, f.rows));
  const std::vector<float> query(f.rows.begin(), f.rows.begin() + kDim);  // row of id 100
  EXPECT_EQ(index->Search(query, 1).value()[0][0].id, 100u);

  const std::vector<uint32_t> gone = {100, 101, 99999};
  EXPECT_EQ(index->Remove(gone), 2u);
  EXPECT_EQ(index->size(), f.ids.size() - 2);
  for (uint32_t id : Ids(index->Search(query, 50).value()[0])) {
    EXPECT_NE(id, 100u);
    EXPECT_NE(id, 101u);
  }
  EXPECT_EQ(index->Remove(gone), 0u);

  // Id 100 comes back with the row of id 2000: it now answers that row's query.
  const std::vector<float> other(f.rows.begin() + 1900 * kDim, f.rows.begin() + 1901 * kDim);
  const std::vector<uint32_t> revived = {100};
  ASSERT_OK(index->Add(revived, other));
  EXPECT_EQ(index->size(), f.ids.size() - 1);
  const std::vector<uint32_t> top2 = Ids(index->Search(other, 2).value()[0]);
  EXPECT_EQ(std::set<uint32_t>(top2.begin(), top2.end()), (std::set<uint32_t>{100, 2000}));
}

// Serving searches one graph from many threads at once.
TEST(HnswVectorIndexTest, ConcurrentSearchesAnswerAsSequentialOnes) {
  const Fixture f;
  auto index = MakeIndex();
  ASSERT_OK(index->Add(f.ids, f.rows));
  const auto expected = index->Search(f.queries, 10).value();
  const IdFilter even = [](uint32_t id) { return id % 2 == 0; };
  const auto expected_even = index->Search(f.queries, 10, even).value();
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (size_t q = t; q < expected.size(); q += mismatches.size()) {
        const std::span<const float> query(&f.queries[q * kDim], kDim);
        if (index->Search(query, 10).value()[0] != expected[q]) ++mismatches[t];
        if (index->Search(query, 10, even).value()[0] != expected_even[q]) ++mismatches[t];
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(mismatches, std::vector<int>(mismatches.size(), 0));
}

TEST(HnswVectorIndexTest, ASavedGraphLoadsAndAnswersTheSame) {
  const Fixture f;
  TempDir dir;
  auto index = MakeIndex();
  ASSERT_OK(index->Add(f.ids, f.rows));
  const std::vector<uint32_t> gone = {105};
  index->Remove(gone);
  const std::string path = dir.File("vectors.soukhnsw");
  ASSERT_OK(index->Save(path));
  auto loaded = HnswVectorIndex::Load(path, {});
  ASSERT_OK(loaded);
  EXPECT_EQ((*loaded)->dim(), kDim);
  EXPECT_EQ((*loaded)->size(), index->size());
  EXPECT_EQ((*loaded)->Search(f.queries, 10).value(), index->Search(f.queries, 10).value());
}

TEST(HnswVectorIndexTest, DamagedFilesAreRefused) {
  const Fixture f;
  TempDir dir;
  auto index = MakeIndex();
  ASSERT_OK(index->Add(f.ids, f.rows));
  const std::string path = dir.File("vectors.soukhnsw");
  ASSERT_OK(index->Save(path));
  const std::string good = ReadFileToString(path).value();

  std::string flipped = good;
  flipped[good.size() / 2] ^= 0x40;
  EXPECT_THAT(HnswVectorIndex::Load(dir.WriteFile("flipped", flipped), {}),
              StatusIs(absl::StatusCode::kDataLoss, "checksum"));
  EXPECT_THAT(HnswVectorIndex::Load(dir.WriteFile("short", good.substr(0, 20)), {}),
              StatusIs(absl::StatusCode::kDataLoss, "truncated"));
  EXPECT_THAT(HnswVectorIndex::Load(dir.WriteFile("other", "SOUKVEC\0 something"), {}),
              StatusIs(absl::StatusCode::kInvalidArgument, "not a Souk HNSW file"));
  std::string future = good;
  future[8] = 9;  // version
  EXPECT_THAT(HnswVectorIndex::Load(dir.WriteFile("future", future), {}),
              StatusIs(absl::StatusCode::kFailedPrecondition, "version 9"));
  EXPECT_THAT(HnswVectorIndex::Load(dir.File("missing"), {}),
              StatusIs(absl::StatusCode::kNotFound, "missing"));
}

TEST(HnswVectorIndexTest, BadInputIsNamedAndAddsNothing) {
  auto index = MakeIndex();
  const std::vector<uint32_t> two = {1, 2};
  const std::vector<uint32_t> twice = {1, 1};
  const std::vector<float> rows(2 * kDim, 0.5f);
  EXPECT_THAT(index->Add(two, std::vector<float>(kDim)),
              StatusIs(absl::StatusCode::kInvalidArgument, "2 ids need 48 values"));
  EXPECT_THAT(index->Add(twice, rows), StatusIs(absl::StatusCode::kInvalidArgument, "repeats"));
  std::vector<float> nan = rows;
  nan[3] = std::nanf("");
  EXPECT_THAT(index->Add(two, nan), StatusIs(absl::StatusCode::kInvalidArgument, "NaN"));
  EXPECT_EQ(index->size(), 0u);
  EXPECT_TRUE(index->Search(rows, 5).value()[0].empty());
  EXPECT_THAT(index->Search(std::vector<float>(kDim + 1), 5),
              StatusIs(absl::StatusCode::kInvalidArgument, "whole queries"));
  HnswOptions bad;
  bad.m = 1;
  EXPECT_THAT(HnswVectorIndex::Create(kDim, bad),
              StatusIs(absl::StatusCode::kInvalidArgument, "hnsw.m"));
}

}  // namespace
}  // namespace souk::vector
