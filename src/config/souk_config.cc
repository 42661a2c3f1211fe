#include "souk/config/souk_config.h"

#include <chrono>
#include <sstream>

#include "absl/strings/str_split.h"
#include "server_section_internal.h"
#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "yaml-cpp/yaml.h"
#include "yaml_binder.h"

namespace souk::config {
namespace {

using internal::BindServer;
using internal::EmitServer;
using internal::YamlBinder;

constexpr const char* kLevelNames[] = {"trace", "debug", "info", "warn", "error", "off"};

absl::Status BindAnalyzer(YamlBinder b, text::AnalyzerOptions* o) {
  b.Bind("stem_english", &o->stem_english);
  b.Bind("max_term_bytes", &o->max_term_bytes);
  b.Bind("max_input_bytes", &o->max_input_bytes);
  return b.Finish({"stem_english", "max_term_bytes", "max_input_bytes"});
}

absl::Status BindLexical(YamlBinder b, lexical::LexicalOptions* o) {
  b.Bind("k1", &o->k1);
  YamlBinder fields = b.Child("fields");
  for (size_t i = 0; i < lexical::kNumFields; ++i) {
    YamlBinder field = fields.Child(lexical::FieldName(static_cast<lexical::Field>(i)));
    field.Bind("weight", &o->fields[i].weight);
    field.Bind("b", &o->fields[i].b);
    SOUK_RETURN_IF_ERROR(field.Finish({"weight", "b"}));
  }
  SOUK_RETURN_IF_ERROR(
      fields.Finish({"title", "brand", "category", "attributes", "description", "expansion"}));
  YamlBinder spelling = b.Child("spelling");
  spelling.Bind("enabled", &o->spelling.enabled);
  spelling.Bind("min_df", &o->spelling.min_df);
  spelling.Bind("min_length", &o->spelling.min_length);
  spelling.Bind("two_edits_min_length", &o->spelling.two_edits_min_length);
  spelling.Bind("split_min_part", &o->spelling.split_min_part);
  spelling.Bind("rare_max_df", &o->spelling.rare_max_df);
  spelling.Bind("rare_min_length", &o->spelling.rare_min_length);
  spelling.Bind("rare_min_ratio", &o->spelling.rare_min_ratio);
  SOUK_RETURN_IF_ERROR(
      spelling.Finish({"enabled", "min_df", "min_length", "two_edits_min_length", "split_min_part",
                       "rare_max_df", "rare_min_length", "rare_min_ratio"}));
  YamlBinder rewrites = b.Child("rewrites");
  rewrites.Bind("synonyms", &o->rewrites.synonyms);
  rewrites.Bind("synonyms_file", &o->rewrites.synonyms_file);
  rewrites.Bind("learned_file", &o->rewrites.learned_file);
  rewrites.Bind("max_added_terms", &o->rewrites.max_added_terms);
  SOUK_RETURN_IF_ERROR(
      rewrites.Finish({"synonyms", "synonyms_file", "learned_file", "max_added_terms"}));
  return b.Finish({"k1", "fields", "spelling", "rewrites"});
}

absl::Status BindSearch(YamlBinder b, engine::SearchOptions* o) {
  b.Bind("max_page_size", &o->max_page_size);
  b.Bind("max_query_bytes", &o->max_query_bytes);
  b.Bind("max_result_window", &o->max_result_window);
  b.Bind("lexical_candidates", &o->lexical_candidates);
  b.Bind("dense_candidates", &o->dense_candidates);
  b.Bind("rrf_k", &o->rrf_k);
  return b.Finish({"max_page_size", "max_query_bytes", "max_result_window", "lexical_candidates",
                   "dense_candidates", "rrf_k"});
}

absl::Status BindSuggest(YamlBinder b, engine::SuggestOptions* o) {
  b.Bind("min_users", &o->min_users);
  b.Bind("refresh_s", &o->refresh_s);
  float catalog_weight = static_cast<float>(o->catalog_weight);
  b.Bind("catalog_weight", &catalog_weight);
  o->catalog_weight = catalog_weight;
  b.Bind("max_prefix_bytes", &o->max_prefix_bytes);
  b.Bind("max_title_phrases", &o->max_title_phrases);
  float personal_boost = static_cast<float>(o->personal_boost);
  b.Bind("personal_boost", &personal_boost);
  o->personal_boost = personal_boost;
  return b.Finish({"min_users", "refresh_s", "catalog_weight", "max_prefix_bytes",
                   "max_title_phrases", "personal_boost"});
}

// One section for what the snapshot loads (the recommender) and how the engine merges.
absl::Status BindRecommend(YamlBinder b, recommend::RecommenderOptions* loaded,
                           engine::RecommendOptions* o) {
  b.Bind("interactions", &loaded->interactions);
  b.Bind("seqrec_model", &loaded->seqrec_model);
  b.Bind("baskets", &loaded->baskets);
  b.Bind("device", &loaded->device);
  b.Bind("threads", &loaded->threads);
  b.Bind("trending_interactions", &loaded->trending_interactions);
  YamlBinder covisitation = b.Child("covisitation");
  covisitation.Bind("window", &loaded->covisitation.window);
  covisitation.Bind("backward_weight", &loaded->covisitation.backward_weight);
  covisitation.Bind("max_neighbors", &loaded->covisitation.max_neighbors);
  covisitation.Bind("history_items", &loaded->covisitation.history_items);
  covisitation.Bind("recency_decay", &loaded->covisitation.recency_decay);
  SOUK_RETURN_IF_ERROR(covisitation.Finish(
      {"window", "backward_weight", "max_neighbors", "history_items", "recency_decay"}));
  YamlBinder together = b.Child("bought_together");
  together.Bind("max_neighbors", &loaded->bought_together.max_neighbors);
  together.Bind("min_baskets", &loaded->bought_together.min_baskets);
  together.Bind("max_basket_items", &loaded->bought_together.max_basket_items);
  SOUK_RETURN_IF_ERROR(together.Finish({"max_neighbors", "min_baskets", "max_basket_items"}));
  b.Bind("max_page_size", &o->max_page_size);
  b.Bind("max_recent_items", &o->max_recent_items);
  b.Bind("candidates", &o->candidates);
  b.Bind("rrf_k", &o->rrf_k);
  b.Bind("max_per_category", &o->max_per_category);
  b.Bind("repeat_purchase_categories", &o->repeat_purchase_categories);
  return b.Finish({"interactions", "seqrec_model", "baskets", "device", "threads",
                   "trending_interactions", "covisitation", "bought_together", "max_page_size",
                   "max_recent_items", "candidates", "rrf_k", "max_per_category",
                   "repeat_purchase_categories"});
}

absl::Status BindEncoder(YamlBinder b, encoder::EncoderOptions* o) {
  b.Bind("model_dir", &o->model_dir);
  b.Bind("device", &o->device);
  b.Bind("threads", &o->threads);
  b.Bind("cuda_precision", &o->cuda_precision);
  b.Bind("cache_entries", &o->cache_entries);
  YamlBinder batching = b.Child("batching");
  batching.Bind("max_batch_size", &o->batching.max_batch_size);
  auto wait_us = static_cast<size_t>(o->batching.max_wait.count());
  batching.Bind("max_wait_us", &wait_us);
  o->batching.max_wait = std::chrono::microseconds(wait_us);
  batching.Bind("max_queue", &o->batching.max_queue);
  SOUK_RETURN_IF_ERROR(batching.Finish({"max_batch_size", "max_wait_us", "max_queue"}));
  return b.Finish(
      {"model_dir", "device", "threads", "cuda_precision", "cache_entries", "batching"});
}

absl::Status BindExpansion(YamlBinder b, encoder::ExpansionOptions* o) {
  b.Bind("model_dir", &o->model_dir);
  b.Bind("device", &o->device);
  b.Bind("threads", &o->threads);
  b.Bind("batch_size", &o->batch_size);
  b.Bind("mask_slots", &o->mask_slots);
  b.Bind("terms", &o->terms);
  b.Bind("min_probability", &o->min_probability);
  b.Bind("min_lift", &o->min_lift);
  return b.Finish({"model_dir", "device", "threads", "batch_size", "mask_slots", "terms",
                   "min_probability", "min_lift"});
}

absl::Status BindVectors(YamlBinder b, engine::VectorOptions* o) {
  b.Bind("backend", &o->backend);
  b.Bind("device", &o->exact.device);
  b.Bind("fp16_on_cuda", &o->exact.fp16_on_cuda);
  YamlBinder hnsw = b.Child("hnsw");
  hnsw.Bind("m", &o->hnsw.m);
  hnsw.Bind("ef_construction", &o->hnsw.ef_construction);
  hnsw.Bind("ef_search", &o->hnsw.ef_search);
  SOUK_RETURN_IF_ERROR(hnsw.Finish({"m", "ef_construction", "ef_search"}));
  return b.Finish({"backend", "device", "fp16_on_cuda", "hnsw"});
}

absl::Status BindCondition(YamlBinder& b, rank::Condition* c) {
  b.Bind("field", &c->field);
  b.Bind("value", &c->value);
  return absl::OkStatus();
}

absl::Status BindRules(YamlBinder b, rank::RulesConfig* o) {
  for (YamlBinder item : b.Items("pins")) {
    rank::PinRule& pin = o->pins.emplace_back();
    item.Bind("id", &pin.id);
    item.Bind("query", &pin.query);
    item.Bind("product", &pin.product_id);
    item.Bind("position", &pin.position);
    SOUK_RETURN_IF_ERROR(item.Finish({"id", "query", "product", "position"}));
  }
  for (YamlBinder item : b.Items("boosts")) {
    rank::BoostRule& boost = o->boosts.emplace_back();
    float weight = 0;
    item.Bind("id", &boost.id);
    item.Bind("query", &boost.query);
    item.Bind("weight", &weight);
    SOUK_RETURN_IF_ERROR(BindCondition(item, &boost.when));
    SOUK_RETURN_IF_ERROR(item.Finish({"id", "query", "field", "value", "weight"}));
    boost.weight = weight;
  }
  for (YamlBinder item : b.Items("excludes")) {
    rank::ExcludeRule& exclude = o->excludes.emplace_back();
    item.Bind("id", &exclude.id);
    item.Bind("query", &exclude.query);
    SOUK_RETURN_IF_ERROR(BindCondition(item, &exclude.when));
    SOUK_RETURN_IF_ERROR(item.Finish({"id", "query", "field", "value"}));
  }
  YamlBinder diversity = b.Child("diversity");
  diversity.Bind("max_per_brand", &o->diversity.max_per_brand);
  diversity.Bind("window", &o->diversity.window);
  SOUK_RETURN_IF_ERROR(diversity.Finish({"max_per_brand", "window"}));
  SOUK_RETURN_IF_ERROR(b.Finish({"pins", "boosts", "excludes", "diversity"}));
  // The engine validates the rules themselves (rank::RuleSet::Create).
  return absl::OkStatus();
}

absl::Status BindLogging(YamlBinder b, logging::LogOptions* o) {
  std::string level = kLevelNames[static_cast<int>(o->level)];
  b.Bind("level", &level);
  b.Bind("json", &o->json);
  SOUK_RETURN_IF_ERROR(b.Finish({"level", "json"}));
  if (!logging::ParseLevel(level, &o->level)) {
    return absl::InvalidArgumentError(
        StrCat("logging.level: '", level, "' is not one of trace|debug|info|warn|error|off"));
  }
  return absl::OkStatus();
}

absl::Status BindExperiment(YamlBinder b, engine::ExperimentOptions* o) {
  b.Bind("salt", &o->salt);
  for (YamlBinder item : b.Items("variants")) {
    engine::RankerVariant& variant = o->variants.emplace_back();
    float weight = 1;
    item.Bind("name", &variant.name);
    item.Bind("weight", &weight);
    item.Bind("ranker", &variant.ranker_model);
    SOUK_RETURN_IF_ERROR(item.Finish({"name", "weight", "ranker"}));
    variant.weight = weight;
  }
  return b.Finish({"salt", "variants"});
}

void EmitExperiment(const engine::ExperimentOptions& o, YAML::Emitter& out) {
  out << YAML::Key << "experiment" << YAML::Value << YAML::BeginMap << YAML::Key << "salt"
      << YAML::Value << o.salt << YAML::Key << "variants" << YAML::Value << YAML::BeginSeq;
  for (const engine::RankerVariant& v : o.variants) {
    out << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << v.name << YAML::Key
        << "weight" << YAML::Value << v.weight << YAML::Key << "ranker" << YAML::Value
        << v.ranker_model << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
}

// Times in the units a person writes (seconds, hours); the options hold milliseconds.
absl::Status BindFeedback(YamlBinder b, engine::FeedbackOptions* o) {
  b.Bind("event_log", &o->log.path);
  b.Bind("sync", &o->log.sync);
  b.Bind("max_batch_events", &o->max_batch_events);
  b.Bind("max_page_products", &o->limits.max_page_products);
  int skew_s = static_cast<int>(o->limits.max_future_skew_ms / 1000);
  b.Bind("max_future_skew_s", &skew_s);
  o->limits.max_future_skew_ms = int64_t{skew_s} * 1000;
  int half_life_hours = static_cast<int>(o->aggregates.half_life_ms / 3600000);
  b.Bind("half_life_hours", &half_life_hours);
  o->aggregates.half_life_ms = int64_t{half_life_hours} * 3600000;
  // Checked here, where the keys' own units are known; FeedbackOptions names milliseconds.
  if (half_life_hours <= 0) {
    return absl::InvalidArgumentError("feedback.half_life_hours: must be >= 1");
  }
  if (skew_s < 0) return absl::InvalidArgumentError("feedback.max_future_skew_s: must be >= 0");
  float prior = static_cast<float>(o->aggregates.prior_strength);
  b.Bind("prior_strength", &prior);
  o->aggregates.prior_strength = prior;
  b.Bind("max_user_actions", &o->aggregates.max_user_actions);
  YamlBinder sentiment = b.Child("sentiment");
  sentiment.Bind("model_dir", &o->sentiment.classifier.model_dir);
  sentiment.Bind("device", &o->sentiment.classifier.device);
  sentiment.Bind("batch_size", &o->sentiment.classifier.batch_size);
  sentiment.Bind("threads", &o->sentiment.classifier.threads);
  sentiment.Bind("max_pending", &o->sentiment.max_pending);
  SOUK_RETURN_IF_ERROR(
      sentiment.Finish({"model_dir", "device", "batch_size", "threads", "max_pending"}));
  return b.Finish({"event_log", "sync", "max_batch_events", "max_page_products",
                   "max_future_skew_s", "half_life_hours", "prior_strength", "max_user_actions",
                   "sentiment"});
}

void EmitFeedback(const engine::FeedbackOptions& o, YAML::Emitter& out) {
  out << YAML::Key << "feedback" << YAML::Value << YAML::BeginMap << YAML::Key << "event_log"
      << YAML::Value << o.log.path << YAML::Key << "sync" << YAML::Value << o.log.sync << YAML::Key
      << "max_batch_events" << YAML::Value << o.max_batch_events << YAML::Key << "max_page_products"
      << YAML::Value << o.limits.max_page_products << YAML::Key << "max_future_skew_s"
      << YAML::Value << o.limits.max_future_skew_ms / 1000 << YAML::Key << "half_life_hours"
      << YAML::Value << o.aggregates.half_life_ms / 3600000 << YAML::Key << "prior_strength"
      << YAML::Value << o.aggregates.prior_strength << YAML::Key << "max_user_actions"
      << YAML::Value << o.aggregates.max_user_actions << YAML::Key << "sentiment" << YAML::Value
      << YAML::BeginMap << YAML::Key << "model_dir" << YAML::Value
      << o.sentiment.classifier.model_dir << YAML::Key << "device" << YAML::Value
      << o.sentiment.classifier.device << YAML::Key << "batch_size" << YAML::Value
      << o.sentiment.classifier.batch_size << YAML::Key << "threads" << YAML::Value
      << o.sentiment.classifier.threads << YAML::Key << "max_pending" << YAML::Value
      << o.sentiment.max_pending << YAML::EndMap << YAML::EndMap;
}

absl::Status BindRoot(const YAML::Node& root, SoukConfig* c) {
  YamlBinder b(root, "");
  SOUK_RETURN_IF_ERROR(BindServer(b.Child("server"), &c->server));
  YamlBinder index = b.Child("index");
  index.Bind("dir", &c->snapshot.index_dir);
  SOUK_RETURN_IF_ERROR(index.Finish({"dir"}));
  SOUK_RETURN_IF_ERROR(BindAnalyzer(b.Child("analyzer"), &c->snapshot.analyzer));
  SOUK_RETURN_IF_ERROR(BindLexical(b.Child("lexical"), &c->snapshot.lexical));
  SOUK_RETURN_IF_ERROR(BindEncoder(b.Child("encoder"), &c->snapshot.encoder));
  SOUK_RETURN_IF_ERROR(BindExpansion(b.Child("expansion"), &c->snapshot.expansion));
  SOUK_RETURN_IF_ERROR(BindVectors(b.Child("vectors"), &c->snapshot.vectors));
  YamlBinder ranker = b.Child("ranker");
  ranker.Bind("model", &c->snapshot.ranker_model);
  SOUK_RETURN_IF_ERROR(ranker.Finish({"model"}));
  SOUK_RETURN_IF_ERROR(BindSearch(b.Child("search"), &c->search));
  SOUK_RETURN_IF_ERROR(BindRules(b.Child("rules"), &c->search.rules));
  SOUK_RETURN_IF_ERROR(BindSuggest(b.Child("suggest"), &c->suggest));
  SOUK_RETURN_IF_ERROR(
      BindRecommend(b.Child("recommend"), &c->snapshot.recommender, &c->recommend));
  SOUK_RETURN_IF_ERROR(BindExperiment(b.Child("experiment"), &c->snapshot.experiment));
  SOUK_RETURN_IF_ERROR(BindFeedback(b.Child("feedback"), &c->feedback));
  SOUK_RETURN_IF_ERROR(BindLogging(b.Child("logging"), &c->logging));
  return b.Finish({"server", "index", "analyzer", "lexical", "encoder", "expansion", "vectors",
                   "ranker", "search", "rules", "suggest", "recommend", "experiment", "feedback",
                   "logging"});
}

// Sets root[a][b][c] = value for "a.b.c=value", creating mappings on the way.
absl::Status ApplyOverride(YAML::Node root, const std::string& override_text) {
  const size_t eq = override_text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return absl::InvalidArgumentError(StrCat("--set ", override_text, ": expected key.path=value"));
  }
  std::vector<std::string> keys =
      absl::StrSplit(override_text.substr(0, eq), '.', absl::SkipEmpty());
  if (keys.empty()) {
    return absl::InvalidArgumentError(StrCat("--set ", override_text, ": empty key path"));
  }
  YAML::Node value = YAML::Load(override_text.substr(eq + 1));
  std::vector<YAML::Node> chain = {root};
  for (size_t i = 0; i + 1 < keys.size(); ++i) {
    YAML::Node next = chain.back()[keys[i]];
    if (next && !next.IsNull() && !next.IsMap()) {
      return absl::InvalidArgumentError(
          StrCat("--set ", override_text, ": ", keys[i], " is not a mapping"));
    }
    chain.push_back(next);
  }
  chain.back()[keys.back()] = value;
  return absl::OkStatus();
}

}  // namespace

absl::Status SoukConfig::Validate() const {
  SOUK_RETURN_IF_ERROR(server.Validate());
  SOUK_RETURN_IF_ERROR(snapshot.Validate());
  SOUK_RETURN_IF_ERROR(recommend.Validate());
  SOUK_RETURN_IF_ERROR(Annotate(feedback.Validate(), "feedback"));
  SOUK_RETURN_IF_ERROR(suggest.Validate());
  return search.Validate();
}

absl::StatusOr<SoukConfig> ParseConfig(const std::string& yaml,
                                       const std::vector<std::string>& overrides) {
  SoukConfig config;
  try {
    YAML::Node root = YAML::Load(yaml);
    if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
    for (const std::string& o : overrides) SOUK_RETURN_IF_ERROR(ApplyOverride(root, o));
    SOUK_RETURN_IF_ERROR(BindRoot(root, &config));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(StrCat("YAML syntax error: ", e.what()));
  }
  SOUK_RETURN_IF_ERROR(config.Validate());
  return config;
}

absl::StatusOr<SoukConfig> LoadConfigFile(const std::string& path,
                                          const std::vector<std::string>& overrides) {
  SOUK_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  absl::StatusOr<SoukConfig> config = ParseConfig(text, overrides);
  if (!config.ok()) return Annotate(config.status(), path);
  return config;
}

namespace {
void EmitCondition(const rank::Condition& c, YAML::Emitter& out) {
  out << YAML::Key << "field" << YAML::Value << c.field << YAML::Key << "value" << YAML::Value
      << c.value;
}

void EmitRules(const rank::RulesConfig& r, YAML::Emitter& out) {
  out << YAML::Key << "rules" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "pins" << YAML::Value << YAML::BeginSeq;
  for (const rank::PinRule& p : r.pins) {
    out << YAML::Flow << YAML::BeginMap << YAML::Key << "id" << YAML::Value << p.id << YAML::Key
        << "query" << YAML::Value << p.query << YAML::Key << "product" << YAML::Value
        << p.product_id << YAML::Key << "position" << YAML::Value << p.position << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::Key << "boosts" << YAML::Value << YAML::BeginSeq;
  for (const rank::BoostRule& b : r.boosts) {
    out << YAML::Flow << YAML::BeginMap << YAML::Key << "id" << YAML::Value << b.id << YAML::Key
        << "query" << YAML::Value << b.query;
    EmitCondition(b.when, out);
    out << YAML::Key << "weight" << YAML::Value << b.weight << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::Key << "excludes" << YAML::Value << YAML::BeginSeq;
  for (const rank::ExcludeRule& e : r.excludes) {
    out << YAML::Flow << YAML::BeginMap << YAML::Key << "id" << YAML::Value << e.id << YAML::Key
        << "query" << YAML::Value << e.query;
    EmitCondition(e.when, out);
    out << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::Key << "diversity" << YAML::Value << YAML::Flow << YAML::BeginMap
      << YAML::Key << "max_per_brand" << YAML::Value << r.diversity.max_per_brand << YAML::Key
      << "window" << YAML::Value << r.diversity.window << YAML::EndMap << YAML::EndMap;
}
}  // namespace

void EmitRecommend(const recommend::RecommenderOptions& r, const engine::RecommendOptions& o,
                   YAML::Emitter& out) {
  const recommend::CoVisitationOptions& cv = r.covisitation;
  out << YAML::Key << "recommend" << YAML::Value << YAML::BeginMap << YAML::Key << "interactions"
      << YAML::Value << r.interactions << YAML::Key << "seqrec_model" << YAML::Value
      << r.seqrec_model << YAML::Key << "baskets" << YAML::Value << r.baskets << YAML::Key
      << "device" << YAML::Value << r.device << YAML::Key << "threads" << YAML::Value << r.threads
      << YAML::Key << "trending_interactions" << YAML::Value << r.trending_interactions << YAML::Key
      << "covisitation" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "window"
      << YAML::Value << cv.window << YAML::Key << "backward_weight" << YAML::Value
      << cv.backward_weight << YAML::Key << "max_neighbors" << YAML::Value << cv.max_neighbors
      << YAML::Key << "history_items" << YAML::Value << cv.history_items << YAML::Key
      << "recency_decay" << YAML::Value << cv.recency_decay << YAML::EndMap;
  const recommend::BoughtTogetherOptions& bt = r.bought_together;
  out << YAML::Key << "bought_together" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key
      << "max_neighbors" << YAML::Value << bt.max_neighbors << YAML::Key << "min_baskets"
      << YAML::Value << bt.min_baskets << YAML::Key << "max_basket_items" << YAML::Value
      << bt.max_basket_items << YAML::EndMap;
  out << YAML::Key << "max_page_size" << YAML::Value << o.max_page_size << YAML::Key
      << "max_recent_items" << YAML::Value << o.max_recent_items << YAML::Key << "candidates"
      << YAML::Value << o.candidates << YAML::Key << "rrf_k" << YAML::Value << o.rrf_k << YAML::Key
      << "max_per_category" << YAML::Value << o.max_per_category << YAML::Key
      << "repeat_purchase_categories" << YAML::Value << YAML::Flow << o.repeat_purchase_categories
      << YAML::EndMap;
}

std::string ToYaml(const SoukConfig& c) {
  YAML::Emitter out;
  // Floats with the digits a person typed (0.7, not 0.699999988); 7 keep every float distinct
  // enough for configuration values.
  out.SetFloatPrecision(7);
  out << YAML::BeginMap;
  out << YAML::Key << "server" << YAML::Value;
  EmitServer(c.server, out);
  out << YAML::Key << "index" << YAML::Value << YAML::BeginMap << YAML::Key << "dir" << YAML::Value
      << c.snapshot.index_dir << YAML::EndMap;
  const text::AnalyzerOptions& a = c.snapshot.analyzer;
  out << YAML::Key << "analyzer" << YAML::Value << YAML::BeginMap << YAML::Key << "stem_english"
      << YAML::Value << a.stem_english << YAML::Key << "max_term_bytes" << YAML::Value
      << a.max_term_bytes << YAML::Key << "max_input_bytes" << YAML::Value << a.max_input_bytes
      << YAML::EndMap;
  const lexical::LexicalOptions& l = c.snapshot.lexical;
  out << YAML::Key << "lexical" << YAML::Value << YAML::BeginMap << YAML::Key << "k1" << YAML::Value
      << l.k1 << YAML::Key << "fields" << YAML::Value << YAML::BeginMap;
  for (size_t i = 0; i < lexical::kNumFields; ++i) {
    out << YAML::Key << std::string(lexical::FieldName(static_cast<lexical::Field>(i)))
        << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "weight" << YAML::Value
        << l.fields[i].weight << YAML::Key << "b" << YAML::Value << l.fields[i].b << YAML::EndMap;
  }
  out << YAML::EndMap << YAML::Key << "spelling" << YAML::Value << YAML::Flow << YAML::BeginMap
      << YAML::Key << "enabled" << YAML::Value << l.spelling.enabled << YAML::Key << "min_df"
      << YAML::Value << l.spelling.min_df << YAML::Key << "min_length" << YAML::Value
      << l.spelling.min_length << YAML::Key << "two_edits_min_length" << YAML::Value
      << l.spelling.two_edits_min_length << YAML::Key << "split_min_part" << YAML::Value
      << l.spelling.split_min_part << YAML::Key << "rare_max_df" << YAML::Value
      << l.spelling.rare_max_df << YAML::Key << "rare_min_length" << YAML::Value
      << l.spelling.rare_min_length << YAML::Key << "rare_min_ratio" << YAML::Value
      << l.spelling.rare_min_ratio << YAML::EndMap;
  out << YAML::Key << "rewrites" << YAML::Value << YAML::BeginMap << YAML::Key << "synonyms"
      << YAML::Value << YAML::Flow << l.rewrites.synonyms << YAML::Key << "synonyms_file"
      << YAML::Value << l.rewrites.synonyms_file << YAML::Key << "learned_file" << YAML::Value
      << l.rewrites.learned_file << YAML::Key << "max_added_terms" << YAML::Value
      << l.rewrites.max_added_terms << YAML::EndMap << YAML::EndMap;
  const encoder::EncoderOptions& e = c.snapshot.encoder;
  out << YAML::Key << "encoder" << YAML::Value << YAML::BeginMap << YAML::Key << "model_dir"
      << YAML::Value << e.model_dir << YAML::Key << "device" << YAML::Value << e.device << YAML::Key
      << "threads" << YAML::Value << e.threads << YAML::Key << "cuda_precision" << YAML::Value
      << e.cuda_precision << YAML::Key << "cache_entries" << YAML::Value << e.cache_entries
      << YAML::Key << "batching" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key
      << "max_batch_size" << YAML::Value << e.batching.max_batch_size << YAML::Key << "max_wait_us"
      << YAML::Value << e.batching.max_wait.count() << YAML::Key << "max_queue" << YAML::Value
      << e.batching.max_queue << YAML::EndMap << YAML::EndMap;
  const encoder::ExpansionOptions& x = c.snapshot.expansion;
  out << YAML::Key << "expansion" << YAML::Value << YAML::BeginMap << YAML::Key << "model_dir"
      << YAML::Value << x.model_dir << YAML::Key << "device" << YAML::Value << x.device << YAML::Key
      << "threads" << YAML::Value << x.threads << YAML::Key << "batch_size" << YAML::Value
      << x.batch_size << YAML::Key << "mask_slots" << YAML::Value << x.mask_slots << YAML::Key
      << "terms" << YAML::Value << x.terms << YAML::Key << "min_probability" << YAML::Value
      << x.min_probability << YAML::Key << "min_lift" << YAML::Value << x.min_lift << YAML::EndMap;
  const engine::VectorOptions& v = c.snapshot.vectors;
  out << YAML::Key << "vectors" << YAML::Value << YAML::BeginMap << YAML::Key << "backend"
      << YAML::Value << v.backend << YAML::Key << "device" << YAML::Value << v.exact.device
      << YAML::Key << "fp16_on_cuda" << YAML::Value << v.exact.fp16_on_cuda << YAML::Key << "hnsw"
      << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "m" << YAML::Value << v.hnsw.m
      << YAML::Key << "ef_construction" << YAML::Value << v.hnsw.ef_construction << YAML::Key
      << "ef_search" << YAML::Value << v.hnsw.ef_search << YAML::EndMap << YAML::EndMap;
  out << YAML::Key << "ranker" << YAML::Value << YAML::BeginMap << YAML::Key << "model"
      << YAML::Value << c.snapshot.ranker_model << YAML::EndMap;
  out << YAML::Key << "search" << YAML::Value << YAML::BeginMap << YAML::Key << "max_page_size"
      << YAML::Value << c.search.max_page_size << YAML::Key << "max_query_bytes" << YAML::Value
      << c.search.max_query_bytes << YAML::Key << "max_result_window" << YAML::Value
      << c.search.max_result_window << YAML::Key << "lexical_candidates" << YAML::Value
      << c.search.lexical_candidates << YAML::Key << "dense_candidates" << YAML::Value
      << c.search.dense_candidates << YAML::Key << "rrf_k" << YAML::Value << c.search.rrf_k
      << YAML::EndMap;
  EmitRules(c.search.rules, out);
  out << YAML::Key << "suggest" << YAML::Value << YAML::BeginMap << YAML::Key << "min_users"
      << YAML::Value << c.suggest.min_users << YAML::Key << "refresh_s" << YAML::Value
      << c.suggest.refresh_s << YAML::Key << "catalog_weight" << YAML::Value
      << c.suggest.catalog_weight << YAML::Key << "max_prefix_bytes" << YAML::Value
      << c.suggest.max_prefix_bytes << YAML::Key << "max_title_phrases" << YAML::Value
      << c.suggest.max_title_phrases << YAML::Key << "personal_boost" << YAML::Value
      << c.suggest.personal_boost << YAML::EndMap;
  EmitRecommend(c.snapshot.recommender, c.recommend, out);
  EmitExperiment(c.snapshot.experiment, out);
  EmitFeedback(c.feedback, out);
  out << YAML::Key << "logging" << YAML::Value << YAML::BeginMap << YAML::Key << "level"
      << YAML::Value << kLevelNames[static_cast<int>(c.logging.level)] << YAML::Key << "json"
      << YAML::Value << c.logging.json << YAML::EndMap;
  out << YAML::EndMap;
  return StrCat(out.c_str(), "\n");
}

}  // namespace souk::config
