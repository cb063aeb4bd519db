package org.wrenmq.shell;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.wrenmq.api.MqttBroker;

@Service
@Command(scope = "wrenmq", name = "bridges",
        description = "Lists the bridges (connection blocks): state, remote address, messages waiting, forwarded, "
                + "received and dropped.")
public class BridgesCommand implements Action {

    @Reference
    MqttBroker broker;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("State");
        table.column("Remote");
        table.column("Remote client id");
        table.column("Waiting").alignRight();
        table.column("Forwarded").alignRight();
        table.column("Received").alignRight();
        table.column("Dropped");
        for (MqttBroker.BridgeInfo bridge : broker.bridges()) {
            table.addRow().addContent(bridge.name(), bridge.state().name().toLowerCase(Locale.ROOT),
                    bridge.remoteAddress() == null ? "" : bridge.remoteAddress(), bridge.remoteClientId(),
                    bridge.waiting(), bridge.forwarded(), bridge.received(), dropped(bridge.dropped()));
        }
        table.print(System.out);
        return null;
    }

    /** "0", or the reasons that dropped any: {@code qos0_offline=3 too_large=1}. */
    private static String dropped(Map<String, Long> byReason) {
        String nonZero = byReason.entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        return nonZero.isEmpty() ? "0" : nonZero;
    }
}
