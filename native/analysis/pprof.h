// Profiles in pprof's format (profile.proto, gzipped), the input of `go tool pprof` and of most profile viewers.
// Sample types follow the event: cpu and wall carry samples/count and cpu|wall/nanoseconds, alloc
// alloc_samples/count and alloc_space/bytes, lock contentions/count and delay/nanoseconds. A per-thread root
// frame ("[name tid=N]") becomes the sample's "thread" and "tid" labels instead of a frame.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "native/aggregate/profile.h"
#include "native/result.h"

namespace hotframe {

struct PprofMetadata {
    int64_t time_ns = 0;      // when the profile started, Unix time
    int64_t duration_ns = 0;  // how long it covers
    int64_t period = 0;       // the sampling interval, in the period type's unit (0: unknown)
};

// The profile.proto message, uncompressed.
std::string encode_pprof_message(const Profile& profile, const PprofMetadata& metadata);
// The same, gzipped: the bytes of a .pb.gz file.
std::string encode_pprof_gzipped(const Profile& profile, const PprofMetadata& metadata);

// Reads a gzipped or plain profile.proto. Thread labels are not turned back into frames. Fails with a one-line
// reason on anything that is not a well-formed profile.
Status read_pprof(std::string_view data, Profile* profile);

// "[http-nio-8080-exec-1 tid=4242]" -> name "http-nio-8080-exec-1", tid 4242; false for other frames.
bool parse_thread_root(std::string_view frame, std::string* name, int64_t* tid);

}  // namespace hotframe
