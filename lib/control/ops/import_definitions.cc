#include "auth/password.h"
#include "base/log.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {
namespace {

// The sections warren imports, in the order they must apply (vhosts and users before
// what refers to them): the order of meta::State::CommandsFromDefinitions.
constexpr const char* kSections[] = {"vhosts",     "users",     "permissions",
                                     "topic_permissions", "policies", "operator_policies",
                                     "parameters", "global_parameters", "exchanges",
                                     "queues",     "bindings"};

std::string Field(const json& entry, const char* key) {
  auto it = entry.find(key);
  return it != entry.end() && it->is_string() ? it->get<std::string>() : "";
}

// How an entry is named in errors: "users[2] (bob)", "permissions[0] (bob@/)".
std::string Describe(const std::string& section, size_t i, const json& entry) {
  std::string name;
  if (section == "permissions") {
    name = Field(entry, "user") + "@" + Field(entry, "vhost");
  } else if (section == "topic_permissions") {
    name = Field(entry, "user") + "@" + Field(entry, "vhost") + " " + Field(entry, "exchange");
  } else if (section == "policies" || section == "operator_policies") {
    name = Field(entry, "name") + "@" + Field(entry, "vhost");
  } else if (section == "parameters") {
    name = Field(entry, "component") + "/" + Field(entry, "name") + "@" + Field(entry, "vhost");
  } else {
    name = Field(entry, "name");
  }
  std::string where = section + "[" + std::to_string(i) + "]";
  return name.empty() ? where : where + " (" + name + ")";
}

}  // namespace

// Body: RabbitMQ's definitions document (POST /api/definitions). Everything is applied
// as one batch: a bad entry is named in the error and nothing changes. Password hashes
// are kept as they are, so definitions move between RabbitMQ and warren both ways.
// Query: skip_if_unchanged=true is accepted; an import that would change nothing never
// writes, with or without it.
Result<json> ImportDefinitions(OpContext& ctx, const OpRequest& req) {
  const json& defs = req.body;
  if (!defs.is_object())
    return Status::BadInput("definitions must be a JSON object", "definitions");
  // Checks the document's shape, with each entry's index in the messages.
  {
    auto whole = meta::State::CommandsFromDefinitions(defs);
    if (!whole.ok()) return Status::BadInput(whole.status().message(), "definitions");
  }
  struct Labelled {
    std::string where;
    json command;
  };
  std::vector<Labelled> commands;
  for (const char* section : kSections) {
    auto it = defs.find(section);
    if (it == defs.end() || it->is_null()) continue;
    for (size_t i = 0; i < it->size(); ++i) {
      json entry = (*it)[i];
      // RabbitMQ accepts a password in clear in place of its hash.
      if (std::string(section) == "users" && entry.contains("password") &&
          !entry.contains("password_hash") && entry["password"].is_string()) {
        entry["password_hash"] = auth::HashPassword(entry["password"].get<std::string>());
        entry["hashing_algorithm"] = auth::kSha256Algorithm;
        entry.erase("password");
      }
      auto one = meta::State::CommandsFromDefinitions({{section, json::array({entry})}});
      if (!one.ok()) return Status::BadInput(one.status().message(), "definitions");
      for (auto& c : *one) commands.push_back({Describe(section, i, entry), std::move(c)});
    }
  }
  // Tried on a copy first, so the error names the entry and nothing has changed.
  meta::State scratch = State(ctx);
  for (const auto& c : commands) {
    Status s = scratch.Apply(c.command);
    if (!s.ok()) return Status::BadInput("definitions: " + c.where + ": " + s.message(), "definitions");
  }
  const bool changed = scratch.ToDefinitions() != State(ctx).ToDefinitions();
  if (changed) {
    std::vector<json> batch;
    for (auto& c : commands) batch.push_back(std::move(c.command));
    WARREN_TRY(SubmitBatch(ctx, std::move(batch)));
  }
  return json{{"changed", changed}};
}

}  // namespace warren::control::ops
