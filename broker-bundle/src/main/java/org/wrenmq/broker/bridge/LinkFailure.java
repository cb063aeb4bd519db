package org.wrenmq.broker.bridge;

import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Why a connection to the remote failed, in one line an operator can act on: Netty wraps TLS errors in a
 * DecoderException whose text repeats the class names, so the innermost cause is shown with a hint at the setting
 * to check.
 */
final class LinkFailure {
    private LinkFailure() {
    }

    static String describe(Throwable cause) {
        SSLException tls = find(cause, SSLException.class);
        if (tls == null) {
            return String.valueOf(cause);
        }
        Throwable root = tls;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String what = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        // an alert from the remote (TLSV1_ALERT_CERTIFICATE_REQUIRED...) may come after the client's side of the handshake
        boolean alert = String.valueOf(tls.getMessage()).toLowerCase(Locale.ROOT).contains("alert");
        if (tls instanceof SSLHandshakeException || alert) {
            return "TLS handshake failed: " + what + " (check bridge_cafile/bridge_capath for the remote's CA, "
                    + "bridge_certfile/bridge_keyfile if it requires a client certificate, bridge_insecure for a "
                    + "certificate that does not name this address)";
        }
        return "TLS: " + what;
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
