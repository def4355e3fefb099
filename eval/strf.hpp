// printf-style formatting into a std::string (GCC 12 has no <format>).
#pragma once

#include <string>

namespace ciri {

/// `format` filled as printf would, returned as a string.
[[gnu::format(printf, 1, 2)]] std::string strf(const char* format, ...);

}  // namespace ciri
