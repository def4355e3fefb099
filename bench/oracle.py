#!/usr/bin/env python3
"""The real programs as judges: start each server on variants of a valid configuration
(`ciri inject`'s, and spec-free slips made here) in a sandbox, record whether it accepted the
file (started and answered) or refused it (and the first error line it printed), run `ciri
validate --rules-only` on the same variant, and print how often the two agree.

A program that starts is no proof that its file is right: servers accept many wrong settings
silently (a bad value ignored with a warning, a setting only read later, a value that is legal
but harmful). "ciri alone flags" is therefore not counted as a false alarm; it is listed for
study. "The program alone refuses" is a misconfiguration ciri's rules missed, or a failure
that no file-level check can see (a port in use, too little memory).

Systems: postgresql (15), redis, etcd (3.4; its YAML config file), zookeeper (zoo.cfg, with a
Java runtime). Run through bench/oracle.sh,
which installs the servers and puts this in a network namespace.
Python 3 standard library only.
"""
import argparse
import difflib
import json
import os
import pwd
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

# First line a server printed that says why it stopped (timestamps and pids are cut away).
REASON = re.compile(r"fatal|panic|error|invalid|unrecognized|can't|cannot|could not|failed|must be|"
                    r"not allowed|out of range|outside the valid range|requires|not supported|"
                    r"bad directive|wrong number",
                    re.IGNORECASE)
WARNING = re.compile(r"warning", re.IGNORECASE)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tidy(line):
    """A log line without its timestamp/pid prefix, on one short line."""
    line = re.sub(r"^\d{4}-\d\d-\d\d [\d:.]+ \w+ \[\d+\] ", "", line.strip())  # postgres
    line = re.sub(r"^\d+:[A-Z] \d+ \w+ \d{4} [\d:.]+ [#*.-] ", "", line)  # redis
    line = re.sub(r"^\d{4}-\d\d-\d\d [\d:.]+ [A-Z] \| ", "", line)  # etcd (capnslog)
    line = re.sub(r"/tmp/ciri-oracle\.\w+/[\w./-]+", "<sandbox>", line)
    return re.sub(r"\s+", " ", line)[:300]


def first_match(lines, pattern, skip=()):
    for line in lines:
        t = tidy(line)
        if t and pattern.search(t) and not any(s in t for s in skip):
            return t
    return ""


class Server:
    """One system: how to make its valid base file, sandbox a variant, start, ping and stop it."""
    name = ""
    user = "nobody"
    sandbox_keys = ()  # keys rewritten to the sandbox's values unless the variant injected them
    stop_signal = signal.SIGTERM

    def __init__(self, work, timeout):
        self.work = work
        self.timeout = timeout
        self.as_root = os.geteuid() == 0
        try:
            pw = pwd.getpwnam(self.user)
        except KeyError:
            pw = pwd.getpwnam("nobody")
        self.uid, self.gid = pw.pw_uid, pw.pw_gid

    def own(self, path):
        if not self.as_root:
            return
        for root, dirs, files in os.walk(path):
            for n in [root] + [os.path.join(root, f) for f in dirs + files]:
                os.lchown(n, self.uid, self.gid)

    def command(self, argv):
        """argv run as the unprivileged user when we are root (servers must not run as root)."""
        if self.as_root:
            return ["setpriv", "--reuid", str(self.uid), "--regid", str(self.gid), "--clear-groups"] + argv
        return argv

    def rewrite(self, text, injected, values):
        """The variant with each sandbox key it did not inject set to the sandbox's value."""
        lines = text.splitlines()
        for key, value in values.items():
            if key in injected:
                continue
            pat = self.key_line(key)
            found = False
            for i, line in enumerate(lines):
                if pat.match(line):
                    lines[i] = self.set_line(key, value)
                    found = True
            if not found:
                lines.append(self.set_line(key, value))
        return "\n".join(lines) + "\n"

    def wait_ready(self, proc, ping):
        """'accepted' once ping() answers, 'refused' if the process exits first, else 'no answer'."""
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if ping():
                return "accepted"
            if proc.poll() is not None and not self.daemonized(proc):
                return "refused"
            time.sleep(0.1)
        return "accepted" if ping() else "no answer"

    def daemonized(self, proc):
        return False

    def stop(self, proc, extra_pids=()):
        for pid in list(extra_pids) + [proc.pid]:
            try:
                os.killpg(pid, self.stop_signal) if pid == proc.pid else os.kill(pid, self.stop_signal)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for pid in list(extra_pids) + [proc.pid]:
            try:
                os.killpg(pid, signal.SIGKILL) if pid == proc.pid else os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        proc.wait()


class Postgres(Server):
    name = "postgresql"
    base_doc = "initdb's postgresql.conf, documented defaults uncommented"
    empty = "''"
    user = "postgres"
    sandbox_keys = ("port", "unix_socket_directories")
    stop_signal = signal.SIGQUIT  # immediate shutdown: the data directory is thrown away

    def __init__(self, work, timeout, bindir):
        super().__init__(work, timeout)
        self.bin = bindir
        self.dirty = True

    # name = value  # comment
    param_line = re.compile(r"^([a-z_]+)(\s*=\s*)('[^']*'|[^\s#]+)(.*)$")

    def key_line(self, key):
        return re.compile(r"^\s*" + re.escape(key) + r"\s*=?\s")

    def set_line(self, key, value):
        return "%s = '%s'" % (key, value) if key == "unix_socket_directories" else "%s = %s" % (key, value)

    def make_base(self):
        """initdb's postgresql.conf with every documented default uncommented (a valid file that
        names ~300 parameters), and the initdb'd data directory copied for each run."""
        tpl = os.path.join(self.work, "pg-template")
        os.makedirs(tpl)
        self.own(tpl)
        self.template = os.path.join(tpl, "data")
        r = subprocess.run(self.command([os.path.join(self.bin, "initdb"), "-D", self.template, "-A", "trust",
                                         "-U", "postgres", "--no-sync", "--no-instructions"]),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            raise SystemExit("initdb failed:\n" + r.stdout)
        # Placeholders of the sample (ConfigDir) and includes are no settings to uncomment.
        skip = {"data_directory", "hba_file", "ident_file", "include_dir", "include", "include_if_exists"}
        out = []
        with open(os.path.join(self.template, "postgresql.conf")) as f:
            for line in f:
                m = re.match(r"#([a-z_]+) = ", line)
                if m and m.group(1) not in skip:
                    line = line[1:]
                out.append(line)
        base = os.path.join(self.work, "base-postgresql", "postgresql.conf")
        os.makedirs(os.path.dirname(base))
        with open(base, "w") as f:
            f.writelines(out)
        return base

    def run(self, variant_text, injected, rundir):
        port = free_port()
        sock = os.path.join(rundir, "sock")
        data = os.path.join(self.work, "pg-data")
        os.makedirs(sock)
        # A file refused while being read leaves the data directory as it was: copy a fresh one
        # only after a server got as far as starting (about half the time of a run).
        if self.dirty or not os.path.exists(data):
            shutil.rmtree(data, ignore_errors=True)
            subprocess.run(["cp", "-a", self.template, data], check=True)
        conf = os.path.join(rundir, "postgresql.conf")
        with open(conf, "w") as f:
            f.write(self.rewrite(variant_text, injected, {"port": port, "unix_socket_directories": sock}))
        self.own(rundir)
        if "port" in injected:  # the variant's own port, when it is a number at all
            m = re.search(r"^\s*port\s*=?\s*'?(\d+)", variant_text, re.MULTILINE)
            port = int(m.group(1)) if m and int(m.group(1)) < 65536 else port
        log = open(os.path.join(rundir, "server.log"), "w")
        proc = subprocess.Popen(self.command([os.path.join(self.bin, "postgres"), "-D", data,
                                              "-c", "config_file=" + conf]),
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        hosts = ["127.0.0.1"] if "unix_socket_directories" in injected else [sock, "127.0.0.1"]

        def ping():
            return any(subprocess.run([os.path.join(self.bin, "pg_isready"), "-q", "-h", h, "-p", str(port),
                                       "-U", "postgres", "-t", "1"]).returncode == 0 for h in hosts)
        status = self.wait_ready(proc, ping)
        query = ""
        if status == "accepted":
            for h in hosts:
                q = subprocess.run([os.path.join(self.bin, "psql"), "-X", "-h", h, "-p", str(port), "-U",
                                    "postgres", "-d", "postgres", "-Atc", "select 1"],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=10)
                if q.stdout.strip() == "1":
                    query = ""
                    break
                query = tidy(q.stdout.splitlines()[0] if q.stdout else "no output")
            if query:
                status = "refused"
        self.stop(proc)
        log.close()
        with open(os.path.join(rundir, "server.log"), errors="replace") as f:
            lines = f.read().splitlines()
        self.dirty = status != "refused" or any("starting PostgreSQL" in x for x in lines)
        if query:
            reason = "answered pg_isready but select 1 failed: " + query
        else:
            reason = first_match(lines, REASON, skip=("contains errors",)) or first_match(lines, REASON)
        if status == "accepted":
            reason = ""
        warn = [tidy(x) for x in lines if WARNING.search(x)]
        return status, reason, warn


class Redis(Server):
    name = "redis"
    base_doc = "the package's redis.conf"
    empty = '""'
    user = "redis"
    sandbox_keys = ("port", "dir", "daemonize", "pidfile", "logfile", "unixsocket")
    stop_signal = signal.SIGKILL  # no save on the way out, even into an injected `dir`

    def __init__(self, work, timeout, server, cli, conf):
        super().__init__(work, timeout)
        self.server, self.cli, self.conf = server, cli, conf

    # directive arguments...
    param_line = re.compile(r"^([a-z][a-z-]*)(\s+)(.*?)()$")

    def key_line(self, key):
        return re.compile(r"^\s*" + re.escape(key) + r"\s", re.IGNORECASE)

    def set_line(self, key, value):
        return '%s "%s"' % (key, value) if key in ("dir", "pidfile", "logfile", "unixsocket") else "%s %s" % (key, value)

    def make_base(self):
        """The package's own redis.conf, as installed."""
        base = os.path.join(self.work, "base-redis", "redis.conf")
        os.makedirs(os.path.dirname(base))
        shutil.copy(self.conf, base)
        return base

    def run(self, variant_text, injected, rundir):
        port = free_port()
        sock = os.path.join(rundir, "redis.sock")
        pidfile = os.path.join(rundir, "redis.pid")
        logfile = os.path.join(rundir, "server.log")
        conf = os.path.join(rundir, "redis.conf")
        with open(conf, "w") as f:
            f.write(self.rewrite(variant_text, injected, {"port": port, "dir": rundir, "daemonize": "no",
                                                           "pidfile": pidfile, "logfile": "", "unixsocket": sock}))
        self.own(rundir)
        log = open(os.path.join(rundir, "stdout.log"), "w")
        proc = subprocess.Popen(self.command([self.server, conf]), stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True, cwd=rundir)

        def ping():
            r = subprocess.run([self.cli, "-s", sock, "ping"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, timeout=5)
            return r.stdout.strip() == "PONG"
        self.proc_daemon = "daemonize" in injected
        status = self.wait_ready(proc, ping)
        extra = []
        if os.path.exists(pidfile):  # a daemonized server left its own session
            try:
                extra.append(int(open(pidfile).read().strip()))
            except ValueError:
                pass
        self.stop(proc, [p for p in extra if p != proc.pid])
        log.close()
        lines = []
        for name in ("stdout.log", "server.log"):
            p = os.path.join(rundir, name)
            if os.path.exists(p):
                with open(p, errors="replace") as f:
                    lines += f.read().splitlines()
        reason = ""
        if status != "accepted":
            # *** FATAL CONFIG FILE ERROR ***, the line (>>> 'key value'), then why.
            for i, line in enumerate(lines):
                if line.startswith(">>> "):
                    reason = (line[4:].strip() + ": " + (lines[i + 1].strip() if i + 1 < len(lines) else ""))[:300]
                    break
            reason = reason or first_match(lines, REASON)
        warn = [tidy(x) for x in lines if WARNING.search(x)]
        return status, reason, warn

    def daemonized(self, proc):
        # With `daemonize yes` the first process exits 0 and the server lives on.
        return self.proc_daemon and proc.returncode == 0


class Etcd(Server):
    name = "etcd"
    base_doc = "the defaults etcd --help prints, as a YAML config file"
    empty = "''"
    user = "etcd"
    sandbox_keys = ("data-dir", "listen-client-urls", "advertise-client-urls", "listen-peer-urls",
                    "initial-advertise-peer-urls", "initial-cluster")
    # key: value (one line; the base file has no nested values)
    param_line = re.compile(r"^([a-z][a-z0-9-]*)(:\s+)(.*?)()$")

    # etcd 3.4's documented defaults (etcd --help), the ones a YAML file spells as a scalar.
    DEFAULTS = [
        ("name", "'default'"), ("data-dir", "'default.etcd'"), ("wal-dir", "''"), ("snapshot-count", "100000"),
        ("heartbeat-interval", "100"), ("election-timeout", "1000"), ("initial-election-tick-advance", "true"),
        ("listen-peer-urls", "http://localhost:2380"), ("listen-client-urls", "http://localhost:2379"),
        ("max-snapshots", "5"), ("max-wals", "5"), ("quota-backend-bytes", "0"), ("max-txn-ops", "128"),
        ("max-request-bytes", "1572864"), ("initial-advertise-peer-urls", "http://localhost:2380"),
        ("initial-cluster", "default=http://localhost:2380"), ("initial-cluster-state", "new"),
        ("initial-cluster-token", "etcd-cluster"), ("advertise-client-urls", "http://localhost:2379"),
        ("strict-reconfig-check", "true"), ("pre-vote", "false"), ("auto-compaction-retention", "'0'"),
        ("auto-compaction-mode", "periodic"), ("enable-v2", "false"), ("client-cert-auth", "false"),
        ("auto-tls", "false"), ("peer-auto-tls", "false"), ("auth-token", "simple"), ("bcrypt-cost", "10"),
        ("enable-pprof", "false"), ("metrics", "basic"), ("logger", "zap"), ("log-level", "info"),
        ("force-new-cluster", "false"), ("debug", "false")]

    def __init__(self, work, timeout, etcd):
        super().__init__(work, timeout)
        self.etcd = etcd

    def key_line(self, key):
        return re.compile(r"^" + re.escape(key) + r":\s")

    def set_line(self, key, value):
        return "%s: %s" % (key, value)

    def make_base(self):
        base = os.path.join(self.work, "base-etcd", "etcd.conf.yml")
        os.makedirs(os.path.dirname(base))
        with open(base, "w") as f:
            f.write("# etcd 3.4 configuration: the documented defaults\n")
            f.writelines("%s: %s\n" % kv for kv in self.DEFAULTS)
        return base

    def run(self, variant_text, injected, rundir):
        cport, pport = free_port(), free_port()
        curl, purl = "http://127.0.0.1:%d" % cport, "http://127.0.0.1:%d" % pport
        conf = os.path.join(rundir, "etcd.conf.yml")
        name = re.search(r"^name:\s*'?([^'\n]*)'?", variant_text, re.MULTILINE)
        name = name.group(1).strip() if name and "name" not in injected else "default"
        with open(conf, "w") as f:
            f.write(self.rewrite(variant_text, injected, {
                "data-dir": os.path.join(rundir, "data"), "listen-client-urls": curl, "advertise-client-urls": curl,
                "listen-peer-urls": purl, "initial-advertise-peer-urls": purl,
                "initial-cluster": "%s=%s" % (name, purl)}))
        self.own(rundir)
        log = open(os.path.join(rundir, "server.log"), "w")
        proc = subprocess.Popen(self.command([self.etcd, "--config-file", conf]), stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True, cwd=rundir)

        def ping():
            try:
                with urllib.request.urlopen(curl + "/health", timeout=1) as r:
                    return json.loads(r.read()).get("health") == "true"
            except (OSError, ValueError):
                return False
        status = self.wait_ready(proc, ping)
        self.stop(proc)
        log.close()
        with open(os.path.join(rundir, "server.log"), errors="replace") as f:
            lines = [re.sub(r'"ts":"[^"]*",', "", x) for x in f.read().splitlines()]
        reason = "" if status == "accepted" else first_match(lines, REASON)
        warn = [tidy(x) for x in lines if WARNING.search(x) or '"level":"warn"' in x]
        return status, reason, warn


class ZooKeeper(Server):
    name = "zookeeper"
    base_doc = "the package's zoo.cfg, its documented settings uncommented but the metrics provider (absent)"
    package_conf = "/etc/zookeeper/conf_example/zoo.cfg"
    empty = ""
    user = "zookeeper"
    sandbox_keys = ("dataDir", "clientPort", "clientPortAddress")  # loopback: it listens on all interfaces otherwise
    # key=value (java.util.Properties; the base file has no other form)
    param_line = re.compile(r"^([A-Za-z][\w.-]*)(\s*=\s*)(.*?)()$")
    # The server and its dependencies (the jar's manifest names them); slf4j-simple prints its log.
    CLASSPATH = "/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar"

    def __init__(self, work, timeout, java, conf):
        super().__init__(work, timeout)
        self.java, self.conf = java, conf

    def key_line(self, key):
        return re.compile(r"^\s*" + re.escape(key) + r"\s*[=:\s]")

    def set_line(self, key, value):
        return "%s=%s" % (key, value)

    def make_base(self):
        base = os.path.join(self.work, "base-zookeeper", "zoo.cfg")
        os.makedirs(os.path.dirname(base))
        if os.path.realpath(self.conf) != os.path.realpath(self.package_conf):  # another valid file, as it is
            self.base_doc = os.path.relpath(self.conf)
            shutil.copy(self.conf, base)
            return base
        with open(self.conf) as f:
            lines = [x[1:] if re.match(r"#[A-Za-z][\w.]*=", x) and not x.startswith("#metricsProvider.") else x
                     for x in f]
        with open(base, "w") as f:
            f.writelines(lines)
        return base

    def run(self, variant_text, injected, rundir):
        port = free_port()
        data = os.path.join(rundir, "data")
        os.makedirs(data)
        conf = os.path.join(rundir, "zoo.cfg")
        with open(conf, "w") as f:
            f.write(self.rewrite(variant_text, injected, {"dataDir": data, "clientPort": port,
                                                                    "clientPortAddress": "127.0.0.1"}))
        self.own(rundir)
        if "clientPort" in injected:  # the variant's own port, when it is one
            m = re.search(r"^\s*clientPort\s*[=:]\s*(\d+)\s*$", variant_text, re.MULTILINE)
            port = int(m.group(1)) if m and 0 < int(m.group(1)) < 65536 else port
        log = open(os.path.join(rundir, "server.log"), "w")
        # No admin server (its port 8080 would clash between runs), no JMX port.
        proc = subprocess.Popen(self.command([self.java, "-Xmx256m", "-Dzookeeper.admin.enableServer=false",
                                              "-cp", self.CLASSPATH,
                                              "org.apache.zookeeper.server.quorum.QuorumPeerMain", conf]),
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=rundir)

        def ping():  # `srvr`, the four-letter word ZooKeeper answers by default
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    s.sendall(b"srvr")
                    return b"Zookeeper version" in s.recv(4096)
            except OSError:
                return False
        status = self.wait_ready(proc, ping)
        self.stop(proc)
        log.close()
        with open(os.path.join(rundir, "server.log"), errors="replace") as f:
            lines = f.read().splitlines()
        reason = ""
        if status != "accepted":
            causes = [x.strip()[len("Caused by: "):] for x in lines if x.strip().startswith("Caused by: ")]
            reason = tidy(causes[-1]) if causes else first_match(lines, REASON)
        warn = [tidy(x) for x in lines if " WARN " in x and "is relative" not in x]
        return status, reason, warn


def diff(base, variant):
    """What inject changed: removed lines as -..., added lines as +..., on one line."""
    out = []
    for d in difflib.unified_diff(base.splitlines(), variant.splitlines(), lineterm="", n=0):
        if d.startswith(("---", "+++", "@@")):
            continue
        out.append(re.sub(r"\s+", " ", d.split("#")[0] if not d.startswith(("-#", "+#")) else d).strip())
    return " | ".join(out)[:300]


def run_ciri(ciri, paths):
    """ciri's verdict and findings per file, the rules alone."""
    r = subprocess.run([ciri, "validate", "--rules-only", "--no-config", "--no-cache", "-q", "--color", "never",
                        "-f", "json"] + paths, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode not in (0, 1):
        raise SystemExit("ciri validate failed (exit %d):\n%s" % (r.returncode, r.stderr[-2000:]))
    doc = json.loads(r.stdout)
    out = {}
    for f in doc["files"]:
        findings = [("%s: %s" % (x["parameter"], x["reason"]), x["parameter"], x.get("severity", "")) for x in f["findings"]]
        if f["verdict"] == "error":
            findings.append(("error: %s" % f.get("error", {}).get("message", ""), "", "error"))
        out[os.path.realpath(f["path"])] = (f["verdict"], findings)
    return out


def variants_for(ciri, base, outdir, count, seeds, per_rule):
    """Up to `count` distinct misconfigured variants of base (fixed seeds: the same every run),
    plus the valid twin as a control."""
    seen, chosen, twin = set(), [], None
    with open(base) as f:
        base_text = f.read()
    for seed in seeds:
        if len(chosen) >= 2 * count:  # enough to draw from
            break
        d = os.path.join(outdir, "seed%d" % seed)
        r = subprocess.run([ciri, "inject", base, "--out", d, "--per-rule", str(per_rule), "--seed", str(seed)],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            raise SystemExit("ciri inject failed:\n" + r.stdout)
        with open(os.path.join(d, "manifest.jsonl")) as f:
            for line in f:
                m = json.loads(line)
                path = os.path.join(d, m["path"])
                with open(path) as v:
                    text = v.read()
                if m["label"] == "valid":
                    twin = twin or (m, path, text)
                    continue
                if text in seen or text == base_text:
                    continue
                seen.add(text)
                chosen.append((m, path, text))
    random.Random(0).shuffle(chosen)
    chosen = sorted(chosen[:count], key=lambda c: (c[0]["category"], c[0]["subcategory"], c[0]["id"]))
    return ([twin] if twin else []) + chosen, base_text


BOOLS = {"on", "off", "yes", "no", "true", "false"}
NUMBER = re.compile(r"^(-?\d+(?:\.\d+)?)([a-zA-Z]*)$")


def mutations(key, value, empty):
    """Spec-free changes of one setting, as a user's slip would make them: (kind, key, value)."""
    quoted = value.startswith(("'", '"')) and value.endswith(value[0]) and len(value) > 1
    v = value[1:-1] if quoted else value
    q = (lambda x: value[0] + x + value[0]) if quoted else (lambda x: x)
    out = []
    if len(key) > 3:  # a typo in the name: two letters swapped
        i = len(key) // 2
        typo = key[:i - 1] + key[i] + key[i - 1] + key[i + 1:]
        if typo != key:
            out.append(("unknown name", typo, value))
    num = NUMBER.match(v)
    if num:
        n, unit = num.groups()
        out.append(("not a number", key, q(n + "x" + unit)))
        out.append(("negative", key, q(("-" + n if not n.startswith("-") and n != "0" else "-7") + unit)))
        out.append(("huge", key, q("99999999999999" + unit)))
        if unit:
            out.append(("unit case", key, q(n + (unit.swapcase()))))
            out.append(("unknown unit", key, q(n + "qb")))
        elif "." not in n:
            out.append(("fraction", key, q(n + ".5")))
    elif v.lower() in BOOLS:
        out.append(("bool typo", key, q("maybe")))
    elif re.match(r"^[A-Za-z][\w.-]*$", v):
        out.append(("word typo", key, q(v + "x")))
    if v:
        out.append(("empty", key, value[0] * 2 if quoted else empty))
    return out


def generic_variants(srv, base, outdir, count):
    """Up to `count` variants of base with one spec-free change each (fixed seed), independent of
    what ciri knows: the benchmark's check on the rules' blind spots."""
    with open(base) as f:
        lines = f.read().splitlines()
    candidates = []
    for i, line in enumerate(lines):
        m = srv.param_line.match(line)
        if not m or m.group(1) in srv.sandbox_keys:
            continue
        for kind, key, value in mutations(m.group(1), m.group(3), srv.empty):
            candidates.append((i, kind, m.group(1), key, m.group(2), value, m.group(4)))
    random.Random(17).shuffle(candidates)
    out = []
    for n, (i, kind, old, key, sep, value, rest) in enumerate(candidates[:count]):
        text = "\n".join(lines[:i] + [key + sep + value + rest] + lines[i + 1:]) + "\n"
        path = os.path.join(outdir, "generic-%d" % n, os.path.basename(base))
        os.makedirs(os.path.dirname(path))
        with open(path, "w") as f:
            f.write(text)
        params = [old] if key == old else [old, key]
        out.append(({"id": "%s-generic-%d" % (srv.name, n), "label": "misconfigured", "params": params,
                     "category": "generic", "subcategory": kind}, path, text))
    return out


OUTCOMES = ("both refuse", "both accept", "ciri alone flags", "program alone refuses")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ciri", required=True)
    ap.add_argument("--work", required=True, help="scratch directory (removed by the caller)")
    ap.add_argument("--systems", default="postgresql,redis")
    ap.add_argument("--variants", type=int, default=150, help="ciri inject variants per system")
    ap.add_argument("--generic", type=int, default=100, help="spec-free variants per system")
    ap.add_argument("--timeout", type=float, default=10, help="seconds for a server to answer")
    ap.add_argument("--out", required=True, help="disagreements TSV")
    ap.add_argument("--pg-bindir", default="")
    ap.add_argument("--redis-conf", default="/etc/redis/redis.conf")
    ap.add_argument("--zookeeper-conf", default=ZooKeeper.package_conf,
                    help="ZooKeeper's base file (default: the package's, its documented settings uncommented)")
    ap.add_argument("--netns", action="store_true", help="running in a private network namespace")
    a = ap.parse_args()

    servers = []
    for name in a.systems.split(","):
        if name == "postgresql" and a.pg_bindir:
            servers.append(Postgres(a.work, a.timeout, a.pg_bindir))
        elif name == "redis" and shutil.which("redis-server"):
            servers.append(Redis(a.work, a.timeout, shutil.which("redis-server"), shutil.which("redis-cli"),
                                 a.redis_conf))
        elif name == "etcd" and shutil.which("etcd"):
            servers.append(Etcd(a.work, a.timeout, shutil.which("etcd")))
        elif name == "zookeeper" and shutil.which("java") and os.path.exists(a.zookeeper_conf):
            servers.append(ZooKeeper(a.work, a.timeout, shutil.which("java"), a.zookeeper_conf))
        else:
            print("oracle: %s: not installed, skipped" % name)
    # Without a private network namespace an injected listen address could bind a public
    # interface: those variants are skipped (and counted) rather than run.
    public_keys = {"listen_addresses", "bind", "listen-client-urls", "listen-peer-urls", "clientPortAddress"}

    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    tsv = open(a.out, "w")
    tsv.write("system\toutcome\tvariant\tcategory\tinjected_params\tchange\tprogram\tprogram_reason\t"
              "program_warning\tciri_verdict\tciri_findings\n")
    tables = []
    for srv in servers:
        t0 = time.monotonic()
        base = srv.make_base()
        variants, base_text = variants_for(a.ciri, base, os.path.join(a.work, "variants-" + srv.name),
                                           a.variants, seeds=range(1, 41), per_rule=8)
        variants += generic_variants(srv, base, os.path.join(a.work, "generic-" + srv.name), a.generic)
        verdicts = run_ciri(a.ciri, [base] + [v[1] for v in variants])
        bverdict, bfind = verdicts[os.path.realpath(base)]
        print("\n== %s: base file %s (%s); ciri on it: %s%s" % (
            srv.name, os.path.basename(base), srv.base_doc, bverdict,
            "" if not bfind else " (%s)" % "; ".join(f[0] for f in bfind[:3])))
        # The program accepts the base file: findings on it are false alarms (or silent
        # acceptance), not about the change; a variant is judged on the findings beyond them.
        base_findings = {f[0] for f in bfind}
        if bfind:
            print("   the program accepts this file; its %d finding(s) are left out of every variant's verdict"
                  % len(bfind))
        counts = {f: {k: 0 for k in OUTCOMES + ("no answer", "skipped")} for f in ("ciri inject", "generic")}
        named = {f: 0 for f in counts}
        by_kind = {}  # generic kind -> [variants, program refused, ciri flagged, both]
        machine_warnings = set()
        for i, (m, path, text) in enumerate(variants):
            injected = set(m["params"])
            valid_twin = m["label"] == "valid"
            family = "generic" if m["category"] == "generic" else "ciri inject"
            if not a.netns and injected & public_keys:
                counts[family]["skipped"] += 1
                continue
            rundir = os.path.join(a.work, "run-%s-%d" % (srv.name, i))
            os.makedirs(rundir)
            os.chmod(rundir, 0o755)
            status, reason, warn = srv.run(text, injected, rundir)
            shutil.rmtree(rundir, ignore_errors=True)
            # The valid twin's warnings are the machine's (e.g. memory overcommit), not the variant's.
            if valid_twin:
                machine_warnings = set(warn)
            warn = next((w for w in warn if w not in machine_warnings or valid_twin), "")
            verdict, findings = verdicts[os.path.realpath(path)]
            findings = [f for f in findings if f[0] not in base_findings]
            flags = verdict in ("misconfigured", "error") and bool(findings)
            hit = bool(injected & {f[1] for f in findings})
            if status == "no answer":
                kind = "no answer"
            elif status == "refused":
                kind = "both refuse" if flags else "program alone refuses"
            else:
                kind = "ciri alone flags" if flags else "both accept"
            if valid_twin:
                print("valid twin (control): program %s%s, ciri %s" % (status, ": " + reason if reason else "",
                                                                       "flags it" if flags else "no new finding"))
            else:
                counts[family][kind] += 1
                named[family] += kind == "both refuse" and hit
                if family == "generic" and status != "no answer":
                    k = by_kind.setdefault(m["subcategory"], [0, 0, 0, 0])
                    k[0] += 1
                    k[1] += status == "refused"
                    k[2] += flags
                    k[3] += status == "refused" and flags
            # Agreement is not written, except both refusing while ciri names another parameter.
            if valid_twin or kind not in ("both refuse", "both accept") or (kind == "both refuse" and not hit):
                tsv.write("\t".join(x.replace("\t", " ") for x in [
                    srv.name, "valid twin: " + kind if valid_twin else kind, m["id"],
                    m["category"] + "/" + m["subcategory"], ",".join(m["params"]), diff(base_text, text), status,
                    reason, warn, verdict, " || ".join(f[0] for f in findings)[:500]]) + "\n")
            if sys.stdout.isatty():
                sys.stdout.write("\r%s: %d/%d variants" % (srv.name, i + 1, len(variants)))
                sys.stdout.flush()
        print("\r%s: %d variants run in %.0f s%s" % (srv.name, len(variants), time.monotonic() - t0, " " * 10))
        tables.append((srv.name, counts, named, by_kind))
    tsv.close()

    print("\nAgreement of ciri's rules (validate --rules-only) with the real program, per system.")
    print("variants: `ciri inject` (its Table III rules, on parameters ciri knows) and generic (one")
    print("spec-free slip per file: a name typo, a non-number, a negative, a huge value, a unit's case,")
    print("an unknown unit, a fraction, a bool or word typo, an empty value). refuse = the program did")
    print("not start and answer; flag = ciri reports a finding in the variant that it does not report")
    print("in the base file.\n")
    print("%-11s %-12s %-22s %6s %7s" % ("system", "variants", "outcome", "count", "rate"))
    for name, counts, named, by_kind in tables:
        for family, c in counts.items():
            judged = sum(c[k] for k in OUTCOMES)
            if not judged:
                continue
            for k in OUTCOMES:
                print("%-11s %-12s %-22s %6d %6.1f%%" % (name, family, k, c[k], 100.0 * c[k] / judged))
            refused = c["both refuse"] + c["program alone refuses"]
            agree = c["both refuse"] + c["both accept"]
            print("%-11s %-12s %-22s %6d" % (name, family, "judged", judged))
            if c["no answer"]:
                print("%-11s %-12s %-22s %6d (alive, no answer in %gs; not judged)" % (
                    name, family, "no answer", c["no answer"], a.timeout))
            if c["skipped"]:
                print("%-11s %-12s %-22s %6d (listen address changed, no network namespace; not run)" % (
                    name, family, "skipped", c["skipped"]))
            print("%-11s %-12s agreement %.1f%%; the program refused %d, ciri flagged %d of them (%.1f%%), "
                  "naming the changed parameter in %d" % (name, family, 100.0 * agree / judged, refused,
                                                          c["both refuse"], 100.0 * c["both refuse"] / refused
                                                          if refused else 0, named[family]))
            print()
        if by_kind:
            print("%-11s generic, per slip: variants / the program refused / ciri flagged / both" % name)
            for k in sorted(by_kind):
                print("%-11s   %-14s %4d %4d %4d %4d" % ((name, k) + tuple(by_kind[k])))
            print()
    print("Programs accept many wrong settings silently (a bad value ignored with a warning, a setting only\n"
          "read later, a legal but harmful value): \"it started\" never means \"it is right\", so \"ciri alone\n"
          "flags\" is not counted as a false alarm. Disagreements (and valid twins): %s" % a.out)


if __name__ == "__main__":
    main()
