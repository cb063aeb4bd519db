package org.wrenmq.broker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** Writes the password and acl files a test's broker reads: mosquitto's formats, made without mosquitto's tools. */
public final class SecurityFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecurityFiles() {
    }

    /** A password file of {@code user:$7$101$SALT$HASH} lines (PBKDF2-SHA512, as mosquitto_passwd writes). */
    public static Path passwords(Path file, Map<String, String> passwordByUser) {
        StringBuilder out = new StringBuilder();
        passwordByUser.forEach((user, password) -> out.append(user).append(':').append(hash7(password)).append('\n'));
        return write(file, out.toString());
    }

    /** An acl_file of the given lines. */
    public static Path acl(Path file, String... lines) {
        return write(file, String.join("\n", lines) + "\n");
    }

    private static String hash7(String password) {
        byte[] salt = new byte[12];
        RANDOM.nextBytes(salt);
        try {
            byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, 101, 512)).getEncoded();
            Base64.Encoder b64 = Base64.getEncoder();
            return "$7$101$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path write(Path file, String text) {
        try {
            // written beside and moved, so a reload never reads half a file
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            return Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
