// soukd: the Souk server. Loads the configured index snapshot, serves gRPC until SIGTERM or
// SIGINT, then drains in-flight calls and exits 0.
//
//   soukd --config configs/demo.yaml [--set key.path=value ...] [--print-config]

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <iostream>
#include <thread>

#include "cmd_util.h"
#include "flags.h"
#include "souk/api/server.h"
#include "souk/base/logging.h"
#include "souk/config/souk_config.h"
#include "souk/engine/feedback_engine.h"
#include "souk/engine/recommend_engine.h"
#include "souk/engine/search_engine.h"
#include "souk/engine/snapshot.h"
#include "souk/engine/suggest_engine.h"

namespace souk::apps {
namespace {

constexpr char kUsage[] =
    "usage: soukd --config FILE [--set key.path=value ...] [--print-config]\n";

int Run(int argc, char** argv) {
  absl::StatusOr<Flags> flags = Flags::Parse(
      argc, argv, 1, {.with_value = {"config", "set"}, .boolean = {"print-config", "help"}});
  if (!flags.ok()) {
    Fail("soukd", flags.status());
    std::cerr << kUsage;
    return 2;
  }
  if (flags->Has("help") || !flags->Has("config")) {
    (flags->Has("help") ? std::cout : std::cerr) << kUsage;
    return flags->Has("help") ? 0 : 2;
  }
  absl::StatusOr<config::SoukConfig> cfg =
      config::LoadConfigFile(flags->Get("config"), flags->GetAll("set"));
  if (!cfg.ok()) return Fail("soukd", cfg.status());
  if (flags->Has("print-config")) {
    std::cout << config::ToYaml(*cfg);
    return 0;
  }
  logging::Configure(cfg->logging);

  // Block the stop signals before any thread starts, so only the waiter below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto snapshot = engine::Snapshot::Load(cfg->snapshot);
  if (!snapshot.ok()) return Fail("soukd", snapshot.status());
  // What the event log says: counted by the feedback engine, read by Search and Recommend.
  events::Aggregates aggregates(cfg->feedback.aggregates);
  auto engine = engine::SearchEngine::Create(cfg->search, *snapshot, &aggregates);
  if (!engine.ok()) return Fail("soukd", engine.status());
  auto feedback = engine::FeedbackEngine::Create(cfg->feedback, engine->get(), (*snapshot)->split(),
                                                 &aggregates);
  if (!feedback.ok()) return Fail("soukd", feedback.status());
  auto recommend = engine::RecommendEngine::Create(cfg->recommend, engine->get(), &aggregates);
  if (!recommend.ok()) return Fail("soukd", recommend.status());
  // After the feedback engine: the searched queries of the replayed log are counted by then.
  auto suggest = engine::SuggestEngine::Create(cfg->suggest, engine->get(), &aggregates);
  if (!suggest.ok()) return Fail("soukd", suggest.status());
  auto server = api::Server::Start(cfg->server,
                                   {.search = engine->get(),
                                    .recommend = recommend->get(),
                                    .feedback = feedback->get(),
                                    .suggest = suggest->get()},
                                   cfg->snapshot);
  if (!server.ok()) return Fail("soukd", server.status());
  std::printf("soukd serving on port %d\n", (*server)->port());
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  SOUK_LOG_INFO("soukd", "signal ", signal_number, ": draining and shutting down");
  (*server)->Shutdown();
  (*server)->Wait();
  SOUK_LOG_INFO("soukd", "stopped");
  return 0;
}

}  // namespace
}  // namespace souk::apps

int main(int argc, char** argv) { return souk::apps::Run(argc, argv); }
