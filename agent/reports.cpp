#include "agent/reports.h"

#include <chrono>
#include <vector>

#include "agent/memory_collector.h"
#include "agent/thread_dump_collector.h"
#include "native/analysis/deadlocks.h"
#include "native/output/memory_report.h"
#include "native/output/thread_dump.h"

namespace hotframe {

const char* report_name(ReportKind kind) { return kind == ReportKind::kThreadDump ? "threaddump" : "memory"; }

Status make_report(jvmtiEnv* jvmti, JNIEnv* jni, ReportKind kind, bool json, Report* report) {
    if (kind == ReportKind::kThreadDump) {
        ThreadDump dump;
        if (Status collected = collect_thread_dump(jvmti, jni, &dump); !collected.is_ok()) return collected;
        std::vector<Deadlock> deadlocks = find_deadlocks(dump);
        report->text = json ? render_thread_dump_json(dump, deadlocks) : render_thread_dump_text(dump, deadlocks);
        report->summary = std::to_string(dump.threads.size()) + " threads, " + std::to_string(deadlocks.size()) +
                          (deadlocks.size() == 1 ? " deadlock" : " deadlocks");
        return Status::ok();
    }
    MemoryReport memory;
    if (Status collected = collect_memory_report(jni, &memory); !collected.is_ok()) return collected;
    memory.time_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    report->text = json ? render_memory_json(memory) : render_memory_text(memory);
    report->summary = std::to_string(memory.pools.size()) + " memory pools";
    return Status::ok();
}

}  // namespace hotframe
