// src/messaging/email.hpp — the addresses an email can be sent to, read as people type them on a
// phone (full-width letters from an IME, spaces around), and the sender a tenant writes from.
#pragma once

#include <string>
#include <string_view>

#include "common/status.hpp"

namespace madoguchi::messaging {

// "ｈａｎａｋｏ＠Ｅｘａｍｐｌｅ．ｊｐ " → "hanako@example.jp": full-width ASCII read as ASCII, spaces
// around dropped, the domain in lower case. An address is one local part (1..64 of letters,
// digits and ! # $ % & ' * + - / = ? ^ _ ` { | } ~ and dots, not first, last or doubled), "@",
// and a domain of at least two labels (letters, digits, inner hyphens; 1..63 each), 254 bytes at
// most. Nothing else (no spaces, quotes, line breaks, non-ASCII): what is stored is what is put in
// a mail header. Errors: kInvalidArgument "bad_email" on `field`.
Result<std::string> NormalEmail(std::string_view typed, std::string_view field = "email");

// A display name for the From header: 0..60 characters, no control characters or line breaks.
// Errors: kInvalidArgument "bad_sender_name" on `field`.
Status ValidateSenderName(std::string_view name, std::string_view field = "email_from_name");

}  // namespace madoguchi::messaging
