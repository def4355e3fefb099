#include "ciri/rules/inject.hpp"

#include <catch2/catch.hpp>
#include <set>

#include "ciri/rules/check.hpp"
#include "parsers/load.hpp"
#include "tests/support/svc_sample.hpp"

using namespace ciri;

namespace {

// The shared sample service, behind a comment line.
const std::string kText = std::string("# service settings\n") + ciri::test::kSvcConfig;

const char* kSpec =
    "svc.codec\tenum\tFAST\t\t\tFAST,SLOW\t\t\n"
    "svc.tls.enabled\tbool\t\t\t\t\t\tsvc.tls.enabled requires svc.tls.verify=true\n"
    "svc.legacy.mode\tbool\tfalse\t\t\t\t\tremoved_in 2.0\n";

ConfigFile valid_file(std::string version = "2.1") {
    LoadOptions o;
    o.format = "properties";
    o.system = "svc";
    o.version = version;
    auto f = load_config_bytes("svc.properties", kText, o);
    REQUIRE(f.has_value());
    return *f;
}

SpecSet spec() {
    auto s = parse_spec_tsv(kSpec, "svc.tsv");
    REQUIRE(s.has_value());
    return *s;
}

const Variant* by_rule(const std::vector<Variant>& vs, std::string_view sub, std::string_view cat) {
    for (const auto& v : vs)
        if (v.subcategory == sub && v.category == cat) return &v;
    return nullptr;
}

// The text differs from the original only where the value of the changed parameter was.
void check_only_value_changed(const ConfigFile& f, const Variant& v) {
    REQUIRE(v.params.size() >= 1);
    // Put the original values back: the texts must then be identical.
    REQUIRE(v.values.size() == v.params.size());
    std::string text = v.text;
    for (size_t i = 0; i < v.params.size(); ++i) {
        const Parameter* p = nullptr;
        for (const auto& x : f.params)
            if (x.key == v.params[i]) p = &x;
        REQUIRE(p != nullptr);
        std::string written = v.params[i] + "=" + v.values[i] + "\n";
        size_t at = text.find(written);
        REQUIRE(at != std::string::npos);
        text.replace(at, written.size(), v.params[i] + "=" + p->value + "\n");
    }
    CHECK(text == f.text);
}

}  // namespace

TEST_CASE("inject writes the valid twin first, unchanged", "[inject]") {
    auto f = valid_file();
    auto vs = inject(f, spec());
    REQUIRE(!vs.empty());
    CHECK(vs[0].id == "valid");
    CHECK(vs[0].category.empty());
    CHECK(vs[0].text == f.text);
    CHECK(check_file(f, spec()).findings.empty());
}

TEST_CASE("each generation rule makes a variant the rules then flag", "[inject]") {
    auto f = valid_file();
    auto s = spec();
    auto vs = inject(f, s, {1, 7});
    struct Want {
        const char* category;
        const char* subcategory;
        std::vector<std::string> params;  // empty = any single parameter
    };
    std::vector<Want> wants = {
        {"Syntax", "Data Type", {}},
        {"Syntax", "Path", {"svc.data.dir"}},
        {"Syntax", "URL", {"svc.store.url"}},
        {"Syntax", "IP Address", {"svc.bind.host"}},
        {"Syntax", "Port", {"svc.rpc.port"}},
        {"Syntax", "Permission", {"svc.data.umask"}},
        {"Range", "Basic Numeric", {}},
        {"Range", "Bool", {}},
        {"Range", "Enum", {"svc.codec"}},
        {"Range", "IP Address", {"svc.bind.host"}},
        {"Range", "Port", {"svc.rpc.port"}},
        {"Range", "Permission", {"svc.data.umask"}},
        {"Dependency", "Control", {"svc.tls.enabled", "svc.tls.verify"}},
        {"Dependency", "Value Relationship", {"svc.compaction.min.size", "svc.compaction.max.size"}},
        {"Version", "Parameter Change", {"svc.legacy.mode"}},
    };
    for (const auto& w : wants) {
        INFO(w.category << " / " << w.subcategory);
        const Variant* v = by_rule(vs, w.subcategory, w.category);
        REQUIRE(v != nullptr);
        if (!w.params.empty()) CHECK(v->params == w.params);
        CHECK(v->text != f.text);
        // The rules flag every injected parameter of the variant.
        LoadOptions o;
        o.format = "properties";
        o.system = "svc";
        o.version = f.version;
        auto changed = load_config_bytes("svc.properties", v->text, o);
        REQUIRE(changed.has_value());
        auto verdict = check_file(*changed, s);
        std::set<std::string> flagged;
        for (const auto& x : verdict.findings) flagged.insert(x.param);
        for (const auto& p : v->params) CHECK(flagged.count(p) == 1);
        CHECK(flagged.size() == v->params.size());
        if (w.category != std::string("Version")) check_only_value_changed(f, *v);
    }
    CHECK(vs.size() == 1 + wants.size());
}

TEST_CASE("the version rule needs a file version", "[inject]") {
    auto vs = inject(valid_file(""), spec());
    CHECK(by_rule(vs, "Parameter Change", "Version") == nullptr);
    auto older = inject(valid_file("1.9"), spec());
    CHECK(by_rule(older, "Parameter Change", "Version") == nullptr);
}

TEST_CASE("inject is reproducible from its seed and honours per-rule", "[inject]") {
    auto f = valid_file();
    auto a = inject(f, spec(), {2, 42});
    auto b = inject(f, spec(), {2, 42});
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].id == b[i].id);
        CHECK(a[i].text == b[i].text);
    }
    std::map<std::string, int> per;
    for (const auto& v : a) ++per[v.subcategory + v.category];
    for (const auto& [k, n] : per) CHECK(n <= 2);
    CHECK(inject(f, spec(), {0, 1}).size() == 1);
}

TEST_CASE("replace_value keeps quotes and every other byte; XML values are escaped", "[inject]") {
    ConfigFile conf;
    conf.format = "conf";
    conf.text = "a = 'x'  # keep\nb = 3\n";
    conf.params = {{"a", "'x'", 1, "keep", ""}, {"b", "3", 2, "", ""}};
    auto t = replace_value(conf, conf.params[0], "y&z");
    REQUIRE(t.has_value());
    CHECK(*t == "a = 'y&z'  # keep\nb = 3\n");

    ConfigFile xml;
    xml.format = "hadoop-xml";
    xml.text = "<configuration>\n<property>\n  <name>a.b</name>\n  <value>1</value>\n</property>\n</configuration>\n";
    xml.params = {{"a.b", "1", 3, "", ""}};
    auto x = replace_value(xml, xml.params[0], "<2>");
    REQUIRE(x.has_value());
    CHECK(*x == "<configuration>\n<property>\n  <name>a.b</name>\n  <value>&lt;2&gt;</value>\n</property>\n</configuration>\n");
    auto added = add_parameter(xml, "c.d", "5");
    REQUIRE(added.has_value());
    CHECK(added->find("<name>c.d</name>\n  <value>5</value>") != std::string::npos);
    CHECK(added->ends_with("</configuration>\n"));

    ConfigFile json;
    json.format = "json";
    CHECK(!add_parameter(json, "a", "1").has_value());
}
