package org.wrenmq.broker.routing;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.ArrayList;
import java.util.List;

/** A subscriber that keeps what it was given, for tests of the trees and the router without sessions. */
final class FakeSubscriber implements Subscriber {
    final String clientId;
    final List<Delivery> received = new ArrayList<>();
    boolean online = true;
    private long seq;

    FakeSubscriber(String clientId) {
        this.clientId = clientId;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public EventExecutor executor() {
        return ImmediateEventExecutor.INSTANCE;
    }

    @Override
    public boolean isOnline() {
        return online;
    }

    @Override
    public boolean isPersistent() {
        return false;
    }

    @Override
    public long nextStoreSeq() {
        return ++seq;
    }

    @Override
    public void enqueueOrSend(Delivery d) {
        received.add(d);
    }

    @Override
    public String toString() {
        return clientId;
    }
}
