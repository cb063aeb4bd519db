package org.wrenmq.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Figures side by side: one column per broker, then the ratio first/second (e.g. WrenMQ/mosquitto), and which
 * direction is better so the ratio can be read without thinking. A workload run several times shows the median
 * of each figure, which keeps one run disturbed by another process on the machine out of the table, and the
 * lowest and highest ratio of the runs paired in the order they ran (the brokers take turns), which shows how
 * far a single run can be trusted.
 */
final class ResultTable {
    private final List<String> targets;
    /** workload title -> broker name -> figures of each run */
    private final Map<String, Map<String, List<List<Metric>>>> results = new LinkedHashMap<>();

    ResultTable(List<String> targets) {
        this.targets = targets;
    }

    /** Reserves the workload's rows, so the table keeps the declared order whatever order the runs had. */
    void reserve(String workload) {
        results.computeIfAbsent(workload, w -> new LinkedHashMap<>());
    }

    void add(String workload, String target, List<Metric> metrics) {
        results.computeIfAbsent(workload, w -> new LinkedHashMap<>())
                .computeIfAbsent(target, t -> new ArrayList<>()).add(metrics);
    }

    void failed(String workload, String target, Throwable cause) {
        System.err.printf("  %s against %s failed: %s%n", workload, target, cause);
    }

    /** A GitHub markdown table, readable as plain text too. */
    String markdown() {
        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("Workload", "Figure"));
        header.addAll(targets);
        boolean perRun = targets.size() >= 2 && results.values().stream()
                .anyMatch(byTarget -> runs(byTarget, 0) >= 2 && runs(byTarget, 1) >= 2);
        if (targets.size() >= 2) {
            header.add(targets.get(0) + "/" + targets.get(1));
        }
        if (perRun) {
            header.add("ratio per run");
        }
        header.add("better");
        rows.add(header.toArray(String[]::new));
        results.forEach((workload, byTarget) -> {
            boolean first = true;
            for (String name : metricNames(byTarget)) {
                List<String> row = new ArrayList<>();
                row.add(first ? workload : "");
                row.add(name);
                first = false;
                Double[] values = new Double[targets.size()];
                Metric.Better better = Metric.Better.NEITHER;
                for (int i = 0; i < targets.size(); i++) {
                    Metric m = median(byTarget.get(targets.get(i)), name);
                    values[i] = m == null ? null : m.value();
                    row.add(m == null ? "failed" : format(m.value()));
                    if (m != null) {
                        better = m.better();
                    }
                }
                if (targets.size() >= 2) {
                    row.add(values[0] == null || values[1] == null || values[1] == 0
                            ? "–" : String.format(Locale.ROOT, "%.2f", values[0] / values[1]));
                }
                if (perRun) {
                    row.add(ratioRange(byTarget, name));
                }
                row.add(switch (better) {
                    case HIGHER -> "higher";
                    case LOWER -> "lower";
                    case NEITHER -> "";
                });
                rows.add(row.toArray(String[]::new));
            }
        });
        return render(rows);
    }

    private static List<String> metricNames(Map<String, List<List<Metric>>> byTarget) {
        List<String> names = new ArrayList<>();
        byTarget.values().forEach(runs -> runs.forEach(ms -> ms.forEach(m -> {
            if (!names.contains(m.name())) {
                names.add(m.name());
            }
        })));
        return names;
    }

    private int runs(Map<String, List<List<Metric>>> byTarget, int target) {
        List<List<Metric>> runs = byTarget.get(targets.get(target));
        return runs == null ? 0 : runs.size();
    }

    /** "lowest–highest" of the first broker's figure over the second's, run by run; empty below two pairs. */
    private String ratioRange(Map<String, List<List<Metric>>> byTarget, String name) {
        List<Double> first = values(byTarget.get(targets.get(0)), name);
        List<Double> second = values(byTarget.get(targets.get(1)), name);
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        int pairs = 0;
        for (int i = 0; i < Math.min(first.size(), second.size()); i++) {
            double ratio = first.get(i) / second.get(i);
            if (Double.isFinite(ratio)) {
                low = Math.min(low, ratio);
                high = Math.max(high, ratio);
                pairs++;
            }
        }
        return pairs < 2 ? "" : String.format(Locale.ROOT, "%.2f–%.2f", low, high);
    }

    /** One figure's value in each run, in run order (a run without it is skipped). */
    private static List<Double> values(List<List<Metric>> runs, String name) {
        if (runs == null) {
            return List.of();
        }
        return runs.stream().flatMap(ms -> ms.stream().filter(m -> m.name().equals(name)))
                .map(Metric::value).toList();
    }

    /** The median over the runs of one figure (the upper one of an even count), or null if no run had it. */
    private static Metric median(List<List<Metric>> runs, String name) {
        if (runs == null) {
            return null;
        }
        List<Metric> values = runs.stream()
                .flatMap(ms -> ms.stream().filter(m -> m.name().equals(name)))
                .sorted(java.util.Comparator.comparingDouble(Metric::value))
                .toList();
        return values.isEmpty() ? null : values.get(values.size() / 2);
    }

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double abs = Math.abs(value);
        if (abs >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String render(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            appendRow(out, rows.get(r), widths);
            if (r == 0) {
                String[] rule = new String[columns];
                for (int c = 0; c < columns; c++) {
                    rule[c] = (c >= 2 && c < columns - 1 ? "-".repeat(widths[c] - 1) + ":" : "-".repeat(widths[c]));
                }
                appendRow(out, rule, widths);
            }
        }
        return out.toString();
    }

    private static void appendRow(StringBuilder out, String[] cells, int[] widths) {
        out.append('|');
        for (int c = 0; c < cells.length; c++) {
            String cell = cells[c];
            String pad = " ".repeat(widths[c] - cell.length());
            out.append(' ').append(c >= 2 && c < cells.length - 1 ? pad + cell : cell + pad).append(" |");
        }
        out.append('\n');
    }
}
