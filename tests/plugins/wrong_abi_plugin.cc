// warren_test_wrong_abi: an entry point that reports the next ABI version; the node must
// refuse it without calling create().
#include <cstdlib>

#include "plugin/api.h"

extern "C" __attribute__((visibility("default"))) const warren::plugin::Entry*
warren_plugin_entry() {
  static const warren::plugin::Entry entry{
      warren::plugin::kAbiVersion + 1, []() -> warren::plugin::Plugin* { std::abort(); },
      [](warren::plugin::Plugin*) { std::abort(); }};
  return &entry;
}
