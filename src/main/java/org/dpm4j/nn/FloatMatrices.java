package org.dpm4j.nn;

import java.nio.FloatBuffer;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Moving FLOAT matrices between ND4J and row-major Java float[] for the per-row loops ND4J has no single operation
 * for, and the workspace that makes a training step's temporary arrays cheap. Measured on [2496, 128] FLOAT arrays:
 * an out-of-place ND4J operation costs about 4 ms outside a workspace and 0.13 ms inside one (allocation dominates),
 * and bulk buffer copies cost 0.03-0.05 ms where element-wise {@code asFloat()} costs 2.8 ms.
 */
public final class FloatMatrices {
    private FloatMatrices() {}

    private static final WorkspaceConfiguration STEP = WorkspaceConfiguration.builder()
            .initialSize(0).policyAllocation(AllocationPolicy.OVERALLOCATE).policyLearning(LearningPolicy.OVER_TIME).build();

    /** Opens the per-thread workspace for one training step; every array created until close() is released at once. */
    public static MemoryWorkspace stepScope() {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(STEP, "dpm4j-step");
    }

    /** Suspends any open workspace, for arrays that must outlive the step (parameter mirrors). */
    static MemoryWorkspace outsideWorkspaces() {
        return Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
    }

    /** A row-major copy of a matrix as float[]. */
    public static float[] floats(INDArray a) {
        INDArray c = a.dataType() == DataType.FLOAT && a.ordering() == 'c' && a.elementWiseStride() == 1 && a.length() == a.data().length() - a.offset()
                ? a : a.castTo(DataType.FLOAT).dup('c');
        float[] v = new float[(int) c.length()];
        FloatBuffer b = c.data().asNioFloat();
        b.position((int) c.offset());
        b.get(v);
        return v;
    }

    /** An [n, m] FLOAT matrix holding v (row-major). */
    public static INDArray matrix(float[] v, int n, int m) {
        if (v.length != (long) n * m) throw Check.bad("v.length", v.length, n + " x " + m);
        INDArray a = Nd4j.createUninitialized(DataType.FLOAT, n, m);
        FloatBuffer b = a.data().asNioFloat();
        b.position((int) a.offset());
        b.put(v);
        return a;
    }

    /**
     * c = op(a) op(b) + beta c for row-major float[] operands (op(a) [m, k], op(b) [k, n], c [m, n]) through OpenBLAS's
     * sgemm. It bypasses ND4J, whose every array and operation also allocates native shape buffers (each checked
     * against JavaCPP's memory limit): on the heartbeat MLP those costs were about a tenth of a training step.
     * This form copies all three arrays in and out of native memory; {@link Gemm} reuses buffers and copies less.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float beta, float[] c) {
        new Gemm().multiply(transA, transB, m, n, k, a, 0, b, 0, beta, c);
    }

    static void checkTimes(int[] t, long rows, int T) {
        if (t.length != rows) throw Check.bad("t.length", t.length, "one time step per row (" + rows + ")");
        for (int ti : t) if (ti < 1 || ti > T) throw Check.bad("t", ti, "a time step in [1, " + T + "]");
    }
}
