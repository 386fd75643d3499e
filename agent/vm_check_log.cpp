#include "agent/vm_check_log.h"

#include <optional>
#include <sstream>
#include <string>

#include "agent/log.h"
#include "agent/vm_walk_check.h"
#include "native/engines/jvmti_samples.h"
#include "native/symbols/native_symbols.h"

namespace hotframe {

namespace {

std::string code_owner(const GeneratedCode* code, uintptr_t pc) {
    if (code == nullptr || pc == 0) return "";
    std::optional<GeneratedCode::Owner> owner = code->find(pc);
    if (!owner) return "";
    return owner->method != nullptr ? "(compiled method)" : owner->name;
}

// What the code at `pc` is: generated code's owner, else the native function.
std::string code_or_function(const GeneratedCode* code, uintptr_t pc) {
    std::string owner = code_owner(code, pc);
    if (!owner.empty() || pc == 0) return owner;
    return NativeSymbols::shared().resolve(pc, false).name;
}

void log_walk(jvmtiEnv* jvmti, JNIEnv* jni, const GeneratedCode* code, const char* which,
              const VmCheckCounters::Walk& walk) {
    std::ostringstream frames;
    for (int i = 0; i < walk.count && i < VmCheckCounters::kShown; i++) {
        auto method = static_cast<jmethodID>(const_cast<void*>(walk.methods[i]));
        frames << " " << method_name(jvmti, jni, method) << "@" << walk.bcis[i] << "/"
               << static_cast<int>(walk.types[i]);
    }
    log().info("vmcheck: last disagreement, {}: status {}, {} frames{}, stop {} at {:#x}, start {:#x} {} {}:{}", which,
               walk.status, walk.count, walk.truncated ? " (cut)" : "", walk.stop, walk.stop_pc, walk.start_pc,
               walk.anchored ? "anchored" : "registers", code_owner(code, walk.start_pc), frames.str());
}

double percent(uint64_t part, uint64_t whole) { return whole == 0 ? 0.0 : 100.0 * part / whole; }

}  // namespace

void log_vm_check(jvmtiEnv* jvmti, JNIEnv* jni, const GeneratedCode* code, const VmCheckCounters& check) {
    // Up to 2 * kShown declaring classes are named below; each is freed as it is named, and the frame catches
    // whatever a failed call might leave.
    std::optional<LocalReferences> references;
    if (jni != nullptr) references.emplace(jni);
    uint64_t compared = check.compared.load();
    log().info(
        "vmcheck: {} samples walked by AsyncGetCallTrace; vm walk: same methods {} ({:.2f}%), same methods and bcis "
        "{} ({:.2f}%), no frames {} ({:.2f}%); frames where AsyncGetCallTrace had none: {}",
        compared, check.same_methods.load(), percent(check.same_methods.load(), compared), check.same_bcis.load(),
        percent(check.same_bcis.load(), compared), check.vm_failed.load(), percent(check.vm_failed.load(), compared),
        check.vm_only.load());
    for (int kind = 1; kind < VmCheckCounters::kStopKinds; kind++) {
        uint64_t count = check.stops[kind].load();
        if (count == 0) continue;
        log().info("vmcheck: walks stopped short at kind {}: {}, last at {:#x} {}", kind, count, check.stop_pcs[kind],
                   code_owner(code, check.stop_pcs[kind]));
    }
    if (uint64_t faults = check.vm_faults.load(); faults != 0) {
        uintptr_t pc = check.fault_pc.load(), start = check.fault_start_pc.load();
        log().info("vmcheck: {} vm walks faulted, the last at {:#x} ({}) reading {:#x}, having begun at {:#x} {}",
                   faults, pc, NativeSymbols::shared().resolve(pc, false).name, check.fault_address.load(), start,
                   code_or_function(code, start));
    }
    // Both records describe the same sample: the handler that wins `writing` fills both from its own walks.
    if (check.agct.count != 0 || check.agct.status != 0) {
        log_walk(jvmti, jni, code, "agct", check.agct);
        log_walk(jvmti, jni, code, "vm", check.vm);
    }
}

void log_callback_walks(jvmtiEnv* jvmti, JNIEnv* jni, bool vm_check) {
    CallbackWalkCounts counts = callback_walk_counts();
    uint64_t all = counts.vm_walked + counts.by_jvmti;
    if (all == 0) return;
    log().info(
        "allocation and lock samples: {} stacks by the vm walker, {} by JVMTI GetStackTrace ({} where the "
        "walker could not walk)",
        counts.vm_walked, counts.by_jvmti, counts.walk_failed);
    if (!vm_check) return;
    log().info(
        "vmcheck: allocation and lock samples walked both ways: {}; same methods {} ({:.2f}%), same methods "
        "and bcis {} ({:.2f}%)",
        counts.compared, counts.same_methods, percent(counts.same_methods, counts.compared), counts.same_bcis,
        percent(counts.same_bcis, counts.compared));
    if (counts.differing_frame < 0) return;
    std::optional<LocalReferences> references;
    if (jni != nullptr) references.emplace(jni);
    log().info(
        "vmcheck: last allocation/lock disagreement at frame {} ({} frames, GetStackTrace {}): vm {}@{}, "
        "GetStackTrace {}@{}",
        counts.differing_frame, counts.vm_count, counts.jvmti_count, method_name(jvmti, jni, counts.vm_method),
        counts.vm_bci, method_name(jvmti, jni, counts.jvmti_method), counts.jvmti_bci);
}

}  // namespace hotframe
