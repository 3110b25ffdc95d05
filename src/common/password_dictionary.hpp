// src/common/password_dictionary.hpp — is a new password one that guessers try first? Checked
// against cracklib's dictionary (Debian: cracklib-runtime), which catches dictionary words with
// the usual changes (password12, qwertyuiop, iloveyou99), as NIST SP 800-63B asks.
#pragma once

#include <string_view>

#include "common/status.hpp"

namespace madoguchi::crypto {

// kInvalidArgument "common_password" naming `field` when cracklib finds the password too easy to
// guess (its reason in the message); kUnavailable when the dictionary cannot be read (fail
// closed: no password is accepted unchecked). Thread-safe.
// `login` is the account's name (cracklib also refuses passwords built from it).
Status CheckNotCommonPassword(std::string_view password, std::string_view login, std::string_view field = "password");

}  // namespace madoguchi::crypto
