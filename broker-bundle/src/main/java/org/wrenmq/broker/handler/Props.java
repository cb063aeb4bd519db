package org.wrenmq.broker.handler;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import java.util.ArrayList;
import java.util.List;
import org.wrenmq.api.UserProperty;

/** Reading MQTT 5 properties from Netty's {@link MqttProperties} without casts at every call site. */
final class Props {
    private Props() {
    }

    static Integer integer(MqttProperties props, MqttPropertyType type) {
        MqttProperties.MqttProperty<?> p = props.getProperty(type.value());
        return p == null ? null : (Integer) p.value();
    }

    static int integer(MqttProperties props, MqttPropertyType type, int absent) {
        Integer v = integer(props, type);
        return v == null ? absent : v;
    }

    /** Four-byte integers (expiry intervals, packet size) travel as a signed int: read them unsigned. */
    static long unsigned(MqttProperties props, MqttPropertyType type, long absent) {
        Integer v = integer(props, type);
        return v == null ? absent : Integer.toUnsignedLong(v);
    }

    static String string(MqttProperties props, MqttPropertyType type) {
        MqttProperties.MqttProperty<?> p = props.getProperty(type.value());
        return p == null ? null : (String) p.value();
    }

    static byte[] binary(MqttProperties props, MqttPropertyType type) {
        MqttProperties.MqttProperty<?> p = props.getProperty(type.value());
        return p == null ? null : (byte[]) p.value();
    }

    static List<UserProperty> userProperties(MqttProperties props) {
        List<? extends MqttProperties.MqttProperty> all = props.getProperties(MqttPropertyType.USER_PROPERTY.value());
        if (all.isEmpty()) {
            return List.of();
        }
        List<UserProperty> out = new ArrayList<>(all.size());
        for (MqttProperties.MqttProperty<?> p : all) {
            if (p instanceof MqttProperties.UserProperty) {
                MqttProperties.StringPair pair = ((MqttProperties.UserProperty) p).value();
                out.add(new UserProperty(pair.key, pair.value));
            } else if (p instanceof MqttProperties.UserProperties) {
                for (MqttProperties.StringPair pair : ((MqttProperties.UserProperties) p).value()) {
                    out.add(new UserProperty(pair.key, pair.value));
                }
            }
        }
        return out;
    }

    static void addInt(MqttProperties props, MqttPropertyType type, int value) {
        props.add(new MqttProperties.IntegerProperty(type.value(), value));
    }

    static void addString(MqttProperties props, MqttPropertyType type, String value) {
        if (value != null) {
            props.add(new MqttProperties.StringProperty(type.value(), value));
        }
    }

    static void addBinary(MqttProperties props, MqttPropertyType type, byte[] value) {
        if (value != null) {
            props.add(new MqttProperties.BinaryProperty(type.value(), value));
        }
    }
}
