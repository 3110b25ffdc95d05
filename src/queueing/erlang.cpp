// Erlang B, C and A. Derivations and references: docs/design/queueing.md.
#include "queueing/erlang.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace madoguchi::queueing {
namespace {

// Scaling by a power of two is exact, so rescaling costs no precision.
constexpr double kRescaleAbove = 0x1p600;
constexpr int kRescaleExp = 600;
const double kLn2 = std::log(2.0);

// R(n) = 1 / B(n, A) by the recursion R(n) = 1 + R(n-1) * n / A, R(0) = 1 (all terms positive,
// so it is stable). R grows without bound when n >> A, so it is kept as r * 2^scale_exp, with
// the constant 1 carried as `one` = 2^-scale_exp. Four steps are folded into one multiply-add,
// R <- d*R + one*c, so the dependency chain is a quarter as long (Erlang C at 10,000 agents is
// latency-bound on this chain; see bench/queueing_bench.cpp).
//
// n / A is formed as n * (1/A) with 1/A held as a double-double (hi + lo): a plain rounded 1/A
// would put the same relative error into every factor, and after 20,000 factors the result would
// be off by ~2e-12; with the correction each factor is within an ulp and the errors do not pile
// up in one direction.
struct BlockingState {
  double inv_hi = 0, inv_lo = 0;  // 1/A as a double-double
  int n = 0;
  double r = 1.0;
  double one = 1.0;
  int scale_exp = 0;
};

// The hot loop, compiled twice: with hardware FMA (chosen at run time where the CPU has it) and
// without (std::fma then is a correct but slow library call).
__attribute__((target_clones("fma", "default"))) void AdvanceBlocking(BlockingState& s, int target) {
  // n * hi rounded, plus n * lo, fused so the correction is not rounded away.
  auto ratio = [&s](double x) { return std::fma(x, s.inv_hi, x * s.inv_lo); };
  double x = s.n;
  while (s.n + 4 <= target) {
    const double a1 = ratio(x + 1), a2 = ratio(x + 2), a3 = ratio(x + 3), a4 = ratio(x + 4);
    const double c = 1.0 + a4 * (1.0 + a3 * (1.0 + a2));
    const double d = a1 * a2 * a3 * a4;
    s.r = std::fma(d, s.r, s.one * c);
    s.n += 4;
    x += 4;
    if (s.r > kRescaleAbove) {
      s.r = std::ldexp(s.r, -kRescaleExp);
      s.one = std::ldexp(s.one, -kRescaleExp);
      s.scale_exp += kRescaleExp;
    }
  }
  while (s.n < target) {
    ++s.n;
    x += 1;
    s.r = std::fma(s.r, ratio(x), s.one);
    if (s.r > kRescaleAbove) {
      s.r = std::ldexp(s.r, -kRescaleExp);
      s.one = std::ldexp(s.one, -kRescaleExp);
      s.scale_exp += kRescaleExp;
    }
  }
}

class InverseBlocking {
 public:
  explicit InverseBlocking(double traffic) {
    s_.inv_hi = 1.0 / traffic;
    s_.inv_lo = std::fma(-s_.inv_hi, traffic, 1.0) / traffic;
  }

  void AdvanceTo(int target) { AdvanceBlocking(s_, target); }

  int lines() const { return s_.n; }
  bool scaled() const { return s_.scale_exp != 0; }
  // R = r * 2^scale_exp.
  double r() const { return s_.r; }
  int scale_exp() const { return s_.scale_exp; }
  double B() const { return std::ldexp(1.0 / s_.r, -s_.scale_exp); }  // underflows gracefully to 0

 private:
  BlockingState s_;
};

bool Finite(double v) { return std::isfinite(v); }

Status CheckLoad(const CallLoad& load) {
  if (!Finite(load.calls_per_hour) || load.calls_per_hour < 0 || load.calls_per_hour > 1e7) {
    return InvalidArgumentError("calls_per_hour", "must be a number from 0 to 10,000,000");
  }
  if (!Finite(load.aht_sec) || load.aht_sec <= 0 || load.aht_sec > 86400) {
    return InvalidArgumentError("aht_sec", "must be a number above 0 and at most 86,400 seconds");
  }
  if (load.TrafficErlangs() > 1e6) return InvalidArgumentError("calls_per_hour", "the traffic exceeds 1,000,000 Erlangs");
  return Status::Ok();
}

Status CheckAgents(int agents) {
  if (agents < 0 || agents > 1'000'000) return InvalidArgumentError("agents", "must be from 0 to 1,000,000");
  return Status::Ok();
}

Status CheckWithin(double t) {
  if (!Finite(t) || t < 0 || t > 86400) {
    return InvalidArgumentError("answer_within_sec", "must be a number from 0 to 86,400 seconds");
  }
  return Status::Ok();
}

// Erlang C metrics from 1/B at N agents. REQUIRES: N > A > 0.
QueueMetrics ErlangCFrom(const InverseBlocking& inv_b, double a, double aht, double within) {
  const int n = inv_b.lines();
  QueueMetrics m;
  m.agents = n;
  m.traffic_erlangs = a;
  // C = N / (R (N - A) + A); once R has been rescaled (R > 2^600), A is negligible.
  const double c = inv_b.scaled() ? std::ldexp(n / (inv_b.r() * (n - a)), -inv_b.scale_exp()) : n / (inv_b.r() * (n - a) + a);
  m.p_wait = c;
  m.service_level = 1.0 - c * std::exp(-(n - a) * within / aht);
  m.mean_wait_sec = c * aht / (n - a);
  m.occupancy = a / n;
  return m;
}

QueueMetrics NoTraffic(int agents) {
  QueueMetrics m;
  m.agents = agents;
  m.service_level = 1.0;
  return m;
}

// Erlang A (M/M/N+M). With mu = 1/AHT, theta = 1/patience, x = N mu / theta, y = lambda / theta:
//   pi_n (n <= N) proportional to A^n / n!;  pi_{N+j} = pi_N * w_j,  w_j = prod_{k=1..j} y / (x + k).
// A caller who finds j waiting is served iff it outlasts j+1 exponential stages of rates
// theta (x + m), m = 1..j+1, each won against its own patience: probability x / (x + j + 1),
// and the time to be served is a sum of exponentials with rates in arithmetic progression, so
// P(served within T | j) = x/(x+j+1) * I_z(j+1, x+1) with z = 1 - exp(-theta T) (a Beta identity).
// I_z(j+1, b) is the upper tail of a negative-binomial pmf h_k; swapping the sums gives
//   sum_j w_j x/(x+j+1) I_z(j+1, x+1) = sum_k h_k G_k,  G_k = sum_{j<k} w_j x/(x+j+1),
// a sum of positive terms only (no cancellation).
QueueMetrics ErlangAFrom(const InverseBlocking& inv_b, double lambda, double aht, double patience, double within) {
  const int n = inv_b.lines();
  const double a = lambda * aht;
  const double theta = 1.0 / patience;
  const double x = n / aht / theta;
  const double y = lambda / theta;

  // Queue weights w_j, scaled by 2^-w_exp whenever they grow past 2^600.
  std::vector<double> w;  // w[j], in the current scale
  int w_exp = 0;
  double sum_w = 0.0, sum_jw = 0.0;
  double wj = 1.0;
  for (int j = 0;; ++j) {
    w.push_back(wj);
    sum_w += wj;
    sum_jw += j * wj;
    const double ratio = y / (x + j + 1);
    const double next = wj * ratio;
    // Past the mode the tail is bounded by a geometric series with this ratio.
    if (ratio < 1.0 && next * ratio / (1.0 - ratio) <= 1e-17 * sum_w && next <= 1e-17 * sum_w) break;
    if (j > 50'000'000) break;  // patience so long that this is Erlang C; the tail is below 1e-17 anyway
    wj = next;
    if (wj > kRescaleAbove) {
      for (double& v : w) v = std::ldexp(v, -kRescaleExp);
      wj = std::ldexp(wj, -kRescaleExp);
      sum_w = std::ldexp(sum_w, -kRescaleExp);
      sum_jw = std::ldexp(sum_jw, -kRescaleExp);
      w_exp += kRescaleExp;
    }
  }

  // Probability mass below N, in the w scale: pi_N (R - 1) with R = 1/B = r 2^scale_exp.
  const double below =
      inv_b.scaled() || w_exp != 0 ? std::ldexp(inv_b.r(), inv_b.scale_exp() - w_exp) - std::ldexp(1.0, -w_exp) : inv_b.r() - 1.0;
  const double denom = below + sum_w;

  // sum_k h_k G_k, h_k = C(k+b-1, k) z^k (1-z)^b with b = x + 1, in a scale of its own.
  double served_within = 0.0;
  if (within > 0.0 && x > 0.0) {
    const double b = x + 1.0;
    const double z = -std::expm1(-theta * within);
    double log_h = -b * theta * within;  // log h_0 = b log(1 - z)
    double h = 1.0;                      // h_k / exp(log_h)
    double g = 0.0;                      // G_k
    double acc = 0.0;                    // sum h_k G_k / exp(log_h)
    const double mode = (b - 1.0) * z / (1.0 - z);
    for (int k = 1;; ++k) {
      if (static_cast<size_t>(k - 1) < w.size()) g += w[k - 1] * x / (x + k);
      h *= z * (k - 1 + b) / k;
      acc += h * g;
      if (h > kRescaleAbove) {
        h = std::ldexp(h, -kRescaleExp);
        acc = std::ldexp(acc, -kRescaleExp);
        log_h += kRescaleExp * kLn2;
      }
      if (k > mode && h * g <= 1e-18 * acc) break;
      if (k > 100'000'000) break;
    }
    served_within = acc > 0.0 ? std::exp(std::log(acc) + log_h) : 0.0;
  }

  QueueMetrics m;
  m.agents = n;
  m.traffic_erlangs = a;
  m.p_wait = sum_w / denom;
  const double mean_queue = sum_jw / denom;
  m.mean_wait_sec = mean_queue / lambda;
  m.p_abandon = theta * mean_queue / lambda;
  // When N >> A the mass below N exceeds the double range: then nobody waits.
  m.service_level = std::isinf(denom) ? 1.0 : below / denom + served_within / denom;
  m.occupancy = n == 0 ? 0.0 : lambda * (1.0 - m.p_abandon) * aht / n;
  return m;
}

Status CheckTarget(const StaffingTarget& t) {
  if (!Finite(t.service_level) || t.service_level < 0 || t.service_level >= 1) {
    return InvalidArgumentError("service_level", "must be from 0 to below 1");
  }
  MADOGUCHI_RETURN_IF_ERROR(CheckWithin(t.answer_within_sec));
  if (t.patience_sec && (!Finite(*t.patience_sec) || *t.patience_sec <= 0)) {
    return InvalidArgumentError("patience_sec", "must be a number above 0");
  }
  if (t.max_abandon && (!t.patience_sec || !Finite(*t.max_abandon) || *t.max_abandon <= 0 || *t.max_abandon >= 1)) {
    return InvalidArgumentError("max_abandon",
                                t.patience_sec ? "must be above 0 and below 1" : "needs patience_sec (abandonment is an Erlang A measure)");
  }
  if (t.max_occupancy && (!Finite(*t.max_occupancy) || *t.max_occupancy <= 0 || *t.max_occupancy > 1)) {
    return InvalidArgumentError("max_occupancy", "must be above 0 and at most 1");
  }
  if (t.max_mean_wait_sec && (!Finite(*t.max_mean_wait_sec) || *t.max_mean_wait_sec < 0)) {
    return InvalidArgumentError("max_mean_wait_sec", "must be 0 or more");
  }
  return Status::Ok();
}

bool Meets(const QueueMetrics& m, const StaffingTarget& t) {
  // A hair of tolerance so that a target met exactly is not lost to rounding.
  constexpr double kEps = 1e-12;
  if (m.service_level + kEps < t.service_level) return false;
  if (t.max_abandon && m.p_abandon > *t.max_abandon + kEps) return false;
  if (t.max_occupancy && m.occupancy > *t.max_occupancy + kEps) return false;
  if (t.max_mean_wait_sec && m.mean_wait_sec > *t.max_mean_wait_sec + kEps) return false;
  return true;
}

}  // namespace

Result<double> ErlangB(double traffic, int lines) {
  if (!Finite(traffic) || traffic < 0 || traffic > 1e6) {
    return InvalidArgumentError("traffic", "must be a number from 0 to 1,000,000 Erlangs");
  }
  if (lines < 0 || lines > 1'000'000) return InvalidArgumentError("lines", "must be from 0 to 1,000,000");
  if (lines == 0) return 1.0;
  if (traffic == 0) return 0.0;
  InverseBlocking inv(traffic);
  inv.AdvanceTo(lines);
  return inv.B();
}

Result<QueueMetrics> ErlangC(const CallLoad& load, int agents, double within) {
  MADOGUCHI_RETURN_IF_ERROR(CheckLoad(load));
  MADOGUCHI_RETURN_IF_ERROR(CheckAgents(agents));
  MADOGUCHI_RETURN_IF_ERROR(CheckWithin(within));
  const double a = load.TrafficErlangs();
  if (a == 0) return NoTraffic(agents);
  if (agents <= a) {
    return InvalidArgumentError(
        "agents", "must exceed the traffic (" + std::to_string(a) + " Erlangs) for Erlang C: the queue would grow without bound");
  }
  InverseBlocking inv(a);
  inv.AdvanceTo(agents);
  return ErlangCFrom(inv, a, load.aht_sec, within);
}

Result<QueueMetrics> ErlangA(const CallLoad& load, double patience, int agents, double within) {
  MADOGUCHI_RETURN_IF_ERROR(CheckLoad(load));
  MADOGUCHI_RETURN_IF_ERROR(CheckAgents(agents));
  MADOGUCHI_RETURN_IF_ERROR(CheckWithin(within));
  if (!Finite(patience) || patience <= 0 || patience > 1e7) {
    return InvalidArgumentError("patience_sec", "must be a number above 0 and at most 10,000,000 seconds");
  }
  const double a = load.TrafficErlangs();
  if (a == 0) return NoTraffic(agents);
  InverseBlocking inv(a);
  inv.AdvanceTo(agents);
  return ErlangAFrom(inv, load.calls_per_hour / 3600.0, load.aht_sec, patience, within);
}

Result<QueueMetrics> RequiredAgents(const CallLoad& load, const StaffingTarget& target, int max_agents) {
  MADOGUCHI_RETURN_IF_ERROR(CheckLoad(load));
  MADOGUCHI_RETURN_IF_ERROR(CheckTarget(target));
  if (max_agents < 1 || max_agents > 1'000'000) return InvalidArgumentError("max_agents", "must be from 1 to 1,000,000");
  const double a = load.TrafficErlangs();
  if (a == 0) return NoTraffic(0);
  auto too_few = [&] {
    return FailedPreconditionError("even " + std::to_string(max_agents) + " agents do not meet the targets", "target_unreachable");
  };

  if (!target.patience_sec) {
    // Erlang C: walk upwards from the first stable staffing; B is extended one line at a time.
    int n = static_cast<int>(std::floor(a)) + 1;
    if (target.max_occupancy) n = std::max(n, static_cast<int>(std::ceil(a / *target.max_occupancy - 1e-9)));
    InverseBlocking inv(a);
    for (; n <= max_agents; ++n) {
      inv.AdvanceTo(n);
      QueueMetrics m = ErlangCFrom(inv, a, load.aht_sec, target.answer_within_sec);
      if (Meets(m, target)) return m;
    }
    return too_few();
  }

  // Erlang A: every measure is monotone in N, so bisect on [0, max_agents].
  const double lambda = load.calls_per_hour / 3600.0;
  auto eval = [&](int n) {
    InverseBlocking inv(a);
    inv.AdvanceTo(n);
    return ErlangAFrom(inv, lambda, load.aht_sec, *target.patience_sec, target.answer_within_sec);
  };
  QueueMetrics best = eval(max_agents);
  if (!Meets(best, target)) return too_few();
  int lo = -1, hi = max_agents;  // lo fails (or is below range), hi meets
  while (hi - lo > 1) {
    const int mid = lo + (hi - lo) / 2;
    QueueMetrics m = eval(mid);
    if (Meets(m, target)) {
      hi = mid;
      best = m;
    } else {
      lo = mid;
    }
  }
  return best;
}

Result<int> RequiredLines(double traffic, double max_blocking, int max_lines) {
  if (!Finite(traffic) || traffic < 0 || traffic > 1e6) {
    return InvalidArgumentError("traffic", "must be a number from 0 to 1,000,000 Erlangs");
  }
  if (!Finite(max_blocking) || max_blocking <= 0 || max_blocking >= 1) {
    return InvalidArgumentError("max_blocking", "must be above 0 and below 1");
  }
  if (traffic == 0) return 0;
  InverseBlocking inv(traffic);
  for (int n = 1; n <= max_lines; ++n) {
    inv.AdvanceTo(n);
    if (inv.B() <= max_blocking) return n;
  }
  return FailedPreconditionError("more than " + std::to_string(max_lines) + " lines are needed", "target_unreachable");
}

}  // namespace madoguchi::queueing
