// Where the messages one queue holds in the message store live, by id. Ids appended in
// order to one segment form runs that cost a bit per message, so a backlog of millions
// of persistent messages keeps a small index; an id that fits no run (appended out of
// order) is kept on its own. Internal to lib/store; value type, thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace warren::store::internal {

class HeldIndex {
 public:
  // False when `id` is held already (a replacement: Erase it first).
  bool Insert(uint64_t id, uint64_t segment) {
    if (!runs_.empty()) {
      auto& [first, run] = *runs_.rbegin();
      const uint64_t end = first + run.live.size();
      if (id == end && run.segment == segment) {
        run.live.push_back(true);
        ++run.count;
        ++size_;
        return true;
      }
      if (id < end) {
        if (Find(id)) return false;
        ++size_;
        return scattered_.emplace(id, segment).second;
      }
    }
    if (scattered_.count(id)) return false;
    runs_.emplace(id, Run{segment, {true}, 1});
    ++size_;
    return true;
  }

  // The segment of the erased message, or nullopt when `id` was not held.
  std::optional<uint64_t> Erase(uint64_t id) {
    if (auto s = scattered_.find(id); s != scattered_.end()) {
      const uint64_t segment = s->second;
      scattered_.erase(s);
      --size_;
      return segment;
    }
    auto it = RunOf(id);
    if (it == runs_.end()) return std::nullopt;
    Run& run = it->second;
    run.live[id - it->first] = false;
    const uint64_t segment = run.segment;
    if (--run.count == 0) runs_.erase(it);
    --size_;
    return segment;
  }

  std::optional<uint64_t> Find(uint64_t id) const {
    if (auto s = scattered_.find(id); s != scattered_.end()) return s->second;
    auto it = const_cast<HeldIndex*>(this)->RunOf(id);
    if (it == runs_.end()) return std::nullopt;
    return it->second.segment;
  }

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }

  // f(id, segment) for every held message.
  template <typename F>
  void ForEach(F&& f) const {
    for (const auto& [first, run] : runs_)
      for (size_t i = 0; i < run.live.size(); ++i)
        if (run.live[i]) f(first + i, run.segment);
    for (const auto& [id, segment] : scattered_) f(id, segment);
  }

 private:
  struct Run {
    uint64_t segment;
    std::vector<bool> live;  // live[i]: id first + i is held
    size_t count = 0;        // how many are
  };
  // The run whose range holds `id` with its bit set, or end().
  std::map<uint64_t, Run>::iterator RunOf(uint64_t id) {
    auto it = runs_.upper_bound(id);
    if (it == runs_.begin()) return runs_.end();
    --it;
    const uint64_t offset = id - it->first;
    if (offset >= it->second.live.size() || !it->second.live[offset]) return runs_.end();
    return it;
  }

  std::map<uint64_t, Run> runs_;           // by first id
  std::map<uint64_t, uint64_t> scattered_;  // id -> segment
  size_t size_ = 0;
};

}  // namespace warren::store::internal
