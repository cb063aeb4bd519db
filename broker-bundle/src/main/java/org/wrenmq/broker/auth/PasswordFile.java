package org.wrenmq.broker.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.wrenmq.broker.ConfigException;

/**
 * A mosquitto password file, as written by {@code mosquitto_passwd}: one {@code user:hash} per line, where hash
 * is {@code $7$ITERATIONS$SALT$HASH} (PBKDF2-HMAC-SHA512, mosquitto 2's default) or {@code $6$SALT$HASH}
 * (SHA-512 of password then salt), salt and hash in base64. Existing mosquitto files work unchanged.
 */
public final class PasswordFile {
    /**
     * The most PBKDF2 iterations a hash may ask for: mosquitto_passwd writes 101, and a million already costs about
     * a second of CPU per CONNECT. More would let one line of the file stall the broker.
     */
    private static final int MAX_ITERATIONS = 1_000_000;
    private final Map<String, String> hashes;

    private PasswordFile(Map<String, String> hashes) {
        this.hashes = hashes;
    }

    /** @throws ConfigException with {@code FILE:LINE: what is wrong} */
    public static PasswordFile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read password file: " + e.getMessage());
        }
        Map<String, String> hashes = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String hash = colon < 0 ? "" : line.substring(colon + 1);
            if (colon <= 0 || !(hash.startsWith("$7$") || hash.startsWith("$6$")) || parts(hash) == null) {
                throw new ConfigException(file + ":" + (i + 1)
                        + ": expected user:$7$... or user:$6$... as written by mosquitto_passwd");
            }
            hashes.put(line.substring(0, colon), hash);
        }
        return new PasswordFile(hashes);
    }

    public boolean contains(String user) {
        return hashes.containsKey(user);
    }

    public boolean verify(String user, byte[] password) {
        String stored = hashes.get(user);
        if (stored == null || password == null) {
            return false;
        }
        String[] p = parts(stored);
        byte[] expected = Base64.getDecoder().decode(p[p.length - 1]);
        byte[] salt = Base64.getDecoder().decode(p[p.length - 2]);
        byte[] actual = stored.startsWith("$7$")
                ? pbkdf2(password, salt, Integer.parseInt(p[2]), expected.length * 8)
                : sha512(password, salt);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Splits {@code $7$it$salt$hash} / {@code $6$salt$hash}; null when malformed. */
    private static String[] parts(String hash) {
        String[] p = hash.split("\\$");
        try {
            if (hash.startsWith("$7$") && p.length == 5) {
                int iterations = Integer.parseInt(p[2]);
                if (iterations < 1 || iterations > MAX_ITERATIONS) {
                    return null;
                }
            } else if (!(hash.startsWith("$6$") && p.length == 4)) {
                return null;
            }
            // PBKDF2 refuses an empty salt, and neither hash is worth anything without one
            boolean empty = Base64.getDecoder().decode(p[p.length - 2]).length == 0
                    || Base64.getDecoder().decode(p[p.length - 1]).length == 0;
            return empty ? null : p;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** PBKDF2-HMAC-SHA512, shared with {@link PasswordFileWriter} so both sides hash the same way. */
    static byte[] pbkdf2(byte[] password, byte[] salt, int iterations, int bits) {
        char[] chars = new String(password, StandardCharsets.UTF_8).toCharArray();
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                    .generateSecret(new PBEKeySpec(chars, salt, iterations, bits)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA512 is part of every Java 17 runtime", e);
        }
    }

    private static byte[] sha512(byte[] password, byte[] salt) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            md.update(password);
            md.update(salt);
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-512 is part of every Java 17 runtime", e);
        }
    }
}
