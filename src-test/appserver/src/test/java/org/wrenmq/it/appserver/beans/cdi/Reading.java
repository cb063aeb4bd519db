package org.wrenmq.it.appserver.beans.cdi;

/** A value published as JSON through the application's own Jsonb (snake_case names). */
public class Reading {
    public String sensorName;
    public double celsius;

    public Reading() {
    }

    public Reading(String sensorName, double celsius) {
        this.sensorName = sensorName;
        this.celsius = celsius;
    }
}
