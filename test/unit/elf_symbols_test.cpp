#include "native/symbols/elf_symbols.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "native/symbols/native_symbols.h"
#include "native/symbols/symbol_aliases.h"

using namespace hotframe;

extern "C" int hotframe_elf_probe_exported(int x);

TEST_CASE("functions of a loaded library are found by name, static ones too", "[elf]") {
    REQUIRE(hotframe_elf_probe_exported(1) == 11);  // also keeps the library loaded
    std::optional<LoadedObject> library = find_loaded_object("libhotframe_elf_probe");
    REQUIRE(library);
    FunctionTable symbols = read_elf_function_symbols(library->path);
    const FunctionEntry* exported = symbols.find("hotframe_elf_probe_exported");
    REQUIRE(exported != nullptr);
    CHECK(exported->size > 0);
    CHECK(reinterpret_cast<void*>(library->bias + exported->value) ==
          reinterpret_cast<void*>(&hotframe_elf_probe_exported));
    CHECK(find_function_in_loaded_object("libhotframe_elf_probe", "hotframe_elf_probe_exported") ==
          reinterpret_cast<void*>(&hotframe_elf_probe_exported));
    CHECK(symbols.find("hotframe_elf_probe_static") != nullptr);
    CHECK(find_function_in_loaded_object("libhotframe_elf_probe", "no_such_function") == nullptr);
    CHECK(find_function_in_loaded_object("libno_such_library", "hotframe_elf_probe_exported") == nullptr);
}

TEST_CASE("files that are not whole ELF objects give no symbols and no crash", "[elf]") {
    std::optional<LoadedObject> library = find_loaded_object("libhotframe_elf_probe");
    REQUIRE(library);
    std::ifstream in(library->path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string truncated_path = "/tmp/hotframe-elf-truncated.so";
    for (size_t length : {size_t{0}, size_t{16}, size_t{64}, bytes.size() / 2}) {
        INFO(length);
        std::ofstream(truncated_path, std::ios::binary | std::ios::trunc).write(bytes.data(), length);
        CHECK_NOTHROW(read_elf_function_symbols(truncated_path));
    }
    std::remove(truncated_path.c_str());
    CHECK(read_elf_function_symbols("/etc/hostname").empty());
    CHECK(read_elf_function_symbols("/no/such/file").empty());
}

namespace hotframe_probe {
int twice(int x);
}

TEST_CASE("native pcs are named by function, demangled, or by library and offset", "[elf]") {
    NativeSymbols symbols;
    auto exported = reinterpret_cast<uintptr_t>(&hotframe_elf_probe_exported);
    NativeSymbols::Resolved c_function = symbols.resolve(exported + 1, false);
    CHECK(c_function.name == "hotframe_elf_probe_exported");
    CHECK(c_function.kind == FrameKind::kNative);
    // A return address one past the function's last byte still belongs to it.
    CHECK(symbols.resolve(exported + 1, true).name == "hotframe_elf_probe_exported");
    NativeSymbols::Resolved cpp_function = symbols.resolve(reinterpret_cast<uintptr_t>(&hotframe_probe::twice), false);
    CHECK(cpp_function.name == "hotframe_probe::twice(int)");
    CHECK(cpp_function.kind == FrameKind::kCpp);
    CHECK(symbols.resolve(0x10, false).name == "[jvm_generated_code]");
    CHECK(demangle("_ZN20G1ParScanThreadState20trim_queue_partiallyEv") ==
          "G1ParScanThreadState::trim_queue_partially()");
    CHECK(demangle("memcpy") == "memcpy");
    CHECK(demangle("_Znot_really") == "_Znot_really");
}

TEST_CASE("every pc of a function has the function's start, so that the aggregator names it once", "[elf]") {
    NativeSymbols symbols;
    auto exported = reinterpret_cast<uintptr_t>(&hotframe_elf_probe_exported);
    CHECK(symbols.function_at(exported, false).start == exported);
    CHECK(symbols.function_at(exported + 1, false).start == exported);
    // A return address is looked up one byte back: one past the function's first byte is still in it.
    CHECK(symbols.function_at(exported + 1, true).start == exported);
    auto cpp = reinterpret_cast<uintptr_t>(&hotframe_probe::twice);
    CHECK(symbols.function_at(cpp + 1, false).start == cpp);
    CHECK(symbols.function_at(cpp + 1, false).start != symbols.function_at(exported + 1, false).start);
    CHECK(symbols.function_at(exported, false).in_object);
    // In no object (the JVM's generated code): no function, and resolve()'s name for such pcs.
    CHECK(!symbols.function_at(0x10, false).in_object);
    CHECK(symbols.resolve(0x10, false).name == "[jvm_generated_code]");
}

TEST_CASE("the vDSO's functions are named from its image in memory", "[elf]") {
    FunctionTable symbols = read_vdso_function_symbols();
    const FunctionEntry* clock_gettime = symbols.find("__vdso_clock_gettime");
    REQUIRE(clock_gettime != nullptr);
    std::optional<LoadedObject> vdso = find_loaded_object("linux-vdso");
    REQUIRE(vdso);
    // A pc inside it, as a sample taken in System.nanoTime would hold.
    uintptr_t pc = vdso->bias + clock_gettime->value + 1;
    // The vDSO names it twice, __vdso_clock_gettime and clock_gettime: the rule of symbol_aliases.h picks the second.
    CHECK(NativeSymbols::shared().resolve(pc, false).name == "clock_gettime");
}

TEST_CASE("a function table names its entries from the string tables it adopted, appended ones too", "[elf]") {
    FunctionTable first;
    std::optional<uint32_t> base = first.adopt_strings(std::string("\0alpha\0beta@@V1\0", 16));
    REQUIRE(base == 0u);
    first.add_entry(FunctionEntry{0x10, 4, 1, 5, true});
    first.add_entry(FunctionEntry{0x20, 4, 7, 4, false});
    FunctionTable second;
    second.add("gamma", 0x30, 8, true);
    second.append(first);
    REQUIRE(second.size() == 3);
    CHECK(second.name(second.entries()[0]) == "gamma");
    CHECK(second.name(second.entries()[1]) == "alpha");
    CHECK(second.name(second.entries()[2]) == "beta");
    CHECK(second.find("beta")->value == 0x20);
    CHECK(second.find("beta@@V1") == nullptr);
    CHECK(second.find("delta") == nullptr);
}

TEST_CASE("libjvm's tens of thousands of functions load with their names, one per address", "[elf]") {
    // The unit tests run without a JVM: the JDK's library is read as a file.
    const char* home = std::getenv("JAVA_HOME");
    std::string path =
        std::string(home != nullptr ? home : "/usr/lib/jvm/java-17-openjdk-amd64") + "/lib/server/libjvm.so";
    REQUIRE(std::ifstream(path).good());  // the suite needs a JDK; scripts/test installs one
    FunctionTable symbols = read_elf_function_symbols(path);
    REQUIRE(symbols.size() > 10000);
    // .symtab spells versioned names out (JDK 17's has a few hundred "name@@VERSION"): none keeps its version.
    for (const FunctionEntry& entry : symbols.entries()) REQUIRE(symbols.name(entry).find('@') == std::string::npos);
    const FunctionEntry* create = symbols.find("JNI_CreateJavaVM");
    REQUIRE(create != nullptr);
    CHECK(create->global);
    keep_one_name_per_address(symbols);
    const std::vector<FunctionEntry>& kept = symbols.entries();
    for (size_t i = 1; i < kept.size(); i++) REQUIRE(kept[i - 1].value < kept[i].value);
    CHECK(symbols.find("JNI_CreateJavaVM") != nullptr);  // a global name survives its aliases
}

TEST_CASE("one name per address: addresses far apart sort in several passes, aliases in any order", "[elf]") {
    // Addresses spread over all 64 bits (six passes of the radix sort), some near the top, with aliases whose
    // entries come in a shuffled order: the result must equal a plain sort with the alias rule applied.
    std::mt19937_64 random(20261201);
    std::vector<uint64_t> addresses = {1, 2, 0x7ff, 0x800, 0x3fffff, 0x400000, UINT64_MAX - 1, UINT64_MAX};
    for (int i = 0; i < 3000; i++) addresses.push_back(random() >> (random() % 64));
    std::vector<std::string> spellings = {"__name", "name", "_name", "longer_name", "name2"};
    std::vector<std::tuple<uint64_t, std::string, bool, uint64_t>> symbols;  // address, name, global, size
    for (uint64_t address : addresses) {
        size_t aliases = 1 + random() % 3;
        for (size_t a = 0; a < aliases; a++) {
            symbols.emplace_back(address, spellings[random() % spellings.size()] + std::to_string(address % 7),
                                 random() % 2 == 0, random() % 100);
        }
    }
    std::shuffle(symbols.begin(), symbols.end(), random);
    FunctionTable table;
    for (const auto& [address, name, global, size] : symbols) table.add(name, address, size, global);
    keep_one_name_per_address(table);

    // The reference: the best name and the largest size of each address.
    std::map<uint64_t, std::tuple<std::string, bool, uint64_t>> expected;
    for (const auto& [address, name, global, size] : symbols) {
        auto [found, added] = expected.try_emplace(address, name, global, size);
        if (added) continue;
        auto& [best_name, best_global, best_size] = found->second;
        if (better_function_name(name, global, best_name, best_global)) {
            best_name = name;
            best_global = global;
        }
        best_size = std::max(best_size, size);
    }
    REQUIRE(table.size() == expected.size());
    size_t i = 0;
    for (const auto& [address, best] : expected) {
        const FunctionEntry& entry = table.entries()[i++];
        REQUIRE(entry.value == address);
        CHECK(table.name(entry) == std::get<0>(best));
        CHECK(entry.global == std::get<1>(best));
        CHECK(entry.size == std::get<2>(best));
    }
}
