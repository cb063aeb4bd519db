package org.wrenmq.broker.handler;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.concurrent.CompletionStage;
import org.wrenmq.broker.routing.RemoteNodes;

/**
 * Stops reading a publisher's connection while a cluster node its messages go to is too far behind with what this
 * node sent it ({@code cluster_max_inflight_messages}): the client's next packets wait in its socket, so the
 * publisher is slowed as by a full TCP window, and nothing is dropped. Reading resumes once the node has caught up
 * (or left the cluster). The codec stops at the packet that paused it and keeps the rest of what it read until then
 * ({@link ReadingResumed}).
 * Meanwhile the keepalive check leaves the connection alone: its silence is the broker's doing.
 */
final class ReadPause {
    private static final AttributeKey<ReadPause> KEY = AttributeKey.valueOf("wrenmq.cluster-read-pause");

    /** What the connection waits for before it is read again; null while it is read. On its event loop only. */
    private CompletionStage<Void> waitingFor;

    private ReadPause() {
    }

    /** Pauses {@code c} until {@code room} completes; nothing when it is {@link RemoteNodes#NOTHING_TO_WAIT}. */
    static void until(MqttConnectionHandler c, CompletionStage<Void> room) {
        if (room == RemoteNodes.NOTHING_TO_WAIT) {
            return;
        }
        Channel channel = c.channel;
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> until(c, room));
            return;
        }
        if (c.closing) {
            return;
        }
        ReadPause pause = channel.attr(KEY).get();
        if (pause == null) {
            pause = new ReadPause();
            channel.attr(KEY).set(pause);
        }
        if (pause.waitingFor == room) {
            return; // a later message of the same read, for the same node
        }
        pause.waitingFor = room;
        channel.config().setAutoRead(false);
        ReadPause paused = pause;
        room.whenComplete((ok, failure) -> channel.eventLoop().execute(() -> paused.resume(c, room)));
    }

    /** Whether {@code c} is not read now because a cluster node is behind. On its event loop. */
    static boolean paused(MqttConnectionHandler c) {
        ReadPause pause = c.channel.attr(KEY).get();
        return pause != null && pause.waitingFor != null;
    }

    private void resume(MqttConnectionHandler c, CompletionStage<Void> room) {
        if (waitingFor != room) {
            return; // paused again since, for another node: that one's room resumes it
        }
        waitingFor = null;
        c.lastPacketNanos = c.broker.clock().nanos();
        if (!c.closing) {
            c.channel.config().setAutoRead(true);
            c.channel.pipeline().fireUserEventTriggered(ReadingResumed.EVENT);
        }
    }
}
