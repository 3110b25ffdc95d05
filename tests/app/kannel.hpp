// tests/app/kannel.hpp — a real Kannel for black-box tests (scripts/kannel-throwaway.sh: bearerbox,
// smsbox and fakesmsc on free loopback ports), and what fakesmsc's log says each phone received.
#pragma once

#include <cstdio>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace madoguchi::testing {

inline std::string Sh(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

inline std::string EnvValue(const std::string& exports, const std::string& name) {
  std::smatch m;
  if (std::regex_search(exports, m, std::regex(name + "='?([^' \\n]+)"))) return m[1];
  return {};
}

inline int HexValue(char c) { return c >= 'A' ? (c & 0x0F) + 9 : c - '0'; }

inline std::string PercentDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

// UTF-16BE bytes as UTF-8 (surrogate pairs joined).
inline std::string Utf16BeToUtf8(const std::string& b) {
  std::string out;
  for (size_t i = 0; i + 1 < b.size(); i += 2) {
    char32_t u = (static_cast<unsigned char>(b[i]) << 8) | static_cast<unsigned char>(b[i + 1]);
    if (u >= 0xD800 && u < 0xDC00 && i + 3 < b.size()) {
      const char32_t lo = (static_cast<unsigned char>(b[i + 2]) << 8) | static_cast<unsigned char>(b[i + 3]);
      u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
      i += 2;
    }
    if (u < 0x80) {
      out += static_cast<char>(u);
    } else if (u < 0x800) {
      out += static_cast<char>(0xC0 | (u >> 6));
      out += static_cast<char>(0x80 | (u & 0x3F));
    } else if (u < 0x10000) {
      out += static_cast<char>(0xE0 | (u >> 12));
      out += static_cast<char>(0x80 | ((u >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (u & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (u >> 18));
      out += static_cast<char>(0x80 | ((u >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((u >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (u & 0x3F));
    }
  }
  return out;
}

// What fakesmsc received for one number: each SMS as fakesmsc logged it.
struct Received {
  std::string type;  // "ucs-2", "text" or "udh"
  std::string udh;   // the concatenation header's bytes, for "udh"
  std::string text;  // the text as UTF-8 (UCS-2 decoded)
};

inline std::vector<Received> ReceivedBy(const std::string& log_path, const std::string& to) {
  std::vector<Received> out;
  std::ifstream in(log_path);
  const std::regex line("Got message [0-9]+: <(\\S+) (\\S+) (\\S+) (.*)>$");
  for (std::string l; std::getline(in, l);) {
    std::smatch m;
    if (!std::regex_search(l, m, line) || m[2] != to) continue;
    Received r;
    r.type = m[3];
    const std::string rest = m[4];
    if (r.type == "udh") {
      // "<udh> data <bytes>"
      const size_t sp = rest.find(' ');
      r.udh = PercentDecode(rest.substr(0, sp));
      const std::string data = PercentDecode(rest.substr(rest.find(' ', sp + 1) + 1));
      r.text = Utf16BeToUtf8(data);
    } else if (r.type == "ucs-2") {
      r.text = Utf16BeToUtf8(PercentDecode(rest));
    } else {
      r.text = rest;
    }
    out.push_back(r);
  }
  return out;
}

// A started Kannel; Stop() (or the destructor) ends it.
struct Kannel {
  std::string dir, sendsms_url, password, mo_port, fakesmsc_log, admin_url, admin_password;
  // Starts one whose smsbox sends replies to `mo_url` (with the configuration template `conf_in`,
  // else the script's); dir is empty when it did not start.
  static Kannel Start(const std::string& mo_url, std::string* output = nullptr, const std::string& conf_in = "") {
    const std::string env = conf_in.empty() ? "" : "KANNEL_CONF_IN='" + conf_in + "' ";
    const std::string out = Sh(env + std::string(MADOGUCHI_SOURCE_DIR) + "/scripts/kannel-throwaway.sh start '" + mo_url + "' 2>&1");
    if (output) *output = out;
    Kannel k;
    k.dir = EnvValue(out, "KANNEL_DIR");
    k.sendsms_url = EnvValue(out, "KANNEL_SENDSMS_URL");
    k.password = EnvValue(out, "KANNEL_PASS");
    k.mo_port = EnvValue(out, "KANNEL_MO_PORT");
    k.fakesmsc_log = EnvValue(out, "KANNEL_FAKESMSC_LOG");
    k.admin_url = EnvValue(out, "KANNEL_ADMIN");
    k.admin_password = EnvValue(out, "KANNEL_ADMIN_PASS");
    return k;
  }
  void Stop() {
    if (!dir.empty()) Sh(std::string(MADOGUCHI_SOURCE_DIR) + "/scripts/kannel-throwaway.sh stop " + dir);
    dir.clear();
  }
  // The worker's flags for this Kannel.
  std::vector<std::string> WorkerFlags() const {
    return {"--kannel-url", sendsms_url, "--kannel-user", "mdg", "--kannel-pass", password, "--smsc", "mt"};
  }
};

}  // namespace madoguchi::testing
