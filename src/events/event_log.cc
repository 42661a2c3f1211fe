#include "souk/events/event_log.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"
#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/events/event_codec.h"

namespace souk::events {
namespace {

constexpr char kLogPrefix = 'l';
constexpr char kIdPrefix = 'i';
constexpr std::string_view kMetaKey = "meta";
constexpr std::string_view kFormat = "souk.event_log 1";

std::string LogKey(uint64_t sequence) {
  std::string key(1, kLogPrefix);
  for (int shift = 56; shift >= 0; shift -= 8) {
    key.push_back(static_cast<char>((sequence >> shift) & 0xff));
  }
  return key;
}

uint64_t SequenceOf(const rocksdb::Slice& log_key) {
  uint64_t sequence = 0;
  for (size_t i = 1; i < 9; ++i) sequence = (sequence << 8) | static_cast<uint8_t>(log_key[i]);
  return sequence;
}

std::string IdKey(std::string_view event_id) { return StrCat(std::string(1, kIdPrefix), event_id); }

absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return absl::OkStatus();
  const std::string message = StrCat("event log: ", what, ": ", s.ToString());
  if (s.IsCorruption()) return absl::DataLossError(message);
  if (s.IsInvalidArgument()) return absl::FailedPreconditionError(message);
  return absl::UnavailableError(message);
}

bool IsLogKey(const rocksdb::Slice& key) { return key.size() == 9 && key[0] == kLogPrefix; }

// The sequence number after the last stored event.
uint64_t NextSequence(rocksdb::DB* db) {
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  it->SeekForPrev(LogKey(UINT64_MAX));
  return it->Valid() && IsLogKey(it->key()) ? SequenceOf(it->key()) + 1 : 0;
}

// A new database gets the format marker; an existing one must carry ours.
absl::Status CheckFormat(rocksdb::DB* db, const std::string& path, bool read_only) {
  std::string format;
  const rocksdb::Status got = db->Get(rocksdb::ReadOptions(), kMetaKey, &format);
  if (got.ok()) {
    if (format == kFormat) return absl::OkStatus();
    return absl::FailedPreconditionError(
        StrCat("event log ", path, ": format '", format, "' is not '", kFormat, "'"));
  }
  if (!got.IsNotFound()) return FromRocks(got, "reading the format marker");
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  it->SeekToFirst();
  if (it->Valid() || read_only) {
    return absl::FailedPreconditionError(
        StrCat("event log ", path, ": holds a RocksDB database that is not an event log"));
  }
  rocksdb::WriteOptions sync;
  sync.sync = true;
  return FromRocks(db->Put(sync, kMetaKey, kFormat), "writing the format marker");
}

rocksdb::Options DatabaseOptions() {
  rocksdb::Options options;
  options.create_if_missing = true;
  // Point lookups of event ids (the duplicate check) go through a Bloom filter.
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

}  // namespace

absl::Status EventLogOptions::Validate() const {
  if (path.empty()) return absl::InvalidArgumentError("path: must name the event log directory");
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<EventLog>> EventLog::Open(const EventLogOptions& options) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  if (!options.read_only) {  // RocksDB creates the last directory only
    SOUK_RETURN_IF_ERROR(Annotate(MakeDirectories(options.path), "event log"));
  }
  rocksdb::DB* raw = nullptr;
  rocksdb::Options db_options = DatabaseOptions();
  db_options.create_if_missing = !options.read_only;
  const rocksdb::Status opened = options.read_only
                                     ? rocksdb::DB::OpenForReadOnly(db_options, options.path, &raw)
                                     : rocksdb::DB::Open(db_options, options.path, &raw);
  SOUK_RETURN_IF_ERROR(FromRocks(opened, StrCat("opening ", options.path)));
  std::unique_ptr<rocksdb::DB> db(raw);
  SOUK_RETURN_IF_ERROR(CheckFormat(db.get(), options.path, options.read_only));
  const uint64_t next = NextSequence(db.get());
  return std::unique_ptr<EventLog>(new EventLog(options, std::move(db), next));
}

EventLog::EventLog(const EventLogOptions& options, std::unique_ptr<rocksdb::DB> db, uint64_t next)
    : options_(options), db_(std::move(db)), next_(next) {}

EventLog::~EventLog() {
  if (db_ != nullptr) db_->Close().PermitUncheckedError();
}

absl::StatusOr<std::vector<bool>> EventLog::Append(std::span<const Event> events) {
  if (options_.read_only) {
    return absl::FailedPreconditionError(
        StrCat("event log ", options_.path, ": opened read-only, cannot append"));
  }
  std::vector<bool> stored(events.size(), false);
  std::lock_guard<std::mutex> lock(append_mutex_);
  rocksdb::WriteBatch batch;
  absl::flat_hash_set<std::string_view> in_batch;
  uint64_t next = next_;
  std::string ignored;
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& event = events[i];
    if (!in_batch.insert(event.event_id).second) continue;
    const std::string id_key = IdKey(event.event_id);
    const rocksdb::Status found = db_->Get(rocksdb::ReadOptions(), id_key, &ignored);
    if (found.ok()) continue;
    if (!found.IsNotFound()) return FromRocks(found, "looking up an event id");
    const std::string log_key = LogKey(next);
    SOUK_RETURN_IF_ERROR(FromRocks(batch.Put(log_key, EncodeEvent(event)), "batching"));
    SOUK_RETURN_IF_ERROR(FromRocks(batch.Put(id_key, log_key.substr(1)), "batching"));
    stored[i] = true;
    ++next;
  }
  if (next == next_) return stored;
  rocksdb::WriteOptions write;
  write.sync = options_.sync;
  SOUK_RETURN_IF_ERROR(FromRocks(db_->Write(write, &batch), "writing"));
  next_ = next;
  return stored;
}

absl::Status EventLog::Replay(
    uint64_t from, absl::FunctionRef<absl::Status(uint64_t sequence, const Event&)> visit) const {
  rocksdb::ReadOptions read;
  read.fill_cache = false;  // a full scan would only evict the id lookups' blocks
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read));
  for (it->Seek(LogKey(from)); it->Valid() && IsLogKey(it->key()); it->Next()) {
    const uint64_t sequence = SequenceOf(it->key());
    absl::StatusOr<Event> event =
        DecodeEvent(std::string_view(it->value().data(), it->value().size()));
    if (!event.ok()) return Annotate(event.status(), StrCat("event log record ", sequence));
    SOUK_RETURN_IF_ERROR(visit(sequence, *event));
  }
  return FromRocks(it->status(), "reading");
}

uint64_t EventLog::size() const {
  std::lock_guard<std::mutex> lock(append_mutex_);
  return next_;
}

}  // namespace souk::events
