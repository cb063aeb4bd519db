/**
 * The broker as OSGi Declarative Services components: a thin adapter over the plain Java
 * {@link org.wrenmq.broker.Broker}.
 *
 * <ul>
 *   <li>{@link org.wrenmq.broker.osgi.BrokerComponent} runs one broker per Config Admin configuration of pid
 *       {@code org.wrenmq.broker} (described by {@link org.wrenmq.broker.osgi.BrokerConfiguration}) and registers it
 *       as the {@code MqttBroker} and {@code MqttPublisher} services.</li>
 *   <li>{@link org.wrenmq.broker.osgi.ListenerWhiteboard} subscribes every {@code MqttMessageListener} service to
 *       the topic filters in its service properties, one in-VM session per listener.</li>
 * </ul>
 *
 * Private: other bundles see only the services, typed by the API bundle's interfaces.
 */
package org.wrenmq.broker.osgi;
