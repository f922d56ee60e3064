// The connection handshake: connection.start with RabbitMQ's server properties,
// authentication (PLAIN, AMQPLAIN) against the metadata store, tune and open.
#include <algorithm>

#include "amqp/codec_error.h"
#include "amqp/wire.h"
#include "auth/password.h"
#include "base/log.h"
#include "base/version.h"
#include "broker/connection.h"
#include "meta/view.h"

namespace warren::broker {
namespace {

using amqp::FieldTable;
using amqp::FieldValue;

bool Capability(const FieldTable& client_properties, const char* name) {
  const FieldValue* caps = client_properties.Find("capabilities");
  if (!caps) return false;
  const auto* t = std::get_if<FieldTable>(&caps->value);
  if (!t) return false;
  const FieldValue* v = t->Find(name);
  const bool* b = v ? std::get_if<bool>(&v->value) : nullptr;
  return b && *b;
}

auth::PermissionPattern CompileOrNothing(const std::string& text) {
  auto p = auth::PermissionPattern::Compile(text);
  if (p.ok()) return std::move(p).value();
  return auth::PermissionPattern::Compile("").value();
}

}  // namespace

void Connection::SendStart() {
  FieldTable caps;
  for (const char* c : {"publisher_confirms", "exchange_exchange_bindings", "basic.nack",
                        "consumer_cancel_notify", "connection.blocked", "consumer_priorities",
                        "authentication_failure_close", "per_consumer_qos", "direct_reply_to"})
    caps.Set(c, FieldValue(true));
  FieldTable props;
  props.Set("capabilities", FieldValue(caps));
  const std::string cluster =
      core_.options.cluster_name.empty() ? core_.options.node_name : core_.options.cluster_name;
  props.Set("cluster_name", FieldValue(cluster));
  props.Set("copyright", FieldValue(std::string("Copyright (c) the warren authors")));
  props.Set("information", FieldValue(std::string("warren ") + kVersion +
                                      ", a RabbitMQ-compatible broker"));
  props.Set("platform", FieldValue(std::string("C++20")));
  props.Set("product", FieldValue(std::string("warren")));
  props.Set("version", FieldValue(std::string(kRabbitmqCompatVersion)));
  Send(ChannelId(0), amqp::ConnectionStart{0, 9, props, "AMQPLAIN PLAIN", "en_US"});
}

Status Connection::Authenticate(const std::string& mechanism, const std::string& response) {
  std::string user, password;
  if (mechanism == "PLAIN") {
    // [authzid] NUL authcid NUL passwd
    const size_t a = response.find('\0');
    const size_t b = a == std::string::npos ? a : response.find('\0', a + 1);
    if (b == std::string::npos)
      return Refuse(amqp::kAccessRefused, "PLAIN response is not '[authzid]\\0user\\0password'");
    user = response.substr(a + 1, b - a - 1);
    password = response.substr(b + 1);
  } else if (mechanism == "AMQPLAIN") {
    // A field table's entries without its size.
    std::string table;
    amqp::Writer w(table);
    w.U32(uint32_t(response.size()));
    table += response;
    auto t = amqp::ParseFieldTable(table);
    if (!t.ok()) return Refuse(amqp::kAccessRefused, "malformed AMQPLAIN response");
    auto str = [&](const char* k) -> std::string {
      const FieldValue* v = t->Find(k);
      const auto* s = v ? std::get_if<std::string>(&v->value) : nullptr;
      return s ? *s : std::string();
    };
    user = str("LOGIN");
    password = str("PASSWORD");
  } else {
    return Refuse(amqp::kCommandInvalid, "unknown authentication mechanism '" + mechanism + "'");
  }
  const meta::User* u = core_.store.state().FindUser(user);
  std::string why;
  if (!u || !auth::CheckPassword(u->hashing_algorithm, u->password_hash, password)) {
    why = password.empty() ? auth::BlankPasswordRefused(user) : auth::InvalidCredentials(user);
  } else if (!session_.loopback_peer && std::find(core_.options.loopback_users.begin(),
                                          core_.options.loopback_users.end(),
                                          user) != core_.options.loopback_users.end()) {
    why = "user '" + user + "' can only connect via localhost";
  }
  if (!why.empty()) {
    log::Error(mechanism + " login refused for connection " + session_.peer + ": " + why);
    return Refuse(amqp::kAccessRefused, "Login was refused using authentication mechanism " +
                                            mechanism + ". For details see the broker logfile.");
  }
  session_.user = user;
  return Status::OK();
}

Status Connection::OnStartOk(amqp::ConnectionStartOk& m) {
  session_.cancel_notify = Capability(m.client_properties, "consumer_cancel_notify");
  session_.auth_failure_close = Capability(m.client_properties, "authentication_failure_close");
  session_.blocked_notify = Capability(m.client_properties, "connection.blocked");
  session_.client_properties = m.client_properties;
  session_.auth_mechanism = m.mechanism;
  Status s = Authenticate(m.mechanism, m.response);
  if (!s.ok()) {
    if (amqp::ReplyCodeOf(s) == amqp::kAccessRefused && !session_.auth_failure_close) {
      // A client that did not ask for authentication_failure_close gets the socket closed.
      Shutdown();
      return Status::OK();
    }
    return s;
  }
  state_ = State::kTuneOk;
  Send(ChannelId(0), amqp::ConnectionTune{session_.channel_max, session_.frame_max, core_.options.heartbeat});
  return Status::OK();
}

Status Connection::OnTuneOk(const amqp::ConnectionTuneOk& m) {
  if (m.frame_max != 0 && m.frame_max < amqp::kFrameMinSize)
    return Refuse(amqp::kNotAllowed, "frame_max=" + std::to_string(m.frame_max) + " < " +
                                         std::to_string(amqp::kFrameMinSize) + " min size");
  if (m.frame_max > session_.frame_max || (m.frame_max == 0 && session_.frame_max != 0))
    return Refuse(amqp::kNotAllowed, "frame_max=" + std::to_string(m.frame_max) + " > " +
                                         std::to_string(session_.frame_max) + " max size");
  if (m.channel_max > session_.channel_max || (m.channel_max == 0 && session_.channel_max != 0))
    return Refuse(amqp::kNotAllowed, "channel_max=" + std::to_string(m.channel_max) + " > " +
                                         std::to_string(session_.channel_max) + " max");
  session_.frame_max = m.frame_max;
  session_.channel_max = m.channel_max;
  session_.heartbeat = m.heartbeat;
  decoder_.set_frame_max(session_.frame_max);
  state_ = State::kOpen;
  return Status::OK();
}

// The vhost's and the user's max-connections, counting the running connections of
// every shard; admitted, this one counts until it stops running (Unadmit).
Status Connection::Admit(const std::string& vhost) {
  const meta::State& st = core_.store.state();
  const auto vhost_limit = Core::Limit(st.FindVhost(vhost)->limits, "max-connections");
  const meta::User* u = st.FindUser(session_.user);
  const auto user_limit = u ? Core::Limit(u->limits, "max-connections") : std::nullopt;
  switch (core_.tally->AdmitConnection(vhost, session_.user, vhost_limit, user_limit)) {
    case Tally::Admitted::kVhostFull:
      return Refuse(amqp::kNotAllowed, "access to vhost '" + vhost + "' refused for user '" +
                                           session_.user + "': connection limit (" +
                                           std::to_string(*vhost_limit) + ") is reached");
    case Tally::Admitted::kUserFull:
      return Refuse(amqp::kNotAllowed, "Connection refused for user '" + session_.user +
                                           "': user connection limit (" +
                                           std::to_string(*user_limit) + ") is reached");
    case Tally::Admitted::kYes:
      break;
  }
  admitted_vhost_ = vhost;
  return Status::OK();
}

void Connection::Unadmit() {
  if (!admitted_vhost_) return;
  core_.tally->ConnectionGone(*admitted_vhost_, session_.user);
  admitted_vhost_.reset();
}

Status Connection::OnOpen(const amqp::ConnectionOpen& m) {
  const std::string& name = m.virtual_host.get();
  const meta::State& st = core_.store.state();
  if (!st.FindVhost(name)) return Refuse(amqp::kNotAllowed, "vhost " + name + " not found");
  if (!st.permissions().count({session_.user, name}))
    return Refuse(amqp::kNotAllowed,
                  "access to vhost '" + name + "' refused for user '" + session_.user + "'");
  Vhost* vhost = core_.FindVhost(name);
  if (!vhost) return Refuse(amqp::kNotAllowed, "vhost " + name + " not found");
  WARREN_TRY(Admit(name));
  vhost_ = vhost;
  if (Status s = LoadGrants(); !s.ok()) {
    Unadmit();
    return s;
  }
  state_ = State::kRunning;
  ++core_.counters.connections_opened;
  core_.Emit(plugin::EventKind::kConnectionOpened, name, session_.peer, session_.user);
  Send(ChannelId(0), amqp::ConnectionOpenOk{});
  log::Info("connection " + session_.peer + ": user '" + session_.user + "' authenticated and granted access to vhost '" +
            name + "'");
  StartHeartbeats();
  return Status::OK();
}

Status Connection::LoadGrants() {
  const meta::State& st = core_.store.state();
  grants_revision_ = core_.store.revision();
  for (auto& g : granted_) g.clear();
  const std::string& vhost = vhost_->name();
  auto it = st.permissions().find({session_.user, vhost});
  if (it == st.permissions().end()) {
    grants_ = Grants{CompileOrNothing(""), CompileOrNothing(""), CompileOrNothing(""), {}};
    return Status::OK();
  }
  grants_ = Grants{CompileOrNothing(it->second.configure), CompileOrNothing(it->second.write),
                   CompileOrNothing(it->second.read), {}};
  for (const auto& [key, tp] : st.topic_permissions()) {
    const auto& [user, vh, exchange] = key;
    if (user != session_.user || vh != vhost) continue;
    grants_->topics.emplace(exchange, std::make_pair(CompileOrNothing(auth::ExpandTopicVariables(tp.write, session_.user, vhost)),
                                                    CompileOrNothing(auth::ExpandTopicVariables(tp.read, session_.user, vhost))));
  }
  return Status::OK();
}

Status Connection::Check(Access access, const char* kind, const std::string& name) {
  if (grants_revision_ != core_.store.revision()) WARREN_TRY(LoadGrants());
  auto& granted = granted_[int(access)];
  if (granted.count(name)) return Status::OK();
  const auth::PermissionPattern& p = access == Access::kConfigure ? grants_->configure
                                     : access == Access::kWrite   ? grants_->write
                                                                  : grants_->read;
  if (p.Matches(name)) {
    // Regular expressions are slow next to a publish: each name is matched once.
    if (granted.size() > 1024) granted.clear();
    granted.insert(name);
    return Status::OK();
  }
  return Refuse(amqp::kAccessRefused, "access to " + ResourceName(kind, name, vhost_->name()) +
                                          " refused for user '" + session_.user + "'");
}

Status Connection::CheckTopic(Access access, const std::string& exchange, const std::string& key) {
  if (grants_revision_ != core_.store.revision()) WARREN_TRY(LoadGrants());
  auto it = grants_->topics.find(exchange);
  if (it == grants_->topics.end()) return Status::OK();  // no topic permissions: allowed
  const auto& p = access == Access::kWrite ? it->second.first : it->second.second;
  if (p.Matches(key)) return Status::OK();
  return Refuse(amqp::kAccessRefused, std::string(access == Access::kWrite ? "write" : "read") +
                                          " access to topic '" + key + "' in exchange '" +
                                          exchange + "' in vhost '" + vhost_->name() +
                                          "' refused for user '" + session_.user + "'");
}

}  // namespace warren::broker
