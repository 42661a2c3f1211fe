// souk gen: writes the demo shop.

#include <iostream>

#include "cmd_util.h"
#include "commands.h"
#include "souk/eval/demo_shop.h"

namespace souk::apps {

namespace {
constexpr char kUsage[] =
    R"(usage: souk gen --out DIR [--seed S] [--products N] [--users N] [--sessions N]

Writes a deterministic synthetic shop into DIR: catalog.jsonl, users.jsonl, events.jsonl,
product_truth.jsonl, manifest.json
(docs/demo-shop.md). The same flags always write the same bytes.
)";
}  // namespace

int RunGen(int argc, char** argv) {
  auto flags = Flags::Parse(
      argc, argv, 2,
      {.with_value = {"out", "seed", "products", "users", "sessions"}, .boolean = {"help"}});
  if (!flags.ok()) return Fail("souk gen", flags.status());
  if (flags->Has("help") || !flags->Has("out")) return Usage(kUsage, flags->Has("help"));
  eval::DemoShopOptions options;
  auto seed = flags->GetInt("seed", static_cast<int64_t>(options.seed));
  auto products = flags->GetInt("products", static_cast<int64_t>(options.num_products));
  auto users = flags->GetInt("users", static_cast<int64_t>(options.num_users));
  auto sessions = flags->GetInt("sessions", static_cast<int64_t>(options.num_sessions));
  for (const auto* v : {&seed, &products, &users, &sessions}) {
    if (!v->ok()) return Fail("souk gen", v->status());
    if (**v < 0) return Fail("souk gen", absl::InvalidArgumentError("flag values must be >= 0"));
  }
  options.seed = static_cast<uint64_t>(*seed);
  options.num_products = static_cast<size_t>(*products);
  options.num_users = static_cast<size_t>(*users);
  options.num_sessions = static_cast<size_t>(*sessions);
  auto summary = eval::GenerateDemoShop(options, flags->Get("out"));
  if (!summary.ok()) return Fail("souk gen", summary.status());
  std::cout << "wrote " << flags->Get("out") << ": " << summary->products << " products, "
            << summary->users << " users, " << summary->sessions << " sessions, " << summary->events
            << " events (" << summary->purchases << " purchases, " << summary->reviews
            << " reviews)\n";
  return 0;
}

}  // namespace souk::apps
