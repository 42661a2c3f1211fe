#include "souk/api/metrics_exporter.h"

#include <limits>

#include "prometheus/metric_family.h"
#include "prometheus/text_serializer.h"
#include "rpc_metrics.h"
#include "souk/api/request_queue.h"
#include "souk/base/clock.h"
#include "souk/base/str_cat.h"
#include "souk/encoder/text_encoder.h"
#include "souk/engine/snapshot.h"
#include "souk/rank/ranker.h"

namespace souk::api {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

MetricFamily Family(std::string name, std::string help, MetricType type) {
  return MetricFamily{std::move(name), std::move(help), type, {}};
}

void AddValue(MetricFamily* family, std::vector<ClientMetric::Label> labels, double value) {
  ClientMetric m;
  m.label = std::move(labels);
  if (family->type == MetricType::Counter) {
    m.counter.value = value;
  } else {
    m.gauge.value = value;
  }
  family->metric.push_back(std::move(m));
}

// Counters since the log began, one family per outcome.
void AddTotals(const std::vector<events::VariantReport>& reports, std::vector<MetricFamily>* out) {
  using Counts = events::OutcomeCounts;
  const std::pair<const char*, double (*)(const Counts&)> outcomes[] = {
      {"searches", [](const Counts& c) { return static_cast<double>(c.searches); }},
      {"impressions", [](const Counts& c) { return static_cast<double>(c.impressions); }},
      {"clicks", [](const Counts& c) { return static_cast<double>(c.clicks); }},
      {"add_to_carts", [](const Counts& c) { return static_cast<double>(c.add_to_carts); }},
      {"purchases", [](const Counts& c) { return static_cast<double>(c.purchases); }},
      {"units", [](const Counts& c) { return static_cast<double>(c.units); }},
      {"revenue", [](const Counts& c) { return c.revenue; }},
      {"sessions", [](const Counts& c) { return static_cast<double>(c.sessions); }},
      {"converted_sessions",
       [](const Counts& c) { return static_cast<double>(c.converted_sessions); }},
  };
  for (const auto& [name, value] : outcomes) {
    MetricFamily family =
        Family(StrCat("souk_", name, "_total"),
               StrCat("Feedback events: ", name, " per A/B variant"), MetricType::Counter);
    for (const events::VariantReport& r : reports) {
      AddValue(&family, {{"variant", r.variant}}, value(r.counts));
    }
    out->push_back(std::move(family));
  }
}

// Rates over the last day with their intervals' bounds.
void AddRates(const std::vector<events::VariantReport>& reports, std::vector<MetricFamily>* out) {
  using Report = events::VariantReport;
  const std::pair<const char*, const Interval Report::*> rates[] = {
      {"click_through", &Report::click_through},     {"add_to_cart", &Report::add_to_cart},
      {"conversion", &Report::conversion},           {"repeat_purchase", &Report::repeat_purchase},
      {"returning_users", &Report::returning_users},
  };
  for (const auto& [name, member] : rates) {
    for (const char* part : {"", "_low", "_high"}) {
      MetricFamily family =
          Family(StrCat("souk_", name, part),
                 StrCat("Rate ", name, part, " over the window (95% Wilson)"), MetricType::Gauge);
      for (const Report& r : reports) {
        const Interval& i = r.*member;
        const double value = part[0] == '\0' ? i.estimate : part[1] == 'l' ? i.low : i.high;
        AddValue(&family, {{"variant", r.variant}, {"window", "24h"}}, value);
      }
      out->push_back(std::move(family));
    }
  }
  MetricFamily revenue =
      Family("souk_revenue_per_search", "Revenue per search over the window", MetricType::Gauge);
  for (const Report& r : reports) {
    AddValue(&revenue, {{"variant", r.variant}, {"window", "24h"}}, r.revenue_per_search);
  }
  out->push_back(std::move(revenue));
}

MetricFamily Single(std::string name, std::string help, MetricType type, double value,
                    std::vector<ClientMetric::Label> labels = {}) {
  MetricFamily family = Family(std::move(name), std::move(help), type);
  AddValue(&family, std::move(labels), value);
  return family;
}

// The serving snapshot's sizes and models.
void AddSnapshot(const engine::Snapshot& snapshot, std::vector<MetricFamily>* out) {
  out->push_back(Single("souk_index_products", "Products in the serving index", MetricType::Gauge,
                        static_cast<double>(snapshot.catalog().size())));
  out->push_back(Single("souk_index_terms", "Distinct terms in the lexical index",
                        MetricType::Gauge, static_cast<double>(snapshot.lexical().num_terms())));
  out->push_back(Single("souk_index_lexical_bytes", "Memory of the lexical index",
                        MetricType::Gauge, static_cast<double>(snapshot.lexical().MemoryBytes())));
  out->push_back(Single("souk_index_vectors", "Product vectors in the vector index",
                        MetricType::Gauge,
                        snapshot.vectors() ? static_cast<double>(snapshot.vectors()->size()) : 0));
  MetricFamily models =
      Family("souk_model_info", "Models the serving snapshot uses (value 1)", MetricType::Gauge);
  if (const encoder::TextEncoder* encoder = snapshot.encoder(); encoder != nullptr) {
    AddValue(&models, {{"model", "encoder"}, {"version", encoder->fingerprint()}}, 1);
  }
  for (size_t v = 0; v < snapshot.split().size(); ++v) {
    if (const rank::Ranker* ranker = snapshot.ranker(v); ranker != nullptr) {
      AddValue(&models,
               {{"model", "ranker"},
                {"variant", snapshot.split().name(v)},
                {"version", StrCat(ranker->model().rounds(), " trees")}},
               1);
    }
  }
  out->push_back(std::move(models));
}

// The query encoder's cache and batcher, when the snapshot has one.
void AddEncoder(const encoder::TextEncoder& encoder, std::vector<MetricFamily>* out) {
  const encoder::BatcherStats b = encoder.batcher_stats();
  const std::pair<const char*, const char*> names[] = {
      {"souk_encoder_cache_hits_total", "Query embeddings served from the cache"},
      {"souk_encoder_cache_misses_total", "Query embeddings computed"},
      {"souk_encoder_direct_total", "Embeddings computed alone on the caller's thread"},
      {"souk_encoder_batches_total", "Batches the encoder's batcher ran"},
      {"souk_encoder_batched_total", "Queries in those batches (/ batches: mean batch size)"},
      {"souk_encoder_batch_wait_seconds_total", "Summed waits of batched queries for a batch"},
      {"souk_encoder_expired_total", "Queries dropped from the batcher: deadline passed"}};
  const double values[] = {static_cast<double>(encoder.cache_hits()),
                           static_cast<double>(encoder.cache_misses()),
                           static_cast<double>(encoder.direct_calls()),
                           static_cast<double>(b.batches),
                           static_cast<double>(b.items),
                           static_cast<double>(b.wait_us) * 1e-6,
                           static_cast<double>(b.expired)};
  for (size_t i = 0; i < std::size(values); ++i) {
    out->push_back(Single(names[i].first, names[i].second, MetricType::Counter, values[i]));
  }
}

void AddReviewScorer(const engine::ReviewScorer& scorer, std::vector<MetricFamily>* out) {
  out->push_back(Single("souk_reviews_scored_total", "Reviews whose text the sentiment model read",
                        MetricType::Counter, static_cast<double>(scorer.scored())));
  MetricFamily unscored = Family("souk_reviews_unscored_total",
                                 "Reviews left unscored, by reason: the queue was full "
                                 "(feedback.sentiment.max_pending), or the model failed",
                                 MetricType::Counter);
  AddValue(&unscored, {{"reason", "full"}}, static_cast<double>(scorer.dropped()));
  AddValue(&unscored, {{"reason", "failed"}}, static_cast<double>(scorer.failed()));
  out->push_back(std::move(unscored));
}

void AddQueue(const RequestQueue& queue, std::vector<MetricFamily>* out) {
  const RequestQueue::Counters c = queue.counters();
  out->push_back(Single("souk_request_queue_waiting", "Calls waiting for a worker now",
                        MetricType::Gauge, static_cast<double>(c.waiting)));
  out->push_back(Single("souk_request_queue_capacity", "server.max_queue", MetricType::Gauge,
                        static_cast<double>(queue.max_queue())));
  MetricFamily shed = Family("souk_request_queue_shed_total",
                             "Calls answered unrun, by reason: the queue was full, they waited "
                             "too long, or their deadline passed",
                             MetricType::Counter);
  AddValue(&shed, {{"reason", "full"}}, static_cast<double>(c.refused_full));
  AddValue(&shed, {{"reason", "waited"}}, static_cast<double>(c.shed_waited));
  AddValue(&shed, {{"reason", "deadline"}}, static_cast<double>(c.shed_deadline));
  out->push_back(std::move(shed));
}

// Every family, computed now.
std::vector<MetricFamily> Collect(const engine::SearchEngine& search,
                                  const engine::FeedbackEngine& feedback,
                                  const ServingSources& sources) {
  std::vector<MetricFamily> out;
  if (sources.rpc != nullptr) out = sources.rpc->Collect();
  if (sources.queue != nullptr) AddQueue(*sources.queue, &out);
  MetricFamily logged =
      Family("souk_events_logged", "Events in the feedback log", MetricType::Gauge);
  AddValue(&logged, {}, static_cast<double>(feedback.logged()));
  out.push_back(std::move(logged));
  if (feedback.review_scorer() != nullptr) AddReviewScorer(*feedback.review_scorer(), &out);
  MetricFamily loaded = Family("souk_snapshot_loaded_timestamp_seconds",
                               "When the serving snapshot was loaded", MetricType::Gauge);
  const std::shared_ptr<const engine::Snapshot> snapshot = search.snapshot();
  AddValue(&loaded, {{"version", snapshot->version()}},
           static_cast<double>(snapshot->loaded_unix_s()));
  out.push_back(std::move(loaded));
  AddSnapshot(*snapshot, &out);
  if (snapshot->encoder() != nullptr) AddEncoder(*snapshot->encoder(), &out);
  const int64_t now = NowUnixMillis();
  AddTotals(feedback.metrics().Report(0, std::numeric_limits<int64_t>::max() / 2), &out);
  AddRates(feedback.metrics().Report(now - kDayMs, now), &out);
  return out;
}

}  // namespace

std::string MetricsExporter::Scrape() const {
  return prometheus::TextSerializer().Serialize(Collect(*search_, *feedback_, sources_));
}

}  // namespace souk::api
