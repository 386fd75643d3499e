// The answer for a launcher whose session ended without its stop command (the JVM exiting during `-d`, a
// timeout): REPLY.ended beside the start command's reply file, "ok" or "error: WHY" on the first line and a
// "wrote PATH" line per file written, so that the launcher names exactly what this session wrote.
#pragma once

#include <string>
#include <vector>

namespace hotframe {

// The text of REPLY.ended: `error` is empty when every output was written.
std::string ended_reply_text(const std::string& why, const std::string& error, const std::vector<std::string>& paths);

enum class EndedReply { kWritten, kNoLauncherDirectory, kWriteFailed };

// Writes `text` to REPLY.ended, but only into the launcher's own reply directory while it is still there: a real
// directory (not a link) of this process's user that nobody else may write to. The launcher removes it when it
// exits, and a JVM that ends later (after `start` alone, or `-d` run out) must not write into whatever may have
// been put at that name since: then nothing is written (kNoLauncherDirectory). `error` says why a write failed.
EndedReply write_ended_reply(const std::string& reply_file, const std::string& text, std::string* error);

}  // namespace hotframe
