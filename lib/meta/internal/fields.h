// Field access shared by the state machine's .cc files: a missing or mistyped field of a
// command or a definitions entry is BadInput naming the field. Internal to lib/meta.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace warren::meta::internal {

inline Result<std::string> Str(const nlohmann::json& c, const char* key) {
  auto it = c.find(key);
  if (it == c.end() || !it->is_string())
    return Status::BadInput(std::string("field '") + key + "' must be a string");
  return it->get<std::string>();
}

inline std::string StrOr(const nlohmann::json& c, const char* key, std::string def) {
  auto it = c.find(key);
  return it != c.end() && it->is_string() ? it->get<std::string>() : def;
}

// The list under `key` of a definitions document; an absent or null section is empty.
inline Result<nlohmann::json> Section(const nlohmann::json& d, const char* key) {
  auto it = d.find(key);
  if (it == d.end() || it->is_null()) return nlohmann::json::array();
  if (!it->is_array()) return Status::BadInput(std::string("'") + key + "' must be a list");
  return *it;
}

// "definitions: queues[2]: <what is wrong>".
inline Status EntryError(const char* key, size_t i, const Status& s) {
  return Status::BadInput(std::string("definitions: ") + key + "[" + std::to_string(i) +
                          "]: " + s.message());
}

// Erases the entries of a map whose key satisfies `pred`.
template <typename Map, typename Pred>
void EraseIf(Map& m, Pred pred) {
  for (auto it = m.begin(); it != m.end();) {
    if (pred(it->first)) {
      it = m.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace warren::meta::internal
