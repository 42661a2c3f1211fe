#include "souk/base/ascii.h"

namespace souk {

std::string AsciiLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = AsciiToLower(c);
  return lower;
}

}  // namespace souk
