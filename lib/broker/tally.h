// The node-wide counts that vhost and user limits are checked against, shared by every
// shard: running connections by vhost and by user, and open channels by user.
// Thread-safe; used when a connection or a channel opens or ends, never on the message
// path. Internal to lib/broker.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace warren::broker {

class Tally {
 public:
  enum class Admitted { kYes, kVhostFull, kUserFull };
  // Counts one more running connection of `user` in `vhost` unless a limit (absent or
  // negative: none) is reached.
  Admitted AdmitConnection(const std::string& vhost, const std::string& user,
                           std::optional<int64_t> vhost_limit, std::optional<int64_t> user_limit) {
    std::lock_guard lock(mu_);
    if (vhost_limit && by_vhost_[vhost] >= *vhost_limit) return Admitted::kVhostFull;
    if (user_limit && by_user_[user] >= *user_limit) return Admitted::kUserFull;
    ++by_vhost_[vhost];
    ++by_user_[user];
    return Admitted::kYes;
  }
  void ConnectionGone(const std::string& vhost, const std::string& user) {
    std::lock_guard lock(mu_);
    if (--by_vhost_[vhost] <= 0) by_vhost_.erase(vhost);
    if (--by_user_[user] <= 0) by_user_.erase(user);
  }
  // Counts one more channel of `user` unless `limit` is reached.
  bool OpenChannel(const std::string& user, std::optional<int64_t> limit) {
    std::lock_guard lock(mu_);
    if (limit && channels_[user] >= *limit) return false;
    ++channels_[user];
    return true;
  }
  void ChannelsClosed(const std::string& user, int64_t n) {
    std::lock_guard lock(mu_);
    if ((channels_[user] -= n) <= 0) channels_.erase(user);
  }

 private:
  std::mutex mu_;
  std::map<std::string, int64_t> by_vhost_, by_user_, channels_;
};

}  // namespace warren::broker
