package org.wrenmq.shell;

import java.util.TreeMap;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.wrenmq.api.MqttBroker;

@Service
@Command(scope = "wrenmq", name = "stats",
        description = "Prints the broker's counters (messages, connections, limits).")
public class StatsCommand implements Action {

    @Reference
    MqttBroker broker;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Counter");
        table.column("Value").alignRight();
        new TreeMap<>(broker.counters()).forEach((name, value) -> table.addRow().addContent(name, value));
        table.print(System.out);
        return null;
    }
}
