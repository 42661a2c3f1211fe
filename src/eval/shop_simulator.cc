#include "souk/eval/shop_simulator.h"

#include <random>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "demo_shop_internal.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"

namespace souk::eval {
namespace {

namespace dsi = demo_shop_internal;

// Pages from the ranking under test, as the generator's product indices.
class LivePages : public dsi::PageSource {
 public:
  explicit LivePages(const dsi::World& world) : world_(world) {
    for (size_t i = 0; i < world.products.size(); ++i) {
      index_.emplace(world.products[i].product.id, static_cast<int>(i));
    }
  }

  void Begin(const SearchFunction* search) {
    search_ = search;
    variant_.clear();
  }

  absl::StatusOr<std::vector<int>> Page(const dsi::QuerySpec& query, int user,
                                        int64_t request) override {
    SOUK_ASSIGN_OR_RETURN(ShownPage page, (*search_)(world_.users[user].id, query.text));
    if (variant_.empty()) variant_ = page.variant;
    request_ids_.resize(static_cast<size_t>(request) + 1);
    // A query the server refused has no answer id; its search event still needs one.
    request_ids_[request] =
        page.request_id.empty() ? StrCat("unanswered-", request) : page.request_id;
    std::vector<int> shown;
    for (const std::string& id : page.product_ids) {
      const auto it = index_.find(absl::string_view(id.data(), id.size()));
      if (it != index_.end()) shown.push_back(it->second);
    }
    return shown;
  }

  const std::string& request_id(int64_t request) const { return request_ids_[request]; }
  const std::string& variant() const { return variant_; }

 private:
  const dsi::World& world_;
  absl::flat_hash_map<std::string, int> index_;
  const SearchFunction* search_ = nullptr;
  std::vector<std::string> request_ids_;  ///< By the simulator's request number.
  std::string variant_;                   ///< Of the current session's first search.
};

}  // namespace

absl::Status SimulationOptions::Validate() const {
  if (sessions == 0 || sessions > 1'000'000) {
    return absl::InvalidArgumentError(StrCat("sessions must be 1..1000000, got ", sessions));
  }
  if (days < 1 || days > 3650) {
    return absl::InvalidArgumentError(StrCat("days must be 1..3650, got ", days));
  }
  return absl::OkStatus();
}

class ShopSimulator::Impl {
 public:
  Impl(const DemoShopOptions& shop, const SimulationOptions& options)
      : options_(shop), seed_(options.seed), rng_(dsi::StreamSeed(options.seed, "simulate")) {
    // The world exactly as GenerateDemoShop built it: the same streams of the shop's seed.
    world_.vocab = &dsi::GetVocabulary();
    dsi::Rng brand_rng(dsi::StreamSeed(shop.seed, "brands"));
    world_.brands = dsi::GenerateBrands(*world_.vocab, brand_rng);
    dsi::Rng catalog_rng(dsi::StreamSeed(shop.seed, "catalog"));
    dsi::GenerateCatalog(shop, world_, catalog_rng);
    dsi::Rng user_rng(dsi::StreamSeed(shop.seed, "users"));
    dsi::GenerateUsers(shop, world_, user_rng);
    options_.start_unix_s = options.start_unix_s;
    options_.days = options.days;
    options_.num_sessions = options.sessions;
    plans_ = dsi::PlanSessions(options_, world_, rng_);
    pages_ = std::make_unique<LivePages>(world_);
    sessions_ = std::make_unique<dsi::SessionSimulator>(options_, world_, rng_, pages_.get());
    run_id_ = StrCat(std::random_device{}(), std::random_device{}());
  }

  absl::StatusOr<SimulatedSession> Next(const SearchFunction& search) {
    if (next_ >= plans_.size()) return absl::OutOfRangeError("every planned session has run");
    const int64_t session = static_cast<int64_t>(next_);
    // Each session draws from its own stream: what one variant shows cannot change the draws
    // of later sessions, so variants are compared on the same users' same randomness.
    rng_ = dsi::Rng(dsi::StreamSeed(seed_, StrCat("session-", session)));
    pages_->Begin(&search);
    SOUK_RETURN_IF_ERROR(sessions_->Run(session, plans_[next_++]));
    SimulatedSession out;
    out.variant = pages_->variant();
    for (const dsi::Event& e : sessions_->TakeEvents()) out.events.push_back(Convert(e, &out));
    return out;
  }

 private:
  events::Event Convert(const dsi::Event& e, SimulatedSession* outcome) {
    events::Event out{.event_id = StrCat("sim", run_id_, "-", e.session, "-", ++events_),
                      .timestamp_ms = e.ts * 1000,
                      .user_id = world_.users[e.user].id,
                      .session_id = StrCat("sim", run_id_, "-", e.session),
                      .type = e.type};
    if (e.request >= 0) out.request_id = pages_->request_id(e.request);
    if (e.product >= 0) out.product_id = world_.products[e.product].product.id;
    out.position = e.position;
    out.quantity = e.quantity;
    out.unit_price = e.price;
    out.rating = e.rating;
    switch (e.type) {
      case dsi::EventType::kSearch:
        out.query = e.text;
        ++outcome->searches;
        break;
      case dsi::EventType::kImpression:
        for (int p : e.shown) out.product_ids.push_back(world_.products[p].product.id);
        outcome->impressions += e.shown.size();
        break;
      case dsi::EventType::kClick:
        ++outcome->clicks;
        break;
      case dsi::EventType::kAddToCart:
        outcome->carted = true;
        break;
      case dsi::EventType::kPurchase:
        outcome->purchased = true;
        outcome->revenue += e.quantity * e.price;
        break;
      case dsi::EventType::kReview:
        out.text = e.text;
        break;
    }
    return out;
  }

  DemoShopOptions options_;
  uint64_t seed_;
  dsi::World world_;
  dsi::Rng rng_;  ///< Plans the sessions, then is reseeded for each one.
  std::vector<dsi::SessionPlan> plans_;
  std::unique_ptr<LivePages> pages_;
  std::unique_ptr<dsi::SessionSimulator> sessions_;
  size_t next_ = 0;
  uint64_t events_ = 0;
  std::string run_id_;
};

absl::StatusOr<std::unique_ptr<ShopSimulator>> ShopSimulator::Create(
    const DemoShopOptions& shop, const SimulationOptions& options) {
  SOUK_RETURN_IF_ERROR(shop.Validate());
  SOUK_RETURN_IF_ERROR(options.Validate());
  return std::unique_ptr<ShopSimulator>(new ShopSimulator(std::make_unique<Impl>(shop, options)));
}

ShopSimulator::ShopSimulator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ShopSimulator::~ShopSimulator() = default;

absl::StatusOr<SimulatedSession> ShopSimulator::Next(const SearchFunction& search) {
  return impl_->Next(search);
}

}  // namespace souk::eval
