package org.dpm4j.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Conversions between 8-bit levels and stored values k/255 in [0, 1]. */
final class Pixels {
    private Pixels() {}

    /** Rows [from, from + n) of d unsigned bytes each, as a DOUBLE [n, d] array of k/255. */
    static INDArray unit(byte[] values, int from, int n, int d) {
        double[] v = new double[n * d];
        int base = from * d;
        for (int i = 0; i < v.length; i++) v[i] = (values[base + i] & 0xff) / 255.0;
        return Nd4j.create(v, new long[] {n, d}, 'c');
    }

    static INDArray unit(double[] values, int n, int d) { return Nd4j.create(values, new long[] {n, d}, 'c'); }
}
