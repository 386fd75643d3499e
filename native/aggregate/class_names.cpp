#include "native/aggregate/class_names.h"

#include "native/aggregate/method_symbols.h"

namespace hotframe {

ClassNames::ClassNames() { names_.emplace_back("[unknown_class]"); }

uint32_t ClassNames::intern(std::string_view name) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = ids_.find(std::string(name));
    if (found != ids_.end()) return found->second;
    auto id = static_cast<uint32_t>(names_.size());
    names_.emplace_back(name);
    ids_.emplace(std::string(name), id);
    return id;
}

std::string ClassNames::name_of(uint32_t id) {
    std::lock_guard<std::mutex> lock(mutex_);
    return id < names_.size() ? names_[id] : names_[0];
}

std::string java_type_name(std::string_view signature) {
    size_t dimensions = 0;
    while (dimensions < signature.size() && signature[dimensions] == '[') dimensions++;
    std::string_view element = signature.substr(dimensions);
    std::string name;
    if (element.size() >= 2 && element.front() == 'L' && element.back() == ';') {
        name = java_class_name_from_signature(std::string(element).c_str());
    } else if (element.size() == 1) {
        switch (element[0]) {
            case 'Z':
                name = "boolean";
                break;
            case 'B':
                name = "byte";
                break;
            case 'C':
                name = "char";
                break;
            case 'S':
                name = "short";
                break;
            case 'I':
                name = "int";
                break;
            case 'J':
                name = "long";
                break;
            case 'F':
                name = "float";
                break;
            case 'D':
                name = "double";
                break;
            case 'V':
                name = "void";
                break;
            default:
                name.assign(element);
        }
    } else {
        name.assign(element);  // not a type signature: shown as it came
    }
    for (size_t i = 0; i < dimensions; i++) name.append("[]");
    return name;
}

}  // namespace hotframe
