package org.wrenmq.bench.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises the CPU samples of a JFR recording: the hottest methods by own time, the hottest methods of one
 * package prefix by own-or-callee time, and which of that code sits nearest the top of each stack.
 * <pre>  HotSpots RECORDING.jfr org.wrenmq [TOP]</pre>
 */
public final class HotSpots {
    private HotSpots() {
    }

    public static void main(String[] args) throws IOException {
        Path recording = Path.of(args[0]);
        String prefix = args[1];
        int top = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> nearestTop = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            RecordedStackTrace stack = event.getStackTrace();
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || stack == null
                    || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            threads.merge(threadGroup(event), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            boolean nearestFound = false;
            for (RecordedFrame frame : frames) {
                String name = name(frame);
                if (!name.startsWith(prefix)) {
                    continue;
                }
                if (!nearestFound) {
                    nearestTop.merge(name, 1, Integer::sum);
                    nearestFound = true;
                }
                if (seen.add(name)) {
                    inclusive.merge(name, 1, Integer::sum);
                }
            }
        }
        System.out.printf("%d CPU samples in %s%n", samples, recording);
        print("threads (names with digits folded)", threads, samples, top);
        print("hottest methods, own time", self, samples, top);
        print("hottest " + prefix + " methods, own time plus callees", inclusive, samples, top);
        print(prefix + " frame nearest the top of the stack", nearestTop, samples, top);
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String threadGroup(RecordedEvent event) {
        var thread = event.getThread("sampledThread");
        return thread == null ? "?" : String.valueOf(thread.getJavaName()).replaceAll("\\d+", "N");
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.printf("%n%s:%n", title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / samples, e.getKey()));
    }
}
