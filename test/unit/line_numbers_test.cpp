#include "native/aggregate/line_numbers.h"

#include <catch2/catch.hpp>
#include <map>
#include <vector>

using namespace hotframe;

TEST_CASE("a bci's line is that of the entry with the greatest start at or below it", "[lines]") {
    // As javac writes a loop: the condition's line comes after the body's in bci order, and entries are sorted.
    std::vector<LineEntry> table = {{0, 27}, {2, 28}, {7, 29}, {20, 30}, {41, 29}, {45, 32}};
    CHECK(line_at(table, 0) == 27);
    CHECK(line_at(table, 1) == 27);
    CHECK(line_at(table, 2) == 28);
    CHECK(line_at(table, 19) == 29);
    CHECK(line_at(table, 20) == 30);
    CHECK(line_at(table, 40) == 30);
    CHECK(line_at(table, 41) == 29);
    CHECK(line_at(table, 45) == 32);
    CHECK(line_at(table, 60000) == 32);  // past the last entry: the last line
    // No bci (AsyncGetCallTrace's -3 for a native method, -1 unknown), no table, a bci before the first entry.
    CHECK(line_at(table, -1) == 0);
    CHECK(line_at(table, -3) == 0);
    CHECK(line_at({}, 0) == 0);
    CHECK(line_at({{4, 10}}, 3) == 0);
}

namespace {

// A stand-in for the JVM's JVMTI: the line tables of a few fake methods, and how often each was asked for.
struct FakeMethods {
    std::map<jmethodID, std::vector<jvmtiLineNumberEntry>> tables;
    std::map<jmethodID, jvmtiError> errors;
    std::map<jmethodID, int> asked;
};
FakeMethods* fake = nullptr;

jvmtiError JNICALL fake_line_number_table(jvmtiEnv*, jmethodID method, jint* count, jvmtiLineNumberEntry** entries) {
    fake->asked[method]++;
    auto error = fake->errors.find(method);
    if (error != fake->errors.end()) return error->second;
    const auto& table = fake->tables.at(method);
    *count = static_cast<jint>(table.size());
    *entries = new jvmtiLineNumberEntry[table.size() + 1];
    std::copy(table.begin(), table.end(), *entries);
    return JVMTI_ERROR_NONE;
}

jvmtiError JNICALL fake_deallocate(jvmtiEnv*, unsigned char* memory) {
    delete[] reinterpret_cast<jvmtiLineNumberEntry*>(memory);
    return JVMTI_ERROR_NONE;
}

jmethodID method_id(uintptr_t n) { return reinterpret_cast<jmethodID>(n * 8); }

}  // namespace

TEST_CASE("line tables are read once per method, sorted, and unloaded methods get no line", "[lines]") {
    FakeMethods methods;
    fake = &methods;
    // JVMTI lists entries in the class file's order, not by bci.
    methods.tables[method_id(1)] = {{12, 30}, {0, 28}, {5, 29}};
    methods.errors[method_id(2)] = JVMTI_ERROR_NATIVE_METHOD;
    methods.errors[method_id(3)] = JVMTI_ERROR_INVALID_METHODID;    // its class was unloaded
    methods.errors[method_id(4)] = JVMTI_ERROR_ABSENT_INFORMATION;  // compiled with -g:none
    jvmtiInterface_1_ functions{};
    functions.GetLineNumberTable = fake_line_number_table;
    functions.Deallocate = fake_deallocate;
    _jvmtiEnv env{};
    env.functions = &functions;

    LineNumbers lines(&env);
    uint64_t bytes = 0;
    CHECK(lines.line_of(method_id(1), 0, &bytes) == 28);
    CHECK(lines.line_of(method_id(1), 7, &bytes) == 29);
    CHECK(lines.line_of(method_id(1), 12, &bytes) == 30);
    CHECK(lines.line_of(method_id(1), -3, &bytes) == 0);
    CHECK(methods.asked[method_id(1)] == 1);
    CHECK(bytes >= 3 * sizeof(LineEntry));

    for (int i = 0; i < 2; i++) {
        CHECK(lines.line_of(method_id(2), 0, &bytes) == 0);
        CHECK(lines.line_of(method_id(3), 0, &bytes) == 0);
        CHECK(lines.line_of(method_id(4), 0, &bytes) == 0);
    }
    CHECK(methods.asked[method_id(2)] == 1);
    CHECK(methods.asked[method_id(4)] == 1);
    // Not remembered: the ID is checked again by JVMTI rather than trusted from the cache.
    CHECK(methods.asked[method_id(3)] == 2);
    // A negative bci never asks.
    CHECK(lines.line_of(method_id(5), -1, &bytes) == 0);
    CHECK(methods.asked.count(method_id(5)) == 0);

    lines.clear();
    CHECK(lines.line_of(method_id(1), 5, &bytes) == 29);
    CHECK(methods.asked[method_id(1)] == 2);
    fake = nullptr;
}
