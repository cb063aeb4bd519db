package org.wrenmq.it.appserver.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** A server's distribution zip unpacked as {@code unzip} would, minus its one top directory. */
public final class Unzip {

    private Unzip() {
    }

    /**
     * Unpacks {@code zip} into {@code target}, dropping the top directory every entry starts with (as
     * {@code tar --strip-components=1}), and makes the {@code .sh} scripts of {@code bin/} executable again
     * (java.util.zip loses unix permissions).
     */
    public static Path stripTopDirectory(Path zip, Path target) throws IOException {
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
                }
            }
        }
        try (Stream<Path> scripts = Files.list(target.resolve("bin"))) {
            scripts.filter(p -> p.toString().endsWith(".sh")).forEach(p -> p.toFile().setExecutable(true));
        }
        return target;
    }
}
