#include "control/ops/node_info.h"

namespace warren::control::ops {

std::string InterfaceText(const std::string& interface) {
  return interface.find(':') != std::string::npos ? "[" + interface + "]" : interface;
}

json ListenersJson(const NodeApi& node) {
  json out = json::array();
  for (const auto& l : node.listeners()) {
    out.push_back({{"interface", InterfaceText(l.interface)},
                   {"node", node.env().node.full()},
                   {"port", l.port},
                   {"protocol", l.protocol},
                   {"purpose", l.purpose}});
  }
  return out;
}

json AlarmsJson(const NodeApi& node) {
  json out = json::array();
  for (const auto& a : node.alarms())
    out.push_back({{"node", a.node}, {"resource", a.resource}, {"type", "resource_limit"}});
  return out;
}

}  // namespace warren::control::ops
