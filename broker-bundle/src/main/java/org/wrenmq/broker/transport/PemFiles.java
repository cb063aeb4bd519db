package org.wrenmq.broker.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.wrenmq.broker.ConfigException;

/**
 * Reads the PEM files mosquitto's listeners take: certificate chains, CRLs, and private keys in the three forms
 * OpenSSL writes (PKCS#8 {@code PRIVATE KEY}, PKCS#1 {@code RSA PRIVATE KEY}, SEC1 {@code EC PRIVATE KEY}).
 *
 * <p>The JDK reads only PKCS#8 keys, so PKCS#1 and SEC1 keys are wrapped into PKCS#8 here (a few bytes of DER
 * around the key). Encrypted keys are refused: mosquitto asks for their password on a terminal, which a service
 * does not have.
 */
final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);
    /** DER AlgorithmIdentifier of rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters. */
    private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
    /** DER OID id-ecPublicKey (1.2.840.10045.2.1). */
    private static final byte[] EC_PUBLIC_KEY_OID = hex("06072a8648ce3d0201");
    private static final byte[] VERSION_0 = hex("020100");

    private PemFiles() {
    }

    static List<X509Certificate> certificates(Path file, String key) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> out = new ArrayList<>();
            CertificateFactory.getInstance("X.509").generateCertificates(in)
                    .forEach(c -> out.add((X509Certificate) c));
            if (out.isEmpty()) {
                throw new ConfigException(key + " " + file + ": no PEM certificate in it");
            }
            return out;
        } catch (IOException e) {
            throw new ConfigException(key + " " + file + ": cannot read: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new ConfigException(key + " " + file + ": not a PEM certificate file: " + e.getMessage());
        }
    }

    static List<X509CRL> crls(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509CRL> out = new ArrayList<>();
            CertificateFactory.getInstance("X.509").generateCRLs(in).forEach(c -> out.add((X509CRL) c));
            if (out.isEmpty()) {
                throw new ConfigException("crlfile " + file + ": no PEM CRL in it");
            }
            return out;
        } catch (IOException e) {
            throw new ConfigException("crlfile " + file + ": cannot read: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new ConfigException("crlfile " + file + ": not a PEM CRL: " + e.getMessage());
        }
    }

    static PrivateKey privateKey(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigException("keyfile " + file + ": cannot read: " + e.getMessage());
        }
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            String body = m.group(2);
            if (type.equals("ENCRYPTED PRIVATE KEY") || body.contains("ENCRYPTED")) {
                throw new ConfigException("keyfile " + file + ": the key is encrypted; WrenMQ needs it without a "
                        + "password (decrypt it with: openssl pkey -in " + file + " -out key.pem)");
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("keyfile " + file + ": bad base64 in " + type + ": " + e.getMessage());
            }
            switch (type) {
                case "PRIVATE KEY": return pkcs8(file, der);
                case "RSA PRIVATE KEY": return pkcs8(file, sequence(VERSION_0, RSA_ALGORITHM, tlv(0x04, der)));
                case "EC PRIVATE KEY":
                    byte[] algorithm = sequence(EC_PUBLIC_KEY_OID, sec1CurveOid(file, der));
                    return pkcs8(file, sequence(VERSION_0, algorithm, tlv(0x04, der)));
                default:
                    // e.g. EC PARAMETERS written before the key by openssl ecparam -genkey
            }
        }
        throw new ConfigException("keyfile " + file + ": no PEM private key in it (PRIVATE KEY, RSA PRIVATE KEY "
                + "or EC PRIVATE KEY)");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new ConfigException("keyfile " + file + ": not an RSA, EC or EdDSA private key the JDK can read");
    }

    /** The named curve of a SEC1 ECPrivateKey: SEQUENCE { version, privateKey, [0] parameters, [1] publicKey }. */
    private static byte[] sec1CurveOid(Path file, byte[] der) {
        int[] pos = {0};
        readHeader(der, pos, 0x30);
        while (pos[0] < der.length) {
            int tag = der[pos[0]] & 0xFF;
            int length = readHeader(der, pos, tag);
            if (tag == 0xA0) {
                byte[] oid = new byte[length];
                System.arraycopy(der, pos[0], oid, 0, length);
                return oid;
            }
            pos[0] += length;
        }
        throw new ConfigException("keyfile " + file + ": the EC key does not name its curve");
    }

    /** Reads a tag and length at pos, leaves pos at the content; returns the content's length. */
    private static int readHeader(byte[] der, int[] pos, int expectedTag) {
        if (pos[0] + 2 > der.length || (der[pos[0]] & 0xFF) != expectedTag) {
            throw new ConfigException("keyfile: malformed DER in the private key");
        }
        int first = der[pos[0] + 1] & 0xFF;
        pos[0] += 2;
        if (first < 0x80) {
            return first;
        }
        int length = 0;
        for (int i = 0; i < (first & 0x7F); i++) {
            length = (length << 8) | (der[pos[0]++] & 0xFF);
        }
        return length;
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        return tlv(0x30, content.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xFFFFFF ? 4 : n > 0xFFFF ? 3 : n > 0xFF ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
