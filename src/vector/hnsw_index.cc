#include "souk/vector/hnsw_index.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>

#include "absl/container/flat_hash_set.h"

// hnswlib 0.6.2's SSE path prefetches the neighbour after the last one of a link list, reading
// 4 bytes past an upper layer's list. The value only feeds a prefetch hint and the read stays
// inside the allocator's chunk, but AddressSanitizer rightly reports it: sanitized builds use
// hnswlib's plain loops instead.
#if defined(__SANITIZE_ADDRESS__)
#define NO_MANUAL_VECTORIZATION
#endif
#include "hnswlib/hnswlib.h"
#include "row_checks_internal.h"
#include "souk/base/file_util.h"
#include "souk/base/str_cat.h"

namespace souk::vector {
namespace {

using Graph = hnswlib::HierarchicalNSW<float>;

constexpr char kMagic[8] = {'S', 'O', 'U', 'K', 'H', 'N', 'S', 'W'};
constexpr uint32_t kVersion = 1;
// magic, version, dim, m, ef_construction, rows, payload bytes.
constexpr size_t kHeaderBytes = 8 + 4 + 4 + 8 + 8 + 8 + 8;
constexpr size_t kInitialCapacity = 1024;
// A filtered search that would ask the graph for more than 1/kExactScanShare of the rows scores
// the allowed rows exactly instead.
constexpr size_t kExactScanShare = 8;

template <typename T>
void Append(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

template <typename T>
T Take(std::string_view data, size_t& pos) {
  T value;
  std::memcpy(&value, data.data() + pos, sizeof(T));
  pos += sizeof(T);
  return value;
}

// hnswlib reads and writes graphs only through file paths; an anonymous in-memory file lets
// Save and Load hand it bytes that Souk frames and checks itself.
class MemoryFile {
 public:
  MemoryFile() : fd_(::memfd_create("souk-hnsw", MFD_CLOEXEC)) {}
  ~MemoryFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  bool ok() const { return fd_ >= 0; }
  std::string path() const { return StrCat("/proc/self/fd/", fd_); }

  bool Write(std::string_view data) {
    for (size_t done = 0; done < data.size();) {
      const ssize_t n =
          ::pwrite(fd_, data.data() + done, data.size() - done, static_cast<off_t>(done));
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }

  bool ReadAll(std::string* out) {
    const off_t size = ::lseek(fd_, 0, SEEK_END);
    if (size < 0) return false;
    out->resize(static_cast<size_t>(size));
    for (size_t done = 0; done < out->size();) {
      const ssize_t n =
          ::pread(fd_, out->data() + done, out->size() - done, static_cast<off_t>(done));
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }

 private:
  int fd_;
};

// The bytes hnswlib gives every row of a graph of `dim` floats and `max_m0` bottom-layer links.
size_t RowBytes(size_t dim, size_t max_m0) {
  return max_m0 * sizeof(hnswlib::tableint) + sizeof(hnswlib::linklistsizeint) +
         dim * sizeof(float) + sizeof(hnswlib::labeltype);
}

}  // namespace

absl::Status HnswOptions::Validate() const {
  if (m < 2 || m > 1024) {
    return absl::InvalidArgumentError(StrCat("hnsw.m: must be in [2, 1024], got ", m));
  }
  if (ef_construction < 1) return absl::InvalidArgumentError("hnsw.ef_construction: must be >= 1");
  if (ef_search < 1) return absl::InvalidArgumentError("hnsw.ef_search: must be >= 1");
  return absl::OkStatus();
}

// `space` outlives `graph` (declared first): the graph keeps a pointer to its dimension.
struct HnswVectorIndex::Impl {
  size_t dim = 0;
  HnswOptions options;
  std::unique_ptr<hnswlib::InnerProductSpace> space;
  std::unique_ptr<Graph> graph;

  bool Contains(uint32_t id) const {
    const auto it = graph->label_lookup_.find(id);
    return it != graph->label_lookup_.end() && !graph->isMarkedDeleted(it->second);
  }
  absl::Status Reserve(size_t new_rows);
  absl::Status Insert(std::span<const uint32_t> ids, std::span<const float> vectors);
  std::vector<Neighbor> SearchOne(const float* query, size_t k, const IdFilter& filter) const;
  std::vector<Neighbor> ScanAllowed(const float* query, size_t k, const IdFilter& filter) const;
};

HnswVectorIndex::HnswVectorIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HnswVectorIndex::~HnswVectorIndex() = default;

absl::StatusOr<std::unique_ptr<HnswVectorIndex>> HnswVectorIndex::Create(
    size_t dim, const HnswOptions& options) {
  if (dim == 0) return absl::InvalidArgumentError("hnsw index: dim must be > 0");
  if (absl::Status s = options.Validate(); !s.ok()) return s;
  auto impl = std::make_unique<Impl>();
  impl->dim = dim;
  impl->options = options;
  impl->space = std::make_unique<hnswlib::InnerProductSpace>(dim);
  try {
    impl->graph = std::make_unique<Graph>(impl->space.get(), kInitialCapacity, options.m,
                                          options.ef_construction, options.seed);
  } catch (const std::exception& e) {
    return absl::ResourceExhaustedError(StrCat("hnsw index: ", e.what()));
  }
  impl->graph->setEf(options.ef_search);
  return std::unique_ptr<HnswVectorIndex>(new HnswVectorIndex(std::move(impl)));
}

size_t HnswVectorIndex::dim() const { return impl_->dim; }

void HnswVectorIndex::set_ef_search(size_t ef_search) {
  impl_->options.ef_search = std::max<size_t>(1, ef_search);
  impl_->graph->setEf(impl_->options.ef_search);
}

size_t HnswVectorIndex::size() const {
  return impl_->graph->cur_element_count - impl_->graph->num_deleted_;
}

absl::Status HnswVectorIndex::Impl::Reserve(size_t new_rows) {
  const size_t needed = graph->cur_element_count + new_rows;
  if (needed <= graph->max_elements_) return absl::OkStatus();
  try {
    graph->resizeIndex(std::max(needed, 2 * graph->max_elements_));
  } catch (const std::exception& e) {
    return absl::ResourceExhaustedError(
        StrCat("hnsw index: growing to ", needed, " rows: ", e.what()));
  }
  return absl::OkStatus();
}

absl::Status HnswVectorIndex::Impl::Insert(std::span<const uint32_t> ids,
                                           std::span<const float> vectors) {
  for (size_t i = 0; i < ids.size(); ++i) {
    try {
      graph->addPoint(vectors.data() + i * dim, ids[i]);
    } catch (const std::exception& e) {
      // Only an allocation inside hnswlib can fail after Reserve: rows inserted before it stay.
      return absl::ResourceExhaustedError(StrCat("hnsw index: adding: ", e.what()));
    }
  }
  return absl::OkStatus();
}

absl::Status HnswVectorIndex::Add(std::span<const uint32_t> ids, std::span<const float> vectors) {
  Impl& m = *impl_;
  if (absl::Status s = internal::CheckRows(ids, vectors, m.dim, "hnsw index"); !s.ok()) return s;
  if (!internal::AllWithin(vectors)) {
    return absl::InvalidArgumentError("hnsw index: a vector has a NaN or infinite value");
  }
  if (ids.empty()) return absl::OkStatus();
  const auto new_rows = static_cast<size_t>(std::count_if(
      ids.begin(), ids.end(), [&m](uint32_t id) { return !m.graph->label_lookup_.contains(id); }));
  if (absl::Status s = m.Reserve(new_rows); !s.ok()) return s;
  return m.Insert(ids, vectors);
}

size_t HnswVectorIndex::Remove(std::span<const uint32_t> ids) {
  Impl& m = *impl_;
  size_t removed = 0;
  for (uint32_t id : absl::flat_hash_set<uint32_t>(ids.begin(), ids.end())) {
    if (!m.Contains(id)) continue;
    m.graph->markDelete(id);
    ++removed;
  }
  return removed;
}

std::vector<Neighbor> HnswVectorIndex::Impl::ScanAllowed(const float* query, size_t k,
                                                         const IdFilter& filter) const {
  std::vector<Neighbor> allowed;
  for (hnswlib::tableint row = 0; row < graph->cur_element_count; ++row) {
    if (graph->isMarkedDeleted(row)) continue;
    const auto id = static_cast<uint32_t>(graph->getExternalLabel(row));
    if (!filter(id)) continue;
    const float distance =
        graph->fstdistfunc_(query, graph->getDataByInternalId(row), graph->dist_func_param_);
    allowed.push_back({id, 1.0f - distance});
  }
  const size_t n = std::min(k, allowed.size());
  std::partial_sort(allowed.begin(), allowed.begin() + static_cast<std::ptrdiff_t>(n),
                    allowed.end(), [](const Neighbor& a, const Neighbor& b) {
                      return a.score != b.score ? a.score > b.score : a.id < b.id;
                    });
  allowed.resize(n);
  return allowed;
}

std::vector<Neighbor> HnswVectorIndex::Impl::SearchOne(const float* query, size_t k,
                                                       const IdFilter& filter) const {
  const size_t live = graph->cur_element_count - graph->num_deleted_;
  k = std::min(k, live);
  if (k == 0) return {};
  size_t ask = k;
  if (filter) ask = std::max(4 * k, options.ef_search);
  while (true) {
    if (filter && ask > live / kExactScanShare) return ScanAllowed(query, k, filter);
    // hnswlib's InnerProductSpace distance is 1 - inner product; the queue is worst first.
    auto queue = graph->searchKnn(query, ask);
    std::vector<Neighbor> found;
    found.reserve(queue.size());
    for (; !queue.empty(); queue.pop()) {
      const auto id = static_cast<uint32_t>(queue.top().second);
      if (!filter || filter(id)) found.push_back({id, 1.0f - queue.top().first});
    }
    std::reverse(found.begin(), found.end());
    if (found.size() >= k || !filter) {
      if (found.size() > k) found.resize(k);
      return found;
    }
    ask *= 4;
  }
}

absl::StatusOr<std::vector<std::vector<Neighbor>>> HnswVectorIndex::Search(
    std::span<const float> queries, size_t k, const IdFilter& filter) const {
  const Impl& m = *impl_;
  if (absl::Status s = internal::CheckQueryShape(queries, m.dim, "hnsw search"); !s.ok()) return s;
  if (!internal::AllWithin(queries)) {
    return absl::InvalidArgumentError("hnsw search: a query has a NaN or infinite value");
  }
  std::vector<std::vector<Neighbor>> out(queries.size() / m.dim);
  try {
    for (size_t q = 0; q < out.size(); ++q) out[q] = m.SearchOne(&queries[q * m.dim], k, filter);
  } catch (const std::exception& e) {
    return absl::InternalError(StrCat("hnsw search: ", e.what()));
  }
  return out;
}

absl::Status HnswVectorIndex::Save(const std::string& path) const {
  const Impl& m = *impl_;
  MemoryFile graph_file;
  std::string payload;
  if (!graph_file.ok()) return absl::InternalError(StrCat("saving ", path, ": memfd_create"));
  try {
    m.graph->saveIndex(graph_file.path());
  } catch (const std::exception& e) {
    return absl::InternalError(StrCat("saving ", path, ": ", e.what()));
  }
  if (!graph_file.ReadAll(&payload)) {
    return absl::InternalError(StrCat("saving ", path, ": reading the serialized graph back"));
  }
  std::string out(kMagic, sizeof(kMagic));
  Append<uint32_t>(out, kVersion);
  Append<uint32_t>(out, static_cast<uint32_t>(m.dim));
  Append<uint64_t>(out, m.graph->M_);
  Append<uint64_t>(out, m.graph->ef_construction_);
  Append<uint64_t>(out, m.graph->cur_element_count);
  Append<uint64_t>(out, payload.size());
  out += payload;
  Append<uint32_t>(out, Crc32(out));
  return WriteFileAtomically(path, out);
}

absl::StatusOr<std::unique_ptr<HnswVectorIndex>> HnswVectorIndex::Load(const std::string& path,
                                                                       const HnswOptions& options) {
  if (absl::Status s = options.Validate(); !s.ok()) return s;
  absl::StatusOr<std::string> data = ReadFileToString(path);
  if (!data.ok()) return data.status();
  if (data->size() < sizeof(kMagic) || std::memcmp(data->data(), kMagic, sizeof(kMagic)) != 0) {
    return absl::InvalidArgumentError(StrCat(path, ": not a Souk HNSW file"));
  }
  if (data->size() < kHeaderBytes + 4) {
    return absl::DataLossError(StrCat(path, ": truncated header"));
  }
  size_t pos = sizeof(kMagic);
  const auto version = Take<uint32_t>(*data, pos);
  if (version != kVersion) {
    return absl::FailedPreconditionError(
        StrCat(path, ": HNSW file version ", version, ", this build reads ", kVersion));
  }
  const std::string_view body(data->data(), data->size() - 4);
  size_t crc_pos = body.size();
  if (Take<uint32_t>(*data, crc_pos) != Crc32(body)) {
    return absl::DataLossError(StrCat(path, ": checksum mismatch"));
  }
  const auto dim = Take<uint32_t>(*data, pos);
  const auto m = Take<uint64_t>(*data, pos);
  const auto ef_construction = Take<uint64_t>(*data, pos);
  const auto rows = Take<uint64_t>(*data, pos);
  const auto payload_bytes = Take<uint64_t>(*data, pos);
  if (dim == 0 || payload_bytes != body.size() - kHeaderBytes) {
    return absl::DataLossError(StrCat(path, ": header (dim ", dim, ", ", payload_bytes,
                                      " graph bytes) does not match the file"));
  }
  auto impl = std::make_unique<Impl>();
  impl->dim = dim;
  impl->options = options;
  impl->options.m = m;
  impl->options.ef_construction = ef_construction;
  impl->space = std::make_unique<hnswlib::InnerProductSpace>(dim);
  MemoryFile graph_file;
  if (!graph_file.ok() || !graph_file.Write(body.substr(kHeaderBytes))) {
    return absl::InternalError(StrCat("loading ", path, ": staging the graph in memory"));
  }
  // Not the loading constructor: hnswlib 0.6.2 leaves num_deleted_ uninitialized there and
  // then counts the deleted rows onto it.
  impl->graph = std::make_unique<Graph>(impl->space.get());
  impl->graph->num_deleted_ = 0;
  try {
    impl->graph->loadIndex(graph_file.path(), impl->space.get());
  } catch (const std::exception& e) {
    // A graph that failed half-way through loading has members its destructor would free
    // uninitialized: leak it rather than crash (only a file that passed the checksum but not
    // hnswlib's own checks gets here).
    (void)impl->graph.release();
    return absl::DataLossError(StrCat(path, ": ", e.what()));
  }
  const Graph& g = *impl->graph;
  if (g.cur_element_count != rows || g.M_ != m ||
      g.size_data_per_element_ != RowBytes(dim, g.maxM0_)) {
    return absl::DataLossError(StrCat(path, ": the graph (", g.cur_element_count,
                                      " rows) disagrees with its header (", rows, " rows of dim ",
                                      dim, ", m ", m, ")"));
  }
  impl->graph->setEf(options.ef_search);
  return std::unique_ptr<HnswVectorIndex>(new HnswVectorIndex(std::move(impl)));
}

absl::StatusOr<std::vector<float>> HnswVectorIndex::Score(std::span<const float> query,
                                                          std::span<const uint32_t> ids) const {
  const Impl& m = *impl_;
  if (query.size() != m.dim) {
    return absl::InvalidArgumentError(
        StrCat("hnsw score: a query of ", query.size(), " values, the index has dim ", m.dim));
  }
  if (!internal::AllWithin(query)) {
    return absl::InvalidArgumentError("hnsw score: the query has a NaN or infinite value");
  }
  std::vector<float> scores;
  scores.reserve(ids.size());
  for (uint32_t id : ids) {
    const auto it = m.graph->label_lookup_.find(id);
    if (it == m.graph->label_lookup_.end() || m.graph->isMarkedDeleted(it->second)) {
      return absl::NotFoundError(StrCat("hnsw score: no row for id ", id));
    }
    const auto* row = reinterpret_cast<const float*>(m.graph->getDataByInternalId(it->second));
    double dot = 0;
    for (size_t i = 0; i < m.dim; ++i) dot += static_cast<double>(row[i]) * query[i];
    scores.push_back(static_cast<float>(dot));
  }
  return scores;
}

absl::StatusOr<std::vector<float>> HnswVectorIndex::Row(uint32_t id) const {
  const Impl& m = *impl_;
  const auto it = m.graph->label_lookup_.find(id);
  if (it == m.graph->label_lookup_.end() || m.graph->isMarkedDeleted(it->second)) {
    return absl::NotFoundError(StrCat("hnsw row: no row for id ", id));
  }
  const auto* row = reinterpret_cast<const float*>(m.graph->getDataByInternalId(it->second));
  return std::vector<float>(row, row + m.dim);
}

}  // namespace souk::vector
