// Exact inner-product search: the neighbours a brute-force loop finds, filters, replacing and
// removing rows, and bad input named.

#include "souk/vector/exact_index.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "souk/base/check.h"
#include "support/test_support.h"

namespace souk::vector {
namespace {

using ::souk::testing::StatusIs;

std::unique_ptr<ExactVectorIndex> MakeIndex(size_t dim) {
  auto index = ExactVectorIndex::Create(dim, {});
  SOUK_CHECK(index.ok());
  return std::move(*index);
}

std::vector<float> RandomRows(size_t n, size_t dim, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<float> v(n * dim);
  for (float& x : v) x = normal(rng);
  return v;
}

// The k best scores of a brute-force scan, best first.
std::vector<float> BruteForce(const std::vector<uint32_t>& ids, const std::vector<float>& rows,
                              const float* query, size_t dim, size_t k) {
  std::vector<float> scores;
  for (size_t r = 0; r < ids.size(); ++r) {
    float s = 0;
    for (size_t d = 0; d < dim; ++d) s += rows[r * dim + d] * query[d];
    scores.push_back(s);
  }
  std::sort(scores.begin(), scores.end(), std::greater<float>());
  scores.resize(std::min(k, scores.size()));
  return scores;
}

std::vector<uint32_t> Ids(const std::vector<Neighbor>& neighbors) {
  std::vector<uint32_t> out;
  for (const Neighbor& n : neighbors) out.push_back(n.id);
  return out;
}

TEST(ExactVectorIndexTest, FindsWhatABruteForceScanFinds) {
  constexpr size_t kDim = 16, kRows = 500, kQueries = 300;  // more queries than one chunk
  auto index = MakeIndex(kDim);
  std::vector<uint32_t> ids(kRows);
  for (size_t i = 0; i < kRows; ++i) ids[i] = static_cast<uint32_t>(1000 + 3 * i);
  const std::vector<float> rows = RandomRows(kRows, kDim, 1);
  ASSERT_OK(index->Add(ids, rows));
  EXPECT_EQ(index->size(), kRows);
  const std::vector<float> queries = RandomRows(kQueries, kDim, 2);
  auto found = index->Search(queries, 10);
  ASSERT_OK(found);
  ASSERT_EQ(found->size(), kQueries);
  for (size_t q = 0; q < kQueries; ++q) {
    // Scores, not ids: summation order may swap two near-tied rows.
    const std::vector<float> expected = BruteForce(ids, rows, &queries[q * kDim], kDim, 10);
    ASSERT_EQ((*found)[q].size(), expected.size());
    for (size_t j = 0; j < expected.size(); ++j) {
      const Neighbor& n = (*found)[q][j];
      EXPECT_NEAR(n.score, expected[j], 1e-4) << q << " " << j;
      // The id is the row that has the score.
      const size_t row = (n.id - 1000) / 3;
      float s = 0;
      for (size_t d = 0; d < kDim; ++d) s += rows[row * kDim + d] * queries[q * kDim + d];
      EXPECT_NEAR(n.score, s, 1e-4);
    }
  }
}

// A query or a few at a time are scanned row by row, not multiplied as a matrix: the same
// answers, over more rows than one scanned block and a dim that is not whole SIMD lanes.
TEST(ExactVectorIndexTest, FewQueriesAtATimeFindWhatABruteForceScanFinds) {
  constexpr size_t kDim = 37, kRows = 5000, kQueries = 12;
  auto index = MakeIndex(kDim);
  std::vector<uint32_t> ids(kRows);
  for (size_t i = 0; i < kRows; ++i) ids[i] = static_cast<uint32_t>(i);
  const std::vector<float> rows = RandomRows(kRows, kDim, 3);
  ASSERT_OK(index->Add(ids, rows));
  const std::vector<float> queries = RandomRows(kQueries, kDim, 4);
  for (size_t batch : {1, 3}) {
    for (size_t q = 0; q + batch <= kQueries; q += batch) {
      auto found = index->Search(std::span<const float>(queries).subspan(q * kDim, batch * kDim),
                                 20, [](uint32_t id) { return id % 3 != 0; });
      ASSERT_OK(found);
      ASSERT_EQ(found->size(), batch);
      for (size_t b = 0; b < batch; ++b) {
        const float* query = &queries[(q + b) * kDim];
        std::vector<uint32_t> allowed_ids;
        std::vector<float> allowed_rows;
        for (size_t r = 0; r < kRows; ++r) {
          if (r % 3 == 0) continue;
          allowed_ids.push_back(ids[r]);
          allowed_rows.insert(allowed_rows.end(), rows.begin() + r * kDim,
                              rows.begin() + (r + 1) * kDim);
        }
        const std::vector<float> expected = BruteForce(allowed_ids, allowed_rows, query, kDim, 20);
        ASSERT_EQ((*found)[b].size(), expected.size());
        for (size_t j = 0; j < expected.size(); ++j) {
          const Neighbor& n = (*found)[b][j];
          EXPECT_NE(n.id % 3, 0u);
          EXPECT_NEAR(n.score, expected[j], 1e-4) << q << " " << j;
          float s = 0;
          for (size_t d = 0; d < kDim; ++d) s += rows[n.id * kDim + d] * query[d];
          EXPECT_NEAR(n.score, s, 1e-4);
        }
      }
    }
  }
}

TEST(ExactVectorIndexTest, TiedRowsComeInTheOrderTheyWereAdded) {
  auto index = MakeIndex(2);
  ASSERT_OK(index->Add(std::vector<uint32_t>{30, 10, 20, 40},
                       std::vector<float>{1, 1, 1, 1, 1, 1, 0, 1}));
  auto top = index->Search(std::vector<float>{1, 0}, 2);
  ASSERT_OK(top);
  EXPECT_EQ(Ids((*top)[0]), (std::vector<uint32_t>{30, 10}));
}

TEST(ExactVectorIndexTest, AFilterKeepsOnlyAllowedIds) {
  auto index = MakeIndex(2);
  ASSERT_OK(index->Add(std::vector<uint32_t>{1, 2, 3, 4},
                       std::vector<float>{1, 0, 0.9f, 0, 0.8f, 0, 0.7f, 0}));
  const std::vector<float> query{1, 0};
  auto even = index->Search(query, 3, [](uint32_t id) { return id % 2 == 0; });
  ASSERT_OK(even);
  EXPECT_EQ(Ids((*even)[0]), (std::vector<uint32_t>{2, 4}));  // fewer than k are allowed
  auto none = index->Search(query, 3, [](uint32_t) { return false; });
  ASSERT_OK(none);
  EXPECT_TRUE((*none)[0].empty());
}

TEST(ExactVectorIndexTest, AddingAnIdAgainReplacesItsRowAndRemoveDropsIt) {
  auto index = MakeIndex(2);
  ASSERT_OK(index->Add(std::vector<uint32_t>{7, 8}, std::vector<float>{1, 0, 0, 1}));
  ASSERT_OK(index->Add(std::vector<uint32_t>{7, 9}, std::vector<float>{0, -1, 0.5f, 0.5f}));
  EXPECT_EQ(index->size(), 3u);
  auto top = index->Search(std::vector<float>{1, 0}, 3);
  ASSERT_OK(top);
  EXPECT_EQ(Ids((*top)[0]), (std::vector<uint32_t>{9, 7, 8}));
  EXPECT_FLOAT_EQ((*top)[0][0].score, 0.5f);

  EXPECT_EQ(index->Remove(std::vector<uint32_t>{9, 42}), 1u);
  EXPECT_EQ(index->size(), 2u);
  top = index->Search(std::vector<float>{1, 0}, 3);
  ASSERT_OK(top);
  EXPECT_EQ(Ids((*top)[0]), (std::vector<uint32_t>{7, 8}));
}

TEST(ExactVectorIndexTest, AnEmptyIndexAnswersEmptyLists) {
  auto index = MakeIndex(3);
  auto found = index->Search(std::vector<float>{1, 2, 3, 4, 5, 6}, 5);
  ASSERT_OK(found);
  ASSERT_EQ(found->size(), 2u);
  EXPECT_TRUE((*found)[0].empty());
}

TEST(ExactVectorIndexTest, BadInputIsNamedAndAddsNothing) {
  EXPECT_THAT(ExactVectorIndex::Create(0, {}), StatusIs(absl::StatusCode::kInvalidArgument, "dim"));
  EXPECT_THAT(ExactVectorIndex::Create(4, {.device = "tpu"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "vector.device"));
  auto index = MakeIndex(2);
  EXPECT_THAT(index->Add(std::vector<uint32_t>{1, 2}, std::vector<float>{1, 2, 3}),
              StatusIs(absl::StatusCode::kInvalidArgument, "values"));
  EXPECT_THAT(index->Add(std::vector<uint32_t>{1, 1}, std::vector<float>{1, 2, 3, 4}),
              StatusIs(absl::StatusCode::kInvalidArgument, "repeats"));
  EXPECT_THAT(index->Add(std::vector<uint32_t>{1}, std::vector<float>{NAN, 0}),
              StatusIs(absl::StatusCode::kInvalidArgument, "NaN"));
  EXPECT_EQ(index->size(), 0u);
  EXPECT_THAT(index->Search(std::vector<float>{1, 2, 3}, 1),
              StatusIs(absl::StatusCode::kInvalidArgument, "dim 2"));
}

}  // namespace
}  // namespace souk::vector
