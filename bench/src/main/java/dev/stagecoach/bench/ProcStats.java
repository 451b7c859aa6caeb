package dev.stagecoach.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resident memory and CPU time of processes, and the machine's CPU, from Linux's /proc:
 * {@code VmRSS} of /proc/PID/status, {@code utime + stime} of /proc/PID/stat (all threads),
 * and the {@code cpu} line of /proc/stat.
 */
final class ProcStats {

    /** One reading of one process. */
    record Usage(long rssKb, long cpuTicks) {
    }

    /** The readings of several processes and of the machine, taken together. */
    record Reading(long atNanos, Map<String, Usage> processes, long machineBusyTicks, long machineTotalTicks) {
    }

    /** CPU used between two readings, in % of one core (200 % is both cores of a 2-core machine). */
    record CpuShare(Map<String, Double> processes, double machine, double others) {
    }

    static final long TICKS_PER_SECOND = ticksPerSecond();
    static final int CORES = Runtime.getRuntime().availableProcessors();

    private ProcStats() {
    }

    static Reading read(Map<String, Long> pids) {
        Map<String, Usage> usages = new LinkedHashMap<>();
        pids.forEach((name, pid) -> usages.put(name, usage(pid)));
        long[] machine = machineTicks();
        return new Reading(System.nanoTime(), usages, machine[0], machine[1]);
    }

    static CpuShare between(Reading before, Reading after) {
        double seconds = (after.atNanos() - before.atNanos()) / 1e9;
        Map<String, Double> shares = new LinkedHashMap<>();
        double ours = 0;
        for (var entry : after.processes().entrySet()) {
            Usage was = before.processes().get(entry.getKey());
            if (was == null || was.cpuTicks() < 0 || entry.getValue().cpuTicks() < 0) {
                continue;
            }
            double share = 100.0 * (entry.getValue().cpuTicks() - was.cpuTicks()) / TICKS_PER_SECOND / seconds;
            shares.put(entry.getKey(), share);
            ours += share;
        }
        long total = after.machineTotalTicks() - before.machineTotalTicks();
        double machine = total <= 0 ? 0 : 100.0 * CORES * (after.machineBusyTicks() - before.machineBusyTicks()) / total;
        return new CpuShare(shares, machine, Math.max(0, machine - ours));
    }

    /** VmRSS and utime + stime of one process; -1 for what cannot be read (the process is gone). */
    static Usage usage(long pid) {
        long rss = -1;
        long ticks = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            ticks = Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
        } catch (IOException | RuntimeException e) {
            // A process that ended has no /proc entry: its usage is unknown, not zero.
        }
        return new Usage(rss, ticks);
    }

    /** {busy, total} ticks of all CPUs since boot. */
    static long[] machineTicks() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.UTF_8).get(0);
            String[] fields = cpu.trim().split("\\s+");
            long total = 0;
            long idle = 0;
            // user nice system idle iowait irq softirq steal (guest time is already in user)
            for (int i = 1; i <= Math.min(8, fields.length - 1); i++) {
                long value = Long.parseLong(fields[i]);
                total += value;
                if (i == 4 || i == 5) {
                    idle += value;
                }
            }
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).trim().split("\\s+");
            return fields[0] + " / " + fields[1] + " / " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Bytes of all files under {@code dir}, or -1 when it cannot be walked. */
    static long diskUsage(Path dir) {
        try (var paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    // USER_HZ is 100 on every mainstream Linux build; ask getconf in case this one differs.
    private static long ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder(List.of("getconf", "CLK_TCK")).redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (getconf.waitFor() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the usual value
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
