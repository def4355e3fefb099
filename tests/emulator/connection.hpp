// Closing a client's connection from inside a request handler (the "drop" fault).
#pragma once

namespace ciri::emulator {

/// Shuts down this process's TCP socket whose local port is `local_port` and peer port is
/// `remote_port`, so the client sees the connection end without a response. False if none.
bool drop_connection(int local_port, int remote_port);

/// Raises the accept backlog of this process's socket listening on `port` to SOMAXCONN
/// (cpp-httplib 0.11 listens with 5, so bursts of connects get SYNs dropped and wait 1 s).
/// False if no such socket.
bool widen_listen_backlog(int port);

}  // namespace ciri::emulator
