// Text of the demo shop's users.jsonl, product_truth.jsonl, events.jsonl and manifest.json
// (docs/formats/demo-shop.md). catalog.jsonl is written by catalog::WriteProductsJsonl so that it
// has exactly the catalog component's format.
//
// Keys keep a fixed order (ordered_json) and numbers are written by nlohmann's shortest
// round-trip formatting, so the bytes depend only on the values.
#include <cmath>
#include <cstdio>
#include <string_view>
#include <type_traits>

#include "demo_shop_internal.h"
#include "nlohmann/json.hpp"
#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"

namespace souk::eval::demo_shop_internal {
namespace {

using Json = nlohmann::ordered_json;

void AppendLine(const Json& line, std::string& out) {
  // `replace` cannot throw; all our strings are valid UTF-8 anyway.
  out += line.dump(-1, ' ', false, Json::error_handler_t::replace);
  out += '\n';
}

// events.jsonl is by far the largest file: it is written by hand, which is several times faster
// than building a JSON value per line.
void AppendQuoted(std::string_view text, std::string& out) {
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void AppendField(std::string_view key, std::string_view raw_value, std::string& out) {
  out += ",\"";
  out.append(key);
  out += "\":";
  out.append(raw_value);
}

void AppendString(std::string_view key, std::string_view value, std::string& out) {
  out += ",\"";
  out.append(key);
  out += "\":";
  AppendQuoted(value, out);
}

// Prices are whole cents: "19.99", "59.00". Formatted from integers, so no locale can change it.
std::string Cents(double price) {
  const int64_t cents = std::llround(price * 100.0);
  const int64_t frac = cents % 100;
  return StrCat(cents / 100, ".", frac < 10 ? "0" : "", frac);
}

void AppendEvent(const World& world, const Event& e, size_t index, std::string& out) {
  out += "{\"event_id\":";
  AppendQuoted(NumberedId('e', index + 1), out);
  AppendField("ts", StrCat(e.ts), out);
  AppendString("type", EventTypeName(e.type), out);
  AppendString("user_id", world.users[e.user].id, out);
  AppendString("session_id", NumberedId('s', static_cast<size_t>(e.session) + 1), out);
  if (e.request >= 0) {
    AppendString("request_id", NumberedId('r', static_cast<size_t>(e.request) + 1), out);
  }
  if (e.type == EventType::kSearch) AppendString("query", e.text, out);
  if (e.type == EventType::kImpression) {
    out += ",\"product_ids\":[";
    for (size_t i = 0; i < e.shown.size(); ++i) {
      if (i > 0) out += ',';
      AppendQuoted(world.products[e.shown[i]].product.id, out);
    }
    out += ']';
  }
  if (e.product >= 0) AppendString("product_id", world.products[e.product].product.id, out);
  if (e.position > 0) AppendField("position", StrCat(e.position), out);
  if (e.quantity > 0) AppendField("quantity", StrCat(e.quantity), out);
  if (e.type == EventType::kPurchase) AppendField("price", Cents(e.price), out);
  if (e.type == EventType::kReview) {
    AppendField("rating", StrCat(e.rating), out);
    AppendString("text", e.text, out);
  }
  out += "}\n";
}

}  // namespace

std::string UsersJsonl(const World& world) {
  std::string out;
  for (const ShopUser& user : world.users) {
    Json j;
    j["user_id"] = user.id;
    j["language"] = LangCode(user.lang);
    j["activity"] = user.activity;
    j["price_sensitivity"] = user.price_sensitivity;
    j["quality_sensitivity"] = user.quality_sensitivity;
    Json weights = Json::object();
    for (size_t top = 0; top < user.top_weights.size(); ++top) {
      weights[world.vocab->tops[top].key] = user.top_weights[top];
    }
    j["category_weights"] = std::move(weights);
    Json affinity = Json::object();
    for (const BrandAffinity& a : user.brand_affinity) affinity[world.brands[a.brand].id] = a.value;
    j["brand_affinity"] = std::move(affinity);
    AppendLine(j, out);
  }
  return out;
}

std::string ProductTruthJsonl(const World& world) {
  std::string out;
  for (const ShopProduct& item : world.products) {
    const LeafDef& leaf = world.vocab->leaves[item.leaf];
    const Brand& brand = world.brands[item.brand];
    Json j;
    j["product_id"] = item.product.id;
    j["language"] = LangCode(item.lang);
    j["category"] = leaf.key;
    j["brand_id"] = brand.id;
    j["brand_quality"] = brand.quality;
    j["brand_price_level"] = brand.price_level;
    j["quality"] = item.quality;
    j["popularity"] = item.popularity;
    j["log_price_ratio"] = item.log_price_ratio;
    j["repurchase_days"] = leaf.repurchase_days;
    AppendLine(j, out);
  }
  return out;
}

std::string EventsJsonl(const World& world, const std::vector<Event>& events) {
  std::string out;
  out.reserve(events.size() * 160);
  for (size_t i = 0; i < events.size(); ++i) AppendEvent(world, events[i], i, out);
  return out;
}

std::string ManifestJson(const DemoShopOptions& options, const DemoShopSummary& summary) {
  Json j;
  j["format"] = "souk.demo_shop";
  j["version"] = kFormatVersion;
  j["files"] = {"catalog.jsonl", "users.jsonl", "product_truth.jsonl", "events.jsonl"};
  j["options"] = {{"seed", options.seed},
                  {"num_products", options.num_products},
                  {"num_users", options.num_users},
                  {"num_sessions", options.num_sessions},
                  {"chinese_share", options.chinese_share},
                  {"days", options.days},
                  {"start_unix_s", options.start_unix_s},
                  {"page_size", options.page_size}};
  j["totals"] = {{"products", summary.products},
                 {"users", summary.users},
                 {"sessions", summary.sessions},
                 {"events", summary.events},
                 {"searches", summary.searches},
                 {"clicks", summary.clicks},
                 {"add_to_carts", summary.add_to_carts},
                 {"purchases", summary.purchases},
                 {"repeat_purchases", summary.repeat_purchases},
                 {"reviews", summary.reviews},
                 {"impressions_by_position", summary.impressions_by_position},
                 {"clicks_by_position", summary.clicks_by_position}};
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace souk::eval::demo_shop_internal

namespace souk::eval {

absl::StatusOr<DemoShopOptions> ReadDemoShopOptions(const std::string& shop_dir) {
  const std::string path = StrCat(shop_dir, "/manifest.json");
  SOUK_ASSIGN_OR_RETURN(const std::string text, ReadFileToString(path));
  const demo_shop_internal::Json j = demo_shop_internal::Json::parse(text, nullptr, false);
  const auto bad = [&](std::string_view what) {
    return absl::InvalidArgumentError(StrCat(path, ": ", what));
  };
  if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
  if (j.value("format", "") != "souk.demo_shop") return bad("format is not souk.demo_shop");
  if (!j.contains("version") || j["version"] != demo_shop_internal::kFormatVersion) {
    return bad(StrCat("version is not ", demo_shop_internal::kFormatVersion));
  }
  const demo_shop_internal::Json& o = j.value("options", demo_shop_internal::Json());
  DemoShopOptions options;
  const auto read = [&](const char* key, auto* out) -> bool {
    if (!o.is_object() || !o.contains(key) || !o[key].is_number()) return false;
    *out = o[key].get<std::remove_pointer_t<decltype(out)>>();
    return true;
  };
  if (!read("seed", &options.seed) || !read("num_products", &options.num_products) ||
      !read("num_users", &options.num_users) || !read("num_sessions", &options.num_sessions) ||
      !read("chinese_share", &options.chinese_share) || !read("days", &options.days) ||
      !read("start_unix_s", &options.start_unix_s) || !read("page_size", &options.page_size)) {
    return bad("options: a key is missing or not a number");
  }
  SOUK_RETURN_IF_ERROR(Annotate(options.Validate(), path));
  return options;
}

}  // namespace souk::eval
