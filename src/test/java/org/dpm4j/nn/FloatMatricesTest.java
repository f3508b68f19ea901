package org.dpm4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class FloatMatricesTest {
    static float[] random(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rng.nextGaussian();
        return v;
    }

    @Test
    @DisplayName("gemm: op(a) op(b) + beta c equals ND4J's mmul for every transpose combination and beta in {0, 1}")
    void gemmMatchesNd4j() {
        SplittableRandom rng = new SplittableRandom(3);
        int m = 37, n = 19, k = 53;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (float beta : new float[] {0f, 1f}) {
                    float[] a = random(rng, m * k), b = random(rng, k * n), c = random(rng, m * n);
                    INDArray am = FloatMatrices.matrix(a, ta ? k : m, ta ? m : k), bm = FloatMatrices.matrix(b, tb ? n : k, tb ? k : n);
                    INDArray expected = (ta ? am.transpose() : am).mmul(tb ? bm.transpose() : bm).addi(FloatMatrices.matrix(c, m, n).muli(beta));
                    float[] e = FloatMatrices.floats(expected);
                    FloatMatrices.gemm(ta, tb, m, n, k, a, b, beta, c);
                    for (int i = 0; i < e.length; i++) assertEquals(e[i], c[i], 1e-4 * Math.max(1, Math.abs(e[i])), "ta=" + ta + " tb=" + tb + " beta=" + beta + " element " + i);
                }
            }
        }
    }

    @Test
    @DisplayName("gemm refuses operands shorter than their shapes, naming them")
    void gemmChecksLengths() {
        var e = assertThrows(IllegalArgumentException.class, () -> FloatMatrices.gemm(false, false, 2, 2, 2, new float[3], new float[4], 0f, new float[4]));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("gemm operands"), e.getMessage());
    }
}
