#include "planning/shift_mip.hpp"

#include <CbcModel.hpp>
#include <CbcSolver.hpp>
#include <CoinPackedMatrix.hpp>
#include <OsiClpSolverInterface.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace madoguchi::planning {

Result<ShiftSolution> SolveShifts(const ShiftProblem& pr) {
  const int D = pr.days, I = pr.intervals_per_day;
  if (D <= 0 || I <= 0) return InvalidArgumentError("days", "nothing to schedule");
  // Columns: x[d][v] for the allowed variants of each day, then s[d][i].
  std::vector<std::vector<int>> xcol(D);
  std::vector<double> obj, lo, hi;
  std::vector<bool> integer;
  for (int d = 0; d < D; ++d) {
    for (int v : pr.variants_allowed[d]) {
      xcol[d].push_back(static_cast<int>(obj.size()));
      obj.push_back(pr.variants[v].cost);
      lo.push_back(0);
      hi.push_back(pr.pool ? *pr.pool : 1000);
      integer.push_back(true);
    }
  }
  // Three shortfall tiers per interval.
  const int s0 = static_cast<int>(obj.size());
  for (int d = 0; d < D; ++d) {
    for (int i = 0; i < I; ++i) {
      const int target = pr.target[d][i];
      const int floor = pr.floor.empty() ? 0 : std::min(pr.floor[d][i], target);
      const double above = target - floor;
      const double first = std::ceil(above / 2);
      const double tiers[3][2] = {{first, 1}, {above - first, 2}, {COIN_DBL_MAX, 8}};
      for (const auto& [bound, weight] : tiers) {
        obj.push_back(pr.shortfall_penalty * weight);
        lo.push_back(0);
        hi.push_back(bound);
        integer.push_back(false);
      }
    }
  }
  CoinPackedMatrix m(false, 0, 0);
  m.setDimensions(0, static_cast<int>(obj.size()));
  std::vector<double> row_lo, row_hi;
  for (int d = 0; d < D; ++d) {
    for (int i = 0; i < I; ++i) {
      CoinPackedVector cover;
      for (size_t k = 0; k < pr.variants_allowed[d].size(); ++k) {
        const auto& c = pr.variants[pr.variants_allowed[d][k]].covers;
        if (std::find(c.begin(), c.end(), i) != c.end()) cover.insert(xcol[d][k], 1.0);
      }
      if (pr.target[d][i] > 0) {
        CoinPackedVector row = cover;
        for (int t = 0; t < 3; ++t) row.insert(s0 + (d * I + i) * 3 + t, 1.0);
        m.appendRow(row);
        row_lo.push_back(pr.target[d][i]);
        row_hi.push_back(COIN_DBL_MAX);
      }
      if (cover.getNumElements() > 0) {
        m.appendRow(cover);
        row_lo.push_back(-COIN_DBL_MAX);
        row_hi.push_back(pr.max_agents[d][i]);
      }
    }
    if (pr.pool && !xcol[d].empty()) {
      CoinPackedVector row;
      for (int c : xcol[d]) row.insert(c, 1.0);
      m.appendRow(row);
      row_lo.push_back(-COIN_DBL_MAX);
      row_hi.push_back(*pr.pool);
    }
  }
  if (pr.pool && pr.max_days_per_week < 7) {
    for (int w = 0; w * 7 < D; ++w) {
      CoinPackedVector row;
      for (int d = w * 7; d < std::min(D, w * 7 + 7); ++d) {
        for (int c : xcol[d]) row.insert(c, 1.0);
      }
      if (row.getNumElements() == 0) continue;
      m.appendRow(row);
      row_lo.push_back(-COIN_DBL_MAX);
      row_hi.push_back(static_cast<double>(*pr.pool) * pr.max_days_per_week);
    }
  }

  OsiClpSolverInterface osi;
  osi.messageHandler()->setLogLevel(0);
  osi.loadProblem(m, lo.data(), hi.data(), obj.data(), row_lo.data(), row_hi.data());
  for (size_t c = 0; c < integer.size(); ++c) {
    if (integer[c]) osi.setInteger(static_cast<int>(c));
  }
  CbcModel model(osi);
  model.setLogLevel(0);
  model.messageHandler()->setLogLevel(0);
  CbcSolverUsefulData data;
  data.noPrinting_ = true;
  CbcMain0(model, data);
  model.setLogLevel(0);
  const std::string secs = std::to_string(pr.seconds);
  const char* argv[] = {"madoguchi", "-log", "0", "-sec", secs.c_str(), "-ratioGap", "0.002", "-threads", "1", "-solve", "-quit"};
  CbcMain1(
      static_cast<int>(sizeof argv / sizeof argv[0]), argv, model, [](CbcModel*, int) { return 0; }, data);
  const double* sol = model.bestSolution();
  if (sol == nullptr) return InternalError("the MIP solver returned no schedule");

  ShiftSolution out;
  out.objective = model.getObjValue();
  out.best_bound = model.getBestPossibleObjValue();
  out.proven_optimal = model.isProvenOptimal();
  out.count.assign(D, std::vector<int>(pr.variants.size(), 0));
  out.scheduled.assign(D, std::vector<int>(I, 0));
  for (int d = 0; d < D; ++d) {
    for (size_t k = 0; k < xcol[d].size(); ++k) {
      const int n = static_cast<int>(std::lround(sol[xcol[d][k]]));
      const int v = pr.variants_allowed[d][k];
      out.count[d][v] = n;
      for (int i : pr.variants[v].covers) out.scheduled[d][i] += n;
    }
  }
  return out;
}

}  // namespace madoguchi::planning
