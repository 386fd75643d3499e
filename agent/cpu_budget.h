// What the process may use of the machine and what it used: the CPUs it may run on (affinity, and the cgroup's
// CPU quota, which is what limits a container) and its CPU time so far. For the advice at the end of a profile.
#pragma once

namespace hotframe {

// The CPUs this process may use: the smaller of its affinity mask and its cgroup's quota (cgroup v2 cpu.max
// along the path to the root, or v1 cpu.cfs_quota_us / cpu.cfs_period_us), which may be fractional.
double available_cpus();

// The process's CPU time (user and system, every thread) so far, in seconds.
double process_cpu_seconds();

}  // namespace hotframe
