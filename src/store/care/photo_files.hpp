// src/store/care/photo_files.hpp — the photos residents send, kept as files outside the database:
// <root>/<tenant>/<kind>/<first two hex>/<sha256>.jpg, each file 0600 and each folder 0700, named
// by the content hash of the cleaned JPEG (the same photo twice is one file). ID photos live in
// their own folder ("id"), apart from kit photos ("kit"). A file is written to a temporary name,
// flushed to disk and renamed, so a reader never sees half a photo. Several server processes
// share one root (a shared volume) the way they share one database.
#pragma once

#include <string>

#include "care/application.hpp"
#include "common/status.hpp"

namespace madoguchi::store {

class PhotoFiles {
 public:
  // `root` is made (0700) on first write; an empty root keeps nothing (kUnavailable
  // "photo_store_unset"), never a folder of the process's choosing.
  explicit PhotoFiles(std::string root) : root_(std::move(root)) {}
  const std::string& root() const { return root_; }

  // Keeps `jpeg` and returns its reference (the SHA-256 of the bytes, 64 hex digits). Errors:
  // kUnavailable when the folder or file cannot be written (disk full, permissions).
  Result<std::string> Write(const std::string& tenant, care::PhotoKind kind, const std::string& jpeg) const;
  // The bytes of a kept photo. Errors: kNotFound "photo_not_found" (deleted, or a reference that is
  // not 64 hex digits); kUnavailable when it cannot be read.
  Result<std::string> Read(const std::string& tenant, care::PhotoKind kind, const std::string& ref) const;
  // Deletes it; a file already gone is fine. Errors: kUnavailable.
  Status Remove(const std::string& tenant, care::PhotoKind kind, const std::string& ref) const;
  // The file's path (for tests and the operator checking a disk), or "" for a malformed reference.
  std::string PathOf(const std::string& tenant, care::PhotoKind kind, const std::string& ref) const;

 private:
  std::string root_;
};

}  // namespace madoguchi::store
