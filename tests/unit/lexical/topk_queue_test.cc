#include "souk/lexical/topk_queue.h"

#include <algorithm>
#include <random>

#include "support/test_support.h"

namespace souk::lexical {
namespace {

using catalog::DocId;

TEST(TopKQueueTest, KeepsTheKBestBestFirst) {
  TopKQueue q(3);
  EXPECT_TRUE(q.WouldEnter(-1e9f));
  EXPECT_TRUE(q.Insert(1.0f, DocId(0)));
  EXPECT_TRUE(q.Insert(5.0f, DocId(1)));
  EXPECT_TRUE(q.Insert(3.0f, DocId(2)));
  EXPECT_EQ(q.threshold(), 1.0f);
  EXPECT_FALSE(q.Insert(0.5f, DocId(3)));
  EXPECT_TRUE(q.Insert(4.0f, DocId(4)));
  EXPECT_EQ(q.threshold(), 3.0f);
  EXPECT_EQ(q.Finalize(), (std::vector<Hit>{{DocId(1), 5.0f}, {DocId(4), 4.0f}, {DocId(2), 3.0f}}));
  EXPECT_EQ(q.size(), 0u);
}

TEST(TopKQueueTest, TiesGoToTheSmallerDocId) {
  TopKQueue q(2);
  q.Insert(2.0f, DocId(7));
  q.Insert(2.0f, DocId(9));
  // Equal score, larger DocId than the worst kept: stays out.
  EXPECT_FALSE(q.WouldEnter(2.0f));
  EXPECT_FALSE(q.Insert(2.0f, DocId(11)));
  // Equal score, smaller DocId: enters (offered out of DocId order).
  EXPECT_TRUE(q.Insert(2.0f, DocId(3)));
  EXPECT_EQ(q.Finalize(), (std::vector<Hit>{{DocId(3), 2.0f}, {DocId(7), 2.0f}}));
}

TEST(TopKQueueTest, ZeroKKeepsNothing) {
  TopKQueue q(0);
  EXPECT_FALSE(q.WouldEnter(100.0f));
  EXPECT_FALSE(q.Insert(100.0f, DocId(0)));
  EXPECT_TRUE(q.Finalize().empty());
}

TEST(TopKQueueTest, EqualsSortingOnRandomInput) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 50; ++round) {
    const size_t k = std::uniform_int_distribution<size_t>(1, 20)(rng);
    std::vector<Hit> all;
    TopKQueue q(k);
    for (uint32_t d = 0; d < 200; ++d) {
      // Few distinct scores, so that ties are common.
      const float score = static_cast<float>(std::uniform_int_distribution<int>(0, 9)(rng));
      all.push_back({DocId(d), score});
      q.Insert(score, DocId(d));
    }
    std::sort(all.begin(), all.end(), RanksBefore);
    all.resize(k);
    EXPECT_EQ(q.Finalize(), all);
  }
}

}  // namespace
}  // namespace souk::lexical
