#include "config/JsonNode.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <set>
#include <sstream>

#include "common/FixedPoint.h"
#include "config/ConfigError.h"

namespace hft::config {

namespace {

constexpr size_t kMaxShownChars = 60;

std::string jsonQuoted(std::string_view s) {
  return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// Tracks where the parser is (for the path of a duplicate key) and which keys each open
/// object has seen so far.
class DuplicateKeyCheck {
 public:
  explicit DuplicateKeyCheck(const std::string& file) : file_(file) {}

  bool operator()(int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    switch (event) {
      case Event::object_start: frames_.push_back({false, 0, {}, {}}); break;
      case Event::array_start: frames_.push_back({true, 0, {}, {}}); break;
      case Event::key: {
        Frame& f = frames_.back();
        f.key = parsed.get<std::string>();
        if (!f.seen.insert(f.key).second)
          throw ConfigError(file_, path(), "each key once per object", "a second " + jsonQuoted(f.key));
        break;
      }
      case Event::object_end:
      case Event::array_end:
        frames_.pop_back();
        [[fallthrough]];
      case Event::value:
        if (!frames_.empty() && frames_.back().isArray) ++frames_.back().index;
        break;
    }
    return true;  // keep every value
  }

 private:
  struct Frame {
    bool isArray;
    size_t index;          ///< arrays: index of the element being parsed
    std::string key;       ///< objects: key of the member being parsed
    std::set<std::string> seen;
  };

  std::string path() const {
    std::string p;
    for (const Frame& f : frames_) {
      if (f.isArray) {
        p += '[' + std::to_string(f.index) + ']';
      } else {
        if (!p.empty()) p += '.';
        p += f.key;
      }
    }
    return p;
  }

  const std::string& file_;
  std::vector<Frame> frames_;
};

}  // namespace

nlohmann::json readJsonFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path, std::string("cannot open the file: ") + std::strerror(errno));
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw ConfigError(path, "cannot read the file");
  try {
    return nlohmann::json::parse(text, DuplicateKeyCheck(path));
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line L, column C: ...";
    // drop the library's tag, keep its line/column and reason, and add the byte offset.
    std::string_view why = e.what();
    if (const size_t tag = why.find("] "); tag != std::string_view::npos) why.remove_prefix(tag + 2);
    throw ConfigError(path, "invalid JSON at byte " + std::to_string(e.byte) + ": " + std::string(why));
  }
}

std::string describeJson(const nlohmann::json& j) {
  // Replace invalid UTF-8 rather than throw from inside an error path.
  std::string s = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (s.size() > kMaxShownChars) s = s.substr(0, kMaxShownChars) + "...";
  return s;
}

void JsonNode::fail(std::string_view expected) const { fail(expected, describeJson(*json_)); }

void JsonNode::fail(std::string_view expected, std::string_view found) const {
  throw ConfigError(file_, path_, expected, found);
}

std::string JsonNode::childPath(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void JsonNode::missing(std::string_view key, std::string_view expected) const {
  throw ConfigError(file_, childPath(key), expected, "nothing (the key is missing)");
}

void JsonNode::expectObject(std::initializer_list<std::string_view> valid) const {
  if (!json_->is_object()) fail("an object");
  for (const auto& [key, value] : json_->items()) {
    bool known = false;
    for (std::string_view v : valid) known = known || v == key;
    if (known) continue;
    std::string list;
    for (std::string_view v : valid) list += (list.empty() ? "" : ", ") + std::string(v);
    throw ConfigError(file_, childPath(key), "one of the keys " + list, "unknown key " + jsonQuoted(key));
  }
}

std::vector<std::pair<std::string, JsonNode>> JsonNode::members() const {
  if (!json_->is_object()) fail("an object");
  std::vector<std::pair<std::string, JsonNode>> out;
  for (const auto& [key, value] : json_->items()) out.emplace_back(key, JsonNode(value, file_, childPath(key)));
  return out;
}

std::vector<JsonNode> JsonNode::elements() const {
  if (!json_->is_array()) fail("an array");
  std::vector<JsonNode> out;
  out.reserve(json_->size());
  for (size_t i = 0; i < json_->size(); ++i)
    out.push_back(JsonNode((*json_)[i], file_, path_ + "[" + std::to_string(i) + "]"));
  return out;
}

bool JsonNode::has(std::string_view key) const { return json_->is_object() && json_->contains(key); }

JsonNode JsonNode::child(std::string_view key, std::string_view expected) const {
  if (!json_->is_object()) fail("an object");
  const auto it = json_->find(key);
  if (it == json_->end()) missing(key, expected);
  return JsonNode(*it, file_, childPath(key));
}

std::string JsonNode::asString() const {
  if (!json_->is_string()) fail("a string");
  return json_->get<std::string>();
}

int64_t JsonNode::asInt(int64_t min, int64_t max) const {
  std::string expected = "an integer";
  if (max == std::numeric_limits<int64_t>::max()) expected += " >= " + std::to_string(min);
  else expected += " from " + std::to_string(min) + " to " + std::to_string(max);
  // is_number_integer() is false for 1.0 and for booleans: both are refused.
  if (!json_->is_number_integer()) fail(expected);
  if (json_->is_number_unsigned() && json_->get<uint64_t>() > static_cast<uint64_t>(max)) fail(expected);
  const auto v = json_->get<int64_t>();
  if (v < min || v > max) fail(expected);
  return v;
}

bool JsonNode::asBool() const {
  if (!json_->is_boolean()) fail("true or false");
  return json_->get<bool>();
}

int64_t JsonNode::asDecimal(int scale, int64_t minRaw, std::string_view expected) const {
  if (!json_->is_string()) fail(std::string(expected) + ", as a quoted string, not a JSON number");
  int64_t raw = 0;
  const common::ParseStatus st = common::parseDecimal(json_->get_ref<const std::string&>(), scale, raw);
  if (st != common::ParseStatus::Ok) fail(expected, describeJson(*json_) + " (" + common::toString(st) + ")");
  if (raw < minRaw) fail(expected);
  return raw;
}

std::string JsonNode::requiredString(std::string_view key) const { return child(key, "a string").asString(); }

std::string JsonNode::optionalString(std::string_view key, std::string_view fallback) const {
  return has(key) ? child(key, "").asString() : std::string(fallback);
}

int64_t JsonNode::requiredInt(std::string_view key, int64_t min, int64_t max) const {
  return child(key, "an integer").asInt(min, max);
}

int64_t JsonNode::optionalInt(std::string_view key, int64_t min, int64_t max, int64_t fallback) const {
  return has(key) ? child(key, "").asInt(min, max) : fallback;
}

bool JsonNode::optionalBool(std::string_view key, bool fallback) const {
  return has(key) ? child(key, "").asBool() : fallback;
}

int64_t JsonNode::requiredDecimal(std::string_view key, int scale, int64_t minRaw, std::string_view expected) const {
  return child(key, expected).asDecimal(scale, minRaw, expected);
}

int64_t JsonNode::optionalDecimal(std::string_view key, int scale, int64_t minRaw, std::string_view expected,
                                  int64_t fallback) const {
  return has(key) ? child(key, expected).asDecimal(scale, minRaw, expected) : fallback;
}

}  // namespace hft::config
