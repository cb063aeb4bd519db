package org.wrenmq.it.appserver.beans;

import java.util.Objects;

/** A value that travels as JSON. */
public class Point {
    public String name;
    public int x;
    public int y;

    public Point() {
    }

    public Point(String name, int x, int y) {
        this.name = name;
        this.x = x;
        this.y = y;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Point && Objects.equals(name, ((Point) o).name) && x == ((Point) o).x
                && y == ((Point) o).y;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, x, y);
    }

    @Override
    public String toString() {
        return "Point[" + name + ", " + x + ", " + y + "]";
    }
}
