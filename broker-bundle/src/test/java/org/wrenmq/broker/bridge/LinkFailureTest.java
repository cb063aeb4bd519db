package org.wrenmq.broker.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderException;
import java.net.ConnectException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class LinkFailureTest {

    @Test
    void aWrongCaReadsAsTheVerifiersOwnWordsWithTheSettingsToCheck() {
        SSLHandshakeException handshake = new SSLHandshakeException("PKIX path building failed");
        handshake.initCause(new Exception("unable to find valid certification path to requested target"));

        String line = LinkFailure.describe(new DecoderException(handshake));

        assertThat(line).startsWith("TLS handshake failed: unable to find valid certification path")
                .contains("bridge_cafile/bridge_capath", "bridge_insecure").doesNotContain("DecoderException");
    }

    @Test
    void anAlertFromTheRemoteIsAFailedHandshakeToo() {
        String line = LinkFailure.describe(new SSLException("error:1000045c:SSL routines:OPENSSL_internal:"
                + "TLSV1_ALERT_CERTIFICATE_REQUIRED"));

        assertThat(line).startsWith("TLS handshake failed: ").contains("CERTIFICATE_REQUIRED", "bridge_certfile");
    }

    @Test
    void otherFailuresAreShownAsThey() {
        assertThat(LinkFailure.describe(new ConnectException("Connection refused")))
                .isEqualTo("java.net.ConnectException: Connection refused");
    }
}
