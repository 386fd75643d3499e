#include "native/output/thread_dump.h"

#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "native/output/json_text.h"

namespace hotframe {

namespace {

std::string lock_id(const DumpedLock& lock) {
    char text[24];
    std::snprintf(text, sizeof(text), "0x%08x", lock.identity);
    return text;
}

std::string frame_location(const DumpedFrame& frame) {
    if (frame.native) return "Native Method";
    if (frame.file.empty()) return "Unknown Source";
    if (frame.line < 0) return frame.file;
    return frame.file + ":" + std::to_string(frame.line);
}

// What jstack prints under the first frame of a waiting thread.
std::string wait_line(const DumpedThread& thread) {
    if (!thread.waits_for) return "";
    const DumpedLock& lock = *thread.waits_for;
    std::string object = "<" + lock_id(lock) + "> (a " + lock.class_name + ")";
    switch (thread.wait) {
        case WaitKind::kMonitorEnter:
            return "\t- waiting to lock " + object + "\n";
        case WaitKind::kObjectWait:
            return "\t- waiting on " + object + "\n";
        case WaitKind::kPark:
            return "\t- parking to wait for  " + object + "\n";
        case WaitKind::kNone:
            break;
    }
    return "";
}

void render_thread(std::ostringstream& out, const DumpedThread& thread) {
    char nid[32];
    std::snprintf(nid, sizeof(nid), "0x%x", thread.native_id < 0 ? 0 : thread.native_id);
    out << "\"" << thread.name << "\" #" << thread.java_id << (thread.daemon ? " daemon" : "")
        << " prio=" << thread.priority << " nid=" << (thread.native_id < 0 ? "unknown" : nid) << "\n";
    out << "   java.lang.Thread.State: " << thread.state;
    if (!thread.state_detail.empty()) out << " (" << thread.state_detail << ")";
    out << "\n";
    for (size_t i = 0; i < thread.frames.size(); i++) {
        const DumpedFrame& frame = thread.frames[i];
        out << "\tat " << frame.method << "(" << frame_location(frame) << ")\n";
        if (i == 0) out << wait_line(thread);
        for (const DumpedLock& lock : frame.locked) {
            // A monitor a thread waits on in Object.wait() is released: jstack does not list it as locked.
            if (i == 0 && thread.wait == WaitKind::kObjectWait && thread.waits_for &&
                thread.waits_for->identity == lock.identity) {
                continue;
            }
            out << "\t- locked <" << lock_id(lock) << "> (a " << lock.class_name << ")\n";
        }
    }
    out << "\n";
}

std::string json_lock(const DumpedLock& lock) {
    return "{\"class\":" + json_string(lock.class_name) + ",\"id\":\"" + lock_id(lock) + "\"}";
}

const char* wait_kind_name(WaitKind kind) {
    switch (kind) {
        case WaitKind::kMonitorEnter:
            return "monitor_enter";
        case WaitKind::kObjectWait:
            return "object_wait";
        case WaitKind::kPark:
            return "park";
        case WaitKind::kNone:
            break;
    }
    return "none";
}

const char* other_thread_note(OtherThread::Owner owner) {
    switch (owner) {
        case OtherThread::Owner::kJvm:
            return "not visible to JVMTI: a JVM-internal thread";
        case OtherThread::Owner::kNotJvm:
            return "not a JVM thread: the launcher's or a native library's";
        case OtherThread::Owner::kUnknown:
            break;
    }
    return "not visible to JVMTI";
}

}  // namespace

std::string render_thread_dump_text(const ThreadDump& dump, const std::vector<Deadlock>& deadlocks) {
    std::ostringstream out;
    out << "Full thread dump " << dump.jvm << ":\n\n";
    for (const DumpedThread& thread : dump.threads) render_thread(out, thread);
    for (const OtherThread& other : dump.other_threads) {
        char nid[32];
        std::snprintf(nid, sizeof(nid), "0x%x", other.native_id);
        out << "\"" << other.name << "\" nid=" << nid << " (" << other_thread_note(other.owner) << ")\n\n";
    }
    for (const Deadlock& deadlock : deadlocks) {
        out << "Found one Java-level deadlock:\n=============================\n";
        for (size_t i = 0; i < deadlock.threads.size(); i++) {
            const DumpedThread& thread = dump.threads[deadlock.threads[i]];
            const DumpedThread& holder = dump.threads[deadlock.threads[(i + 1) % deadlock.threads.size()]];
            const DumpedLock& lock = *thread.waits_for;
            out << "\"" << thread.name << "\":\n";
            if (thread.wait == WaitKind::kPark) {
                out << "  waiting for ownable synchronizer " << lock_id(lock) << ", (a " << lock.class_name << "),\n";
            } else {
                out << "  waiting to lock monitor (object " << lock_id(lock) << ", a " << lock.class_name << "),\n";
            }
            out << "  which is held by \"" << holder.name << "\"\n";
        }
        out << "\nJava stack information for the threads listed above:\n"
            << "===================================================\n";
        for (size_t member : deadlock.threads) render_thread(out, dump.threads[member]);
    }
    if (deadlocks.empty()) {
        out << "No deadlocks found.\n";
    } else {
        out << "Found " << deadlocks.size() << " deadlock" << (deadlocks.size() > 1 ? "s" : "") << ".\n";
    }
    return out.str();
}

std::string render_thread_dump_json(const ThreadDump& dump, const std::vector<Deadlock>& deadlocks) {
    std::ostringstream out;
    out << "{\"jvm\":" << json_string(dump.jvm) << ",\"threads\":[";
    for (size_t t = 0; t < dump.threads.size(); t++) {
        const DumpedThread& thread = dump.threads[t];
        out << (t ? "," : "") << "{\"name\":" << json_string(thread.name) << ",\"java_id\":" << thread.java_id
            << ",\"native_id\":" << thread.native_id << ",\"daemon\":" << (thread.daemon ? "true" : "false")
            << ",\"priority\":" << thread.priority << ",\"state\":" << json_string(thread.state)
            << ",\"state_detail\":" << json_string(thread.state_detail) << ",\"wait\":\"" << wait_kind_name(thread.wait)
            << "\"";
        if (thread.waits_for) out << ",\"waits_for\":" << json_lock(*thread.waits_for);
        if (thread.lock_owner_java_id >= 0) out << ",\"lock_owner_java_id\":" << thread.lock_owner_java_id;
        out << ",\"frames\":[";
        for (size_t f = 0; f < thread.frames.size(); f++) {
            const DumpedFrame& frame = thread.frames[f];
            out << (f ? "," : "") << "{\"method\":" << json_string(frame.method)
                << ",\"file\":" << json_string(frame.file) << ",\"line\":" << frame.line
                << ",\"native\":" << (frame.native ? "true" : "false") << ",\"locked\":[";
            for (size_t l = 0; l < frame.locked.size(); l++) out << (l ? "," : "") << json_lock(frame.locked[l]);
            out << "]}";
        }
        out << "]}";
    }
    out << "],\"other_threads\":[";
    for (size_t o = 0; o < dump.other_threads.size(); o++) {
        out << (o ? "," : "") << "{\"name\":" << json_string(dump.other_threads[o].name)
            << ",\"kernel_name\":" << json_string(dump.other_threads[o].kernel_name)
            << ",\"native_id\":" << dump.other_threads[o].native_id << ",\"jvm_thread\":"
            << (dump.other_threads[o].owner == OtherThread::Owner::kJvm      ? "true"
                : dump.other_threads[o].owner == OtherThread::Owner::kNotJvm ? "false"
                                                                             : "null")
            << "}";
    }
    out << "],\"deadlocks\":[";
    for (size_t d = 0; d < deadlocks.size(); d++) {
        out << (d ? "," : "") << "[";
        for (size_t i = 0; i < deadlocks[d].threads.size(); i++) {
            out << (i ? "," : "") << json_string(dump.threads[deadlocks[d].threads[i]].name);
        }
        out << "]";
    }
    out << "]}\n";
    return out.str();
}

}  // namespace hotframe
