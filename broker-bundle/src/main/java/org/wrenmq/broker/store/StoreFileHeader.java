package org.wrenmq.broker.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What an MVStore file's header promises, checked before and after opening it.
 *
 * <p>Why: MVStore opens a file cut short by rolling back to the last chunk still complete in it. That is right for
 * a write torn by a crash (the header then still names the previous chunk) but it would also hide the loss of
 * chunks that were complete and synced, i.e. acknowledged messages. The header (text such as
 * {@code H:2,block:21,blockSize:1000,...,version:15}, numbers in hex) names the block and version of a chunk
 * known to be complete: if the file ends before that block, or the store opens at an older version, data that was
 * made durable is gone, and the file counts as corrupt.
 */
final class StoreFileHeader {
    private static final int HEADER_BYTES = 4096;

    private final Path file;
    private final long fileSize;
    private final Map<String, String> fields;

    private StoreFileHeader(Path file, long fileSize, Map<String, String> fields) {
        this.file = file;
        this.fileSize = fileSize;
        this.fields = fields;
    }

    /** Reads the header of an existing file; a missing or empty file has nothing to check. */
    static StoreFileHeader read(Path file) {
        Map<String, String> fields = new HashMap<>();
        long size = 0;
        try {
            if (Files.exists(file)) {
                size = Files.size(file);
                byte[] head;
                try (InputStream in = Files.newInputStream(file)) {
                    head = in.readNBytes(HEADER_BYTES);
                }
                String text = new String(head, StandardCharsets.ISO_8859_1);
                int end = text.indexOf('\n');
                for (String pair : (end < 0 ? text : text.substring(0, end)).split(",")) {
                    int colon = pair.indexOf(':');
                    if (colon > 0) {
                        fields.put(pair.substring(0, colon), pair.substring(colon + 1));
                    }
                }
            }
        } catch (IOException e) {
            throw new StoreCorruptException("cannot read " + file + ": " + e, e);
        }
        StoreFileHeader header = new StoreFileHeader(file, size, fields);
        header.checkLength();
        return header;
    }

    private void checkLength() {
        Long block = hex("block");
        Long blockSize = hex("blockSize");
        if (block != null && blockSize != null && block * blockSize >= fileSize) {
            throw new StoreCorruptException("truncated: the header names a chunk at byte " + block * blockSize
                    + " but the file has " + fileSize + " bytes");
        }
    }

    /** @throws StoreCorruptException when the store opened at an older version than its header names */
    void checkOpenedVersion(long opened) {
        Long promised = hex("version");
        if (promised != null && opened < promised) {
            throw new StoreCorruptException("truncated or damaged: the header names version " + promised
                    + " but only version " + opened + " could be read from " + file);
        }
    }

    private Long hex(String key) {
        String v = fields.get(key);
        try {
            return v == null ? null : Long.parseLong(v, 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
