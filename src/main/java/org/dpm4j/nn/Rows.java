package org.dpm4j.nn;

import org.dpm4j.util.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Conversions between ND4J matrices and row-major float[] for the per-row loops that ND4J has no single operation for. */
final class Rows {
    private Rows() {}

    /** A row-major copy of a FLOAT matrix. */
    static float[] floats(INDArray a) {
        INDArray c = a.dataType() == DataType.FLOAT && a.ordering() == 'c' && a.isView() == false ? a : a.castTo(DataType.FLOAT).dup('c');
        return c.data().asFloat();
    }

    /** An [n, m] FLOAT matrix holding v. */
    static INDArray matrix(float[] v, int n, int m) {
        return Nd4j.create(v, new long[] {n, m}, DataType.FLOAT);
    }

    static void checkTimes(int[] t, long rows, int T) {
        if (t.length != rows) throw Check.bad("t.length", t.length, "one time step per row (" + rows + ")");
        for (int ti : t) if (ti < 1 || ti > T) throw Check.bad("t", ti, "a time step in [1, " + T + "]");
    }
}
