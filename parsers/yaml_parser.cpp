// YAML through yaml-cpp's event parser: it reports every key in order with its position, so
// duplicate keys survive (the Node loader would merge them) and aliases can be followed under
// a budget instead of being expanded blindly.
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <deque>
#include <sstream>
#include <unordered_map>

#include "parsers/registry.hpp"
#include "parsers/text.hpp"

namespace ciri {
namespace {

/// Thrown out of the event handler and the flattener to stop at the first violated limit.
struct YamlStop {
    std::string message;
    int line;
};

struct YNode;

/// A child reference; `alias` marks a reference made through `*name`.
struct YRef {
    const YNode* node;
    bool alias;
    int line;  ///< where the reference is written (differs from node->line for aliases)
};

struct YNode {
    enum class Kind { Null, Scalar, Seq, Map } kind;
    std::string value;  ///< scalar text; null as written ("", "~", "null")
    int line;
    bool quoted = false;  ///< a quoted or block scalar: a string whatever its text spells
    std::vector<YRef> children;  ///< sequence items, or map keys and values alternating
};

bool is_null_word(std::string_view w) {
    return w == "~" || w == "null" || w == "Null" || w == "NULL";
}

/// yaml-cpp reports plain null scalars without their text; recover it from the input. An
/// empty value is reported at the next token, which may be a key spelled `null:`, hence the
/// check that the word is not followed by ':'.
std::string null_text(std::string_view text, const YAML::Mark& mark, bool is_key) {
    if (mark.pos < 0 || static_cast<size_t>(mark.pos) >= text.size()) return "";
    std::string_view rest = text.substr(static_cast<size_t>(mark.pos));
    size_t end = rest.find_first_of(" \t\n,]}:#");
    std::string_view word = rest.substr(0, end);
    if (!is_null_word(word)) return "";
    if (!is_key) {
        size_t next = rest.find_first_not_of(" \t", word.size());
        if (next != std::string_view::npos && rest[next] == ':') return "";
    }
    return std::string(word);
}

/// Builds a small tree per document; aliases point at the anchored node, never copy it.
class TreeBuilder : public YAML::EventHandler {
public:
    TreeBuilder(std::string_view text, const ParseLimits& limits) : text_(text), limits_(limits) {}

    std::vector<const YNode*> roots;  ///< one per non-empty document

    void OnDocumentStart(const YAML::Mark& mark) override {
        // yaml-cpp 0.7 can loop forever, starting empty documents at one spot of some
        // malformed inputs; a document that starts where the last one did is that loop.
        if (mark.pos <= last_doc_pos_)
            throw YamlStop{"malformed yaml: the parser cannot get past this point", mark.line + 1};
        last_doc_pos_ = mark.pos;
        anchors_.clear();
        stack_.clear();
        root_ = nullptr;
    }
    void OnDocumentEnd() override {
        if (root_ && root_->kind != YNode::Kind::Null) roots.push_back(root_);
    }
    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        YNode* n = make(YNode::Kind::Null, mark, anchor);
        n->value = null_text(text_, mark, expecting_key());
        attach({n, false, n->line});
    }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        auto it = anchors_.find(anchor);
        if (it == anchors_.end()) throw YamlStop{"unknown anchor", mark.line + 1};
        attach({it->second, true, mark.line + 1});
    }
    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        YNode* n = make(YNode::Kind::Scalar, mark, anchor);
        n->value = value;
        // yaml-cpp tags a quoted or block scalar `!` (a plain one `?`); `!!str` says it in full.
        n->quoted = tag == "!" || tag == "tag:yaml.org,2002:str";
        attach({n, false, n->line});
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        open(make(YNode::Kind::Seq, mark, anchor));
    }
    void OnSequenceEnd() override { stack_.pop_back(); }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        open(make(YNode::Kind::Map, mark, anchor));
    }
    void OnMapEnd() override { stack_.pop_back(); }

private:
    YNode* make(YNode::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
        nodes_.push_back({kind, {}, mark.line + 1, false, {}});
        YNode* n = &nodes_.back();
        // Registered before the children arrive, so `&a [*a]` refers to itself; the
        // flattener's depth limit stops that cycle.
        if (anchor != YAML::NullAnchor) anchors_[anchor] = n;
        return n;
    }
    void attach(YRef ref) {
        if (stack_.empty())
            root_ = ref.node;
        else
            stack_.back()->children.push_back(ref);
    }
    void open(YNode* n) {
        if (static_cast<int>(stack_.size()) >= limits_.max_depth)
            throw YamlStop{"nesting deeper than " + std::to_string(limits_.max_depth) + " levels",
                           n->line};
        attach({n, false, n->line});
        stack_.push_back(n);
    }
    bool expecting_key() const {
        return !stack_.empty() && stack_.back()->kind == YNode::Kind::Map &&
               stack_.back()->children.size() % 2 == 0;
    }

    std::string_view text_;
    const ParseLimits& limits_;
    std::deque<YNode> nodes_;  // deque: pointers stay valid as it grows
    std::unordered_map<YAML::anchor_t, YNode*> anchors_;
    std::vector<YNode*> stack_;
    const YNode* root_ = nullptr;
    int last_doc_pos_ = -1;
};

/// Turns the trees into parameters, counting nodes reached through aliases.
class Flattener {
public:
    Flattener(const ParseLimits& limits, const std::vector<Line>& lines)
        : limits_(limits), lines_(lines) {}

    std::vector<Parameter> params;

    void document(const YNode* root, const std::string& section) {
        section_ = section;
        if (root->kind == YNode::Kind::Scalar)
            throw YamlStop{"top-level value is a scalar, not a mapping or list", root->line};
        walk({root, false, root->line}, "", root->line, 0, 0);
    }

private:
    /// `alias_line` is 0 outside aliases, else the line of the outermost alias being
    /// followed: that is where the user can see the expansion happen.
    void walk(YRef ref, const std::string& key, int key_line, int depth, int alias_line) {
        const YNode* n = ref.node;
        if (alias_line == 0 && ref.alias) alias_line = ref.line;
        if (alias_line != 0 && ++alias_nodes_ > limits_.max_alias_nodes)
            throw YamlStop{"aliases expand to more than " +
                               std::to_string(limits_.max_alias_nodes) + " nodes",
                           alias_line};
        if (depth > limits_.max_depth)
            throw YamlStop{"nesting deeper than " + std::to_string(limits_.max_depth) +
                               " levels (through aliases)",
                           alias_line != 0 ? alias_line : ref.line};
        switch (n->kind) {
        case YNode::Kind::Null:
        case YNode::Kind::Scalar: emit(key, n->value, key_line, n->quoted); return;
        case YNode::Kind::Seq:
            if (n->children.empty()) emit(key, "[]", key_line);
            for (size_t i = 0; i < n->children.size(); ++i) {
                const YRef& item = n->children[i];
                walk(item, key + "[" + std::to_string(i) + "]", item.line, depth + 1, alias_line);
            }
            return;
        case YNode::Kind::Map:
            if (n->children.empty()) emit(key, "{}", key_line);
            for (size_t i = 0; i + 1 < n->children.size(); i += 2) {
                const YRef& k = n->children[i];
                const YRef& v = n->children[i + 1];
                if (k.node->kind == YNode::Kind::Seq || k.node->kind == YNode::Kind::Map)
                    throw YamlStop{"complex mapping keys are not supported", k.line};
                if (k.node->value == "<<" && !k.alias && merge(v, key, depth, alias_line))
                    continue;
                std::string sub = key.empty() ? k.node->value : key + "." + k.node->value;
                walk(v, sub, k.line, depth + 1, alias_line);
            }
            return;
        }
    }

    /// `<<: *base` (or a list of them) merges the referenced mappings' keys into the current
    /// one, as YAML 1.1 merge keys do; false when the value is not a mapping to merge.
    bool merge(const YRef& v, const std::string& key, int depth, int alias_line) {
        std::vector<YRef> sources;
        if (v.node->kind == YNode::Kind::Map) {
            sources.push_back(v);
        } else if (v.node->kind == YNode::Kind::Seq) {
            for (const YRef& item : v.node->children) {
                if (item.node->kind != YNode::Kind::Map) return false;
                sources.push_back(item);
            }
        } else {
            return false;
        }
        for (const YRef& s : sources) {
            YRef ref = s;
            ref.alias = ref.alias || v.alias;
            if (ref.alias) ref.line = v.line;
            // The merged keys land at this level, yet the depth grows so that a mapping
            // merging itself (`a: &x {<<: *x}`) ends at the depth limit.
            if (!ref.node->children.empty()) walk(ref, key, ref.line, depth + 1, alias_line);
        }
        return true;
    }

    void emit(const std::string& key, const std::string& value, int line, bool quoted = false) {
        if (params.size() >= limits_.max_params)
            throw YamlStop{"more than " + std::to_string(limits_.max_params) + " parameters",
                           line};
        params.push_back({key, value, line, comment_block_above(lines_, line, "#"), section_, quoted});
    }

    const ParseLimits& limits_;
    const std::vector<Line>& lines_;
    std::string section_;
    size_t alias_nodes_ = 0;
};

std::string lowercase_first(std::string s) {
    if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
    return s;
}

}  // namespace

/// Parses YAML (several `---` documents allowed) into dotted keys, `key[i]` for list items;
/// scalars keep yaml-cpp's scalar text (Parameter::quoted says a quoted or block scalar), empty collections become "{}"/"[]", nulls their
/// spelling ("" when nothing is written). With more than one non-empty document each
/// parameter's section is "document N". Duplicate keys are kept. Alias expansion is bounded
/// by limits.max_alias_nodes and nesting by limits.max_depth; violations and syntax errors
/// are Errors with the 1-based line.
Expected<std::vector<Parameter>> parse_yaml(std::string_view text, const ParseLimits& limits) {
    std::istringstream in{std::string(text)};
    TreeBuilder builder(text, limits);
    std::vector<Line> lines = split_lines(text);
    try {
        YAML::Parser parser(in);
        while (parser.HandleNextDocument(builder)) {
        }
        Flattener flat(limits, lines);
        const auto& roots = builder.roots;
        for (size_t i = 0; i < roots.size(); ++i)
            flat.document(roots[i], roots.size() > 1 ? "document " + std::to_string(i + 1) : "");
        return std::move(flat.params);
    } catch (const YamlStop& stop) {
        return fail(stop.message, stop.line);
    } catch (const YAML::Exception& e) {
        int line = e.mark.is_null() ? 0 : e.mark.line + 1;
        return fail(lowercase_first(e.msg), line);
    } catch (const std::exception& e) {
        return fail(std::string("yaml: ") + e.what());
    }
}

}  // namespace ciri
