#!/bin/sh
# `ciri code index` throughput: a generated tree of FILES source files (Java, C, Go, Python in
# turn, about 120 lines each, with constants, reads, conversions and checks), indexed twice;
# prints files/s of the second run (the first warms the page cache).
# Usage: bench/code_index.sh [BUILD_DIR] [FILES]
set -eu
build=${1:-build}
files=${2:-4000}
[ -x "$build/ciri" ] || { echo "code_index.sh: $build/ciri not built" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
awk -v n="$files" -v dir="$tmp/src" 'BEGIN {
    system("mkdir -p " dir "/java " dir "/c " dir "/go " dir "/py");
    for (f = 0; f < n; f++) {
        kind = f % 4;
        if (kind == 0) {
            out = sprintf("%s/java/Keys%d.java", dir, f);
            print "package gen;\n// generated for the benchmark\npublic class Keys" f " {" > out;
            for (k = 0; k < 10; k++)
                printf "  public static final String K%d_%d = \"gen.f%d.key%d\";\n", f, k, f, k > out;
            print "  void load(Configuration conf) {" > out;
            for (k = 0; k < 10; k++) {
                printf "    int v%d = conf.getInt(K%d_%d, %d);\n", k, f, k, k > out;
                printf "    if (v%d < 0 || v%d > 1000) {\n      throw new IllegalArgumentException(\"bad\");\n    }\n", k, k > out;
                printf "    /* conf.getInt(\"commented.%d\", 1) */ String s%d = \"not.a.read\";\n", k, k > out;
            }
            print "  }\n}" > out;
        } else if (kind == 1) {
            out = sprintf("%s/c/server%d.c", dir, f);
            print "#include <stdlib.h>" > out;
            for (k = 0; k < 10; k++) printf "#define CFG_%d_%d \"gen.c%d.key%d\"\n", f, k, f, k > out;
            print "int load(struct config *cfg) {" > out;
            for (k = 0; k < 10; k++) {
                printf "    long v%d = strtol(config_get(cfg, CFG_%d_%d), NULL, 10);\n", k, f, k > out;
                printf "    if (v%d < 1)\n        return -1;\n    // config_get(cfg, \"no.%d\")\n", k, k > out;
            }
            print "    return 0;\n}" > out;
        } else if (kind == 2) {
            out = sprintf("%s/go/load%d.go", dir, f);
            print "package gen\n\nconst (" > out;
            for (k = 0; k < 10; k++) printf "\tKey%d_%d = \"gen-go%d-key%d\"\n", f, k, f, k > out;
            print ")\n\nfunc Load(v *viper.Viper) error {" > out;
            for (k = 0; k < 10; k++) {
                printf "\tv%d := v.GetInt(Key%d_%d)\n\tif v%d <= 0 {\n\t\treturn fmt.Errorf(\"bad\")\n\t}\n", k, f, k, k > out;
                printf "\ts%d := `raw v.GetInt(\"no\")`\n", k > out;
            }
            print "\treturn nil\n}" > out;
        } else {
            out = sprintf("%s/py/app%d.py", dir, f);
            print "import os\n" > out;
            for (k = 0; k < 10; k++) printf "KEY_%d = \"gen_py%d_key%d\"\n", k, f, k > out;
            print "\n\ndef load(config):" > out;
            for (k = 0; k < 10; k++) {
                printf "    v%d = config.getint(\"main\", KEY_%d)\n    if v%d < 1:\n        raise ValueError(\"bad\")\n", k, k, k > out;
                printf "    # config.get(\"no\")\n    s%d = \"\"\"os.getenv(\"NO\")\"\"\"\n", k > out;
            }
        }
        close(out);
    }
}'
"$build/ciri" code index "$tmp/src" --out "$tmp/index.json" >/dev/null
"$build/ciri" code index "$tmp/src" --out "$tmp/index.json"
