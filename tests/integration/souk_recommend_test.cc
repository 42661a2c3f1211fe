// `souk train seqrec` and `souk recommend` as outside checks call them: train on `user item`
// lines, then write every user's next items as a TREC run. Users walk a cycle of items, so the
// right next item is known.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "souk/base/file_util.h"
#include "souk/eval/qrels.h"
#include "support/test_support.h"

namespace souk {
namespace {

using ::souk::testing::TempDir;

constexpr int kCycle = 30;

int RunSouk(const std::string& args) {
  const std::string command = std::string(SOUK_PATH) + " " + args + " > /dev/null 2>&1";
  return std::system(command.c_str());
}

// Users u0..u119 walk 4 to 9 consecutive items of the cycle; u<n>'s last item is (start + len).
std::string CycleInteractions() {
  std::string out;
  for (int u = 0; u < 120; ++u) {
    const int start = (u * 7) % kCycle;
    for (int i = 0; i < 4 + u % 6; ++i) {
      out += "u" + std::to_string(u) + " i" + std::to_string((start + i) % kCycle + 1) + "\n";
    }
  }
  return out;
}

// The first item of each query of the run file at `path`.
std::map<std::string, std::string> TopItems(const std::string& path) {
  std::map<std::string, std::string> top;
  auto run = eval::ReadTrecRun(path);
  EXPECT_OK(run);
  if (!run.ok()) return top;
  for (const auto& [user, items] : *run) {
    if (!items.empty()) top[user] = items.front();
  }
  return top;
}

TEST(SoukRecommendTest, TrainsThenRecommendsTheNextItemOfEveryUser) {
  TempDir tmp;
  const std::string data = tmp.WriteFile("cycle.txt", CycleInteractions());
  ASSERT_EQ(RunSouk("train seqrec --interactions " + data + " --out " + tmp.File("model") +
                    " --hidden 32 --layers 1 --heads 2 --max-length 8 --dropout 0 --batch 16"
                    " --epochs 30 --patience 30 --validation-users 0 --lr 1e-2 --threads 1"
                    " --no-plot"),
            0);
  ASSERT_EQ(RunSouk("recommend --method seqrec --model " + tmp.File("model") + " --interactions " +
                    data + " --k 5 --output " + tmp.File("seqrec.txt")),
            0);
  const auto top = TopItems(tmp.File("seqrec.txt"));
  ASSERT_EQ(top.size(), 120u);
  int right = 0;
  for (int u = 0; u < 120; ++u) {
    const int next = ((u * 7) % kCycle + 4 + u % 6) % kCycle + 1;
    right += top.at("u" + std::to_string(u)) == "i" + std::to_string(next);
  }
  EXPECT_GE(right, 108) << "of 120";

  // The counting methods need no model; Markov knows every successor here.
  ASSERT_EQ(RunSouk("recommend --method markov --interactions " + data + " --output " +
                    tmp.File("markov.txt")),
            0);
  EXPECT_EQ(TopItems(tmp.File("markov.txt")).at("u0"), "i5");  // u0: i1 i2 i3 i4

  // --candidates ranks the listed items of the listed users only.
  const std::string candidates = tmp.WriteFile("candidates.txt", "u0 i9\nu0 i20\nu0 i5\n");
  for (const std::string method : {"seqrec", "markov", "blend"}) {
    ASSERT_EQ(RunSouk("recommend --method " + method + " --model " + tmp.File("model") +
                      " --interactions " + data + " --candidates " + candidates + " --output " +
                      tmp.File("ranked.txt")),
              0);
    auto run = eval::ReadTrecRun(tmp.File("ranked.txt"));
    ASSERT_OK(run);
    ASSERT_EQ(run->size(), 1u) << method;
    EXPECT_EQ((*run)[0].first, "u0");
    ASSERT_EQ((*run)[0].second.size(), 3u);
    EXPECT_EQ((*run)[0].second.front(), "i5") << method;
  }
}

// Items the model never saw reach the default blend through co-visitation counted on FILE (k
// covers every item: in so small a catalog nearly every item is in both lists, z9 in one).
TEST(SoukRecommendTest, TheBlendAddsItemsOnlyTheFileKnows) {
  TempDir tmp;
  const std::string data = tmp.WriteFile("cycle.txt", CycleInteractions());
  ASSERT_EQ(RunSouk("train seqrec --interactions " + data + " --out " + tmp.File("model") +
                    " --hidden 16 --layers 1 --heads 1 --max-length 8 --batch 16 --epochs 3"
                    " --validation-users 0 --threads 1 --no-plot"),
            0);
  std::string extended = CycleInteractions();
  for (int w = 0; w < 30; ++w)
    extended += "w" + std::to_string(w) + " i1\nw" + std::to_string(w) + " z9\n";
  extended += "w30 i1\n";
  const std::string file = tmp.WriteFile("extended.txt", extended);
  ASSERT_EQ(RunSouk("recommend --model " + tmp.File("model") + " --interactions " + file +
                    " --k 40 --output " + tmp.File("blend.txt")),
            0);
  auto run = eval::ReadTrecRun(tmp.File("blend.txt"));
  ASSERT_OK(run);
  const auto newest = std::find_if(run->begin(), run->end(),
                                   [](const auto& entry) { return entry.first == "w30"; });
  ASSERT_NE(newest, run->end());
  EXPECT_THAT(newest->second, ::testing::Contains("z9"));  // co-visitation's only
  EXPECT_THAT(newest->second, ::testing::Not(::testing::Contains("i1")));
}

TEST(SoukRecommendTest, BadInvocationsFail) {
  TempDir tmp;
  const std::string data = tmp.WriteFile("one.txt", "u1 a\nu1 b\n");
  EXPECT_NE(RunSouk("recommend --interactions " + data + " --output " + tmp.File("r.txt")), 0);
  EXPECT_NE(RunSouk("recommend --method magic --interactions " + data + " --output x"), 0);
  EXPECT_NE(
      RunSouk("train seqrec --interactions " + tmp.File("missing.txt") + " --out " + tmp.File("m")),
      0);
}

}  // namespace
}  // namespace souk
