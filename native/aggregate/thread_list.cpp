#include "native/aggregate/thread_list.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace hotframe {

std::vector<pid_t> list_process_threads() {
    std::vector<pid_t> tids;
    DIR* dir = opendir("/proc/self/task");
    if (dir == nullptr) return tids;
    while (dirent* entry = readdir(dir)) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
        tids.push_back(static_cast<pid_t>(std::atoi(entry->d_name)));
    }
    closedir(dir);
    return tids;
}

ProcessThreadCounter::ProcessThreadCounter()
    : directory_fd_(open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {}

ProcessThreadCounter::~ProcessThreadCounter() {
    if (directory_fd_ >= 0) close(directory_fd_);
}

int ProcessThreadCounter::count() const {
    struct stat info;
    if (directory_fd_ < 0 || fstat(directory_fd_, &info) != 0 || info.st_nlink < 3) return -1;
    return static_cast<int>(info.st_nlink - 2);
}

clockid_t thread_cpu_clock(pid_t tid) { return static_cast<clockid_t>((~static_cast<unsigned>(tid) << 3) | 6u); }

std::string kernel_thread_name(pid_t tid) {
    std::ifstream comm("/proc/self/task/" + std::to_string(tid) + "/comm");
    std::string name;
    std::getline(comm, name);
    return name;
}

}  // namespace hotframe
