#include "native/symbols/loaded_objects.h"

#include <link.h>
#include <unistd.h>

#include <algorithm>

#include "native/symbols/elf_file.h"

namespace hotframe {

namespace {

bool inside(const std::vector<MappedRange>& mapped, uintptr_t low, uintptr_t size) {
    return std::any_of(mapped.begin(), mapped.end(), [&](const MappedRange& range) {
        return low >= range.low && low <= range.high && size <= range.high - low;
    });
}

int collect(struct dl_phdr_info* info, size_t, void* data) {
    auto* objects = static_cast<std::vector<LoadedObject>*>(data);
    LoadedObject object{info->dlpi_name != nullptr ? info->dlpi_name : "",
                        "",
                        static_cast<uintptr_t>(info->dlpi_addr),
                        UINTPTR_MAX,
                        0,
                        nullptr,
                        {},
                        ""};
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr)& segment = info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + segment.p_vaddr;
        if (segment.p_type == PT_GNU_EH_FRAME) object.eh_frame_hdr = reinterpret_cast<const uint8_t*>(start);
        if (segment.p_type != PT_LOAD) continue;
        if ((segment.p_flags & PF_R) != 0) object.mapped.push_back(MappedRange{start, start + segment.p_memsz});
        if ((segment.p_flags & PF_X) == 0) continue;
        object.code_low = std::min(object.code_low, start);
        object.code_high = std::max(object.code_high, static_cast<uintptr_t>(start + segment.p_memsz));
    }
    // Read from memory only inside the object's loaded segments (notes always are; a damaged header is not
    // believed), in 4- or 8-byte padding as the segment says, and only small note segments.
    for (int i = 0; i < info->dlpi_phnum && object.build_id.empty(); i++) {
        const ElfW(Phdr)& segment = info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + segment.p_vaddr;
        bool align_known = segment.p_align == 4 || segment.p_align == 8;
        if (segment.p_type != PT_NOTE || !align_known || segment.p_memsz > 65536 ||
            !inside(object.mapped, start, segment.p_memsz)) {
            continue;
        }
        object.build_id =
            gnu_build_id_in_notes(reinterpret_cast<const unsigned char*>(start), segment.p_memsz, segment.p_align);
    }
    if (object.code_high != 0) objects->push_back(std::move(object));
    return 0;
}

}  // namespace

std::vector<LoadedObject> loaded_objects() {
    std::vector<LoadedObject> objects;
    dl_iterate_phdr(collect, &objects);
    for (LoadedObject& object : objects) {
        object.path = object.name;
        if (object.path.empty()) {
            // The main program has an empty name; its file is /proc/self/exe.
            char exe[4096];
            ssize_t length = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
            object.path = length > 0 ? std::string(exe, static_cast<size_t>(length)) : "[program]";
        }
    }
    return objects;
}

std::optional<LoadedObject> find_loaded_object(std::string_view name_part) {
    for (LoadedObject& object : loaded_objects()) {
        if (!object.name.empty() && object.name.find(name_part) != std::string::npos) return std::move(object);
    }
    return std::nullopt;
}

unsigned long long loaded_objects_generation() {
    unsigned long long generation = 0;
    dl_iterate_phdr(
        [](struct dl_phdr_info* info, size_t, void* data) {
            *static_cast<unsigned long long*>(data) = info->dlpi_adds + info->dlpi_subs;
            return 1;  // the counters are the same in every entry: one is enough
        },
        &generation);
    return generation;
}

}  // namespace hotframe
