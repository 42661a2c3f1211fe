// Saving and loading: the file is the encoded index (docs/formats/lexical-index.md). Loading
// validates every count, length and DocId before using it, so a corrupt or hostile file yields
// a Status, never a crash or an unbounded allocation.

#include <algorithm>
#include <array>
#include <chrono>

#include "index_data_internal.h"
#include "index_format_internal.h"
#include "souk/base/file_util.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/lexical/bm25f_scorer.h"

namespace souk::lexical {
namespace internal {
namespace {

struct Header {
  uint32_t version = 0;
  uint32_t num_docs = 0;
  uint32_t num_fields = 0;
  uint32_t num_terms = 0;
  uint64_t num_postings = 0;
  std::string_view fingerprint;
};

// Fixed part: magic, version, num_docs, num_fields, num_terms, num_postings, fingerprint length.
constexpr size_t kFixedHeaderBytes = 8 + 4 + 4 + 4 + 4 + 8 + 4;
// The smallest posting: DocId gap, field mask and one tf, one byte each.
constexpr size_t kMinPostingBytes = 3;
// The smallest term: length, one byte of term, df, one posting.
constexpr size_t kMinTermBytes = 3 + kMinPostingBytes;

absl::Status Corrupt(const ByteReader& r, std::string_view what) {
  return absl::DataLossError(StrCat(what, " at byte ", r.offset()));
}

constexpr uint8_t kExpansionBit = 1u << static_cast<unsigned>(Field::kExpansion);

// Magic, version and checksum: what must hold before anything else is read.
absl::Status CheckFrame(std::string_view file) {
  if (file.size() >= kIndexMagic.size() && file.substr(0, kIndexMagic.size()) != kIndexMagic) {
    return absl::InvalidArgumentError("not a Souk lexical index (bad magic)");
  }
  if (file.size() < kFixedHeaderBytes + kChecksumBytes) {
    return absl::DataLossError(StrCat("truncated: ", file.size(),
                                      " bytes, a lexical index has at least ",
                                      kFixedHeaderBytes + kChecksumBytes));
  }
  ByteReader r(file.substr(kIndexMagic.size()));
  uint32_t version = 0;
  r.ReadU32(&version);
  if (version < kOldestReadableVersion || version > kIndexFormatVersion) {
    return absl::FailedPreconditionError(
        StrCat("format version ", version, " is not supported (this build reads versions ",
               kOldestReadableVersion, " to ", kIndexFormatVersion, ")"));
  }
  const size_t body = file.size() - kChecksumBytes;
  uint32_t stored = 0;
  ByteReader(file.substr(body)).ReadU32(&stored);
  if (const uint32_t computed = Crc32(file.substr(0, body)); computed != stored) {
    return absl::DataLossError(StrCat("checksum mismatch (stored ", absl::Hex(stored),
                                      ", computed ", absl::Hex(computed),
                                      "): the file is corrupt or truncated"));
  }
  return absl::OkStatus();
}

absl::Status ReadHeader(ByteReader& r, Header* h) {
  uint32_t fingerprint_size = 0;
  if (!r.ReadU32(&h->num_docs) || !r.ReadU32(&h->num_fields) || !r.ReadU32(&h->num_terms) ||
      !r.ReadU64(&h->num_postings) || !r.ReadU32(&fingerprint_size) ||
      !r.ReadBytes(fingerprint_size, &h->fingerprint)) {
    return Corrupt(r, "truncated header");
  }
  if (h->num_fields != FieldsOfVersion(h->version)) {
    return Corrupt(r, StrCat("header: ", h->num_fields, " fields, version ", h->version, " has ",
                             FieldsOfVersion(h->version)));
  }
  if (h->num_docs == kEndDoc) return Corrupt(r, "header: too many documents");
  return absl::OkStatus();
}

absl::Status CheckCompatible(const Header& h, const catalog::Catalog& catalog,
                             const text::Analyzer& analyzer) {
  if (h.num_docs != catalog.size()) {
    return absl::FailedPreconditionError(StrCat("index has ", h.num_docs,
                                                " documents but the catalog has ", catalog.size(),
                                                " products: rebuild the index"));
  }
  if (const std::string fp = analyzer.Fingerprint(); h.fingerprint != fp) {
    return absl::FailedPreconditionError(StrCat("index was built with analyzer '", h.fingerprint,
                                                "' but this analyzer is '", fp,
                                                "': rebuild the index"));
  }
  return absl::OkStatus();
}

// Per-document field lengths, num_docs x h.num_fields in the file, document-major; kept as
// num_docs x kNumFields, the fields an older version lacks at length 0.
absl::Status ReadLengths(ByteReader& r, const Header& h, std::vector<uint32_t>* lengths) {
  const uint64_t count = uint64_t{h.num_docs} * h.num_fields;
  if (count > r.remaining()) return Corrupt(r, "truncated field lengths");
  lengths->assign(uint64_t{h.num_docs} * kNumFields, 0);
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t v = 0;
    if (!r.ReadVarintAtMost(UINT32_MAX, &v)) return Corrupt(r, "bad field length");
    (*lengths)[i / h.num_fields * kNumFields + i % h.num_fields] = static_cast<uint32_t>(v);
  }
  return absl::OkStatus();
}

std::array<double, kNumFields> AverageLengths(const std::vector<uint32_t>& lengths,
                                              uint32_t num_docs) {
  std::array<double, kNumFields> avg{};
  if (num_docs == 0) return avg;
  std::array<uint64_t, kNumFields> sum{};
  for (size_t i = 0; i < lengths.size(); ++i) sum[i % kNumFields] += lengths[i];
  for (size_t f = 0; f < kNumFields; ++f) avg[f] = static_cast<double>(sum[f]) / num_docs;
  return avg;
}

// Decodes term dictionary and postings, turning raw tfs into impacts.
class PostingsDecoder {
 public:
  PostingsDecoder(const Header& h, const std::vector<uint32_t>& lengths, const Bm25fScorer& scorer,
                  IndexData* data)
      : h_(h), lengths_(lengths), scorer_(scorer), data_(data) {}

  absl::Status Decode(ByteReader& r) {
    if (h_.num_terms > r.remaining() / kMinTermBytes ||
        h_.num_postings > r.remaining() / kMinPostingBytes) {
      return Corrupt(r, "header: more terms or postings than the file can hold");
    }
    PostingStore& p = data_->postings;
    p.offsets.reserve(h_.num_terms + 1);
    p.docs.reserve(h_.num_postings + h_.num_terms);
    p.impacts.reserve(h_.num_postings + h_.num_terms);
    p.field_masks.reserve(h_.num_postings + h_.num_terms);
    p.idf.reserve(h_.num_terms);
    p.max_impact.reserve(h_.num_terms);
    data_->dictionary.reserve(h_.num_terms);
    std::string_view previous;
    for (TermId t = 0; t < h_.num_terms; ++t) {
      std::string_view term;
      SOUK_RETURN_IF_ERROR(ReadTerm(r, t, previous, &term));
      SOUK_RETURN_IF_ERROR(ReadPostings(r, term));
      data_->dictionary.emplace(term, t);
      previous = term;
    }
    if (r.remaining() != 0) return Corrupt(r, StrCat(r.remaining(), " bytes after the last term"));
    if (p.docs.size() - h_.num_terms != h_.num_postings) {
      return Corrupt(r, StrCat("header says ", h_.num_postings, " postings, the file has ",
                               p.docs.size() - h_.num_terms));
    }
    return absl::OkStatus();
  }

 private:
  absl::Status ReadTerm(ByteReader& r, TermId t, std::string_view previous,
                        std::string_view* term) {
    uint64_t size = 0;
    if (!r.ReadVarint(&size) || size == 0 || !r.ReadBytes(size, term)) {
      return Corrupt(r, StrCat("term ", t, ": bad or truncated term"));
    }
    // Strictly increasing byte order: sorted and free of duplicates.
    if (t > 0 && *term <= previous) {
      return Corrupt(r, StrCat("term ", t, ": terms out of order"));
    }
    return absl::OkStatus();
  }

  absl::Status ReadPostings(ByteReader& r, std::string_view term) {
    uint64_t df = 0;
    if (!r.ReadVarint(&df) || df == 0 || df > h_.num_docs) {
      return Corrupt(r, StrCat("term '", term, "': bad document frequency"));
    }
    PostingStore& p = data_->postings;
    // Bounded by the header's total, which Decode checked against the file size.
    if (p.docs.size() - p.idf.size() + df > h_.num_postings) {
      return Corrupt(r, StrCat("term '", term, "': more postings than the header says"));
    }
    float max_impact = 0;
    uint64_t doc = 0;
    uint64_t own_df = 0;  // documents whose own text, not only their expansion, holds the term
    for (uint64_t i = 0; i < df; ++i) {
      uint64_t gap = 0;
      if (!r.ReadVarint(&gap) || (i > 0 && gap == 0)) {
        return Corrupt(r, StrCat("term '", term, "': bad DocId gap"));
      }
      doc = (i == 0 ? 0 : doc) + gap;
      if (gap >= h_.num_docs || doc >= h_.num_docs) {
        return Corrupt(r, StrCat("term '", term, "': DocId out of range"));
      }
      float impact = 0;
      uint8_t mask = 0;
      SOUK_RETURN_IF_ERROR(ReadFieldTfs(r, term, static_cast<uint32_t>(doc), &mask, &impact));
      p.docs.push_back(static_cast<uint32_t>(doc));
      p.impacts.push_back(impact);
      p.field_masks.push_back(mask);
      max_impact = std::max(max_impact, impact);
      own_df += (mask & ~kExpansionBit) != 0 ? 1 : 0;
    }
    p.docs.push_back(kEndDoc);
    p.impacts.push_back(0.0f);
    p.field_masks.push_back(0);
    p.offsets.push_back(p.docs.size());
    // Predicted words must not make a term look common: a word the model adds to many
    // products would otherwise lose its weight in every query that types it. A term that only
    // expansions hold is weighed by how many products it was predicted for.
    p.idf.push_back(Bm25fScorer::Idf(h_.num_docs, own_df > 0 ? own_df : df));
    p.max_impact.push_back(max_impact);
    return absl::OkStatus();
  }

  // The field mask and per-field tfs of one posting, folded into its impact.
  absl::Status ReadFieldTfs(ByteReader& r, std::string_view term, uint32_t doc, uint8_t* mask_out,
                            float* impact) {
    uint8_t& mask = *mask_out;
    if (!r.ReadByte(&mask) || mask == 0 || mask >= (1u << h_.num_fields)) {
      return Corrupt(r, StrCat("term '", term, "': bad field mask"));
    }
    double pseudo_tf = 0;
    for (size_t f = 0; f < kNumFields; ++f) {
      if ((mask & (1u << f)) == 0) continue;
      const uint32_t len = lengths_[size_t{doc} * kNumFields + f];
      uint64_t tf = 0;
      // A field cannot hold a term more often than it holds terms.
      if (!r.ReadVarint(&tf) || tf == 0 || tf > len) {
        return Corrupt(r, StrCat("term '", term, "': bad term frequency"));
      }
      pseudo_tf += static_cast<double>(tf) * scorer_.FieldFactor(static_cast<Field>(f), len);
    }
    *impact = scorer_.Impact(pseudo_tf);
    return absl::OkStatus();
  }

  const Header& h_;
  const std::vector<uint32_t>& lengths_;
  const Bm25fScorer& scorer_;
  IndexData* data_;
};

}  // namespace

absl::Status InitIndexData(std::string encoded, const catalog::Catalog& catalog,
                           const text::Analyzer& analyzer, const LexicalOptions& options,
                           IndexData* data) {
  SOUK_RETURN_IF_ERROR(CheckFrame(encoded));
  ByteReader r(std::string_view(encoded).substr(0, encoded.size() - kChecksumBytes));
  std::string_view unused;
  r.ReadBytes(kIndexMagic.size(), &unused);  // checked above, as the version
  Header header;
  r.ReadU32(&header.version);
  SOUK_RETURN_IF_ERROR(ReadHeader(r, &header));
  SOUK_RETURN_IF_ERROR(CheckCompatible(header, catalog, analyzer));
  std::vector<uint32_t> lengths;
  SOUK_RETURN_IF_ERROR(ReadLengths(r, header, &lengths));
  const Bm25fScorer scorer(options, AverageLengths(lengths, header.num_docs));
  SOUK_RETURN_IF_ERROR(PostingsDecoder(header, lengths, scorer, data).Decode(r));
  data->catalog = &catalog;
  data->num_docs = header.num_docs;
  data->columns = DocColumns::Build(catalog);
  data->encoded = std::move(encoded);
  return absl::OkStatus();
}

}  // namespace internal

absl::Status InvertedIndex::Save(const std::string& path) const {
  return Annotate(WriteFileAtomically(path, data_->encoded), StrCat("saving lexical index ", path));
}

absl::StatusOr<std::unique_ptr<InvertedIndex>> InvertedIndex::Load(const std::string& path,
                                                                   const catalog::Catalog& catalog,
                                                                   const text::Analyzer& analyzer,
                                                                   const LexicalOptions& options) {
  const std::string context = StrCat("loading lexical index ", path);
  SOUK_RETURN_IF_ERROR(Annotate(options.Validate(), "lexical options"));
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::string> bytes = ReadFileToString(path);
  if (!bytes.ok()) return Annotate(bytes.status(), context);
  auto data = std::make_unique<Data>();
  SOUK_RETURN_IF_ERROR(Annotate(
      internal::InitIndexData(*std::move(bytes), catalog, analyzer, options, data.get()), context));
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  SOUK_LOG_INFO("lexical", "loaded index ", path, ": ", data->num_docs, " docs, ",
                data->postings.num_terms(), " terms, ", data->encoded.size(), " bytes in ", ms,
                " ms");
  return std::unique_ptr<InvertedIndex>(new InvertedIndex(std::move(data)));
}

}  // namespace souk::lexical
