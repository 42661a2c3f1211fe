// souk recommend: every user's next items by the sequential model, co-visitation or both, as a
// TREC run (the offline face of Recommend; docs/recommend.md).

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
#include "souk/recommend/blend.h"
#include "souk/recommend/interactions.h"
#include "souk/recommend/item_to_item.h"
#include "souk/recommend/recommender.h"

namespace souk::apps {
namespace {

constexpr char kUsage[] =
    R"(usage: souk recommend --interactions FILE --output RUN [--method blend] [--model DIR]
                      [--candidates CANDIDATES] [--k 10] [--tag souk-METHOD] [--batch 256] [--device cpu] [--threads 0]

For every user of FILE (`user item` lines, each user's in time order), the --k items ranked
highest as the next one after the user's whole history, excluding the items already in it, as a
TREC run (`user Q0 item rank score tag`). Methods (docs/recommend.md):
  blend     seqrec and covisit blended by reciprocal rank, the default [--rrf-k 60] [--depth 100]
  seqrec    the sequential model DIR (`souk train seqrec`; --model). Items it does not know are
            left out of the histories; a user left without any gets the model's answer for an
            empty history.
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
  recommend::BlendOptions blend;
  int64_t k = 10;
  int64_t batch = 256;
  int64_t threads = 0;
};

bool UsesModel(const std::string& method) { return method == "seqrec" || method == "blend"; }

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
  f->method = flags.Get("method", "blend");
  f->model_dir = flags.Get("model");
  f->interactions = flags.Get("interactions");
  f->candidates = flags.Get("candidates");
  f->output = flags.Get("output");
  f->tag = flags.Get("tag", StrCat("souk-", f->method));
  f->device = flags.Get("device", "cpu");
  SOUK_ASSIGN_OR_RETURN(f->k, flags.GetInt("k", f->k));
  SOUK_ASSIGN_OR_RETURN(f->batch, flags.GetInt("batch", f->batch));
  SOUK_ASSIGN_OR_RETURN(f->threads, flags.GetInt("threads", f->threads));
  if (f->method != "blend" && f->method != "seqrec" && f->method != "covisit" &&
      f->method != "markov" && f->method != "popular") {
    return absl::InvalidArgumentError(
        StrCat("--method '", f->method, "' is not blend, seqrec, covisit, markov or popular"));
  }
  if (UsesModel(f->method) && f->model_dir.empty()) {
    return absl::InvalidArgumentError(StrCat("--method ", f->method, " needs --model DIR"));
  }
  SOUK_ASSIGN_OR_RETURN(f->blend.rrf_k, flags.GetDouble("rrf-k", f->blend.rrf_k));
  SOUK_ASSIGN_OR_RETURN(int64_t depth, flags.GetInt("depth", static_cast<int64_t>(f->blend.depth)));
  if (depth < 1) return absl::InvalidArgumentError(StrCat("--depth must be >= 1, got ", depth));
  f->blend.depth = static_cast<size_t>(depth);
  SOUK_RETURN_IF_ERROR(f->blend.Validate());
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

// What a method needs: a co-visitation table (covisit, markov, blend), popularity (popular) and
// the sequential model (seqrec, blend). Items are indexed by the model's vocabulary first, then
// the ones only FILE names.
struct Recommenders {
  std::unique_ptr<model::SeqRecModel> model;
  size_t model_items = 0;
  std::optional<recommend::CoVisitation> covisitation;
  std::optional<recommend::Popularity> popularity;
};

// Loads the model (when the method uses one), reads FILE and counts what the method needs.
absl::StatusOr<recommend::Interactions> Prepare(const RecommendFlags& f, Recommenders* r) {
  recommend::ItemVocabulary model_items;
  if (UsesModel(f.method)) {
    SOUK_ASSIGN_OR_RETURN(
        r->model, model::SeqRecModel::Load(f.model_dir, f.device, static_cast<int>(f.threads)));
    SOUK_ASSIGN_OR_RETURN(model_items,
                          recommend::ReadSeqRecItems(f.model_dir, r->model->config().num_items));
    r->model_items = model_items.size();
  }
  SOUK_ASSIGN_OR_RETURN(
      recommend::Interactions read,
      recommend::ReadInteractions(f.interactions, model_items, recommend::UnknownItems::kAdd));
  if (f.method == "popular") {
    r->popularity = recommend::Popularity::Build(read.users, read.items.size());
  } else if (f.method != "seqrec") {
    r->covisitation = recommend::CoVisitation::Build(
        read.users, read.items.size(),
        f.method == "markov" ? recommend::CoVisitationOptions::Markov() : f.covisitation);
  }
  return read;
}

// The items of `items` the model knows.
std::vector<uint32_t> ModelItems(std::span<const recommend::ItemIndex> items, size_t model_items) {
  std::vector<uint32_t> known;
  for (const recommend::ItemIndex item : items) {
    if (item <= model_items) known.push_back(item);
  }
  return known;
}

std::vector<recommend::ScoredItem> ByScore(std::span<const uint32_t> items,
                                           std::span<const float> scores) {
  std::vector<recommend::ScoredItem> out;
  for (size_t i = 0; i < items.size(); ++i) out.push_back({items[i], scores[i]});
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.score > b.score; });
  return out;
}

// One batch of users by the model: their top `depth`, or (with `candidates`) their candidates
// the model knows, ranked.
absl::StatusOr<std::vector<std::vector<recommend::ScoredItem>>> SeqRecBatch(
    const Recommenders& r, std::span<const recommend::UserHistory* const> users,
    const CandidateLists* candidates, size_t depth) {
  std::vector<std::vector<uint32_t>> histories, lists;
  for (const recommend::UserHistory* u : users) {
    histories.push_back(ModelItems(u->items, r.model_items));
    if (candidates) lists.push_back(ModelItems(candidates->at(u->user), r.model_items));
  }
  std::vector<std::vector<recommend::ScoredItem>> out(users.size());
  if (candidates == nullptr) {
    SOUK_ASSIGN_OR_RETURN(const auto top, r.model->TopK(histories, depth));
    for (size_t u = 0; u < top.size(); ++u) {
      for (const model::ScoredItem& s : top[u]) out[u].push_back({s.item, s.score});
    }
    return out;
  }
  SOUK_ASSIGN_OR_RETURN(const auto scores, r.model->ScoreItems(histories, lists));
  for (size_t u = 0; u < scores.size(); ++u) out[u] = ByScore(lists[u], scores[u]);
  return out;
}

// A user's ranking by the counting method: top `depth`, or their candidates ranked.
std::vector<recommend::ScoredItem> CountedRanking(const Recommenders& r,
                                                  const recommend::UserHistory& u,
                                                  const CandidateLists* candidates, size_t depth) {
  if (candidates) {
    const std::vector<recommend::ItemIndex>& list = candidates->at(u.user);
    return r.covisitation ? r.covisitation->Rank(u.items, list) : r.popularity->Rank(u.items, list);
  }
  return r.covisitation ? r.covisitation->Recommend(u.items, depth)
                        : r.popularity->Recommend(u.items, depth);
}

// The user's first `depth` co-visited items, or their co-visited candidates ranked: the
// popularity that fills co-visitation's lists up would only blur the blend.
std::vector<recommend::ScoredItem> CoVisited(const Recommenders& r, const recommend::UserHistory& u,
                                             const CandidateLists* candidates, size_t depth) {
  if (candidates == nullptr) return r.covisitation->CoVisited(u.items, depth);
  std::vector<recommend::ScoredItem> ranked = r.covisitation->Rank(u.items, candidates->at(u.user));
  std::erase_if(ranked, [](const recommend::ScoredItem& s) { return s.score <= 0; });
  return FirstK(std::move(ranked), depth);
}

// The rankings of one batch of users by f.method, each its first f.k.
absl::StatusOr<std::vector<std::vector<recommend::ScoredItem>>> RankBatch(
    const RecommendFlags& f, const Recommenders& r,
    std::span<const recommend::UserHistory* const> users, const CandidateLists* candidates) {
  const size_t k = static_cast<size_t>(f.k);
  const size_t depth = f.method == "blend" ? std::max(k, f.blend.depth) : k;
  std::vector<std::vector<recommend::ScoredItem>> ranked(users.size());
  if (r.model) {
    SOUK_ASSIGN_OR_RETURN(ranked, SeqRecBatch(r, users, candidates, depth));
  }
  for (size_t u = 0; u < users.size(); ++u) {
    if (f.method == "blend") {
      const std::vector<recommend::ScoredItem> lists[2] = {
          FirstK(std::move(ranked[u]), depth), CoVisited(r, *users[u], candidates, depth)};
      ranked[u] = recommend::BlendByRank(lists, f.blend.rrf_k);
    } else if (!r.model) {
      ranked[u] = CountedRanking(r, *users[u], candidates, k);
    }
    ranked[u] = FirstK(std::move(ranked[u]), k);
  }
  return ranked;
}

absl::Status Recommend(const RecommendFlags& f) {
  Recommenders r;
  SOUK_ASSIGN_OR_RETURN(const recommend::Interactions read, Prepare(f, &r));
  SOUK_ASSIGN_OR_RETURN(const CandidateLists candidates, ReadCandidates(f.candidates, read.items));
  std::vector<const recommend::UserHistory*> users;
  for (const recommend::UserHistory& u : read.users) {
    if (f.candidates.empty() || candidates.contains(u.user)) users.push_back(&u);
  }
  const std::span<const recommend::UserHistory* const> all(users);
  std::vector<eval::RunEntry> run;
  for (size_t begin = 0; begin < users.size(); begin += static_cast<size_t>(f.batch)) {
    const auto batch =
        all.subspan(begin, std::min(users.size() - begin, static_cast<size_t>(f.batch)));
    SOUK_ASSIGN_OR_RETURN(const auto ranked,
                          RankBatch(f, r, batch, f.candidates.empty() ? nullptr : &candidates));
    for (size_t u = 0; u < batch.size(); ++u) {
      AppendUser(batch[u]->user, read.items, ranked[u], &run);
    }
  }
  SOUK_RETURN_IF_ERROR(WriteFileAtomically(f.output, eval::FormatTrecRun(run, f.tag)));
  std::cout << f.method << ": recommended for " << users.size() << " users";
  if (r.model) {
    std::cout << " (" << read.items.size() - r.model_items << " of " << read.items.size()
              << " items unknown to the model)";
  }
  std::cout << " -> " << f.output << "\n";
  return absl::OkStatus();
}

}  // namespace

int RunRecommend(int argc, char** argv) {
  auto flags =
      Flags::Parse(argc, argv, 2,
                   {.with_value = {"method", "model", "interactions", "candidates", "output", "k",
                                   "tag", "batch", "device", "threads", "window", "backward-weight",
                                   "history-items", "recency-decay", "rrf-k", "depth"},
                    .boolean = {"help"}});
  if (!flags.ok()) return Fail("souk recommend", flags.status());
  if (flags->Has("help")) return Usage(kUsage, true);
  if (absl::Status s = flags->Require({"interactions", "output"}); !s.ok()) {
    return Fail("souk recommend", s);
  }
  RecommendFlags f;
  if (absl::Status s = ReadFlags(*flags, &f); !s.ok()) return Fail("souk recommend", s);
  if (absl::Status s = Recommend(f); !s.ok()) return Fail("souk recommend", s);
  return 0;
}

}  // namespace souk::apps
