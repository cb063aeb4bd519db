package org.wrenmq.broker.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes as a stored message, queue entry or session: decoded, or refused as corruption
 * ({@link StoreCorruptException}), never with any other exception. What decodes survives being written and read
 * again unchanged (the bytes themselves may differ, e.g. any non-zero byte reads as true and is written as 1).
 * Seeds: {@code src/test/resources/org/wrenmq/broker/store/StoreCodecFuzzTestsInputs/}.
 */
class StoreCodecFuzzTests {

    @FuzzTest(maxDuration = "15s")
    void anyStoredRecord(byte[] record) {
        try {
            byte[] written = StoreCodec.message(StoreCodec.message(record));
            assertThat(StoreCodec.message(StoreCodec.message(written))).isEqualTo(written);
        } catch (StoreCorruptException expected) {
            // refused as corruption: what the store then does is tested with its corrupt store files
        }
        try {
            byte[] written = StoreCodec.entry(StoreCodec.entry(1, record));
            assertThat(StoreCodec.entry(StoreCodec.entry(1, written))).isEqualTo(written);
        } catch (StoreCorruptException expected) {
            // as above
        }
        try {
            byte[] written = StoreCodec.session(StoreCodec.session("client", record));
            assertThat(StoreCodec.session(StoreCodec.session("client", written))).isEqualTo(written);
        } catch (StoreCorruptException expected) {
            // as above
        }
    }
}
