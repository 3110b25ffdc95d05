// src/app/worker.cpp — see worker.hpp. The rules (order, routing, quiet hours, suppression,
// retries, parts) are the messaging engine's; this file only moves messages between the store
// and the channels.
#include "app/worker.hpp"

#include "app/bounces.hpp"
#include "messaging/bounce.hpp"

#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "app/commands.hpp"
#include "app/process_setup.hpp"
#include "booking/booking.hpp"
#include "channels/line.hpp"
#include "common/crypto.hpp"
#include "messaging/delivery.hpp"
#include "messaging/links.hpp"
#include "messaging/templates.hpp"
#include "store/line/line.hpp"
#include "store/outbox/delivery.hpp"
#include "store/outbox/links.hpp"
#include "store/outbox/send_buckets.hpp"
#include "web/hooks/sms_hooks.hpp"
#include "web/jobs/job_runner.hpp"
#include "web/links/short_links.hpp"
#include "web/web_app.hpp"

namespace madoguchi::app {
namespace {

using messaging::Decision;
using Kind = store::AttemptOutcome::Kind;

std::string DefaultWorkerName() {
  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}

// The rates, drawn from the buckets every worker on the database shares; one per process, shared
// by its sending threads.
struct SharedPacer {
  SharedPacer(store::Database& db, const messaging::PacingLimits& limits) : buckets(db), pacer(limits, buckets) {}
  Result<int64_t> Admit(messaging::Delivery d, const std::string& tenant, messaging::Purpose p, int64_t now) {
    std::lock_guard<std::mutex> hold(mu);
    return pacer.Admit(d, tenant, p, now);
  }
  std::mutex mu;
  store::SqlBuckets buckets;
  messaging::Pacer pacer;
};

struct Thread {
  const WorkerOptions& options;
  channels::KannelClient& sms;
  channels::LineClient& line;
  channels::SmtpClient& email;
  SharedPacer& pacer;
  std::mt19937_64 random{std::random_device{}()};
};

store::AttemptOutcome Failed(int64_t id, std::string why) {
  store::AttemptOutcome o;
  o.id = id;
  o.kind = Kind::kFailed;
  o.error = std::move(why);
  return o;
}

}  // namespace

Result<WorkerOptions> ResolveWorkerOptions(WorkerOptions options, const std::string& signing_secret) {
  if (options.name.empty()) options.name = DefaultWorkerName();
  if (options.senders < 1 || options.senders > 64) return InvalidArgumentError("senders", "must be from 1 to 64");
  if (options.batch < 1 || options.batch > 1000) return InvalidArgumentError("batch", "must be from 1 to 1000");
  if (options.lease_sec < 5 || options.lease_sec > 3600) return InvalidArgumentError("lease-sec", "must be from 5 to 3600");
  if (options.job_threads < 0 || options.job_threads > 16) return InvalidArgumentError("job-threads", "must be from 0 to 16");
  if (options.kannel.dlr_url.empty()) {
    if (options.callback_url.empty()) return InvalidArgumentError("callback-url", "is required: where Kannel reports delivery");
    std::string base = options.callback_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    options.kannel.dlr_url = base + "/hooks/sms/dlr?key=" + web::SmsHookKey(signing_secret);
  }
  MADOGUCHI_RETURN_IF_ERROR(channels::ValidateKannelOptions(options.kannel));
  MADOGUCHI_RETURN_IF_ERROR(messaging::ValidatePacingLimits(options.pacing));
  if (!options.smtp.url.empty()) MADOGUCHI_RETURN_IF_ERROR(channels::ValidateSmtpOptions(options.smtp));
  while (!options.public_url.empty() && options.public_url.back() == '/') options.public_url.pop_back();
  options.link_key = web::ShortLinkKey(signing_secret);
  options.bounce_key = messaging::BounceKey(signing_secret);
  if (!options.bounce_domain.empty()) {
    MADOGUCHI_ASSIGN_OR_RETURN(options.bounce_domain, messaging::NormalBounceDomain(options.bounce_domain));
  }
  if (!options.bounce_maildir.empty() && options.bounce_domain.empty()) {
    return InvalidArgumentError("bounce-maildir", "needs --bounce-domain: bounces come back only to the addresses it makes");
  }
  return options;
}

namespace {

// Each claimed message that links to a page gets its short link (the one it has when it is sent
// again): written before anything is sent, so a resident never taps a code that is not stored.
Status AttachLinks(store::Database& db, Thread& t, std::vector<store::ClaimedMessage>& claimed, int64_t now) {
  const WorkerOptions& o = t.options;
  if (o.public_url.empty() || o.link_key.empty()) return Status::Ok();
  std::map<int64_t, store::ClaimedMessage*> wanting;
  std::vector<store::NewShortLink> links;
  for (store::ClaimedMessage& c : claimed) {
    if (auto target = messaging::LinkTargetFor(c.stored.message, now)) {
      wanting[c.stored.id] = &c;
      links.push_back({c.stored.id, c.stored.message.tenant, *target, ""});
    }
  }
  // A code drawn twice (one in 5.7e10 a draw) is drawn again.
  for (int round = 0; round < 3 && !links.empty(); ++round) {
    for (store::NewShortLink& l : links) l.code = messaging::ShortCode(crypto::RandomU64(), o.link_key);
    std::map<int64_t, std::string> codes;
    MADOGUCHI_RETURN_IF_ERROR(store::InTransaction(db, [&](store::Connection& c) -> Status {
      MADOGUCHI_ASSIGN_OR_RETURN(codes, store::LinksForMessages(c, links, now));
      return Status::Ok();
    }));
    std::vector<store::NewShortLink> again;
    for (store::NewShortLink& l : links) {
      auto it = codes.find(l.message_id);
      if (it == codes.end()) again.push_back(std::move(l));
      else wanting[l.message_id]->context.link = messaging::ShortLinkUrl(o.public_url, it->second);
    }
    links = std::move(again);
  }
  if (!links.empty()) return InternalError("no free short code after three draws", "short_link_clash");
  return Status::Ok();
}

Result<int> DeliverOnce(store::Database& db, const Clock& clock, Thread& t, WorkerCounters& counters) {
  const WorkerOptions& o = t.options;
  const int64_t now = clock.NowMs();
  std::vector<store::ClaimedMessage> claimed;
  MADOGUCHI_RETURN_IF_ERROR(store::InTransaction(db, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(int64_t back, store::ReclaimExpiredLeases(c, now));
    counters.reclaimed += back;
    if (back > 0) spdlog::warn("msg=\"leases ran out; messages queued again\" count={}", back);
    MADOGUCHI_ASSIGN_OR_RETURN(claimed, store::ClaimMessages(c, o.name, now, int64_t{o.lease_sec} * 1000, o.batch));
    return Status::Ok();
  }));
  if (claimed.empty()) return 0;
  MADOGUCHI_RETURN_IF_ERROR(AttachLinks(db, t, claimed, now));

  // What the batch needs from the store, read once: tenants' settings and LINE tokens, then (once
  // each message is routed) which addresses are suppressed.
  std::map<std::string, messaging::SendingSettings> settings;
  std::map<std::string, std::string> line_tokens;
  for (const store::ClaimedMessage& c : claimed) settings.emplace(c.stored.message.tenant, messaging::SendingSettings{});
  MADOGUCHI_RETURN_IF_ERROR(store::WithConnection(db, [&](store::Connection& c) -> Status {
    for (auto& [tenant, s] : settings) {
      MADOGUCHI_ASSIGN_OR_RETURN(s, store::GetSendingSettings(c, tenant));
      MADOGUCHI_ASSIGN_OR_RETURN(std::optional<store::LineChannel> ch, store::FindLineChannel(c, tenant));
      if (ch) line_tokens[tenant] = ch->access_token;
    }
    return Status::Ok();
  }));
  std::vector<Result<messaging::Route>> routes;
  std::map<std::string, std::vector<std::string>> addresses;
  for (store::ClaimedMessage& c : claimed) {
    const messaging::Message& m = c.stored.message;
    c.context.code_spoken = booking::CodeInGroups(messaging::VariableText(m.variables, "confirmation_code"));
    // Without the tenant's LINE channel nobody is reachable in LINE: the next channel is used.
    if (!line_tokens.count(m.tenant)) c.reach.line_user_id.clear();
    // Likewise by email without an SMTP server or the tenant's sender address.
    if (o.smtp.url.empty() || settings[m.tenant].email_from.empty()) c.reach.email.clear();
    routes.push_back(messaging::ChooseRoute(m.channels, c.reach));
    if (routes.back().ok()) addresses[m.tenant].push_back(routes.back()->address);
  }
  std::map<std::string, std::set<std::string>> suppressed;
  MADOGUCHI_RETURN_IF_ERROR(store::WithConnection(db, [&](store::Connection& c) -> Status {
    for (auto& [tenant, list] : addresses) {
      MADOGUCHI_ASSIGN_OR_RETURN(suppressed[tenant], store::SuppressedAmong(c, tenant, list));
    }
    return Status::Ok();
  }));

  std::vector<store::AttemptOutcome> outcomes;
  outcomes.reserve(claimed.size());
  // A message handed to a channel: its outcome, filled in by `settle` from the channel's answer.
  auto pending = [](int64_t id) {
    store::AttemptOutcome o;
    o.id = id;
    return o;
  };
  auto settle = [&](size_t at, size_t i, const Decision& d, const Status& sent) {
    const store::StoredMessage& s = claimed[i].stored;
    store::AttemptOutcome& out = outcomes[at];
    if (sent.ok()) {
      out.kind = Kind::kSent;
      out.channel = d.route.delivery;
      out.address_used = d.route.address;
      out.parts = d.sms ? d.sms->parts() : 1;
      out.cost_sen = d.cost_sen;
      ++counters.sent;
    } else if (auto retry = messaging::RetryAt(sent, s.attempts + 1, s.message, t.random(), clock.NowMs())) {
      out.kind = Kind::kRetry;
      out.error = sent.key();
      out.next_attempt_at_ms = *retry;
      ++counters.retried;
    } else {
      out = Failed(s.id, sent.key());
      ++counters.failed;
    }
  };
  struct LineSend {
    size_t outcome;  // its place in `outcomes`
    size_t claimed;  // and in `claimed`
    Decision decision;
  };
  std::vector<LineSend> line_sends;
  for (size_t i = 0; i < claimed.size(); ++i) {
    const store::StoredMessage& s = claimed[i].stored;
    const messaging::Message& m = s.message;
    const bool is_suppressed = routes[i].ok() && suppressed[m.tenant].count(routes[i]->address) > 0;
    const int64_t at = clock.NowMs();
    Decision d = messaging::DecideAttempt(m, routes[i], is_suppressed, claimed[i].context, settings[m.tenant], at);
    store::AttemptOutcome out;
    out.id = s.id;
    switch (d.kind) {
      case Decision::Kind::kExpire:
        out.kind = Kind::kExpired;
        ++counters.expired;
        outcomes.push_back(out);
        continue;
      case Decision::Kind::kFail:
        outcomes.push_back(Failed(s.id, d.reason));
        ++counters.failed;
        continue;
      case Decision::Kind::kSuppress:
        out.kind = Kind::kSuppressed;
        out.error = "suppressed";
        ++counters.suppressed;
        outcomes.push_back(out);
        continue;
      case Decision::Kind::kDefer:
        out.kind = Kind::kDeferred;
        out.next_attempt_at_ms = d.not_before_ms;
        ++counters.deferred;
        outcomes.push_back(out);
        continue;
      case Decision::Kind::kSend: break;
    }
    // Over a rate (the channel's, or the tenant's for a campaign): queued again for its slot. When
    // the shared rates cannot be read, nothing is sent: it is tried again in a second.
    Result<int64_t> slot = t.pacer.Admit(d.route.delivery, m.tenant, m.purpose, clock.NowMs());
    if (!slot.ok()) spdlog::error("msg=\"send rates unreadable; message held\" id={} error=\"{}\"", s.id, slot.status().ToString());
    if (!slot.ok() || *slot > 0) {
      out.kind = Kind::kDeferred;
      out.next_attempt_at_ms = slot.ok() ? *slot : clock.NowMs() + 1000;
      ++counters.paced;
      outcomes.push_back(out);
      continue;
    }
    if (d.route.delivery == messaging::Delivery::kLine) {
      // LINE messages wait for the end of the batch, to go out together (multicast).
      outcomes.push_back(pending(s.id));
      if (line_tokens.count(m.tenant)) {
        line_sends.push_back({outcomes.size() - 1, i, d});
      } else {
        settle(outcomes.size() - 1, i, d, FailedPreconditionError("the tenant has no LINE channel", "line_not_configured"));
      }
      continue;
    }
    Status sent;
    if (d.route.delivery == messaging::Delivery::kSms) {
      sent = t.sms.Send({s.id, d.route.address, settings[m.tenant].sms_sender, *d.sms});
    } else if (d.route.delivery == messaging::Delivery::kEmail) {
      const messaging::SendingSettings& from = settings[m.tenant];
      channels::Email e{s.id, from.email_from, from.email_from_name, d.route.address, d.subject, d.text, {}};
      if (!o.bounce_domain.empty()) e.envelope_from = messaging::BounceAddress(s.id, o.bounce_key, o.bounce_domain);
      sent = t.email.Send(e, clock.NowMs());
    } else {
      sent = FailedPreconditionError("no sender for this channel yet", "channel_not_configured");
    }
    outcomes.push_back(pending(s.id));
    settle(outcomes.size() - 1, i, d, sent);
  }
  // LINE: one tenant's messages with the same text go in one multicast (up to 500 users a call);
  // a message alone is a push. The retry key is the group's (its message ids), so an answer
  // lost and the same claim sent again is delivered once. When LINE refuses a multicast (one id
  // it does not know refuses the whole call), each is pushed alone, so only that one fails.
  // Grouped by the template too: its buttons go with the text.
  std::vector<std::pair<std::string, std::string>> keys;
  for (const LineSend& l : line_sends) {
    const messaging::Message& m = claimed[l.claimed].stored.message;
    keys.push_back({m.tenant, m.template_key + '\x1f' + l.decision.text});
  }
  for (const std::vector<size_t>& group : messaging::GroupForMulticast(keys)) {
    const LineSend& first = line_sends[group.front()];
    const messaging::Message& fm = claimed[first.claimed].stored.message;
    const std::string& token = line_tokens.at(fm.tenant);
    std::vector<channels::LineMessage> text = {channels::LineMessage{first.decision.text, {}}};
    for (const messaging::ReplyButton& b : messaging::ReplyButtonsFor(fm.template_key)) {
      text[0].quick_replies.push_back({b.label, "", "", b.text});
    }
    auto push = [&](const LineSend& l) {
      const messaging::Message& m = claimed[l.claimed].stored.message;
      settle(l.outcome, l.claimed, l.decision,
             t.line.Push(token, l.decision.route.address, text, channels::LineRetryKey(m.tenant + ":" + m.dedupe_key)));
    };
    if (group.size() == 1) {
      push(first);
      continue;
    }
    std::vector<std::string> users;
    std::string ids = fm.tenant + ":multicast";
    for (size_t g : group) {
      users.push_back(line_sends[g].decision.route.address);
      ids += ":" + std::to_string(claimed[line_sends[g].claimed].stored.id);
    }
    const Status sent = t.line.Multicast(token, users, text, channels::LineRetryKey(ids));
    ++counters.line_multicasts;
    if (sent.key() == "line_refused") {
      for (size_t g : group) push(line_sends[g]);
      continue;
    }
    for (size_t g : group) settle(line_sends[g].outcome, line_sends[g].claimed, line_sends[g].decision, sent);
  }
  MADOGUCHI_RETURN_IF_ERROR(store::InTransaction(db, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(int64_t lost, store::RecordOutcomes(c, o.name, outcomes, clock.NowMs()));
    if (lost > 0) spdlog::warn("msg=\"outcomes for messages whose lease ran out\" count={}", lost);
    counters.lost_leases += lost;
    return Status::Ok();
  }));
  return static_cast<int>(claimed.size());
}

}  // namespace

Result<int> DeliverBatch(store::Database& db, const Clock& clock, const WorkerOptions& options, channels::KannelClient& sms,
                         WorkerCounters& counters) {
  channels::LineClient line(channels::LineClientOptions{options.line_api_base});
  channels::SmtpClient email(options.smtp);
  SharedPacer pacer(db, options.pacing);
  Thread t{options, sms, line, email, pacer};
  return DeliverOnce(db, clock, t, counters);
}

Status RunWorker(store::Database& db, const Clock& clock, const WorkerOptions& options, const std::string& signing_secret,
                 std::atomic<bool>& stop, WorkerCounters& counters) {
  MADOGUCHI_ASSIGN_OR_RETURN(WorkerOptions o, ResolveWorkerOptions(options, signing_secret));
  spdlog::info("msg=\"worker started\" name={} senders={} batch={} kannel={} email={}", o.name, o.senders, o.batch, o.kannel.sendsms_url,
               o.smtp.url.empty() ? "off" : "smtp");
  std::vector<std::thread> threads;
  SharedPacer pacer(db, o.pacing);
  for (int i = 0; i < o.senders; ++i) {
    threads.emplace_back([&db, &clock, &o, &stop, &counters, &pacer] {
      channels::KannelClient sms(o.kannel);
      channels::LineClient line(channels::LineClientOptions{o.line_api_base});
      channels::SmtpClient email(o.smtp);
      Thread t{o, sms, line, email, pacer};
      while (!stop) {
        Result<int> n = DeliverOnce(db, clock, t, counters);
        if (!n.ok()) spdlog::error("msg=\"delivery pass failed\" error=\"{}\"", n.status().ToString());
        if (!n.ok() || *n == 0) {
          for (int waited = 0; waited < o.poll_ms && !stop; waited += 20) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
      }
    });
  }
  std::thread bounces([&db, &clock, &o, &stop] {
    if (!o.bounce_maildir.empty()) RunBounceScans(db, clock, o.bounce_key, o.bounce_maildir, std::chrono::seconds(10), stop);
  });
  for (std::thread& t : threads) t.join();
  bounces.join();
  spdlog::info(
      "msg=\"worker stopped\" sent={} retried={} deferred={} paced={} failed={} expired={} suppressed={} reclaimed={} lost_leases={} "
      "line_multicasts={}",
      counters.sent.load(), counters.retried.load(), counters.deferred.load(), counters.paced.load(), counters.failed.load(),
      counters.expired.load(), counters.suppressed.load(), counters.reclaimed.load(), counters.lost_leases.load(),
      counters.line_multicasts.load());
  return Status::Ok();
}

void RunJobThreads(store::Database& db, const Clock& clock, const std::string& name, int threads, std::atomic<bool>& stop) {
  // Unique among every process on the database: a lease is held by its runner's name.
  const std::string base = name.empty() ? DefaultWorkerName() : name;
  std::vector<std::thread> running;
  for (int i = 0; i < threads; ++i) {
    running.emplace_back([&db, &clock, &stop, runner = base + "/job" + std::to_string(i)] {
      while (!stop) {
        Result<bool> ran = web::RunNextJob(db, clock, runner);
        if (!ran.ok()) spdlog::error("msg=\"job pass failed\" error=\"{}\"", ran.status().ToString());
        if (!ran.ok() || !*ran) {
          for (int waited = 0; waited < 500 && !stop; waited += 20) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
      }
    });
  }
  for (std::thread& t : running) t.join();
}

int Worker(const std::string& db_url, WorkerOptions options) {
  SetUpLogging();
  const sigset_t stop_signals = BlockStopSignals();
  if (!crypto::InitCrypto()) return kExitFailure;
  store::OpenOptions db_options;
  db_options.max_connections = options.senders * 2 + 2;
  auto db = store::OpenDatabase(db_url, db_options);
  if (!db.ok()) {
    spdlog::error("msg=\"cannot open database\" error=\"{}\"", db.status().ToString());
    return db.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  auto secret = web::LoadSigningSecret(**db, SystemClock());
  if (!secret.ok()) {
    spdlog::error("msg=\"cannot load the signing secret (run serve or migrate first)\" error=\"{}\"", secret.status().ToString());
    return kExitFailure;
  }
  if (auto resolved = ResolveWorkerOptions(options, *secret); !resolved.ok()) {
    std::fprintf(stderr, "madoguchi: --%s: %s\n", resolved.status().field().c_str(), resolved.status().message().c_str());
    return kExitUsage;
  }
  std::atomic<bool> stop{false};
  std::thread waiter([&stop, stop_signals] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    spdlog::info("msg=\"stopping\" signal={}", sig);
    stop = true;
  });
  WorkerCounters counters;
  std::thread jobs([&db, &stop, &options] { RunJobThreads(**db, SystemClock(), options.name, options.job_threads, stop); });
  std::thread rounds([&db, &stop, s = *secret] { RunCareRounds(**db, SystemClock(), s, std::chrono::seconds(30), stop); });
  Status s = RunWorker(**db, SystemClock(), options, *secret, stop, counters);
  stop = true;
  jobs.join();
  rounds.join();
  if (!stop) pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  (*db)->CloseIdle();
  return s.ok() ? kExitOk : kExitFailure;
}

}  // namespace madoguchi::app
