package org.dpm4j.train;

import static org.dpm4j.train.TrainerTest.config;
import static org.dpm4j.train.TrainerTest.gaussianData;
import static org.dpm4j.train.TrainerTest.kernel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exponential moving average of the parameters kept by the training loop ({@link ParameterAverage}). */
class ParameterAverageTest {
    /** Any objective, recording its parameters each time the loop changes them (after every finite step). */
    static final class Recording implements Objective {
        final Objective inner;
        final List<float[]> iterates = new ArrayList<>();

        Recording(Objective inner) { this.inner = inner; }

        @Override public int dimension() { return inner.dimension(); }
        @Override public float[] parameterValues() { return inner.parameterValues(); }
        @Override public float[] parameterGradients() { return inner.parameterGradients(); }
        @Override public void parametersChanged() {
            inner.parametersChanged();
            iterates.add(inner.parameterValues().clone());
        }
        @Override public Value evaluate(double[] x0, TimeSampler sampler, RandomGenerator rng, boolean gradient) {
            return inner.evaluate(x0, sampler, rng, gradient);
        }
        @Override public double evaluateNats(double[] x0, long seed) { return inner.evaluateNats(x0, seed); }
        @Override public String describe() { return inner.describe(); }
    }

    /** sum_{k=1..n} (1 - d) d^(n-k) p_k / (1 - d^n), in double, from the recorded iterates p_1..p_n. */
    private static double[] closedForm(List<float[]> p, double d) {
        int n = p.size(), m = p.get(0).length;
        double[] a = new double[m];
        for (int k = 1; k <= n; k++) {
            double w = (1 - d) * Math.pow(d, n - k) / (1 - Math.pow(d, n));
            for (int i = 0; i < m; i++) a[i] += w * p.get(k - 1)[i];
        }
        return a;
    }

    @Test
    @DisplayName("the average after n steps is the closed form sum (1-d) d^(n-k) p_k / (1-d^n) of the recorded iterates (float rounding), at d = 0.9 and 0.99; the model keeps the last iterate")
    void closedFormOfTheIterates() {
        for (double d : new double[] {0.9, 0.99}) {
            Recording o = new Recording(new GaussianObjective(kernel()));
            var r = Trainer.train(o, gaussianData(), null, config(60).withParameterAverage(d));
            assertEquals(60, o.iterates.size(), "one parameter change per step, none skipped");
            double[] expected = closedForm(o.iterates, d);
            float[] got = r.averagedParameters();
            double scale = 0;
            for (double v : expected) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < expected.length; i++) assertEquals(expected[i], got[i], 1e-6 * scale, "parameter " + i + " at d = " + d);
            assertArrayEquals(o.iterates.get(59), o.parameterValues(), "the model holds the last parameters, not the average");
            // and the average is not the last iterate: it really averages
            double diff = 0;
            for (int i = 0; i < got.length; i++) diff = Math.max(diff, Math.abs(got[i] - o.iterates.get(59)[i]));
            assertTrue(diff > 1e-4 * scale, "average and last iterate differ by " + diff);
        }
    }

    @Test
    @DisplayName("decay 0 gives the last parameters exactly; with no step the average is the starting parameters")
    void decayZeroAndNoSteps() {
        Recording o = new Recording(new GaussianObjective(kernel()));
        var r = Trainer.train(o, gaussianData(), null, config(15).withParameterAverage(0));
        assertArrayEquals(o.parameterValues(), r.averagedParameters());
        Objective fresh = new GaussianObjective(kernel());
        float[] start = fresh.parameterValues().clone();
        assertArrayEquals(start, Trainer.train(fresh, gaussianData(), null, config(0).withParameterAverage(0.99)).averagedParameters());
    }

    @Test
    @DisplayName("off by default; keeping an average does not change the trained parameters or the history (other runs stay identical)")
    void offByDefaultAndObservesOnly() {
        assertNull(TrainConfig.of(1, 10).average());
        var plain = Trainer.train(kernel(), gaussianData(), config(30).withEvaluation(10, 32));
        assertNull(plain.averagedParameters());
        var averaged = Trainer.train(kernel(), gaussianData(), config(30).withEvaluation(10, 32).withParameterAverage(0.95));
        assertArrayEquals(plain.kernel().network().params().values(), averaged.kernel().network().params().values());
        assertArrayEquals(plain.table().doubleColumn("K_eval_bits").asDoubleArray(), averaged.table().doubleColumn("K_eval_bits").asDoubleArray());
        assertTrue(averaged.hasAverage());
    }

    @Test
    @DisplayName("a run resumed from its checkpoint ends with a bit-identical average; a checkpoint without an average does not resume a run with one")
    void resumeIsBitIdentical(@TempDir Path dir) {
        TrainConfig cfg = config(40).withParameterAverage(0.9);
        var whole = Trainer.train(kernel(), gaussianData(), cfg);
        Path file = dir.resolve("run.ckpt");
        Trainer.train(kernel(), gaussianData(), cfg.withPauseAt(17).withCheckpoint(file, 5));
        assertEquals(kernel().network().params().values().length, Checkpoint.read(file).orElseThrow().averageSum().length);
        var resumed = Trainer.train(kernel(), gaussianData(), cfg.withCheckpoint(file, 5));
        assertArrayEquals(whole.averagedParameters(), resumed.averagedParameters());
        assertArrayEquals(whole.kernel().network().params().values(), resumed.kernel().network().params().values());

        Path plain = dir.resolve("plain.ckpt");
        Trainer.train(kernel(), gaussianData(), config(40).withPauseAt(10).withCheckpoint(plain, 5));
        var e = assertThrows(IllegalArgumentException.class, () -> Trainer.train(kernel(), gaussianData(), cfg.withCheckpoint(plain, 5)));
        assertTrue(e.getMessage().contains("average = null in the checkpoint, but exponential, decay 0.9"), e.getMessage());
    }

    @Test
    @DisplayName("a version-5 checkpoint (written before averages existed) still resumes its run, bit-identically")
    void version5StillResumes(@TempDir Path dir) throws Exception {
        var whole = Trainer.train(kernel(), gaussianData(), config(30));
        Path file = dir.resolve("old.ckpt");
        Trainer.train(kernel(), gaussianData(), config(30).withPauseAt(12).withCheckpoint(file, 4));
        // rewrite as version 5: the payload without its trailing (empty) average, new length and checksum
        byte[] v6 = Files.readAllBytes(file);
        int payload = v6.length - 16 - 8 - 4;
        ByteBuffer in = ByteBuffer.wrap(v6);
        assertEquals(6, in.getInt(4));
        assertEquals(0, in.getInt(16 + payload), "an empty average is one length field of 0");
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(v6, 16, payload);
        ByteBuffer v5 = ByteBuffer.allocate(16 + payload + 8).putInt(in.getInt(0)).putInt(5).putLong(payload).put(v6, 16, payload).putLong(crc.getValue());
        Files.write(file, v5.array());
        assertEquals(0, Checkpoint.read(file).orElseThrow().averageSum().length);
        var resumed = Trainer.train(kernel(), gaussianData(), config(30).withCheckpoint(file, 4));
        assertArrayEquals(whole.kernel().network().params().values(), resumed.kernel().network().params().values());
    }

    @Test
    @DisplayName("setParameters installs values (the average) into the model; a wrong length is refused naming it")
    void install() {
        GaussianObjective o = new GaussianObjective(kernel());
        float[] v = o.parameterValues().clone();
        for (int i = 0; i < v.length; i++) v[i] = i * 0.001f;
        o.setParameters(v);
        assertArrayEquals(v, o.parameterValues());
        var e = assertThrows(IllegalArgumentException.class, () -> o.setParameters(new float[3]));
        assertTrue(e.getMessage().contains("values.length") && e.getMessage().contains("3"), e.getMessage());
    }

    @Test
    @DisplayName("a decay outside [0, 1) is refused naming decay and the value")
    void badDecay() {
        for (double d : new double[] {-0.1, 1.0, 1.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            var e = assertThrows(IllegalArgumentException.class, () -> config(10).withParameterAverage(d), "decay " + d);
            assertTrue(e.getMessage().contains("decay") && e.getMessage().contains(String.valueOf(d)) && e.getMessage().contains("[0, 1)"), e.getMessage());
        }
    }

    @Test
    @DisplayName("withSeed changes the seed alone: every other setting, the parameter average included, is kept")
    void withSeedKeepsTheAverage() {
        TrainConfig c = config(50).withParameterAverage(0.99).withMaxNonFinite(7), r = c.withSeed(c.seed() + 5);
        assertEquals(c.seed() + 5, r.seed());
        assertEquals(new TrainConfig(c.seed(), r.steps(), r.batch(), r.estimator(), r.optimizer(), r.learningRate(), r.evalEvery(),
                r.evalExamples(), r.targetBits(), r.maxSeconds(), r.checkpoint(), r.checkpointEvery(), r.maxNonFinite(), r.progress(),
                r.learnSchedule(), r.pauseAt(), r.average()), c);
        assertEquals(0.99, r.average().decay());
    }
}
