#include "souk/encoder/lru_cache.h"

#include <string>
#include <thread>
#include <vector>

#include "support/test_support.h"

namespace souk::encoder {
namespace {

TEST(LruCacheTest, ForgetsTheLeastRecentlyUsed) {
  LruCache<std::string, int> cache(2);
  cache.Put("a", 1);
  cache.Put("b", 2);
  EXPECT_EQ(cache.Get("a"), 1);  // a is now more recent than b
  cache.Put("c", 3);             // evicts b
  EXPECT_EQ(cache.Get("b"), std::nullopt);
  EXPECT_EQ(cache.Get("a"), 1);
  EXPECT_EQ(cache.Get("c"), 3);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.hits(), 3u);
  EXPECT_EQ(cache.misses(), 1u);
}

TEST(LruCacheTest, PutReplacesAndRefreshes) {
  LruCache<std::string, int> cache(2);
  cache.Put("a", 1);
  cache.Put("b", 2);
  cache.Put("a", 10);  // a refreshed
  cache.Put("c", 3);   // evicts b
  EXPECT_EQ(cache.Get("a"), 10);
  EXPECT_EQ(cache.Get("b"), std::nullopt);
}

TEST(LruCacheTest, CapacityZeroStoresNothing) {
  LruCache<int, int> cache(0);
  cache.Put(1, 1);
  EXPECT_EQ(cache.Get(1), std::nullopt);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(LruCacheTest, ConcurrentUseKeepsTheBound) {
  LruCache<int, std::vector<float>> cache(64);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const int key = (i * 7 + t) % 200;
        if (auto v = cache.Get(key)) {
          EXPECT_EQ(v->size(), static_cast<size_t>(key % 5 + 1));
        } else {
          cache.Put(key, std::vector<float>(key % 5 + 1, 1.0f));
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(cache.size(), 64u);
}

}  // namespace
}  // namespace souk::encoder
