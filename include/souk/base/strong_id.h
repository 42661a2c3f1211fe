// StrongId: an integer id that cannot be mixed up with another kind of id or with a count.
//
//   using DocId = StrongId<struct DocIdTag, uint32_t>;
//
// Trivially copyable, ordered and hashable (absl and std). The raw value is explicit: .value().
#pragma once

#include <compare>
#include <cstddef>
#include <functional>

namespace souk {

template <typename Tag, typename T>
class StrongId {
 public:
  using ValueType = T;
  constexpr StrongId() = default;
  constexpr explicit StrongId(T value) : value_(value) {}
  constexpr T value() const { return value_; }
  constexpr auto operator<=>(const StrongId&) const = default;

  template <typename H>
  friend H AbslHashValue(H h, StrongId id) {
    return H::combine(std::move(h), id.value_);
  }

 private:
  T value_{};
};

}  // namespace souk

template <typename Tag, typename T>
struct std::hash<souk::StrongId<Tag, T>> {
  size_t operator()(souk::StrongId<Tag, T> id) const noexcept { return std::hash<T>{}(id.value()); }
};
