#include "souk/model/safetensors.h"

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "souk/base/file_util.h"
#include "souk/model/float16.h"
#include "support/test_support.h"

namespace souk::model {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string U64(uint64_t v) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}

template <typename T>
std::string Raw(std::vector<T> values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

// A safetensors file: length prefix, header, data.
std::string File(const std::string& header, const std::string& data) {
  return U64(header.size()) + header + data;
}

absl::Status ParseStatus(const std::string& bytes) {
  return SafetensorsFile::FromBytes(bytes, "m.safetensors").status();
}

// ---------------------------------------------------------------------------------------------
// Reading a file built by hand, byte by byte, from the format description.

TEST(SafetensorsReadTest, ReadsHandBuiltFile) {
  // The header is padded with 2 trailing spaces, which readers must accept.
  const std::string json =
      R"({"__metadata__":{"format":"pt"},"ids":{"dtype":"I64","shape":[2],"data_offsets":[8,24]},)"
      R"("w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  std::string bytes = U64(json.size() + 2) + json + "  ";
  // w = [1.0f, -2.5f]: 0x3f800000, 0xc0200000 little-endian.
  bytes += std::string("\x00\x00\x80\x3f\x00\x00\x20\xc0", 8);
  // ids = [7, -1] as little-endian int64.
  bytes += std::string("\x07\x00\x00\x00\x00\x00\x00\x00", 8);
  bytes += std::string(8, '\xff');
  TempDir dir;
  const std::string path = dir.WriteFile("m.safetensors", bytes);
  auto file = SafetensorsFile::Open(path);
  ASSERT_OK(file);
  const SafetensorsFile& f = **file;
  EXPECT_EQ(f.path(), path);
  EXPECT_THAT(f.TensorNames(), ElementsAre("ids", "w"));
  EXPECT_EQ(f.metadata().at("format"), "pt");
  const TensorInfo* w = f.Find("w");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->dtype, Dtype::kF32);
  EXPECT_THAT(w->shape, ElementsAre(2));
  EXPECT_EQ(w->data.size(), 8u);
  EXPECT_THAT(*f.ReadFloat32("w"), ElementsAre(1.0f, -2.5f));
  EXPECT_THAT(*f.ReadInt64("ids"), ElementsAre(7, -1));
  EXPECT_EQ(f.Find("nope"), nullptr);
  EXPECT_THAT(f.Get("nope"),
              StatusIs(absl::StatusCode::kNotFound, "m.safetensors: no tensor \"nope\""));
  EXPECT_THAT(f.ReadFloat32("ids"), StatusIs(absl::StatusCode::kInvalidArgument, "I64"));
  EXPECT_THAT(f.ReadInt64("w"), StatusIs(absl::StatusCode::kInvalidArgument, "F32"));
}

TEST(SafetensorsReadTest, DecodesHalfPrecisionAndScalars) {
  const std::string json = R"({"b":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]},)"
                           R"("d":{"dtype":"F64","shape":[],"data_offsets":[4,12]},)"
                           R"("e":{"dtype":"F32","shape":[0,3],"data_offsets":[12,12]},)"
                           R"("h":{"dtype":"F16","shape":[1,3],"data_offsets":[12,18]}})";
  const std::string data = Raw<uint16_t>({0x3f80, 0xc040}) + Raw<double>({0.5}) +
                           Raw<uint16_t>({0x3c00, 0x0001, 0xfc00});
  auto file = SafetensorsFile::FromBytes(File(json, data), "mem");
  ASSERT_OK(file);
  EXPECT_THAT(*(*file)->ReadFloat32("b"), ElementsAre(1.0f, -3.0f));
  EXPECT_THAT(*(*file)->ReadFloat32("d"), ElementsAre(0.5f));
  EXPECT_EQ((*file)->Find("d")->NumElements(), 1);
  EXPECT_TRUE((*file)->ReadFloat32("e")->empty());
  EXPECT_THAT(*(*file)->ReadFloat32("h"),
              ElementsAre(1.0f, 0x1p-24f, -std::numeric_limits<float>::infinity()));
}

TEST(SafetensorsReadTest, EmptyHeaderObjectIsValid) {
  EXPECT_OK(ParseStatus(File("{}", "")));
  EXPECT_OK(ParseStatus(File("{\"__metadata__\":{}}      ", "")));
}

TEST(SafetensorsReadTest, OpenReportsFileSystemErrors) {
  TempDir dir;
  EXPECT_THAT(SafetensorsFile::Open(dir.File("missing.safetensors")),
              StatusIs(absl::StatusCode::kNotFound, "missing.safetensors"));
  EXPECT_THAT(SafetensorsFile::Open(dir.path()),
              StatusIs(absl::StatusCode::kFailedPrecondition, "not a regular file"));
  EXPECT_THAT(SafetensorsFile::Open(dir.WriteFile("short", "abc")),
              StatusIs(absl::StatusCode::kDataLoss, "short"));
}

// ---------------------------------------------------------------------------------------------
// Corruptions: each is DATA_LOSS naming the file and, where one is at fault, the tensor.

const std::string kEntryB = R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]})";

struct Corruption {
  const char* label;
  std::string bytes;
  const char* message;
};

std::vector<Corruption> Corruptions() {
  const std::string eight(8, '\0');
  const auto with_a = [&](const std::string& entry_a) {
    return File("{" + entry_a + "," + kEntryB + "}", eight);
  };
  return {
      {"short", "\x02\x00\x00", "shorter than the 8-byte"},
      {"header past end", U64(100) + "{}", "exceeds the file"},
      {"absurd header", U64(uint64_t{1} << 40) + "{}", "exceeds the limit"},
      {"not json", File("{not json}", ""), "not valid JSON"},
      {"not object", File("[1,2]", ""), "does not start with '{'"},
      {"invalid utf8", File("{\"\xff\":1}", ""), "not valid JSON"},
      {"entry not object", File(R"({"a":3})", ""), "tensor \"a\": entry is not an object"},
      {"missing dtype", with_a(R"("a":{"shape":[1],"data_offsets":[0,4]})"),
       "\"a\": missing \"dtype\""},
      {"missing shape", with_a(R"("a":{"dtype":"F32","data_offsets":[0,4]})"),
       "\"a\": missing \"shape\""},
      {"missing offsets", with_a(R"("a":{"dtype":"F32","shape":[1]})"),
       "\"a\": missing \"data_offsets\""},
      {"unknown field", with_a(R"("a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1})"),
       "unknown field \"x\""},
      {"unknown dtype", with_a(R"("a":{"dtype":"F7","shape":[1],"data_offsets":[0,4]})"),
       "\"a\": unsupported dtype \"F7\""},
      {"fp8 dtype", with_a(R"("a":{"dtype":"F8_E4M3","shape":[4],"data_offsets":[0,4]})"),
       "unsupported dtype \"F8_E4M3\""},
      {"negative dim", with_a(R"("a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]})"),
       "\"a\": shape dimension -1"},
      {"fractional dim", with_a(R"("a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]})"),
       "shape dimension 1.5"},
      {"overflowing shape",
       with_a(R"("a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]})"),
       "\"a\": shape [4294967296,4294967296] overflows"},
      {"overflowing bytes",
       with_a(R"("a":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,4]})"),
       "overflows"},
      {"size mismatch", with_a(R"("a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]})"),
       "\"a\": data_offsets [0,4] span 4 bytes, but F32 [2] needs 8"},
      {"reversed offsets", with_a(R"("a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]})"),
       "\"a\": data_offsets [4,0]"},
      {"offsets not pair", with_a(R"("a":{"dtype":"F32","shape":[1],"data_offsets":[0]})"),
       "not two non-negative integers"},
      {"overlap", with_a(R"("a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})"), "overlaps"},
      {"gap", File(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", eight),
       "tensor \"a\": data starts at byte 4, expected 0 (gap"},
      {"past end", File(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", eight),
       "tensor \"a\": data ends at byte 16, past the end"},
      {"trailing bytes", File(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", eight),
       "data holds 8 bytes but the tensors cover 4"},
      {"duplicate",
       File(
           R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
           eight),
       "tensor \"a\" appears twice"},
      {"metadata not object", File(R"({"__metadata__":[1]})", ""), "__metadata__ is not an object"},
      {"metadata value", File(R"({"__metadata__":{"k":1}})", ""),
       "__metadata__ \"k\" is not a string"},
  };
}

TEST(SafetensorsCorruptionTest, EveryCorruptionIsDataLossNamingTheFile) {
  for (const Corruption& c : Corruptions()) {
    SCOPED_TRACE(c.label);
    const absl::Status status = ParseStatus(c.bytes);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss, c.message));
    EXPECT_THAT(std::string(status.message()), HasSubstr("m.safetensors"));
  }
}

TEST(SafetensorsCorruptionTest, ValidBaselineOfTheCorruptionsParses) {
  const std::string eight(8, '\0');
  EXPECT_OK(ParseStatus(
      File("{" + std::string(R"("a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]})") + "," +
               kEntryB + "}",
           eight)));
}

TEST(SafetensorsCorruptionTest, EveryTruncationIsAnError) {
  TempDir dir;
  const std::vector<float> w = {1, 2, 3, 4, 5, 6};
  const std::vector<float> b = {7, 8};
  ASSERT_OK(WriteSafetensors(
      dir.File("full"),
      {TensorToWrite::Floats("w", {2, 3}, w), TensorToWrite::Floats("b", {2}, b, Dtype::kF16)},
      {{"k", "v"}}));
  auto full = ReadFileToString(dir.File("full"));
  ASSERT_OK(full);
  ASSERT_OK(ParseStatus(*full));
  for (size_t n = 0; n < full->size(); ++n) {
    EXPECT_THAT(ParseStatus(full->substr(0, n)), StatusIs(absl::StatusCode::kDataLoss, ""))
        << "truncated at " << n;
  }
  // Every single-byte change of the header's length or JSON either parses or is DATA_LOSS.
  uint64_t header_size = 0;
  std::memcpy(&header_size, full->data(), 8);
  const size_t header_end = 8 + header_size;
  for (size_t i = 0; i < header_end; ++i) {
    for (char replacement : {'\0', '"', '9', '{', '-', '\xff'}) {
      std::string patched = *full;
      patched[i] = replacement;
      const absl::Status status = ParseStatus(patched);
      EXPECT_TRUE(status.ok() || status.code() == absl::StatusCode::kDataLoss) << status;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Writing.

TEST(SafetensorsWriteTest, WritesTheReferenceLayoutByteForByte) {
  TempDir dir;
  const std::vector<float> values = {1.0f, -2.5f};
  ASSERT_OK(WriteSafetensors(dir.File("x"), {TensorToWrite::Floats("w", {2}, values)},
                             {{"format", "pt"}}));
  const std::string json =
      R"({"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  ASSERT_EQ(json.size(), 85u);  // padded with 3 spaces to 88, a multiple of 8
  const std::string expected =
      U64(88) + json + "   " + std::string("\x00\x00\x80\x3f\x00\x00\x20\xc0", 8);
  EXPECT_EQ(*ReadFileToString(dir.File("x")), expected);
}

TEST(SafetensorsWriteTest, RoundTripsSeveralDtypesSortedByName) {
  TempDir dir;
  const std::vector<float> f32 = {0.1f, -1e30f, 3.0f, 0.0f};
  const std::vector<float> f16 = {1.0f, 0.1f, 65504.0f, 1e-7f, -0.0f, 70000.0f};
  const std::vector<float> bf16 = {1.0f, 0.1f, -3e38f};
  const std::vector<float> f64 = {0.25f};
  const std::vector<int64_t> ids = {0, 1, 2, -5};
  const std::vector<int32_t> mask = {1, 0};
  const std::vector<TensorToWrite> tensors = {
      TensorToWrite::Floats("z.f32", {2, 2}, f32),
      TensorToWrite::Floats("a.f16", {6}, f16, Dtype::kF16),
      TensorToWrite::Floats("m.bf16", {3}, bf16, Dtype::kBF16),
      TensorToWrite::Floats("scalar", {}, f64, Dtype::kF64),
      TensorToWrite::Floats("empty", {0, 4}, {}),
      TensorToWrite::Bytes("ids", Dtype::kI64, {4}, std::as_bytes(std::span(ids))),
      TensorToWrite::Bytes("mask", Dtype::kI32, {1, 2}, std::as_bytes(std::span(mask))),
  };
  ASSERT_OK(WriteSafetensors(dir.File("m.safetensors"), tensors));
  auto file = SafetensorsFile::Open(dir.File("m.safetensors"));
  ASSERT_OK(file);
  const SafetensorsFile& f = **file;
  EXPECT_THAT(f.TensorNames(),
              ElementsAre("a.f16", "empty", "ids", "m.bf16", "mask", "scalar", "z.f32"));
  EXPECT_TRUE(f.metadata().empty());
  EXPECT_EQ(*f.ReadFloat32("z.f32"), f32);
  std::vector<float> expected_f16;
  for (float v : f16) expected_f16.push_back(HalfToFloat(FloatToHalf(v)));
  EXPECT_EQ(*f.ReadFloat32("a.f16"), expected_f16);
  EXPECT_EQ(expected_f16[5], std::numeric_limits<float>::infinity());
  std::vector<float> expected_bf16;
  for (float v : bf16) expected_bf16.push_back(BFloat16ToFloat(FloatToBFloat16(v)));
  EXPECT_EQ(*f.ReadFloat32("m.bf16"), expected_bf16);
  EXPECT_THAT(*f.ReadFloat32("scalar"), ElementsAre(0.25f));
  EXPECT_EQ(f.Find("scalar")->dtype, Dtype::kF64);
  EXPECT_TRUE(f.Find("scalar")->shape.empty());
  EXPECT_THAT(f.Find("empty")->shape, ElementsAre(0, 4));
  EXPECT_EQ(*f.ReadInt64("ids"), ids);
  EXPECT_THAT(*f.ReadInt64("mask"), ElementsAre(1, 0));
  // Data is packed in name order: a.f16 first at offset 0.
  EXPECT_EQ(f.Find("empty")->data.data(), f.Find("a.f16")->data.data() + 12);
  EXPECT_EQ(f.Find("ids")->data.data(), f.Find("a.f16")->data.data() + 12);
  EXPECT_EQ(f.Find("m.bf16")->data.data(), f.Find("ids")->data.data() + 32);
  // The data buffer starts 8-byte aligned.
  const auto* base = f.Find("a.f16")->data.data();
  EXPECT_EQ(reinterpret_cast<uintptr_t>(base) % 8, 0u);
}

TEST(SafetensorsWriteTest, ReplacesAnExistingFileAndLeavesNoTemporaries) {
  TempDir dir;
  const std::vector<float> one = {1.0f};
  const std::vector<float> two = {2.0f, 3.0f};
  ASSERT_OK(WriteSafetensors(dir.File("m"), {TensorToWrite::Floats("x", {1}, one)}));
  ASSERT_OK(WriteSafetensors(dir.File("m"), {TensorToWrite::Floats("x", {2}, two)}));
  auto file = SafetensorsFile::Open(dir.File("m"));
  ASSERT_OK(file);
  EXPECT_THAT(*(*file)->ReadFloat32("x"), ElementsAre(2.0f, 3.0f));
  std::vector<std::string> entries;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    entries.push_back(e.path().filename().string());
  }
  EXPECT_THAT(entries, ElementsAre("m"));
  EXPECT_THAT(WriteSafetensors(dir.File("no/such/dir/m"), {}),
              StatusIs(absl::StatusCode::kInternal, "no/such/dir/m"));
}

TEST(SafetensorsWriteTest, RejectsInconsistentTensors) {
  TempDir dir;
  const std::vector<float> three = {1, 2, 3};
  const std::vector<int32_t> ints = {1, 2};
  const std::string path = dir.File("bad");
  using Code = absl::StatusCode;
  EXPECT_THAT(WriteSafetensors(path, {TensorToWrite::Floats("x", {2}, three)}),
              StatusIs(Code::kInvalidArgument, "tensor \"x\": 3 values for a shape of 2"));
  EXPECT_THAT(WriteSafetensors(path, {TensorToWrite::Floats("x", {-3}, three)}),
              StatusIs(Code::kInvalidArgument, "negative dimension"));
  EXPECT_THAT(WriteSafetensors(path, {TensorToWrite::Floats("x", {3}, three, Dtype::kI32)}),
              StatusIs(Code::kInvalidArgument, "cannot be stored as I32"));
  EXPECT_THAT(WriteSafetensors(path, {TensorToWrite::Bytes("x", Dtype::kI64, {2},
                                                           std::as_bytes(std::span(ints)))}),
              StatusIs(Code::kInvalidArgument, "8 bytes for 2 elements of I64"));
  EXPECT_THAT(WriteSafetensors(path, {TensorToWrite::Floats("x", {3}, three),
                                      TensorToWrite::Floats("x", {3}, three)}),
              StatusIs(Code::kInvalidArgument, "\"x\" given twice"));
  EXPECT_THAT(WriteSafetensors(path, {TensorToWrite::Floats("__metadata__", {3}, three)}),
              StatusIs(Code::kInvalidArgument, "invalid tensor name"));
  EXPECT_THAT(WriteSafetensors(path, {}, {{"k", "\xff"}}),
              StatusIs(Code::kInvalidArgument, "not valid UTF-8"));
  EXPECT_FALSE(SafetensorsFile::Open(path).ok());  // nothing was written
}

}  // namespace
}  // namespace souk::model
