// Named<T, Tag>: distinct types for identifiers (CONVENTIONS 10), so a function that
// takes a VhostName cannot be handed a UserName. Zero-cost value wrappers.
#pragma once

#include <compare>
#include <string>
#include <utility>

namespace warren {

template <typename T, typename Tag>
class Named {
 public:
  Named() = default;
  explicit Named(T v) : v_(std::move(v)) {}
  const T& get() const { return v_; }
  auto operator<=>(const Named&) const = default;

 private:
  T v_{};
};

using VhostName = Named<std::string, struct VhostNameTag>;
using UserName = Named<std::string, struct UserNameTag>;

}  // namespace warren
