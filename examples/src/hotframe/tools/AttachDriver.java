package hotframe.tools;

import com.sun.tools.attach.VirtualMachine;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Drives many agent commands into one JVM through the attach API, far faster than one jcmd process per
 * command: for each cycle it sends start, dump and stop, and it prints the target's resident set size after
 * the first, the middle and the last cycle. Used by the stress tests of repeated attach. The start options rotate through
 * the '|'-separated list given (default: cpu at 100 us).
 * Each session runs for the given milliseconds before its dump (default 0).
 * Usage: AttachDriver <pid> <libagent.so> <cycles> <output directory> [start options|...] [session ms]
 */
public final class AttachDriver {
    public static void main(String[] args) throws Exception {
        String pid = args[0];
        String agent = args[1];
        int cycles = Integer.parseInt(args[2]);
        String directory = args[3];
        String[] starts = (args.length > 4 ? args[4] : "start,interval=100us").split("\\|");
        long sessionMillis = args.length > 5 ? Long.parseLong(args[5]) : 0;
        VirtualMachine vm = VirtualMachine.attach(pid);
        try {
            for (int cycle = 1; cycle <= cycles; cycle++) {
                vm.loadAgentPath(agent, starts[(cycle - 1) % starts.length]);
                if (sessionMillis > 0) Thread.sleep(sessionMillis);
                vm.loadAgentPath(agent, "dump,file=" + directory + "/dump.collapsed");
                vm.loadAgentPath(agent, "stop,file=" + directory + "/stop.collapsed");
                if (cycle == 1 || cycle == cycles / 2 || cycle == cycles) {
                    System.out.println("cycle " + cycle + " rss_kb " + residentKb(pid));
                    System.out.flush();
                }
            }
        } finally {
            vm.detach();
        }
    }

    private static long residentKb(String pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }
}
