package org.wrenmq.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.wrenmq.api.MqttBroker;

@Service
@Command(scope = "wrenmq", name = "clients",
        description = "Lists the broker's sessions: connected clients and persistent sessions of disconnected ones.")
public class ClientsCommand implements Action {

    @Reference
    MqttBroker broker;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Client id");
        table.column("Connected");
        table.column("Address");
        table.column("MQTT");
        table.column("Persistent");
        table.column("Inflight").alignRight();
        table.column("Queued").alignRight();
        for (MqttBroker.ClientInfo client : broker.clients()) {
            table.addRow().addContent(client.clientId(), client.connected(),
                    client.remoteAddress() == null ? "" : client.remoteAddress(),
                    MqttVersions.name(client.protocolVersion()), client.persistent(), client.inflight(),
                    client.queued());
        }
        table.print(System.out);
        return null;
    }
}
