// src/sim/random.hpp — a small, fast, seedable random source for simulation.
//
// xoshiro256++ (Blackman & Vigna, 2019) seeded through splitmix64, so replication i of seed s
// gets its own independent-looking stream: Rng(s, i). Not for cryptography. Not thread-safe: one
// per replication.
#pragma once

#include <cstdint>
#include <vector>

namespace madoguchi::sim {

class Rng {
 public:
  Rng(uint64_t seed, uint64_t stream);
  uint64_t Next();
  // Uniform in (0, 1]: never 0, so log() is safe.
  double Uniform() { return ((Next() >> 11) + 1) * 0x1.0p-53; }
  double Exponential(double mean);
  double Normal();

 private:
  uint64_t s_[4];
};

}  // namespace madoguchi::sim
