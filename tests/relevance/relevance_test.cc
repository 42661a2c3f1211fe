// Runs the declarative relevance cases in tests/relevance/*.yaml (README.md there describes the
// format): each file's corpus is indexed with the default analyzer and BM25F settings, then each
// case's query must include, exclude or order the products it names.

#include <algorithm>
#include <filesystem>

#include "souk/config/souk_config.h"
#include "souk/engine/index_directory.h"
#include "souk/engine/search_engine.h"
#include "souk/engine/snapshot.h"
#include "support/test_support.h"
#include "yaml-cpp/yaml.h"

namespace souk {
namespace {

using ::souk::testing::TempDir;

catalog::Product ProductFromYaml(const YAML::Node& n) {
  catalog::Product p;
  p.id = n["id"].as<std::string>();
  p.title = n["title"].as<std::string>("");
  p.description = n["description"].as<std::string>("");
  p.brand = n["brand"].as<std::string>("");
  if (n["category"]) {
    std::string path = n["category"].as<std::string>();
    for (size_t start = 0;;) {
      size_t sep = path.find(catalog::kCategorySeparator, start);
      p.category_path.push_back(path.substr(start, sep - start));
      if (sep == std::string::npos) break;
      start = sep + std::string(catalog::kCategorySeparator).size();
    }
  }
  if (n["price"]) p.price = n["price"].as<double>();
  if (n["stock"]) p.stock = n["stock"].as<int64_t>();
  return p;
}

std::vector<std::string> Strings(const YAML::Node& n) {
  return n ? n.as<std::vector<std::string>>() : std::vector<std::string>{};
}

std::string Show(const std::vector<std::string>& ids) {
  std::string s;
  for (const std::string& id : ids) s += (s.empty() ? "" : ", ") + id;
  return "[" + s + "]";
}

void CheckCase(const engine::SearchEngine& engine, const YAML::Node& c) {
  engine::SearchQuery q;
  q.query = c["query"].as<std::string>();
  q.page_size = c["top_k"].as<int64_t>(10);
  if (const YAML::Node f = c["filters"]) {
    q.category = f["category"].as<std::string>("");
    q.brands = Strings(f["brands"]);
    if (f["min_price"]) q.min_price = f["min_price"].as<double>();
    if (f["max_price"]) q.max_price = f["max_price"].as<double>();
    q.in_stock_only = f["in_stock_only"].as<bool>(false);
  }
  SCOPED_TRACE("query: " + q.query);
  auto page = engine.Search(q);
  ASSERT_OK(page);
  std::vector<std::string> got;
  for (const auto& item : page->items) got.push_back(item.product->id);
  auto pos = [&](const std::string& id) { return std::find(got.begin(), got.end(), id); };
  for (const std::string& id : Strings(c["must_include"])) {
    EXPECT_NE(pos(id), got.end()) << id << " missing from " << Show(got);
  }
  for (const std::string& id : Strings(c["must_exclude"])) {
    EXPECT_EQ(pos(id), got.end()) << id << " present in " << Show(got);
  }
  const std::vector<std::string> top = Strings(c["top"]);
  if (!top.empty()) {
    std::vector<std::string> head(got.begin(), got.begin() + std::min(top.size(), got.size()));
    EXPECT_EQ(head, top) << "results: " << Show(got);
  }
  const std::vector<std::string> order = Strings(c["order"]);
  for (size_t i = 1; i < order.size(); ++i) {
    EXPECT_LT(pos(order[i - 1]), pos(order[i]))
        << order[i - 1] << " should rank above " << order[i] << " in " << Show(got);
  }
  if (c["empty"] && c["empty"].as<bool>()) {
    EXPECT_TRUE(got.empty()) << Show(got);
  }
}

class RelevanceTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RelevanceTest, CasesHold) {
  const YAML::Node doc = YAML::LoadFile(GetParam());
  std::vector<catalog::Product> products;
  for (const YAML::Node& n : doc["corpus"]) products.push_back(ProductFromYaml(n));
  TempDir tmp;
  engine::SnapshotOptions options;
  options.index_dir = tmp.File("index");
  ASSERT_OK(engine::WriteIndexDirectory(products, options));
  auto snapshot = engine::Snapshot::Load(options);
  ASSERT_OK(snapshot);
  engine::SearchOptions search;
  if (const YAML::Node rules = doc["rules"]) {
    // Through the server's own config reader, so the cases use the config's syntax.
    YAML::Node config;
    config["index"]["dir"] = options.index_dir;
    config["rules"] = rules;
    auto parsed = config::ParseConfig(YAML::Dump(config));
    ASSERT_OK(parsed);
    search.rules = parsed->search.rules;
  }
  auto engine = engine::SearchEngine::Create(search, *snapshot);
  ASSERT_OK(engine);
  ASSERT_GT(doc["cases"].size(), 0u);
  for (const YAML::Node& c : doc["cases"]) CheckCase(**engine, c);
}

std::vector<std::string> CaseFiles() {
  std::vector<std::string> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(souk::testing::SourcePath("tests/relevance"))) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string FileName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = std::filesystem::path(info.param).stem().string();
  std::replace_if(
      name.begin(), name.end(), [](char ch) { return !std::isalnum(ch); }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Files, RelevanceTest, ::testing::ValuesIn(CaseFiles()), FileName);

}  // namespace
}  // namespace souk
