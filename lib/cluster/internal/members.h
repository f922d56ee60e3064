// The cluster's member list as the replicated state holds it: node name, Raft id,
// inter-node address and type. Changed only by committed commands
// (cluster.add_node / cluster.remove_node / cluster.set_type) and snapshots, so every
// node holds the same list. Value type; not thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "cluster/cluster.h"

namespace warren::cluster {

struct ClusterMember {
  std::string node;
  uint64_t id = 0;
  std::string address;  // host:port of its inter-node listener
  NodeType type = NodeType::kDisc;
};

class MemberList {
 public:
  void Clear() { by_node_.clear(); }
  const ClusterMember* Find(const std::string& node) const;
  // Sorted by node name.
  std::vector<MemberInfo> List() const;
  // cluster.add_node / cluster.remove_node / cluster.set_type.
  Status Apply(const std::string& op, const nlohmann::json& c);
  nlohmann::json ToJson() const;
  Status Replace(const nlohmann::json& list);

 private:
  static Result<ClusterMember> Parse(const nlohmann::json& j);
  std::map<std::string, ClusterMember> by_node_;
};

}  // namespace warren::cluster
