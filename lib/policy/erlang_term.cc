// ErlangTerm: JSON values printed the way Erlang's ~p prints what RabbitMQ decodes
// them into, so validation messages read as RabbitMQ's do
// (shared/reference/rabbitmq-3.10.8/policies.txt: "<<\"bogus\">> is not a valid ...").
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "policy/parameters.h"

namespace warren::policy {
namespace {

bool IsPrintableAscii(const std::string& s) {
  for (unsigned char c : s) {
    if ((c < 32 || c > 126) && c != '\n' && c != '\t' && c != '\r') return false;
  }
  return true;
}

bool IsValidUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = s[i];
    size_t extra;
    if (c < 0x80) {
      extra = 0;
    } else if ((c >> 5) == 0x6) {
      extra = 1;
    } else if ((c >> 4) == 0xE) {
      extra = 2;
    } else if ((c >> 3) == 0x1E) {
      extra = 3;
    } else {
      return false;
    }
    for (size_t k = 1; k <= extra; ++k) {
      if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    }
    i += extra + 1;
  }
  return true;
}

std::string Escaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Binary(const std::string& s) {
  if (IsPrintableAscii(s)) return "<<\"" + Escaped(s) + "\">>";
  if (IsValidUtf8(s)) return "<<\"" + Escaped(s) + "\"/utf8>>";
  std::string out = "<<";
  for (size_t i = 0; i < s.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(static_cast<unsigned char>(s[i]));
  }
  return out + ">>";
}

// Erlang prints floats with the fewest digits that read back the same: fixed notation
// for moderate exponents ("0.5", "100.0"), scientific otherwise ("1.0e21", "1.0e-5").
std::string Float(double d) {
  if (!std::isfinite(d)) return d != d ? "nan" : (d < 0 ? "-inf" : "inf");
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::scientific);
  std::string sci(buf, r.ptr);
  const size_t e = sci.find('e');
  std::string mantissa = sci.substr(0, e);
  const int exp = std::atoi(sci.c_str() + e + 1);
  const bool negative = mantissa[0] == '-';
  if (negative) mantissa.erase(0, 1);
  std::string digits;
  for (char c : mantissa)
    if (c != '.') digits += c;
  std::string out;
  if (exp >= -4 && exp < 21) {
    if (exp < 0) {
      out = "0." + std::string(-exp - 1, '0') + digits;
    } else if (static_cast<int>(digits.size()) <= exp + 1) {
      out = digits + std::string(exp + 1 - digits.size(), '0') + ".0";
    } else {
      out = digits.substr(0, exp + 1) + "." + digits.substr(exp + 1);
    }
  } else {
    out = digits.substr(0, 1) + "." + (digits.size() > 1 ? digits.substr(1) : "0") + "e" +
          std::to_string(exp);
  }
  return negative ? "-" + out : out;
}

}  // namespace

std::string ErlangTerm(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case json::value_t::number_integer: return std::to_string(v.get<int64_t>());
    case json::value_t::number_unsigned: return std::to_string(v.get<uint64_t>());
    case json::value_t::number_float: return Float(v.get<double>());
    case json::value_t::string: return Binary(v.get<std::string>());
    case json::value_t::array: {
      std::string out = "[";
      for (size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + ErlangTerm(v[i]);
      return out + "]";
    }
    case json::value_t::object: {
      std::string out = "#{";
      bool first = true;
      for (const auto& [k, item] : v.items()) {
        out += (first ? "" : ",") + Binary(k) + " => " + ErlangTerm(item);
        first = false;
      }
      return out + "}";
    }
    default: return v.dump();
  }
}

std::string ValidationFailed(const Errors& errors) {
  std::string out = "Validation failed\n\n";
  for (const auto& e : errors) out += e + "\n";
  return out;
}

}  // namespace warren::policy
