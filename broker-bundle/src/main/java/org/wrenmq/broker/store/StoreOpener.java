package org.wrenmq.broker.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.BrokerConfig;
import org.wrenmq.broker.BrokerStartException;

/**
 * Opens the store the configuration asks for and reads it back. A store file that cannot be read is, by default,
 * moved aside as {@code wrenmq.db.corrupt-TIMESTAMP} with a loud log line, and the broker starts empty; with
 * {@code persistence_on_corruption fail} the broker refuses to start instead.
 */
public final class StoreOpener {
    private static final Logger LOG = LoggerFactory.getLogger(StoreOpener.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** The open store and what it held. */
    public record Opened(MessageStore store, MessageStore.Recovered recovered) {
    }

    private StoreOpener() {
    }

    public static Opened open(BrokerConfig config) {
        if (!config.persistence()) {
            MessageStore memory = new MemoryStore();
            return new Opened(memory, memory.recover());
        }
        Path dir = config.persistenceLocation();
        Path file = dir.resolve(MvStore.FILE_NAME);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BrokerStartException("cannot create persistence_location " + dir + ": " + e, e);
        }
        try {
            return read(file, config);
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            if (config.failOnCorruptStore()) {
                throw new BrokerStartException(file + ": the store cannot be read (" + why + "); not starting "
                        + "because persistence_on_corruption is fail. Move the file away to start empty.", e);
            }
            Path aside = file.resolveSibling(MvStore.FILE_NAME + ".corrupt-" + LocalDateTime.now().format(STAMP));
            try {
                Files.move(file, aside);
            } catch (IOException moveFailed) {
                throw new BrokerStartException(file + ": the store cannot be read (" + why
                        + ") and cannot be moved aside: " + moveFailed, moveFailed);
            }
            LOG.error("STORE CORRUPT: {} cannot be read ({}). Moved it aside to {} and starting with an EMPTY "
                    + "store: sessions, queued and retained messages in it are not restored. Set "
                    + "persistence_on_corruption fail to refuse to start instead.", file, why, aside);
            return read(file, config);
        }
    }

    private static Opened read(Path file, BrokerConfig config) {
        MvStore store = new MvStore(file, config.persistenceFsync(), config.persistenceSyncInterval());
        try {
            return new Opened(store, store.recover());
        } catch (RuntimeException e) {
            store.abandon();
            throw e;
        }
    }
}
