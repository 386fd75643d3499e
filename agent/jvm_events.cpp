#include "agent/jvm_events.h"

#include <unistd.h>

#include <string>

#include "agent/agent.h"
#include "agent/log.h"

namespace hotframe {

namespace {

void create_method_ids(jvmtiEnv* jvmti, jclass klass) {
    jint count = 0;
    jmethodID* methods = nullptr;
    // GetClassMethods allocates the jmethodIDs as a side effect; that is all we want from it.
    if (jvmti->GetClassMethods(klass, &count, &methods) == JVMTI_ERROR_NONE) {
        jvmti->Deallocate(reinterpret_cast<unsigned char*>(methods));
    }
}

void JNICALL on_class_load(jvmtiEnv*, JNIEnv*, jthread, jclass) {
    // Empty, but it must be enabled: AsyncGetCallTrace refuses to walk (ticks_no_class_load) otherwise.
}

void JNICALL on_class_prepare(jvmtiEnv* jvmti, JNIEnv*, jthread, jclass klass) { create_method_ids(jvmti, klass); }

void JNICALL on_compiled_method_load(jvmtiEnv*, jmethodID method, jint code_size, const void* code_address, jint,
                                     const jvmtiAddrLocationMap*, const void* compile_info) {
    if (Agent* agent = the_agent()) {
        agent->compiled_methods.on_load(method, code_address, compile_info);
        agent->generated_code.add_method(method, code_address, code_size);
    }
}

void JNICALL on_compiled_method_unload(jvmtiEnv*, jmethodID method, const void* code_address) {
    if (Agent* agent = the_agent()) {
        agent->compiled_methods.on_unload(method, code_address);
        agent->generated_code.remove_method(code_address);
    }
}

void JNICALL on_dynamic_code_generated(jvmtiEnv*, const char* name, const void* address, jint length) {
    if (Agent* agent = the_agent()) agent->generated_code.add_stub(address, length, name);
}

void JNICALL on_thread_start(jvmtiEnv* jvmti, JNIEnv* jni, jthread thread) {
    Agent* agent = the_agent();
    if (agent != nullptr && agent->profiler) agent->profiler->on_thread_start(jvmti, jni, thread);
}

void JNICALL on_sampled_object_alloc(jvmtiEnv*, JNIEnv* jni, jthread, jobject, jclass object_class, jlong size) {
    Agent* agent = the_agent();
    if (agent != nullptr && agent->profiler) agent->profiler->alloc_engine().on_sampled_alloc(jni, object_class, size);
}

void JNICALL on_monitor_contended_enter(jvmtiEnv*, JNIEnv*, jthread, jobject) {
    Agent* agent = the_agent();
    if (agent != nullptr && agent->profiler) agent->profiler->lock_engine().on_contended_enter();
}

void JNICALL on_monitor_contended_entered(jvmtiEnv*, JNIEnv* jni, jthread, jobject object) {
    Agent* agent = the_agent();
    if (agent != nullptr && agent->profiler) agent->profiler->lock_engine().on_contended_entered(jni, object);
}

void JNICALL on_vm_init(jvmtiEnv* jvmti, JNIEnv*, jthread) {
    Agent* agent = the_agent();
    prepare_loaded_classes(jvmti);
    if (agent->startup_options.action == Action::kDiagnose) {
        std::string page;
        Status started = agent->diagnosis->start(agent->startup_options, &page);
        if (!started.is_ok()) log().error("cannot start the diagnosis: {}", started.message());
        return;
    }
    if (agent->startup_options.action != Action::kStart) return;
    Status started = agent->profiler->start(agent->startup_options);
    if (!started.is_ok()) log().error("cannot start profiling: {}", started.message());
}

void JNICALL on_vm_death(jvmtiEnv*, JNIEnv* jni) {
    // Reports asked for at exit first, while every thread is still there to be dumped.
    the_agent()->report_schedule->on_vm_death(jni);
    // A diagnosis still open is cut short and its page written; it ends its profiler session itself, so that
    // the profiler's shut-down below finds nothing to write as files.
    the_agent()->diagnosis->shut_down();
    the_agent()->profiler->shut_down();
    // A sampling window still open is cut short; its thread must not outlive the VM's shutdown. The object
    // stays, so that a command arriving now gets an error rather than a dangling pointer.
    the_agent()->thread_sampling->shut_down();
}

Status check(jvmtiError error, const char* what) {
    if (error == JVMTI_ERROR_NONE) return Status::ok();
    return Status::error(std::string(what) + " failed with JVMTI error " + std::to_string(error));
}

}  // namespace

Status enable_jvm_events(jvmtiEnv* jvmti, bool live_phase) {
    jvmtiCapabilities wanted{};
    // Enabling CompiledMethodLoad also makes the JIT record debug information at non-safepoint pcs (HotSpot's
    // DebugNonSafepoints behaviour), which AsyncGetCallTrace needs to attribute inlined frames correctly.
    wanted.can_generate_compiled_method_load_events = 1;
    wanted.can_get_source_file_name = 1;
    wanted.can_get_line_numbers = 1;
    if (Status added = check(jvmti->AddCapabilities(&wanted), "AddCapabilities"); !added.is_ok()) return added;
    // Helps match running threads to kernel threads (java_threads.h); without it names are matched by prefix.
    jvmtiCapabilities cpu_time{};
    cpu_time.can_get_thread_cpu_time = 1;
    jvmti->AddCapabilities(&cpu_time);

    jvmtiEventCallbacks callbacks{};
    callbacks.ClassLoad = on_class_load;
    callbacks.ClassPrepare = on_class_prepare;
    callbacks.CompiledMethodLoad = on_compiled_method_load;
    callbacks.CompiledMethodUnload = on_compiled_method_unload;
    callbacks.DynamicCodeGenerated = on_dynamic_code_generated;
    callbacks.ThreadStart = on_thread_start;
    callbacks.VMInit = on_vm_init;
    callbacks.VMDeath = on_vm_death;
    // Enabled only while an alloc or lock session runs (AllocEngine, LockEngine).
    callbacks.SampledObjectAlloc = on_sampled_object_alloc;
    callbacks.MonitorContendedEnter = on_monitor_contended_enter;
    callbacks.MonitorContendedEntered = on_monitor_contended_entered;
    if (Status set = check(jvmti->SetEventCallbacks(&callbacks, sizeof(callbacks)), "SetEventCallbacks");
        !set.is_ok()) {
        return set;
    }
    const jvmtiEvent events[] = {JVMTI_EVENT_CLASS_LOAD,
                                 JVMTI_EVENT_CLASS_PREPARE,
                                 JVMTI_EVENT_COMPILED_METHOD_LOAD,
                                 JVMTI_EVENT_COMPILED_METHOD_UNLOAD,
                                 JVMTI_EVENT_DYNAMIC_CODE_GENERATED,
                                 JVMTI_EVENT_THREAD_START,
                                 JVMTI_EVENT_VM_INIT,
                                 JVMTI_EVENT_VM_DEATH};
    for (jvmtiEvent event : events) {
        if (live_phase && event == JVMTI_EVENT_VM_INIT) continue;
        Status enabled = check(jvmti->SetEventNotificationMode(JVMTI_ENABLE, event, nullptr), "enabling an event");
        if (!enabled.is_ok()) return enabled;
    }
    return Status::ok();
}

void prepare_loaded_classes(jvmtiEnv* jvmti) {
    jint count = 0;
    jclass* classes = nullptr;
    if (jvmti->GetLoadedClasses(&count, &classes) == JVMTI_ERROR_NONE) {
        for (jint i = 0; i < count; i++) create_method_ids(jvmti, classes[i]);
        jvmti->Deallocate(reinterpret_cast<unsigned char*>(classes));
    }
    jvmti->GenerateEvents(JVMTI_EVENT_COMPILED_METHOD_LOAD);
    // The interpreter, stubs and adapters generated before we were loaded (attach) or enabled.
    jvmti->GenerateEvents(JVMTI_EVENT_DYNAMIC_CODE_GENERATED);
}

}  // namespace hotframe
