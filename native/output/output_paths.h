// Where outputs go: the one home for every rule that turns a user's file= / dir= into paths. Writing the bytes
// is output_file.h's job; deciding the name is this module's.
//   - Patterns: %p pid, %t local time YYYYMMDD-HHMMSS, %e the event's name, %% a percent sign.
//   - Several events in one session and no %e: "-EVENT" goes before the extension (".pb.gz", ".flat.txt" and
//     ".flat.json" count as one extension), so that the files do not overwrite each other.
//   - dir=: a default name inside that directory (hotframe-%p-%t.html, threads-%p-%t.txt, ...).
//   - A pattern with %t means a new file each time, but %t has a resolution of one second: a name that exists
//     already gets "-2", "-3", ... before its extension.
//   - keep=N: a series keeps its newest N files; the newest is never removed.
//   - A path is checked when it is given, so that a session is not collected for an hour and then lost.
#pragma once

#include <cstdint>
#include <ctime>
#include <deque>
#include <string>
#include <string_view>

#include "native/result.h"

namespace hotframe {

// `when` is formatted as local time YYYYMMDD-HHMMSS. %e is left as it is (see pattern_for_event).
std::string expand_file_pattern(std::string_view pattern, int pid, std::time_t when);

// Where a file name's extension begins, ".pb.gz", ".flat.txt" and ".flat.json" counted whole; the end of the
// path if the name has none.
size_t extension_start(const std::string& path);

// The pattern for one event's file: %e becomes the event's name; with several events and no %e, "-%e" is put
// before the extension first.
std::string pattern_for_event(const std::string& pattern, const std::string& event, size_t event_count);

// dir= naming: `file` when it is given; else `default_name` inside `directory`, or in the working directory
// when no directory is given either.
std::string choose_pattern(const std::string& file, const std::string& directory, const std::string& default_name);

// The default names, before expansion.
std::string default_profile_name(std::string_view extension);  // hotframe-%p-%t.EXT
std::string default_thread_dump_name(bool json);               // threads-%p-%t.txt / .json
std::string default_memory_name(bool json_series);             // memory-%p.jsonl (one series) / memory-%p-%t.txt
std::string default_thread_sampling_name();                    // hotframe-sample-%p-%t.txt

// The file a pattern names now, for this process. With %t the name is unique: if it exists, "-2", "-3", ...
// go before the extension. Without %t the same name is meant to be replaced (or appended to) each time.
std::string next_output_path(const std::string& pattern, std::time_t when);

// Checks, before any work starts, that `path` could be written: its directory exists, is a directory and is
// writable. The message names the directory and the reason.
Status check_output_directory(const std::string& path);

// What the user gave as an output file could be written, now and later: its name is a file's (not "dir/",
// ".", ".."), short enough once the temporary and same-second suffixes are added, in a writable directory, and
// nothing that is not a regular file is there (a device, FIFO, socket, directory or link).
Status check_output_file(const std::string& path);

// The same for a pattern, expanded now (%e as the longest event name).
Status check_output_pattern(const std::string& pattern);

// What output_file.h and next_output_path may add to a name: ".tmp.XXXXXX" and "-NNNN".
constexpr size_t kNameReserve = 16;

// keep=: the files a series has written, oldest first. Not thread-safe; its owner locks.
class FileRotation {
public:
    // 0 keeps every file.
    explicit FileRotation(uint32_t keep = 0) : keep_(keep) {}

    // A file was just written: it becomes the newest, and the oldest files beyond `keep` are deleted. A path
    // written again (a pattern without %t) is not counted twice, and the newest file is never deleted.
    void add(const std::string& path);

    std::string newest() const { return files_.empty() ? "" : files_.back(); }
    size_t size() const { return files_.size(); }

private:
    uint32_t keep_;
    std::deque<std::string> files_;
};

}  // namespace hotframe
