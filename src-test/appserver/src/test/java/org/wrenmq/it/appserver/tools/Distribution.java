package org.wrenmq.it.appserver.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** A server's distribution zip unpacked as a user unpacks it, for tests that run the server's own scripts. */
public final class Distribution {

    private Distribution() {
    }

    /**
     * Empties {@code target}, then unpacks the zip into it without the zip's one top directory (as
     * {@code --strip-components=1} would). Files under a {@code bin/} directory become executable: the zip's unix
     * permissions are lost through java.util.zip, and the scripts are what must run.
     */
    public static Path unpack(Path zip, Path target) throws IOException {
        deleteRecursively(target);
        Files.createDirectories(target);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                String name = entry.getName().substring(entry.getName().indexOf('/') + 1);
                Path path = target.resolve(name).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("zip entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(in, path);
                    if (path.getParent().getFileName().toString().equals("bin")) {
                        path.toFile().setExecutable(true);
                    }
                }
            }
        }
        return target;
    }

    public static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
