package org.wrenmq.broker;

/** A configuration key or value the broker cannot accept. The message says which and why. */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
