package org.dpm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.dpm4j.bound.BoundK;
import org.dpm4j.bound.BoundResult;
import org.dpm4j.bound.Per;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.kernel.ExactGaussianDataKernel;
import org.dpm4j.nn.Activation;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.nn.Mlp;
import org.dpm4j.nn.NetworkGaussianKernel;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TrainerTest {
    static final int T = 10;

    static NetworkGaussianKernel kernel() {
        return NetworkGaussianKernel.mlp(1, new int[] {16}, Activation.SOFTPLUS, Mlp.Readout.PER_STEP,
                Schedules.referenceGaussian(T, 0.01), GaussianParameterisation.PAPER, 5);
    }

    /** 512 draws of N(0, sigma^2), sigma = 0.5. */
    static INDArray gaussianData(double... extra) {
        SplittableRandom rng = new SplittableRandom(12);
        double[][] x = new double[512 + extra.length][1];
        for (int i = 0; i < 512; i++) x[i][0] = 0.5 * rng.nextGaussian();
        for (int i = 0; i < extra.length; i++) x[512 + i][0] = extra[i];
        return Nd4j.createFromArray(x);
    }

    static TrainConfig config(int steps) {
        return TrainConfig.of(3, steps).withBatch(16).withLearningRate(3e-3).withEvaluation(0, 64).withProgress(false);
    }

    @Test
    @DisplayName("training closes most of the gap to the exact reverse kernel's K on Gaussian data, and never beats it")
    void approachesExactKernel() {
        NetworkGaussianKernel k = kernel();
        INDArray data = gaussianData();
        GaussianDiffusion diffusion = new GaussianDiffusion(k.schedule());
        BoundResult exact = BoundK.gaussian(diffusion, new ExactGaussianDataKernel(k.schedule(), new double[] {0}, new double[] {0.25}), data, 1);
        double before = BoundK.gaussian(diffusion, k, data, 1).kBits(Per.dimension());
        Trainer.train(k, data, config(1500).withLearningRate(1e-2));
        BoundResult after = BoundK.gaussian(diffusion, k, data, 1);
        double best = exact.kBits(Per.dimension()), se = after.kStandardErrorBits(Per.dimension()) + exact.kStandardErrorBits(Per.dimension());
        assertTrue(after.kBits(Per.dimension()) > before + 0.7 * (best - before),
                "K went from " + before + " to " + after.kBits(Per.dimension()) + " bits; the exact kernel gives " + best);
        assertTrue(after.kBits(Per.dimension()) < best + 4 * se, "K = " + after.kBits(Per.dimension()) + " must not beat the exact kernel's " + best);
    }

    @Test
    @DisplayName("the same seed and configuration give bit-identical parameters")
    void deterministic() {
        NetworkGaussianKernel a = kernel(), b = kernel();
        Trainer.train(a, gaussianData(), config(30));
        Trainer.train(b, gaussianData(), config(30));
        assertArrayEquals(a.network().params().values(), b.network().params().values());
    }

    @Test
    @DisplayName("a run resumed from its checkpoint ends bit-identical to an uninterrupted run, history included")
    void resumeEqualsUninterrupted(@TempDir Path dir) {
        NetworkGaussianKernel whole = kernel(), first = kernel(), second = kernel();
        var full = Trainer.train(whole, gaussianData(), config(40).withEvaluation(10, 32));
        Path file = dir.resolve("run.ckpt");
        Trainer.train(first, gaussianData(), config(40).withPauseAt(20).withEvaluation(10, 32).withCheckpoint(file, 10));
        var resumed = Trainer.train(second, gaussianData(), config(40).withEvaluation(10, 32).withCheckpoint(file, 10));
        assertArrayEquals(whole.network().params().values(), second.network().params().values());
        assertArrayEquals(full.table().doubleColumn("K_bits").asDoubleArray(), resumed.table().doubleColumn("K_bits").asDoubleArray());
        assertEquals(40, Checkpoint.read(file).orElseThrow().step());
    }

    @Test
    @DisplayName("with a learned schedule, a resumed run ends bit-identical to an uninterrupted one: parameters, schedule and history")
    void resumeWithLearnedScheduleEqualsUninterrupted(@TempDir Path dir) {
        NetworkGaussianKernel whole = kernel(), first = kernel(), second = kernel();
        TrainConfig cfg = config(40).withEvaluation(10, 32).withLearnedSchedule(new ScheduleLearning(1e-2, 3));
        var full = Trainer.train(whole, gaussianData(), cfg);
        Path file = dir.resolve("run.ckpt");
        Trainer.train(first, gaussianData(), cfg.withPauseAt(20).withCheckpoint(file, 10));
        var resumed = Trainer.train(second, gaussianData(), cfg.withCheckpoint(file, 10));
        assertArrayEquals(whole.network().params().values(), second.network().params().values());
        assertArrayEquals(full.schedule().betas(), resumed.schedule().betas());
        assertArrayEquals(full.table().doubleColumn("K_bits").asDoubleArray(), resumed.table().doubleColumn("K_bits").asDoubleArray());
        assertArrayEquals(full.table().doubleColumn("K_eval_bits").asDoubleArray(), resumed.table().doubleColumn("K_eval_bits").asDoubleArray());
        Checkpoint c = Checkpoint.read(file).orElseThrow();
        assertArrayEquals(resumed.schedule().betas(), c.betas());
        assertEquals(T - 1, c.scheduleParams().length);
        assertThrows(IllegalArgumentException.class, () -> Trainer.train(kernel(), gaussianData(), config(50).withCheckpoint(file, 10)),
                "a learned-schedule checkpoint does not resume a fixed-schedule run");
    }

    @Test
    @DisplayName("a kill mid-write leaves the previous checkpoint readable; a corrupt file is an error naming it")
    void atomicCheckpoint(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.ckpt");
        History h = new History();
        h.add(1, 0.1, 0.1, -1, Double.NaN, 1e-3, 0);
        new Checkpoint(new RunFingerprint(java.util.Map.of("seed", "7")), 7, 5, 0, new double[] {0.1, 0.2}, new float[] {1, 2, 3}, new float[] {4, 5}, new float[0], new float[0], h).write(file);
        Files.write(file.resolveSibling("c.ckpt.tmp"), new byte[] {1, 2, 3}); // a write interrupted before the rename
        Checkpoint c = Checkpoint.read(file).orElseThrow();
        assertEquals(5, c.step());
        assertArrayEquals(new float[] {1, 2, 3}, c.params());
        Files.write(file, new byte[] {0x44, 0x50, 0x4d, 0x34, 0, 0, 0, 3, 9});
        var e = assertThrows(RuntimeException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        // a file of an older version is refused by version, not misread
        Files.write(file, new byte[] {0x44, 0x50, 0x4d, 0x34, 0, 0, 0, 4, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9});
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().contains("version 4") && e.getMessage().contains("expected version 5"), e.getMessage());
    }

    @Test
    @DisplayName("K is evaluated on the held-out set given (its first evalExamples rows), and evaluating does not change training")
    void heldOutEvaluation() {
        INDArray data = gaussianData();
        TrainConfig cfg = config(30).withEvaluation(10, 600);
        NetworkGaussianKernel plain = kernel(), same = kernel(), other = kernel(), firstRows = kernel(), head = kernel();
        var byDefault = Trainer.train(plain, data, cfg);
        // evalExamples >= n: the default evaluation set is the whole training set, so held-out = data must agree bit for bit
        var onData = Trainer.train(same, data, data, cfg);
        assertArrayEquals(byDefault.table().doubleColumn("K_eval_bits").asDoubleArray(), onData.table().doubleColumn("K_eval_bits").asDoubleArray());
        INDArray heldOut = gaussianData(3.0, -2.5, 4.0).mul(1.5);
        var onHeldOut = Trainer.train(other, data, heldOut, cfg);
        assertArrayEquals(plain.network().params().values(), other.network().params().values(), "evaluation must not draw training noise");
        assertTrue(Math.abs(onHeldOut.evalKBits() - onData.evalKBits()) > 1e-3, onHeldOut.evalKBits() + " vs " + onData.evalKBits());
        // evalExamples = 100 takes the first 100 held-out rows: the same as handing over those rows
        var first = Trainer.train(firstRows, data, heldOut, cfg.withEvaluation(10, 100));
        var explicit = Trainer.train(head, data, heldOut.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 100),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup(), cfg.withEvaluation(10, 100));
        assertEquals(explicit.evalKBits(), first.evalKBits());
        var e = assertThrows(IllegalArgumentException.class, () -> Trainer.train(kernel(), data, Nd4j.zeros(10, 3), cfg));
        assertTrue(e.getMessage().contains("heldOut"), e.getMessage());
    }

    @Test
    @DisplayName("the history clocks evaluation apart: non-decreasing, within the total, zero without evaluation, resumed from the checkpoint")
    void evaluationTime(@TempDir Path dir) {
        var none = Trainer.train(kernel(), gaussianData(), config(20));
        for (double v : none.table().doubleColumn("eval_seconds").asDoubleArray()) assertEquals(0, v);
        var run = Trainer.train(kernel(), gaussianData(), config(40).withEvaluation(10, 256));
        var t = run.table();
        double[] wall = t.doubleColumn("seconds").asDoubleArray(), evalWall = t.doubleColumn("eval_seconds").asDoubleArray();
        double[] cpu = t.doubleColumn("cpu_seconds").asDoubleArray(), evalCpu = t.doubleColumn("eval_cpu_seconds").asDoubleArray();
        assertEquals(0, evalWall[8], "no evaluation before step 10");
        assertTrue(evalWall[9] > 0, "step 10 evaluates (its CPU time may round to 0 on a coarse clock)");
        for (int i = 0; i < wall.length; i++) {
            assertTrue(evalWall[i] <= wall[i] && evalCpu[i] <= cpu[i], "row " + i);
            if (i > 0) assertTrue(evalWall[i] >= evalWall[i - 1] && evalCpu[i] >= evalCpu[i - 1], "row " + i);
            if (i > 0 && (i + 1) % 10 != 0) assertEquals(evalWall[i - 1], evalWall[i], "row " + i + " did not evaluate");
        }
        assertEquals(4, run.history().evaluations().size());
        assertEquals(20, run.history().evaluations().get(1).step());
        Path file = dir.resolve("run.ckpt");
        var first = Trainer.train(kernel(), gaussianData(), config(40).withPauseAt(20).withEvaluation(10, 256).withCheckpoint(file, 10));
        var resumed = Trainer.train(kernel(), gaussianData(), config(40).withEvaluation(10, 256).withCheckpoint(file, 10));
        assertEquals(first.history().lastEvalSeconds(), resumed.table().doubleColumn("eval_seconds").get(19));
        assertTrue(resumed.history().lastEvalSeconds() > first.history().lastEvalSeconds());
    }

    @Test
    @DisplayName("non-finite updates are skipped and counted, and training goes on")
    void skipsNonFinite() {
        NetworkGaussianKernel k = kernel();
        var r = Trainer.train(k, gaussianData(1e200), config(300).withBatch(32)); // 1e200 overflows FLOAT: loss is infinite
        assertTrue(r.skipped() > 0 && r.skipped() < 300, "skipped " + r.skipped());
        assertTrue(Optimizer.allFinite(k.network().params().values()));
    }

    @Test
    @DisplayName("a loss that stays non-finite stops training with the step named, keeping the last good checkpoint")
    void stopsOnPersistentNonFinite(@TempDir Path dir) {
        NetworkGaussianKernel k = kernel();
        Path file = dir.resolve("run.ckpt");
        Trainer.train(k, gaussianData(), config(10).withCheckpoint(file, 5));
        k.network().params().values()[0] = Float.NaN;
        Path other = dir.resolve("other.ckpt");
        var e = assertThrows(NonFiniteTrainingException.class,
                () -> Trainer.train(k, gaussianData(), config(50).withMaxNonFinite(4).withCheckpoint(other, 1)));
        assertEquals(3, e.step());
        assertTrue(e.getMessage().contains("step 3"), e.getMessage());
        assertFalse(Files.exists(other), "no checkpoint is written from non-finite steps");
        assertEquals(10, Checkpoint.read(file).orElseThrow().step());
    }

    @Test
    @DisplayName("Adam's first step moves each parameter by lr against the gradient's sign; RMSprop's by lr / sqrt(0.1)")
    void optimiserFirstSteps() {
        float[] p = {1, 1}, g = {0.5f, -2f};
        new Optimizer(OptimizerKind.ADAM, LearningRate.constant(0.01), 2).step(p, g.clone(), 0);
        assertArrayEquals(new float[] {0.99f, 1.01f}, p, 1e-6f);
        float[] q = {1, 1};
        new Optimizer(OptimizerKind.RMSPROP, LearningRate.constant(0.01), 2).step(q, g.clone(), 0);
        float s = (float) (0.01 / Math.sqrt(0.1));
        assertArrayEquals(new float[] {1 - s, 1 + s}, q, 1e-5f);
    }

    @Test
    @DisplayName("reference learning rate: 1e-3, times 0.1^(1/1000) every 500 steps, never below 1e-4")
    void referenceLearningRate() {
        LearningRate lr = LearningRate.reference();
        assertEquals(1e-3, lr.at(499), 1e-15);
        assertEquals(1e-3 * Math.pow(0.1, 1.0 / 1000), lr.at(500), 1e-15);
        assertEquals(1e-4, lr.at(10_000_000), 1e-15);
    }

    @Test
    @DisplayName("the progress bar redraws one line in place, at most a few times a second")
    void progressBarIsOneLine() {
        var bytes = new java.io.ByteArrayOutputStream();
        var bar = new ProgressBar(new java.io.PrintStream(bytes, true), 1000, "bits");
        for (int i = 1; i <= 1000; i++) bar.update(i, -2.5, 100, false);
        bar.finish();
        String s = bytes.toString();
        assertTrue(s.chars().filter(c -> c == '\r').count() <= 3, s);
        assertEquals(1, s.chars().filter(c -> c == '\n').count());
        assertTrue(s.contains("K = -2.5000 bits"), s);
    }
}
