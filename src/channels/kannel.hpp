// src/channels/kannel.hpp — SMS through Kannel's smsbox (the sendsms HTTP interface). Each part of
// a concatenated message is submitted on its own with its UDH (so no part cuts a character in
// two: messaging::SplitSms decides the parts), and asks Kannel for delivery reports at our
// dlr-url with the message id, the part and the part count in it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

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

// Kannel's own view of itself: bearerbox's admin status (status.xml), for the status page.
struct KannelSmscStatus {
  std::string id;      // the smsc's id in kannel.conf ("mt")
  std::string status;  // "online 120s", "connecting", "re-connecting", "disconnected", "dead"
  int64_t queued = 0;  // messages waiting in Kannel for this link
  int64_t failed = 0;
  bool online() const { return status.rfind("online", 0) == 0; }
};
struct KannelStatus {
  std::string state;  // "running", "suspended", "isolated", "full", "shutdown"
  int64_t uptime_s = 0;
  int64_t sms_sent_queued = 0;  // messages bearerbox holds to send
  int64_t store_size = 0;       // messages in its store (spool)
  int64_t dlr_queued = 0;       // delivery reports it holds for smsbox
  std::vector<KannelSmscStatus> smscs;
};
// Reads status.xml. Errors: kUnavailable "sms_gateway_status" for a document without <gateway>
// and <status> (not Kannel's).
Result<KannelStatus> ParseKannelStatus(std::string_view xml);

// Asks bearerbox's admin port (loopback; "http://127.0.0.1:13000") for status.xml with the admin
// password, within `timeout_ms`. Errors: kUnavailable "sms_gateway_down" when it does not
// answer, "sms_gateway_status" when its answer is not a status (a wrong password: 403).
Result<KannelStatus> FetchKannelStatus(const std::string& admin_url, const std::string& password, int timeout_ms = 1000);

}  // namespace madoguchi::channels
