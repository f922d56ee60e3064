// The broker's shards (DESIGN decision 5): N engines, each on an event loop of its own,
// each owning the connections handed to it and the queues they declare. Shard 0 runs
// on the node's loop and reads the metadata store itself; every other shard runs on a
// thread of its own and reads a replica of it (meta/replica.h), which the store's
// changes keep in step. Changes a shard makes to the metadata run on the node's loop.
//
// Shards use each other's queues as cluster members do (docs/clustering.md, "Queues
// across members"): each engine holds queues under a name of its own (the node's name
// for shard 0, "<node>/<i>" for shard i), and a queue another shard holds has a
// stand-in, served over a socketpair between the two shards' loops.
//
// Use: from the node's loop only. An engine is used only on its own loop (Post).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "broker/broker.h"

namespace asio {
class io_context;
}
namespace warren::meta {
class Store;
}

namespace warren::broker {

class Shards {
 public:
  // Starts `count` shards (at least one). `options` are shard 0's; the other shards
  // keep their messages and page files in "shard-<i>" under its directories.
  Shards(asio::io_context& io, meta::Store& store, BrokerOptions options, size_t count);
  // Stops every shard: each engine is destroyed on its own loop.
  ~Shards();
  Shards(const Shards&) = delete;
  Shards& operator=(const Shards&) = delete;

  size_t size() const;
  // Shard i's holder name: the node's name for shard 0, "<node>/<i>" after.
  static std::string HolderName(const std::string& node, size_t i);
  // Runs task(engine) on shard i's loop, once its engine exists.
  void Post(size_t i, std::function<void(Broker&)> task);
  // Shard 0's engine, on the node's loop.
  Broker& first();
  // Hands an accepted client socket to the next shard, round robin.
  void Accept(int fd);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warren::broker
