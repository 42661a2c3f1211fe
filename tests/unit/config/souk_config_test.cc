#include "souk/config/souk_config.h"

#include <cstdlib>

#include "souk/base/file_util.h"
#include "souk/base/str_cat.h"
#include "support/test_support.h"

namespace souk::config {
namespace {

using ::souk::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kMinimal[] = "index: {dir: /tmp/idx}\n";

TEST(SoukConfigTest, MinimalConfigGetsDefaults) {
  auto c = ParseConfig(kMinimal);
  ASSERT_OK(c);
  EXPECT_EQ(c->snapshot.index_dir, "/tmp/idx");
  EXPECT_EQ(c->server.address, "127.0.0.1:50051");
  EXPECT_FLOAT_EQ(c->snapshot.lexical.k1, lexical::LexicalOptions{}.k1);
}

TEST(SoukConfigTest, ReadsNestedValues) {
  auto c = ParseConfig(
      "index: {dir: x}\nlexical:\n  k1: 0.9\n  fields:\n    title: {weight: 5, b: 0.3}\n"
      "search: {max_page_size: 50}\nlogging: {level: debug, json: true}\n");
  ASSERT_OK(c);
  EXPECT_FLOAT_EQ(c->snapshot.lexical.k1, 0.9f);
  EXPECT_FLOAT_EQ(c->snapshot.lexical.field(lexical::Field::kTitle).weight, 5.0f);
  EXPECT_FLOAT_EQ(c->snapshot.lexical.field(lexical::Field::kTitle).b, 0.3f);
  EXPECT_EQ(c->search.max_page_size, 50u);
  EXPECT_EQ(c->logging.level, logging::Level::kDebug);
  EXPECT_TRUE(c->logging.json);
}

TEST(SoukConfigTest, UnknownKeysAreErrorsWithTheirPath) {
  EXPECT_THAT(ParseConfig("index: {dir: x}\nlexical: {k2: 1}\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, "lexical.k2: unknown key"));
  EXPECT_THAT(ParseConfig("index: {dir: x}\nlexical: {fields: {titel: {weight: 1}}}\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, "lexical.fields.titel: unknown key"));
  EXPECT_THAT(ParseConfig("index: {dir: x}\nserch: {}\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, "serch: unknown key"));
}

TEST(SoukConfigTest, WrongTypesAreErrorsWithTheirPath) {
  EXPECT_THAT(ParseConfig("index: {dir: x}\nlexical: {k1: fast}\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, "lexical.k1: expected a number"));
  EXPECT_THAT(ParseConfig("index: {dir: x}\nsearch: {max_page_size: -3}\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, "search.max_page_size"));
  EXPECT_THAT(ParseConfig("index: {dir: x}\nserver: [1, 2]\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, "server: expected a mapping"));
  EXPECT_THAT(ParseConfig("index: {dir: x}\nlogging: {level: loud}\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, "logging.level"));
  EXPECT_THAT(ParseConfig("index: {dir: [x}\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, "YAML syntax error"));
}

TEST(SoukConfigTest, ValidationNamesTheKey) {
  EXPECT_THAT(ParseConfig("server: {address: x}\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, "server.address"));
  EXPECT_THAT(ParseConfig(""), StatusIs(absl::StatusCode::kInvalidArgument, "index.dir"));
  EXPECT_THAT(ParseConfig("index: {dir: x}\nlexical: {k1: 0}\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, "k1"));
}

TEST(SoukConfigTest, OverridesBeatTheFile) {
  auto c = ParseConfig(
      kMinimal, {"lexical.k1=2.5", "server.address=127.0.0.1:0", "lexical.fields.brand.b=0"});
  ASSERT_OK(c);
  EXPECT_FLOAT_EQ(c->snapshot.lexical.k1, 2.5f);
  EXPECT_EQ(c->server.address, "127.0.0.1:0");
  EXPECT_FLOAT_EQ(c->snapshot.lexical.field(lexical::Field::kBrand).b, 0.0f);
  EXPECT_THAT(ParseConfig(kMinimal, {"lexical.k3=1"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "lexical.k3: unknown key"));
  EXPECT_THAT(ParseConfig(kMinimal, {".=1"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "empty key path"));
  EXPECT_THAT(ParseConfig(kMinimal, {"nonsense"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "expected key.path=value"));
}

TEST(SoukConfigTest, PrintedConfigParsesBackToTheSameValues) {
  auto c = ParseConfig(
      kMinimal, {"lexical.k1=0.7", "search.max_query_bytes=100", "encoder.model_dir=models/m",
                 "search.rrf_k=30", "vectors.hnsw.m=32", "ranker.model=models/ranker.json"});
  ASSERT_OK(c);
  const std::string yaml = ToYaml(*c);
  auto again = ParseConfig(yaml);
  ASSERT_OK(again);
  EXPECT_EQ(ToYaml(*again), yaml);
  EXPECT_THAT(yaml, HasSubstr("k1: 0.7"));
  EXPECT_THAT(yaml, HasSubstr("m: 32"));
  EXPECT_THAT(yaml, HasSubstr("model_dir: models/m"));
  EXPECT_EQ(again->snapshot.ranker_model, "models/ranker.json");
}

TEST(SoukConfigTest, SpellingIsReadPrintedAndChecked) {
  auto c = ParseConfig(
      "index: {dir: x}\nlexical: {spelling: {enabled: false, min_length: 5, rare_max_df: 0}}\n");
  ASSERT_OK(c);
  EXPECT_EQ(c->snapshot.lexical.spelling.rare_max_df, 0u);
  EXPECT_THAT(ToYaml(*c), HasSubstr("rare_max_df: 0, rare_min_length: 6, rare_min_ratio: 20}"));
  EXPECT_FALSE(c->snapshot.lexical.spelling.enabled);
  EXPECT_EQ(c->snapshot.lexical.spelling.min_length, 5u);
  EXPECT_EQ(c->snapshot.lexical.spelling.min_df, lexical::SpellingOptions{}.min_df);
  EXPECT_THAT(ToYaml(*c), HasSubstr("spelling: {enabled: false, min_df: 2, min_length: 5"));
  EXPECT_THAT(ParseConfig(kMinimal, {"lexical.spelling.min_length=2"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "spelling.min_length must be >= 3"));
  EXPECT_THAT(
      ParseConfig(kMinimal, {"lexical.spelling.max_edits=3"}),
      StatusIs(absl::StatusCode::kInvalidArgument, "lexical.spelling.max_edits: unknown key"));
}

TEST(SoukConfigTest, RewritesAreReadPrintedAndChecked) {
  auto c = ParseConfig(
      "index: {dir: x}\nlexical: {rewrites: {synonyms: [\"sofa, couch\", \"telly => tv\"],\n"
      "  synonyms_file: syn.txt, learned_file: learned.tsv, max_added_terms: 4}}\n");
  ASSERT_OK(c);
  const lexical::RewriteOptions& r = c->snapshot.lexical.rewrites;
  EXPECT_THAT(r.synonyms, ElementsAre("sofa, couch", "telly => tv"));
  EXPECT_EQ(r.synonyms_file, "syn.txt");
  EXPECT_EQ(r.learned_file, "learned.tsv");
  EXPECT_EQ(r.max_added_terms, 4u);
  auto printed = ParseConfig(ToYaml(*c));
  ASSERT_OK(printed);
  EXPECT_EQ(printed->snapshot.lexical.rewrites.synonyms, r.synonyms);
  EXPECT_EQ(printed->snapshot.lexical.rewrites.learned_file, "learned.tsv");
  EXPECT_THAT(ParseConfig(kMinimal, {"lexical.rewrites.max_added_terms=0"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "max_added_terms must be >= 1"));
  EXPECT_THAT(
      ParseConfig(kMinimal, {"lexical.rewrites.synonym=x"}),
      StatusIs(absl::StatusCode::kInvalidArgument, "lexical.rewrites.synonym: unknown key"));
}

TEST(SoukConfigTest, ExpansionIsReadPrintedAndChecked) {
  auto c = ParseConfig(
      "index: {dir: x}\nexpansion: {model_dir: mlm, device: auto, threads: 2, batch_size: 16,\n"
      "  mask_slots: 6, terms: 12, min_probability: 0.1, min_lift: 3}\n"
      "lexical: {fields: {expansion: {weight: 0.3, b: 0.2}}}\n");
  ASSERT_OK(c);
  const encoder::ExpansionOptions& x = c->snapshot.expansion;
  EXPECT_EQ(x.model_dir, "mlm");
  EXPECT_EQ(x.device, "auto");
  EXPECT_EQ(x.threads, 2);
  EXPECT_EQ(x.batch_size, 16u);
  EXPECT_EQ(x.mask_slots, 6u);
  EXPECT_EQ(x.terms, 12u);
  EXPECT_FLOAT_EQ(x.min_probability, 0.1f);
  EXPECT_FLOAT_EQ(x.min_lift, 3.0f);
  EXPECT_FLOAT_EQ(c->snapshot.lexical.field(lexical::Field::kExpansion).weight, 0.3f);
  EXPECT_FLOAT_EQ(c->snapshot.lexical.field(lexical::Field::kExpansion).b, 0.2f);
  auto printed = ParseConfig(ToYaml(*c));
  ASSERT_OK(printed);
  EXPECT_EQ(printed->snapshot.expansion.model_dir, "mlm");
  EXPECT_EQ(printed->snapshot.expansion.mask_slots, 6u);
  EXPECT_FLOAT_EQ(printed->snapshot.expansion.min_probability, 0.1f);
  EXPECT_FLOAT_EQ(printed->snapshot.expansion.min_lift, 3.0f);
  EXPECT_FLOAT_EQ(printed->snapshot.lexical.field(lexical::Field::kExpansion).weight, 0.3f);
  // Off by default.
  auto minimal = ParseConfig(kMinimal);
  ASSERT_OK(minimal);
  EXPECT_FALSE(minimal->snapshot.expansion.enabled());
  EXPECT_THAT(ParseConfig(kMinimal, {"expansion.mask_slots=0"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "expansion.mask_slots"));
  EXPECT_THAT(ParseConfig(kMinimal, {"expansion.min_probability=2"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "expansion.min_probability"));
  EXPECT_THAT(ParseConfig(kMinimal, {"expansion.min_lift=-1"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "expansion.min_lift"));
  EXPECT_THAT(ParseConfig(kMinimal, {"expansion.slots=3"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "expansion.slots: unknown key"));
}

TEST(SoukConfigTest, RecommendIsReadPrintedAndChecked) {
  auto c = ParseConfig(
      "index: {dir: x}\nrecommend: {interactions: i.txt, seqrec_model: m, max_per_category: 0,\n"
      "  covisitation: {window: 3}, repeat_purchase_categories: [Grocery, Pets > Food],\n"
      "  baskets: b.txt, bought_together: {min_baskets: 3}}\n");
  ASSERT_OK(c);
  EXPECT_EQ(c->snapshot.recommender.interactions, "i.txt");
  EXPECT_EQ(c->snapshot.recommender.seqrec_model, "m");
  EXPECT_EQ(c->snapshot.recommender.covisitation.window, 3u);
  EXPECT_EQ(c->recommend.max_per_category, 0u);
  EXPECT_THAT(c->recommend.repeat_purchase_categories, ElementsAre("Grocery", "Pets > Food"));
  auto printed = ParseConfig(ToYaml(*c));
  ASSERT_OK(printed);
  EXPECT_EQ(printed->recommend.repeat_purchase_categories, c->recommend.repeat_purchase_categories);
  EXPECT_EQ(printed->snapshot.recommender.covisitation.window, 3u);
  EXPECT_EQ(printed->snapshot.recommender.baskets, "b.txt");
  EXPECT_EQ(printed->snapshot.recommender.bought_together.min_baskets, 3u);
  EXPECT_THAT(ParseConfig(kMinimal, {"recommend.repeat_purchase_categories=Grocery"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "recommend.repeat_purchase_categories: expected a list of strings"));
  EXPECT_THAT(ParseConfig(kMinimal, {"recommend.seqrec_model=m"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "needs recommend.interactions"));
  EXPECT_THAT(ParseConfig(kMinimal, {"recommend.candidates=0"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "recommend.candidates"));
  EXPECT_THAT(ParseConfig(kMinimal, {"recommend.colour=blue"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "recommend.colour: unknown key"));
}

TEST(SoukConfigTest, FeedbackAndExperimentAreReadPrintedAndChecked) {
  auto c = ParseConfig(
      "index: {dir: x}\nserver: {metrics_address: '127.0.0.1:9464'}\n"
      "feedback: {event_log: ev, sync: false, max_future_skew_s: 60, half_life_hours: 24,\n"
      "  prior_strength: 10, max_user_actions: 50}\n"
      "experiment: {salt: s1, variants: [{name: a, weight: 3}, {name: b, ranker: r.json}]}\n");
  ASSERT_OK(c);
  EXPECT_EQ(c->server.metrics_address, "127.0.0.1:9464");
  EXPECT_EQ(c->feedback.log.path, "ev");
  EXPECT_FALSE(c->feedback.log.sync);
  EXPECT_EQ(c->feedback.limits.max_future_skew_ms, 60000);
  EXPECT_EQ(c->feedback.aggregates.half_life_ms, 24LL * 3600 * 1000);
  EXPECT_DOUBLE_EQ(c->feedback.aggregates.prior_strength, 10);
  EXPECT_EQ(c->feedback.aggregates.max_user_actions, 50u);
  ASSERT_EQ(c->snapshot.experiment.variants.size(), 2u);
  EXPECT_EQ(c->snapshot.experiment.salt, "s1");
  EXPECT_DOUBLE_EQ(c->snapshot.experiment.variants[0].weight, 3);
  EXPECT_EQ(c->snapshot.experiment.variants[1].ranker_model, "r.json");
  auto printed = ParseConfig(ToYaml(*c));
  ASSERT_OK(printed);
  EXPECT_EQ(printed->feedback.aggregates.half_life_ms, c->feedback.aggregates.half_life_ms);
  EXPECT_EQ(printed->snapshot.experiment.variants[1].name, "b");
  EXPECT_EQ(printed->server.metrics_address, "127.0.0.1:9464");
  EXPECT_FALSE(ParseConfig(kMinimal)->feedback.enabled());
  EXPECT_THAT(ParseConfig(kMinimal, {"feedback.max_batch_events=0"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "feedback: max_batch_events"));
  EXPECT_THAT(ParseConfig(kMinimal, {"feedback.half_life_hours=0"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "feedback.half_life_hours"));
  EXPECT_FALSE(ParseConfig(kMinimal)->feedback.sentiment.enabled());
  auto scored =
      ParseConfig(kMinimal, {"feedback.sentiment.model_dir=m", "feedback.sentiment.batch_size=8",
                             "feedback.sentiment.threads=2", "feedback.sentiment.max_pending=100"});
  ASSERT_OK(scored);
  EXPECT_TRUE(scored->feedback.sentiment.enabled());
  EXPECT_EQ(scored->feedback.sentiment.classifier.model_dir, "m");
  EXPECT_EQ(scored->feedback.sentiment.classifier.batch_size, 8u);
  EXPECT_EQ(scored->feedback.sentiment.classifier.threads, 2);
  EXPECT_EQ(ParseConfig(ToYaml(*scored))->feedback.sentiment.max_pending, 100u);
  EXPECT_THAT(
      ParseConfig(kMinimal, {"feedback.sentiment.model_dir=m", "feedback.sentiment.max_pending=0"}),
      StatusIs(absl::StatusCode::kInvalidArgument, "feedback: sentiment.max_pending"));
  EXPECT_THAT(ParseConfig(kMinimal, {"feedback.sentiment.modeldir=m"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "feedback.sentiment.modeldir"));
  EXPECT_THAT(ParseConfig("index: {dir: x}\nexperiment: {variants: [{name: a, weight: -1}]}\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, "experiment: variants[0].weight"));
  EXPECT_THAT(
      ParseConfig("index: {dir: x}\nranker: {model: m}\nexperiment: {variants: [{name: a}]}\n"),
      StatusIs(absl::StatusCode::kInvalidArgument, "ranker.model: must be empty"));
}

TEST(SoukConfigTest, RulesAreReadPrintedAndChecked) {
  auto c = ParseConfig(std::string(kMinimal) + R"(
rules:
  pins: [{id: promo, query: cordless drill, product: p6, position: 1}]
  boosts:
    - {id: makita, field: brand, value: Makita, weight: 0.25}
  excludes:
    - {id: no-oos, field: in_stock, value: "false"}
  diversity: {max_per_brand: 3, window: 10}
)");
  ASSERT_OK(c);
  const rank::RulesConfig& r = c->search.rules;
  ASSERT_EQ(r.pins.size(), 1u);
  EXPECT_EQ(r.pins[0].product_id, "p6");
  EXPECT_EQ(r.pins[0].query, "cordless drill");
  ASSERT_EQ(r.boosts.size(), 1u);
  EXPECT_EQ(r.boosts[0].when.field, "brand");
  EXPECT_DOUBLE_EQ(r.boosts[0].weight, 0.25);
  ASSERT_EQ(r.excludes.size(), 1u);
  EXPECT_EQ(r.excludes[0].when.value, "false");
  EXPECT_EQ(r.diversity.max_per_brand, 3u);
  auto again = ParseConfig(ToYaml(*c));
  ASSERT_OK(again);
  EXPECT_EQ(ToYaml(*again), ToYaml(*c));

  EXPECT_THAT(ParseConfig(std::string(kMinimal) + "rules: {pins: [{id: a, colour: red}]}\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, "rules.pins[0].colour"));
  EXPECT_THAT(ParseConfig(std::string(kMinimal) + "rules: {boosts: {id: a}}\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, "rules.boosts: expected a list"));
  EXPECT_THAT(
      ParseConfig(std::string(kMinimal) + "rules: {boosts: [{id: a, field: size, value: x}]}\n"),
      StatusIs(absl::StatusCode::kInvalidArgument, "unknown field 'size'"));
}

TEST(SoukConfigTest, EncoderVectorsAndHybridSearchAreRead) {
  auto c = ParseConfig(std::string(kMinimal) + R"(
encoder:
  model_dir: models/shop
  threads: 2
  batching: {max_batch_size: 8, max_wait_us: 900}
vectors: {backend: hnsw, device: cpu, fp16_on_cuda: false, hnsw: {m: 24, ef_search: 64}}
search: {lexical_candidates: 50, dense_candidates: 200, rrf_k: 10}
)");
  ASSERT_OK(c);
  EXPECT_TRUE(c->snapshot.dense());
  EXPECT_EQ(c->snapshot.encoder.model_dir, "models/shop");
  EXPECT_EQ(c->snapshot.encoder.threads, 2);
  EXPECT_EQ(c->snapshot.encoder.batching.max_batch_size, 8u);
  EXPECT_EQ(c->snapshot.encoder.batching.max_wait, std::chrono::microseconds(900));
  EXPECT_FALSE(c->snapshot.vectors.exact.fp16_on_cuda);
  EXPECT_TRUE(c->snapshot.vectors.hnsw_backend());
  EXPECT_EQ(c->snapshot.vectors.hnsw.m, 24u);
  EXPECT_EQ(c->snapshot.vectors.hnsw.ef_search, 64u);
  EXPECT_EQ(c->snapshot.vectors.hnsw.ef_construction, vector::HnswOptions{}.ef_construction);
  EXPECT_EQ(c->search.lexical_candidates, 50u);
  EXPECT_EQ(c->search.dense_candidates, 200u);
  EXPECT_FLOAT_EQ(c->search.rrf_k, 10);

  EXPECT_FALSE(ParseConfig(kMinimal)->snapshot.dense());
  EXPECT_THAT(ParseConfig(kMinimal, {"encoder.model_dir=m", "encoder.threads=0"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "encoder.threads"));
  EXPECT_THAT(ParseConfig(kMinimal, {"encoder.batching.bogus=1"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "encoder.batching.bogus"));
  EXPECT_THAT(ParseConfig(kMinimal, {"vectors.backend=faiss"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "vectors.backend: 'faiss'"));
  EXPECT_THAT(ParseConfig(kMinimal, {"vectors.hnsw.ef_search=0"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "hnsw.ef_search"));
  EXPECT_THAT(ParseConfig(kMinimal, {"search.rrf_k=0"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "search.rrf_k"));
}

TEST(SoukConfigTest, TlsAndKeysAreReadPrintedAndChecked) {
  souk::testing::TempDir dir;
  const std::string digest(64, 'a');
  const std::string key_file =
      dir.WriteFile("keys.yaml", "keys:\n  - {name: ops, key_sha256: " + std::string(64, 'b') +
                                     ", roles: [admin]}\n");
  auto c = ParseConfig(StrCat(kMinimal, "server:\n  tls: {cert_file: s.pem, key_file: s.key}\n",
                              "  auth:\n    keys:\n      - {name: shop, key_sha256: ", digest,
                              ", roles: [query, feedback]}\n    key_file: ", key_file, "\n"));
  ASSERT_OK(c);
  EXPECT_EQ(c->server.tls.cert_file, "s.pem");
  ASSERT_EQ(c->server.auth.keys.size(), 2u);  // the config's, then the key file's
  EXPECT_EQ(c->server.auth.keys[0].name, "shop");
  EXPECT_THAT(c->server.auth.keys[0].roles, ElementsAre("query", "feedback"));
  EXPECT_EQ(c->server.auth.keys[1].name, "ops");
  // Printed with the key file's keys inline and no key_file: it parses back to the same keys.
  auto again = ParseConfig(ToYaml(*c));
  ASSERT_OK(again);
  EXPECT_EQ(again->server.auth.keys.size(), 2u);
  EXPECT_EQ(ToYaml(*again), ToYaml(*c));

  EXPECT_THAT(ParseConfig(StrCat(kMinimal, "server: {tls: {cert_file: s.pem}}\n")),
              StatusIs(absl::StatusCode::kInvalidArgument, "cert_file and key_file go together"));
  EXPECT_THAT(ParseConfig(StrCat(kMinimal, "server: {tls: {client_ca_file: ca.pem}}\n")),
              StatusIs(absl::StatusCode::kInvalidArgument, "server.tls.client_ca_file"));
  EXPECT_THAT(ParseConfig(StrCat(kMinimal, "server: {auth: {keys: [{name: x, key_sha256: ", digest,
                                 ", roles: [root]}]}}\n")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "server.auth.keys[0].roles: unknown role 'root'"));
  EXPECT_THAT(ParseConfig(StrCat(kMinimal, "server: {auth: {keys: [{name: x, key: abc}]}}\n")),
              StatusIs(absl::StatusCode::kInvalidArgument, "server.auth.keys[0].key: unknown key"));
  EXPECT_THAT(
      ParseConfig(StrCat(kMinimal, "server: {auth: {key_file: ", dir.File("none.yaml"), "}}\n")),
      StatusIs(absl::StatusCode::kNotFound, "server.auth.key_file"));
  const std::string bad_file = dir.WriteFile("bad.yaml", "keys: [{name: x, rolez: [query]}]\n");
  EXPECT_THAT(ParseConfig(StrCat(kMinimal, "server: {auth: {key_file: ", bad_file, "}}\n")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "server.auth.key_file " + bad_file + ": keys[0].rolez: unknown key"));
}

TEST(SoukConfigTest, ServerLimitsAreReadPrintedAndChecked) {
  auto c = ParseConfig(StrCat(kMinimal,
                              "server: {workers: 3, max_queue: 8, max_queue_wait_ms: 40, "
                              "default_deadline_ms: 250}\n"));
  ASSERT_OK(c);
  EXPECT_EQ(c->server.workers, 3u);
  EXPECT_EQ(c->server.max_queue, 8u);
  EXPECT_EQ(c->server.max_queue_wait_ms, 40);
  EXPECT_EQ(c->server.default_deadline_ms, 250);
  EXPECT_THAT(ToYaml(*c), HasSubstr("max_queue_wait_ms: 40"));
  EXPECT_THAT(ParseConfig(StrCat(kMinimal, "server: {max_queue: 0}\n")),
              StatusIs(absl::StatusCode::kInvalidArgument, "server.max_queue: must be in"));
  EXPECT_THAT(ParseConfig(StrCat(kMinimal, "server: {default_deadline_ms: -1}\n")),
              StatusIs(absl::StatusCode::kInvalidArgument, "server.default_deadline_ms"));
}

TEST(SoukConfigTest, StringsNamingAnEnvironmentVariableTakeItsValue) {
  ASSERT_EQ(setenv("SOUK_TEST_CERT", "/run/secrets/server.pem", 1), 0);
  unsetenv("SOUK_TEST_UNSET");
  auto c = ParseConfig(
      StrCat(kMinimal, "server: {tls: {cert_file: '${SOUK_TEST_CERT}', key_file: k}}\n"));
  ASSERT_OK(c);
  EXPECT_EQ(c->server.tls.cert_file, "/run/secrets/server.pem");
  EXPECT_THAT(ParseConfig(StrCat(kMinimal, "server: {metrics_address: '${SOUK_TEST_UNSET}'}\n")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "server.metrics_address: environment variable SOUK_TEST_UNSET is not set"));
}

TEST(SoukConfigTest, SuggestSectionIsBoundAndChecked) {
  auto c = ParseConfig(StrCat(kMinimal,
                              "suggest: {min_users: 3, refresh_s: 5, catalog_weight: 0.5, "
                              "max_prefix_bytes: 64, max_title_phrases: 10}\n"));
  ASSERT_OK(c);
  EXPECT_EQ(c->suggest.min_users, 3u);
  EXPECT_EQ(c->suggest.refresh_s, 5);
  EXPECT_DOUBLE_EQ(c->suggest.catalog_weight, 0.5);
  EXPECT_EQ(c->suggest.max_prefix_bytes, 64u);
  EXPECT_EQ(c->suggest.max_title_phrases, 10u);
  EXPECT_THAT(ToYaml(*c), ::testing::HasSubstr("min_users: 3"));
  EXPECT_THAT(ParseConfig(StrCat(kMinimal, "suggest: {min_users: 0}\n")),
              StatusIs(absl::StatusCode::kInvalidArgument, "suggest.min_users"));
  EXPECT_THAT(ParseConfig(StrCat(kMinimal, "suggest: {refresh: 5}\n")),
              StatusIs(absl::StatusCode::kInvalidArgument, "suggest.refresh"));
}

TEST(SoukConfigTest, ConsoleIsReadPrintedAndChecked) {
  EXPECT_FALSE(ParseConfig(kMinimal)->server.console.enabled);
  auto c = ParseConfig(StrCat(kMinimal,
                              "server: {metrics_address: '127.0.0.1:0', console: {enabled: true, "
                              "static_dir: /srv/console}}\n"));
  ASSERT_OK(c);
  EXPECT_TRUE(c->server.console.enabled);
  EXPECT_EQ(c->server.console.static_dir, "/srv/console");
  auto printed = ParseConfig(ToYaml(*c));
  ASSERT_OK(printed);
  EXPECT_TRUE(printed->server.console.enabled);
  EXPECT_EQ(printed->server.console.static_dir, "/srv/console");
  EXPECT_THAT(ParseConfig(StrCat(kMinimal, "server: {console: {enabled: true}}\n")),
              StatusIs(absl::StatusCode::kInvalidArgument, "server.console.enabled"));
  EXPECT_THAT(ParseConfig(StrCat(kMinimal, "server: {console: {enable: true}}\n")),
              StatusIs(absl::StatusCode::kInvalidArgument, "server.console.enable: unknown key"));
}

TEST(SoukConfigTest, ShippedConfigsAreValid) {
  for (const char* name : {"configs/demo.yaml", "configs/production.example.yaml",
                           "docker/souk.yaml", "docker/souk-cuda.yaml"}) {
    auto c = LoadConfigFile(souk::testing::SourcePath(name));
    EXPECT_OK(c) << name;
  }
}

TEST(SoukConfigTest, FileErrorsNameTheFile) {
  souk::testing::TempDir dir;
  const std::string path = dir.WriteFile("bad.yaml", "index: {dir: x}\nbogus: 1\n");
  EXPECT_THAT(LoadConfigFile(path),
              StatusIs(absl::StatusCode::kInvalidArgument, "bad.yaml: bogus"));
}

}  // namespace
}  // namespace souk::config
