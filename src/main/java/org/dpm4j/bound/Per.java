package org.dpm4j.bound;

import org.dpm4j.util.Check;

/**
 * What one reported number covers: a single dimension, a pixel of some number of channels (3 for CIFAR-10, so the
 * paper's "bits/pixel" there is three times "bits/dim"), or a whole sequence/example of d dimensions.
 */
public record Per(String label, int dimensions) {
    public Per {
        if (label == null) throw Check.bad("label", null, "a unit label");
        Check.positive("dimensions", dimensions);
    }

    public static Per dimension() { return new Per("dimension", 1); }

    public static Per pixel(int channels) {
        Check.positive("channels", channels);
        return new Per(channels == 1 ? "pixel" : "pixel (" + channels + " channels)", channels);
    }

    public static Per sequence(int length) {
        Check.positive("length", length);
        return new Per("sequence (" + length + " dims)", length);
    }

    /** A value for a whole example of d dimensions, expressed per this unit: value * dimensions / d. */
    public double of(double perExample, int d) {
        Check.positive("d", d);
        if (d % dimensions != 0) throw Check.bad("d", d, "a multiple of " + dimensions + " (the dimensions per " + label + ")");
        return perExample * dimensions / d;
    }
}
