// src/store/care/photo_files.cpp — see photo_files.hpp.
#include "store/care/photo_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/crypto.hpp"

namespace madoguchi::store {
namespace {

bool IsRef(const std::string& ref) { return ref.size() == 64 && ref.find_first_not_of("0123456789abcdef") == std::string::npos; }

bool IsTenant(const std::string& tenant) { return tenant.size() == 6 && tenant.find_first_not_of("0123456789") == std::string::npos; }

// mkdir -p with 0700 for what it makes.
Status MakeDirs(const std::string& path) {
  for (size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos != path.size() && path[pos] != '/') continue;
    const std::string part = path.substr(0, pos);
    if (::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) {
      return UnavailableError("cannot make the photo folder " + part + ": " + std::strerror(errno), "photo_store_unwritable");
    }
  }
  return Status::Ok();
}

std::string Dir(const std::string& path) { return path.substr(0, path.rfind('/')); }

}  // namespace

std::string PhotoFiles::PathOf(const std::string& tenant, care::PhotoKind kind, const std::string& ref) const {
  if (root_.empty() || !IsRef(ref) || !IsTenant(tenant)) return "";
  return root_ + "/" + tenant + "/" + std::string(care::PhotoKindName(kind)) + "/" + ref.substr(0, 2) + "/" + ref + ".jpg";
}

Result<std::string> PhotoFiles::Write(const std::string& tenant, care::PhotoKind kind, const std::string& jpeg) const {
  if (root_.empty()) return UnavailableError("no folder is set for residents' photos (serve --files)", "photo_store_unset");
  const std::string ref = crypto::Sha256Hex(jpeg);
  const std::string path = PathOf(tenant, kind, ref);
  if (path.empty()) return InvalidArgumentError("tenant", "is not a tenant code");
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && static_cast<size_t>(st.st_size) == jpeg.size()) return ref;  // kept already
  MADOGUCHI_RETURN_IF_ERROR(MakeDirs(Dir(path)));
  const std::string tmp = path + ".tmp." + crypto::RandomToken(8);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return UnavailableError("cannot write a photo: " + std::string(std::strerror(errno)), "photo_store_unwritable");
  size_t done = 0;
  while (done < jpeg.size()) {
    const ssize_t n = ::write(fd, jpeg.data() + done, jpeg.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return UnavailableError("cannot write a photo: " + std::string(std::strerror(err)), "photo_store_unwritable");
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return UnavailableError("cannot flush a photo to disk", "photo_store_unwritable");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return UnavailableError("cannot keep a photo: " + std::string(std::strerror(errno)), "photo_store_unwritable");
  }
  // The rename is durable once the folder is flushed.
  if (const int dfd = ::open(Dir(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return ref;
}

Result<std::string> PhotoFiles::Read(const std::string& tenant, care::PhotoKind kind, const std::string& ref) const {
  const std::string path = PathOf(tenant, kind, ref);
  if (path.empty()) return NotFoundError("no such photo", "photo_not_found");
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return NotFoundError("the photo is no longer kept", "photo_not_found");
    return UnavailableError("cannot read a photo: " + std::string(std::strerror(errno)), "photo_store_unreadable");
  }
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return UnavailableError("cannot read a photo", "photo_store_unreadable");
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Status PhotoFiles::Remove(const std::string& tenant, care::PhotoKind kind, const std::string& ref) const {
  const std::string path = PathOf(tenant, kind, ref);
  if (path.empty()) return Status::Ok();
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return UnavailableError("cannot delete a photo: " + std::string(std::strerror(errno)), "photo_store_unwritable");
  }
  return Status::Ok();
}

}  // namespace madoguchi::store
