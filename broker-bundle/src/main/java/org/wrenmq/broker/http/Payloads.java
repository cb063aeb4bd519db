package org.wrenmq.broker.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** How the console shows a payload: as text when it is UTF-8, cut at {@link #MAX_SHOWN_CHARS}. */
final class Payloads {
    static final int MAX_SHOWN_CHARS = 2000;

    private Payloads() {
    }

    /** The payload as text, or null when it is not valid UTF-8 (binary). */
    static String asText(byte[] payload) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
            return text.length() > MAX_SHOWN_CHARS ? text.substring(0, MAX_SHOWN_CHARS) + "…" : text;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
