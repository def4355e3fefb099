#include "tests/emulator/connection.hpp"

#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>

namespace ciri::emulator {
namespace {

int port_of(const sockaddr_storage& address) {
    if (address.ss_family == AF_INET) {
        return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
    }
    if (address.ss_family == AF_INET6) {
        return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
    }
    return -1;
}

// Our TCP socket bound to `local_port` whose peer port is `remote_port` (-1: not connected,
// i.e. the listening socket); -1 if none. cpp-httplib does not expose its sockets.
int find_socket(int local_port, int remote_port) {
    DIR* dir = opendir("/proc/self/fd");
    if (!dir) return -1;
    int found = -1;
    while (dirent* entry = readdir(dir)) {
        char* end = nullptr;
        long fd = std::strtol(entry->d_name, &end, 10);
        if (end == entry->d_name || *end != '\0' || fd == dirfd(dir)) continue;
        int sock = static_cast<int>(fd);
        sockaddr_storage local{}, peer{};
        socklen_t local_size = sizeof local, peer_size = sizeof peer;
        if (getsockname(sock, reinterpret_cast<sockaddr*>(&local), &local_size) != 0) continue;
        if (port_of(local) != local_port) continue;
        bool connected = getpeername(sock, reinterpret_cast<sockaddr*>(&peer), &peer_size) == 0;
        if (connected ? port_of(peer) != remote_port : remote_port != -1) continue;
        found = sock;
        break;
    }
    closedir(dir);
    return found;
}

}  // namespace

bool drop_connection(int local_port, int remote_port) {
    int sock = find_socket(local_port, remote_port);
    if (sock < 0) return false;
    // Shut down, not closed: cpp-httplib still owns the descriptor and closes it itself.
    return shutdown(sock, SHUT_RDWR) == 0;
}

bool widen_listen_backlog(int port) {
    int sock = find_socket(port, -1);
    return sock >= 0 && listen(sock, SOMAXCONN) == 0;
}

}  // namespace ciri::emulator
