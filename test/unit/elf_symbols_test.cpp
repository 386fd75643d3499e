#include "native/symbols/elf_symbols.h"

#include <dlfcn.h>
#include <elf.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "native/symbols/elf_file.h"
#include "native/symbols/native_symbols.h"
#include "native/symbols/symbol_aliases.h"
#include "test/unit/scratch_directory.h"

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

TEST_CASE("a library replaced on disk after it was loaded is named by offsets, not by the new file", "[elf]") {
    // A copy of the probe library loaded from a directory of the test's own, then another library renamed over
    // it, as a package upgrade does: the copy stays mapped (deleted), and the new file's symbols would name
    // its code wrongly.
    std::optional<LoadedObject> probe = find_loaded_object("libhotframe_elf_probe");
    std::optional<LoadedObject> other = find_loaded_object("libhotframe_unwind_probe");
    REQUIRE(probe);
    REQUIRE(other);
    // Beside the build's own test files, not in /tmp, which may be mounted noexec (dlopen would fail there);
    // /tmp when the build is someone else's.
    const char* build = HOTFRAME_DEBUG_PROBE_DIR "/..";
    ScratchDirectory scratch(access(build, W_OK) == 0 ? build : "/tmp");
    std::string copy = scratch.file("libhotframe_copy.so");
    REQUIRE(std::system(("cp '" + probe->path + "' '" + copy + "'").c_str()) == 0);
    void* handle = dlopen(copy.c_str(), RTLD_NOW | RTLD_LOCAL);
    REQUIRE(handle != nullptr);
    auto pc = reinterpret_cast<uintptr_t>(dlsym(handle, "hotframe_elf_probe_exported"));
    REQUIRE(pc != 0);
    {
        NativeSymbols symbols;
        CHECK(symbols.resolve(pc + 1, false).name == "hotframe_elf_probe_exported");
        CHECK(symbols.replaced_objects().empty());
    }
    REQUIRE(std::system(
                ("cp '" + other->path + "' '" + copy + ".new' && mv '" + copy + ".new' '" + copy + "'").c_str()) == 0);
    {
        NativeSymbols symbols;
        CHECK_THAT(symbols.resolve(pc + 1, false).name, Catch::StartsWith("libhotframe_copy.so+0x"));
        CHECK(symbols.replaced_objects() == std::vector<std::string>{copy});
    }
    // Deleted, not replaced: offsets, and said.
    REQUIRE(std::remove(copy.c_str()) == 0);
    {
        NativeSymbols symbols;
        CHECK_THAT(symbols.resolve(pc + 1, false).name, Catch::StartsWith("libhotframe_copy.so+0x"));
        CHECK(symbols.replaced_objects() == std::vector<std::string>{copy});
    }
    dlclose(handle);
}

TEST_CASE("a loaded object is known as its file by build id, or by device and inode without one", "[elf]") {
    std::optional<LoadedObject> probe = find_loaded_object("libhotframe_elf_probe");
    REQUIRE(probe);
    ElfFile file;
    REQUIRE(file.open(probe->path).is_ok());
    // Read from the notes in memory: the same as the file's (Debian's toolchain writes one by default).
    CHECK(probe->build_id.size() >= 8);
    CHECK(probe->build_id == file.build_id());
    CHECK(loaded_file_is_current(*probe));
    // Without a build id: the mapping of its code, from /proc/self/maps.
    std::vector<FileMapping> mappings = file_mappings();
    auto no_mappings = []() -> std::vector<FileMapping> { return {}; };
    CHECK(is_loaded_file(file, "", probe->code_low, file_mappings));
    CHECK_FALSE(is_loaded_file(file, "", probe->code_low, no_mappings));
    CHECK_FALSE(is_loaded_file(file, "another build", probe->code_low, file_mappings));
    struct stat other;
    REQUIRE(stat("/proc/self/exe", &other) == 0);
    CHECK(maps_file_at(mappings, probe->code_low, *file.file_status()));
    CHECK_FALSE(maps_file_at(mappings, probe->code_low, other));
    // btrfs, and overlayfs before Linux 6.8, show another device in /proc/self/maps than stat gives: the inode
    // decides while the mapped file is still at its path, not once it is deleted (replaced).
    const struct stat& status = *file.file_status();
    FileMapping elsewhere{probe->code_low, probe->code_high, major(status.st_dev) + 1, 7, status.st_ino, false};
    CHECK(maps_file_at({elsewhere}, probe->code_low, status));
    elsewhere.deleted = true;
    CHECK_FALSE(maps_file_at({elsewhere}, probe->code_low, status));
}

TEST_CASE("files that are not whole ELF objects give no symbols and no crash", "[elf]") {
    std::optional<LoadedObject> library = find_loaded_object("libhotframe_elf_probe");
    REQUIRE(library);
    std::ifstream in(library->path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ScratchDirectory scratch;
    std::string truncated_path = scratch.file("truncated.so");
    for (size_t length : {size_t{0}, size_t{16}, size_t{64}, bytes.size() / 2}) {
        INFO(length);
        std::ofstream(truncated_path, std::ios::binary | std::ios::trunc).write(bytes.data(), length);
        CHECK_NOTHROW(read_elf_function_symbols(truncated_path));
    }
    CHECK(read_elf_function_symbols("/etc/hostname").empty());
    CHECK(read_elf_function_symbols("/no/such/file").empty());
}

namespace {

// A 64-bit ELF image with the given sections after its header, then their headers; section 0 is the null one
// and is added here. Each section is {header, contents}: the header's offset and size are filled in.
std::string elf_image(std::vector<std::pair<Elf64_Shdr, std::string>> sections, uint32_t names_index) {
    sections.insert(sections.begin(), {Elf64_Shdr{}, std::string()});
    std::string image(sizeof(Elf64_Ehdr), '\0');
    std::vector<Elf64_Shdr> headers;
    for (auto& [header, contents] : sections) {
        if (!contents.empty()) {
            header.sh_offset = image.size();
            header.sh_size = contents.size();
        }
        image += contents;
        headers.push_back(header);
    }
    Elf64_Ehdr file{};
    std::memcpy(file.e_ident, ELFMAG, SELFMAG);
    file.e_ident[EI_CLASS] = ELFCLASS64;
    file.e_ident[EI_DATA] = ELFDATA2LSB;
    file.e_ident[EI_VERSION] = EV_CURRENT;
    file.e_type = ET_DYN;
    file.e_machine = EM_X86_64;
    file.e_ehsize = sizeof(Elf64_Ehdr);
    file.e_shentsize = sizeof(Elf64_Shdr);
    file.e_shoff = image.size();
    file.e_shnum = static_cast<uint16_t>(headers.size());
    file.e_shstrndx = static_cast<uint16_t>(names_index);
    if (headers.size() >= SHN_LORESERVE) {
        // More sections than the header's fields hold: the count and the names' index go in section 0.
        file.e_shnum = 0;
        file.e_shstrndx = SHN_XINDEX;
        headers[0].sh_size = headers.size();
        headers[0].sh_link = names_index;
    }
    std::memcpy(image.data(), &file, sizeof(file));
    image.append(reinterpret_cast<const char*>(headers.data()), headers.size() * sizeof(Elf64_Shdr));
    return image;
}

Elf64_Shdr section_header(uint32_t type, uint32_t link = 0, uint64_t entry_size = 0) {
    Elf64_Shdr header{};
    header.sh_type = type;
    header.sh_link = link;
    header.sh_entsize = entry_size;
    return header;
}

}  // namespace

// The reader's other hostile inputs are fuzzed (test/fuzz/fuzz_elf.cpp); these two are about time, which a
// fuzzer's random mutations do not find: a name searched for its NUL over a long run without one, once per
// symbol or section, or the same notes read once per header. Before these were bounded, the reader spent 30 s
// (symbols), minutes (sections) and 24 s (notes) on these here, and hours on the largest tables it accepts; each
// also has a deterministic check of what the bound leaves out, but the sections' case, where nothing is left
// out, relies on the test's TIMEOUT.
TEST_CASE("names without NULs in hostile string tables cost the reader linear time", "[elf]") {
    SECTION("a symbol table pointing into a long run of a string table without a NUL") {
        // Ten real names, then 8 MB without a NUL, 200,000 functions named somewhere inside it, and one more
        // real name after them.
        std::string names(1, '\0');
        std::vector<Elf64_Sym> symbols(1);
        auto add_function = [&](uint32_t name, uint64_t value) {
            Elf64_Sym symbol{};
            symbol.st_name = name;
            symbol.st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
            symbol.st_shndx = 1;
            symbol.st_value = value;
            symbols.push_back(symbol);
        };
        for (int i = 0; i < 10; i++) {
            add_function(static_cast<uint32_t>(names.size()), 0x1000 + 16 * static_cast<uint64_t>(i));
            names += "real" + std::to_string(i) + '\0';
        }
        add_function(static_cast<uint32_t>(names.size()), 0x2000);
        names += std::string("after") + '\0';
        Elf64_Sym after = symbols.back();
        symbols.pop_back();
        uint32_t run_start = static_cast<uint32_t>(names.size());
        names.append(8 << 20, 'a');
        for (uint32_t i = 0; i < 200000; i++)
            add_function(run_start + i * 37, 0x100000 + 16 * static_cast<uint64_t>(i));
        symbols.push_back(after);
        std::string table(reinterpret_cast<const char*>(symbols.data()), symbols.size() * sizeof(Elf64_Sym));
        std::string image = elf_image({{section_header(SHT_PROGBITS), std::string(16, '\xc3')},
                                       {section_header(SHT_SYMTAB, 3, sizeof(Elf64_Sym)), table},
                                       {section_header(SHT_STRTAB), names}},
                                      0);
        ElfFile file;
        REQUIRE(file.open_memory(reinterpret_cast<const unsigned char*>(image.data()), image.size()).is_ok());
        FunctionTable functions = file.function_symbols();
        // The names read before the table was given up on stay; the one after the run is not read.
        CHECK(functions.size() == 10);
        CHECK(functions.find("real9") != nullptr);
        CHECK(functions.find("after") == nullptr);
        CHECK(file.symbol_values({"real3", "real10"}) == std::vector<std::optional<uint64_t>>{0x1030, std::nullopt});
    }
    SECTION("2^18 - 2 sections named inside a long run of the section names without a NUL") {
        // The names: .gnu_debuglink, then 16 MB without a NUL (the most either is read). The sections: named
        // inside the run, then the debug link, which is still found. Searched to the run's end for each, as
        // before the bound, they take minutes: the test's TIMEOUT (test/CMakeLists.txt) fails it.
        std::string names = std::string("\0.gnu_debuglink\0", 16) + std::string((16 << 20) - 16, 'a');
        std::vector<std::pair<Elf64_Shdr, std::string>> sections;
        sections.push_back({section_header(SHT_STRTAB), names});
        for (uint32_t i = 0; i < (1u << 18) - 3; i++) {
            Elf64_Shdr header = section_header(SHT_PROGBITS);
            header.sh_name = 16 + i * 61;
            sections.push_back({header, std::string()});
        }
        Elf64_Shdr link = section_header(SHT_PROGBITS);
        link.sh_name = 1;
        sections.push_back({link, std::string("probe.debug\0\x78\x56\x34\x12", 16)});
        std::string image = elf_image(std::move(sections), 1);
        ElfFile file;
        REQUIRE(file.open_memory(reinterpret_cast<const unsigned char*>(image.data()), image.size()).is_ok());
        std::optional<DebugLink> found = file.debug_link();
        REQUIRE(found);
        CHECK(found->file_name == "probe.debug");
        CHECK(found->crc32 == 0x12345678u);
    }
    SECTION("2^16 note sections over one megabyte of empty notes") {
        // Each header names the same megabyte (about 87,000 empty notes); a build id follows in a section of
        // its own. The notes read together stop at a megabyte, so the build id after them is not reached.
        std::vector<std::pair<Elf64_Shdr, std::string>> sections;
        sections.push_back({section_header(SHT_NOTE), std::string(1 << 20, '\0')});
        for (int i = 0; i < (1 << 16); i++) {
            Elf64_Shdr alias = section_header(SHT_NOTE);
            alias.sh_offset = sizeof(Elf64_Ehdr);  // where elf_image puts the first section's contents
            alias.sh_size = 1 << 20;
            sections.push_back({alias, std::string()});
        }
        Elf64_Nhdr note{4, 4, NT_GNU_BUILD_ID};
        std::string id_note(reinterpret_cast<const char*>(&note), sizeof(note));
        id_note += std::string("GNU\0\x01\x02\x03\x04", 8);
        sections.push_back({section_header(SHT_NOTE), id_note});
        std::string image = elf_image(std::move(sections), 0);
        ElfFile file;
        REQUIRE(file.open_memory(reinterpret_cast<const unsigned char*>(image.data()), image.size()).is_ok());
        CHECK(file.build_id().empty());
    }
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
