// The kit-photo pre-read on ../shared/data/kits, one photo at a time on one thread, as an
// upload meets it: checked from its header, decoded upright and re-encoded without metadata
// (CleanPhoto), then read (ReadKit). BM_ReadOnly is the reading alone, on the decoded picture.
// Results and the command: docs/benchmarks.md (target: ≤ 50 ms a photo on one core).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "care/kit_read.hpp"
#include "care/photo.hpp"

namespace {

std::vector<std::string> Photos() {
  static const std::vector<std::string> photos = [] {
    std::vector<std::string> out;
    const std::filesystem::path dir = std::filesystem::path(MADOGUCHI_SOURCE_DIR) / ".." / "shared" / "data" / "kits";
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.path().extension() == ".jpg" && e.path().filename().string().starts_with("kit_")) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::stringstream s;
      s << in.rdbuf();
      out.push_back(s.str());
    }
    return out;
  }();
  return photos;
}

void BM_UploadAndRead(benchmark::State& state) {
  const auto photos = Photos();
  if (photos.empty()) {
    state.SkipWithError("../shared/data/kits is missing");
    return;
  }
  size_t i = 0;
  for (auto _ : state) {
    auto clean = madoguchi::care::CleanPhoto(photos[i++ % photos.size()]);
    auto r = madoguchi::care::ReadKit(clean->bgr);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_UploadAndRead)->Unit(benchmark::kMillisecond);

void BM_ReadOnly(benchmark::State& state) {
  const auto photos = Photos();
  if (photos.empty()) {
    state.SkipWithError("../shared/data/kits is missing");
    return;
  }
  std::vector<cv::Mat> decoded;
  for (const auto& p : photos) decoded.push_back(madoguchi::care::CleanPhoto(p)->bgr);
  size_t i = 0;
  for (auto _ : state) {
    auto r = madoguchi::care::ReadKit(decoded[i++ % decoded.size()]);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReadOnly)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
