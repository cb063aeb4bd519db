package org.wrenmq.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {

    @Test
    void showsMedianOfRunsAndRatioOfFirstToSecondBroker() {
        ResultTable table = new ResultTable(List.of("wrenmq", "mosquitto"));
        table.add("fan-in", "wrenmq", List.of(Metric.higher("msg/s", 100)));
        table.add("fan-in", "wrenmq", List.of(Metric.higher("msg/s", 900)));
        table.add("fan-in", "wrenmq", List.of(Metric.higher("msg/s", 300)));
        table.add("fan-in", "mosquitto", List.of(Metric.higher("msg/s", 150)));

        String markdown = table.markdown();

        assertThat(markdown).contains("| wrenmq/mosquitto |");
        assertThat(markdown.lines().filter(l -> l.contains("msg/s")).findFirst().orElseThrow())
                .contains("300").contains("150").contains("2.00").contains("higher");
    }

    @Test
    void showsTheLowestAndHighestRatioOfRunsPairedInOrder() {
        ResultTable table = new ResultTable(List.of("wrenmq", "mosquitto"));
        for (double[] run : new double[][] {{500, 1000}, {900, 600}, {700, 700}}) {
            table.add("latency", "wrenmq", List.of(Metric.lower("p99 µs", run[0])));
            table.add("latency", "mosquitto", List.of(Metric.lower("p99 µs", run[1])));
        }

        String markdown = table.markdown();

        assertThat(markdown).contains("| ratio per run |");
        assertThat(markdown.lines().filter(l -> l.contains("p99")).findFirst().orElseThrow())
                .contains(" 700.0 |").contains(" 1.00 |").contains(" 0.50–1.50 |");
    }

    @Test
    void marksABrokerWhoseRunFailed() {
        ResultTable table = new ResultTable(List.of("wrenmq", "mosquitto"));
        table.reserve("latency");
        table.add("latency", "mosquitto", List.of(Metric.lower("p99 µs", 800)));

        assertThat(table.markdown()).contains("failed").contains("–");
    }
}
