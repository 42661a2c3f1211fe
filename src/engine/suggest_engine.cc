#include "souk/engine/suggest_engine.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "souk/base/clock.h"
#include "souk/base/logging.h"
#include "souk/base/str_cat.h"
#include "souk/base/utf8.h"
#include "souk/text/fold.h"

namespace souk::engine {
namespace {

constexpr size_t kMaxTitleWords = 3;

// Adds one product's worth to each of the folded `names` (each name once per product).
void CountOnce(const std::vector<std::string>& names,
               absl::flat_hash_map<std::string, size_t>* counts) {
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    if (name.empty() || std::find(names.begin(), names.begin() + i, name) != names.begin() + i) {
      continue;
    }
    ++(*counts)[name];
  }
}

// The first one, two and three words of a folded title.
std::vector<std::string> TitleStarts(const std::string& folded) {
  std::vector<std::string> starts;
  size_t end = 0;
  for (size_t words = 0; words < kMaxTitleWords && end < folded.size(); ++words) {
    end = folded.find(' ', end + 1);
    if (end == std::string::npos) end = folded.size();
    starts.push_back(folded.substr(0, end));
  }
  return starts;
}

double CatalogWeight(double weight, size_t products) {
  return weight * std::log2(1.0 + static_cast<double>(products));
}

}  // namespace

std::vector<suggest::Phrase> CatalogPhrases(const catalog::Catalog& catalog, double weight,
                                            size_t max_title_phrases) {
  std::vector<suggest::Phrase> phrases;
  if (weight <= 0) return phrases;
  absl::flat_hash_map<std::string, size_t> names, starts;
  // Brands and categories repeat across products: each is folded (ICU) once.
  absl::flat_hash_map<std::string, std::string> folded_names;
  const auto fold = [&folded_names](const std::string& name) -> const std::string& {
    auto it = folded_names.find(name);
    if (it == folded_names.end()) it = folded_names.emplace(name, text::FoldText(name)).first;
    return it->second;
  };
  std::vector<std::string> product_names;
  for (const catalog::Product& product : catalog.products()) {
    product_names.clear();
    for (const std::string& category : product.category_path) {
      product_names.push_back(fold(category));
    }
    if (!product.brand.empty()) product_names.push_back(fold(product.brand));
    CountOnce(product_names, &names);
    CountOnce(TitleStarts(text::FoldText(product.title)), &starts);
  }
  for (const auto& [name, products] : names) {
    phrases.push_back({name, CatalogWeight(weight, products)});
  }
  // Title starts that two titles share, the most common first.
  std::vector<std::pair<std::string, size_t>> shared;
  for (auto& [start, products] : starts) {
    if (products >= 2) shared.emplace_back(start, products);
  }
  std::sort(shared.begin(), shared.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (shared.size() > max_title_phrases) shared.resize(max_title_phrases);
  for (auto& [start, products] : shared) {
    phrases.push_back({std::move(start), CatalogWeight(weight, products)});
  }
  return phrases;
}

SuggestEngine::SuggestEngine(const SuggestOptions& options, const SearchEngine* search,
                             const events::Aggregates* events)
    : options_(options), search_(search), events_(events) {}

absl::StatusOr<std::unique_ptr<SuggestEngine>> SuggestEngine::Create(
    const SuggestOptions& options, const SearchEngine* search, const events::Aggregates* events) {
  if (absl::Status s = options.Validate(); !s.ok()) return s;
  std::unique_ptr<SuggestEngine> engine(new SuggestEngine(options, search, events));
  // The first build runs on the refresher's thread too: start-up does not wait for it (about
  // half a second per 100,000 products), and until it is in, suggestions are empty.
  engine->index_ = std::make_shared<const suggest::CompletionIndex>();
  engine->refresher_ = std::thread([e = engine.get()] { e->RefreshLoop(); });
  return engine;
}

SuggestEngine::~SuggestEngine() {
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (refresher_.joinable()) refresher_.join();
}

void SuggestEngine::RefreshLoop() {
  Refresh();
  std::unique_lock<std::mutex> lock(stop_mu_);
  while (!stop_cv_.wait_for(lock, std::chrono::seconds(options_.refresh_s),
                            [this] { return stopping_; })) {
    lock.unlock();
    Refresh();
    lock.lock();
  }
}

void SuggestEngine::Refresh() {
  std::lock_guard<std::mutex> build_lock(refresh_mu_);
  const auto started = std::chrono::steady_clock::now();
  const std::shared_ptr<const Snapshot> snapshot = search_->snapshot();
  std::vector<suggest::Phrase> phrases = CatalogPhrasesOf(*snapshot);
  size_t searched = 0;
  if (events_ != nullptr) {
    for (events::QueryCount& q : events_->queries().Frequent(options_.min_users, NowUnixMillis())) {
      const std::vector<std::string> terms = snapshot->QueryTerms(q.query);
      const bool finds_products = std::any_of(terms.begin(), terms.end(), [&](const auto& term) {
        return snapshot->lexical().Contains(term);
      });
      if (!finds_products) continue;
      phrases.push_back({std::move(q.query), q.count});
      ++searched;
    }
  }
  auto index =
      std::make_shared<const suggest::CompletionIndex>(suggest::CompletionIndex::Build(phrases));
  const size_t size = index->size();
  {
    std::lock_guard<std::mutex> lock(index_mu_);
    index_ = std::move(index);
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  // A line when the phrases changed (the first build, new searches, a new catalog), not every
  // refresh_s.
  if (std::exchange(last_size_, size) != size) {
    SOUK_LOG_INFO("suggest", "built: ", size, " phrases (", searched, " searched queries) in ", ms,
                  " ms");
  }
}

std::vector<suggest::Phrase> SuggestEngine::CatalogPhrasesOf(const Snapshot& snapshot) {
  if (catalog_version_.empty() || catalog_version_ != snapshot.version()) {
    catalog_phrases_ =
        CatalogPhrases(snapshot.catalog(), options_.catalog_weight, options_.max_title_phrases);
    catalog_version_ = snapshot.version();
  }
  return catalog_phrases_;
}

std::shared_ptr<const suggest::CompletionIndex> SuggestEngine::index() const {
  std::lock_guard<std::mutex> lock(index_mu_);
  return index_;
}

absl::StatusOr<std::vector<suggest::Completion>> SuggestEngine::Suggest(
    std::string_view prefix, size_t k, std::string_view user_id) const {
  if (prefix.size() > options_.max_prefix_bytes) {
    return absl::InvalidArgumentError(
        StrCat("prefix: ", prefix.size(), " bytes; the limit is ", options_.max_prefix_bytes));
  }
  if (!IsValidUtf8(prefix)) return absl::InvalidArgumentError("prefix: not valid UTF-8");
  if (k < 1 || k > suggest::CompletionIndex::kMaxCompletions) {
    return absl::InvalidArgumentError(
        StrCat("limit: ", k, " is not in 1..", suggest::CompletionIndex::kMaxCompletions));
  }
  if (user_id.empty() || events_ == nullptr || options_.personal_boost == 0) {
    return index()->Complete(prefix, k);
  }
  std::vector<suggest::Completion> found =
      index()->Complete(prefix, suggest::CompletionIndex::kMaxCompletions);
  Personalize(user_id, &found);
  if (found.size() > k) found.resize(k);
  return found;
}

namespace {

// Click 1, add-to-cart 2, purchase 3, as the ranker's user affinities weigh them; a review 1.
double ActionWeight(events::EventType type) {
  switch (type) {
    case events::EventType::kAddToCart:
      return 2;
    case events::EventType::kPurchase:
      return 3;
    default:
      return 1;
  }
}

bool IsAsciiWordByte(char c) {
  return static_cast<unsigned char>(c) < 0x80 && std::isalnum(static_cast<unsigned char>(c));
}

// Whether `text` holds `name` as whole words: "lg" is in "lg tv", not in "bulgarian" (Chinese
// names have no word boundaries to check).
bool ContainsName(std::string_view text, std::string_view name) {
  for (size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
    const size_t end = at + name.size();
    const bool starts = at == 0 || !IsAsciiWordByte(text[at - 1]) || !IsAsciiWordByte(name.front());
    const bool ends =
        end == text.size() || !IsAsciiWordByte(text[end]) || !IsAsciiWordByte(name.back());
    if (starts && ends) return true;
  }
  return false;
}

}  // namespace

void SuggestEngine::Personalize(std::string_view user_id,
                                std::vector<suggest::Completion>* completions) const {
  const std::vector<events::UserAction> actions = events_->RecentActions(user_id);
  if (actions.empty() || completions->empty()) return;
  // The user's share of actions on each brand and category name, folded as completions are.
  const std::shared_ptr<const Snapshot> snapshot = search_->snapshot();
  absl::flat_hash_map<std::string, double> share;
  double total = 0;
  for (const events::UserAction& action : actions) {
    const std::optional<catalog::DocId> doc = snapshot->catalog().Find(action.product_id);
    if (!doc) continue;  // no longer sold
    const catalog::Product& product = snapshot->catalog().product(*doc);
    const double weight = ActionWeight(action.type);
    total += weight;
    if (!product.brand.empty()) share[text::FoldText(product.brand)] += weight;
    for (const std::string& category : product.category_path) {
      share[text::FoldText(category)] += weight;
    }
  }
  if (total == 0) return;
  for (suggest::Completion& completion : *completions) {
    double best = 0;
    for (const auto& [name, weight] : share) {
      if (!name.empty() && ContainsName(completion.text, name)) {
        best = std::max(best, weight / total);
      }
    }
    completion.weight *= 1 + options_.personal_boost * best;
  }
  std::stable_sort(completions->begin(), completions->end(),
                   [](const suggest::Completion& a, const suggest::Completion& b) {
                     if (a.corrected != b.corrected) return !a.corrected;
                     return a.weight > b.weight;
                   });
}

}  // namespace souk::engine
