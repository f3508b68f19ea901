package org.dpm4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link Gemm}'s native sub-matrix product against a triple loop in double (tolerance 1e-4 of the sum of |terms|). */
class GemmTest {
    @Test
    @DisplayName("sub-matrix gemm: a block of columns of c = op(a) op(b) + beta c, operands at offsets with their own strides, equals a triple loop; the rest of c is untouched")
    void subMatricesMatchTripleLoop() {
        checkAgainstTripleLoop(3, 4, 5, new SplittableRandom(5));
    }

    @Test
    @DisplayName("a product above OpenBLAS's small-matrix size, computed in parts of columns (32 x 200 x 289: parts of 96, 96, 8), equals a triple loop in every transpose case")
    void productInPartsMatchesTripleLoop() {
        assertTrue(32.0 * 200 * 289 > Gemm.SMALL_PRODUCT && 32.0 * 289 * 32 <= Gemm.SMALL_PRODUCT, "the shape is split into parts");
        checkAgainstTripleLoop(32, 200, 289, new SplittableRandom(6));
    }

    @Test
    @DisplayName("a product with a small c and a long inner sum, summed in parts (288 x 32 x 200: parts of 96, 96, 8 terms, beta on the first only), equals a triple loop in every transpose case")
    void innerSumInPartsMatchesTripleLoop() {
        assertTrue(288.0 * 32 * 200 > Gemm.SMALL_PRODUCT && 288.0 * 200 * 32 > Gemm.SMALL_PRODUCT && 288.0 * 32 * 32 <= Gemm.SMALL_PRODUCT,
                "the inner sum is split, the columns are not");
        checkAgainstTripleLoop(288, 32, 200, new SplittableRandom(7));
    }

    /** Every (transA, transB, beta) for c [m, n] at an offset with padded strides, against a triple loop in double. */
    private static void checkAgainstTripleLoop(int m, int n, int k, SplittableRandom rng) {
        int pad = 2;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (float beta : new float[] {0f, 1f}) {
                    int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
                    int lda = aCols + pad, ldb = bCols + 3, ldc = n + 6, aOff = 7, bOff = 2, cOff = 3;
                    float[] a = random(rng, aOff + aRows * lda), b = random(rng, bOff + bRows * ldb), c = random(rng, cOff + m * ldc);
                    FloatPointer pa = new FloatPointer(a), pb = new FloatPointer(b), pc = new FloatPointer(c);
                    Gemm.multiply(ta, tb, m, n, k, pa, aOff, lda, pb, bOff, ldb, beta, pc, cOff, ldc);
                    float[] out = new float[c.length];
                    pc.get(out);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double sum = beta * c[cOff + i * ldc + j], abs = Math.abs(sum);
                            for (int q = 0; q < k; q++) {
                                double x = ta ? a[aOff + q * lda + i] : a[aOff + i * lda + q];
                                double y = tb ? b[bOff + j * ldb + q] : b[bOff + q * ldb + j];
                                sum += x * y;
                                abs += Math.abs(x * y);
                            }
                            assertEquals(sum, out[cOff + i * ldc + j], 1e-4 * abs, "c[" + i + ", " + j + "] ta=" + ta + " tb=" + tb + " beta=" + beta);
                        }
                        for (int j = n; j < ldc && cOff + i * ldc + j < c.length; j++) {
                            assertEquals(c[cOff + i * ldc + j], out[cOff + i * ldc + j], "column " + j + " outside the block");
                        }
                    }
                    for (int e = 0; e < cOff; e++) assertEquals(c[e], out[e], "entry " + e + " before the block");
                    pa.close();
                    pb.close();
                    pc.close();
                }
            }
        }
    }

    @Test
    @DisplayName("sub-matrix gemm refuses a block that runs past its buffer or a stride shorter than a row, naming the operand")
    void subMatricesChecked() {
        FloatPointer a = new FloatPointer(6), b = new FloatPointer(6), c = new FloatPointer(4);
        var past = assertThrows(IllegalArgumentException.class, () -> Gemm.multiply(false, false, 2, 2, 3, a, 1, 3, b, 0, 2, 0f, c, 0, 2));
        assertTrue(past.getMessage().contains("gemm operand a"), past.getMessage());
        var stride = assertThrows(IllegalArgumentException.class, () -> Gemm.multiply(false, false, 2, 2, 3, a, 0, 3, b, 0, 2, 0f, c, 0, 1));
        assertTrue(stride.getMessage().contains("gemm operand c"), stride.getMessage());
    }

    private static float[] random(SplittableRandom rng, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) v[i] = (float) rng.nextGaussian();
        return v;
    }
}
