#!/bin/bash
# Re-learns spec tables from the programs themselves (issue 17), on a development machine:
#   postgresql: the server's own pg_settings view (the ranges, units and enumerations it
#     enforces; `postgres --describe-config` prints ranges but no units or enumerations), read
#     from a throw-away cluster in single-user mode (no server, no port), completed by the
#     dependencies postgresql.conf.sample states;
#   etcd: `etcd --help` (its config-file keys are its flag names), each key's type named by
#     etcd itself when it refuses a string for it in a YAML config file (a sandbox data
#     directory, loopback URLs; a config that fails after parsing, so no server stays up), with
#     the checks etcd makes by hand after decoding, read in its source (bench/facts/etcd-source.tsv:
#     enumerations, the election timeout's limits);
#   redis: every name `CONFIG GET *` lists (a throw-away server on a unix socket), each given
#     a word, an empty value and the extreme 64-bit integers in a config file that ends in an
#     unknown directive (so no server stays up): the first error line is redis-server's refusal
#     (its kind, enumeration or range) or, when the probe passed, the unknown directive;
#     completed by the package's redis.conf (--from-defaults) and the arguments its multi-argument
#     directives take, read in its source (bench/facts/redis-source.tsv).
#   zookeeper: the keys QuorumPeerConfig reads and how it parses each (int, long, bool, port,
#     enumeration, the checks after reading), read in its source (bench/facts/zookeeper-source.tsv),
#     each fact checked against the running server first: fixed probe values in a zoo.cfg that
#     names a metrics provider class that does not exist, the last check QuorumPeerConfig makes
#     (so no server stays up): a probe passed when that class is what it refused. A fact the
#     server contradicts stops the step, writing nothing. Completed by the package's zoo.cfg.
# Writes datasets/<system>/params.tsv (or OUT_DIR/<system>.tsv) with a header naming the
# version and the source. Needs the Debian packages postgresql-15, etcd-server, redis-server,
# zookeeper with a Java runtime (not installed here: say so and stop) and a built ciri (CIRI or BUILD).
#   bench/learn_from_programs.sh [postgresql] [etcd] [redis] [zookeeper]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ciri=${CIRI:-${BUILD:-$root/build}/ciri}
[ -x "$ciri" ] || { echo "learn: no ciri binary at $ciri: build it or set CIRI" >&2; exit 2; }
out_dir=${OUT_DIR:-}
systems=${*:-postgresql etcd}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
as_user() {  # user command...: run as the package's user when we are root (initdb refuses root)
  local u=$1; shift
  if [ "$(id -u)" = 0 ]; then runuser -u "$u" -- "$@"; else "$@"; fi
}
target() { [ -n "$out_dir" ] && echo "$out_dir/$1.tsv" || echo "$root/datasets/$1/params.tsv"; }

learn_postgresql() {
  local bin=/usr/lib/postgresql/15/bin
  [ -x $bin/postgres ] || { echo "learn: postgresql: $bin/postgres missing: apt-get install postgresql-15" >&2; return 1; }
  local version; version=$($bin/postgres --version | sed 's/.* \([0-9][0-9.]*\).*/\1/')
  mkdir "$tmp/pg"
  [ "$(id -u)" != 0 ] || chown postgres "$tmp/pg"
  as_user postgres $bin/initdb -D "$tmp/pg/data" -A trust -U postgres --no-sync --no-instructions >"$tmp/pg/initdb.log"
  # One line: single-user mode ends a statement at a newline.
  echo "COPY (SELECT name, context, vartype, unit, min_val, max_val, enumvals, boot_val FROM pg_settings ORDER BY name) TO '$tmp/pg/settings.tsv' WITH (FORMAT text, HEADER true)" |
    as_user postgres $bin/postgres --single -D "$tmp/pg/data" postgres >"$tmp/pg/single.log" 2>&1
  [ -s "$tmp/pg/settings.tsv" ] || { cat "$tmp/pg/single.log" >&2; return 1; }
  local sample=/usr/share/postgresql/15/postgresql.conf.sample
  "$ciri" spec learn --system postgresql --from-pg-settings "$tmp/pg/settings.tsv" --complete \
    --sys-version "15" --document "pg_settings of PostgreSQL $version (Debian package postgresql-15)" \
    --from-defaults "$sample" --out "$(target postgresql)"
}

learn_etcd() {
  command -v etcd >/dev/null || { echo "learn: etcd: not installed: apt-get install etcd-server" >&2; return 1; }
  local version; version=$(etcd --version | sed -n 's/^etcd Version: //p')
  mkdir -p "$tmp/etcd" && etcd --help >"$tmp/etcd/help.txt" 2>&1 || true
  # Ask etcd what each key takes: a string where it wants another type is refused, naming the
  # Go type; a string it takes reaches the later check of a bad initial-cluster-state.
  local flag late err type
  : >"$tmp/etcd/types.tsv"
  for flag in $(sed -n 's/^  --\([a-z0-9-]*\).*/\1/p' "$tmp/etcd/help.txt" | sort -u); do
    case $flag in initial-cluster-state) late="heartbeat-interval: 0" ;; *) late="initial-cluster-state: ciri-bad" ;; esac
    printf 'data-dir: %s\n%s\n%s: ciri-probe\n' "$tmp/etcd/data" "$late" "$flag" >"$tmp/etcd/probe.yml"
    err=$(cd "$tmp/etcd" && timeout 5 etcd --config-file probe.yml 2>&1 | grep -m1 ' E \| C ' || true)
    if [[ $err =~ of\ type\ ([][A-Za-z0-9.]*[A-Za-z0-9]) ]]; then type=${BASH_REMATCH[1]}
    elif [[ $err == *clusterState* || $err == *heartbeat-interval* ]]; then type=string
    else continue; fi  # refused for another reason: its type stays unknown
    printf '%s\t%s\n' "$flag" "$type" >>"$tmp/etcd/types.tsv"
  done
  "$ciri" spec learn --system etcd --from-flag-help "$tmp/etcd/help.txt" --flag-types "$tmp/etcd/types.tsv" \
    --source-facts "$root/bench/facts/etcd-source.tsv" \
    --sys-version "$version" --document "etcd --help and the types etcd $version names for its YAML config file (Debian package etcd-server)" \
    --out "$(target etcd)"
}

learn_redis() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null ||
    { echo "learn: redis: not installed: apt-get install redis-server" >&2; return 1; }
  local version; version=$(redis-server --version | sed -n 's/.* v=\([0-9.]*\).*/\1/p')
  mkdir -p "$tmp/redis" && cd "$tmp/redis"
  redis-server --port 0 --unixsocket "$tmp/redis/s" --dir "$tmp/redis" --save '' --daemonize no >server.log 2>&1 &
  local pid=$! i
  for i in $(seq 50); do [ -S "$tmp/redis/s" ] && break; sleep 0.1; done
  redis-cli -s "$tmp/redis/s" config get '*' | awk 'NR % 2' | sort >names.txt
  kill $pid; wait $pid 2>/dev/null || true
  [ -s names.txt ] || { echo "learn: redis: CONFIG GET * listed nothing" >&2; return 1; }
  # name<TAB>value<TAB>the first line redis-server printed after the offending line ("" = passed).
  probe() {  # name value-as-written
    printf 'port 0\n%s %s\nciri-no-such-directive x\n' "$1" "$2" >probe.conf
    local why; why=$(timeout 5 redis-server ./probe.conf 2>&1 | sed -n '/^>>> /{n;p;q}' || true)
    [[ $why == "Bad directive"* ]] && why=
    printf '%s\t%s\t%s\n' "$1" "$2" "$why" >>probes.tsv
    echo "$why"
  }
  : >probes.tsv
  local name why
  while read -r name; do
    why=$(probe "$name" ciri-probe)
    probe "$name" '""' >/dev/null
    case $why in
      *"integer"*) probe "$name" -9223372036854775808 >/dev/null; probe "$name" 9223372036854775807 >/dev/null ;;
      *"memory value"*)  # and a fraction: redis-server reads whole sizes only
        probe "$name" -9223372036854775808 >/dev/null; probe "$name" 9223372036854775807 >/dev/null; probe "$name" 1.5 >/dev/null ;;
      *"one of the following: "*,*)  # two words at once: refused unless the setting takes several
        why=${why#*following: }; probe "$name" "${why%%,*} $(echo "$why" | cut -d, -f2 | tr -d ' ')" >/dev/null ;;
    esac
  done <names.txt
  cd "$root"
  "$ciri" spec learn --system redis --from-refusals "$tmp/redis/probes.tsv" --complete --sys-version "${version%.*}" \
    --document "the refusals of redis-server $version on each setting CONFIG GET lists (Debian package redis-server)" \
    --from-defaults /etc/redis/redis.conf --source-facts "$root/bench/facts/redis-source.tsv" --out "$(target redis)"
}

learn_zookeeper() {
  local jar=/usr/share/java/zookeeper.jar log=/usr/share/java/slf4j-simple.jar cfg=/etc/zookeeper/conf_example/zoo.cfg
  command -v java >/dev/null || { echo "learn: zookeeper: no java: apt-get install default-jre-headless" >&2; return 1; }
  [ -f $jar ] && [ -f $cfg ] || { echo "learn: zookeeper: not installed: apt-get install zookeeper" >&2; return 1; }
  [ -f $log ] || { echo "learn: zookeeper: $log missing (the server's messages): apt-get install libslf4j-java" >&2; return 1; }
  local version; version=$(java -cp $jar org.apache.zookeeper.version.VersionInfoMain | sed -n 's/.*, version \([0-9.]*\).*/\1/p')
  local facts=$root/bench/facts/zookeeper-source.tsv
  mkdir -p "$tmp/zk/data" && cd "$tmp/zk"
  # The server's verdict on one file: "" when it got to the missing metrics class (the probe
  # passed), else the exception it refused the file with.
  verdict() {  # probe lines...
    { printf 'dataDir=%s\nmetricsProvider.className=ciri.NoSuchProbeClass\n' "$tmp/zk/data"; printf '%s\n' "$@"; } >probe.cfg
    local out; out=$(timeout 30 java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dzookeeper.admin.enableServer=false -cp $jar:$log \
      org.apache.zookeeper.server.quorum.QuorumPeerMain "$tmp/zk/probe.cfg" 2>&1 || true)
    printf '%s\n' "$out" >probe.log
    [[ $out == *"metrics provider class was not found"* ]] && return
    local why; why=$(grep -o 'Caused by: .*' <<<"$out" | tail -1)  # the innermost cause, else the exception
    [ -n "$why" ] || why=$(grep -m1 -o '[A-Za-z.]*Exception: .*' <<<"$out" || echo "no message")
    echo "${why#Caused by: }"
  }
  local bad=0 n=0
  check() {  # expect(accept|refuse) fact lines...
    local expect=$1; shift
    local why; why=$(verdict "$@"); n=$((n + 1))
    if [ "$expect" = accept ] && [ -n "$why" ]; then echo "learn: zookeeper $version refused $* ($why)" >&2; bad=1; fi
    if [ "$expect" = refuse ] && [ -z "$why" ]; then echo "learn: zookeeper $version accepted $*" >&2; bad=1; fi
    printf '%s\t%s\t%s\n' "$*" "$expect" "$why" >>probes.tsv
  }
  : >probes.tsv
  local name type min max enum v
  # Rows as name type default min max enum, an empty column as `-` (read collapses empty tab-separated ones).
  local default
  while read -r name type default min max enum; do
    case $name in name|'*') continue ;; esac
    [ "$name" = oraclePath ] && continue  # 3.8.0 reads it as text; 3.7.0 not at all: nothing to probe
    case $type in
      int|long) check refuse "$name=1.5"; check refuse "$name=ciri-probe"
        # A whole number it takes: its default, else the largest int (beside a session ceiling no value breaks).
        [[ $default =~ ^-?[0-9]+$ ]] && v=$default || v=2147483647
        check accept "maxSessionTimeout=2147483647" "$name=$v"
        [ "$type" = long ] || { check refuse "$name=2147483648"; check refuse "$name=-2147483649"; }  # beyond an int
        [ "$min" = - ] || [ "$min" != "$max" ] || { check accept "$name=$min"; check refuse "$name=$((min + 1))"; } ;;
      port) check refuse "$name=65536"; check refuse "$name=-1"; check accept "$name=65535" ;;
      bool) check refuse "$name=yes"; check refuse "$name=on"; check refuse "$name=1"; check accept "$name=FALSE"; check accept "$name=false" ;;
      enum) check refuse "$name=ciri-probe"; for v in ${enum//,/ }; do check accept "$name=${v^^}"; done ;;
    esac
    case $type in int|long|port|bool|enum) check refuse "$name=" ;; esac  # empty_refused
  done < <(awk -F'\t' '!/^#/ { for (i = 1; i <= 6; i++) if ($i == "") $i = "-"; print $1, $2, $3, $4, $5, $6 }' "$facts")
  # The checks after reading (the constraints of the table).
  check refuse "minSessionTimeout=5000" "maxSessionTimeout=4000"; check accept "minSessionTimeout=4000" "maxSessionTimeout=4000"
  # Started with, but said invalid and replaced: the minimum of autopurge.snapRetainCount.
  [[ $(verdict "autopurge.snapRetainCount=2"; cat probe.log) == *"Invalid autopurge.snapRetainCount"* ]] ||
    { echo "learn: zookeeper $version did not call autopurge.snapRetainCount=2 invalid" >&2; bad=1; }
  n=$((n + 1))
  check refuse "tickTime=0"; check refuse "tickTime=-2000"
  check refuse "tickTime=2000" "minSessionTimeout=40001"; check accept "tickTime=2000" "minSessionTimeout=40000"
  check refuse "tickTime=2000" "maxSessionTimeout=3999"; check accept "tickTime=2000" "maxSessionTimeout=4000"
  check refuse "clientPortAddress=127.0.0.1"; check refuse "secureClientPortAddress=127.0.0.1"
  check refuse "quorum.auth.serverRequireSasl=true" "quorum.auth.learnerRequireSasl=true"
  check refuse "quorum.auth.learnerRequireSasl=true"
  check refuse "quorum.auth.enableSasl=true" "quorum.auth.serverRequireSasl=true"
  check accept "quorum.auth.enableSasl=true" "quorum.auth.serverRequireSasl=true" "quorum.auth.learnerRequireSasl=true"
  check accept "ciri.unknown.key=anything"  # an unknown key becomes a system property
  cd "$root"
  [ $bad = 0 ] || { echo "learn: zookeeper: the server contradicts $facts: fix it (nothing written)" >&2; return 1; }
  echo "learn: zookeeper $version: $n probes, every fact of $(basename "$facts") confirmed" >&2
  "$ciri" spec learn --system zookeeper --from-defaults $cfg --source-facts "$facts" --sys-version 3.7.0 \
    --document "conf_example/zoo.cfg (Debian package zookeeper $version), with the facts of QuorumPeerConfig's source, each confirmed by ZooKeeper $version's refusal or acceptance of $n probe files" \
    --out "$(target zookeeper)"
}

for s in $systems; do
  case $s in
    postgresql) learn_postgresql ;;
    etcd) mkdir -p "$root/datasets/etcd"; learn_etcd ;;
    redis) learn_redis ;;
    zookeeper) learn_zookeeper ;;
    *) echo "learn: $s: not supported (postgresql, etcd, redis, zookeeper)" >&2; exit 2 ;;
  esac
done
