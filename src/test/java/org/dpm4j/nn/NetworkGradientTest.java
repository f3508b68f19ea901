package org.dpm4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Hand-derived gradients against central finite differences of L = sum_ij c_ij z_ij (FLOAT networks, so eps = 1e-2). */
class NetworkGradientTest {
    static final int T = 7;

    static INDArray randomRows(SplittableRandom rng, int n, int d) {
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        return Nd4j.createFromArray(x).reshape(n, d);
    }

    static int[] randomTimes(SplittableRandom rng, int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = 1 + rng.nextInt(T);
        return t;
    }

    static double loss(Network net, INDArray x, int[] t, INDArray c) {
        return net.forward(x, t).output().castTo(DataType.DOUBLE).mul(c.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
    }

    static void checkGradient(Supplier<Network> make) {
        SplittableRandom rng = new SplittableRandom(11);
        Network net = make.get();
        float[] p = net.params().values();
        for (int i = 0; i < net.params().size(); i++) p[i] = (float) (0.5 * rng.nextGaussian()); // move off the zero readout
        int n = 9;
        INDArray x = randomRows(rng, n, net.inputSize());
        int[] t = randomTimes(rng, n);
        INDArray c = randomRows(rng, n, net.outputSize());
        net.params().zeroGrad();
        net.backward(net.forward(x, t), c.dup());
        float[] g = net.params().grads();
        double eps = 1e-2;
        int checked = 0;
        for (int k = 0; k < 60; k++) {
            int i = rng.nextInt(net.params().size());
            float old = p[i];
            p[i] = (float) (old + eps);
            double up = loss(net, x, t, c);
            p[i] = (float) (old - eps);
            double down = loss(net, x, t, c);
            p[i] = old;
            double fd = (up - down) / (2 * eps);
            assertEquals(fd, g[i], 3e-3 + 2e-2 * Math.abs(fd), "parameter " + i);
            checked++;
        }
        assertEquals(60, checked);
        checkInputGradient(net, x, t, c, g.clone());
    }

    /** dL/dx from backward(pass, dz, true) against central differences in x; the parameter gradients are unchanged. */
    static void checkInputGradient(Network net, INDArray x, int[] t, INDArray c, float[] paramGrads) {
        net.params().zeroGrad();
        float[] dx = org.dpm4j.nn.FloatMatrices.floats(net.backward(net.forward(x, t), c.dup(), true));
        assertEquals(x.length(), dx.length);
        for (int i = 0; i < paramGrads.length; i++) assertEquals(paramGrads[i], net.params().grads()[i], 1e-6 + 1e-5 * Math.abs(paramGrads[i]), "parameter " + i);
        float[] xv = org.dpm4j.nn.FloatMatrices.floats(x);
        // Fourier features put curvature ~ (2 pi B)^2 on x, so eps = 1e-2 leaves truncation errors of several percent
        double eps = 2e-3;
        for (int i = 0; i < xv.length; i++) {
            float[] up = xv.clone(), down = xv.clone();
            up[i] += (float) eps;
            down[i] -= (float) eps;
            double fd = (loss(net, Nd4j.createFromArray(up).reshape(x.shape()), t, c) - loss(net, Nd4j.createFromArray(down).reshape(x.shape()), t, c)) / (2 * eps);
            assertEquals(fd, dx[i], 3e-3 + 2e-2 * Math.abs(fd), "input " + i);
        }
    }

    @Test
    @DisplayName("sigmoid MLP with per-step readout: parameter and input gradients equal central finite differences")
    void mlpPerStep() {
        checkGradient(() -> new Mlp(4, new int[] {6, 5}, 4, Activation.SIGMOID, Mlp.Readout.PER_STEP, T, new SplittableRandom(1)));
    }

    @Test
    @DisplayName("softplus MLP with bump-function readout: parameter and input gradients equal central finite differences")
    void mlpBumps() {
        checkGradient(() -> new Mlp(3, new int[] {5}, 6, Activation.SOFTPLUS, Mlp.Readout.BUMPS, T, new SplittableRandom(2)));
    }

    @Test
    @DisplayName("tanh MLP: parameter and input gradients equal central finite differences")
    void mlpTanh() {
        checkGradient(() -> new Mlp(3, new int[] {5, 4}, 2, Activation.TANH, Mlp.Readout.PER_STEP, T, new SplittableRandom(3)));
    }

    @Test
    @DisplayName("normalised RBF network: parameter and input gradients equal central finite differences")
    void rbf() {
        checkGradient(() -> new RbfNetwork(2, 5, 4, T, new SplittableRandom(4)));
    }

    @Test
    @DisplayName("tanh MLP behind random Fourier features: backward equals central finite differences")
    void fourierMlp() {
        checkGradient(() -> {
            SplittableRandom rng = new SplittableRandom(5);
            return new FourierFeatures(2, 3, 0.7, new Mlp(8, new int[] {5}, 4, Activation.TANH, Mlp.Readout.PER_STEP, T, rng), rng);
        });
    }

    @Test
    @DisplayName("Fourier features: the first d columns are x, and each sin/cos pair lies on the unit circle at angle 2 pi x.b_j")
    void fourierFeatures() {
        SplittableRandom rng = new SplittableRandom(6);
        FourierFeatures f = new FourierFeatures(2, 4, 1.5, new Mlp(10, new int[] {3}, 4, Activation.TANH, Mlp.Readout.PER_STEP, T, rng), rng);
        INDArray x = randomRows(rng, 6, 2), phi = f.features(x), phi2 = f.features(x.mul(2));
        for (int i = 0; i < 6; i++) {
            assertEquals(x.getDouble(i, 0), phi.getDouble(i, 0), 0);
            assertEquals(x.getDouble(i, 1), phi.getDouble(i, 1), 0);
            for (int j = 0; j < 4; j++) {
                double sin = phi.getDouble(i, 2 + j), cos = phi.getDouble(i, 6 + j);
                assertEquals(1, sin * sin + cos * cos, 1e-5);
                // doubling x doubles the angle: sin 2a = 2 sin a cos a
                assertEquals(2 * sin * cos, phi2.getDouble(i, 2 + j), 1e-4);
            }
        }
    }

    @Test
    @DisplayName("bump functions: each row is a softmax (sums to one) peaking at its centre")
    void bumps() {
        float[][] g = BumpReadout.bumps(100, 10);
        for (float[] row : g) {
            double s = 0;
            for (float v : row) s += v;
            assertEquals(1.0, s, 1e-5);
        }
        assertEquals(0, argmax(g[0]));
        assertEquals(9, argmax(g[99]));
        assertEquals(1, argmax(g[11])); // centre of bump 1 is 1 + 99/9 = 12
    }

    private static int argmax(float[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
        return best;
    }
}
