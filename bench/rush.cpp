// The opening-day rush on loopback (docs/benchmarks.md): N connections book as fast as they can,
// each resident once, until every seat is gone; meanwhile an operator searches on the staff
// listener. Reports bookings per second, latency of admitted bookings, the waiting room, and the
// operator's latency; writes every confirmation code it was given (for the crash test).
//
//   rush --url http://127.0.0.1:P --staff-url http://127.0.0.1:Q --token T --tenant 452041
//        --connections 64 --residents 100000 --first-ticket 4000000000 --slots 1-400 --seats 20000 [--codes FILE]
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Args {
  std::string url, staff_url, token, tenant = "452041", codes_file;
  int connections = 64, residents = 100000, slot_first = 1, slot_last = 400, operators = 2, seats = 20000;
  long long first_ticket = 4000000000LL;
  double max_seconds = 120;
};

std::pair<std::string, int> HostPort(const std::string& url) {
  const std::string rest = url.substr(url.find("//") + 2);
  const size_t colon = rest.rfind(':');
  return {rest.substr(0, colon), std::stoi(rest.substr(colon + 1))};
}

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1) + 0.5))];
}

// The birth date the bench's resident list gives ticket `i` (scripts/bench-rush.sh writes it).
std::string BirthOf(long long i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "19%02lld-%02lld-%02lld", 30 + i % 40, 1 + i % 12, 1 + i % 28);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--url") a.url = v;
    else if (k == "--staff-url") a.staff_url = v;
    else if (k == "--token") a.token = v;
    else if (k == "--tenant") a.tenant = v;
    else if (k == "--connections") a.connections = std::stoi(v);
    else if (k == "--residents") a.residents = std::stoi(v);
    else if (k == "--first-ticket") a.first_ticket = std::stoll(v);
    else if (k == "--slots") a.slot_first = std::stoi(v.substr(0, v.find('-'))), a.slot_last = std::stoi(v.substr(v.find('-') + 1));
    else if (k == "--codes") a.codes_file = v;
    else if (k == "--operators") a.operators = std::stoi(v);
    else if (k == "--seats") a.seats = std::stoi(v);
    else if (k == "--max-seconds") a.max_seconds = std::stod(v);
    else {
      std::fprintf(stderr, "rush: unknown option %s\n", k.c_str());
      return 2;
    }
  }
  const auto [host, port] = HostPort(a.url);
  std::atomic<long long> next{0};
  std::atomic<bool> sold_out{false}, stop{false};
  std::atomic<long long> created{0}, full{0}, waiting{0}, errors{0}, other{0};
  std::mutex mu;
  std::vector<double> admitted_ms;
  std::vector<std::string> codes;
  const int slots = a.slot_last - a.slot_first + 1;
  // Like people looking at the page of remaining seats: a slot seen full is not tried again.
  std::vector<std::atomic<bool>> slot_full(static_cast<size_t>(slots));
  const std::string path = "/api/v1/t/" + a.tenant + "/bookings";
  const auto start = Clock::now();
  std::atomic<long long> last_created_ns{0};

  std::vector<std::thread> clients;
  for (int c = 0; c < a.connections; ++c) {
    clients.emplace_back([&, c] {
      httplib::Client cli(host, port);
      cli.set_keep_alive(true);
      cli.set_tcp_nodelay(true);  // else Nagle and delayed ACKs add 40 ms to every POST (headers, then body)
      cli.set_connection_timeout(10);
      cli.set_read_timeout(30);
      std::vector<double> mine;
      std::vector<std::string> my_codes;
      long long full_streak = 0;
      while (!stop) {
        const long long i = next.fetch_add(1);
        if (i >= a.residents) break;
        const long long ticket = a.first_ticket + i;
        int pick = static_cast<int>((i + full_streak * 7) % slots);
        for (int k = 0; k < slots && slot_full[pick].load(std::memory_order_relaxed); ++k) pick = (pick + 1) % slots;
        const int slot = a.slot_first + pick;
        const std::string body = "{\"ticket_number\":\"" + std::to_string(ticket) + "\",\"birth_date\":\"" + BirthOf(i) +
                                 "\",\"slot_id\":" + std::to_string(slot) + "}";
        httplib::Headers h = {{"Idempotency-Key", "rush-" + std::to_string(ticket)}};
        std::string queue_ticket;
        for (int attempt = 0; attempt < 200 && !stop; ++attempt) {
          if (!queue_ticket.empty()) h.emplace("Queue-Ticket", queue_ticket);
          const auto t0 = Clock::now();
          auto res = cli.Post(path, h, body, "application/json");
          const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
          if (!res) {
            ++errors;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            continue;
          }
          if (res->status == 201) {
            ++created;
            mine.push_back(ms);
            my_codes.push_back(nlohmann::json::parse(res->body)["confirmation_code"]);
            last_created_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
            break;
          }
          if (res->status == 503) {
            ++waiting;
            auto j = nlohmann::json::parse(res->body, nullptr, false);
            if (j.is_object()) queue_ticket = j["error"].value("queue_ticket", "");
            h = {{"Idempotency-Key", "rush-" + std::to_string(ticket)}};
            // The waiting-room page refreshes after Retry-After (capped at 2 s here).
            const int after = res->has_header("Retry-After") ? std::stoi(res->get_header_value("Retry-After")) : 1;
            std::this_thread::sleep_for(std::chrono::milliseconds(std::min(after, 2) * 1000));
            continue;
          }
          if (res->status == 409) {
            ++full;
            ++full_streak;
            if (res->body.find("slot_full") != std::string::npos) slot_full[pick] = true;
          } else {
            ++other;
          }
          break;
        }
        if (created.load() >= a.seats) {
          sold_out = true;
          break;
        }
        if (std::chrono::duration<double>(Clock::now() - start).count() > a.max_seconds) break;
      }
      std::lock_guard lock(mu);
      admitted_ms.insert(admitted_ms.end(), mine.begin(), mine.end());
      codes.insert(codes.end(), my_codes.begin(), my_codes.end());
    });
  }
  // Operators: search by ticket on the staff listener the whole time.
  std::vector<double> operator_ms;
  std::vector<std::thread> operators;
  if (!a.staff_url.empty()) {
    const auto [shost, sport] = HostPort(a.staff_url);
    for (int o = 0; o < a.operators; ++o) {
      operators.emplace_back([&, o, shost = shost, sport = sport] {
        httplib::Client cli(shost, sport);
        cli.set_keep_alive(true);
        cli.set_tcp_nodelay(true);
        httplib::Headers h = {{"Authorization", "Bearer " + a.token}};
        std::vector<double> mine;
        for (long long k = o; !stop; k += a.operators) {
          const std::string q = std::to_string(a.first_ticket + (k * 7919) % a.residents);
          const auto t0 = Clock::now();
          auto res = cli.Get("/api/v1/t/" + a.tenant + "/residents?q=" + q, h);
          mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
          if (!res || res->status != 200) ++errors;
          std::this_thread::sleep_for(std::chrono::milliseconds(20));  // an operator, not a flood
        }
        std::lock_guard lock(mu);
        operator_ms.insert(operator_ms.end(), mine.begin(), mine.end());
      });
    }
  }
  for (auto& t : clients) t.join();
  stop = true;
  for (auto& t : operators) t.join();
  const double seconds = std::max(1e-9, last_created_ns.load() / 1e9);
  if (!a.codes_file.empty()) {
    std::ofstream out(a.codes_file);
    for (const auto& c : codes) out << c << "\n";
  }
  nlohmann::ordered_json j;
  j["connections"] = a.connections;
  j["bookings"] = created.load();
  j["seconds_to_last_booking"] = seconds;
  j["bookings_per_sec"] = created.load() / seconds;
  j["admitted_p50_ms"] = Percentile(admitted_ms, 0.50);
  j["admitted_p99_ms"] = Percentile(admitted_ms, 0.99);
  j["slot_full_409"] = full.load();
  j["waiting_room_503"] = waiting.load();
  j["other_status"] = other.load();
  j["transport_errors"] = errors.load();
  j["operator_requests"] = operator_ms.size();
  j["operator_p50_ms"] = Percentile(operator_ms, 0.50);
  j["operator_p99_ms"] = Percentile(operator_ms, 0.99);
  std::printf("%s\n", j.dump().c_str());
  return 0;
}
