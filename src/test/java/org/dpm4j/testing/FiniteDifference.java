package org.dpm4j.testing;

import java.util.function.DoubleSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Central differences, the oracle of the gradient tests. */
public final class FiniteDifference {
    private FiniteDifference() {}

    /**
     * (f(a_i + h) - f(a_i - h)) / 2h for the entry of linear index i of a, which f reads (a live parameter array):
     * the entry is moved in place and restored after.
     */
    public static double central(INDArray a, long i, double h, DoubleSupplier f) {
        double old = a.getDouble(i);
        a.putScalar(i, old + h);
        double up = f.getAsDouble();
        a.putScalar(i, old - h);
        double down = f.getAsDouble();
        a.putScalar(i, old);
        return (up - down) / (2 * h);
    }
}
