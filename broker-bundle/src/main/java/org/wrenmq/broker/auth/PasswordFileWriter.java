package org.wrenmq.broker.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Writes mosquitto password files as mosquitto 2's {@code mosquitto_passwd} does: one
 * {@code user:$7$101$SALT$HASH} line per user, PBKDF2-HMAC-SHA512 with 101 iterations, a 12-byte random salt
 * and a 64-byte hash, both in base64 with padding. mosquitto and {@link PasswordFile} read the result.
 *
 * <p>Other lines (other users, comments, blank lines) are kept as they are; the new file replaces the old one
 * in one rename, so a broker reloading it never sees half a file.
 */
public final class PasswordFileWriter {
    /** mosquitto's {@code PW_DEFAULT_ITERATIONS}. */
    public static final int ITERATIONS = 101;
    /** mosquitto's {@code SALT_LEN}. */
    public static final int SALT_BYTES = 12;
    /** SHA-512's output, the length mosquitto stores. */
    public static final int HASH_BYTES = 64;

    private final SecureRandom random;

    public PasswordFileWriter(SecureRandom random) {
        this.random = random;
    }

    public PasswordFileWriter() {
        this(new SecureRandom());
    }

    /** {@code user:$7$101$SALT$HASH}, a fresh salt each call. */
    public String line(String user, String password) {
        requireValidUser(user);
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = PasswordFile.pbkdf2(password.getBytes(StandardCharsets.UTF_8), salt, ITERATIONS,
                HASH_BYTES * 8);
        Base64.Encoder base64 = Base64.getEncoder();
        return user + ":$7$" + ITERATIONS + "$" + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
    }

    /** {@code mosquitto_passwd -c}: a new file holding only this user, replacing any file already there. */
    public void create(Path file, String user, String password) throws IOException {
        replace(file, List.of(line(user, password)));
    }

    /** Adds the user, or changes the password of the user already in the file. */
    public void set(Path file, String user, String password) throws IOException {
        String newLine = line(user, password);
        List<String> lines = new ArrayList<>();
        boolean found = false;
        for (String old : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (user.equals(userOf(old))) {
                if (!found) {
                    lines.add(newLine);
                }
                found = true;
            } else {
                lines.add(old);
            }
        }
        if (!found) {
            lines.add(newLine);
        }
        replace(file, lines);
    }

    /** {@code mosquitto_passwd -D}: removes the user; false when the file has no such user. */
    public boolean delete(Path file, String user) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        boolean removed = lines.removeIf(line -> user.equals(userOf(line)));
        if (removed) {
            replace(file, lines);
        }
        return removed;
    }

    /**
     * {@code mosquitto_passwd -U}: hashes every plain {@code user:password} line. Unlike mosquitto's, lines already
     * hashed ({@code $7$}, {@code $6$}) are left alone, so running it twice does not lock everybody out.
     *
     * @return how many lines were hashed
     */
    public int upgrade(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        int hashed = 0;
        for (String old : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String user = userOf(old);
            String secret = user == null ? null : old.strip().substring(user.length() + 1);
            if (user == null || secret.startsWith("$7$") || secret.startsWith("$6$")) {
                lines.add(old);
            } else {
                lines.add(line(user, secret));
                hashed++;
            }
        }
        replace(file, lines);
        return hashed;
    }

    /** mosquitto refuses the same names: the file's separator, or nothing. */
    public static void requireValidUser(String user) {
        if (user.isEmpty()) {
            throw new IllegalArgumentException("empty user name");
        }
        if (user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("user name must not contain ':'");
        }
    }

    /** The user name of a {@code user:...} line; null for comments and blank lines. */
    private static String userOf(String line) {
        String s = line.strip();
        int colon = s.indexOf(':');
        return s.isEmpty() || s.startsWith("#") || colon <= 0 ? null : s.substring(0, colon);
    }

    /**
     * Writes beside the file and renames over it. The new file keeps the old one's permissions; a file created
     * here gets the process's umask, as mosquitto_passwd's do (the broker may run as another user).
     */
    private void replace(Path file, List<String> lines) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(random.nextLong()) + ".tmp");
        try {
            Files.write(temp, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            if (Files.exists(file) && Files.getFileStore(temp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(file));
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
