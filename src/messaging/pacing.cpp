// src/messaging/pacing.cpp — see pacing.hpp.
#include "messaging/pacing.hpp"

#include <algorithm>
#include <cmath>

namespace madoguchi::messaging {

void TokenBucket::Refill(int64_t now_ms) {
  if (last_ms_ == 0 || now_ms < last_ms_) last_ms_ = now_ms;
  tokens_ = std::min(burst_, tokens_ + rate_ * static_cast<double>(now_ms - last_ms_) / 1000.0);
  last_ms_ = now_ms;
}

bool TokenBucket::TryTake(int64_t now_ms) {
  Refill(now_ms);
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

int64_t TokenBucket::NextAt(int64_t now_ms) {
  Refill(now_ms);
  if (tokens_ >= 1.0) return now_ms;
  return now_ms + static_cast<int64_t>(std::ceil((1.0 - tokens_) * 1000.0 / rate_));
}

int64_t TokenBucket::WaitSlot(int64_t now_ms) {
  const int64_t step = static_cast<int64_t>(std::ceil(1000.0 / rate_));
  last_slot_ms_ = std::max(NextAt(now_ms), last_slot_ms_ + step);
  return last_slot_ms_;
}

Status ValidatePacingLimits(const PacingLimits& l) {
  const std::pair<const char*, double> rates[] = {{"sms-per-second", l.sms_per_second},
                                                  {"email-per-second", l.email_per_second},
                                                  {"line-per-second", l.line_per_second},
                                                  {"tenant-campaign-per-second", l.tenant_campaign_per_second}};
  for (const auto& [field, rate] : rates) {
    if (!(rate >= 0 && rate <= 100'000)) return InvalidArgumentError(field, "must be from 0 (no limit) to 100000 a second");
  }
  return Status::Ok();
}

TokenBucket* Pacer::Bucket(std::map<std::string, TokenBucket>& in, const std::string& key, double per_second) {
  if (per_second <= 0) return nullptr;
  // A second's worth at once (at least one message): a burst never outruns the account by more.
  return &in.try_emplace(key, per_second, std::max(1.0, per_second)).first->second;
}

int64_t Pacer::Admit(Delivery channel, const std::string& tenant, Purpose purpose, int64_t now_ms) {
  const double channel_rate = channel == Delivery::kSms     ? limits_.sms_per_second
                              : channel == Delivery::kEmail ? limits_.email_per_second
                              : channel == Delivery::kLine  ? limits_.line_per_second
                                                            : 0;
  TokenBucket* by_channel = Bucket(channels_, std::string(DeliveryName(channel)), channel_rate);
  TokenBucket* by_tenant = purpose == Purpose::kCampaign ? Bucket(tenants_, tenant, limits_.tenant_campaign_per_second) : nullptr;
  // Both must have a token before either is taken; a message held back waits for a slot of each
  // bucket that held it.
  const bool channel_waits = by_channel && by_channel->NextAt(now_ms) > now_ms;
  const bool tenant_waits = by_tenant && by_tenant->NextAt(now_ms) > now_ms;
  if (channel_waits || tenant_waits) {
    return std::max(channel_waits ? by_channel->WaitSlot(now_ms) : now_ms, tenant_waits ? by_tenant->WaitSlot(now_ms) : now_ms);
  }
  if (by_channel) by_channel->TryTake(now_ms);
  if (by_tenant) by_tenant->TryTake(now_ms);
  return 0;
}

}  // namespace madoguchi::messaging
