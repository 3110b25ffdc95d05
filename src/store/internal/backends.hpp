// Backend factories; only database.cpp calls them.
#pragma once

#include <memory>
#include <string>

#include "store/database.hpp"

namespace madoguchi::store::internal {

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, const OpenOptions& options);
Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, const OpenOptions& options);

// Rewrites `?` placeholders outside quoted strings to $1, $2, ... for PostgreSQL.
std::string RewritePlaceholders(std::string_view sql);

}  // namespace madoguchi::store::internal
