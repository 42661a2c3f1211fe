// The demo shop's users and their hidden tastes (docs/demo-shop.md, "Users").
//
// Values are rounded when drawn so that users.jsonl holds exactly what the generator used and a
// simulator reading it reproduces the same behaviour model.
#include <algorithm>
#include <cmath>

#include "demo_shop_internal.h"

namespace souk::eval::demo_shop_internal {
namespace {

constexpr double kOtherTopWeight = 0.15;  // interest left for categories a user does not prefer

std::vector<double> DrawTopWeights(const Vocabulary& vocab, std::vector<int>& preferred, Rng& rng) {
  std::vector<double> pool;
  for (const TopDef& top : vocab.tops) pool.push_back(top.weight);
  std::vector<double> weights(vocab.tops.size(), kOtherTopWeight);
  const size_t n_preferred = 1 + rng.Below(3);
  for (size_t k = 0; k < n_preferred; ++k) {
    const size_t top = rng.Weighted(pool);
    pool[top] = 0.0;  // without replacement
    weights[top] = rng.Uniform(1.0, 3.0);
    preferred.push_back(static_cast<int>(top));
  }
  double total = 0.0;
  for (double w : weights) total += w;
  for (double& w : weights) w = RoundTo(w / total, 4);
  return weights;
}

// In each preferred category a user likes one or two brands (popular ones more often) and
// dislikes one half of the time.
std::vector<BrandAffinity> DrawBrandAffinity(const World& world, const std::vector<int>& preferred,
                                             Rng& rng) {
  std::vector<BrandAffinity> affinity;
  for (int top : preferred) {
    std::vector<double> weights;
    for (const Brand& brand : world.brands)
      weights.push_back(brand.top == top ? brand.popularity : 0);
    const size_t n_liked = 1 + rng.Below(2);
    for (size_t k = 0; k < n_liked; ++k) {
      const size_t b = rng.Weighted(weights);
      weights[b] = 0.0;
      affinity.push_back({static_cast<int>(b), RoundTo(rng.Uniform(0.4, 1.5), 3)});
    }
    if (rng.Bernoulli(0.5)) {
      const size_t b = rng.Weighted(weights);
      affinity.push_back({static_cast<int>(b), RoundTo(-rng.Uniform(0.4, 1.5), 3)});
    }
  }
  std::sort(affinity.begin(), affinity.end(),
            [](const BrandAffinity& a, const BrandAffinity& b) { return a.brand < b.brand; });
  return affinity;
}

double Unit(double x) { return RoundTo(std::clamp(x, 0.0, 1.0), 3); }

}  // namespace

double ShopUser::AffinityFor(int brand) const {
  for (const BrandAffinity& a : brand_affinity) {
    if (a.brand == brand) return a.value;
  }
  return 0.0;
}

void GenerateUsers(const DemoShopOptions& options, World& world, Rng& rng) {
  world.users.resize(options.num_users);
  for (size_t i = 0; i < options.num_users; ++i) {
    ShopUser& user = world.users[i];
    user.id = NumberedId('u', i + 1);
    user.lang = InShare(i, options.chinese_share) ? Lang::kZh : Lang::kEn;
    // Activity is heavy-tailed: a few users shop far more often than most.
    user.activity = RoundTo(std::exp(rng.Normal(0.0, 0.8)), 3);
    user.price_sensitivity = Unit(rng.Normal(0.5, 0.25));
    user.quality_sensitivity = Unit(rng.Normal(0.5, 0.25));
    std::vector<int> preferred;
    user.top_weights = DrawTopWeights(*world.vocab, preferred, rng);
    user.brand_affinity = DrawBrandAffinity(world, preferred, rng);
  }
}

}  // namespace souk::eval::demo_shop_internal
