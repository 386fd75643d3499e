// Runs the ELF reader (native/symbols/elf_file.h) and the debug-file look-up over every file of a corpus
// directory and, with --mutate SECONDS, over random mutations of those files for that long: bit flips,
// truncations, and header fields overwritten with edge values. Debug files come from directories other users
// may write, so the reader must neither crash nor read out of bounds on any of them; this program is built with
// AddressSanitizer and UBSan, which turn any such read into a failed run.
//   fuzz_elf CORPUS_DIR [--mutate SECONDS] [--seed N]
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "native/symbols/debug_files.h"
#include "native/symbols/elf_file.h"
#include "native/symbols/symbol_aliases.h"

using namespace hotframe;

namespace {

// Everything the agent asks of a file it did not write. The results are summed so that nothing is optimised away.
size_t exercise(ElfFile& file, const std::string& path, const std::string& corpus) {
    FunctionTable symbols = file.function_symbols();
    keep_one_name_per_address(symbols);
    size_t touched = symbols.size() + file.build_id().size();
    // Every name lies inside the adopted names and holds no NUL (a name that ran on past its own table's end
    // would), and is read to its last byte.
    for (const FunctionEntry& entry : symbols.entries()) {
        if (entry.name_at > symbols.names().size() || entry.name_length > symbols.names().size() - entry.name_at) {
            std::fprintf(stderr, "a function name lies outside its table\n");
            std::abort();
        }
        std::string_view name = symbols.name(entry);
        if (name.find('\0') != std::string_view::npos) {
            std::fprintf(stderr, "a function name runs past its NUL\n");
            std::abort();
        }
        if (!name.empty()) touched += static_cast<unsigned char>(name.back());
    }
    if (std::optional<DebugLink> link = file.debug_link()) touched += link->file_name.size();
    if (!path.empty()) touched += find_debug_file(file, path, corpus).path.size();
    return touched;
}

size_t exercise_path(const std::string& path, const std::string& corpus) {
    ElfFile file;
    size_t touched = file.open(path).is_ok() ? exercise(file, path, corpus) : 0;
    return touched + (file_crc32(path) ? 1 : 0);
}

size_t exercise_bytes(const std::string& bytes) {
    ElfFile file;
    if (!file.open_memory(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()).is_ok()) return 0;
    return exercise(file, "", "");
}

std::vector<std::string> corpus_files(const std::string& directory) {
    std::vector<std::string> paths;
    DIR* dir = opendir(directory.c_str());
    if (dir == nullptr) return paths;
    while (dirent* entry = readdir(dir)) {
        std::string path = directory + "/" + entry->d_name;
        struct stat info;
        if (stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode)) paths.push_back(path);
    }
    closedir(dir);
    return paths;
}

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Field offsets worth hitting: the ELF header's section fields and the first section headers' offset, size, link
// and entry size, where one wrong value sends a reader far outside the file.
std::vector<size_t> interesting_offsets(const std::string& bytes) {
    std::vector<size_t> offsets = {0x28, 0x3a, 0x3c, 0x3e, 4, 5};  // e_shoff, e_shentsize, e_shnum, e_shstrndx
    if (bytes.size() >= 0x40) {
        uint64_t section_headers;
        std::memcpy(&section_headers, bytes.data() + 0x28, 8);
        for (uint64_t i = 0;
             i < 64 && section_headers <= bytes.size() && (i + 1) * 64 <= bytes.size() - section_headers; i++) {
            for (size_t field : {0, 4, 24, 32, 40, 56}) offsets.push_back(section_headers + i * 64 + field);
        }
    }
    return offsets;
}

void mutate(std::string& bytes, std::mt19937_64& random) {
    if (bytes.empty()) return;
    std::uniform_int_distribution<int> kind(0, 3);
    switch (kind(random)) {
        case 0: {  // a few bit flips anywhere
            for (int i = 0; i < 4; i++) bytes[random() % bytes.size()] ^= static_cast<char>(1u << (random() % 8));
            break;
        }
        case 1:  // cut short
            bytes.resize(random() % bytes.size());
            break;
        default: {  // an edge value in a header field
            static const uint64_t kValues[] = {0,
                                               1,
                                               0x7f,
                                               0xff,
                                               0xffff,
                                               0x7fffffff,
                                               0xffffffff,
                                               0x7fffffffffffffff,
                                               ~uint64_t{0},
                                               bytes.size(),
                                               bytes.size() - 1};
            std::vector<size_t> offsets = interesting_offsets(bytes);
            size_t at = offsets[random() % offsets.size()];
            uint64_t value = kValues[random() % std::size(kValues)];
            size_t width = size_t{1} << (random() % 4);  // 1, 2, 4 or 8 bytes
            if (at < bytes.size() && width <= bytes.size() - at) std::memcpy(&bytes[at], &value, width);
            break;
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: fuzz_elf CORPUS_DIR [--mutate SECONDS] [--seed N]\n");
        return 2;
    }
    std::string corpus = argv[1];
    double seconds = 0;
    uint64_t seed = std::random_device()();
    for (int i = 2; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--mutate") == 0) seconds = std::atof(argv[i + 1]);
        if (std::strcmp(argv[i], "--seed") == 0) seed = std::strtoull(argv[i + 1], nullptr, 10);
    }
    std::vector<std::string> paths = corpus_files(corpus);
    if (paths.empty()) {
        std::fprintf(stderr, "fuzz_elf: no files in %s\n", corpus.c_str());
        return 2;
    }
    size_t touched = 0;
    std::vector<std::string> contents;
    for (const std::string& path : paths) {
        touched += exercise_path(path, corpus);
        contents.push_back(read_all(path));
        touched += exercise_bytes(contents.back());
    }
    std::printf("fuzz_elf: %zu corpus files read (seed %llu)\n", paths.size(), static_cast<unsigned long long>(seed));

    std::mt19937_64 random(seed);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    std::string scratch = corpus + "/mutated.tmp";
    uint64_t mutations = 0;
    while (seconds > 0 && std::chrono::steady_clock::now() < deadline) {
        std::string bytes = contents[random() % contents.size()];
        for (int n = 1 + static_cast<int>(random() % 3); n > 0; n--) mutate(bytes, random);
        touched += exercise_bytes(bytes);
        // Now and then through the file path as well (pread, short reads, the CRC).
        if (mutations % 32 == 0) {
            std::ofstream(scratch, std::ios::binary | std::ios::trunc).write(bytes.data(), bytes.size());
            touched += exercise_path(scratch, corpus);
        }
        mutations++;
    }
    std::remove(scratch.c_str());
    std::printf("fuzz_elf: %llu mutations, no crash (%zu)\n", static_cast<unsigned long long>(mutations), touched);
    return 0;
}
