// src/channels/kannel.hpp — SMS through Kannel's smsbox (the sendsms HTTP interface). Each part of
// a concatenated message is submitted on its own with its UDH (so no part cuts a character in
// two: messaging::SplitSms decides the parts), and asks Kannel for delivery reports at our
// dlr-url with the message id, the part and the part count in it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/status.hpp"
#include "messaging/sms.hpp"

namespace madoguchi::channels {

struct KannelOptions {
  std::string sendsms_url;  // "http://127.0.0.1:13013/cgi-bin/sendsms"
  std::string username, password;
  // Where Kannel reports delivery: our endpoint with its secret ("http://host/hooks/sms/dlr?key=…");
  // "&id=…&part=…&of=…&type=%d" is added per part.
  std::string dlr_url;
  std::string smsc_id;  // route to this SMSC; empty: Kannel's routing
  int timeout_ms = 5000;
};

// Validates the options: an http:// sendsms URL with a host and path, a user, a dlr-url.
// kInvalidArgument naming the option.
Status ValidateKannelOptions(const KannelOptions& o);

struct SmsSubmission {
  int64_t message_id = 0;
  std::string to;    // E.164
  std::string from;  // the sender id
  messaging::SmsParts parts;
};

// One connection to smsbox, kept alive; not for use by two threads at once (a worker thread
// owns one each).
class KannelClient {
 public:
  explicit KannelClient(KannelOptions options);
  ~KannelClient();
  // Submits every part. Errors: kUnavailable "sms_gateway_unavailable" when smsbox does not
  // answer or answers 5xx (try again later; parts already taken may be sent twice), and
  // "sms_gateway_refused" for 403 (credentials: the operator's to fix; also retried);
  // kInvalidArgument "sms_rejected" when smsbox refuses the message itself (4xx).
  Status Send(const SmsSubmission& s);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace madoguchi::channels
