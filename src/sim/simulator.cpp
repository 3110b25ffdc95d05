// The event loop: first-attempt arrivals and interval boundaries are kept as two "next" times;
// service ends, abandonments and redials live in a binary heap ordered by (time, insertion order).
// Waiting callers are a FIFO deque indexed by caller number, so an abandonment marks its caller
// and the mark is skipped when it reaches the front (no search, no removal from the middle).
#include "sim/simulator.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <string>
#include <thread>

#include "sim/random.hpp"

namespace madoguchi::sim {
namespace {

Status CheckDistribution(const Distribution& d, const std::string& field) {
  switch (d.kind) {
    case DistributionKind::kExponential:
    case DistributionKind::kDeterministic:
    case DistributionKind::kLognormal:
      if (!std::isfinite(d.mean_sec) || d.mean_sec <= 0 || d.mean_sec > 86400 * 7) {
        return InvalidArgumentError(field + ".mean_sec", "must be above 0 and at most a week");
      }
      if (d.kind == DistributionKind::kLognormal && (!std::isfinite(d.cv) || d.cv <= 0 || d.cv > 20)) {
        return InvalidArgumentError(field + ".cv", "must be above 0 and at most 20");
      }
      return Status::Ok();
    case DistributionKind::kEmpirical:
      if (d.samples_sec.empty() || d.samples_sec.size() > 10'000'000) {
        return InvalidArgumentError(field + ".samples", "needs 1 to 10,000,000 observed durations");
      }
      for (size_t i = 0; i < d.samples_sec.size(); ++i) {
        const double v = d.samples_sec[i];
        if (!std::isfinite(v) || v < 0 || v > 86400 * 7) {
          return InvalidArgumentError(field + ".samples[" + std::to_string(i) + "]", "must be from 0 to a week");
        }
      }
      return Status::Ok();
  }
  return InternalError("unknown distribution");
}

class Sampler {
 public:
  explicit Sampler(const Distribution& d) : d_(d) {
    if (d.kind == DistributionKind::kLognormal) {
      sigma_ = std::sqrt(std::log1p(d.cv * d.cv));
      mu_ = std::log(d.mean_sec) - sigma_ * sigma_ / 2;
    }
  }
  double Draw(Rng& rng) const {
    switch (d_.kind) {
      case DistributionKind::kExponential: return rng.Exponential(d_.mean_sec);
      case DistributionKind::kDeterministic: return d_.mean_sec;
      case DistributionKind::kLognormal: return std::exp(mu_ + sigma_ * rng.Normal());
      case DistributionKind::kEmpirical: {
        const size_t i = static_cast<size_t>((rng.Next() >> 11) * 0x1.0p-53 * d_.samples_sec.size());
        return d_.samples_sec[std::min(i, d_.samples_sec.size() - 1)];
      }
    }
    return d_.mean_sec;
  }

 private:
  const Distribution& d_;
  double mu_ = 0, sigma_ = 0;
};

enum EventKind : uint32_t { kServiceEnd = 0, kAbandon = 1, kRedial = 2 };

struct Event {
  double t;
  uint64_t seq;  // insertion order: equal-time events run FIFO
  uint64_t id;   // caller number (abandon) or the redial's arrival interval is recomputed from t
  uint32_t kind;
  bool operator>(const Event& o) const { return t > o.t || (t == o.t && seq > o.seq); }
};

struct Caller {
  double arrival;
  int interval;
  bool gone;  // abandoned while waiting
};

class Run {
 public:
  Run(const Scenario& s, uint64_t seed, uint64_t index) : s_(s), rng_(seed, index), service_(s.service) {
    if (s.patience) patience_.emplace(*s.patience);
    counts_.resize(s.intervals.size());
    horizon_ = s.interval_sec * s.intervals.size();
    for (size_t i = 0; i < s.intervals.size(); ++i) counts_[i].staffed_agent_sec = s.intervals[i].agents * s.interval_sec;
  }

  Replication Go() {
    const int n_intervals = static_cast<int>(s_.intervals.size());
    agents_ = s_.intervals[0].agents;
    for (int i = 0; i < s_.initial_queue; ++i) Arrive(0.0, 0, false);
    next_boundary_ = s_.interval_sec;
    next_arrival_ = NextArrivalFrom(0.0, 0);
    while (true) {
      const double heap_t = heap_.empty() ? INFINITY : heap_.front().t;
      const double t = std::min({next_arrival_, next_boundary_, heap_t});
      if (!std::isfinite(t)) break;
      AccrueBusy(t);
      ++events_;
      if (t == heap_t && heap_t <= next_arrival_ && heap_t <= next_boundary_) {
        std::pop_heap(heap_.begin(), heap_.end(), std::greater<>());
        const Event e = heap_.back();
        heap_.pop_back();
        if (e.kind == kServiceEnd) {
          --busy_;
          StartWaiting(t);
        } else if (e.kind == kAbandon) {
          Abandon(t, e.id);
        } else {
          Arrive(t, IntervalOf(t), true);
        }
      } else if (t == next_boundary_) {
        ++interval_;
        if (interval_ < n_intervals) {
          agents_ = s_.intervals[interval_].agents;
          next_boundary_ += s_.interval_sec;
          StartWaiting(t);
          // The arrival rate changes here; exponential gaps are memoryless, so redraw from t.
          next_arrival_ = NextArrivalFrom(t, interval_);
        } else {
          next_boundary_ = INFINITY;  // horizon: no new arrivals, the last staffing drains the queue
          next_arrival_ = INFINITY;
          agents_ = s_.intervals.back().agents;
          draining_ = true;
        }
      } else {
        Arrive(t, interval_, false);
        next_arrival_ = NextArrivalFrom(t, interval_);
      }
    }
    Replication r;
    r.intervals = std::move(counts_);
    r.events = events_;
    return r;
  }

 private:
  double NextArrivalFrom(double t, int interval) {
    const double rate = s_.intervals[interval].calls / s_.interval_sec;
    if (rate <= 0) return INFINITY;
    const double next = t + rng_.Exponential(1.0 / rate);
    return next < next_boundary_ ? next : INFINITY;  // past the boundary: redrawn there
  }

  int IntervalOf(double t) const { return std::min(static_cast<int>(t / s_.interval_sec), static_cast<int>(s_.intervals.size()) - 1); }

  void AccrueBusy(double t) {
    if (!draining_ && interval_ < static_cast<int>(counts_.size())) {
      counts_[interval_].busy_agent_sec += busy_ * (t - last_t_);
    }
    last_t_ = t;
  }

  void Push(double t, uint32_t kind, uint64_t id) {
    heap_.push_back(Event{t, seq_++, id, kind});
    std::push_heap(heap_.begin(), heap_.end(), std::greater<>());
  }

  void MaybeRedial(double t) {
    if (s_.redial_probability <= 0 || rng_.Uniform() > s_.redial_probability) return;
    const double when = t + rng_.Exponential(s_.redial_mean_delay_sec);
    if (when < horizon_) Push(when, kRedial, 0);
  }

  void Serve(double t, double arrival, int interval) {
    IntervalCounts& c = counts_[interval];
    ++c.answered;
    const double wait = t - arrival;
    c.wait_sum_sec += wait;
    if (wait <= s_.answer_within_sec) ++c.answered_within;
    ++busy_;
    Push(t + service_.Draw(rng_), kServiceEnd, 0);
  }

  void Arrive(double t, int interval, bool redial) {
    IntervalCounts& c = counts_[interval];
    ++c.offered;
    if (redial) ++c.redials;
    if (s_.lines && busy_ + waiting_ >= *s_.lines) {
      ++c.blocked;
      MaybeRedial(t);
      return;
    }
    if (waiting_ == 0 && busy_ < agents_) {
      Serve(t, t, interval);
      return;
    }
    ++c.waited;
    const uint64_t id = first_id_ + queue_.size();
    queue_.push_back(Caller{t, interval, false});
    ++waiting_;
    if (patience_) Push(t + patience_->Draw(rng_), kAbandon, id);
  }

  void StartWaiting(double t) {
    while (waiting_ > 0 && busy_ < agents_) {
      while (queue_.front().gone) PopFront();
      const Caller c = queue_.front();
      PopFront();
      --waiting_;
      Serve(t, c.arrival, c.interval);
    }
  }

  void PopFront() {
    queue_.pop_front();
    ++first_id_;
  }

  void Abandon(double t, uint64_t id) {
    if (id < first_id_) return;  // already served
    Caller& c = queue_[id - first_id_];
    if (c.gone) return;
    c.gone = true;
    --waiting_;
    IntervalCounts& k = counts_[c.interval];
    ++k.abandoned;
    k.wait_sum_sec += t - c.arrival;
    MaybeRedial(t);
  }

  const Scenario& s_;
  Rng rng_;
  Sampler service_;
  std::optional<Sampler> patience_;  // unset: callers never hang up
  std::vector<IntervalCounts> counts_;
  std::vector<Event> heap_;
  std::deque<Caller> queue_;
  uint64_t first_id_ = 0;  // caller number of queue_.front()
  int64_t waiting_ = 0;    // callers in queue_ not gone
  int busy_ = 0;
  int agents_ = 0;
  int interval_ = 0;
  bool draining_ = false;
  double horizon_ = 0;
  double next_arrival_ = INFINITY, next_boundary_ = INFINITY, last_t_ = 0;
  uint64_t seq_ = 0, events_ = 0;
};

// Two-sided 95 % Student t quantile for `df` degrees of freedom (Cornish–Fisher beyond the table).
double T975(int df) {
  static const double kTable[] = {0, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228};
  if (df <= 10) return kTable[std::max(df, 1)];
  const double z = 1.959963984540054, z3 = z * z * z, z5 = z3 * z * z;
  return z + (z3 + z) / (4.0 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * df * df);
}

class Accumulator {
 public:
  void Add(double v) {
    ++n_;
    const double d = v - mean_;
    mean_ += d / n_;
    m2_ += d * (v - mean_);
  }
  Estimate Get() const {
    Estimate e;
    e.mean = mean_;
    if (n_ > 1) e.ci95 = T975(static_cast<int>(n_ - 1)) * std::sqrt(m2_ / (n_ - 1) / n_);
    return e;
  }

 private:
  int64_t n_ = 0;
  double mean_ = 0, m2_ = 0;
};

struct EstimateBuilder {
  Accumulator offered, answered, abandoned, blocked, redials, sl, wait, p_wait, occupancy;

  void Add(const IntervalCounts& c) {
    offered.Add(c.offered);
    answered.Add(c.answered);
    abandoned.Add(c.abandoned);
    blocked.Add(c.blocked);
    redials.Add(c.redials);
    if (c.offered > 0) sl.Add(static_cast<double>(c.answered_within) / c.offered);
    const int64_t accepted = c.offered - c.blocked;
    if (accepted > 0) {
      wait.Add(c.wait_sum_sec / accepted);
      p_wait.Add(static_cast<double>(c.waited) / accepted);
    }
    if (c.staffed_agent_sec > 0) occupancy.Add(c.busy_agent_sec / c.staffed_agent_sec);
  }
  IntervalEstimate Get() const {
    return {offered.Get(), answered.Get(), abandoned.Get(), blocked.Get(),  redials.Get(),
            sl.Get(),      wait.Get(),     p_wait.Get(),    occupancy.Get()};
  }
};

}  // namespace

Status ValidateScenario(const Scenario& s) {
  if (!std::isfinite(s.interval_sec) || s.interval_sec < 60 || s.interval_sec > 86400) {
    return InvalidArgumentError("interval_minutes", "must be from 1 to 1,440 minutes");
  }
  if (!std::isfinite(s.answer_within_sec) || s.answer_within_sec < 0 || s.answer_within_sec > 86400) {
    return InvalidArgumentError("answer_within_sec", "must be from 0 to 86,400");
  }
  MADOGUCHI_RETURN_IF_ERROR(CheckDistribution(s.service, "service"));
  if (s.patience) MADOGUCHI_RETURN_IF_ERROR(CheckDistribution(*s.patience, "patience"));
  if (s.lines && (*s.lines < 1 || *s.lines > 1'000'000)) return InvalidArgumentError("lines", "must be from 1 to 1,000,000");
  if (!std::isfinite(s.redial_probability) || s.redial_probability < 0 || s.redial_probability > 0.99) {
    return InvalidArgumentError("redial.probability", "must be from 0 to 0.99");
  }
  if (!std::isfinite(s.redial_mean_delay_sec) || s.redial_mean_delay_sec <= 0 || s.redial_mean_delay_sec > 86400 * 7) {
    return InvalidArgumentError("redial.mean_delay_sec", "must be above 0 and at most a week");
  }
  if (s.initial_queue < 0 || s.initial_queue > 1'000'000) {
    return InvalidArgumentError("initial_queue", "must be from 0 to 1,000,000");
  }
  if (s.intervals.empty() || s.intervals.size() > 200'000) {
    return InvalidArgumentError("intervals", "needs 1 to 200,000 intervals");
  }
  if (s.warmup_intervals < 0 || s.warmup_intervals >= static_cast<int>(s.intervals.size())) {
    return InvalidArgumentError("warmup_intervals", "must leave at least one interval");
  }
  for (size_t i = 0; i < s.intervals.size(); ++i) {
    const auto& iv = s.intervals[i];
    const std::string at = "intervals[" + std::to_string(i) + "]";
    if (!std::isfinite(iv.calls) || iv.calls < 0 || iv.calls > 10'000'000) {
      return InvalidArgumentError(at + ".calls", "must be from 0 to 10,000,000");
    }
    if (iv.agents < 0 || iv.agents > 1'000'000) return InvalidArgumentError(at + ".agents", "must be from 0 to 1,000,000");
  }
  return Status::Ok();
}

Replication RunReplication(const Scenario& scenario, uint64_t seed, uint64_t index) { return Run(scenario, seed, index).Go(); }

Result<SimulationResult> Simulate(const Scenario& scenario, const SimSettings& settings) {
  MADOGUCHI_RETURN_IF_ERROR(ValidateScenario(scenario));
  if (settings.replications < 2 || settings.replications > 100'000) {
    return InvalidArgumentError("replications", "must be from 2 to 100,000");
  }
  if (settings.threads < 0 || settings.threads > 1024) return InvalidArgumentError("threads", "must be from 0 to 1,024");
  const int threads = std::min(
      settings.replications, settings.threads > 0 ? settings.threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency())));
  std::vector<Replication> reps(settings.replications);
  {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        for (int i = t; i < settings.replications; i += threads) reps[i] = RunReplication(scenario, settings.seed, i);
      });
    }
    for (auto& th : pool) th.join();
  }
  // Merge in index order: the result does not depend on the thread count.
  SimulationResult out;
  out.replications = settings.replications;
  out.seed = settings.seed;
  const size_t n = scenario.intervals.size();
  std::vector<EstimateBuilder> per(n);
  EstimateBuilder totals;
  for (const Replication& r : reps) {
    out.events += r.events;
    IntervalCounts sum;
    for (size_t i = 0; i < n; ++i) {
      per[i].Add(r.intervals[i]);
      if (static_cast<int>(i) < scenario.warmup_intervals) continue;
      const IntervalCounts& c = r.intervals[i];
      sum.offered += c.offered;
      sum.answered += c.answered;
      sum.answered_within += c.answered_within;
      sum.abandoned += c.abandoned;
      sum.blocked += c.blocked;
      sum.redials += c.redials;
      sum.waited += c.waited;
      sum.wait_sum_sec += c.wait_sum_sec;
      sum.busy_agent_sec += c.busy_agent_sec;
      sum.staffed_agent_sec += c.staffed_agent_sec;
    }
    totals.Add(sum);
  }
  out.totals = totals.Get();
  out.intervals.reserve(n);
  for (const auto& b : per) out.intervals.push_back(b.Get());
  return out;
}

}  // namespace madoguchi::sim
