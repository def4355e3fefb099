// Redaction time per parameter at 1k, 10k and 100k parameters (a quarter of them secrets, some
// in XML-entity spelling, some inside URLs): the figures show whether it stays linear.
#include <chrono>
#include <iostream>

#include "ciri/redact.hpp"
#include "parsers/load.hpp"

int main() {
    for (int n : {1000, 10000, 100000}) {
        std::string text;
        for (int i = 0; i < n; ++i) {
            std::string id = std::to_string(i);
            text += "svc" + id + ".host=node" + id + ".internal\n";
            if (i % 4 == 0) text += "svc" + id + ".password=Pw-" + std::to_string(i * 7919) + "-x&amp;y\n";
            if (i % 8 == 0) text += "svc" + id + ".url=postgres://u:pass" + id + "@db/x\n";
        }
        auto file = ciri::load_config_bytes("bench.properties", text, {});
        if (!file) return 1;
        auto start = std::chrono::steady_clock::now();
        int secrets = 0;
        auto redacted = ciri::redact(*file, &secrets);
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::cout << file->params.size() << " parameters (" << text.size() / 1024 << " KiB), " << secrets
                  << " secrets: " << s << " s, " << s / file->params.size() * 1e6 << " us per parameter\n";
    }
}
