#include "common/password_dictionary.hpp"

#include <crack.h>
#include <stddef.h>  // crack.h uses size_t without including it

#include <mutex>
#include <string>

namespace madoguchi::crypto {

Status CheckNotCommonPassword(std::string_view password, std::string_view login, std::string_view field) {
  // cracklib keeps its dictionary in static state: one check at a time.
  static std::mutex mu;
  const std::string pw(password), user(login);
  std::lock_guard lock(mu);
  // FascistCheck() would test against the server's own Unix account; the staff login is the one.
  const char* reason = FascistCheckUser(pw.c_str(), GetDefaultCracklibDict(), user.c_str(), nullptr);
  if (reason == nullptr) return Status::Ok();
  const std::string why(reason);
  if (why.find("dictionary") != std::string::npos && why.find("error") != std::string::npos) {
    return UnavailableError("the password dictionary (cracklib-runtime) cannot be read: " + why);
  }
  return InvalidArgumentError(std::string(field), "is too easy to guess (" + why + ")", "common_password");
}

}  // namespace madoguchi::crypto
