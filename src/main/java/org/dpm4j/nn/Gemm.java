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
     * matrices in native memory (the image network's im2col matrices).
     */
    public static void multiply(boolean transA, boolean transB, int m, int n, int k, FloatPointer a, FloatPointer b, float beta, FloatPointer c) {
        multiply(transA, transB, m, n, k, a, 0, transA ? m : k, b, 0, transB ? k : n, beta, c, 0, n);
    }

    /**
     * m n k up to which OpenBLAS (0.3.19) hands a product to its small-matrix kernels, which read the operands in place
     * instead of packing them first (its SKYLAKEX permit: 100^3, and for its column-major TN case only a C of at most
     * 1200 entries).
     */
    static final double SMALL_PRODUCT = 1e6;

    /**
     * The same on native sub-matrices: each operand starts at an offset (in floats) and has its own row stride (leading
     * dimension), so a product can read or write a block of columns of a larger matrix in place.
     * <p>
     * A product with a short side m and a long side n (the image network's convolutions: m = 32 output channels, k =
     * 289, n = 512 columns of an im2col block) is computed in parts of at most {@link #SMALL_PRODUCT} / (m k) columns
     * (a multiple of 32), each small enough for OpenBLAS's small-matrix kernels: packing the long operand cost about as
     * much as the arithmetic. Measured on this project's machine (Xeon with AVX-512, one thread, 2026-12-06): the
     * forward and input-gradient products of the dead-leaves network went from 92-106 to 137-168 GFLOP/s, the
     * reference sizes' (m = 20, k = 181) from 88 to 142-156. A product with a small c and a long inner sum (a
     * convolution's weight gradient: m = 288, n = 32, k = 512) is likewise summed in parts of at most
     * {@link #SMALL_PRODUCT} / (m n) terms, from 124 to 150-168 GFLOP/s. Row-major (N, T) products are left whole:
     * they are OpenBLAS's column-major TN case, which its small kernels take only for tiny C. On a CPU without those
     * kernels a part is an ordinary product of its own; the result is the same to float rounding either way.
     */
    public static void multiply(boolean transA, boolean transB, int m, int n, int k, FloatPointer a, long aOff, int lda,
                                FloatPointer b, long bOff, int ldb, float beta, FloatPointer c, long cOff, int ldc) {
        check("a", a, aOff, lda, transA ? k : m, transA ? m : k);
        check("b", b, bOff, ldb, transB ? n : k, transB ? k : n);
        check("c", c, cOff, ldc, m, n);
        double mk = (double) m * k, mn = (double) m * n;
        boolean small = !(transB && !transA) && mk * n > SMALL_PRODUCT;
        int part = n, depth = k;
        if (small && mk * 32 <= SMALL_PRODUCT) part = (int) (SMALL_PRODUCT / mk) / 32 * 32;
        else if (small && mn * 32 <= SMALL_PRODUCT) depth = (int) (SMALL_PRODUCT / mn) / 32 * 32;
        try {
            for (int j = 0; j < n; j += part) {
                int cols = Math.min(part, n - j);
                // the inner sum in parts of depth terms (a small c and a long k), each part after the first added on
                for (int q = 0; q < k; q += depth) {
                    int terms = Math.min(depth, k - q);
                    long aAt = aOff + (transA ? (long) q * lda : q), bAt = bOff + (transB ? (long) j * ldb + q : (long) q * ldb + j);
                    openblas.cblas_sgemm(openblas.CblasRowMajor, transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                            transB ? openblas.CblasTrans : openblas.CblasNoTrans, m, cols, terms, 1f, a.position(aAt), lda,
                            b.position(bAt), ldb, q == 0 ? beta : 1f, c.position(cOff + j), ldc);
                }
            }
        } finally {
            a.position(0);
            b.position(0);
            c.position(0);
        }
    }

    /** A [rows, cols] operand with row stride ld at offset off must lie inside p. */
    private static void check(String name, FloatPointer p, long off, int ld, int rows, int cols) {
        long end = rows == 0 || cols == 0 ? off : off + (long) (rows - 1) * ld + cols;
        if (off < 0 || ld < Math.max(1, cols) || end > p.capacity())
            throw Check.bad("gemm operand " + name, "offset " + off + ", stride " + ld + ", capacity " + p.capacity(),
                    "a [" + rows + ", " + cols + "] matrix inside the buffer with stride >= " + cols);
    }

    private static FloatPointer fit(FloatPointer p, long size) {
        if (p != null && p.capacity() >= size) return p.position(0);
        if (p != null) p.close();
        return new FloatPointer(Math.max(size, 1));
    }
}
