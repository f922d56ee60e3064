#include "node/node.h"

#include <fcntl.h>
#include <signal.h>
#include <malloc.h>
#include <sys/stat.h>
#include <unistd.h>

#include <asio.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>

#include "auth/password.h"
#include "base/bytes.h"
#include "base/log.h"
#include "control/admin.h"
#include "control/node_api.h"
#include "control/server.h"
#include "meta/store.h"
#include "node/config.h"
#include "node/facts.h"
#include "net/tcp_listeners.h"
#include "node/resources.h"
#include "base/version.h"
#include "broker/broker.h"
#include "broker/shards.h"
#include "broker/sync_worker.h"
#include "cluster/cluster.h"
#include "plugin/host.h"
#include "store/record_log.h"

namespace warren::node {
namespace {

namespace fs = std::filesystem;
using control::AppState;
using json = nlohmann::json;

// The shared secret for clustering: created once, 20 upper-case letters, mode 0400,
// like Erlang's cookie.
Status EnsureCookie(const std::string& path) {
  std::error_code ec;
  if (fs::exists(path, ec)) {
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 0077) != 0)
      log::Warning("cookie file " + path + " is readable by other users; it should be mode 0400");
    return Status::OK();
  }
  fs::create_directories(fs::path(path).parent_path(), ec);
  std::string raw = RandomBytes(20), cookie;
  for (unsigned char c : raw) cookie += char('A' + c % 26);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0400);
  if (fd < 0) return Status::Unavailable("cannot create the cookie file " + path);
  bool ok = ::write(fd, cookie.data(), cookie.size()) == ssize_t(cookie.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Status::Unavailable("cannot write the cookie file " + path);
  log::Info("created the cookie file " + path);
  return Status::OK();
}

class NodeImpl : public control::NodeApi {
 public:
  explicit NodeImpl(NodeOptions options)
      : options_(std::move(options)), env_(options_.env), signals_(io_, SIGTERM, SIGINT),
        monitor_(io_), started_(std::chrono::steady_clock::now()) {}

  Status Boot() {
    std::error_code ec;
    for (const auto& dir : {env_.data_dir, env_.log_dir}) {
      fs::create_directories(dir, ec);
      if (ec) return Status::Unavailable("cannot create " + dir + ": " + ec.message());
    }
    log::SetTag(env_.node.full());
    if (!log::Open(env_.log_file, options_.log_to_stderr))
      return Status::Unavailable("cannot open the log file " + env_.log_file);
    log::Info("Starting warren " + std::string(kVersion) + " on node " + env_.node.full());

    auto cfg = LoadConfig(env_.config_file, env_.node_port, env_.node_ip);
    if (!cfg.ok()) return cfg.status();
    config_ = std::move(cfg).value();
    (void)log::SetLevel(config_.log_level);

    auto server = control::ControlServer::Start(io_, env_.control_socket, *this);
    if (!server.ok()) return server.status();
    control_ = std::move(server).value();

    WARREN_TRY(store::WriteFileAtomically(env_.pid_file, std::to_string(::getpid()) + "\n"));
    WARREN_TRY(EnsureCookie(env_.cookie_file));

    meta::StoreOptions so;
    so.dir = MetadataDir();
    const std::string user = config_.default_user, pass = config_.default_pass;
    so.initial_guest_hash = [pass] { return auth::HashPassword(pass); };
    so.warn = [](const std::string& m) { log::Warning(m); };
    // Clients' declarations on a standalone node are answered once durable without the
    // loop waiting for the disk; those made meanwhile share one sync.
    meta_sync_ = std::make_unique<broker::SyncWorker>(io_, 1);
    so.sync_in_background = [this](int fd, std::function<void(Status)> done) {
      meta_sync_->Submit(fd, std::move(done));
    };
    auto st = meta::Store::Open(std::move(so));
    if (!st.ok()) return st.status();
    store_ = std::move(st).value();
    log::Info("metadata: " + std::to_string(store_->state().users().size()) + " users, " +
              std::to_string(store_->state().vhosts().size()) + " vhosts (log sequence " +
              std::to_string(store_->last_seq()) + ")");

    WARREN_TRY(StartCluster());

    // Alarms are known before the first client can connect, not a monitor tick later.
    CheckResources();
    // Plugins start before the engine so that its durable exchanges of their types
    // come back.
    plugins_ = plugin::Host::Create(io_, PluginHostOptions());
    plugins_->Boot();
    if (cluster_->ready()) {
      WARREN_TRY(StartApp());
    } else {
      // A member whose metadata the cluster has not confirmed yet would start from a
      // stale copy (and drop messages of queues it does not know): wait for it.
      app_ = AppState::kBooting;
      StartAppWhenReady();
    }

    signals_.async_wait([this](std::error_code ec, int sig) {
      if (ec) return;
      log::Info(std::string("received ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") +
                ", shutting down");
      Shutdown();
    });
    ScheduleMonitor();
    log::Info("Server startup complete; data in " + env_.data_dir + ", control socket " +
              env_.control_socket);
    return Status::OK();
  }

  void Serve() { io_.run(); }

  // Best effort on a failed boot: leave no socket or pid file pointing at nothing.
  void CleanUpAfterFailedBoot() {
    if (cluster_) cluster_->Close();  // its listener and its published port
    if (control_) {
      control_->Stop();
      std::error_code ec;
      fs::remove(env_.pid_file, ec);
    }
  }

  // NodeApi.
  const NodeEnv& env() const override { return env_; }
  meta::Store& store() override { return *store_; }
  AppState app_state() const override { return app_; }

  Status StopApp() override {
    if (app_ == AppState::kStopped) return Status::OK();
    log::Info("Stopping the app: closing client listeners and connections");
    app_ = AppState::kStopping;
    if (listeners_) listeners_->Close();
    listeners_.reset();
    // Transient queues and their messages go with the app, as in RabbitMQ.
    if (broker_) broker_->CloseAll("shutdown");
    broker_.reset();
    app_ = AppState::kStopped;
    log::Info("App stopped");
    return Status::OK();
  }

  Status StartApp() override {
    if (app_ == AppState::kRunning) return Status::OK();
    if (cluster_) WARREN_TRY(cluster_->CheckConsistent());
    if (cluster_ && !cluster_->ready())
      return Status::Unavailable("the cluster has not confirmed this node's metadata yet: a "
                                 "majority of its disc nodes must be running");
    app_ = AppState::kBooting;
    if (Status s = broker::Shards::Prepare(*store_, env_.node.full(), ShardCount()); !s.ok()) {
      app_ = AppState::kStopped;
      log::Error(s.message());
      return s;
    }
    broker_ = std::make_unique<broker::Shards>(io_, *store_, BrokerOptionsFromConfig(), ShardCount());
    log::Info("the broker runs on " + std::to_string(broker_->size()) + " shard(s) (warren.shards)");
    broker_->SetAlarm(AlarmReason());
    auto l = net::TcpListeners::Open(io_, config_.amqp_listeners,
                                [this](int fd) { broker_->Accept(fd); });
    if (!l.ok()) {
      broker_.reset();
      app_ = AppState::kStopped;
      log::Error(l.status().message());
      return l.status();
    }
    listeners_ = std::move(l).value();
    for (const auto& b : listeners_->bound())
      log::Info("started TCP listener on [" + b.interface + "]:" + std::to_string(b.port));
    app_ = AppState::kRunning;
    return Status::OK();
  }

  Status Reset(bool force) override {
    log::Info(force ? "Forcefully resetting the node" : "Resetting the node");
    if (cluster_ && cluster_->clustered()) {
      if (force) cluster_->Abandon();
      else WARREN_TRY(cluster_->Leave());
    }
    std::error_code ec;
    fs::remove_all(MessageStoreDir(), ec);
    if (ec) return Status::Unavailable("cannot remove " + MessageStoreDir() + ": " + ec.message());
    return store_->Reset();
  }

  void ShutdownAfterReply() override {
    // Give the reply a moment to leave; the CLI then waits for the pid to exit.
    auto t = std::make_shared<asio::steady_timer>(io_, std::chrono::milliseconds(20));
    t->async_wait([this, t](std::error_code) { Shutdown(); });
  }

  std::vector<control::ListenerInfo> listeners() const override {
    std::vector<control::ListenerInfo> out;
    if (!listeners_) return out;
    if (cluster_)
      out.push_back({"clustering", "::", cluster_->dist_port(),
                     "inter-node and CLI tool communication"});
    for (const auto& b : listeners_->bound())
      out.push_back({"amqp", b.interface, b.port, "AMQP 0-9-1 and AMQP 1.0"});
    if (plugins_)
      for (const auto& l : plugins_->listeners())
        out.push_back({l.protocol, l.interface, l.port, l.purpose});
    return out;
  }

  std::vector<control::AlarmInfo> alarms() const override {
    std::vector<control::AlarmInfo> out;
    if (memory_alarm_) out.push_back({"memory", env_.node.full()});
    if (disk_alarm_) out.push_back({"disk", env_.node.full()});
    return out;
  }

  json facts() const override {
    std::set<int> ports;
    if (listeners_)
      for (const auto& b : listeners_->bound()) ports.insert(b.port);
    return NodeFacts(env_, config_,
                     std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::steady_clock::now() - started_),
                     ports, MetadataDir());
  }

  json config() const override { return EffectiveSettings(config_); }

 private:
  // warren.shards (docs/amqp.md, "Shards"): as set (1 to 256, checked), else one per
  // usable core, and at least as many as hold the node's durable queues.
  size_t ShardCount() const {
    if (config_.shards > 0) return size_t(config_.shards);
    const size_t held = broker::Shards::Needed(*store_, env_.node.full());
    return std::min<size_t>(256, std::max<size_t>(UsableCores(), held));
  }

  broker::BrokerOptions BrokerOptionsFromConfig() const {
    broker::BrokerOptions o;
    o.node_name = env_.node.full();
    o.loopback_users = config_.loopback_users;
    o.heartbeat = config_.heartbeat;
    o.frame_max = config_.frame_max;
    o.channel_max = config_.channel_max;
    o.max_message_size = config_.max_message_size;
    o.handshake_timeout_ms = config_.handshake_timeout;
    o.message_store_dir = MessageStoreDir();
    o.paging_dir = env_.data_dir + "/queue_pages";
    o.page_above = config_.queue_page_above;
    o.cluster_name = config_.cluster_name;
    o.exchange_types = [this](const std::string& name) { return plugins_->FindExchangeType(name); };
    o.on_event = [this](const plugin::Event& e) { plugins_->Emit(e); };
    // Other members, for the queues they hold and for placing new ones.
    if (cluster_) {
      o.dial_peer = [this](const std::string& from, const std::string& to,
                           std::function<void(int, std::string)> done) {
        cluster_->DialBroker(from, to, std::move(done));
      };
      o.members = [this] {
        std::vector<std::string> out;
        for (const auto& m : cluster_->Members()) out.push_back(m.node);
        return out;
      };
    }
    return o;
  }

  plugin::HostOptions PluginHostOptions() {
    plugin::HostOptions o;
    o.plugins_dir = env_.plugins_dir;
    o.enabled_plugins_file = env_.enabled_plugins_file;
    o.node_name = env_.node.full();
    o.settings = [this] { return config(); };
    o.metrics = [this](bool per_queue) { return Metrics(per_queue); };
    o.admin = [this](const std::string& name, const json& params, const json& body) -> Result<json> {
      std::map<std::string, std::string> p;
      if (params.is_object())
        for (const auto& [k, v] : params.items()) p[k] = v.is_string() ? v.get<std::string>() : v.dump();
      return control::Call(*this, name, p, body);
    };
    return o;
  }

  plugin::NodeMetrics Metrics(bool per_queue) const {
    plugin::NodeMetrics m;
    m.node = env_.node.full();
    m.cluster_name = config_.cluster_name.empty() ? env_.node.full() : config_.cluster_name;
    m.version = kVersion;
    m.rabbitmq_version = kRabbitmqCompatVersion;
    m.uptime_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    m.running = app_ == AppState::kRunning;
    m.resident_memory_bytes = ReadProcStatus("VmRSS") * 1024;
    m.resident_memory_limit_bytes = MemoryLimit(config_);
    m.disk_free_bytes = DiskFreeBytes(env_.data_dir);
    m.disk_free_limit_bytes = DiskLimit(config_);
    const FdCounts fds = ReadFdCounts();
    m.open_fds = fds.total;
    m.max_fds = fds.limit;
    m.memory_alarm = memory_alarm_;
    m.disk_alarm = disk_alarm_;
    if (broker_) broker_->CollectMetrics(m, per_queue);
    return m;
  }

  json Plugins() const override { return plugins_ ? plugins_->Describe() : json::object(); }

  Result<json> SetPlugins(const std::vector<std::string>& names) override {
    if (!plugins_) return Status::Unavailable("the node is still booting");
    return plugins_->Apply(names);
  }

  void MetadataChanged() override {
    if (broker_) broker_->MetadataChanged();
  }

  broker::Broker* broker() override { return broker_.get(); }
  cluster::Cluster* cluster() override { return cluster_.get(); }

  void StartAppWhenReady() {
    monitor_ready_.expires_after(std::chrono::milliseconds(100));
    monitor_ready_.async_wait([this](std::error_code ec) {
      if (ec || app_ != AppState::kBooting) return;
      if (!cluster_->ready()) return StartAppWhenReady();
      log::Info("the cluster confirmed this node's metadata; starting the app");
      app_ = AppState::kStopped;
      if (Status s = StartApp(); !s.ok()) log::Error("cannot start the app: " + s.message());
    });
  }

  Status StartCluster() {
    WARREN_ASSIGN_OR_RETURN(std::string cookie, ReadCookieFile(env_.cookie_file));
    cluster::ClusterOptions o;
    o.self = env_.node.full();
    o.cookie = std::move(cookie);
    o.dist_port = env_.dist_port;
    o.dir = env_.data_dir + "/cluster";
    o.run_dir = env_.run_dir;
    o.force_boot_file = ForceBootFile(env_.data_dir);
    o.forget_nodes_file = ForgetNodesFile(env_.data_dir);
    o.store = store_.get();
    o.metadata_changed = [this] { MetadataChanged(); };
    // A member's clients use this node's queues; only while the app runs.
    o.on_broker_link = [this](const std::string& from, const std::string& to, int fd) {
      if (broker_) broker_->AcceptPeer(from, to, fd);
      else ::close(fd);
    };
    o.local_facts = [this] { return control::PeerFacts(*this); };
    o.control = [this](const json& req) {
      std::map<std::string, std::string> query;
      if (req.contains("query") && req["query"].is_object())
        for (const auto& [k, v] : req["query"].items())
          if (v.is_string()) query[k] = v.get<std::string>();
      control::Dispatched d = control::Dispatch(*this, req.value("method", "GET"),
                                                req.value("path", "/"), query,
                                                req.contains("body") ? req["body"] : json());
      return json{{"status", d.http_status}, {"body", d.body}};
    };
    o.local_queues = [this](const std::string& vhost) {
      return control::Call(*this, "list_queues", {{"vhost", vhost}, {"local", "true"}}, json());
    };
    o.boot_wait = std::chrono::milliseconds(config_.cluster_boot_wait);
    o.node_down_after = std::chrono::seconds(config_.net_ticktime);
    auto c = cluster::Cluster::Start(io_, std::move(o));
    if (!c.ok()) return c.status();
    cluster_ = std::move(c).value();
    return Status::OK();
  }


  std::string MetadataDir() const { return env_.data_dir + "/meta"; }
  std::string MessageStoreDir() const { return env_.data_dir + "/msg_store"; }

  void ScheduleMonitor() {
    monitor_.expires_after(std::chrono::seconds(1));
    monitor_.async_wait([this](std::error_code ec) {
      if (ec) return;
      // Memory freed after a backlog drains goes back to the system, so RSS (and the
      // memory alarm) follows what the node holds, not what it once held.
      if (++monitor_ticks_ % 10 == 0) ::malloc_trim(0);
      CheckResources();
      CheckFaults();
      if (cluster_) cluster_->Tick();
      CheckPartition();
      ScheduleMonitor();
    });
  }

  // pause_minority: a member cut off from a majority of the disc nodes (no leader for
  // two ticks) stops serving clients, and serves again once the majority is back. With
  // Raft the minority never diverges, so autoheal and ignore keep serving clients (the
  // metadata still cannot change there).
  void CheckPartition() {
    if (!cluster_ || !cluster_->clustered() || config_.partition_handling != "pause_minority")
      return;
    const bool cut_off = !cluster_->with_majority();
    ticks_cut_off_ = cut_off ? ticks_cut_off_ + 1 : 0;
    if (ticks_cut_off_ >= 2 && app_ == AppState::kRunning) {
      log::Warning("pause_minority: cannot reach a majority of the cluster's disc nodes; "
                   "pausing the app until they are back");
      (void)StopApp();
      paused_ = true;
    } else if (!cut_off && paused_ && app_ == AppState::kStopped) {
      log::Info("pause_minority: a majority of the cluster is back; resuming the app");
      paused_ = false;
      if (Status s = StartApp(); !s.ok()) {
        paused_ = true;
        log::Warning("pause_minority: cannot resume the app yet: " + s.message());
      }
    }
  }

  // Fault injection for tests of partitions (docs/clustering.md): the file named by
  // WARREN_TEST_CUT_FILE lists, one per line, the nodes this node's network to is cut.
  void CheckFaults() {
    static const char* path = std::getenv("WARREN_TEST_CUT_FILE");
    if (!path || !cluster_) return;
    std::set<std::string> cut = store::ReadLineSet(path);
    if (cut == cut_) return;
    cut_ = cut;
    cluster_->Cut(cut);
    if (broker_) broker_->CutPeers(cut);
  }

  // connection.blocked's reason, as RabbitMQ words it; empty without an alarm.
  std::string AlarmReason() const {
    if (memory_alarm_) return "low on memory";
    if (disk_alarm_) return "low on disk";
    return "";
  }

  void CheckResources() {
    bool mem = ReadProcStatus("VmRSS") * 1024 > MemoryLimit(config_);
    bool disk = DiskFreeBytes(env_.data_dir) < DiskLimit(config_);
    if (mem != memory_alarm_)
      log::Warning(std::string("memory resource limit alarm ") + (mem ? "set" : "cleared"));
    if (disk != disk_alarm_)
      log::Warning(std::string("disk resource limit alarm ") + (disk ? "set" : "cleared"));
    memory_alarm_ = mem;
    disk_alarm_ = disk;
    if (broker_) broker_->SetAlarm(AlarmReason());
  }

  void Shutdown() {
    if (shutting_down_) return;
    shutting_down_ = true;
    (void)StopApp();
    if (plugins_) plugins_->StopAll();
    if (store_) {
      Status s = store_->Snapshot();
      if (!s.ok()) log::Warning("final metadata snapshot failed: " + s.message());
    }
    monitor_.cancel();
    monitor_ready_.cancel();
    signals_.cancel();
    if (cluster_) cluster_->Close();
    if (control_) control_->Stop();
    std::error_code ec;
    fs::remove(env_.pid_file, ec);
    log::Info("warren node " + env_.node.full() + " stopped");
    io_.stop();
  }

  NodeOptions options_;
  NodeEnv env_;
  asio::io_context io_{1};
  asio::signal_set signals_;
  asio::steady_timer monitor_;
  asio::steady_timer monitor_ready_{io_};
  std::chrono::steady_clock::time_point started_;
  Config config_;
  std::unique_ptr<control::ControlServer> control_;
  // The metadata log's background fdatasync; outlives the store.
  std::unique_ptr<broker::SyncWorker> meta_sync_;
  std::unique_ptr<meta::Store> store_;
  std::unique_ptr<net::TcpListeners> listeners_;
  std::unique_ptr<plugin::Host> plugins_;
  std::unique_ptr<broker::Shards> broker_;
  std::unique_ptr<cluster::Cluster> cluster_;
  std::set<std::string> cut_;  // CheckFaults
  AppState app_ = AppState::kStopped;
  bool memory_alarm_ = false;
  bool disk_alarm_ = false;
  bool shutting_down_ = false;
  uint64_t monitor_ticks_ = 0;
  int ticks_cut_off_ = 0;
  bool paused_ = false;  // stopped by pause_minority, not by an operator
};

}  // namespace

Status Node::Run(NodeOptions options) {
  // A write past the file size limit fails with EFBIG, which the stores report like any
  // other I/O error, instead of killing the node.
  ::signal(SIGXFSZ, SIG_IGN);
  auto on_boot = options.on_boot;
  NodeImpl node(std::move(options));
  Status s = node.Boot();
  if (!s.ok()) {
    // Cleaned up before the failure is reported, so whoever waits for the boot (a
    // -detached parent) finds no pid file or socket of a node that is not there.
    log::Error("BOOT FAILED: " + s.message());
    node.CleanUpAfterFailedBoot();
    if (on_boot) on_boot(s);
    return s;
  }
  if (on_boot) on_boot(s);
  node.Serve();
  return Status::OK();
}

}  // namespace warren::node
