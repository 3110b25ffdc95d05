// src/messaging/pacing.cpp — see pacing.hpp.
#include "messaging/pacing.hpp"

#include <algorithm>
#include <cmath>

namespace madoguchi::messaging {
namespace {

void Fill(BucketState& s, double per_second, double burst, int64_t now_ms) {
  const int64_t full = static_cast<int64_t>(burst * 1000.0);
  if (!s.exists) {
    s = BucketState{full, now_ms, true};
    return;
  }
  if (now_ms > s.at_ms) {
    const double added = per_second * static_cast<double>(now_ms - s.at_ms);  // thousandths of a token
    s.milli_tokens = std::min<int64_t>(full, s.milli_tokens + static_cast<int64_t>(std::min(added, 1e15)));
    s.at_ms = now_ms;
  }
  // A clock behind the bucket's (another worker's ahead of ours) adds nothing and takes nothing.
}

}  // namespace

bool TakeTokens(BucketState& s, double per_second, double burst, int want, int64_t now_ms) {
  Fill(s, per_second, burst, now_ms);
  if (s.milli_tokens < int64_t{want} * 1000) return false;
  s.milli_tokens -= int64_t{want} * 1000;
  return true;
}

int64_t TokensAt(const BucketState& state, double per_second, double burst, int want, int64_t now_ms) {
  BucketState s = state;
  Fill(s, per_second, burst, now_ms);
  const int64_t missing = int64_t{want} * 1000 - s.milli_tokens;
  if (missing <= 0) return now_ms;
  return std::max(now_ms, s.at_ms) + static_cast<int64_t>(std::ceil(static_cast<double>(missing) / per_second));
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

int Pacer::DrawSize(double per_second) { return std::max(1, static_cast<int>(std::ceil(per_second / 20.0))); }

Result<int64_t> Pacer::Ready(Stock& stock, const std::string& name, double per_second, int64_t now_ms) {
  if (stock.tokens > 0 && now_ms < stock.expires_ms) return now_ms;
  if (now_ms < stock.empty_until_ms) return stock.empty_until_ms;
  // A second's worth at once (at least one message): a burst never outruns the account by more.
  const double burst = std::max(1.0, per_second);
  const int want = DrawSize(per_second);
  bool took = false;
  int64_t next = now_ms;
  MADOGUCHI_RETURN_IF_ERROR(shared_.Draw(name, [&](BucketState& s) {
    took = TakeTokens(s, per_second, burst, want, now_ms);
    if (!took) next = TokensAt(s, per_second, burst, want, now_ms);
  }));
  stock.tokens = took ? want : 0;
  stock.expires_ms = now_ms + kStockLifeMs;
  if (took) return now_ms;
  stock.empty_until_ms = next;
  return next;
}

int64_t Pacer::WaitSlot(Stock& stock, double per_second, int64_t ready_at_ms) {
  const int64_t step = static_cast<int64_t>(std::ceil(1000.0 / per_second));
  stock.last_slot_ms = std::max(ready_at_ms, stock.last_slot_ms + step);
  return stock.last_slot_ms;
}

Result<int64_t> Pacer::Admit(Delivery channel, const std::string& tenant, Purpose purpose, int64_t now_ms) {
  const double channel_rate = channel == Delivery::kSms     ? limits_.sms_per_second
                              : channel == Delivery::kEmail ? limits_.email_per_second
                              : channel == Delivery::kLine  ? limits_.line_per_second
                                                            : 0;
  const double tenant_rate = purpose == Purpose::kCampaign ? limits_.tenant_campaign_per_second : 0;
  const std::string channel_name = "channel:" + std::string(DeliveryName(channel));
  const std::string tenant_name = "campaign:" + tenant;
  Stock* by_channel = channel_rate > 0 ? &stocks_[channel_name] : nullptr;
  Stock* by_tenant = tenant_rate > 0 ? &stocks_[tenant_name] : nullptr;
  // Both must have a token before either is spent; a message held back waits for a slot of each
  // bucket that held it.
  int64_t channel_at = now_ms, tenant_at = now_ms;
  if (by_channel) {
    MADOGUCHI_ASSIGN_OR_RETURN(channel_at, Ready(*by_channel, channel_name, channel_rate, now_ms));
  }
  if (by_tenant) {
    MADOGUCHI_ASSIGN_OR_RETURN(tenant_at, Ready(*by_tenant, tenant_name, tenant_rate, now_ms));
  }
  if (channel_at > now_ms || tenant_at > now_ms) {
    return std::max(channel_at > now_ms ? WaitSlot(*by_channel, channel_rate, channel_at) : now_ms,
                    tenant_at > now_ms ? WaitSlot(*by_tenant, tenant_rate, tenant_at) : now_ms);
  }
  if (by_channel) --by_channel->tokens;
  if (by_tenant) --by_tenant->tokens;
  return int64_t{0};
}

}  // namespace madoguchi::messaging
