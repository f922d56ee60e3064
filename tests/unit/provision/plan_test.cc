#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "auth/password.h"
#include "meta/state.h"
#include "policy/parameters.h"
#include "provision/provision.h"

namespace warren::provision {
namespace {

meta::State Blank() { return meta::State::Initial(auth::HashPassword("guest")); }

// Parameters are validated by their component, as set_parameter does; a plugin would
// register this one.
void RegisterUpstreamComponent() {
  if (policy::Components().Contains("federation-upstream")) return;
  Status s = policy::Components().Register(
      "federation-upstream", [](const std::string&, const std::string&, const meta::json& v) {
        return v.contains("uri") ? policy::Errors{} : policy::Errors{"Key \"uri\" not found"};
      });
  REQUIRE(s.ok());
}

std::vector<Change> PlanOk(const meta::State& s, const std::string& yaml, bool prune = false) {
  PlanOptions o;
  o.file_name = "p.yaml";
  o.prune = prune;
  auto r = Plan(s, yaml, o);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return *r;
}

std::string PlanError(const meta::State& s, const std::string& yaml, bool prune = false) {
  PlanOptions o;
  o.file_name = "p.yaml";
  o.prune = prune;
  auto r = Plan(s, yaml, o);
  REQUIRE(!r.ok());
  CHECK(r.status().kind() == ErrorKind::kBadInput);
  return r.status().message();
}

std::vector<std::string> Lines(const std::vector<Change>& changes) {
  std::vector<std::string> out;
  for (const auto& c : changes) out.push_back(std::string(1, c.action) + " " + c.kind + " " + c.name);
  return out;
}

void ApplyAll(meta::State& s, const std::vector<Change>& changes) {
  for (const auto& c : changes) {
    INFO(c.command.dump());
    REQUIRE(s.Apply(c.command).ok());
  }
}

const char* kFull = R"(
vhosts:
  - name: prod
    description: Production
    tags: [prod, eu]
    default_queue_type: quorum
    limits: {max-connections: 100}
users:
  - name: alice
    password: s3cret
    tags: administrator
  - name: bob
    password_hash: kI3GCqW5JLMJa4iX1lo7X4D6XbYqlLgxIs30+P6tENUV2POR
    tags: [monitoring]
    limits: {max-channels: 5}
permissions:
  - user: alice
    vhost: prod
    configure: ".*"
    write: ".*"
    read: ".*"
topic_permissions:
  - user: bob
    vhost: prod
    exchange: amq.topic
    write: "^logs"
    read: ".*"
policies:
  - name: ttl
    vhost: prod
    pattern: "^q\\."
    apply-to: queues
    priority: 2
    definition: {message-ttl: 60000}
operator_policies:
  - name: cap
    vhost: prod
    pattern: ".*"
    definition: {max-length: 1000}
parameters:
  - component: federation-upstream
    vhost: prod
    name: up
    value: {uri: "amqp://other", expires: 3600000}
global_parameters:
  - name: cluster_name
    value: eu-1
)";

}  // namespace

TEST_CASE("plan: an empty file plans nothing", "[provision]") {
  CHECK(PlanOk(Blank(), "").empty());
  CHECK(PlanOk(Blank(), "# nothing declared\n").empty());
}

TEST_CASE("plan: every kind is created in dependency order and a second plan converges",
          "[provision]") {
  RegisterUpstreamComponent();
  meta::State s = Blank();
  auto changes = PlanOk(s, kFull);
  CHECK(Lines(changes) == std::vector<std::string>{
                              "+ vhost prod",
                              "+ user alice",
                              "+ user bob",
                              "+ permissions alice@prod",
                              "+ topic_permissions bob@prod amq.topic",
                              "+ policy ttl@prod",
                              "+ operator_policy cap@prod",
                              "+ parameter federation-upstream/up@prod",
                              "+ global_parameter cluster_name",
                          });
  ApplyAll(s, changes);
  const meta::Vhost* prod = s.FindVhost("prod");
  REQUIRE(prod);
  CHECK(prod->description == "Production");
  CHECK(prod->default_queue_type == "quorum");
  CHECK(prod->limits == meta::json{{"max-connections", 100}});
  const meta::User* alice = s.FindUser("alice");
  REQUIRE(alice);
  CHECK(auth::CheckPassword(alice->hashing_algorithm, alice->password_hash, "s3cret"));
  CHECK(alice->tags == std::vector<std::string>{"administrator"});
  CHECK(s.FindUser("bob")->password_hash == "kI3GCqW5JLMJa4iX1lo7X4D6XbYqlLgxIs30+P6tENUV2POR");
  const auto& policy = s.policies().at({"prod", "ttl"});
  CHECK(policy.apply_to == "queues");
  CHECK(policy.priority == 2);
  CHECK(policy.definition == meta::json{{"message-ttl", 60000}});
  CHECK(s.parameters().at({"prod", "federation-upstream", "up"}).value ==
        meta::json{{"uri", "amqp://other"}, {"expires", 3600000}});
  CHECK(s.global_parameters().at("cluster_name") == "eu-1");

  CHECK(PlanOk(s, kFull).empty());
  // With --prune, what the sections do not list goes: guest, "/" and guest's permission.
  CHECK(Lines(PlanOk(s, kFull, /*prune=*/true)) ==
        std::vector<std::string>{"- permissions guest@/", "- user guest", "- vhost /"});
}

TEST_CASE("plan: a password in clear that still matches is no change, a new one is",
          "[provision]") {
  meta::State s = Blank();
  ApplyAll(s, PlanOk(s, "users:\n  - name: alice\n    password: one\n"));
  CHECK(PlanOk(s, "users:\n  - name: alice\n    password: one\n").empty());
  auto changes = PlanOk(s, "users:\n  - name: alice\n    password: two\n");
  CHECK(Lines(changes) == std::vector<std::string>{"~ user alice"});
  ApplyAll(s, changes);
  CHECK(auth::CheckPassword(s.FindUser("alice")->hashing_algorithm,
                            s.FindUser("alice")->password_hash, "two"));
  // A blank password disables password login, once.
  changes = PlanOk(s, "users:\n  - name: alice\n    password: \"\"\n");
  CHECK(Lines(changes) == std::vector<std::string>{"~ user alice"});
  ApplyAll(s, changes);
  CHECK(s.FindUser("alice")->password_hash.empty());
  CHECK(PlanOk(s, "users:\n  - name: alice\n    password: \"\"\n").empty());
}

TEST_CASE("plan: fields an entry leaves out stay as they are", "[provision]") {
  meta::State s = Blank();
  // "/" has the description "Default virtual host"; naming it changes nothing.
  CHECK(PlanOk(s, "vhosts:\n  - name: /\n").empty());
  // guest keeps its password and tags when only its limits are declared.
  auto changes = PlanOk(s, "users:\n  - name: guest\n    limits: {max-connections: 3}\n");
  CHECK(Lines(changes) == std::vector<std::string>{"~ user guest"});
  const std::string hash = s.FindUser("guest")->password_hash;
  ApplyAll(s, changes);
  CHECK(s.FindUser("guest")->password_hash == hash);
  CHECK(s.FindUser("guest")->tags == std::vector<std::string>{"administrator"});
  // Tags compare as a set.
  CHECK(PlanOk(s, "users:\n  - name: guest\n    tags: [administrator]\n").empty());
}

TEST_CASE("plan: updates are marked ~ and carry the declared values", "[provision]") {
  RegisterUpstreamComponent();
  meta::State s = Blank();
  ApplyAll(s, PlanOk(s, kFull));
  std::string edited = kFull;
  edited.replace(edited.find("message-ttl: 60000"), 18, "message-ttl: 1000");
  edited.replace(edited.find("write: \"^logs\""), 14, "write: \"^audit\"");
  auto changes = PlanOk(s, edited);
  CHECK(Lines(changes) == std::vector<std::string>{"~ topic_permissions bob@prod amq.topic",
                                                   "~ policy ttl@prod"});
  ApplyAll(s, changes);
  CHECK(s.policies().at({"prod", "ttl"}).definition == meta::json{{"message-ttl", 1000}});
}

TEST_CASE("plan: --prune deletes only kinds the file has a section for", "[provision]") {
  meta::State s = Blank();
  const std::string file = "users:\n  - name: alice\n    password: x\n";
  // Without --prune nothing is deleted.
  CHECK(Lines(PlanOk(s, file)) == std::vector<std::string>{"+ user alice"});
  // With it, guest goes (the users section does not list it), but "/" stays: there is
  // no vhosts section.
  auto changes = PlanOk(s, file, true);
  CHECK(Lines(changes) == std::vector<std::string>{"+ user alice", "- user guest"});
  ApplyAll(s, changes);
  CHECK(s.FindUser("guest") == nullptr);
  CHECK(s.FindVhost("/") != nullptr);
  CHECK(PlanOk(s, file, true).empty());
}

TEST_CASE("plan: --prune deletes what refers to users and vhosts before them", "[provision]") {
  RegisterUpstreamComponent();
  meta::State s = Blank();
  ApplyAll(s, PlanOk(s, kFull));
  auto changes = PlanOk(s, "vhosts:\n  - name: /\npermissions: []\npolicies: []\n", true);
  CHECK(Lines(changes) == std::vector<std::string>{"- permissions alice@prod",
                                                   "- permissions guest@/",
                                                   "- policy ttl@prod", "- vhost prod"});
  ApplyAll(s, changes);
  CHECK(s.FindVhost("prod") == nullptr);
  CHECK(s.permissions().empty());
}

TEST_CASE("plan: --prune refuses an entry that refers to what it would delete", "[provision]") {
  const std::string msg = PlanError(Blank(),
                                    "users:\n  - name: alice\n    password: x\n"
                                    "permissions:\n  - user: guest\n    configure: .*\n"
                                    "    write: .*\n    read: .*\n",
                                    true);
  CHECK(msg ==
        "p.yaml:5: permissions[0] (guest@/): user 'guest' is not in the users section, so "
        "--prune would delete it");
}

TEST_CASE("plan: bad YAML names the file, line and column", "[provision]") {
  const std::string msg = PlanError(Blank(), "users:\n  - name: [alice\n");
  CHECK(msg.rfind("p.yaml:", 0) == 0);
  CHECK(msg.find("bad YAML") != std::string::npos);
  CHECK(PlanError(Blank(), "- just\n- a list\n") ==
        "p.yaml: the file must be a map of sections (users, vhosts, permissions, ...)");
}

TEST_CASE("plan: a bad entry names the file, its line and itself", "[provision]") {
  CHECK(PlanError(Blank(), "users:\n  - name: alice\n    pasword: x\n") ==
        "p.yaml:3: users[0] (alice): unknown field 'pasword' (known fields: name, password, "
        "password_hash, hashing_algorithm, tags, limits)");
  CHECK(PlanError(Blank(), "userz: []\n") ==
        "p.yaml:1: unknown section 'userz' (known sections: users, vhosts, permissions, "
        "topic_permissions, policies, operator_policies, parameters, global_parameters)");
  CHECK(PlanError(Blank(), "vhosts:\n  - description: no name\n") ==
        "p.yaml:2: vhosts[0]: field 'name' is required");
  CHECK(PlanError(Blank(), "vhosts:\n  - name: a\n    limits: {max-queues: lots}\n") ==
        "p.yaml:3: vhosts[0] (a): limit 'max-queues' must be an integer");
  CHECK(PlanError(Blank(), "users:\n  - name: a\n    password: x\n    password_hash: y\n") ==
        "p.yaml:2: users[0] (a): give either 'password' or 'password_hash', not both");
  CHECK(PlanError(Blank(), "policies:\n  - name: p\n    pattern: .*\n    apply-to: topics\n"
                           "    definition: {max-length: 1}\n") ==
        "p.yaml:2: policies[0] (p@/): apply-to 'topics' unrecognised; should be 'queues', "
        "'exchanges' or 'all'");
  // Every problem lib/policy finds, on one line.
  CHECK(PlanError(Blank(), "policies:\n  - name: p\n    pattern: .*\n    apply-to: topics\n"
                           "    definition: {a: 1}\n")
            .find("; apply-to 'topics' unrecognised") != std::string::npos);
  CHECK(PlanError(Blank(), "policies:\n  - name: p\n    pattern: .*\n"
                           "    definition: {ha-mode: sometimes}\n") ==
        "p.yaml:2: policies[0] (p@/): <<\"sometimes\">> is not a valid ha-mode value");
  CHECK(PlanError(Blank(), "users:\n  - name: a\n  - name: b\n  - name: a\n") ==
        "p.yaml:4: users[2] (a): declared twice (first at line 2)");
}

TEST_CASE("plan: parameters are validated by their component, as set_parameter does",
          "[provision]") {
  RegisterUpstreamComponent();
  CHECK(PlanError(Blank(), "parameters:\n  - component: nope\n    name: x\n    value: 1\n") ==
        "p.yaml:2: parameters[0] (nope/x@/): component nope not found");
  CHECK(PlanError(Blank(), "parameters:\n  - component: federation-upstream\n    name: x\n"
                           "    value: {expires: 1}\n") ==
        "p.yaml:2: parameters[0] (federation-upstream/x@/): Key \"uri\" not found");
  CHECK(PlanError(Blank(), "parameters:\n  - component: vhost-limits\n    name: limits\n"
                           "    value: {}\n") ==
        "p.yaml:2: parameters[0] (vhost-limits/limits@/): declare vhost limits with the "
        "vhost's limits field");
}

TEST_CASE("plan: an entry the state would refuse is named", "[provision]") {
  CHECK(PlanError(Blank(),
                  "permissions:\n  - user: nobody\n    configure: .*\n    write: .*\n"
                  "    read: .*\n") ==
        "p.yaml:2: permissions[0] (nobody@/): User \"nobody\" does not exist");
  CHECK(PlanError(Blank(), "policies:\n  - name: p\n    vhost: nowhere\n    pattern: .*\n"
                           "    definition: {max-length: 1}\n") ==
        "p.yaml:2: policies[0] (p@nowhere): Virtual host 'nowhere' does not exist");
}

TEST_CASE("plan: YAML scalars are typed as YAML types them, quoted ones stay strings",
          "[provision]") {
  meta::State s = Blank();
  auto changes = PlanOk(s, "global_parameters:\n  - name: g\n    value: {a: \"10\", b: 10, c: true, "
                           "d: 1.5, e: ~, f: text}\n");
  ApplyAll(s, changes);
  CHECK(s.global_parameters().at("g") ==
        meta::json{{"a", "10"}, {"b", 10}, {"c", true}, {"d", 1.5}, {"e", nullptr}, {"f", "text"}});
}

}  // namespace warren::provision
