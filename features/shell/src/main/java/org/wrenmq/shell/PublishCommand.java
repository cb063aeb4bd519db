package org.wrenmq.shell;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.api.MqttPublisher;

@Service
@Command(scope = "wrenmq", name = "publish", description = "Publishes a UTF-8 text message through the broker.")
public class PublishCommand implements Action {

    /** How long the command waits for the broker to accept (and, for QoS 1/2, store) the message. */
    static final long ACCEPT_TIMEOUT_SECONDS = 10;

    @Reference
    MqttPublisher publisher;

    @Argument(index = 0, name = "topic", required = true, description = "The topic name (no wildcards).")
    String topic;

    @Argument(index = 1, name = "message", required = true, description = "The payload, as UTF-8 text.")
    String message;

    @Option(name = "-q", aliases = "--qos", description = "QoS 0, 1 or 2 (default 0).")
    int qos;

    @Option(name = "-r", aliases = "--retain", description = "Retain the message for later subscribers.")
    boolean retain;

    /** Karaf reads options only before the arguments; mosquitto_pub users write them anywhere. */
    @Argument(index = 2, name = "options", multiValued = true,
            description = "-q QOS and -r may also follow the message.")
    List<String> trailingOptions;

    @Override
    public Object execute() throws Exception {
        applyTrailingOptions();
        MqttMessage mqttMessage = MqttMessage.builder(topic).payload(message).qos(qos).retain(retain).build();
        publisher.publish(mqttMessage).toCompletableFuture().get(ACCEPT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        System.out.println("Published " + mqttMessage);
        return null;
    }

    private void applyTrailingOptions() {
        if (trailingOptions == null) {
            return;
        }
        Iterator<String> options = trailingOptions.iterator();
        while (options.hasNext()) {
            String option = options.next();
            if ((option.equals("-q") || option.equals("--qos")) && options.hasNext()) {
                qos = Integer.parseInt(options.next());
            } else if (option.equals("-r") || option.equals("--retain")) {
                retain = true;
            } else {
                throw new IllegalArgumentException("unexpected '" + option + "': wrenmq:publish [-q QOS] [-r] "
                        + "TOPIC MESSAGE");
            }
        }
    }
}
