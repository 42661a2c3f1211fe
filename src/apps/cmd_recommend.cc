// souk recommend: every user's next items by a trained sequential recommender, as a TREC run
// (the offline face of Recommend; docs/recommend.md).

#include <algorithm>
#include <iostream>
#include <optional>
#include <span>

#include "absl/container/flat_hash_map.h"
#include "cmd_util.h"
#include "commands.h"
#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/eval/qrels.h"
#include "souk/model/seqrec_model.h"
#include "souk/recommend/interactions.h"
#include "souk/recommend/item_to_item.h"

namespace souk::apps {
namespace {

constexpr char kUsage[] =
    R"(usage: souk recommend --interactions FILE --output RUN [--method seqrec] [--model DIR]
                      [--candidates CANDIDATES] [--k 10] [--tag souk-METHOD] [--batch 256] [--device cpu] [--threads 0]

For every user of FILE (`user item` lines, each user's in time order), the --k items ranked
highest as the next one after the user's whole history, excluding the items already in it, as a
TREC run (`user Q0 item rank score tag`). Methods (docs/recommend.md):
  seqrec    the sequential model DIR (`souk train seqrec`; --model). Items it does not know are
            left out of the histories (counted); a user left without any gets the model's
            answer for an empty history.
  covisit   item-to-item co-visitation counted on FILE itself, popularity filling up
            [--window 5] [--backward-weight 0.25] [--history-items 5] [--recency-decay 0.6]
  markov    the most frequent successors of the user's last item in FILE, popularity filling up
  popular   the items FILE names most
--candidates CANDIDATES (`user item` lines) ranks each listed user's candidate items instead
of all items, and leaves the other users out: the sampled-negatives protocol of
docs/recommend.md.
)";

struct RecommendFlags {
  std::string method, model_dir, interactions, candidates, output, tag, device;
  recommend::CoVisitationOptions covisitation;
  int64_t k = 10;
  int64_t batch = 256;
  int64_t threads = 0;
};

absl::Status ReadCoVisitationFlags(const Flags& flags, recommend::CoVisitationOptions* o) {
  SOUK_ASSIGN_OR_RETURN(int64_t window, flags.GetInt("window", static_cast<int64_t>(o->window)));
  SOUK_ASSIGN_OR_RETURN(int64_t history,
                        flags.GetInt("history-items", static_cast<int64_t>(o->history_items)));
  SOUK_ASSIGN_OR_RETURN(double backward, flags.GetDouble("backward-weight", o->backward_weight));
  SOUK_ASSIGN_OR_RETURN(double decay, flags.GetDouble("recency-decay", o->recency_decay));
  if (window < 1 || history < 1) {
    return absl::InvalidArgumentError("--window and --history-items must be >= 1");
  }
  o->window = static_cast<size_t>(window);
  o->history_items = static_cast<size_t>(history);
  o->backward_weight = static_cast<float>(backward);
  o->recency_decay = static_cast<float>(decay);
  return o->Validate();
}

absl::Status ReadFlags(const Flags& flags, RecommendFlags* f) {
  f->method = flags.Get("method", "seqrec");
  f->model_dir = flags.Get("model");
  f->interactions = flags.Get("interactions");
  f->candidates = flags.Get("candidates");
  f->output = flags.Get("output");
  f->tag = flags.Get("tag", StrCat("souk-", f->method));
  f->device = flags.Get("device", "cpu");
  SOUK_ASSIGN_OR_RETURN(f->k, flags.GetInt("k", f->k));
  SOUK_ASSIGN_OR_RETURN(f->batch, flags.GetInt("batch", f->batch));
  SOUK_ASSIGN_OR_RETURN(f->threads, flags.GetInt("threads", f->threads));
  if (f->method != "seqrec" && f->method != "covisit" && f->method != "markov" &&
      f->method != "popular") {
    return absl::InvalidArgumentError(
        StrCat("--method '", f->method, "' is not seqrec, covisit, markov or popular"));
  }
  if (f->method == "seqrec" && f->model_dir.empty()) {
    return absl::InvalidArgumentError("--method seqrec needs --model DIR");
  }
  if (f->k < 1) return absl::InvalidArgumentError(StrCat("--k must be >= 1, got ", f->k));
  SOUK_RETURN_IF_ERROR(ReadCoVisitationFlags(flags, &f->covisitation));
  if (f->batch < 1) {
    return absl::InvalidArgumentError(StrCat("--batch must be >= 1, got ", f->batch));
  }
  if (f->threads < 0) {
    return absl::InvalidArgumentError(StrCat("--threads must be >= 0, got ", f->threads));
  }
  return absl::OkStatus();
}

void AppendUser(const std::string& user, const recommend::ItemVocabulary& vocabulary,
                const std::vector<recommend::ScoredItem>& items, std::vector<eval::RunEntry>* run) {
  for (size_t r = 0; r < items.size(); ++r) {
    run->push_back({user, vocabulary.Name(items[r].item), r + 1, items[r].score});
  }
}

// With --candidates, each listed user's candidate items (others are left out of the run).
using CandidateLists = absl::flat_hash_map<std::string, std::vector<recommend::ItemIndex>>;

absl::StatusOr<CandidateLists> ReadCandidates(const std::string& path,
                                              const recommend::ItemVocabulary& vocabulary) {
  CandidateLists lists;
  if (path.empty()) return lists;
  SOUK_ASSIGN_OR_RETURN(recommend::Interactions read,
                        recommend::ReadInteractions(path, vocabulary));
  if (read.unknown_items > 0) {
    std::cerr << "souk recommend: " << read.unknown_items << " of " << read.lines
              << " candidates name an unknown item and are left out\n";
  }
  for (recommend::UserHistory& u : read.users) lists[u.user] = std::move(u.items);
  return lists;
}

// The first k of `ranked`.
std::vector<recommend::ScoredItem> FirstK(std::vector<recommend::ScoredItem> ranked, size_t k) {
  if (ranked.size() > k) ranked.resize(k);
  return ranked;
}

// popular, markov and covisit: counted on the file they recommend for.
absl::Status RecommendByCounts(const RecommendFlags& f) {
  SOUK_ASSIGN_OR_RETURN(const recommend::Interactions read,
                        recommend::ReadInteractions(f.interactions));
  SOUK_ASSIGN_OR_RETURN(const CandidateLists candidates, ReadCandidates(f.candidates, read.items));
  const size_t k = static_cast<size_t>(f.k);
  const auto popularity = recommend::Popularity::Build(read.users, read.items.size());
  const recommend::CoVisitationOptions options =
      f.method == "markov" ? recommend::CoVisitationOptions::Markov() : f.covisitation;
  std::optional<recommend::CoVisitation> covisitation;
  if (f.method != "popular") {
    covisitation = recommend::CoVisitation::Build(read.users, read.items.size(), options);
  }
  std::vector<eval::RunEntry> run;
  for (const recommend::UserHistory& u : read.users) {
    std::vector<recommend::ScoredItem> items;
    if (!f.candidates.empty()) {
      const auto it = candidates.find(u.user);
      if (it == candidates.end()) continue;
      items = covisitation ? covisitation->Rank(u.items, it->second)
                           : popularity.Rank(u.items, it->second);
    } else {
      items = covisitation ? covisitation->Recommend(u.items, k) : popularity.Recommend(u.items, k);
    }
    AppendUser(u.user, read.items, FirstK(std::move(items), k), &run);
  }
  SOUK_RETURN_IF_ERROR(WriteFileAtomically(f.output, eval::FormatTrecRun(run, f.tag)));
  std::cout << f.method << ": recommended for " << read.users.size() << " users -> " << f.output
            << "\n";
  return absl::OkStatus();
}

absl::StatusOr<recommend::ItemVocabulary> ReadModelItems(const std::string& model_dir,
                                                         int64_t num_items) {
  const std::string path = StrCat(model_dir, "/", model::kSeqRecItemsFile);
  SOUK_ASSIGN_OR_RETURN(const std::string text, ReadFileToString(path));
  SOUK_ASSIGN_OR_RETURN(recommend::ItemVocabulary vocabulary,
                        recommend::ItemVocabulary::FromText(text, path));
  if (static_cast<int64_t>(vocabulary.size()) != num_items) {
    return absl::FailedPreconditionError(
        StrCat(path, ": ", vocabulary.size(), " items, the model has ", num_items));
  }
  return vocabulary;
}

// One batch of users by the model: their top k, or their candidates ranked.
absl::StatusOr<std::vector<std::vector<recommend::ScoredItem>>> SeqRecBatch(
    const model::SeqRecModel& model, const std::vector<std::vector<uint32_t>>& histories,
    const std::vector<std::vector<uint32_t>>* candidates, size_t k) {
  std::vector<std::vector<recommend::ScoredItem>> out(histories.size());
  if (candidates == nullptr) {
    SOUK_ASSIGN_OR_RETURN(const auto top, model.TopK(histories, k));
    for (size_t u = 0; u < top.size(); ++u) {
      for (const model::ScoredItem& s : top[u]) out[u].push_back({s.item, s.score});
    }
    return out;
  }
  SOUK_ASSIGN_OR_RETURN(const auto scores, model.ScoreItems(histories, *candidates));
  for (size_t u = 0; u < scores.size(); ++u) {
    for (size_t i = 0; i < scores[u].size(); ++i) {
      out[u].push_back({(*candidates)[u][i], scores[u][i]});
    }
    std::stable_sort(out[u].begin(), out[u].end(),
                     [](const auto& a, const auto& b) { return a.score > b.score; });
    out[u] = FirstK(std::move(out[u]), k);
  }
  return out;
}

absl::Status RecommendBySeqRec(const RecommendFlags& f) {
  SOUK_ASSIGN_OR_RETURN(
      auto model, model::SeqRecModel::Load(f.model_dir, f.device, static_cast<int>(f.threads)));
  SOUK_ASSIGN_OR_RETURN(const recommend::ItemVocabulary vocabulary,
                        ReadModelItems(f.model_dir, model->config().num_items));
  SOUK_ASSIGN_OR_RETURN(const recommend::Interactions read,
                        recommend::ReadInteractions(f.interactions, vocabulary));
  SOUK_ASSIGN_OR_RETURN(const CandidateLists candidates, ReadCandidates(f.candidates, vocabulary));
  std::vector<const recommend::UserHistory*> users;
  for (const recommend::UserHistory& u : read.users) {
    if (f.candidates.empty() || candidates.contains(u.user)) users.push_back(&u);
  }
  std::vector<eval::RunEntry> run;
  std::vector<std::vector<uint32_t>> histories, lists;
  for (size_t begin = 0; begin < users.size(); begin += static_cast<size_t>(f.batch)) {
    const size_t end = std::min(users.size(), begin + static_cast<size_t>(f.batch));
    histories.clear();
    lists.clear();
    for (size_t u = begin; u < end; ++u) {
      histories.push_back(users[u]->items);
      if (!f.candidates.empty()) lists.push_back(candidates.at(users[u]->user));
    }
    SOUK_ASSIGN_OR_RETURN(const auto ranked,
                          SeqRecBatch(*model, histories, f.candidates.empty() ? nullptr : &lists,
                                      static_cast<size_t>(f.k)));
    for (size_t u = begin; u < end; ++u) {
      AppendUser(users[u]->user, vocabulary, ranked[u - begin], &run);
    }
  }
  SOUK_RETURN_IF_ERROR(WriteFileAtomically(f.output, eval::FormatTrecRun(run, f.tag)));
  std::cout << "recommended for " << users.size() << " users (" << read.unknown_items << " of "
            << read.lines << " interactions name an item the model does not know) -> " << f.output
            << "\n";
  return absl::OkStatus();
}

}  // namespace

int RunRecommend(int argc, char** argv) {
  auto flags =
      Flags::Parse(argc, argv, 2,
                   {.with_value = {"method", "model", "interactions", "candidates", "output", "k",
                                   "tag", "batch", "device", "threads", "window", "backward-weight",
                                   "history-items", "recency-decay"},
                    .boolean = {"help"}});
  if (!flags.ok()) return Fail("souk recommend", flags.status());
  if (flags->Has("help")) return Usage(kUsage, true);
  if (absl::Status s = flags->Require({"interactions", "output"}); !s.ok()) {
    return Fail("souk recommend", s);
  }
  RecommendFlags f;
  if (absl::Status s = ReadFlags(*flags, &f); !s.ok()) return Fail("souk recommend", s);
  const absl::Status done = f.method == "seqrec" ? RecommendBySeqRec(f) : RecommendByCounts(f);
  if (!done.ok()) return Fail("souk recommend", done);
  return 0;
}

}  // namespace souk::apps
