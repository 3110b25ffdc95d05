// src/channels/smtp.hpp — email over SMTP with libcurl: a MIME message composed here (UTF-8 text
// and HTML parts, base64, RFC 2047 headers), handed to the tenant's relay or the aggregator's
// SMTP server with STARTTLS or SMTPS and a login when configured.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/status.hpp"

namespace madoguchi::channels {

struct SmtpOptions {
  std::string url;                 // "smtp://relay.example.jp:587" or "smtps://…:465"; empty: no email is sent
  std::string username, password;  // both empty: no login
  bool require_tls = false;        // smtp://: refuse to send unless STARTTLS succeeds
  int timeout_ms = 10000;
};

// An smtp:// or smtps:// URL with a host; a username needs a password. kInvalidArgument on
// "smtp-url" or "smtp-user".
Status ValidateSmtpOptions(const SmtpOptions& o);

struct Email {
  int64_t message_id = 0;  // the outbox id, in the Message-ID header
  std::string from, from_name;
  std::string to;
  std::string subject;
  std::string text;           // plain text; the HTML part is made from it (line breaks kept, links linked)
  std::string envelope_from;  // MAIL FROM, where bounces go (a VERP address); empty: `from`
};

// The whole message as sent (headers and body, CRLF line ends), dated `now_ms`.
std::string ComposeEmail(const Email& e, int64_t now_ms);

// One connection per send; not for use by two threads at once (a worker thread owns one each).
class SmtpClient {
 public:
  explicit SmtpClient(SmtpOptions options);
  ~SmtpClient();
  // Errors: kUnavailable "email_unavailable" when the server does not answer, refuses the login,
  // or answers 4xx (try again later); kInvalidArgument "email_rejected" when it answers 5xx for
  // the recipient or the message (an unknown mailbox: not retried); kFailedPrecondition
  // "email_not_configured" without a URL.
  Status Send(const Email& e, int64_t now_ms);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace madoguchi::channels
