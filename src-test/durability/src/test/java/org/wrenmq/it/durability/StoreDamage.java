package org.wrenmq.it.durability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/** Ways a {@code wrenmq.db} gets damaged: a disk that filled up, a block of zeros, something else's bytes. */
enum StoreDamage {
    /** The first 1,000 bytes of a real store: cut inside the file header. */
    TRUNCATED {
        @Override
        void apply(Path file) throws IOException {
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(bytes, Math.min(bytes.length, 1_000)));
        }
    },
    /** A real store cut to half its length: whole chunks lost behind a readable header. */
    TRUNCATED_HALF {
        @Override
        void apply(Path file) throws IOException {
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        }
    },
    /** A real store's length of zero bytes. */
    ZEROED {
        @Override
        void apply(Path file) throws IOException {
            Files.write(file, new byte[(int) Files.size(file)]);
        }
    },
    /** 64 KB of random bytes. */
    GARBAGE {
        @Override
        void apply(Path file) throws IOException {
            byte[] bytes = new byte[64 * 1024];
            new Random(42).nextBytes(bytes);
            Files.write(file, bytes);
        }
    };

    abstract void apply(Path file) throws IOException;
}
