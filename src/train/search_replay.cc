#include "souk/train/search_replay.h"

#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"

namespace souk::train {

absl::Status ReplaySearches(
    const engine::SearchEngine& engine, const std::vector<events::Event>& log,
    const events::AggregateOptions& aggregates,
    absl::FunctionRef<const std::string*(const events::Event& search)> query_of,
    absl::FunctionRef<absl::Status(const events::Event& search, engine::CandidateSet set)> visit) {
  const std::shared_ptr<const engine::Snapshot> snapshot = engine.snapshot();
  const auto brand_of = [&](std::string_view id) { return snapshot->catalog().BrandOf(id); };
  events::Aggregates replayed(aggregates);
  for (const events::Event& event : log) {
    const std::string* query = event.type == events::EventType::kSearch ? query_of(event) : nullptr;
    if (query != nullptr) {
      absl::StatusOr<engine::CandidateSet> set =
          engine.Candidates(*query, {event.timestamp_ms, event.user_id, &replayed});
      if (!set.ok()) return Annotate(set.status(), StrCat("search ", event.request_id));
      SOUK_RETURN_IF_ERROR(visit(event, *std::move(set)));
    }
    replayed.Apply(event, brand_of);
  }
  return absl::OkStatus();
}

}  // namespace souk::train
