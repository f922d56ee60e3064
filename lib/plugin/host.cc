#include "plugin/host.h"

#include <dlfcn.h>

#include <algorithm>
#include <asio.hpp>
#include <mutex>
#include <set>

#include "base/log.h"
#include "plugin/catalog.h"
#include "plugin/http_server.h"
#include "policy/parameters.h"

namespace warren::plugin {
namespace {

class HostImpl;

// What one plugin sees of the node; registrations are recorded under its name.
class ContextImpl : public Context {
 public:
  ContextImpl(HostImpl& host, std::string name) : host_(host), name_(std::move(name)) {}
  const std::string& plugin_name() const override { return name_; }
  json settings() const override;
  void Log(LogLevel level, const std::string& message) override;
  Status AddHttpRoute(const HttpListenerSpec& listener, const std::string& method,
                      const std::string& path, HttpHandler handler) override;
  Status RegisterParameterComponent(const std::string& component,
                                    ParameterValidator validator) override;
  Status RegisterExchangeType(const std::string& name, std::shared_ptr<ExchangeType> type) override;
  void Subscribe(EventHandler handler) override;
  NodeMetrics Metrics(bool per_queue) override;
  Result<json> CallAdmin(const std::string& name, const json& params, const json& body) override;
  void Post(std::function<void()> fn) override;

 private:
  HostImpl& host_;
  std::string name_;
};

struct Loaded {
  void* handle = nullptr;  // kept open while the node runs: handlers may still be queued
  const Entry* entry = nullptr;
  Plugin* plugin = nullptr;
  std::unique_ptr<ContextImpl> context;
};

const std::set<std::string> kBuiltinExchangeTypes = {"direct", "fanout", "topic", "headers"};

class HostImpl : public Host {
 public:
  HostImpl(asio::io_context& io, HostOptions o) : io_(io), options_(std::move(o)), http_(io) {}
  ~HostImpl() override { StopAll(); }

  void Boot() override {
    auto names = ReadEnabledPlugins(options_.enabled_plugins_file);
    if (!names.ok()) {
      file_error_ = names.status().message();
      log::Error(file_error_ + "; no plugins were loaded. Fix the file (or run warren-plugins "
                 "set) and restart the node");
      return;
    }
    explicit_ = *names;
    Catalog catalog = Scan();
    for (const auto& n : explicit_)
      if (!catalog.plugins.count(n))
        log::Warning("the enabled plugins file names " + n + ", which is not a plugin in " +
                     options_.plugins_dir + "; ignored");
    Sync(catalog);
  }

  void StopAll() override {
    for (auto it = order_.rbegin(); it != order_.rend(); ++it) StopOne(*it);
    order_.clear();
  }

  Result<json> Apply(const std::vector<std::string>& explicit_names) override {
    Catalog catalog = Scan();
    std::vector<std::string> unknown;
    for (const auto& n : explicit_names)
      if (!catalog.plugins.count(n)) unknown.push_back(n);
    if (!unknown.empty()) {
      json list = unknown;
      return Status::NotFound(list.dump(), "plugins_not_found");
    }
    std::vector<std::string> sorted = explicit_names;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    WARREN_TRY(WriteEnabledPlugins(options_.enabled_plugins_file, sorted));
    explicit_ = sorted;
    file_error_.clear();
    return Sync(catalog);
  }

  json Describe() const override {
    json d = plugin::Describe(ScanPlugins(options_.plugins_dir), options_.plugins_dir,
                              options_.enabled_plugins_file, explicit_, file_error_);
    d["running"] = order_;
    d["failed"] = failed_;
    return d;
  }

  std::shared_ptr<ExchangeType> FindExchangeType(const std::string& name) const override {
    std::lock_guard lock(types_mu_);
    auto it = exchange_types_.find(name);
    return it == exchange_types_.end() ? nullptr : it->second.second;
  }

  void Emit(const Event& event) override {
    if (handlers_.empty()) return;
    auto handlers = handlers_;  // a handler may (un)subscribe
    for (const auto& [owner, h] : handlers) h(event);
  }

  std::vector<HttpListenerInfo> listeners() const override { return http_.listeners(); }

  // For ContextImpl.
  const HostOptions& options() const { return options_; }
  asio::io_context& io() { return io_; }
  Status AddRoute(const std::string& owner, const HttpListenerSpec& l, const std::string& method,
                  const std::string& path, HttpHandler h) {
    return http_.AddRoute(owner, l, method, path, std::move(h));
  }
  Status AddComponent(const std::string& owner, const std::string& component,
                      ParameterValidator v) {
    WARREN_TRY(policy::Components().Register(
        component, [v = std::move(v)](const std::string& vhost, const std::string& name,
                                      const json& value) { return v(vhost, name, value); }));
    components_.emplace_back(owner, component);
    return Status::OK();
  }
  Status AddExchangeType(const std::string& owner, const std::string& name,
                         std::shared_ptr<ExchangeType> type) {
    std::lock_guard lock(types_mu_);
    if (kBuiltinExchangeTypes.count(name) || exchange_types_.count(name))
      return Status::AlreadyExists("exchange type " + name + " is already registered");
    exchange_types_[name] = {owner, std::move(type)};
    return Status::OK();
  }
  void AddHandler(const std::string& owner, EventHandler h) {
    handlers_.emplace_back(owner, std::move(h));
  }

 private:
  Catalog Scan() {
    Catalog c = ScanPlugins(options_.plugins_dir);
    for (const auto& p : c.problems) log::Warning(p);
    return c;
  }

  // Stops what is running but no longer enabled, then starts what is enabled.
  json Sync(const Catalog& catalog) {
    const std::set<std::string> enabled = WithDependencies(catalog, explicit_);
    json stopped = json::array(), started = json::array(), failed = json::object();
    for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
      if (enabled.count(*it)) continue;
      StopOne(*it);
      stopped.push_back(*it);
    }
    std::erase_if(order_, [&](const std::string& n) { return !enabled.count(n); });
    std::erase_if(failed_, [&](const auto& kv) { return !enabled.count(kv.first); });
    for (const auto& name : StartOrder(catalog, enabled)) {
      if (std::find(order_.begin(), order_.end(), name) != order_.end()) continue;
      failed_.erase(name);
      Status s = Start(catalog.plugins.at(name));
      if (s.ok()) {
        order_.push_back(name);
        started.push_back(name);
        log::Info("plugin " + name + " started");
      } else {
        failed_[name] = s.message();
        failed[name] = s.message();
        log::Error("plugin " + name + " failed to start: " + s.message());
      }
    }
    std::sort(stopped.begin(), stopped.end());
    std::sort(started.begin(), started.end());
    return json{{"enabled", enabled}, {"started", started}, {"stopped", stopped}, {"failed", failed}};
  }

  Status Load(const Manifest& m, Loaded& l) {
    if (!l.handle) {
      l.handle = ::dlopen(m.library.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (!l.handle) return Status::Unavailable(std::string("cannot load ") + m.library + ": " + ::dlerror());
    }
    using EntryFn = const Entry* (*)();
    auto fn = reinterpret_cast<EntryFn>(::dlsym(l.handle, kEntrySymbol));
    if (!fn)
      return Status::Unavailable(m.library + " has no entry point " + kEntrySymbol +
                                 " (is it a warren plugin built with WARREN_PLUGIN?)");
    const Entry* e = fn();
    if (!e || e->abi_version != kAbiVersion)
      return Status::Precondition(m.library + " was built for plugin ABI " +
                                  std::to_string(e ? e->abi_version : 0) + ", this node speaks " +
                                  std::to_string(kAbiVersion) + "; rebuild it against this warren");
    l.entry = e;
    return Status::OK();
  }

  Status Start(const Manifest& m) {
    for (const auto& d : m.dependencies)
      if (std::find(order_.begin(), order_.end(), d) == order_.end())
        return Status::Precondition("its dependency " + d + " is not running");
    Loaded& l = loaded_[m.name];
    WARREN_TRY(Load(m, l));
    l.plugin = l.entry->create();
    l.context = std::make_unique<ContextImpl>(*this, m.name);
    Status s = l.plugin->Start(*l.context);
    if (!s.ok()) {
      Release(m.name, l);
      return s;
    }
    return s;
  }

  void StopOne(const std::string& name) {
    auto it = loaded_.find(name);
    if (it == loaded_.end() || !it->second.plugin) return;
    it->second.plugin->Stop();
    Release(name, it->second);
    log::Info("plugin " + name + " stopped");
  }

  // Removes what `name` registered and destroys its Plugin object.
  void Release(const std::string& name, Loaded& l) {
    http_.RemoveOwner(name);
    for (const auto& [owner, component] : components_)
      if (owner == name) policy::Components().Unregister(component);
    std::erase_if(components_, [&](const auto& c) { return c.first == name; });
    {
      std::lock_guard lock(types_mu_);
      std::erase_if(exchange_types_, [&](const auto& kv) { return kv.second.first == name; });
    }
    std::erase_if(handlers_, [&](const auto& h) { return h.first == name; });
    // One of its HTTP handlers may still be running, waiting on its fiber for an
    // admin operation: the plugin goes once none is.
    http_.WhenIdle(name, [entry = l.entry, plugin = std::exchange(l.plugin, nullptr),
                          context = std::shared_ptr<ContextImpl>(std::move(l.context))]() mutable {
      entry->destroy(plugin);
      context.reset();
    });
  }

  asio::io_context& io_;
  HostOptions options_;
  HttpServer http_;
  std::vector<std::string> explicit_;
  std::string file_error_;
  std::vector<std::string> order_;  // running plugins, in start order
  std::map<std::string, std::string> failed_;
  std::map<std::string, Loaded> loaded_;
  std::vector<std::pair<std::string, std::string>> components_;  // owner, component
  // Looked up by every broker shard, on its own thread, when it declares an exchange.
  mutable std::mutex types_mu_;
  std::map<std::string, std::pair<std::string, std::shared_ptr<ExchangeType>>> exchange_types_;  // guarded by types_mu_
  std::vector<std::pair<std::string, EventHandler>> handlers_;
};

json ContextImpl::settings() const { return host_.options().settings(); }

void ContextImpl::Log(LogLevel level, const std::string& message) {
  const std::string m = "[" + name_ + "] " + message;
  switch (level) {
    case LogLevel::kDebug:
    case LogLevel::kInfo: log::Info(m); break;
    case LogLevel::kWarning: log::Warning(m); break;
    case LogLevel::kError: log::Error(m); break;
  }
}

Status ContextImpl::AddHttpRoute(const HttpListenerSpec& listener, const std::string& method,
                                 const std::string& path, HttpHandler handler) {
  return host_.AddRoute(name_, listener, method, path, std::move(handler));
}

Status ContextImpl::RegisterParameterComponent(const std::string& component,
                                               ParameterValidator validator) {
  return host_.AddComponent(name_, component, std::move(validator));
}

Status ContextImpl::RegisterExchangeType(const std::string& name,
                                         std::shared_ptr<ExchangeType> type) {
  return host_.AddExchangeType(name_, name, std::move(type));
}

void ContextImpl::Subscribe(EventHandler handler) { host_.AddHandler(name_, std::move(handler)); }

NodeMetrics ContextImpl::Metrics(bool per_queue) { return host_.options().metrics(per_queue); }

Result<json> ContextImpl::CallAdmin(const std::string& name, const json& params, const json& body) {
  return host_.options().admin(name, params, body);
}

void ContextImpl::Post(std::function<void()> fn) { asio::post(host_.io(), std::move(fn)); }

}  // namespace

std::unique_ptr<Host> Host::Create(asio::io_context& io, HostOptions options) {
  return std::make_unique<HostImpl>(io, std::move(options));
}

}  // namespace warren::plugin
