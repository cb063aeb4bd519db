/**
 * The {@code wrenmq:*} Karaf shell commands. They use only the API services ({@code MqttBroker},
 * {@code MqttPublisher}), so they live in their own bundle and the broker bundle does not depend on Karaf.
 */
package org.wrenmq.shell;
