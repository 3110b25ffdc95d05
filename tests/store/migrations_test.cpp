// The migrations are numbered .sql files compiled into the binary: the set that ships reads
// cleanly, and a set with a gap, a repeat or a stray file is refused before any database is touched.
#include "store/internal/migration_files.hpp"

#include <gtest/gtest.h>

#include "support/status_matchers.hpp"

namespace madoguchi::store::internal {
namespace {

using testing::StatusIs;

TEST(MigrationFilesTest, TheCompiledInSetReadsInOrderWithBackendFilesBesideTheirMigration) {
  auto migrations = ReadMigrations(EmbeddedMigrationFiles());
  ASSERT_TRUE(migrations.ok()) << migrations.status().ToString();
  ASSERT_GE(migrations->size(), 6u);
  for (size_t i = 0; i < migrations->size(); ++i) {
    EXPECT_EQ((*migrations)[i].version, static_cast<int>(i) + 1);
    EXPECT_FALSE((*migrations)[i].name.empty());
  }
  const Migration& first = migrations->front();
  EXPECT_EQ(first.name, "tenants, staff accounts, sessions, API tokens, login throttling, audit log");
  ASSERT_TRUE(first.sqlite_sql && first.postgres_sql);
  EXPECT_NE(first.sqlite_sql->find("RAISE(ABORT"), std::string_view::npos);
  EXPECT_NE(first.postgres_sql->find("plpgsql"), std::string_view::npos);
  EXPECT_FALSE((*migrations)[1].sqlite_sql.has_value());
}

TEST(MigrationFilesTest, FilesCanComeInAnyOrder) {
  const SqlFile files[] = {
      {"0002_b.sql", "-- two\nSELECT 2;"}, {"0001_a.postgres.sql", "SELECT 'pg';"}, {"0001_a.sql", "-- one\nSELECT 1;"}};
  auto m = ReadMigrations(files);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ((*m)[0].name, "one");
  EXPECT_EQ(*(*m)[0].postgres_sql, "SELECT 'pg';");
  EXPECT_EQ((*m)[1].name, "two");
}

TEST(MigrationFilesTest, ABadSetIsRefusedNamingTheFile) {
  auto refused = [](std::initializer_list<SqlFile> files) {
    auto m = ReadMigrations(std::span<const SqlFile>(files.begin(), files.size()));
    return m.ok() ? Status::Ok() : m.status();
  };
  EXPECT_THAT(refused({{"0001_a.sql", "-- one\n"}, {"0003_c.sql", "-- three\n"}}), StatusIs(StatusCode::kInternal, "bad_migration_files"));
  EXPECT_NE(refused({{"0001_a.sql", "-- one\n"}, {"0003_c.sql", "-- three\n"}}).message().find("0003_c.sql"), std::string::npos);
  EXPECT_NE(refused({{"0001_a.sql", "-- one\n"}, {"0001_b.sql", "-- again\n"}}).message().find("twice"), std::string::npos);
  EXPECT_NE(refused({{"0001_a.sql", "-- one\n"}, {"0001_x.sqlite.sql", ""}}).message().find("0001_x.sqlite.sql"), std::string::npos);
  EXPECT_NE(refused({{"1_a.sql", "-- one\n"}}).message().find("NNNN_words.sql"), std::string::npos);
  EXPECT_NE(refused({{"0001_a.sql", "CREATE TABLE t (x INT);\n"}}).message().find("first line"), std::string::npos);
  EXPECT_NE(refused({{"0001_a.sql", "-- one\n"}, {"0001_a.sqlite.sql", ""}, {"0001_a.sqlite.sql", ""}}).message().find("second"),
            std::string::npos);
  EXPECT_THAT(refused({}), StatusIs(StatusCode::kInternal, "bad_migration_files"));
}

}  // namespace
}  // namespace madoguchi::store::internal
