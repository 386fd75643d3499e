#include "agent/cpu_budget.h"

#include <sched.h>
#include <time.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace hotframe {

namespace {

// The tightest quota along a cgroup v2 path: a parent's limit binds its children too.
double cgroup_v2_quota(std::string path) {
    double tightest = 0;
    while (true) {
        std::ifstream file("/sys/fs/cgroup" + path + "/cpu.max");
        std::string quota;
        double period = 0;
        if (file >> quota >> period && quota != "max" && period > 0) {
            double cpus = std::strtod(quota.c_str(), nullptr) / period;
            if (tightest == 0 || cpus < tightest) tightest = cpus;
        }
        if (path.empty() || path == "/") break;
        path = path.substr(0, path.rfind('/'));
    }
    return tightest;
}

double cgroup_v1_quota(const std::string& path) {
    std::ifstream quota_file("/sys/fs/cgroup/cpu,cpuacct" + path + "/cpu.cfs_quota_us");
    std::ifstream period_file("/sys/fs/cgroup/cpu,cpuacct" + path + "/cpu.cfs_period_us");
    double quota = 0, period = 0;
    if (!(quota_file >> quota) || !(period_file >> period) || quota <= 0 || period <= 0) return 0;
    return quota / period;
}

// The quota of our cgroup, 0 when there is none.
double cgroup_quota() {
    std::ifstream cgroups("/proc/self/cgroup");
    std::string line;
    while (std::getline(cgroups, line)) {
        // "0::/system.slice/app.service" (v2) or "4:cpu,cpuacct:/docker/..." (v1).
        size_t first = line.find(':'), second = line.find(':', first + 1);
        if (first == std::string::npos || second == std::string::npos) continue;
        std::string controllers = line.substr(first + 1, second - first - 1);
        std::string path = line.substr(second + 1);
        if (controllers.empty()) return cgroup_v2_quota(path);
        if (controllers.find("cpu") != std::string::npos) return cgroup_v1_quota(path);
    }
    return 0;
}

}  // namespace

double available_cpus() {
    cpu_set_t set;
    CPU_ZERO(&set);
    double cpus = sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 1;
    double quota = cgroup_quota();
    return quota > 0 && quota < cpus ? quota : cpus;
}

double process_cpu_seconds() {
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

}  // namespace hotframe
