// EventLog: the durable, append-only log of accepted feedback events, in RocksDB.
//
// Durability: Append returns only after its events are in RocksDB's write-ahead log; with
// `sync` (the default) that log is fsync'ed first, so an acknowledged event survives a crash of
// the process and of the machine (as far as the disk honours fsync). Without `sync` it
// survives a crash of the process only. A batch is one atomic write: all of its new events are
// stored, or none.
//
// Idempotence: an event whose event_id the log already holds is not stored again (a client's
// retry after a lost answer), nor is a second event of one batch with the same id.
//
// Layout (docs/formats/event-log.md): key "l" + 8-byte big-endian sequence number -> the
// EncodeEvent record; key "i" + event_id -> that sequence number; key "meta" -> the format
// name and version, checked on open.
//
// Thread-safety: Append and Replay may run on many threads; appends are serialized (the
// duplicate check and the sequence numbers need it), replays read a consistent snapshot.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "souk/events/event.h"

namespace rocksdb {
class DB;
}  // namespace rocksdb

namespace souk::events {

struct EventLogOptions {
  std::string path{};  ///< The RocksDB directory; created when missing.
  bool sync = true;    ///< fsync the write-ahead log before an append returns.
  /// Read only (exports, retraining), also while a server appends to the same log: it sees
  /// the events stored when it opened. Append is then FAILED_PRECONDITION.
  bool read_only = false;

  absl::Status Validate() const;
};

class EventLog {
 public:
  /// Opens or creates the log at options.path. FAILED_PRECONDITION when the directory holds
  /// another RocksDB database or a log of another format version; the RocksDB error otherwise.
  static absl::StatusOr<std::unique_ptr<EventLog>> Open(const EventLogOptions& options);
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  /// Stores the events whose ids are new, in order, in one atomic write. Returns one flag per
  /// event: true when it was stored, false when its id was already in the log (or earlier in
  /// `events`). On error nothing of the batch is stored.
  absl::StatusOr<std::vector<bool>> Append(std::span<const Event> events);

  /// Calls `visit` with every stored event in append order, starting at sequence number
  /// `from` (0: the first); stops at, and returns, the first error `visit` returns. DATA_LOSS
  /// for a record that does not decode.
  absl::Status Replay(uint64_t from,
                      absl::FunctionRef<absl::Status(uint64_t sequence, const Event&)> visit) const;

  /// Events stored so far; the next event gets this sequence number.
  uint64_t size() const;

 private:
  EventLog(const EventLogOptions& options, std::unique_ptr<rocksdb::DB> db, uint64_t next);

  EventLogOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  mutable std::mutex append_mutex_;  ///< Serializes Append; guards next_.
  uint64_t next_ = 0;
};

}  // namespace souk::events
