package org.wrenmq.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessProbeTest {

    @Test
    void readsCpuTimeAndResidentMemoryOfThisJvm() {
        ProcessProbe self = ProcessProbe.self(100);
        long spin = 0;
        for (int i = 0; i < 50_000_000; i++) {
            spin += i ^ spin;
        }

        assertThat(self.cpuNanos()).as("after spinning %d", spin).isPositive();
        assertThat(self.rssBytes()).isGreaterThan(1024 * 1024);
    }

    @Test
    void countsTheJitCompilerThreadsOfThisJvmAsPartOfItsCpuTime() {
        ProcessProbe self = ProcessProbe.self(100);

        // JUnit and the test classes were compiled by HotSpot's C1/C2 threads before this test ran
        long compiler = self.compilerCpuNanos();
        assertThat(compiler).isPositive();
        assertThat(compiler).isLessThanOrEqualTo(self.cpuNanos());
    }
}
