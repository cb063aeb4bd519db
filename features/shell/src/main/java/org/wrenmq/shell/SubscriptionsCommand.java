package org.wrenmq.shell;

import java.util.Comparator;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.wrenmq.api.MqttBroker;
import org.wrenmq.api.MqttBroker.SubscriptionInfo;

@Service
@Command(scope = "wrenmq", name = "subscriptions", description = "Lists subscriptions: client id, topic filter, QoS.")
public class SubscriptionsCommand implements Action {

    @Reference
    MqttBroker broker;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Client id");
        table.column("Topic filter");
        table.column("QoS").alignRight();
        broker.subscriptions().stream()
                .sorted(Comparator.comparing(SubscriptionInfo::clientId).thenComparing(SubscriptionInfo::topicFilter))
                .forEach(s -> table.addRow().addContent(s.clientId(), s.topicFilter(), s.qos().value()));
        table.print(System.out);
        return null;
    }
}
