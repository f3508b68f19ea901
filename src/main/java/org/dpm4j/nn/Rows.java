package org.dpm4j.nn;

import java.nio.FloatBuffer;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Raw access to FLOAT matrices for the per-row loops that ND4J has no single operation for. */
final class Rows {
    private Rows() {}

    /** The backing buffer of a c-ordered contiguous FLOAT array; element (i, j) is at offset(a) + i * columns + j. */
    static FloatBuffer buffer(INDArray a) {
        if (a.ordering() != 'c' || a.elementWiseStride() != 1) throw Check.bad("array ordering", a.ordering() + "/ews " + a.elementWiseStride(), "a contiguous c-ordered array");
        return a.data().asNioFloat();
    }

    static int offset(INDArray a) { return (int) a.offset(); }

    static void checkTimes(int[] t, long rows, int T) {
        if (t.length != rows) throw Check.bad("t.length", t.length, "one time step per row (" + rows + ")");
        for (int ti : t) if (ti < 1 || ti > T) throw Check.bad("t", ti, "a time step in [1, " + T + "]");
    }
}
