// `souk train rewrites` then `souk search` as a shop would run them: shoppers who found nothing
// for "charging block" and bought after searching "usb charger" teach the rewrite, and the
// index then answers "charging block" with the chargers; a synonym from --set does the same.

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "souk/base/file_util.h"
#include "souk/eval/qrels.h"
#include "support/test_support.h"

namespace souk {
namespace {

using ::souk::testing::TempDir;
using ::testing::Contains;
using ::testing::IsEmpty;

int RunSouk(const std::string& args) {
  const std::string command = std::string(SOUK_PATH) + " " + args + " > /dev/null 2>&1";
  return std::system(command.c_str());
}

std::string Event(const std::string& fields) { return "{" + fields + "}\n"; }

// Shopper `user` searches `failed`, leaves, searches "usb charger" and buys c1 from it.
std::string Reformulation(const std::string& user, const std::string& failed) {
  const std::string who = "\"user_id\":\"" + user + "\",\"session_id\":\"s-" + user + "\",";
  return Event(who + "\"type\":\"search\",\"request_id\":\"a-" + user + "\",\"query\":\"" + failed +
               "\",\"ts\":100") +
         Event(who + "\"type\":\"search\",\"request_id\":\"b-" + user +
               "\",\"query\":\"usb charger\",\"ts\":130") +
         Event(who + "\"type\":\"purchase\",\"request_id\":\"b-" + user +
               "\",\"product_id\":\"c1\",\"quantity\":1,\"price\":9.5,\"ts\":160");
}

// The products of the run `souk search` writes for `query` with `flags`.
std::vector<std::string> Search(const TempDir& tmp, const std::string& query,
                                const std::string& flags) {
  const std::string queries = tmp.WriteFile("queries.tsv", "q1\t" + query + "\n");
  EXPECT_EQ(RunSouk("search --index " + tmp.File("index") + " --queries " + queries + " --output " +
                    tmp.File("run.txt") + " " + flags),
            0);
  auto run = eval::ReadTrecRun(tmp.File("run.txt"));
  EXPECT_OK(run);
  if (!run.ok()) return {};
  for (const auto& [id, products] : *run) {
    if (id == "q1") return products;
  }
  return {};
}

TEST(SoukRewritesTest, LearnedFromReformulationsThenServedBySearch) {
  TempDir tmp;
  const std::string catalog =
      tmp.WriteFile("catalog.jsonl",
                    "{\"id\":\"c1\",\"title\":\"USB Charger 20W\",\"brand\":\"Anker\"}\n"
                    "{\"id\":\"c2\",\"title\":\"USB C Charger Dual Port\",\"brand\":\"Ugreen\"}\n"
                    "{\"id\":\"h1\",\"title\":\"Garden Hose 50 ft\",\"brand\":\"Gilmour\"}\n");
  ASSERT_EQ(RunSouk("index --catalog " + catalog + " --out " + tmp.File("index")), 0);
  std::string events;
  for (const char* user : {"u1", "u2", "u3"}) events += Reformulation(user, "charging block");
  events += Reformulation("u4", "wall plug");  // one shopper: not enough
  const std::string log = tmp.WriteFile("events.jsonl", events);
  ASSERT_EQ(RunSouk("train rewrites --events " + log + " --out " + tmp.File("rewrites.tsv")), 0);
  auto written = ReadFileToString(tmp.File("rewrites.tsv"));
  ASSERT_OK(written);
  EXPECT_EQ(*written, "from\tto\tusers\ncharging block\tusb charger\t3\n");

  EXPECT_THAT(Search(tmp, "charging block", ""), IsEmpty());
  const std::vector<std::string> found = Search(
      tmp, "charging block", "--set lexical.rewrites.learned_file=" + tmp.File("rewrites.tsv"));
  EXPECT_THAT(found, Contains("c1"));
  EXPECT_THAT(found, Contains("c2"));
  EXPECT_THAT(
      Search(tmp, "power brick", "--set 'lexical.rewrites.synonyms=[\"power brick => charger\"]'"),
      Contains("c1"));

  // Bad input is named, and nothing is written.
  EXPECT_NE(RunSouk("train rewrites --events " + tmp.File("missing.jsonl") + " --out " +
                    tmp.File("none.tsv")),
            0);
  EXPECT_FALSE(std::filesystem::exists(tmp.File("none.tsv")));
  EXPECT_NE(RunSouk("train rewrites --events " + log + " --out " + tmp.File("none.tsv") +
                    " --min-users 0"),
            0);
}

}  // namespace
}  // namespace souk
