// The catalog readers (JSONL and TSV) on arbitrary bytes. The readers promise that what they
// return passes Catalog::Create and reads back equal after writing (product_reader.h): checked
// for every input read. The first byte picks the format (bit 0) and skip_malformed (bit 1).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "souk/catalog/catalog.h"
#include "souk/catalog/product_reader.h"

namespace {

using souk::fuzz::Fail;

constexpr uint8_t kTsv = 1;
constexpr uint8_t kSkipMalformed = 2;

void CheckReadBack(const std::vector<souk::catalog::Product>& products) {
  if (!souk::catalog::Catalog::Create(products).ok()) Fail("read products the catalog refuses");
  std::string jsonl;
  for (const souk::catalog::Product& p : products) {
    jsonl += souk::catalog::ProductToJson(p);
    jsonl += '\n';
  }
  const std::string path = souk::fuzz::WriteScratchFile("again.jsonl", jsonl);
  auto again = souk::catalog::ReadProductsJsonl(path, {});
  if (!again.ok())
    Fail("written products do not read back: " + std::string(again.status().message()));
  if (*again != products) Fail("written products read back different");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  souk::fuzz::QuietLogs();
  souk::fuzz::WriteSeeds(
      *argc, *argv,
      {std::string(1, 0) +
           R"({"id":"p1","title":"Cordless drill","brand":"DeWalt","category":["Tools","Power"],)"
           R"("price":99.5,"stock":3,"attributes":{"color":"red","volts":18},"created":1700000000})"
           "\n"
           R"({"id":"p2","title":"蓝牙耳机","category":"Electronics > Audio","price":"19"})"
           "\n",
       std::string(1, kTsv) + "sku\ttitle\tbrand\tcategory\tprice\tstock\tcolor\n"
                              "p1\tCordless drill\tDeWalt\tTools > Power\t99.5\t3\tred\n"
                              "p2\t蓝牙耳机\t\tElectronics > Audio\t19\t\t\r\n",
       std::string(1, kTsv | kSkipMalformed) + "id\ttitle\np1\tA\np1\tB\n\tC\np3\tD\textra\n"});
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t control = data[0];
  const std::string path = souk::fuzz::WriteScratchFile(
      control & kTsv ? "products.tsv" : "products.jsonl", souk::fuzz::AsText(data + 1, size - 1));
  souk::catalog::ReadOptions options;
  options.skip_malformed = (control & kSkipMalformed) != 0;
  souk::catalog::ReadReport report;
  auto products = souk::catalog::ReadProducts(path, options, &report);
  if (!products.ok()) return 0;
  if (report.products != products->size()) Fail("the report counts other products than read");
  if (report.errors.size() > options.max_reported_errors) Fail("more errors kept than allowed");
  CheckReadBack(*products);
  return 0;
}
