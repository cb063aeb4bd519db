package org.wrenmq.broker.http;

import org.wrenmq.broker.auth.Authorizer;
import org.wrenmq.broker.auth.ClientAccess;

/**
 * A logged-in console user and what the broker's {@code acl_file} lets them do, by the rules an MQTT client with
 * the same user name and the client id {@link #CLIENT_ID} gets. Topics: browsing a retained message needs read
 * access to its topic; publishing and deleting a retained message need write access. The views of other clients
 * need read access to {@link #ADMIN_TOPIC}, disconnecting a client write access: {@code #} does not match a
 * {@code $} topic, so only a rule that names it grants it, as mosquitto's {@code $CONTROL/...} topics. Without an
 * acl_file everything is allowed, as for MQTT clients.
 */
record ConsoleUser(String name, ClientAccess access) {
    /** The client id that {@code %c} in the acl_file's pattern lines stands for. */
    static final String CLIENT_ID = "wrenmq-console";
    static final String ADMIN_TOPIC = "$CONTROL/wrenmq/admin";

    /** @param name "" for anonymous */
    static ConsoleUser of(String name, Authorizer authorizer) {
        return new ConsoleUser(name, authorizer.access(CLIENT_ID, name.isEmpty() ? null : name));
    }

    boolean maySeeClients() {
        return access.grants(ADMIN_TOPIC, false);
    }

    boolean mayDisconnect() {
        return access.grants(ADMIN_TOPIC, true);
    }

    boolean mayBrowse(String topic) {
        return access.grants(topic, false);
    }

    boolean mayWrite(String topic) {
        return access.grants(topic, true);
    }
}
