#include "cluster/internal/members.h"

namespace warren::cluster {

using json = nlohmann::json;

const ClusterMember* MemberList::Find(const std::string& node) const {
  auto it = by_node_.find(node);
  return it == by_node_.end() ? nullptr : &it->second;
}

std::vector<MemberInfo> MemberList::List() const {
  std::vector<MemberInfo> out;
  for (const auto& [node, m] : by_node_) out.push_back(MemberInfo{node, m.type});
  return out;
}

Result<ClusterMember> MemberList::Parse(const json& j) {
  if (!j.is_object() || !j.contains("node") || !j["node"].is_string() || !j.contains("id") ||
      !j["id"].is_number_unsigned() || !j.contains("address") || !j["address"].is_string())
    return Status::BadInput("malformed cluster member " + j.dump());
  const std::string type = j.value("type", "disc");
  if (type != "disc" && type != "ram") return Status::BadInput("unknown node type '" + type + "'");
  return ClusterMember{j["node"].get<std::string>(), j["id"].get<uint64_t>(),
                       j["address"].get<std::string>(),
                       type == "ram" ? NodeType::kRam : NodeType::kDisc};
}

Status MemberList::Apply(const std::string& op, const json& c) {
  if (op == "cluster.noop") return Status::OK();
  if (op == "cluster.add_node") {
    WARREN_ASSIGN_OR_RETURN(ClusterMember m, Parse(c));
    by_node_[m.node] = std::move(m);
    return Status::OK();
  }
  const std::string node = c.value("node", "");
  auto it = by_node_.find(node);
  if (it == by_node_.end())
    return Status::NotFound("node " + node + " is not a member of the cluster", "node");
  if (op == "cluster.remove_node") {
    by_node_.erase(it);
    return Status::OK();
  }
  if (op == "cluster.set_type") {
    const std::string type = c.value("type", "");
    if (type != "disc" && type != "ram") return Status::BadInput("unknown node type '" + type + "'");
    it->second.type = type == "ram" ? NodeType::kRam : NodeType::kDisc;
    return Status::OK();
  }
  return Status::BadInput("unknown cluster command '" + op + "'");
}

json MemberList::ToJson() const {
  json out = json::array();
  for (const auto& [node, m] : by_node_)
    out.push_back(
        {{"node", node}, {"id", m.id}, {"address", m.address}, {"type", NodeTypeName(m.type)}});
  return out;
}

Status MemberList::Replace(const json& list) {
  if (!list.is_array()) return Status::BadInput("the cluster's member list is not a list");
  std::map<std::string, ClusterMember> fresh;
  for (const auto& j : list) {
    WARREN_ASSIGN_OR_RETURN(ClusterMember m, Parse(j));
    fresh[m.node] = std::move(m);
  }
  by_node_ = std::move(fresh);
  return Status::OK();
}

}  // namespace warren::cluster
