// The demo shop's behaviour log: sessions of searches, impressions, clicks, carts, purchases
// and reviews (docs/demo-shop.md, "Sessions" to "Reviews").
//
// A session: pick an intent (a product the user has in mind, or a due repurchase), type a query
// for it, get a page from the logging policy, examine it under the position-based click model,
// click, cart, refine or stop, and check out. All constants are named below and documented.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <utility>

#include "demo_shop_internal.h"
#include "souk/base/check.h"

namespace souk::eval::demo_shop_internal {
namespace {

// Position-based model: the result at position k is examined with probability (1/k)^eta, the
// form Joachims, Swaminathan & Schnabel ("Unbiased Learning-to-Rank with Biased Feedback",
// WSDM 2017, section 6) simulate with eta = 1; Richardson et al. (WWW 2007) and Craswell et
// al. (WSDM 2008) introduced the examination hypothesis behind it.
constexpr double kPositionBiasEta = 1.0;
constexpr double kRelevanceWeight = 1.5;  // utility per unit of relevance to the intent
constexpr double kIntendedBonus = 1.0;    // the very product the user had in mind
constexpr double kUtilityNoiseSd = 0.5;   // per user and shown item: unobserved taste
constexpr double kClickOffset = 3.2;      // P(click | examined) = sigmoid(u - kClickOffset)
constexpr double kCartOffset = 4.0;       // P(cart | click, in stock) = sigmoid(u - kCartOffset)
constexpr double kBuyOffset = 3.0;        // P(buy best cart line) = sigmoid(u - kBuyOffset)
constexpr double kRefineRate = 0.45;      // another query for the same intent after no cart
constexpr double kNextIntentRate = 0.2;   // another intent after carting something
constexpr int kMaxSearchesPerSession = 4;
constexpr double kRebuyTakeUp = 0.85;  // a due repurchase becomes the session's intent
constexpr double kLoyaltyBonus = 1.5;  // a product bought before and found good
constexpr double kReviewRate = 0.3;    // purchases that get a review
constexpr double kTypoRate[kNumLangs] = {0.06, 0.03};
constexpr int64_t kDay = 86400;
// Sessions per hour of day (UTC taken as shop time): quiet nights, an evening peak.
constexpr double kHourWeights[24] = {1.0, 0.6, 0.4, 0.3, 0.3, 0.4, 0.8, 1.5, 2.5, 3.0, 3.0, 3.2,
                                     3.5, 3.0, 3.0, 3.0, 3.2, 3.5, 4.0, 5.0, 6.0, 6.0, 4.5, 2.5};

struct Pending {  // a consumable that will run out
  int product = 0;
  int64_t due = 0;
  bool loyal = true;  // buys the same product again, else another of its leaf
};

struct Intent {
  int product = -1;               // the product the user has in mind; -1 before one is drawn
  double bonus = kIntendedBonus;  // extra utility of that very product
  bool rebuy = false;
};

struct CartLine {
  int product = 0;
  double utility = 0.0;
  int64_t request = 0;
  int position = 0;
  int quantity = 1;
};

}  // namespace

class SessionSimulator::Impl {
 public:
  Impl(const DemoShopOptions& options, const World& world, Rng& rng, PageSource* pages)
      : options_(options),
        world_(world),
        vocab_(*world.vocab),
        rng_(rng),
        pages_(pages),
        end_(options.start_unix_s + options.days * kDay),
        pending_(world.users.size()),
        bought_(world.users.size()) {
    for (int lang = 0; lang < kNumLangs; ++lang) {
      leaves_by_top_[lang].resize(vocab_.tops.size());
      for (size_t leaf = 0; leaf < vocab_.leaves.size(); ++leaf) {
        if (world.by_leaf[lang][leaf].empty()) continue;
        leaves_by_top_[lang][vocab_.leaves[leaf].top].push_back(static_cast<int>(leaf));
        has_products_[lang] = true;
      }
    }
  }

  std::vector<Event> TakeEvents() {
    std::sort(events_.begin(), events_.end(), [](const Event& a, const Event& b) {
      return a.ts != b.ts ? a.ts < b.ts : a.seq < b.seq;
    });
    return std::exchange(events_, {});
  }

  size_t repeat_purchases() const { return repeat_purchases_; }

 private:
  Event& Emit(EventType type, int64_t ts, int user, int64_t session) {
    Event& e = events_.emplace_back();
    e.type = type;
    e.ts = ts;
    e.seq = seq_++;
    e.user = user;
    e.session = session;
    return e;
  }

  // ---- intents ------------------------------------------------------------------------------
  int DrawInLeaf(const ShopUser& user, Lang lang, int leaf, int exclude) {
    const std::vector<int>& items = world_.by_leaf[static_cast<int>(lang)][leaf];
    std::vector<double> weights;
    bool any = false;
    for (int p : items) {
      const ShopProduct& item = world_.products[p];
      // Users gravitate to what suits their taste and to what is popular.
      const double w =
          p == exclude ? 0.0 : std::exp(TasteUtility(user, item) + 0.5 * std::log(item.popularity));
      weights.push_back(w);
      any = any || w > 0.0;
    }
    return any ? items[rng_.Weighted(weights)] : -1;
  }

  int DrawIntent(const ShopUser& user, Lang lang) {
    const std::vector<std::vector<int>>& leaves = leaves_by_top_[static_cast<int>(lang)];
    std::vector<double> weights;
    for (size_t top = 0; top < leaves.size(); ++top) {
      weights.push_back(leaves[top].empty() ? 0.0 : user.top_weights[top]);
    }
    const size_t top = rng_.Weighted(weights);
    return DrawInLeaf(user, lang, rng_.Pick(leaves[top]), -1);
  }

  // A due repurchase, removed from the user's list, or no intent.
  Intent TakeRebuy(int user_index, int64_t now, Lang lang) {
    std::vector<Pending>& pending = pending_[user_index];
    auto due = pending.end();
    for (auto it = pending.begin(); it != pending.end(); ++it) {
      if (it->due <= now && (due == pending.end() || it->due < due->due)) due = it;
    }
    if (due == pending.end() || !rng_.Bernoulli(kRebuyTakeUp)) return {};
    const Pending rebuy = *due;
    pending.erase(due);
    if (rebuy.loyal) return {rebuy.product, kIntendedBonus + kLoyaltyBonus, true};
    const int other = DrawInLeaf(world_.users[user_index], lang,
                                 world_.products[rebuy.product].leaf, rebuy.product);
    return {other >= 0 ? other : rebuy.product, kIntendedBonus, true};
  }

  // ---- logging policy -----------------------------------------------------------------------
  std::vector<int> Candidates(const QuerySpec& q) {
    const LeafDef& leaf = vocab_.leaves[q.leaf];
    const auto& by_leaf = world_.by_leaf[static_cast<int>(q.lang)];
    std::vector<bool> added(vocab_.leaves.size(), false);
    std::vector<int> out;
    auto add = [&](int l) {
      if (added[l]) return;
      added[l] = true;
      out.insert(out.end(), by_leaf[l].begin(), by_leaf[l].end());
    };
    // A misspelled product noun leaves the policy only the broad category to go on.
    if (q.noun_intact) add(q.leaf);
    if (!q.noun_intact || out.size() < options_.page_size) {
      for (int l : vocab_.mids[leaf.mid].leaves) add(l);
    }
    if (out.size() < options_.page_size) {
      for (int l : vocab_.tops[leaf.top].leaves) add(l);
    }
    for (size_t l = 0; l < vocab_.leaves.size() && out.size() < options_.page_size; ++l) {
      add(static_cast<int>(l));
    }
    return out;
  }

  double PolicyScore(const QuerySpec& q, const ShopProduct& item) {
    const LeafDef& leaf = vocab_.leaves[item.leaf];
    double score = 0.5 * std::log(item.popularity) + rng_.Normal();
    if (q.noun_intact && item.leaf == q.leaf) score += 1.0;
    if (q.brand >= 0 && item.brand == q.brand) score += 2.0;
    for (const auto& [attribute, value] : q.values) {
      for (size_t slot = 0; slot < leaf.attributes.size(); ++slot) {
        if (leaf.attributes[slot] == attribute && item.values[slot] == value) score += 1.0;
      }
    }
    if (q.feature >= 0 && item.leaf == q.leaf &&
        std::find(item.features.begin(), item.features.end(), q.feature) != item.features.end()) {
      score += 0.5;
    }
    if (!item.product.InStock()) score -= 1.5;
    return score;
  }

  std::vector<int> LoggingPolicy(const QuerySpec& q) {
    std::vector<std::pair<double, int>> scored;
    for (int p : Candidates(q)) scored.emplace_back(-PolicyScore(q, world_.products[p]), p);
    const size_t n = std::min(options_.page_size, scored.size());
    std::partial_sort(scored.begin(), scored.begin() + static_cast<ptrdiff_t>(n), scored.end());
    std::vector<int> page;
    for (size_t i = 0; i < n; ++i) page.push_back(scored[i].second);
    return page;
  }

  // ---- the user's side ----------------------------------------------------------------------
  double Utility(const ShopUser& user, int item_index, const Intent& intent) {
    const ShopProduct& item = world_.products[item_index];
    const ShopProduct& intended = world_.products[intent.product];
    double relevance = 0.0;
    if (item.leaf == intended.leaf) {
      int same = 0;
      for (size_t i = 0; i < item.values.size(); ++i) same += item.values[i] == intended.values[i];
      relevance = 1.0 + 0.6 * same / std::max<double>(1.0, item.values.size());
    } else if (vocab_.leaves[item.leaf].mid == vocab_.leaves[intended.leaf].mid) {
      relevance = 0.3;
    }
    return kRelevanceWeight * relevance + (item_index == intent.product ? intent.bonus : 0.0) +
           TasteUtility(user, item) + rng_.Normal(0.0, kUtilityNoiseSd);
  }

  int DrawQuantity(const ShopProduct& item) {
    if (vocab_.leaves[item.leaf].repurchase_days > 0) {
      return 1 + static_cast<int>(rng_.Weighted({70, 20, 7, 2, 1}));
    }
    return rng_.Bernoulli(0.08) ? 2 : 1;
  }

  // Examines one page; emits clicks and carts; returns the cart lines.
  std::vector<CartLine> Browse(int user_index, int64_t session, int64_t request,
                               const std::vector<int>& page, const Intent& intent, int64_t& now) {
    const ShopUser& user = world_.users[user_index];
    std::vector<CartLine> carts;
    for (size_t k = 0; k < page.size(); ++k) {
      const int position = static_cast<int>(k) + 1;
      const double u = Utility(user, page[k], intent);
      if (!rng_.Bernoulli(std::pow(1.0 / position, kPositionBiasEta))) continue;
      if (!rng_.Bernoulli(Sigmoid(u - kClickOffset))) continue;
      now += 5 + static_cast<int64_t>(rng_.Below(25));
      if (now >= end_) break;  // the log ends with the window, mid-session or not
      Event& click = Emit(EventType::kClick, now, user_index, session);
      click.request = request;
      click.product = page[k];
      click.position = position;
      now += 20 + static_cast<int64_t>(rng_.Below(160));  // reading the product page
      const ShopProduct& item = world_.products[page[k]];
      if (!item.product.InStock() || !rng_.Bernoulli(Sigmoid(u - kCartOffset))) continue;
      if (now >= end_) break;
      const CartLine line{page[k], u, request, position, DrawQuantity(item)};
      Event& cart = Emit(EventType::kAddToCart, now, user_index, session);
      cart.request = request;
      cart.product = line.product;
      cart.position = position;
      cart.quantity = line.quantity;
      carts.push_back(line);
    }
    return carts;
  }

  void Purchase(int user_index, int64_t session, const CartLine& line, int64_t ts) {
    const ShopProduct& item = world_.products[line.product];
    Event& buy = Emit(EventType::kPurchase, ts, user_index, session);
    buy.request = line.request;
    buy.product = line.product;
    buy.position = line.position;
    buy.quantity = line.quantity;
    buy.price = item.product.price.value_or(0.0);
    std::vector<int>& bought = bought_[user_index];
    const auto at = std::lower_bound(bought.begin(), bought.end(), line.product);
    const bool repeat = at != bought.end() && *at == line.product;
    if (repeat) {
      ++repeat_purchases_;
    } else {
      bought.insert(at, line.product);
    }
    ScheduleRebuy(user_index, item, line, ts);
    if (!rng_.Bernoulli(kReviewRate)) return;
    const int64_t review_ts = ts + (3 + static_cast<int64_t>(rng_.Below(18))) * kDay +
                              static_cast<int64_t>(rng_.Below(kDay));
    // Ratings follow hidden quality with noise. Real ratings are also J-shaped from
    // self-selection (Hu, Pavlou & Zhang, EC 2006), which this model leaves out.
    const int rating = static_cast<int>(
        std::clamp(std::lround(1.2 + 4.0 * item.quality + rng_.Normal(0.0, 0.7)), 1L, 5L));
    const std::string text = MakeReviewText(vocab_, item, rating, repeat, rng_);
    if (review_ts >= end_) return;
    Event& review = Emit(EventType::kReview, review_ts, user_index, session);
    review.product = line.product;
    review.rating = rating;
    review.text = text;
  }

  void ScheduleRebuy(int user_index, const ShopProduct& item, const CartLine& line, int64_t ts) {
    const int days = vocab_.leaves[item.leaf].repurchase_days;
    if (days <= 0) return;
    const double lasts = days * line.quantity * rng_.Uniform(0.8, 1.25);
    // Users who found it good stay loyal; others try another product of the same kind.
    const bool loyal = item.quality + rng_.Normal(0.0, 0.15) > 0.45;
    std::vector<Pending>& pending = pending_[user_index];
    std::erase_if(pending, [&](const Pending& p) { return p.product == line.product; });
    pending.push_back({line.product, ts + static_cast<int64_t>(lasts * kDay), loyal});
  }

  absl::StatusOr<std::vector<int>> ShowPage(const QuerySpec& query, int user, int64_t request) {
    if (pages_ == nullptr) return LoggingPolicy(query);
    return pages_->Page(query, user, request);
  }

 public:
  absl::Status RunSession(int64_t session, const SessionPlan& plan) {
    const ShopUser& user = world_.users[plan.user];
    const Lang lang = has_products_[static_cast<int>(user.lang)]
                          ? user.lang
                          : (user.lang == Lang::kEn ? Lang::kZh : Lang::kEn);
    int64_t now = plan.start;
    Intent intent = TakeRebuy(plan.user, now, lang);
    bool refine = false;
    std::vector<CartLine> to_buy;
    for (int s = 0; s < kMaxSearchesPerSession && now < end_; ++s) {
      if (intent.product < 0) intent.product = DrawIntent(user, lang);
      // Who buys again knows what to ask for: "voltix cat litter 5kg".
      const QueryForm form = DrawQueryForm(rng_, refine || intent.rebuy);
      const QuerySpec query =
          MakeQuery(vocab_, world_.brands, world_.products[intent.product], form,
                    refine ? 0.0 : kTypoRate[static_cast<int>(lang)], rng_);
      const int64_t request = next_request_++;
      Event& search = Emit(EventType::kSearch, now, plan.user, session);
      search.request = request;
      search.text = query.text;
      absl::StatusOr<std::vector<int>> shown = ShowPage(query, plan.user, request);
      if (!shown.ok()) return shown.status();
      const std::vector<int>& page = *shown;
      if (!page.empty()) {  // "no results" shows nothing (the logging policy always fills up)
        Event& impression = Emit(EventType::kImpression, now, plan.user, session);
        impression.request = request;
        impression.shown = page;
      }
      std::vector<CartLine> carts = Browse(plan.user, session, request, page, intent, now);
      now += 20 + static_cast<int64_t>(rng_.Below(100));
      if (carts.empty()) {
        if (!rng_.Bernoulli(kRefineRate)) break;
        refine = true;
        continue;
      }
      // Of what a search put in the cart the user buys at most the best line; the rest were
      // comparisons.
      const CartLine& best = *std::max_element(
          carts.begin(), carts.end(),
          [](const CartLine& a, const CartLine& b) { return a.utility < b.utility; });
      if (rng_.Bernoulli(Sigmoid(best.utility - kBuyOffset))) to_buy.push_back(best);
      if (!rng_.Bernoulli(kNextIntentRate)) break;
      intent = Intent();
      refine = false;
    }
    now += 30 + static_cast<int64_t>(rng_.Below(270));  // checkout
    // A checkout after the window closes is not in the log (nor are its purchases' reviews).
    for (const CartLine& line : to_buy) {
      if (now >= end_) break;
      Purchase(plan.user, session, line, now++);
    }
    return absl::OkStatus();
  }

 private:
  const DemoShopOptions& options_;
  const World& world_;
  const Vocabulary& vocab_;
  Rng& rng_;
  PageSource* pages_;  // null: the logging policy
  const int64_t end_;  // first second after the window
  std::vector<Event> events_;
  uint64_t seq_ = 0;
  int64_t next_request_ = 0;
  std::vector<std::vector<Pending>> pending_;  // per user
  std::vector<std::vector<int>> bought_;       // per user, sorted product indices
  size_t repeat_purchases_ = 0;
  std::vector<std::vector<int>> leaves_by_top_[kNumLangs];  // non-empty leaves
  bool has_products_[kNumLangs] = {false, false};
};

SessionSimulator::SessionSimulator(const DemoShopOptions& options, const World& world, Rng& rng,
                                   PageSource* pages)
    : impl_(std::make_unique<Impl>(options, world, rng, pages)) {}

SessionSimulator::~SessionSimulator() = default;

absl::Status SessionSimulator::Run(int64_t session, const SessionPlan& plan) {
  return impl_->RunSession(session, plan);
}

std::vector<Event> SessionSimulator::TakeEvents() { return impl_->TakeEvents(); }

size_t SessionSimulator::repeat_purchases() const { return impl_->repeat_purchases(); }

std::vector<SessionPlan> PlanSessions(const DemoShopOptions& options, const World& world,
                                      Rng& rng) {
  std::vector<double> cumulative;
  double total = 0.0;
  for (const ShopUser& user : world.users) cumulative.push_back(total += user.activity);
  const std::vector<double> hours(std::begin(kHourWeights), std::end(kHourWeights));
  std::vector<SessionPlan> plans(options.num_sessions);
  for (SessionPlan& plan : plans) {
    const double x = rng.Uniform() * total;
    const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), x);
    plan.user = static_cast<int>(std::min<ptrdiff_t>(
        it - cumulative.begin(), static_cast<ptrdiff_t>(cumulative.size()) - 1));
    const int64_t day = static_cast<int64_t>(rng.Below(static_cast<uint64_t>(options.days)));
    const int64_t hour = static_cast<int64_t>(rng.Weighted(hours));
    plan.start =
        options.start_unix_s + day * kDay + hour * 3600 + static_cast<int64_t>(rng.Below(3600));
  }
  std::stable_sort(plans.begin(), plans.end(), [](const SessionPlan& a, const SessionPlan& b) {
    return a.start != b.start ? a.start < b.start : a.user < b.user;
  });
  return plans;
}

double TasteUtility(const ShopUser& user, const ShopProduct& item) {
  return user.AffinityFor(item.brand) + 4.0 * user.quality_sensitivity * (item.quality - 0.5) -
         1.5 * user.price_sensitivity * item.log_price_ratio;
}

SessionLog SimulateSessions(const DemoShopOptions& options, const World& world, Rng& rng) {
  const std::vector<SessionPlan> plans = PlanSessions(options, world, rng);
  SessionSimulator simulator(options, world, rng, nullptr);
  for (size_t s = 0; s < plans.size(); ++s) {
    // The logging policy cannot fail.
    SOUK_CHECK(simulator.Run(static_cast<int64_t>(s), plans[s]).ok());
  }
  return {simulator.TakeEvents(), simulator.repeat_purchases()};
}

}  // namespace souk::eval::demo_shop_internal
