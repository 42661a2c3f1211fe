// souk simulate: the demo shop's simulated users (hidden tastes, position bias) shop on a
// running soukd: Search -> pages -> clicks, carts, purchases -> LogEvents, until every A/B
// variant has had its sessions; then CTR and conversion per variant with 95% intervals, and
// each variant's lift over the first (the control).

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>

#include "cmd_util.h"
#include "commands.h"
#include "server_connection.h"
#include "souk/api/proto_conversion.h"
#include "souk/api/status_mapping.h"
#include "souk/base/clock.h"
#include "souk/base/confidence.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/eval/shop_simulator.h"
#include "souk/v1/admin.grpc.pb.h"
#include "souk/v1/feedback.grpc.pb.h"
#include "souk/v1/search.grpc.pb.h"

namespace souk::apps {
namespace {

constexpr char kUsage[] =
    R"(usage: souk simulate --shop DIR [--server HOST:PORT] [--sessions N] [--seed S]
                     [--days D] [--max-sessions N] [--json]

Drives a running soukd (default 127.0.0.1:50051) with the simulated users of the demo shop in
DIR (made by `souk gen`; the server must serve its catalog): each session searches, is shown
the server's pages, clicks, carts and buys by the users' hidden tastes and position bias, and
its events are sent with LogEvents. Runs until every A/B variant the server reports has had
--sessions sessions (default 2000), at most --max-sessions in all (default 10 x that x the
variants), over a window of --days (default 1) ending 15 minutes ago. Prints per variant the
sessions, click-through (clicks / products shown) and conversion (sessions with a purchase /
sessions) with 95% intervals, revenue per session, and each variant's lift over the first. The
lifts' intervals take the user as the unit: a user's sessions share their tastes, so counting
sessions as independent would make the intervals too narrow.
)";

struct Tally {
  uint64_t sessions = 0;
  uint64_t impressions = 0;
  uint64_t clicks = 0;
  uint64_t converted = 0;
  double revenue = 0;
  /// Per user: converted sessions of sessions, clicks of impressions (the lifts' clusters).
  std::map<std::string, ClusterCounts> user_sessions;
  std::map<std::string, ClusterCounts> user_impressions;

  void Add(const eval::SimulatedSession& session) {
    ++sessions;
    impressions += session.impressions;
    clicks += session.clicks;
    converted += session.purchased;
    revenue += session.revenue;
    const std::string& user = session.events.front().user_id;
    user_sessions[user].successes += session.purchased;
    user_sessions[user].trials += 1;
    user_impressions[user].successes += static_cast<double>(session.clicks);
    user_impressions[user].trials += static_cast<double>(session.impressions);
  }
};

std::vector<ClusterCounts> Clusters(const std::map<std::string, ClusterCounts>& by_user) {
  std::vector<ClusterCounts> clusters;
  for (const auto& [user, counts] : by_user) clusters.push_back(counts);
  return clusters;
}

// b's conversion (sessions with a purchase per session) over a's, users as clusters.
Interval CvrLift(const Tally& b, const Tally& a) {
  return ClusteredRatioInterval(Clusters(b.user_sessions), Clusters(a.user_sessions));
}

Interval CtrLift(const Tally& b, const Tally& a) {
  return ClusteredRatioInterval(Clusters(b.user_impressions), Clusters(a.user_impressions));
}

class Driver {
 public:
  Driver(const ServerConnection& server, size_t page_size)
      : channel_(server.Connect()),
        search_(v1::SearchService::NewStub(channel_)),
        feedback_(v1::FeedbackService::NewStub(channel_)),
        admin_(v1::AdminService::NewStub(channel_)),
        page_size_(page_size) {}

  absl::StatusOr<std::vector<std::string>> Variants() {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::StatsResponse stats;
    const grpc::Status s = admin_->Stats(&context, v1::StatsRequest(), &stats);
    if (!s.ok()) return Error("Stats", s);
    std::vector<std::string> names;
    for (const v1::VariantStats& v : stats.feedback().variants()) names.push_back(v.variant());
    if (names.empty()) return absl::FailedPreconditionError("the server reports no variant");
    return names;
  }

  absl::StatusOr<eval::ShownPage> Search(const std::string& user, const std::string& query) {
    v1::SearchRequest request;
    request.set_query(query);
    request.set_user_id(user);
    request.set_page_size(static_cast<int32_t>(page_size_));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::SearchResponse response;
    const grpc::Status s = search_->Search(&context, request, &response);
    // A query the server refuses (say, only stop words) shows an empty page.
    if (s.error_code() == grpc::StatusCode::INVALID_ARGUMENT) return eval::ShownPage{};
    if (!s.ok()) return Error("Search", s);
    eval::ShownPage page{.request_id = response.request_id(), .variant = response.variant()};
    for (const v1::SearchResult& r : response.results()) page.product_ids.push_back(r.product_id());
    return page;
  }

  // Queues a session's events; sends them when enough have gathered.
  absl::Status Log(const std::vector<events::Event>& events, bool flush) {
    for (const events::Event& e : events) api::ToProto(e, pending_.add_events());
    if (pending_.events_size() == 0 || (!flush && pending_.events_size() < 500)) {
      return absl::OkStatus();
    }
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    v1::LogEventsResponse response;
    const grpc::Status s = feedback_->LogEvents(&context, pending_, &response);
    pending_.Clear();
    if (!s.ok()) return Error("LogEvents", s);
    if (response.errors_size() > 0) {
      return absl::InternalError(StrCat("LogEvents refused ", response.errors_size(),
                                        " events, the first: ", response.errors(0).message()));
    }
    logged_ += static_cast<uint64_t>(response.accepted());
    return absl::OkStatus();
  }

  uint64_t logged() const { return logged_; }

 private:
  static absl::Status Error(std::string_view rpc, const grpc::Status& s) {
    return absl::UnavailableError(
        StrCat(rpc, ": ", api::StatusCodeName(s.error_code()), ": ", s.error_message()));
  }

  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::SearchService::Stub> search_;
  std::unique_ptr<v1::FeedbackService::Stub> feedback_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  size_t page_size_;
  v1::LogEventsRequest pending_;
  uint64_t logged_ = 0;
};

std::string Percent(const Interval& i) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.2f%% [%.2f, %.2f]", 100 * i.estimate, 100 * i.low,
                100 * i.high);
  return buffer;
}

std::string Lift(const Interval& ratio) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%+.1f%% [%+.1f, %+.1f]", 100 * (ratio.estimate - 1),
                100 * (ratio.low - 1), 100 * (ratio.high - 1));
  return buffer;
}

void PrintTable(const std::vector<std::string>& variants, const std::map<std::string, Tally>& t) {
  std::printf("%-14s %9s  %-26s %-26s %10s\n", "variant", "sessions", "CTR [95% CI]",
              "CVR [95% CI]", "rev/session");
  for (const std::string& v : variants) {
    const Tally& x = t.at(v);
    std::printf("%-14s %9lu  %-26s %-26s %10.2f\n", v.c_str(),
                static_cast<unsigned long>(x.sessions),
                Percent(WilsonInterval(x.clicks, x.impressions)).c_str(),
                Percent(WilsonInterval(x.converted, x.sessions)).c_str(),
                x.sessions == 0 ? 0.0 : x.revenue / static_cast<double>(x.sessions));
  }
  const Tally& a = t.at(variants[0]);
  for (size_t i = 1; i < variants.size(); ++i) {
    const Tally& b = t.at(variants[i]);
    std::printf("lift of %s over %s: CVR %s, CTR %s\n", variants[i].c_str(), variants[0].c_str(),
                Lift(CvrLift(b, a)).c_str(), Lift(CtrLift(b, a)).c_str());
  }
}

void PrintJson(const std::vector<std::string>& variants, const std::map<std::string, Tally>& t) {
  std::printf("{\"variants\":[");
  const Tally& a = t.at(variants[0]);
  for (size_t i = 0; i < variants.size(); ++i) {
    const Tally& x = t.at(variants[i]);
    const Interval ctr = WilsonInterval(x.clicks, x.impressions);
    const Interval cvr = WilsonInterval(x.converted, x.sessions);
    const Interval lift = CvrLift(x, a);
    std::printf(
        "%s{\"variant\":\"%s\",\"sessions\":%lu,\"impressions\":%lu,\"clicks\":%lu,"
        "\"converted\":%lu,\"revenue\":%.2f,\"ctr\":[%.5f,%.5f,%.5f],\"cvr\":[%.5f,%.5f,%.5f],"
        "\"cvr_ratio_to_first\":[%.4f,%.4f,%.4f]}",
        i == 0 ? "" : ",", variants[i].c_str(), static_cast<unsigned long>(x.sessions),
        static_cast<unsigned long>(x.impressions), static_cast<unsigned long>(x.clicks),
        static_cast<unsigned long>(x.converted), x.revenue, ctr.estimate, ctr.low, ctr.high,
        cvr.estimate, cvr.low, cvr.high, lift.estimate, lift.low, lift.high);
  }
  std::printf("]}\n");
}

bool Done(const std::vector<std::string>& variants, const std::map<std::string, Tally>& t,
          uint64_t per_variant) {
  for (const std::string& v : variants) {
    if (t.at(v).sessions < per_variant) return false;
  }
  return true;
}

}  // namespace

int RunSimulate(int argc, char** argv) {
  auto flags = Flags::Parse(
      argc, argv, 2,
      {.with_value =
           Union({ServerConnectionFlags(), {"shop", "sessions", "seed", "days", "max-sessions"}}),
       .boolean = {"json", "help"}});
  if (!flags.ok()) return Fail("souk simulate", flags.status());
  if (flags->Has("help") || !flags->Has("shop") || !flags->positional().empty()) {
    return Usage(StrCat(kUsage, kServerConnectionUsage), flags->Has("help"));
  }
  auto shop = eval::ReadDemoShopOptions(flags->Get("shop"));
  if (!shop.ok()) return Fail("souk simulate", shop.status());
  auto per_variant = flags->GetInt("sessions", 2000);
  auto seed = flags->GetInt("seed", 1);
  auto days = flags->GetInt("days", 1);
  for (const auto* value : {&per_variant, &seed, &days}) {
    if (!value->ok()) return Fail("souk simulate", value->status());
  }
  auto connection = ServerConnection::FromFlags(*flags);
  if (!connection.ok()) return Fail("souk simulate", connection.status());
  Driver driver(*connection, shop->page_size);
  auto variants = driver.Variants();
  if (!variants.ok()) return Fail("souk simulate", variants.status());
  auto max_sessions =
      flags->GetInt("max-sessions", *per_variant * 10 * static_cast<int64_t>(variants->size()));
  if (!max_sessions.ok()) return Fail("souk simulate", max_sessions.status());
  if (*per_variant < 1 || *max_sessions < 1) {
    std::cerr << "souk simulate: --sessions and --max-sessions must be >= 1\n";
    return 2;
  }
  const eval::SimulationOptions options{.seed = static_cast<uint64_t>(*seed),
                                        .sessions = static_cast<size_t>(*max_sessions),
                                        .start_unix_s = NowUnixSeconds() - *days * 86400 - 900,
                                        .days = static_cast<int>(*days)};
  auto simulator = eval::ShopSimulator::Create(*shop, options);
  if (!simulator.ok()) return Fail("souk simulate", simulator.status());

  std::map<std::string, Tally> tallies;
  for (const std::string& v : *variants) tallies[v];
  const eval::SearchFunction search = [&](const std::string& user, const std::string& query) {
    return driver.Search(user, query);
  };
  const auto start = std::chrono::steady_clock::now();
  while (!Done(*variants, tallies, static_cast<uint64_t>(*per_variant))) {
    absl::StatusOr<eval::SimulatedSession> session = (*simulator)->Next(search);
    if (absl::IsOutOfRange(session.status())) break;  // --max-sessions reached
    if (!session.ok()) return Fail("souk simulate", session.status());
    if (absl::Status s = driver.Log(session->events, false); !s.ok()) {
      return Fail("souk simulate", s);
    }
    if (session->searches == 0 || !tallies.contains(session->variant)) continue;
    tallies[session->variant].Add(*session);
  }
  if (absl::Status s = driver.Log({}, true); !s.ok()) return Fail("souk simulate", s);
  std::cerr << "souk simulate: " << driver.logged() << " events logged in "
            << MillisSince(start) / 1000.0 << " s\n";
  if (flags->Has("json")) {
    PrintJson(*variants, tallies);
  } else {
    PrintTable(*variants, tallies);
  }
  return Done(*variants, tallies, static_cast<uint64_t>(*per_variant)) ? 0 : 1;
}

}  // namespace souk::apps
