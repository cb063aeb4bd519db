package org.wrenmq.broker;

/** The broker could not start: a port could not be bound, or a file it needs could not be read. */
public class BrokerStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BrokerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
