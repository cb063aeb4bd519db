package org.wrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wrenmq.it.support.ClientProcess;
import org.wrenmq.it.support.DocPage;

/**
 * docs/durability.md's measurement run as printed ({@code src-test/durability/measure.sh 20000}, from the
 * checkout's root) with fewer messages ({@value #MESSAGES} instead of 20,000: the figures are the page's, what
 * the test checks is what they say). Each broker of the page's table is in the output, in the page's order, every
 * message of each phase acknowledged, and after kill -9 the subscriber gets back what the page says: all of them
 * from WrenMQ with a store, none without one nor from mosquitto.
 */
@DisplayName("docs/durability.md as printed")
class DurabilityPageIT {
    private static final DocPage PAGE = DocPage.read("durability.md");
    private static final String SECTION = "## Throughput cost";
    private static final int PRINTED_MESSAGES = 20_000;
    private static final int MESSAGES = 2_000;
    private static final Pattern ROW = Pattern.compile("(.+?) +\\| online: (\\d+) acknowledged.*\\| offline: (\\d+) "
            + "acknowledged.*\\| after kill -9: drain: (\\d+) delivered");

    @RegisterExtension
    final Launched launched = new Launched();


    @Test
    @DisplayName("measure.sh: every broker of the page, acknowledged messages back after kill -9 as the page says")
    void measureShAsPrinted() {
        String command = PAGE.inlineCode(SECTION, "src-test/durability/measure.sh");
        assertThat(command).endsWith(" " + PRINTED_MESSAGES);
        List<Row> printed = rows(PAGE.codeBlockWith(SECTION, "QoS 1, "));
        assertThat(printed).as("the page's table").hasSizeGreaterThan(2);

        ClientProcess run = launched.shell(Path.of(Launched.requiredPath("wrenmq.root")),
                command.replace(" " + PRINTED_MESSAGES, " " + MESSAGES));
        assertThat(run.awaitExit(Duration.ofMinutes(8))).as("measure.sh; output:%n%s", run.output()).isZero();
        List<Row> measured = rows(run.output());

        // the page's rows, in its order (the script may print more rows than the page shows)
        assertThat(measured).extracting(Row::broker).containsSubsequence(printed.stream().map(Row::broker).toList());
        for (Row page : printed) {
            Row row = measured.stream().filter(r -> r.broker().equals(page.broker())).findFirst().orElseThrow();
            assertThat(row.online()).as("%s online acknowledged", row.broker()).isEqualTo(MESSAGES);
            assertThat(row.offline()).as("%s offline acknowledged", row.broker()).isEqualTo(MESSAGES);
            assertThat(row.drained()).as("%s after kill -9 (the page: %d of %d)", row.broker(), page.drained(),
                    PRINTED_MESSAGES).isEqualTo(page.drained() == PRINTED_MESSAGES ? MESSAGES : page.drained());
        }
    }

    private record Row(String broker, int online, int offline, int drained) {
    }

    private static List<Row> rows(String text) {
        return text.lines().map(ROW::matcher).filter(Matcher::matches).map(m -> new Row(m.group(1).trim(),
                Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)))).toList();
    }
}
