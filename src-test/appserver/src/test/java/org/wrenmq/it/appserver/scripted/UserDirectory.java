package org.wrenmq.it.appserver.scripted;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A user's directory as the pages assume it: the RAR where the build leaves it, so that their {@code cp} finds it. */
final class UserDirectory {

    private UserDirectory() {
    }

    static Path withBuiltRar(Path user) throws IOException {
        Path built = user.resolve("jca-adapter/target/jca-adapter-" + System.getProperty("wrenmq.version") + ".rar");
        Files.createDirectories(built.getParent());
        Files.copy(Path.of(System.getProperty("wrenmq.rar")), built);
        return user;
    }
}
