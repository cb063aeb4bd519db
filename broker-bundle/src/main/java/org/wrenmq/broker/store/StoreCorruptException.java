package org.wrenmq.broker.store;

/** The store file cannot be read as a WrenMQ store. */
public class StoreCorruptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreCorruptException(String message) {
        super(message);
    }

    public StoreCorruptException(String message, Throwable cause) {
        super(message, cause);
    }
}
