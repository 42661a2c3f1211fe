// souk retrain: the next ranker or sequential recommender version from the event log, compared
// with the serving one, promoted when it is not worse, and (with --server) reloaded into soukd.

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <chrono>
#include <iostream>

#include "cmd_util.h"
#include "commands.h"
#include "ranker_flags.h"
#include "server_connection.h"
#include "souk/api/status_mapping.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/engine/search_engine.h"
#include "souk/engine/snapshot.h"
#include "souk/train/model_versions.h"
#include "souk/train/ranker_retrain.h"
#include "souk/train/seqrec_retrain.h"
#include "souk/v1/admin.grpc.pb.h"
#include "train_flags.h"

namespace souk::apps {
namespace {

constexpr char kUsage[] =
    R"(usage: souk retrain [ranker] --config FILE --models DIR [--set k=v ...] [--server HOST:PORT]
                    [--serving RANKER.json] [--min-heldout 100] [--force] [ranker flags]
       souk retrain seqrec --config FILE --models DIR [--set k=v ...] [--server HOST:PORT]
                    [--serving MODEL_DIR] [--min-heldout 100] [--max-heldout 5000] [--force]
                    [seqrec flags]
       souk retrain --models DIR --promote vN [--server HOST:PORT]

ranker: trains the next version of the ranker on the event log of --config (feedback.event_log,
read only: soukd may keep running), as `souk train ranker --sessions` would, and writes it to
DIR/vN (ranker.json, report.json). The most recent --heldout share of the logged searches is
held out and each ranker's order of their shown pages scored, position-debiased.
seqrec: trains the next sequential recommender on recommend.interactions followed by the log's
clicks, carts and purchases, the newest item of the log's most recent users (up to
--max-heldout) held out, and writes it to DIR/vN (the model directory, report.json); the new and
the serving model rank all items as each held-out user's next (NDCG@10).
Either way the new version becomes DIR/current unless its gain over the serving one (--serving,
else DIR/current, else none) has a 95% interval below zero, or fewer than --min-heldout cases
were held out; --force promotes it regardless. soukd serves it with `ranker.model: DIR` or
`recommend.seqrec_model: DIR` (each load reads DIR/current); --server calls AdminService.Reload
so a running soukd swaps it in. Exit 0 when promoted, 3 when not promoted, 1 on error.
--promote makes an already published version current (a rollback) without training. See
docs/feedback.md, "Retraining".

Ranker flags, as `souk train ranker`'s but for two defaults (every round kept; see
docs/feedback.md): [--heldout 0.1] [--no-position-debias] [--min-propensity 0.3]
  [--all-candidates] [--exclude-features NAME,...] [--rounds 150] [--early-stopping 0] [--lr 0.05] [--max-depth 6] [--subsample 0.8] [--colsample 0.8]
  [--seed 42] [--threads 0]
Seqrec flags, as `souk train seqrec`'s: [--hidden 64] [--layers 2] [--heads 2] [--max-length 50]
  [--dropout 0.2] [--batch 128] [--epochs 20] [--patience 3] [--validation-users 4000]
  [--negatives 0] [--lr 1e-3] [--warmup 0.01] [--weight-decay 0] [--clip 1.0] [runtime flags]
)";

constexpr int kNotPromoted = 3;

absl::StatusOr<size_t> MinHeldOut(const Flags& flags) {
  SOUK_ASSIGN_OR_RETURN(const int64_t n, flags.GetInt("min-heldout", 100));
  if (n < 1) return absl::InvalidArgumentError("--min-heldout: must be >= 1");
  return static_cast<size_t>(n);
}

absl::Status ReadFlags(const Flags& flags, train::RankerRetrainOptions* o) {
  o->models_dir = flags.Get("models");
  o->serving_ranker = flags.Get("serving");
  o->force = flags.Has("force");
  SOUK_ASSIGN_OR_RETURN(o->min_heldout_searches, MinHeldOut(flags));
  o->training.out = "(the new version)";  // set by the retrain; Validate needs one
  o->training.sessions = {"(the event log)"};
  SOUK_RETURN_IF_ERROR(ReadRankerFlags(flags, &o->training));
  SOUK_RETURN_IF_ERROR(o->training.Validate());
  return absl::OkStatus();
}

absl::Status ReadFlags(const Flags& flags, train::SeqRecRetrainOptions* o) {
  o->models_dir = flags.Get("models");
  o->serving_model = flags.Get("serving");
  o->force = flags.Has("force");
  SOUK_ASSIGN_OR_RETURN(o->min_heldout_users, MinHeldOut(flags));
  SOUK_ASSIGN_OR_RETURN(const int64_t max_heldout, flags.GetInt("max-heldout", 5000));
  if (max_heldout < 1) return absl::InvalidArgumentError("--max-heldout: must be >= 1");
  o->max_heldout_users = static_cast<size_t>(max_heldout);
  return ReadSeqRecFlags(flags, &o->training);
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

void PrintSeqRecResult(const train::SeqRecRetrainResult& r) {
  const train::HeldOutComparison& c = r.comparison;
  std::cout << "read " << r.events << " events (" << r.log_actions << " clicks, carts and "
            << "purchases): " << r.training.users << " users, " << r.training.items << " items, "
            << r.training.interactions << " interactions; best epoch " << r.training.best_epoch
            << ", " << r.training.seconds << " s\n"
            << "held-out next items of " << c.count << " users: ndcg@10 new " << c.candidate
            << ", serving (" << (r.serving_model.empty() ? "none" : r.serving_model) << ") "
            << c.baseline << "; hr@10 new " << r.heldout_hr_new << ", serving "
            << r.heldout_hr_serving << "\n"
            << r.version << " -> " << r.version_dir << "\n"
            << (r.decision.promote ? "promoted: " : "not promoted: ") << r.decision.reason << "\n";
}

// AdminService.Reload on `server`: soukd loads the snapshot again, the new current ranker too.
int ReloadServer(const Flags& flags) {
  auto connection = ServerConnection::FromFlags(flags);
  if (!connection.ok()) return Fail("souk retrain", connection.status());
  const std::string& server = connection->address();
  auto stub = v1::AdminService::NewStub(connection->Connect());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(10));
  v1::ReloadResponse response;
  const grpc::Status status = stub->Reload(&context, v1::ReloadRequest(), &response);
  if (!status.ok()) {
    std::cerr << "souk retrain: promoted, but reloading " << server << " failed ("
              << api::StatusCodeName(status.error_code()) << ": " << status.error_message()
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
  return flags.Has("server") ? ReloadServer(flags) : 0;
}

// The configuration's event log, or FAILED_PRECONDITION.
absl::StatusOr<std::string> EventLog(const config::SoukConfig& cfg) {
  if (!cfg.feedback.enabled()) {
    return absl::FailedPreconditionError(
        "the configuration has no feedback.event_log to learn from");
  }
  return cfg.feedback.log.path;
}

// Exit code of a finished retrain: reload when promoted and asked.
int Finish(bool promoted, const Flags& flags) {
  if (!promoted) return kNotPromoted;
  return flags.Has("server") ? ReloadServer(flags) : 0;
}

int RetrainRanker(const Flags& flags) {
  train::RankerRetrainOptions options;
  if (absl::Status s = ReadFlags(flags, &options); !s.ok()) return Fail("souk retrain", s);
  auto cfg = ConfigFromFlags(flags, "");
  if (!cfg.ok()) return Fail("souk retrain", cfg.status());
  auto event_log = EventLog(*cfg);
  if (!event_log.ok()) return Fail("souk retrain", event_log.status());
  options.event_log = *event_log;
  options.training.aggregates = cfg->feedback.aggregates;  // the features as serving counts them
  options.training.sentiment = cfg->feedback.sentiment.classifier;
  cfg->snapshot.ranker_model.clear();  // candidates and features do not depend on a ranker
  cfg->snapshot.experiment = {};
  cfg->snapshot.recommender = {};
  auto snapshot = engine::Snapshot::Load(cfg->snapshot);
  if (!snapshot.ok()) return Fail("souk retrain", snapshot.status());
  auto engine = engine::SearchEngine::Create(cfg->search, *snapshot);
  if (!engine.ok()) return Fail("souk retrain", engine.status());
  auto result = train::RetrainRanker(**engine, options, PrintRound);
  if (!result.ok()) return Fail("souk retrain", result.status());
  PrintResult(*result);
  return Finish(result->decision.promote, flags);
}

int RetrainSeqRec(const Flags& flags) {
  train::SeqRecRetrainOptions options;
  if (absl::Status s = ReadFlags(flags, &options); !s.ok()) return Fail("souk retrain seqrec", s);
  auto cfg = ConfigFromFlags(flags, "");
  if (!cfg.ok()) return Fail("souk retrain seqrec", cfg.status());
  auto event_log = EventLog(*cfg);
  if (!event_log.ok()) return Fail("souk retrain seqrec", event_log.status());
  options.event_log = *event_log;
  options.interactions = cfg->snapshot.recommender.interactions;
  auto result = train::RetrainSeqRec(options);
  if (!result.ok()) return Fail("souk retrain seqrec", result.status());
  PrintSeqRecResult(*result);
  return Finish(result->decision.promote, flags);
}

}  // namespace

int RunRetrain(int argc, char** argv) {
  auto flags = Flags::Parse(
      argc, argv, 2,
      {.with_value =
           Union({kRankerFlags,
                  kSeqRecFlags,
                  kOptimizerFlags,
                  kRuntimeFlags,
                  ServerConnectionFlags(),
                  {"config", "set", "models", "serving", "min-heldout", "max-heldout", "promote"}}),
       .boolean = Union({kRankerBooleans, kRuntimeBooleans, {"help", "force"}})});
  if (!flags.ok()) return Fail("souk retrain", flags.status());
  if (flags->Has("help")) return Usage(StrCat(kUsage, kServerConnectionUsage), true);
  const std::vector<std::string>& what = flags->positional();
  if (what.size() > 1 || (what.size() == 1 && what[0] != "ranker" && what[0] != "seqrec")) {
    return Usage(StrCat(kUsage, kServerConnectionUsage), false);
  }
  if (flags->Has("promote") && flags->Has("models")) return PromoteVersion(*flags);
  if (absl::Status s = flags->Require({"config", "models"}); !s.ok()) {
    return Fail("souk retrain", s);
  }
  return what.empty() || what[0] == "ranker" ? RetrainRanker(*flags) : RetrainSeqRec(*flags);
}

}  // namespace souk::apps
