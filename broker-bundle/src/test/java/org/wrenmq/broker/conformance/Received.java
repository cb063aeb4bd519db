package org.wrenmq.broker.conformance;

/** A message as a Paho client received it. */
record Received(String topic, String payload, int qos, boolean retained, boolean duplicate) {
}
