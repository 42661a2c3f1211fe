// Raw vocabulary tables of the demo shop (demo_shop_vocabulary_data.cc), parsed into a
// Vocabulary by demo_shop_vocabulary.cc.
//
// Mini syntax of the strings: "English|中文" is one phrase in both languages (without '|' both
// are the same); ';' separates phrases; nouns are "en1,en2|zh1,zh2" with the title noun first.
// Static constant data; thread-safe.
#pragma once

#include <cstddef>

namespace souk::eval::demo_shop_internal {

struct AttributeRow {
  const char* id;      ///< Unique table id.
  const char* key;     ///< Catalog attribute name (several ids may share one key).
  const char* values;  ///< "White|白色;Black|黑色".
  double price_step;   ///< Log-price per value index; 0 for unordered values.
};

struct LabelRow {
  const char* key;    ///< Catalog attribute name.
  const char* label;  ///< "Color|颜色".
};

struct TopRow {
  const char* key;
  const char* name;
  double weight;
  bool has_series;
};

struct MidRow {
  const char* key;  ///< "top/mid".
  const char* name;
};

struct LeafRow {
  const char* key;  ///< "top/mid/leaf".
  const char* name;
  const char* nouns;       ///< "Charger,Wall Charger|充电器,充电头".
  const char* attributes;  ///< Attribute ids, ','-separated.
  const char* features;
  const char* uses;
  double median_price;
  double price_sigma;
  int repurchase_days;
};

template <typename T>
struct Table {
  const T* rows;
  size_t size;
  const T* begin() const { return rows; }
  const T* end() const { return rows + size; }
};

Table<AttributeRow> AttributeRows();
Table<LabelRow> LabelRows();
Table<TopRow> TopRows();
Table<MidRow> MidRows();
Table<LeafRow> LeafRows();

}  // namespace souk::eval::demo_shop_internal
