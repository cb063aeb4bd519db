package org.wrenmq.it.appserver.probe;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.stream.Collectors;
import org.wrenmq.api.MqttMessage;
import org.wrenmq.it.appserver.beans.Point;
import org.wrenmq.it.appserver.beans.Publisher;
import org.wrenmq.it.appserver.beans.Received;
import org.wrenmq.it.appserver.beans.cdi.CdiShop;
import org.wrenmq.it.appserver.beans.cdi.Reading;

/**
 * The test application's door for a test that runs outside the server (no Arquillian): it makes the
 * {@link Publisher} EJB (or the CDI bean {@link CdiShop}) publish and tells what the message-driven beans and
 * observer methods recorded in {@link Received}, as plain text. One line per message: {@code topic TAB payload TAB content type TAB name=value;name=value}.
 */
@WebServlet("/probe/*")
public class ProbeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    private Publisher publisher;

    @EJB
    private Received received;

    @Inject
    private CdiShop shop;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        PrintWriter out = response.getWriter();
        String topic = request.getParameter("topic");
        try {
            switch (String.valueOf(request.getPathInfo())) {
                case "/publish" -> publisher.publish(topic, request.getParameter("text"));
                case "/publish-and-roll-back" -> publisher.publishAndRollBack(topic, request.getParameter("text"));
                case "/publish-json" -> publisher.publishJson(topic, new Point(request.getParameter("name"),
                        Integer.parseInt(request.getParameter("x")), Integer.parseInt(request.getParameter("y"))));
                case "/publish-many" -> publisher.publishMany(topic, Integer.parseInt(request.getParameter("count")));
                case "/cdi/publish" -> shop.publish(topic, request.getParameter("text"));
                case "/cdi/publish-then-fail" -> shop.publishThenFail(topic, request.getParameter("text"));
                case "/cdi/publish-all" -> shop.publishAll(request.getParameterValues("topic"));
                case "/cdi/publish-json" -> shop.publishJson(topic, new Reading(request.getParameter("name"),
                        Double.parseDouble(request.getParameter("celsius"))));
                case "/cdi/publish-through" -> shop.publishThrough(request.getParameter("factory"), topic,
                        request.getParameter("text"));
                case "/received" -> received.onTopicsStartingWith(request.getParameter("prefix"))
                        .forEach(m -> out.println(line(m)));
                case "/attempts" -> out.println(received.attempts(request.getParameter("payload")));
                case "/objects" -> received.objects().forEach(out::println);
                case "/most-running" -> out.println(received.mostRunningAtOnce());
                default -> response.sendError(HttpServletResponse.SC_NOT_FOUND, "no such probe");
            }
        } catch (Exception e) {
            // the test prints this body: the server's own exception, not a bare 500
            response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            e.printStackTrace(out);
        }
    }

    private static String line(MqttMessage message) {
        return message.topic() + "\t" + message.payloadAsString() + "\t" + message.contentType().orElse("") + "\t"
                + message.userProperties().stream().map(p -> p.name() + "=" + p.value())
                        .collect(Collectors.joining(";"));
    }
}
