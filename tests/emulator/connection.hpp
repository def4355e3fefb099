// Closing a client's connection from inside a request handler (the "drop" fault).
#pragma once

namespace ciri::emulator {

/// Shuts down this process's TCP socket whose local port is `local_port` and peer port is
/// `remote_port`, so the client sees the connection end without a response. False if none.
bool drop_connection(int local_port, int remote_port);

}  // namespace ciri::emulator
