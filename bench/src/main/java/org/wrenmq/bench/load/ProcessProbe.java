package org.wrenmq.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Reads a process's CPU time (utime + stime, all threads, so a JVM's JIT and GC threads count too) and its
 * resident memory from /proc. Linux only, as the whole benchmark is.
 */
final class ProcessProbe {
    /** utime is field 14 and stime field 15 of /proc/PID/stat; counted from the state field (3) after "comm". */
    private static final int UTIME_AFTER_COMM = 11;

    private final Path tasks;
    private final Path stat;
    private final Path status;
    private final long nanosPerTick;

    ProcessProbe(long pid, long clockTicksPerSecond) {
        this.tasks = Path.of("/proc", Long.toString(pid), "task");
        this.stat = Path.of("/proc", Long.toString(pid), "stat");
        this.status = Path.of("/proc", Long.toString(pid), "status");
        this.nanosPerTick = 1_000_000_000L / clockTicksPerSecond;
    }

    static ProcessProbe self(long clockTicksPerSecond) {
        return new ProcessProbe(ProcessHandle.current().pid(), clockTicksPerSecond);
    }

    /** CPU time the process has used so far, user plus system, in nanoseconds (resolution one clock tick). */
    long cpuNanos() {
        return ticks(read(stat)) * nanosPerTick;
    }

    /**
     * CPU time of the process's JIT compiler threads (HotSpot's "C1/C2 CompilerThreadN"), in nanoseconds; 0 for a
     * process that has none. Threads that ended are not counted: HotSpot keeps its compiler threads.
     */
    long compilerCpuNanos() {
        try (Stream<Path> threads = Files.list(tasks)) {
            return threads.filter(t -> read(t.resolve("comm")).matches("C[12] CompilerThre.*\\s*"))
                    .mapToLong(t -> ticks(read(t.resolve("stat")))).sum() * nanosPerTick;
        } catch (IOException | UncheckedIOException e) {
            return 0; // a thread ended while being read: this figure is informative only
        }
    }

    /** utime + stime of a /proc stat line. */
    private static long ticks(String line) {
        // the command name may contain spaces and parentheses: the fields start after the last ')'
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[UTIME_AFTER_COMM]) + Long.parseLong(fields[UTIME_AFTER_COMM + 1]);
    }

    /** Resident set size in bytes (VmRSS). */
    long rssBytes() {
        for (String line : read(status).split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).replace("kB", "").trim()) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in " + status);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (has the broker exited?)", e);
        }
    }
}
