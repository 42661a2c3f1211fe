// souk retrain: the next ranker version from the event log, compared with the serving one,
// promoted when it is not worse, and (with --server) reloaded into a running soukd.

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <chrono>
#include <iostream>

#include "cmd_util.h"
#include "commands.h"
#include "ranker_flags.h"
#include "souk/base/status_macros.h"
#include "souk/engine/search_engine.h"
#include "souk/engine/snapshot.h"
#include "souk/train/model_versions.h"
#include "souk/train/ranker_retrain.h"
#include "souk/v1/admin.grpc.pb.h"
#include "train_flags.h"

namespace souk::apps {
namespace {

constexpr char kUsage[] =
    R"(usage: souk retrain --config FILE --models DIR [--set k=v ...] [--server HOST:PORT]
                    [--serving RANKER.json] [--min-heldout 100] [--force] [ranker flags]
       souk retrain --models DIR --promote vN [--server HOST:PORT]

Trains the next version of the ranker on the event log of --config (feedback.event_log, read
only: soukd may keep running), as `souk train ranker --sessions` would, and writes it to
DIR/vN (ranker.json, report.json). The most recent --heldout share of the logged searches is
held out and each ranker's order of their shown pages scored, position-debiased: the new version
becomes DIR/current unless its gain over the serving ranker (--serving, else DIR/current's, else
retrieval order) has a 95% interval below zero, or fewer than --min-heldout searches were held
out; --force promotes it regardless. soukd serves it with `ranker.model: DIR` (each load reads
DIR/current/ranker.json); --server calls AdminService.Reload so a running soukd swaps it in. Exit 0 when promoted, 3 when
not promoted, 1 on error. --promote makes an already published version current (a rollback)
without training. See docs/feedback.md, "Retraining".

Ranker flags, as `souk train ranker`'s: [--heldout 0.1] [--no-position-debias]
  [--min-propensity 0.3] [--all-candidates] [--exclude-features NAME,...] [--rounds 500]
  [--early-stopping 50] [--lr 0.05] [--max-depth 6] [--subsample 0.8] [--colsample 0.8]
  [--seed 42] [--threads 0]
)";

constexpr int kNotPromoted = 3;

absl::Status ReadFlags(const Flags& flags, train::RankerRetrainOptions* o) {
  o->models_dir = flags.Get("models");
  o->serving_ranker = flags.Get("serving");
  o->force = flags.Has("force");
  SOUK_ASSIGN_OR_RETURN(const int64_t min_heldout,
                        flags.GetInt("min-heldout", static_cast<int64_t>(o->min_heldout_searches)));
  if (min_heldout < 1) return absl::InvalidArgumentError("--min-heldout: must be >= 1");
  o->min_heldout_searches = static_cast<size_t>(min_heldout);
  o->training.out = "(the new version)";  // set by the retrain; Validate needs one
  o->training.sessions = {"(the event log)"};
  SOUK_RETURN_IF_ERROR(ReadRankerFlags(flags, &o->training));
  SOUK_RETURN_IF_ERROR(o->training.Validate());
  return absl::OkStatus();
}

void PrintRound(const rank::RoundMetrics& m) {
  if (m.round % 50 != 0 && m.round != 1) return;
  std::cerr << "ranker round " << m.round << " train ndcg@10 " << m.train_ndcg
            << " held-out ndcg@10 " << m.validation_ndcg << "\n";
}

void PrintResult(const train::RankerRetrainResult& r) {
  const train::RankerTrainingResult& t = r.training;
  std::cout << "read " << r.events << " events: " << t.train_queries
            << " logged searches trained on, " << t.heldout_logged_searches << " held out; "
            << t.rounds << " trees, " << t.seconds << " s\n"
            << "held-out debiased ndcg@10: retrieval order " << t.heldout_ips_ndcg_retrieval
            << ", new " << t.heldout_ips_ndcg_ranker << ", serving ("
            << (r.serving_ranker.empty() ? "retrieval order" : r.serving_ranker) << ") "
            << t.heldout_ips_ndcg_baseline << "\n"
            << r.version << " -> " << r.version_dir << "\n"
            << (r.decision.promote ? "promoted: " : "not promoted: ") << r.decision.reason << "\n";
}

// AdminService.Reload on `server`: soukd loads the snapshot again, the new current ranker too.
int ReloadServer(const std::string& server) {
  auto stub =
      v1::AdminService::NewStub(grpc::CreateChannel(server, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(10));
  v1::ReloadResponse response;
  const grpc::Status status = stub->Reload(&context, v1::ReloadRequest(), &response);
  if (!status.ok()) {
    std::cerr << "souk retrain: promoted, but reloading " << server << " failed ("
              << GrpcCodeName(status.error_code()) << ": " << status.error_message()
              << "); it serves the old ranker until it reloads\n";
    return 1;
  }
  std::cout << "reloaded " << server << ": snapshot " << response.snapshot_version() << "\n";
  return 0;
}

// --promote: an earlier version made current again, and reloaded.
int PromoteVersion(const Flags& flags) {
  const train::ModelVersions versions(flags.Get("models"));
  if (absl::Status s = versions.Promote(flags.Get("promote")); !s.ok()) {
    return Fail("souk retrain", s);
  }
  std::cout << "promoted: " << versions.PathOf(flags.Get("promote")) << " is current\n";
  return flags.Has("server") ? ReloadServer(flags.Get("server")) : 0;
}

}  // namespace

int RunRetrain(int argc, char** argv) {
  auto flags = Flags::Parse(
      argc, argv, 2,
      {.with_value =
           Union({kRankerFlags,
                  {"config", "set", "models", "server", "serving", "min-heldout", "promote"}}),
       .boolean = Union({kRankerBooleans, {"help", "force"}})});
  if (!flags.ok()) return Fail("souk retrain", flags.status());
  if (flags->Has("help")) return Usage(kUsage, true);
  if (flags->Has("promote") && flags->Has("models")) return PromoteVersion(*flags);
  if (absl::Status s = flags->Require({"config", "models"}); !s.ok()) {
    return Fail("souk retrain", s);
  }
  train::RankerRetrainOptions options;
  if (absl::Status s = ReadFlags(*flags, &options); !s.ok()) return Fail("souk retrain", s);
  auto cfg = ConfigFromFlags(*flags, "");
  if (!cfg.ok()) return Fail("souk retrain", cfg.status());
  if (!cfg->feedback.enabled()) {
    return Fail("souk retrain", absl::FailedPreconditionError(
                                    "the configuration has no feedback.event_log to learn from"));
  }
  options.event_log = cfg->feedback.log.path;
  options.training.aggregates = cfg->feedback.aggregates;  // the features as serving counts them
  cfg->snapshot.ranker_model.clear();  // candidates and features do not depend on a ranker
  cfg->snapshot.experiment = {};
  auto snapshot = engine::Snapshot::Load(cfg->snapshot);
  if (!snapshot.ok()) return Fail("souk retrain", snapshot.status());
  auto engine = engine::SearchEngine::Create(cfg->search, *snapshot);
  if (!engine.ok()) return Fail("souk retrain", engine.status());
  auto result = train::RetrainRanker(**engine, options, PrintRound);
  if (!result.ok()) return Fail("souk retrain", result.status());
  PrintResult(*result);
  if (!result->decision.promote) return kNotPromoted;
  if (flags->Has("server")) return ReloadServer(flags->Get("server"));
  return 0;
}

}  // namespace souk::apps
