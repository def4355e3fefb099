// Writing files so that readers never see half of one.
#pragma once

#include <filesystem>
#include <string_view>

#include "base/error.hpp"

namespace ciri {

/// Writes `content` to `path` through a temporary file in the same directory and a rename,
/// so `path` holds either its old content or all of the new one, even with concurrent writers
/// or a crash. Creates missing parent directories. A temporary left by a writer killed
/// before its rename is removed by the next write to `path`. Fails with the path in the message.
Expected<void> write_file_atomic(const std::filesystem::path& path, std::string_view content);

}  // namespace ciri
