// souk load: drives a running soukd's Search (or Recommend, SimilarItems, LogEvents) with
// requests from a file and reports latency percentiles and throughput, the end-to-end figures of
// bench/RESULTS.md.
//
// Closed loop (default): each of --clients callers sends its next request as soon as the last
// one answered. Open loop (--rate R): request i is due at start + i / R whatever happened before,
// and its latency runs from that due time, so a server that falls behind is charged for the
// queue it builds (no coordinated omission); --clients then bounds the requests in flight.
// Both stop at --requests or --duration, whichever comes first.

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cmd_util.h"
#include "commands.h"
#include "server_connection.h"
#include "souk/api/proto_conversion.h"
#include "souk/api/status_mapping.h"
#include "souk/base/clock.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/base/utf8.h"
#include "souk/eval/qrels.h"
#include "souk/events/event_jsonl.h"
#include "souk/v1/feedback.grpc.pb.h"
#include "souk/v1/recommend.grpc.pb.h"
#include "souk/v1/search.grpc.pb.h"

namespace souk::apps {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kUsage[] =
    R"(usage: souk load --queries QUERIES.tsv [--server HOST:PORT] [--rpc search] [--clients N]
                 [--requests N] [--duration-s S] [--rate QPS] [--warmup N] [--k N]
                 [--timeout-ms MS] [--json]
       souk load --rpc events --events EVENTS.jsonl [--batch 16] [the flags above]

Sends requests to a running soukd (default 127.0.0.1:50051), cycling through the lines of
QUERIES.tsv (id<TAB>text), and prints latency percentiles and QPS. --rpc:
  search      SearchService.Search for each query text (default)
  recommend   RecommendService.Recommend for each text as a user id, on the home page
  similar     RecommendService.SimilarItems for each text as a product id
  suggest     SearchService.Suggest for a prefix of each text as typed so far: request i sends
              its first 1 + i mod 12 characters (the whole text when shorter), limit --k
  events      FeedbackService.LogEvents of --batch events of EVENTS.jsonl (the demo shop's
              events.jsonl layout) per request, in file order; each sent event gets the time
              of sending and an id of its own (the line's, then "-r", the run's start time in
              ms, "." and the request number), so that none is a retry, in this run or a
              later one. A request with a refused event counts as an error.
  --clients N      concurrent callers, each on its own connection (default 1)
  --requests N     stop after N requests (default 1000)
  --duration-s S   stop after S seconds (default 60, at most 1000000)
  --rate QPS       open loop at QPS requests per second; without it, closed loop
  --warmup N       first send N requests, one at a time, and leave them out (default 0)
  --json           one JSON object instead of the table
)";

enum class Rpc { kSearch, kRecommend, kSimilar, kSuggest, kEvents };

const char* RpcName(Rpc rpc) {
  switch (rpc) {
    case Rpc::kRecommend:
      return "recommend";
    case Rpc::kSimilar:
      return "similar";
    case Rpc::kEvents:
      return "events";
    case Rpc::kSuggest:
      return "suggest";
    case Rpc::kSearch:
      break;
  }
  return "search";
}

struct LoadOptions {
  ServerConnection server;
  Rpc rpc = Rpc::kSearch;
  std::vector<std::string> queries;   // every rpc but kEvents
  std::vector<events::Event> events;  // kEvents
  int events_per_request = 16;
  int64_t run_start_ms = 0;  // in kEvents' event ids: a later run repeats none of them
  int clients = 1;
  int64_t requests = 1000;
  double duration_s = 60;
  double rate = 0;  // 0: closed loop
  int64_t warmup = 0;
  int page_size = 10;
  int timeout_ms = 5000;
};

struct LoadReport {
  std::vector<double> latencies_ms;  // successful requests only
  int64_t errors = 0;                // every failed request
  int64_t refused = 0;               // of which RESOURCE_EXHAUSTED: the server shed them
  std::string first_error;
  double wall_s = 0;
};

// Hands out request numbers and their due times until the count or the time is spent; shared
// by every caller. Closed loop: a request is due when taken. Open loop: request i is due at
// start + i / rate, and none is handed out that would be due after the deadline.
class RequestTicket {
 public:
  struct Ticket {
    int64_t number = -1;  // -1: the run is over
    Clock::time_point due;
  };

  RequestTicket(const LoadOptions& options, Clock::time_point start)
      : limit_(options.requests),
        rate_(options.rate),
        start_(start),
        deadline_(start + Seconds(options.duration_s)) {}

  Ticket Next() {
    const int64_t i = next_.fetch_add(1);
    const Clock::time_point due =
        rate_ > 0 ? start_ + Seconds(static_cast<double>(i) / rate_) : Clock::now();
    if (i >= limit_ || due >= deadline_ || Clock::now() >= deadline_) return {};
    return {i, due};
  }

 private:
  static Clock::duration Seconds(double s) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
  }

  std::atomic<int64_t> next_{0};
  const int64_t limit_;
  const double rate_;
  const Clock::time_point start_;
  const Clock::time_point deadline_;
};

// The services' stubs on one channel.
struct Stubs {
  std::unique_ptr<v1::SearchService::Stub> search;
  std::unique_ptr<v1::RecommendService::Stub> recommend;
  std::unique_ptr<v1::FeedbackService::Stub> feedback;
};

// A channel with its own subchannel pool, so that each caller gets its own TCP connection rather
// than all of them sharing one.
Stubs ConnectOwnChannel(const ServerConnection& server) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  const auto channel = server.Connect(args);
  return {v1::SearchService::NewStub(channel), v1::RecommendService::NewStub(channel),
          v1::FeedbackService::NewStub(channel)};
}

class LoadRun {
 public:
  explicit LoadRun(const LoadOptions& options) : options_(options) {}

  LoadReport Run() {
    WarmUp();
    const Clock::time_point start = Clock::now();
    RequestTicket tickets(options_, start);
    std::vector<std::thread> callers;
    for (int c = 0; c < options_.clients; ++c) {
      callers.emplace_back([this, &tickets] { Caller(tickets); });
    }
    for (std::thread& caller : callers) caller.join();
    report_.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
    return std::move(report_);
  }

 private:
  // Requests whose answers do not count: the first ones after a start pay for lazy
  // initialization (connections, thread pools) that steady traffic never sees.
  void WarmUp() const {
    if (options_.warmup == 0) return;
    const Stubs stubs = ConnectOwnChannel(options_.server);
    for (int64_t i = 0; i < options_.warmup; ++i) {
      Send(stubs, i);
    }
  }

  void Caller(RequestTicket& tickets) {
    const Stubs stubs = ConnectOwnChannel(options_.server);
    std::vector<double> latencies;
    int64_t errors = 0;
    int64_t refused = 0;
    std::string first_error;
    for (RequestTicket::Ticket t = tickets.Next(); t.number >= 0; t = tickets.Next()) {
      std::this_thread::sleep_until(t.due);
      const grpc::Status status = Send(stubs, options_.warmup + t.number);
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t.due).count();
      if (status.ok()) {
        latencies.push_back(ms);
        continue;
      }
      if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) ++refused;
      if (errors++ == 0) {
        first_error =
            StrCat(api::StatusCodeName(status.error_code()), ": ", status.error_message());
      }
    }
    std::lock_guard<std::mutex> lock(mutex_);
    report_.latencies_ms.insert(report_.latencies_ms.end(), latencies.begin(), latencies.end());
    if (report_.errors == 0 && errors > 0) report_.first_error = first_error;
    report_.errors += errors;
    report_.refused += refused;
  }

  // Request i's query; measured requests continue after the warm-up's, so that a server's query
  // cache holds none of them until the file comes round again.
  const std::string& QueryOf(int64_t i) const {
    return options_.queries[static_cast<size_t>(i) % options_.queries.size()];
  }

  // What a shopper has typed of `text` by request i: its first 1 + i mod 12 characters.
  static std::string PrefixOf(const std::string& text, int64_t i) {
    size_t end = 0;
    for (int64_t chars = 1 + i % 12; chars > 0 && end < text.size(); --chars) {
      end += std::max<size_t>(1, Utf8SequenceLength(text, end));
    }
    return text.substr(0, end);
  }

  // Request i's events: the file's next --batch lines, cycling, stamped now, with ids unique to
  // the request.
  v1::LogEventsRequest EventsOf(int64_t i) const {
    v1::LogEventsRequest request;
    const int64_t now_ms = NowUnixMillis();
    for (int j = 0; j < options_.events_per_request; ++j) {
      const size_t line = static_cast<size_t>(i * options_.events_per_request + j);
      events::Event event = options_.events[line % options_.events.size()];
      event.event_id = StrCat(event.event_id, "-r", options_.run_start_ms, ".", i);
      event.timestamp_ms = now_ms;
      api::ToProto(event, request.add_events());
    }
    return request;
  }

  grpc::Status SendEvents(const Stubs& stubs, grpc::ClientContext* context, int64_t i) const {
    v1::LogEventsResponse response;
    const grpc::Status status = stubs.feedback->LogEvents(context, EventsOf(i), &response);
    if (!status.ok() || response.errors_size() == 0) return status;
    return {grpc::StatusCode::INVALID_ARGUMENT,
            StrCat(response.errors_size(),
                   " event(s) refused, the first: ", response.errors(0).message())};
  }

  grpc::Status Send(const Stubs& stubs, int64_t i) const {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::milliseconds(options_.timeout_ms));
    if (options_.rpc == Rpc::kEvents) return SendEvents(stubs, &context, i);
    const std::string& text = QueryOf(i);
    switch (options_.rpc) {
      case Rpc::kRecommend: {
        v1::RecommendRequest request;
        request.set_user_id(text);
        request.set_context(v1::PAGE_CONTEXT_HOME);
        request.set_page_size(options_.page_size);
        v1::RecommendResponse response;
        return stubs.recommend->Recommend(&context, request, &response);
      }
      case Rpc::kSimilar: {
        v1::SimilarItemsRequest request;
        request.set_product_id(text);
        request.set_page_size(options_.page_size);
        v1::SimilarItemsResponse response;
        return stubs.recommend->SimilarItems(&context, request, &response);
      }
      case Rpc::kSuggest: {
        v1::SuggestRequest request;
        request.set_prefix(PrefixOf(text, i));
        request.set_limit(static_cast<uint32_t>(std::min(options_.page_size, 10)));
        v1::SuggestResponse response;
        return stubs.search->Suggest(&context, request, &response);
      }
      case Rpc::kSearch:
      case Rpc::kEvents:
        break;
    }
    v1::SearchRequest request;
    request.set_query(text);
    request.set_page_size(options_.page_size);
    v1::SearchResponse response;
    return stubs.search->Search(&context, request, &response);
  }

  const LoadOptions& options_;
  std::mutex mutex_;
  LoadReport report_;
};

// The nearest-rank percentile (0 < p <= 100) of sorted values.
double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<size_t>(std::ceil(p / 100 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

void PrintReport(const LoadOptions& options, LoadReport report, bool json) {
  std::sort(report.latencies_ms.begin(), report.latencies_ms.end());
  const std::vector<double>& ms = report.latencies_ms;
  const char* mode = options.rate > 0 ? "open" : "closed";
  const auto errors = static_cast<long long>(report.errors);
  const double qps = report.wall_s > 0 ? static_cast<double>(ms.size()) / report.wall_s : 0;
  const double p50 = Percentile(ms, 50), p95 = Percentile(ms, 95), p99 = Percentile(ms, 99);
  const double max = ms.empty() ? 0 : ms.back();
  char line[512];
  if (json) {
    std::snprintf(line, sizeof(line),
                  "{\"rpc\":\"%s\",\"mode\":\"%s\",\"clients\":%d,\"rate\":%g,\"requests\":%zu,"
                  "\"errors\":%lld,\"refused\":%lld,"
                  "\"seconds\":%.3f,\"qps\":%.1f,\"p50_ms\":%.3f,\"p95_ms\":%.3f,"
                  "\"p99_ms\":%.3f,\"max_ms\":%.3f}\n",
                  RpcName(options.rpc), mode, options.clients, options.rate, ms.size(), errors,
                  static_cast<long long>(report.refused), report.wall_s, qps, p50, p95, p99, max);
  } else {
    std::snprintf(line, sizeof(line),
                  "%s loop, %d clients: %zu requests, %lld errors (%lld refused) in %.1f s, "
                  "%.1f QPS\n"
                  "latency ms: p50 %.2f  p95 %.2f  p99 %.2f  max %.2f\n",
                  mode, options.clients, ms.size(), errors, static_cast<long long>(report.refused),
                  report.wall_s, qps, p50, p95, p99, max);
  }
  std::cout << line;
  if (report.errors > 0) std::cerr << "souk load: first error: " << report.first_error << "\n";
}

// --events and --batch of `--rpc events`.
absl::Status ReadEvents(const Flags& flags, LoadOptions& options) {
  SOUK_ASSIGN_OR_RETURN(const int64_t batch, flags.GetInt("batch", options.events_per_request));
  if (batch < 1 || batch > 10000) {
    return absl::InvalidArgumentError(StrCat("--batch must be 1..10000, got ", batch));
  }
  options.events_per_request = static_cast<int>(batch);
  options.run_start_ms = NowUnixMillis();
  SOUK_ASSIGN_OR_RETURN(options.events, events::ReadEventsJsonl(flags.Get("events")));
  if (options.events.empty()) {
    return absl::InvalidArgumentError(StrCat("no event in ", flags.Get("events")));
  }
  return absl::OkStatus();
}

absl::StatusOr<LoadOptions> OptionsFromFlags(const Flags& flags) {
  LoadOptions options;
  SOUK_ASSIGN_OR_RETURN(options.server, ServerConnection::FromFlags(flags));
  const std::string rpc = flags.Get("rpc", "search");
  if (rpc == "recommend") {
    options.rpc = Rpc::kRecommend;
  } else if (rpc == "similar") {
    options.rpc = Rpc::kSimilar;
  } else if (rpc == "suggest") {
    options.rpc = Rpc::kSuggest;
  } else if (rpc == "events") {
    options.rpc = Rpc::kEvents;
  } else if (rpc != "search") {
    return absl::InvalidArgumentError(
        StrCat("--rpc '", rpc, "' is not search, recommend, similar, suggest or events"));
  }
  SOUK_RETURN_IF_ERROR(flags.Require({options.rpc == Rpc::kEvents ? "events" : "queries"}));
  SOUK_ASSIGN_OR_RETURN(const int64_t clients, flags.GetInt("clients", 1));
  SOUK_ASSIGN_OR_RETURN(options.requests, flags.GetInt("requests", 1000));
  SOUK_ASSIGN_OR_RETURN(options.duration_s, flags.GetDouble("duration-s", 60));
  SOUK_ASSIGN_OR_RETURN(options.rate, flags.GetDouble("rate", 0));
  SOUK_ASSIGN_OR_RETURN(options.warmup, flags.GetInt("warmup", 0));
  SOUK_ASSIGN_OR_RETURN(const int64_t k, flags.GetInt("k", 10));
  SOUK_ASSIGN_OR_RETURN(const int64_t timeout_ms, flags.GetInt("timeout-ms", 5000));
  if (clients < 1 || clients > 1024) {
    return absl::InvalidArgumentError(StrCat("--clients must be 1..1024, got ", clients));
  }
  if (options.requests < 1) {
    return absl::InvalidArgumentError(StrCat("--requests must be >= 1, got ", options.requests));
  }
  if (!(options.duration_s > 0 && options.duration_s <= 1e6)) {
    return absl::InvalidArgumentError(
        StrCat("--duration-s must be in (0, 1000000], got ", options.duration_s));
  }
  if (options.rate != 0 && !(options.rate >= 0.01 && options.rate <= 1e7)) {
    return absl::InvalidArgumentError(
        StrCat("--rate must be 0 (closed loop) or in [0.01, 10000000], got ", options.rate));
  }
  if (options.warmup < 0 || options.warmup > 100000) {
    return absl::InvalidArgumentError(StrCat("--warmup must be 0..100000, got ", options.warmup));
  }
  if (k < 1 || k > 1000) return absl::InvalidArgumentError(StrCat("--k must be 1..1000, got ", k));
  if (timeout_ms < 1) {
    return absl::InvalidArgumentError(StrCat("--timeout-ms must be >= 1, got ", timeout_ms));
  }
  options.clients = static_cast<int>(clients);
  options.page_size = static_cast<int>(k);
  options.timeout_ms = static_cast<int>(timeout_ms);
  if (options.rpc == Rpc::kEvents) {
    SOUK_RETURN_IF_ERROR(ReadEvents(flags, options));
    return options;
  }
  SOUK_ASSIGN_OR_RETURN(const auto lines, eval::ReadQueriesTsv(flags.Get("queries")));
  for (const eval::QueryLine& line : lines) options.queries.push_back(line.text);
  if (options.queries.empty()) {
    return absl::InvalidArgumentError(StrCat("no query in ", flags.Get("queries")));
  }
  return options;
}

}  // namespace

int RunLoad(int argc, char** argv) {
  auto flags = Flags::Parse(
      argc, argv, 2,
      {.with_value = Union({ServerConnectionFlags(),
                            {"rpc", "queries", "events", "batch", "clients", "requests",
                             "duration-s", "rate", "warmup", "k", "timeout-ms"}}),
       .boolean = {"help", "json"}});
  if (!flags.ok()) return Fail("souk load", flags.status());
  if (flags->Has("help") || !flags->positional().empty())
    return Usage(StrCat(kUsage, kServerConnectionUsage), flags->Has("help"));
  auto options = OptionsFromFlags(*flags);
  if (!options.ok()) return Fail("souk load", options.status());
  LoadReport report = LoadRun(*options).Run();
  const bool all_failed = report.latencies_ms.empty();
  PrintReport(*options, std::move(report), flags->Has("json"));
  return all_failed ? 1 : 0;
}

}  // namespace souk::apps
