package org.wrenmq.broker.handler;

/**
 * The event a connection's pipeline gets when reading it resumes after a pause ({@link ReadPause}): the codec then
 * decodes the packets it kept back, which no further read may bring up again.
 */
public enum ReadingResumed {
    EVENT
}
