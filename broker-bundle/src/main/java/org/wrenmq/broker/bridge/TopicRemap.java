package org.wrenmq.broker.bridge;

import java.util.List;
import org.wrenmq.broker.BridgeConfig;
import org.wrenmq.broker.routing.Topics;

/**
 * mosquitto's topic remapping (lib/send_publish.c for out, src/bridge_topic.c for in): the first {@code topic}
 * line of the direction whose filter matches decides; its prefix on this side is removed (when the topic starts
 * with it) and the other side's prefix is added. A topic no remapping line matches passes unchanged.
 */
final class TopicRemap {
    private final List<BridgeConfig.Topic> topics;

    TopicRemap(List<BridgeConfig.Topic> topics) {
        this.topics = List.copyOf(topics);
    }

    /** A local topic as the remote broker gets it. */
    String toRemote(String localTopic) {
        for (BridgeConfig.Topic t : topics) {
            if (t.direction().out() && t.remaps() && Topics.matches(t.localFilter(), localTopic)) {
                return swap(localTopic, t.localPrefix(), t.remotePrefix());
            }
        }
        return localTopic;
    }

    /** A remote topic as local subscribers get it. */
    String toLocal(String remoteTopic) {
        for (BridgeConfig.Topic t : topics) {
            if (t.direction().in() && t.remaps() && Topics.matches(t.remoteFilter(), remoteTopic)) {
                return swap(remoteTopic, t.remotePrefix(), t.localPrefix());
            }
        }
        return remoteTopic;
    }

    private static String swap(String topic, String remove, String add) {
        String rest = remove != null && topic.startsWith(remove) ? topic.substring(remove.length()) : topic;
        return add == null ? rest : add + rest;
    }
}
