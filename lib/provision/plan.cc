// Compares what a provisioning file declares with the metadata state. Creates and
// updates come first, in dependency order (vhosts and users before what refers to
// them), then deletes in the reverse order, so every command applies on its own. The
// whole plan is then tried on a copy of the state, so a dry run finds the errors a real
// run would meet.
#include <algorithm>
#include <set>

#include "auth/password.h"
#include "provision/internal/desired.h"
#include "provision/provision.h"

namespace warren::provision {
namespace {

using internal::Desired;
using json = nlohmann::json;

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

struct Planned {
  Change change;
  internal::Where at;  // the entry it comes from; no section for prune deletes
};

class Planner {
 public:
  Planner(const meta::State& state, const Desired& d, const PlanOptions& o)
      : state_(state), d_(d), o_(o) {}

  Result<std::vector<Change>> Run() {
    WARREN_TRY(CheckPruneConflicts());
    PlanVhosts();
    PlanUsers();
    PlanPermissions();
    PlanTopicPermissions();
    PlanPolicies(d_.policies, state_.policies(), "policy", "policy");
    PlanPolicies(d_.operator_policies, state_.operator_policies(), "operator_policy",
                 "operator_policy");
    PlanParameters();
    PlanGlobalParameters();
    if (o_.prune) PlanPrune();
    // Every command must apply, in order, to what the state will be by then.
    meta::State scratch = state_;
    for (const Planned& p : planned_) {
      Status s = scratch.Apply(p.change.command);
      if (!s.ok()) {
        if (!p.at.section.empty()) return p.at.Error(s.message());
        return Status::BadInput(o_.file_name + ": --prune cannot delete " + p.change.kind + " " +
                                    p.change.name + ": " + s.message(),
                                "provision");
      }
    }
    std::vector<Change> out;
    for (auto& p : planned_) out.push_back(std::move(p.change));
    return out;
  }

 private:
  void Add(char action, std::string kind, std::string name, json command,
           const internal::Where& at) {
    planned_.push_back({Change{action, std::move(kind), std::move(name), std::move(command)}, at});
  }
  void Delete(std::string kind, std::string name, json command) {
    internal::Where none;
    none.file = o_.file_name;
    deletes_.push_back({Change{'-', std::move(kind), std::move(name), std::move(command)}, none});
  }

  // With --prune, an entry must not refer to a user or vhost that the same run deletes.
  Status CheckPruneConflicts() const {
    if (!o_.prune) return Status::OK();
    auto user_goes = [&](const std::string& user) {
      if (!d_.users) return false;
      for (const auto& u : *d_.users)
        if (u.name == user) return false;
      return true;
    };
    auto vhost_goes = [&](const std::string& vhost) {
      if (!d_.vhosts) return false;
      for (const auto& v : *d_.vhosts)
        if (v.name == vhost) return false;
      return true;
    };
    auto check = [&](const internal::Where& at, const std::string* user,
                     const std::string& vhost) -> Status {
      if (user && user_goes(*user))
        return at.Error("user '" + *user + "' is not in the users section, so --prune would "
                        "delete it");
      if (vhost_goes(vhost))
        return at.Error("vhost '" + vhost + "' is not in the vhosts section, so --prune would "
                        "delete it");
      return Status::OK();
    };
    if (d_.permissions)
      for (const auto& p : *d_.permissions) WARREN_TRY(check(p.at, &p.user, p.vhost));
    if (d_.topic_permissions)
      for (const auto& p : *d_.topic_permissions) WARREN_TRY(check(p.at, &p.user, p.vhost));
    for (const auto* list : {&d_.policies, &d_.operator_policies})
      if (*list)
        for (const auto& p : **list) WARREN_TRY(check(p.at, nullptr, p.vhost));
    if (d_.parameters)
      for (const auto& p : *d_.parameters) WARREN_TRY(check(p.at, nullptr, p.vhost));
    return Status::OK();
  }

  void PlanVhosts() {
    if (!d_.vhosts) return;
    std::set<std::string> keep;
    for (const auto& v : *d_.vhosts) {
      keep.insert(v.name);
      json c = {{"op", "vhost.put"}, {"name", v.name}};
      if (v.description) c["description"] = *v.description;
      if (v.tags) c["tags"] = *v.tags;
      if (v.default_queue_type) c["default_queue_type"] = *v.default_queue_type;
      if (v.limits) c["limits"] = *v.limits;
      const meta::Vhost* cur = state_.FindVhost(v.name);
      if (!cur) {
        Add('+', "vhost", v.name, c, v.at);
        continue;
      }
      const bool same = (!v.description || *v.description == cur->description) &&
                        (!v.tags || Sorted(*v.tags) == Sorted(cur->tags)) &&
                        (!v.default_queue_type ||
                         *v.default_queue_type == cur->default_queue_type) &&
                        (!v.limits || *v.limits == cur->limits);
      if (!same) Add('~', "vhost", v.name, c, v.at);
    }
    for (const auto& [name, _] : state_.vhosts())
      if (!keep.count(name)) Delete("vhost", name, {{"op", "vhost.delete"}, {"name", name}});
  }

  void PlanUsers() {
    if (!d_.users) return;
    std::set<std::string> keep;
    for (const auto& u : *d_.users) {
      keep.insert(u.name);
      const meta::User* cur = state_.FindUser(u.name);
      // Start from what is there, so fields the file leaves out stay as they are.
      meta::User want = cur ? *cur : meta::User{};
      want.name = u.name;
      bool password_changes = false;
      if (u.password) {
        if (u.password->empty()) {
          password_changes = !want.password_hash.empty();  // blank: no password login
          want.password_hash.clear();
        } else if (!cur || !auth::CheckPassword(cur->hashing_algorithm, cur->password_hash,
                                                *u.password)) {
          password_changes = true;
          want.password_hash = auth::HashPassword(*u.password);
          want.hashing_algorithm = std::string(auth::kSha256Algorithm);
        }
      } else if (u.password_hash) {
        const std::string alg = u.hashing_algorithm.value_or(std::string(auth::kSha256Algorithm));
        password_changes = *u.password_hash != want.password_hash || alg != want.hashing_algorithm;
        want.password_hash = *u.password_hash;
        want.hashing_algorithm = alg;
      }
      if (u.tags) want.tags = *u.tags;
      if (u.limits) want.limits = *u.limits;
      json c = {{"op", "user.put"},
                {"name", want.name},
                {"password_hash", want.password_hash},
                {"hashing_algorithm", want.hashing_algorithm},
                {"tags", want.tags},
                {"limits", want.limits}};
      if (!cur) {
        Add('+', "user", u.name, c, u.at);
        continue;
      }
      const bool same = !password_changes && Sorted(want.tags) == Sorted(cur->tags) &&
                        want.limits == cur->limits;
      if (!same) Add('~', "user", u.name, c, u.at);
    }
    for (const auto& [name, _] : state_.users())
      if (!keep.count(name)) Delete("user", name, {{"op", "user.delete"}, {"name", name}});
  }

  void PlanPermissions() {
    if (!d_.permissions) return;
    std::set<meta::UserVhost> keep;
    for (const auto& p : *d_.permissions) {
      keep.insert({p.user, p.vhost});
      json c = {{"op", "permission.set"}, {"user", p.user},       {"vhost", p.vhost},
                {"configure", p.configure}, {"write", p.write}, {"read", p.read}};
      auto it = state_.permissions().find({p.user, p.vhost});
      if (it == state_.permissions().end()) {
        Add('+', "permissions", p.at.label, c, p.at);
      } else if (it->second.configure != p.configure || it->second.write != p.write ||
                 it->second.read != p.read) {
        Add('~', "permissions", p.at.label, c, p.at);
      }
    }
    for (const auto& [k, _] : state_.permissions()) {
      if (keep.count(k)) continue;
      Delete("permissions", k.first + "@" + k.second,
             {{"op", "permission.clear"}, {"user", k.first}, {"vhost", k.second}});
    }
  }

  void PlanTopicPermissions() {
    if (!d_.topic_permissions) return;
    std::set<std::tuple<std::string, std::string, std::string>> keep;
    for (const auto& p : *d_.topic_permissions) {
      keep.insert({p.user, p.vhost, p.exchange});
      json c = {{"op", "topic_permission.set"}, {"user", p.user},   {"vhost", p.vhost},
                {"exchange", p.exchange},         {"write", p.write}, {"read", p.read}};
      auto it = state_.topic_permissions().find({p.user, p.vhost, p.exchange});
      if (it == state_.topic_permissions().end()) {
        Add('+', "topic_permissions", p.at.label, c, p.at);
      } else if (it->second.write != p.write || it->second.read != p.read) {
        Add('~', "topic_permissions", p.at.label, c, p.at);
      }
    }
    for (const auto& [k, _] : state_.topic_permissions()) {
      if (keep.count(k)) continue;
      const auto& [user, vhost, exchange] = k;
      Delete("topic_permissions", user + "@" + vhost + " " + exchange,
             {{"op", "topic_permission.clear"},
              {"user", user},
              {"vhost", vhost},
              {"exchange", exchange}});
    }
  }

  void PlanPolicies(const std::optional<std::vector<internal::Policy>>& desired,
                    const std::map<std::pair<std::string, std::string>, meta::Policy>& current,
                    const char* kind, const std::string& op) {
    if (!desired) return;
    std::set<std::pair<std::string, std::string>> keep;
    for (const auto& p : *desired) {
      keep.insert({p.vhost, p.name});
      json c = {{"op", op + ".set"},       {"vhost", p.vhost},
                {"name", p.name},          {"pattern", p.pattern},
                {"apply-to", p.apply_to},  {"priority", p.priority},
                {"definition", p.definition}};
      auto it = current.find({p.vhost, p.name});
      if (it == current.end()) {
        Add('+', kind, p.at.label, c, p.at);
      } else if (it->second.pattern != p.pattern || it->second.apply_to != p.apply_to ||
                 it->second.priority != p.priority || it->second.definition != p.definition) {
        Add('~', kind, p.at.label, c, p.at);
      }
    }
    for (const auto& [k, _] : current) {
      if (keep.count(k)) continue;
      Delete(kind, k.second + "@" + k.first,
             {{"op", op + ".clear"}, {"vhost", k.first}, {"name", k.second}});
    }
  }

  void PlanParameters() {
    if (!d_.parameters) return;
    std::set<std::tuple<std::string, std::string, std::string>> keep;
    for (const auto& p : *d_.parameters) {
      keep.insert({p.vhost, p.component, p.name});
      json c = {{"op", "parameter.set"}, {"vhost", p.vhost}, {"component", p.component},
                {"name", p.name},          {"value", p.value}};
      auto it = state_.parameters().find({p.vhost, p.component, p.name});
      if (it == state_.parameters().end()) {
        Add('+', "parameter", p.at.label, c, p.at);
      } else if (it->second.value != p.value) {
        Add('~', "parameter", p.at.label, c, p.at);
      }
    }
    for (const auto& [k, _] : state_.parameters()) {
      if (keep.count(k)) continue;
      const auto& [vhost, component, name] = k;
      Delete("parameter", component + "/" + name + "@" + vhost,
             {{"op", "parameter.clear"}, {"vhost", vhost}, {"component", component},
              {"name", name}});
    }
  }

  void PlanGlobalParameters() {
    if (!d_.global_parameters) return;
    std::set<std::string> keep;
    for (const auto& p : *d_.global_parameters) {
      keep.insert(p.name);
      json c = {{"op", "global_parameter.set"}, {"name", p.name}, {"value", p.value}};
      auto it = state_.global_parameters().find(p.name);
      if (it == state_.global_parameters().end()) {
        Add('+', "global_parameter", p.name, c, p.at);
      } else if (it->second != p.value) {
        Add('~', "global_parameter", p.name, c, p.at);
      }
    }
    for (const auto& [name, _] : state_.global_parameters()) {
      if (keep.count(name)) continue;
      Delete("global_parameter", name, {{"op", "global_parameter.clear"}, {"name", name}});
    }
  }

  // Deletes run after every create and update, things that refer to users and vhosts
  // first, so each delete finds what it deletes.
  void PlanPrune() {
    static const char* kOrder[] = {"topic_permissions", "permissions", "parameter",
                                   "operator_policy",   "policy",      "global_parameter",
                                   "user",              "vhost"};
    for (const char* kind : kOrder)
      for (auto& p : deletes_)
        if (p.change.kind == kind) planned_.push_back(std::move(p));
  }

  const meta::State& state_;
  const Desired& d_;
  const PlanOptions& o_;
  std::vector<Planned> planned_;
  std::vector<Planned> deletes_;
};

}  // namespace

Result<std::vector<Change>> Plan(const meta::State& current, std::string_view yaml_text,
                                 const PlanOptions& options) {
  WARREN_ASSIGN_OR_RETURN(Desired desired, internal::ParseDesired(yaml_text, options.file_name));
  return Planner(current, desired, options).Run();
}

}  // namespace warren::provision
