package org.wrenmq.shell;

/** The protocol level byte of CONNECT as people call the version. */
final class MqttVersions {
    private MqttVersions() {
    }

    static String name(int protocolLevel) {
        switch (protocolLevel) {
            case 3: return "3.1";
            case 4: return "3.1.1";
            case 5: return "5.0";
            default: return Integer.toString(protocolLevel);
        }
    }
}
