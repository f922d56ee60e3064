// Reads a provisioning file (docs/provisioning.md) into internal::Desired. yaml-cpp
// exceptions are caught here and become BadInput naming the file and the line.
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <map>

#include "auth/password.h"
#include "policy/parameters.h"
#include "policy/policy.h"
#include "provision/internal/desired.h"

namespace warren::provision::internal {
namespace {

constexpr const char* kSections[] = {"users",    "vhosts",           "permissions",
                                     "topic_permissions", "policies", "operator_policies",
                                     "parameters", "global_parameters"};

int LineOf(const YAML::Node& n) {
  const YAML::Mark m = n.Mark();
  return m.is_null() ? 0 : m.line + 1;
}

bool IsInteger(const std::string& s) {
  size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

bool IsFloat(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return false;
  // strtod also takes "inf", "nan" and hex; YAML's core schema does not.
  for (char c : s)
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E' ||
          c == '-' || c == '+'))
      return false;
  return true;
}

// A scalar as YAML's core schema types it: quoted or explicitly tagged scalars stay
// strings; plain ones may be null, booleans, integers or floats.
json ScalarJson(const YAML::Node& n) {
  const std::string& s = n.Scalar();
  if (n.Tag() != "?") return s;
  if (s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (IsInteger(s)) {
    int64_t v = 0;
    const char* begin = s.c_str() + (s[0] == '+' ? 1 : 0);
    auto [ptr, ec] = std::from_chars(begin, s.c_str() + s.size(), v);
    if (ec == std::errc() && ptr == s.c_str() + s.size()) return v;
  }
  if (IsFloat(s)) return std::strtod(s.c_str(), nullptr);
  return s;
}

Result<json> ToJson(const YAML::Node& n, const Where& at, const std::string& field) {
  if (!n.IsDefined() || n.IsNull()) return json(nullptr);
  if (n.IsScalar()) return ScalarJson(n);
  if (n.IsSequence()) {
    json out = json::array();
    for (const auto& e : n) {
      WARREN_ASSIGN_OR_RETURN(json v, ToJson(e, at, field));
      out.push_back(std::move(v));
    }
    return out;
  }
  json out = json::object();
  for (auto it = n.begin(); it != n.end(); ++it) {
    if (!it->first.IsScalar()) {
      Where w = at;
      w.line = LineOf(it->first);
      return w.Error("field '" + field + "' has a key that is not a string");
    }
    WARREN_ASSIGN_OR_RETURN(json v, ToJson(it->second, at, field));
    out[it->first.Scalar()] = std::move(v);
  }
  return out;
}

// Reads the fields of one entry (a YAML map), reporting errors at the field's line.
class EntryReader {
 public:
  EntryReader(const YAML::Node& node, Where at) : node_(node), at_(std::move(at)) {}

  const Where& at() const { return at_; }
  void set_label(std::string label) { at_.label = std::move(label); }

  Status CheckFields(std::initializer_list<std::string_view> allowed) const {
    for (auto it = node_.begin(); it != node_.end(); ++it) {
      const std::string key = it->first.IsScalar() ? it->first.Scalar() : "?";
      bool known = false;
      for (auto a : allowed) known = known || a == key;
      if (!known) {
        std::string list;
        for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        return ErrorAt(it->first, "unknown field '" + key + "' (known fields: " + list + ")");
      }
    }
    return Status::OK();
  }

  bool Has(const char* key) const { return bool(node_[key]); }

  Result<std::optional<std::string>> OptString(const char* key) const {
    YAML::Node v = node_[key];
    if (!v) return std::optional<std::string>();
    if (!v.IsScalar()) return ErrorAt(v, std::string("field '") + key + "' must be a string");
    return std::optional<std::string>(v.Scalar());
  }

  Result<std::string> String(const char* key, const char* fallback = nullptr) const {
    WARREN_ASSIGN_OR_RETURN(std::optional<std::string> v, OptString(key));
    if (v) return *v;
    if (fallback) return std::string(fallback);
    return at_.Error(std::string("field '") + key + "' is required");
  }

  Result<std::string> Name(const char* key = "name") const {
    WARREN_ASSIGN_OR_RETURN(std::string v, String(key));
    if (v.empty()) return ErrorAt(node_[key], std::string("field '") + key + "' must not be empty");
    return v;
  }

  // A list of strings, or one comma-separated string, as RabbitMQ's tags are given.
  Result<std::optional<std::vector<std::string>>> OptTags(const char* key) const {
    YAML::Node v = node_[key];
    std::vector<std::string> tags;
    if (!v) return std::optional<std::vector<std::string>>();
    const std::string bad = std::string("field '") + key +
                            "' must be a list of strings or one comma-separated string";
    if (v.IsNull()) return std::optional(tags);
    if (v.IsScalar()) {
      std::string s = v.Scalar();
      size_t start = 0;
      while (start <= s.size()) {
        size_t comma = s.find(',', start);
        std::string t = s.substr(start, comma == std::string::npos ? std::string::npos
                                                                   : comma - start);
        t.erase(0, t.find_first_not_of(' '));
        t.erase(t.find_last_not_of(' ') + 1);
        if (!t.empty()) tags.push_back(t);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      return std::optional(tags);
    }
    if (!v.IsSequence()) return ErrorAt(v, bad);
    for (const auto& t : v) {
      if (!t.IsScalar()) return ErrorAt(t, bad);
      tags.push_back(t.Scalar());
    }
    return std::optional(tags);
  }

  // A map of limit names to integers; null or {} clears every limit.
  Result<std::optional<json>> OptLimits(const char* key,
                                        std::initializer_list<std::string_view> names) const {
    YAML::Node v = node_[key];
    if (!v) return std::optional<json>();
    json limits = json::object();
    if (v.IsNull()) return std::optional(limits);
    if (!v.IsMap()) return ErrorAt(v, std::string("field '") + key + "' must be a map");
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string name = it->first.IsScalar() ? it->first.Scalar() : "?";
      bool known = false;
      for (auto n : names) known = known || n == name;
      if (!known) {
        std::string list;
        for (auto n : names) list += (list.empty() ? "" : ", ") + std::string(n);
        return ErrorAt(it->first, "unknown limit '" + name + "' (known limits: " + list + ")");
      }
      json value = it->second.IsScalar() ? ScalarJson(it->second) : json(nullptr);
      if (!value.is_number_integer())
        return ErrorAt(it->second, "limit '" + name + "' must be an integer");
      limits[name] = value;
    }
    return std::optional(limits);
  }

  Result<std::optional<int>> OptInt(const char* key) const {
    YAML::Node v = node_[key];
    if (!v) return std::optional<int>();
    json value = v.IsScalar() ? ScalarJson(v) : json(nullptr);
    if (!value.is_number_integer() || value.get<int64_t>() < INT32_MIN ||
        value.get<int64_t>() > INT32_MAX)
      return ErrorAt(v, std::string("field '") + key + "' must be an integer");
    return std::optional(value.get<int>());
  }

  // Any YAML value as JSON; `required` fields must be present.
  Result<json> Json(const char* key) const {
    YAML::Node v = node_[key];
    if (!v) return at_.Error(std::string("field '") + key + "' is required");
    Where w = at_;
    w.line = LineOf(v);
    return ToJson(v, w, key);
  }

  Status ErrorAt(const YAML::Node& n, const std::string& what) const {
    Where w = at_;
    if (int line = LineOf(n); line > 0) w.line = line;
    return w.Error(what);
  }

 private:
  YAML::Node node_;
  Where at_;
};

Result<User> ParseUser(EntryReader& r) {
  User u;
  WARREN_ASSIGN_OR_RETURN(u.name, r.Name());
  r.set_label(u.name);
  WARREN_TRY(r.CheckFields({"name", "password", "password_hash", "hashing_algorithm", "tags",
                            "limits"}));
  u.at = r.at();
  WARREN_ASSIGN_OR_RETURN(u.password, r.OptString("password"));
  WARREN_ASSIGN_OR_RETURN(u.password_hash, r.OptString("password_hash"));
  WARREN_ASSIGN_OR_RETURN(u.hashing_algorithm, r.OptString("hashing_algorithm"));
  if (u.password && u.password_hash)
    return u.at.Error("give either 'password' or 'password_hash', not both");
  if (u.hashing_algorithm && !u.password_hash)
    return u.at.Error("'hashing_algorithm' goes with 'password_hash'");
  if (u.password_hash) {
    const std::string alg = u.hashing_algorithm.value_or(std::string(auth::kSha256Algorithm));
    if (!auth::SupportedAlgorithm(alg))
      return u.at.Error("hashing algorithm '" + alg + "' is not supported");
  }
  WARREN_ASSIGN_OR_RETURN(u.tags, r.OptTags("tags"));
  WARREN_ASSIGN_OR_RETURN(u.limits, r.OptLimits("limits", {"max-connections", "max-channels"}));
  return u;
}

Result<Vhost> ParseVhost(EntryReader& r) {
  Vhost v;
  WARREN_ASSIGN_OR_RETURN(v.name, r.Name());
  r.set_label(v.name);
  WARREN_TRY(r.CheckFields({"name", "description", "tags", "default_queue_type", "limits"}));
  v.at = r.at();
  WARREN_ASSIGN_OR_RETURN(v.description, r.OptString("description"));
  WARREN_ASSIGN_OR_RETURN(v.tags, r.OptTags("tags"));
  WARREN_ASSIGN_OR_RETURN(v.default_queue_type, r.OptString("default_queue_type"));
  if (v.default_queue_type && *v.default_queue_type != "classic" &&
      *v.default_queue_type != "quorum" && *v.default_queue_type != "stream")
    return v.at.Error("default_queue_type must be classic, quorum or stream, not '" +
                      *v.default_queue_type + "'");
  WARREN_ASSIGN_OR_RETURN(v.limits, r.OptLimits("limits", {"max-connections", "max-queues"}));
  return v;
}

Result<Permission> ParsePermission(EntryReader& r) {
  Permission p;
  WARREN_ASSIGN_OR_RETURN(p.user, r.Name("user"));
  WARREN_ASSIGN_OR_RETURN(p.vhost, r.String("vhost", "/"));
  r.set_label(p.user + "@" + p.vhost);
  WARREN_TRY(r.CheckFields({"user", "vhost", "configure", "write", "read"}));
  WARREN_ASSIGN_OR_RETURN(p.configure, r.String("configure"));
  WARREN_ASSIGN_OR_RETURN(p.write, r.String("write"));
  WARREN_ASSIGN_OR_RETURN(p.read, r.String("read"));
  p.at = r.at();
  return p;
}

Result<TopicPermission> ParseTopicPermission(EntryReader& r) {
  TopicPermission p;
  WARREN_ASSIGN_OR_RETURN(p.user, r.Name("user"));
  WARREN_ASSIGN_OR_RETURN(p.vhost, r.String("vhost", "/"));
  WARREN_ASSIGN_OR_RETURN(p.exchange, r.Name("exchange"));
  r.set_label(p.user + "@" + p.vhost + " " + p.exchange);
  WARREN_TRY(r.CheckFields({"user", "vhost", "exchange", "write", "read"}));
  WARREN_ASSIGN_OR_RETURN(p.write, r.String("write"));
  WARREN_ASSIGN_OR_RETURN(p.read, r.String("read"));
  p.at = r.at();
  return p;
}

// lib/policy's "Validation failed\n\n<problem>\n<problem>\n" as one line of problems.
std::string OneLine(std::string what) {
  const std::string prefix = "Validation failed\n\n";
  if (what.rfind(prefix, 0) == 0) what = what.substr(prefix.size());
  while (!what.empty() && what.back() == '\n') what.pop_back();
  for (size_t nl; (nl = what.find('\n')) != std::string::npos;) what.replace(nl, 1, "; ");
  return what;
}

// Policies are checked as set_policy checks them (lib/policy), with its wording.
Result<Policy> ParsePolicyOf(EntryReader& r, policy::Kind kind) {
  Policy p;
  WARREN_ASSIGN_OR_RETURN(p.name, r.Name());
  WARREN_ASSIGN_OR_RETURN(p.vhost, r.String("vhost", "/"));
  r.set_label(p.name + "@" + p.vhost);
  WARREN_TRY(r.CheckFields({"name", "vhost", "pattern", "apply-to", "priority", "definition"}));
  WARREN_ASSIGN_OR_RETURN(p.pattern, r.String("pattern"));
  WARREN_ASSIGN_OR_RETURN(p.apply_to, r.String("apply-to", "all"));
  WARREN_ASSIGN_OR_RETURN(std::optional<int> priority, r.OptInt("priority"));
  p.priority = priority.value_or(0);
  WARREN_ASSIGN_OR_RETURN(p.definition, r.Json("definition"));
  if (!p.definition.is_object()) return r.at().Error("field 'definition' must be a map");
  Status valid = policy::ValidatePolicy(kind, p.name,
                                        {{"pattern", p.pattern},
                                         {"apply-to", p.apply_to},
                                         {"priority", p.priority},
                                         {"definition", p.definition}});
  if (!valid.ok()) return r.at().Error(OneLine(valid.message()));
  p.at = r.at();
  return p;
}

Result<Policy> ParsePolicy(EntryReader& r) { return ParsePolicyOf(r, policy::Kind::kPolicy); }
Result<Policy> ParseOperatorPolicy(EntryReader& r) {
  return ParsePolicyOf(r, policy::Kind::kOperatorPolicy);
}

Result<Parameter> ParseParameter(EntryReader& r) {
  Parameter p;
  WARREN_ASSIGN_OR_RETURN(p.component, r.Name("component"));
  WARREN_ASSIGN_OR_RETURN(p.name, r.Name());
  WARREN_ASSIGN_OR_RETURN(p.vhost, r.String("vhost", "/"));
  r.set_label(p.component + "/" + p.name + "@" + p.vhost);
  WARREN_TRY(r.CheckFields({"vhost", "component", "name", "value"}));
  if (p.component == "policy" || p.component == "operator_policy")
    return r.at().Error("declare policies in the policies and operator_policies sections");
  if (p.component == "vhost-limits")
    return r.at().Error("declare vhost limits with the vhost's limits field");
  WARREN_ASSIGN_OR_RETURN(p.value, r.Json("value"));
  // As set_parameter: the component (registered by its plugin) validates the value.
  Status valid = policy::Components().Validate(p.vhost, p.component, p.name, p.value);
  if (!valid.ok()) return r.at().Error(OneLine(valid.message()));
  p.at = r.at();
  return p;
}

Result<GlobalParameter> ParseGlobalParameter(EntryReader& r) {
  GlobalParameter p;
  WARREN_ASSIGN_OR_RETURN(p.name, r.Name());
  r.set_label(p.name);
  WARREN_TRY(r.CheckFields({"name", "value"}));
  WARREN_ASSIGN_OR_RETURN(p.value, r.Json("value"));
  p.at = r.at();
  return p;
}

// Parses every entry of one section with `parse`, rejecting two entries for one object.
template <typename T, typename Fn>
Result<std::vector<T>> ParseSection(const YAML::Node& list, const Where& section_at, Fn parse) {
  std::vector<T> out;
  if (!list || list.IsNull()) return out;
  if (!list.IsSequence()) return section_at.Error("a section must be a list of entries");
  std::map<std::string, int> seen;
  for (size_t i = 0; i < list.size(); ++i) {
    Where at = section_at;
    at.index = i;
    at.line = LineOf(list[i]);
    if (!list[i].IsMap()) return at.Error("an entry must be a map of fields");
    EntryReader reader(list[i], at);
    WARREN_ASSIGN_OR_RETURN(T entry, parse(reader));
    auto [it, fresh] = seen.emplace(entry.at.label, entry.at.line);
    if (!fresh)
      return entry.at.Error("declared twice (first at line " + std::to_string(it->second) + ")");
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace

std::string Where::Text() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  if (!section.empty()) {
    out += ": " + section + "[" + std::to_string(index) + "]";
    if (!label.empty()) out += " (" + label + ")";
  }
  return out;
}

Status Where::Error(const std::string& what) const {
  return Status::BadInput(Text() + ": " + what, "provision");
}

Result<Desired> ParseDesired(std::string_view yaml_text, const std::string& file_name) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    std::string where = file_name;
    if (!e.mark.is_null())
      where += ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
    return Status::BadInput(where + ": bad YAML: " + e.msg, "provision");
  }
  const YAML::Node& croot = root;  // const: looking a section up must not add it
  Desired d;
  if (!croot || croot.IsNull()) return d;  // an empty file declares nothing
  if (!croot.IsMap()) {
    return Status::BadInput(file_name + ": the file must be a map of sections (users, vhosts, "
                                        "permissions, ...)",
                            "provision");
  }
  try {
    for (auto it = croot.begin(); it != croot.end(); ++it) {
      const std::string key = it->first.IsScalar() ? it->first.Scalar() : "?";
      bool known = false;
      for (const char* s : kSections) known = known || key == s;
      if (!known) {
        std::string list;
        for (const char* s : kSections) list += (list.empty() ? "" : ", ") + std::string(s);
        return Status::BadInput(file_name + ":" + std::to_string(LineOf(it->first)) +
                                    ": unknown section '" + key + "' (known sections: " + list +
                                    ")",
                                "provision");
      }
    }
    auto section_at = [&](const char* name) {
      Where w;
      w.file = file_name;
      w.line = LineOf(croot[name]);
      w.section = name;
      return w;
    };
    auto parse_into = [&](const char* name, auto& field, auto parse) -> Status {
      if (!croot[name]) return Status::OK();
      using T = typename std::remove_reference_t<decltype(field)>::value_type::value_type;
      WARREN_ASSIGN_OR_RETURN(auto entries, ParseSection<T>(croot[name], section_at(name), parse));
      field = std::move(entries);
      return Status::OK();
    };
    WARREN_TRY(parse_into("users", d.users, ParseUser));
    WARREN_TRY(parse_into("vhosts", d.vhosts, ParseVhost));
    WARREN_TRY(parse_into("permissions", d.permissions, ParsePermission));
    WARREN_TRY(parse_into("topic_permissions", d.topic_permissions, ParseTopicPermission));
    WARREN_TRY(parse_into("policies", d.policies, ParsePolicy));
    WARREN_TRY(parse_into("operator_policies", d.operator_policies, ParseOperatorPolicy));
    WARREN_TRY(parse_into("parameters", d.parameters, ParseParameter));
    WARREN_TRY(parse_into("global_parameters", d.global_parameters, ParseGlobalParameter));
  } catch (const YAML::Exception& e) {
    return Status::BadInput(file_name + ": " + e.what(), "provision");
  }
  return d;
}

}  // namespace warren::provision::internal
