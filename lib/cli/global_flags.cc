// The options every tool accepts anywhere on the line, as run.cc parses them; help,
// shell completions and man pages list them from here.
#include "cli/cli.h"

namespace warren::cli {

const std::vector<Flag>& GlobalFlags() {
  static const std::vector<Flag> kFlags = {
      {"help", '?', false, "", "displays command help"},
      {"node", 'n', true, "<node>", "connect to node <node>"},
      {"longnames", 'l', false, "", "use long host names"},
      {"timeout", 't', true, "<timeout>",
       "for commands that support it, operation timeout in seconds"},
      {"quiet", 'q', false, "", "suppress informational messages"},
      {"silent", 's', false, "", "suppress informational messages and table header row"},
      {"vhost", 'p', true, "<vhost>",
       "for commands that are scoped to a virtual host, virtual host to use", "/"},
      {"formatter", 0, true, "<formatter>",
       "alternative result formatter to use if supported: json, pretty_table, table, csv",
       "table"},
      {"no-table-headers", 0, false, "", "do not print the header row of list output"},
  };
  return kFlags;
}

}  // namespace warren::cli
