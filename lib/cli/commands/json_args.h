// Helpers for the commands that take JSON documents as arguments (policy definitions,
// parameter values, vhost limits) and list them: rabbitmqctl shows such documents as
// JSON text in every formatter. Internal to lib/cli.
#pragma once

#include <cstdio>
#include <initializer_list>
#include <string>

#include "cli/command.h"
#include "cli/output.h"

namespace warren::cli {

// The document in `text`, or rabbitmqctl's error for text that is not JSON.
inline Result<json> ParseJsonArg(const std::string& text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::BadInput("JSON decoding error. Reason: badarg");
  return doc;
}

// `rows` with the cells under `keys` replaced by their compact JSON text.
inline json JsonTextCells(json rows, std::initializer_list<const char*> keys) {
  for (auto& row : rows) {
    for (const char* k : keys) {
      if (row.contains(k)) row[k] = row[k].dump();
    }
  }
  return rows;
}

// PrintRows, except that an empty table is one empty line, as rabbitmqctl prints
// empty policy and parameter listings.
inline int PrintRowsOrBlank(Invocation& inv, const json& rows) {
  if (rows.empty() && inv.formatter == "table") {
    std::fputs("\n", stdout);
    return 0;
  }
  return PrintRows(inv, rows);
}

}  // namespace warren::cli
