// tests/support/smtp_sink.hpp — a real SMTP server for tests (scripts/smtp-throwaway.sh: aiosmtpd
// from Debian on a free loopback port, writing a Maildir; a mailbox named unknown… is refused with
// 550), and what each message it received says once decoded: headers, subject, text and HTML.
#pragma once

#include <dirent.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "common/crypto.hpp"

namespace madoguchi::testing {

struct ReceivedEmail {
  std::string raw;
  std::map<std::string, std::string> headers;  // unfolded, as sent (encoded words kept)
  std::string subject, from;                   // encoded words decoded
  std::string text, html;                      // the parts, decoded
  std::string text_type, html_type;            // their Content-Type
};

inline std::string DecodeWords(const std::string& value) {
  std::string out;
  const std::regex word("=\\?UTF-8\\?B\\?([A-Za-z0-9+/=]*)\\?=");
  std::string rest = value;
  std::smatch m;
  while (std::regex_search(rest, m, word)) {
    std::string before = m.prefix();
    // Spaces between encoded words are not text (RFC 2047 §6.2).
    if (!out.empty() && std::all_of(before.begin(), before.end(), [](char c) { return c == ' '; })) before.clear();
    out += before + crypto::Base64Decode(m[1].str()).value_or("?");
    rest = m.suffix();
  }
  return out + rest;
}

inline ReceivedEmail ParseEmail(const std::string& raw) {
  ReceivedEmail e;
  e.raw = raw;
  std::string s;
  for (char c : raw) {
    if (c != '\r') s += c;
  }
  const size_t end = s.find("\n\n");
  std::istringstream head(s.substr(0, end));
  std::string last;
  for (std::string line; std::getline(head, line);) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      e.headers[last] += line;  // unfolding removes the line break only
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    last = line.substr(0, colon);
    e.headers[last] = line.substr(colon + 1 + (colon + 1 < line.size() && line[colon + 1] == ' '));
  }
  e.subject = DecodeWords(e.headers["Subject"]);
  e.from = DecodeWords(e.headers["From"]);
  std::smatch b;
  const std::string type = e.headers["Content-Type"];
  if (!std::regex_search(type, b, std::regex("boundary=\"([^\"]+)\""))) return e;
  const std::string boundary = "--" + b[1].str();
  const std::string body = s.substr(end + 2);
  for (size_t at = body.find(boundary); at != std::string::npos;) {
    const size_t next = body.find(boundary, at + boundary.size());
    if (next == std::string::npos) break;
    const std::string part = body.substr(at + boundary.size() + 1, next - at - boundary.size() - 1);
    const size_t blank = part.find("\n\n");
    const std::string part_head = part.substr(0, blank);
    std::string data;
    for (char c : part.substr(blank + 2)) {
      if (c != '\n') data += c;
    }
    std::smatch t;
    std::regex_search(part_head, t, std::regex("Content-Type: ([^\n]+)"));
    const std::string decoded = crypto::Base64Decode(data).value_or("(not base64)");
    if (part_head.find("text/plain") != std::string::npos) e.text = decoded, e.text_type = t[1];
    if (part_head.find("text/html") != std::string::npos) e.html = decoded, e.html_type = t[1];
    at = next;
  }
  return e;
}

struct SmtpSink {
  std::string dir, url, maildir;
  static SmtpSink Start(std::string* output = nullptr) {
    std::string out;
    FILE* p = popen((std::string(MADOGUCHI_SOURCE_DIR) + "/scripts/smtp-throwaway.sh start 2>&1").c_str(), "r");
    if (p) {
      char buf[1024];
      size_t n;
      while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
      pclose(p);
    }
    if (output) *output = out;
    SmtpSink sink;
    std::smatch m;
    if (std::regex_search(out, m, std::regex("SMTP_DIR=(\\S+) SMTP_URL=(\\S+) SMTP_MAILDIR=(\\S+)"))) {
      sink.dir = m[1], sink.url = m[2], sink.maildir = m[3];
    }
    return sink;
  }
  void Stop() {
    if (!dir.empty()) std::system((std::string(MADOGUCHI_SOURCE_DIR) + "/scripts/smtp-throwaway.sh stop " + dir).c_str());
    dir.clear();
  }
  // Every message received so far, oldest first (Maildir names start with the time).
  std::vector<ReceivedEmail> Received() const {
    std::vector<std::string> names;
    if (DIR* d = opendir((maildir + "/new").c_str())) {
      while (dirent* e = readdir(d)) {
        if (e->d_name[0] != '.') names.push_back(e->d_name);
      }
      closedir(d);
    }
    std::sort(names.begin(), names.end());
    std::vector<ReceivedEmail> out;
    for (const std::string& n : names) {
      std::ifstream in(maildir + "/new/" + n, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      out.push_back(ParseEmail(ss.str()));
    }
    return out;
  }
  // The messages received for `to` (the To header's address).
  std::vector<ReceivedEmail> ReceivedBy(const std::string& to) const {
    std::vector<ReceivedEmail> out;
    for (ReceivedEmail& e : Received()) {
      if (e.headers["To"] == "<" + to + ">") out.push_back(std::move(e));
    }
    return out;
  }
};

}  // namespace madoguchi::testing
