package org.dpm4j.nn;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.dpm4j.util.Check;

/**
 * OpenBLAS sgemm on row-major float[] through native buffers that one owner (a layer) reuses from call to call:
 * each operand is copied in once and the result out once. (JavaCPP's float[] overload copies every array both ways,
 * and a fresh native buffer per call costs a JavaCPP memory check.) Not thread-safe: a network serves one thread.
 */
public final class Gemm {
    private FloatPointer a, b, c;

    /** c = op(a) op(b) + beta c, op(a) [m, k] read from a at aOff, op(b) [k, n] from b at bOff, c [m, n]. */
    public void multiply(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float beta, float[] c) {
        long sa = (long) m * k, sb = (long) k * n, sc = (long) m * n;
        if (aOff < 0 || bOff < 0 || a.length - aOff < sa || b.length - bOff < sb || c.length < sc)
            throw Check.bad("gemm operands", a.length + " - " + aOff + ", " + b.length + " - " + bOff + ", " + c.length,
                    "at least " + sa + ", " + sb + ", " + sc + " elements");
        this.a = fit(this.a, sa).put(a, aOff, (int) sa);
        this.b = fit(this.b, sb).put(b, bOff, (int) sb);
        this.c = fit(this.c, sc);
        if (beta != 0) this.c.put(c, 0, (int) sc);
        multiply(transA, transB, m, n, k, this.a, this.b, beta, this.c);
        this.c.get(c, 0, (int) sc);
    }

    /**
     * The same on native row-major operands, read from position 0 with no copies, for callers that keep large
     * matrices in native memory (the image network's im2col matrices, written once and read twice).
     */
    public static void multiply(boolean transA, boolean transB, int m, int n, int k, FloatPointer a, FloatPointer b, float beta, FloatPointer c) {
        if (a.capacity() < (long) m * k || b.capacity() < (long) k * n || c.capacity() < (long) m * n)
            throw Check.bad("gemm operands", a.capacity() + ", " + b.capacity() + ", " + c.capacity(),
                    "at least " + (long) m * k + ", " + (long) k * n + ", " + (long) m * n + " elements");
        openblas.cblas_sgemm(openblas.CblasRowMajor, transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans, m, n, k, 1f, a, transA ? m : k, b, transB ? k : n, beta, c, n);
    }

    private static FloatPointer fit(FloatPointer p, long size) {
        if (p != null && p.capacity() >= size) return p.position(0);
        if (p != null) p.close();
        return new FloatPointer(Math.max(size, 1));
    }
}
