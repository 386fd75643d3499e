// A plain main() for the fuzz targets, so that they run with g++ alone (no clang, no libFuzzer):
//
//   fuzz_pprof CORPUS_DIR_OR_FILE...                  run the target once on every file
//   fuzz_pprof [--seed N] --mutate SECONDS CORPUS...  then, for SECONDS, on random mutations of the corpus
//
// Mutation is blind (no coverage feedback): bit flips, byte inserts and deletes, runs copied within an input
// or spliced in from another, and "interesting" values (0, 0x7f, 0x80, 0xff, long varints, big decimal
// numbers, ';' and newlines) written over bytes. A crash or failed check leaves the input in
// fuzz-crash-input in the current directory, written from the signal handler, to replay with the first form.
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "test/fuzz/fuzz_target.h"

namespace {

// Only big corpus files (the 2 MB gzip bomb) are run but not mutated: each run of one costs a second.
constexpr size_t kMaxMutationBase = 64 * 1024;
constexpr size_t kMaxMutantBytes = 256 * 1024;

// The input being run, for the crash handler: a pointer and a size it can write without allocating.
const uint8_t* volatile g_current_data = nullptr;
volatile size_t g_current_size = 0;

void save_input_and_die(int signal_number) {
    int fd = open("fuzz-crash-input", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        const uint8_t* data = g_current_data;
        size_t left = g_current_size;
        while (left > 0) {
            ssize_t written = write(fd, data, left);
            if (written <= 0) break;
            data += written;
            left -= static_cast<size_t>(written);
        }
        close(fd);
    }
    static const char kNote[] = "fuzz: crashed; the input is in fuzz-crash-input\n";
    ssize_t ignored = write(STDERR_FILENO, kNote, sizeof(kNote) - 1);
    (void)ignored;
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

void run_one(const std::string& input) {
    g_current_data = reinterpret_cast<const uint8_t*>(input.data());
    g_current_size = input.size();
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

bool read_file(const std::string& path, std::string* content) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    content->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return true;
}

// Every regular file under `path` (a file or a directory, not recursing further than one level down).
void collect_files(const std::string& path, std::vector<std::string>* files) {
    struct stat info {};
    if (stat(path.c_str(), &info) != 0) return;
    if (S_ISREG(info.st_mode)) {
        files->push_back(path);
        return;
    }
    if (!S_ISDIR(info.st_mode)) return;
    DIR* dir = opendir(path.c_str());
    if (dir == nullptr) return;
    while (dirent* entry = readdir(dir)) {
        if (entry->d_name[0] == '.') continue;
        std::string child = path + "/" + entry->d_name;
        if (stat(child.c_str(), &info) == 0 && S_ISREG(info.st_mode)) files->push_back(child);
    }
    closedir(dir);
}

class Mutator {
public:
    explicit Mutator(uint64_t seed) : random_(seed) {}

    size_t below(size_t bound) { return bound == 0 ? 0 : std::uniform_int_distribution<size_t>(0, bound - 1)(random_); }

    void mutate(std::string& input, const std::vector<std::string>& corpus) {
        size_t steps = 1 + below(4);
        for (size_t step = 0; step < steps; step++) mutate_once(input, corpus);
        if (input.size() > kMaxMutantBytes) input.resize(kMaxMutantBytes);
    }

private:
    void mutate_once(std::string& input, const std::vector<std::string>& corpus) {
        static const char* const kInteresting[] = {
            "\x00",
            "\x7f",
            "\x80",
            "\xff",
            "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01",
            "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f",
            ";",
            "\n",
            " ",
            "\x1b[2J",
            "18446744073709551615",
            "9223372036854775808",
            "99999999999999999999",
            "0",
            "_[j]",
            "[",
        };
        switch (below(7)) {
            case 0:  // flip one bit
                if (!input.empty()) input[below(input.size())] ^= static_cast<char>(1u << below(8));
                break;
            case 1:  // insert a random byte
                input.insert(input.begin() + static_cast<std::ptrdiff_t>(below(input.size() + 1)),
                             static_cast<char>(below(256)));
                break;
            case 2:  // delete a run
                if (!input.empty()) {
                    size_t at = below(input.size());
                    input.erase(at, 1 + below(std::min<size_t>(16, input.size() - at)));
                }
                break;
            case 3: {  // copy a run of the input elsewhere into it (grows repeated structures)
                if (input.empty()) break;
                size_t from = below(input.size());
                std::string run = input.substr(from, 1 + below(std::min<size_t>(64, input.size() - from)));
                input.insert(below(input.size() + 1), run);
                break;
            }
            case 4: {  // splice: a piece of another corpus entry
                const std::string& other = corpus[below(corpus.size())];
                if (other.empty()) break;
                size_t from = below(other.size());
                input.insert(below(input.size() + 1), other.substr(from, 1 + below(other.size() - from)));
                break;
            }
            case 5: {  // write an interesting value over the bytes at a place
                std::string value = kInteresting[below(std::size(kInteresting))];
                if (value.empty()) value.push_back('\0');
                size_t at = below(input.size() + 1);
                input.replace(at, std::min(value.size(), input.size() - at), value);
                break;
            }
            default:  // nudge a byte up or down (a length, a count, a field number)
                if (!input.empty()) {
                    char& byte = input[below(input.size())];
                    byte = static_cast<char>(byte + (below(2) == 0 ? 1 : -1) * static_cast<int>(1 + below(4)));
                }
        }
    }

    std::mt19937_64 random_;
};

}  // namespace

int main(int argc, char** argv) {
    double seconds = 0;
    uint64_t seed = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    std::vector<std::string> files;
    for (int i = 1; i < argc; i++) {
        std::string word = argv[i];
        if (word == "--mutate" && i + 1 < argc) {
            seconds = std::strtod(argv[++i], nullptr);
        } else if (word == "--seed" && i + 1 < argc) {
            seed = std::strtoull(argv[++i], nullptr, 10);
        } else {
            collect_files(word, &files);
        }
    }
    if (files.empty()) {
        std::fprintf(stderr, "usage: %s [--seed N] [--mutate SECONDS] CORPUS_DIR_OR_FILE...\n", argv[0]);
        return 2;
    }
    for (int signal_number : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) signal(signal_number, save_input_and_die);

    std::vector<std::string> corpus;
    for (const std::string& path : files) {
        std::string content;
        if (!read_file(path, &content)) {
            std::fprintf(stderr, "fuzz: cannot read %s\n", path.c_str());
            return 2;
        }
        run_one(content);
        if (content.size() <= kMaxMutationBase) corpus.push_back(std::move(content));
    }
    std::fprintf(stderr, "fuzz: %zu corpus files passed\n", files.size());
    if (seconds <= 0) return 0;
    if (corpus.empty()) corpus.emplace_back();

    std::fprintf(stderr, "fuzz: mutating for %.0f s, seed %llu\n", seconds, static_cast<unsigned long long>(seed));
    Mutator mutator(seed);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    uint64_t runs = 0;
    std::string input;
    while (std::chrono::steady_clock::now() < deadline) {
        // Half the time start again from a corpus file; otherwise stack more mutations on the last input.
        if (input.empty() || mutator.below(2) == 0) input = corpus[mutator.below(corpus.size())];
        mutator.mutate(input, corpus);
        run_one(input);
        runs++;
    }
    std::fprintf(stderr, "fuzz: %llu mutated inputs passed\n", static_cast<unsigned long long>(runs));
    return 0;
}
