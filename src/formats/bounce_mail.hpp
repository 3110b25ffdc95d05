// src/formats/bounce_mail.hpp — a message that came back to a bounce address, read with GMime:
// the addresses it was delivered to (where our envelope sender comes back: To, Delivered-To,
// X-Original-To, Envelope-To, X-RcptTo, the report's X-Postfix-Sender) and, when it is a delivery
// status notification (RFC 3464: a multipart/report whose message/delivery-status part lists
// each recipient), every recipient's Action and Status. What they mean is messaging::ClassifyBounce's.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "messaging/bounce.hpp"

namespace madoguchi::formats {

struct BounceMail {
  std::vector<std::string> addressed_to;               // each address once, as written
  bool is_report = false;                              // a message/delivery-status part was found
  std::vector<messaging::RecipientStatus> recipients;  // in the report's order
};

// Errors: kInvalidArgument "not_a_message" on "message" when the bytes are not a mail message
// (no header at all), or are over 10 MiB.
Result<BounceMail> ReadBounceMail(std::string_view raw);

}  // namespace madoguchi::formats
