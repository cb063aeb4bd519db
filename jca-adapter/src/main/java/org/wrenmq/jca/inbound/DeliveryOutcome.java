package org.wrenmq.jca.inbound;

import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * Enlisted in the transaction of each transacted delivery only to learn how it ended: a bean may mark its
 * transaction rollback-only without throwing, and such a message must not be acknowledged. It holds no state of
 * its own to prepare or recover (the broker keeps the unacknowledged message), hence no recovery.
 */
final class DeliveryOutcome implements XAResource {

    private volatile boolean rolledBack;

    void reset() {
        rolledBack = false;
    }

    boolean rolledBack() {
        return rolledBack;
    }

    @Override
    public void rollback(Xid xid) {
        rolledBack = true;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) {
        // the acknowledgement follows once the delivery has returned
    }

    @Override
    public int prepare(Xid xid) {
        return XA_OK;
    }

    @Override
    public void start(Xid xid, int flags) {
        // nothing to associate
    }

    @Override
    public void end(Xid xid, int flags) {
        // nothing to dissociate
    }

    @Override
    public void forget(Xid xid) {
        // never heuristic
    }

    @Override
    public Xid[] recover(int flag) {
        return new Xid[0];
    }

    @Override
    public boolean isSameRM(XAResource other) {
        return other == this;
    }

    @Override
    public int getTransactionTimeout() {
        return 0;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) {
        return false;
    }
}
