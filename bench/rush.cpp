// The opening-day rush on loopback (docs/benchmarks.md): N connections book as fast as they can,
// each resident once, until every seat is gone; meanwhile an operator searches on the staff
// listener. Reports bookings per second, latency of admitted bookings, the waiting room, and the
// operator's latency; writes every confirmation code it was given (for the crash test).
//
//   rush --url http://127.0.0.1:P --staff-url http://127.0.0.1:Q --token T --tenant 452041
//        --connections 64 --residents 100000 --first-ticket 4000000000 --slots 1-400 --seats 20000 [--codes FILE]
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
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
  std::atomic<bool> stop{false};
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
  // The residents: every connection on one epoll loop (a browser-like client per connection,
  // without a thread each, so the load generator leaves the cores to the server).
  struct Conn {
    int fd = -1;
    long long i = -1;  // the resident being booked
    int pick = 0;
    long long full_streak = 0;
    std::string queue_ticket, out, in;
    size_t sent = 0;
    Clock::time_point sent_at{}, wake_at{};
    bool busy = false;
  };
  std::vector<Conn> conns(static_cast<size_t>(a.connections));
  const int ep = epoll_create1(0);
  auto connect_one = [&](Conn& c) {
    c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // else Nagle and delayed ACKs add 40 ms
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host.c_str(), &addr.sin_addr);
    ::connect(c.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT;
    ev.data.ptr = &c;
    epoll_ctl(ep, EPOLL_CTL_ADD, c.fd, &ev);
  };
  auto next_resident = [&](Conn& c) -> bool {
    if (created.load() >= a.seats) return false;
    c.i = next.fetch_add(1);
    c.queue_ticket.clear();
    return c.i < a.residents;
  };
  auto prepare = [&](Conn& c) {
    const long long ticket = a.first_ticket + c.i;
    int pick = static_cast<int>((c.i + c.full_streak * 7) % slots);
    for (int k = 0; k < slots && slot_full[pick].load(std::memory_order_relaxed); ++k) pick = (pick + 1) % slots;
    c.pick = pick;
    const std::string body = "{\"ticket_number\":\"" + std::to_string(ticket) + "\",\"birth_date\":\"" + BirthOf(c.i) +
                             "\",\"slot_id\":" + std::to_string(a.slot_first + pick) + "}";
    c.out = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nIdempotency-Key: rush-" +
            std::to_string(ticket) + "\r\n" + (c.queue_ticket.empty() ? "" : "Queue-Ticket: " + c.queue_ticket + "\r\n") +
            "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    c.sent = 0;
    c.in.clear();
    c.busy = true;
  };
  for (auto& c : conns) {
    connect_one(c);
    if (next_resident(c)) prepare(c);
  }
  std::vector<double> mine;
  std::vector<std::string> my_codes;
  double slowest_ms = 0;
  int active = a.connections;
  std::vector<epoll_event> events(1024);
  while (active > 0) {
    if (std::chrono::duration<double>(Clock::now() - start).count() > a.max_seconds) break;
    // The earliest waiting-room return decides how long to sleep.
    int timeout_ms = 100;
    const auto now = Clock::now();
    for (auto& c : conns) {
      if (c.fd < 0 || c.busy || c.wake_at == Clock::time_point{}) continue;
      if (c.wake_at <= now) {
        c.wake_at = {};
        prepare(c);
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLOUT;
        ev.data.ptr = &c;
        epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &ev);
      } else {
        timeout_ms =
            std::min<int>(timeout_ms, static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(c.wake_at - now).count()) + 1);
      }
    }
    const int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), timeout_ms);
    for (int k = 0; k < n; ++k) {
      Conn& c = *static_cast<Conn*>(events[k].data.ptr);
      if (c.fd < 0) continue;
      if ((events[k].events & EPOLLOUT) && c.busy && c.sent < c.out.size()) {
        if (c.sent == 0) c.sent_at = Clock::now();
        const ssize_t w = ::send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
        if (w > 0) c.sent += static_cast<size_t>(w);
        if (c.sent == c.out.size()) {
          epoll_event ev{};
          ev.events = EPOLLIN;
          ev.data.ptr = &c;
          epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &ev);
        }
      }
      if (!(events[k].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) continue;
      char buf[16384];
      for (;;) {
        const ssize_t r = ::recv(c.fd, buf, sizeof buf, 0);
        if (r > 0) {
          c.in.append(buf, static_cast<size_t>(r));
          continue;
        }
        if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
          // The server closed the connection (keep-alive limit): reconnect and send again.
          ::close(c.fd);
          ++errors;
          connect_one(c);
          if (c.busy) prepare(c);
        }
        break;
      }
      const size_t head_end = c.in.find("\r\n\r\n");
      if (head_end == std::string::npos) continue;
      size_t length = 0;
      const size_t cl = c.in.find("Content-Length: ");
      if (cl != std::string::npos && cl < head_end) length = std::stoul(c.in.substr(cl + 16));
      if (c.in.size() < head_end + 4 + length) continue;
      const int status = std::stoi(c.in.substr(9, 3));
      const std::string body = c.in.substr(head_end + 4, length);
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - c.sent_at).count();
      slowest_ms = std::max(slowest_ms, ms);  // any answer: booked, full, waiting room
      c.busy = false;
      bool more = true;
      if (status == 201) {
        ++created;
        mine.push_back(ms);
        my_codes.push_back(nlohmann::json::parse(body)["confirmation_code"]);
        last_created_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
        more = next_resident(c);
      } else if (status == 503) {
        ++waiting;
        auto j = nlohmann::json::parse(body, nullptr, false);
        if (j.is_object()) c.queue_ticket = j["error"].value("queue_ticket", "");
        // The waiting-room page comes back after Retry-After (capped at 2 s here).
        int after = 1;
        if (const size_t ra = c.in.find("Retry-After: "); ra != std::string::npos && ra < head_end) after = std::stoi(c.in.substr(ra + 13));
        c.wake_at = Clock::now() + std::chrono::seconds(std::min(after, 2));
        continue;
      } else if (status == 409) {
        ++full;
        ++c.full_streak;
        if (body.find("slot_full") != std::string::npos) slot_full[c.pick] = true;
        more = next_resident(c);
      } else {
        ++other;
        more = next_resident(c);
      }
      if (!more) {
        ::close(c.fd);
        c.fd = -1;
        --active;
        continue;
      }
      prepare(c);
      epoll_event ev{};
      ev.events = EPOLLIN | EPOLLOUT;
      ev.data.ptr = &c;
      epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &ev);
    }
    if (created.load() >= a.seats) break;
  }
  for (auto& c : conns) {
    if (c.fd >= 0) ::close(c.fd);
  }
  ::close(ep);
  admitted_ms = std::move(mine);
  codes = std::move(my_codes);
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
  j["slowest_answer_ms"] = slowest_ms;  // a stall (the disk, a lost wake-up) shows here
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
