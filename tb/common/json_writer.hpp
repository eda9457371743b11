// Minimal streaming JSON writer for reports and benchmark lines (objects, arrays, numbers,
// strings, booleans), with correct string escaping and commas. No dependency.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

namespace pnm {

class JsonWriter {
 public:
  JsonWriter& begin_object(const char* key = nullptr) { return open(key, '{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array(const char* key = nullptr) { return open(key, '['); }
  JsonWriter& end_array() { return close(']'); }

  JsonWriter& field(const char* key, const std::string& v) { prefix(key); quote(v); return *this; }
  JsonWriter& field(const char* key, const char* v) { return field(key, std::string(v)); }
  JsonWriter& field(const char* key, bool v) { prefix(key); os_ << (v ? "true" : "false"); return *this; }
  JsonWriter& field(const char* key, double v) {
    prefix(key);
    if (std::isfinite(v)) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", v);
      os_ << buf;
    } else {
      os_ << "null";
    }
    return *this;
  }
  JsonWriter& field(const char* key, uint64_t v) { prefix(key); os_ << v; return *this; }
  JsonWriter& field(const char* key, int64_t v) { prefix(key); os_ << v; return *this; }
  JsonWriter& field(const char* key, uint32_t v) { return field(key, static_cast<uint64_t>(v)); }
  JsonWriter& field(const char* key, int v) { return field(key, static_cast<int64_t>(v)); }

  std::string str() const { return os_.str(); }

 private:
  JsonWriter& open(const char* key, char c) {
    prefix(key);
    os_ << c;
    first_.push_back(true);
    return *this;
  }
  JsonWriter& close(char c) {
    os_ << c;
    first_.pop_back();
    return *this;
  }
  void prefix(const char* key) {
    if (!first_.empty()) {
      if (!first_.back()) os_ << ',';
      first_.back() = false;
    }
    if (key) {
      quote(key);
      os_ << ':';
    }
  }
  void quote(const std::string& s) {
    os_ << '"';
    for (const unsigned char c : s) {
      switch (c) {
        case '"': os_ << "\\\""; break;
        case '\\': os_ << "\\\\"; break;
        case '\n': os_ << "\\n"; break;
        case '\t': os_ << "\\t"; break;
        case '\r': os_ << "\\r"; break;
        default:
          if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            os_ << buf;
          } else {
            os_ << c;
          }
      }
    }
    os_ << '"';
  }
  std::ostringstream os_;
  std::vector<bool> first_;
};

}  // namespace pnm
