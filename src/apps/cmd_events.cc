// souk events: the durable event log from the command line: export it as JSON lines, for
// training (`souk train ranker --sessions`) and for a data team's own tools.

#include <cstdio>
#include <iostream>

#include "cmd_util.h"
#include "commands.h"
#include "souk/base/file_util.h"
#include "souk/base/str_cat.h"
#include "souk/events/event_jsonl.h"
#include "souk/events/event_log.h"

namespace souk::apps {
namespace {

constexpr char kUsage[] =
    R"(usage: souk events export --log DIR --out FILE [--since-ms MS] [--until-ms MS]

Writes the events of the event log DIR (feedback.event_log) whose timestamp_ms is in
[--since-ms, --until-ms) to FILE as JSON lines in the demo shop's events.jsonl layout, in the
order they were logged. The log is opened read-only: a running soukd may keep appending (the
export holds the events stored when it started). FILE is replaced atomically.
)";

}  // namespace

int RunEvents(int argc, char** argv) {
  auto flags = Flags::Parse(
      argc, argv, 2, {.with_value = {"log", "out", "since-ms", "until-ms"}, .boolean = {"help"}});
  if (!flags.ok()) return Fail("souk events", flags.status());
  if (flags->Has("help") || flags->positional() != std::vector<std::string>{"export"} ||
      !flags->Has("log") || !flags->Has("out")) {
    return Usage(kUsage, flags->Has("help"));
  }
  auto since = flags->GetInt("since-ms", 0);
  auto until = flags->GetInt("until-ms", INT64_MAX);
  if (!since.ok()) return Fail("souk events export", since.status());
  if (!until.ok()) return Fail("souk events export", until.status());
  auto log = events::EventLog::Open({.path = flags->Get("log"), .read_only = true});
  if (!log.ok()) return Fail("souk events export", log.status());
  std::string text;
  size_t exported = 0;
  const absl::Status read = (*log)->Replay(0, [&](uint64_t, const events::Event& e) {
    if (e.timestamp_ms >= *since && e.timestamp_ms < *until) {
      text += events::EventJsonLine(e);
      ++exported;
    }
    return absl::OkStatus();
  });
  if (!read.ok()) return Fail("souk events export", read);
  if (absl::Status s = WriteFileAtomically(flags->Get("out"), text); !s.ok()) {
    return Fail("souk events export", s);
  }
  std::cerr << "souk events export: " << exported << " of " << (*log)->size() << " events -> "
            << flags->Get("out") << "\n";
  return 0;
}

}  // namespace souk::apps
