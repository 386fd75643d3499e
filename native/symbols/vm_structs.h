// Off the signal path. Reads the layout tables libjvm.so exports for the serviceability agent
// (gHotSpotVMStructs, gHotSpotVMTypes, gHotSpotVMIntConstants, gHotSpotVMLongConstants) once at start into the
// VmLayout the Java stack walker reads in the signal handler, and adds what the tables do not carry from one
// table of version constants (vm_structs.cpp), each citing the HotSpot change it follows. Anything missing
// makes the whole layout unusable: the caller then walks with AsyncGetCallTrace and logs the name returned here.
#pragma once

#include <string>

#include "native/capture/vm_layout.h"

namespace hotframe {

namespace vm_structs {

struct LayoutResult {
    VmLayout layout;      // layout.ready is false when something was missing
    std::string missing;  // the first entry that was missing or out of range, e.g. "JavaThread::_anchor"
};

// `feature_version` is the JDK's (17, 25, ...), from java.vm.specification.version. `hidden` names one table entry
// ("Type::field", a type name or a constant) to treat as absent: a test hook (HOTFRAME_HIDE_VMSTRUCT) proving
// that a missing entry means falling back. Reads libjvm's tables through dlsym, so the JVM must be loaded.
LayoutResult read_layout(int feature_version, const std::string& hidden);

}  // namespace vm_structs

}  // namespace hotframe
