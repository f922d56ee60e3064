// warren-diagnostics: the CLI for one tool; everything lives in lib/cli.
#include "cli/cli.h"

int main(int argc, char** argv) { return warren::cli::RunTool(argc, argv, warren::cli::kDiagnostics); }
