#!/bin/bash
# The real programs as judges (issue 17 item 5). For PostgreSQL 15, Redis, etcd and ZooKeeper (Debian
# packages): make a valid configuration (postgresql: initdb's postgresql.conf with the documented
# defaults uncommented; redis: the package's own redis.conf; etcd: the defaults `etcd --help`
# prints, as a YAML config file, since the package ships none; zookeeper: the package's zoo.cfg
# with its commented settings uncommented, but the metrics provider whose class the package
# lacks), write misconfigured variants with
# `ciri inject` (fixed seeds: the same variants every run), start the real server on each
# variant in a sandbox (its own data directory under a temporary folder, a free loopback port,
# a private network namespace when we can make one, never the system service; as the package's
# user when run as root), record whether it accepted the file (started and answered: `psql -c
# 'select 1'`, `redis-cli ping`, etcd's /health, ZooKeeper's `srvr`) or refused it and the first error line it
# printed, stop it, and run `ciri validate --rules-only` on the same variant. Prints per system how often the two
# agree: both refuse, both accept, ciri alone flags, the program alone refuses.
# `ciri inject` changes only parameters ciri's rules know something about (spec tables, names,
# value shapes); a second family of variants, one spec-free slip per file (a name typo, a non-number,
# a negative, a huge value, a unit's case, an unknown unit, a fraction, a bool or word typo, an
# empty value; fixed seed), shows what the rules do not know.
#
# Programs accept many wrong settings silently (a bad value ignored with a warning, a setting
# only read later, a legal value that does harm): "it started" never means "it is right", so
# "ciri alone flags" is NOT counted as a false alarm. "The program alone refuses" is a
# misconfiguration the rules missed (or a failure no file check can see). The disagreements
# (variant, injected change, the program's reason, ciri's findings) go to
# bench/out/oracle-disagreements.tsv for study.
#
#   bench/oracle.sh [INJECT_VARIANTS] [GENERIC_VARIANTS] [SYSTEMS]
#   (per system; default 150 150 postgresql,redis,etcd,zookeeper)
# Installs postgresql-15, redis-server, etcd-server and zookeeper (with a Java runtime and
# libslf4j-java for its messages) with apt-get when they are missing (needs root; said before it
# is done; a server that cannot be installed is skipped, saying so).
# Build ciri first (or set CIRI=/path/to/ciri).
# Not run by the tests or CI. Environment: CIRI (the binary), BUILD (where to find it), ORACLE_OUT
# (the disagreements file), ORACLE_ZOOKEEPER_CONF (another valid zoo.cfg as ZooKeeper's base file, e.g.
# bench/zoo-full.cfg: every key QuorumPeerConfig reads, at its default), ORACLE_TIMEOUT (seconds a server has to answer, default 10),
# ORACLE_NO_NETNS=1 (run on the host's loopback even when a namespace could be made).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
variants=${1:-150}
generic=${2:-150}
systems=${3:-postgresql,redis,etcd,zookeeper}
out=${ORACLE_OUT:-$root/bench/out/oracle-disagreements.tsv}

ciri=${CIRI:-}
for c in "$build/ciri" "$build/ciri/cli/ciri"; do
  [ -n "$ciri" ] || { [ -f "$c" ] && [ -x "$c" ] && ciri=$c; }
done
[ -n "$ciri" ] || ciri=$(command -v ciri || true)
[ -n "$ciri" ] || { echo "oracle: no ciri binary: build it (cmake --build build --target ciri) or set CIRI" >&2; exit 2; }
# The shipped spec tables live in the source tree unless ciri is installed.
[ -n "${CIRI_DATA_DIR:-}" ] || [ ! -d "$root/datasets" ] || export CIRI_DATA_DIR=$root

# Install a missing server from Debian; skip it, saying why, when that cannot be done.
install() {  # system package...
  local sys=$1; shift
  if [ "$(id -u)" != 0 ]; then
    echo "oracle: $sys: not installed and not root: skipped (apt-get install $*)"
    return 1
  fi
  echo "oracle: $sys: installing $* with apt-get install -y"
  # policy-rc.d exit 101: the package must not start its system service.
  local policy=/usr/sbin/policy-rc.d made=
  [ -e $policy ] || { printf '#!/bin/sh\nexit 101\n' >$policy && chmod +x $policy && made=1; }
  local rc=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >/tmp/oracle-apt.log 2>&1 || rc=$?
  [ -z "$made" ] || rm -f $policy
  if [ $rc != 0 ]; then
    echo "oracle: $sys: apt-get install failed (see /tmp/oracle-apt.log): skipped"
    return 1
  fi
}

selected=()
pg_bindir=
for sys in ${systems//,/ }; do
  case $sys in
    postgresql)
      pg_bindir=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || true)
      if [ -z "$pg_bindir" ] || [ ! -x "$pg_bindir/postgres" ] || ! command -v psql >/dev/null; then
        install postgresql postgresql-15 postgresql-client-15 && pg_bindir=/usr/lib/postgresql/15/bin || continue
      fi
      selected+=(postgresql) ;;
    redis)
      if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null || [ ! -f /etc/redis/redis.conf ]; then
        install redis redis-server redis-tools || continue
      fi
      selected+=(redis) ;;
    etcd)
      command -v etcd >/dev/null || install etcd etcd-server || continue
      selected+=(etcd) ;;
    zookeeper)
      if ! command -v java >/dev/null || [ ! -f /usr/share/java/zookeeper.jar ] || [ ! -f /etc/zookeeper/conf_example/zoo.cfg ] ||
         [ ! -f /usr/share/java/slf4j-simple.jar ]; then
        install zookeeper zookeeper default-jre-headless libslf4j-java || continue
      fi
      selected+=(zookeeper) ;;
    *) echo "oracle: $sys: not supported (postgresql, redis, etcd, zookeeper): skipped" ;;
  esac
done
[ ${#selected[@]} -gt 0 ] || { echo "oracle: no server to run" >&2; exit 2; }
csv=$(IFS=,; echo "${selected[*]}")

work=$(mktemp -d /tmp/ciri-oracle.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
echo "oracle: ciri $("$ciri" --version | sed 's/^ciri //'); per system $variants ciri inject and $generic generic variants; sandbox $work"
args=(--ciri "$ciri" --work "$work" --systems "$csv" --variants "$variants" --generic "$generic" --out "$out"
      --pg-bindir "$pg_bindir" --timeout "${ORACLE_TIMEOUT:-10}")
[ -z "${ORACLE_ZOOKEEPER_CONF:-}" ] || args+=(--zookeeper-conf "$(realpath "$ORACLE_ZOOKEEPER_CONF")")
# A private network namespace (root + unshare) holds only a loopback interface: injected listen
# addresses cannot reach the network and ports cannot clash with anything on the host.
if [ "$(id -u)" = 0 ] && [ -z "${ORACLE_NO_NETNS:-}" ] && unshare --net true 2>/dev/null; then
  echo "oracle: servers run in a private network namespace (loopback only)"
  unshare --net sh -c 'ip link set lo up && exec "$@"' sh python3 "$root/bench/oracle.py" --netns "${args[@]}"
else
  echo "oracle: no private network namespace: servers listen on 127.0.0.1; variants that change the listen address are skipped"
  python3 "$root/bench/oracle.py" "${args[@]}"
fi
