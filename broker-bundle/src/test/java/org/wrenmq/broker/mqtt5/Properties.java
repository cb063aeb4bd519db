package org.wrenmq.broker.mqtt5;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An ordered list of MQTT 5 properties, as a test writes them into a raw packet or as the broker sent them. Values
 * are {@code Long} for the integer kinds, {@code String}, {@code byte[]}, or {@code String[2]} for a user property.
 */
final class Properties {
    record Entry(Property property, Object value) {
    }

    private final List<Entry> entries = new ArrayList<>();

    static Properties none() {
        return new Properties();
    }

    Properties add(Property property, long value) {
        entries.add(new Entry(property, value));
        return this;
    }

    Properties add(Property property, String value) {
        entries.add(new Entry(property, value));
        return this;
    }

    Properties add(Property property, byte[] value) {
        entries.add(new Entry(property, value));
        return this;
    }

    Properties user(String name, String value) {
        entries.add(new Entry(Property.USER_PROPERTY, new String[] {name, value}));
        return this;
    }

    void addEntry(Entry entry) {
        entries.add(entry);
    }

    List<Entry> entries() {
        return entries;
    }

    boolean has(Property property) {
        return entries.stream().anyMatch(e -> e.property() == property);
    }

    Optional<Long> number(Property property) {
        return first(property).map(Long.class::cast);
    }

    Optional<String> string(Property property) {
        return first(property).map(String.class::cast);
    }

    Optional<byte[]> binary(Property property) {
        return first(property).map(byte[].class::cast);
    }

    /** Every value of a property that may appear more than once (user property, subscription identifier). */
    List<Object> all(Property property) {
        return entries.stream().filter(e -> e.property() == property).map(Entry::value).toList();
    }

    /** The user properties in the order they came, each as "name=value". */
    List<String> userProperties() {
        return all(Property.USER_PROPERTY).stream().map(v -> ((String[]) v)[0] + "=" + ((String[]) v)[1]).toList();
    }

    private Optional<Object> first(Property property) {
        return entries.stream().filter(e -> e.property() == property).map(Entry::value).findFirst();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (Entry e : entries) {
            Object v = e.value();
            String shown = v instanceof String[] pair ? pair[0] + "=" + pair[1]
                    : v instanceof byte[] bytes ? bytes.length + " bytes" : String.valueOf(v);
            s.append(s.length() > 1 ? ", " : "").append(e.property()).append('=').append(shown);
        }
        return s.append('}').toString();
    }
}
