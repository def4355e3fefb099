// Thin on purpose: everything lives in libraries the tests link too.
#include "ciri/cli/app.hpp"

int main(int argc, char** argv) { return ciri::run_cli(argc, argv); }
