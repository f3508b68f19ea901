package org.dpm4j.nn.conv;

import static org.dpm4j.nn.conv.ImageNetworkTest.SCHEDULE;
import static org.dpm4j.nn.conv.ImageNetworkTest.images;
import static org.dpm4j.nn.conv.ImageNetworkTest.tiny;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.train.Checkpoint;
import org.dpm4j.train.Estimator;
import org.dpm4j.train.LearningRate;
import org.dpm4j.train.NonFiniteTrainingException;
import org.dpm4j.train.OptimizerKind;
import org.dpm4j.train.ScheduleLearning;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.train.TrainConfig;
import org.dpm4j.train.TrainResult;
import org.dpm4j.train.Trainer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;

/** The one training loop ({@link org.dpm4j.train.Trainer}) on the image network, through {@link ImageNetworkObjective}. */
class ImageTrainingTest {
    /** Two fixed 2x8x8 images with a little noise: structure a few steps can learn. */
    static INDArray structured(int copies, long seed) {
        INDArray base = images(2, 22);
        INDArray[] rows = new INDArray[copies];
        Arrays.fill(rows, base);
        return Nd4j.vstack(rows).addi(images(2 * copies, seed).muli(0.1));
    }

    /** A decaying rate, so the resumed run must also continue the schedule at the right step. */
    static TrainConfig config(long seed, int steps, OptimizerKind kind) {
        return TrainConfig.of(seed, steps).withBatch(6).withEstimator(Estimator.SAMPLED_T)
                .withOptimizer(kind, new LearningRate(3e-3, 0.5, 3, 1e-4)).withEvaluation(4, 5).withProgress(false);
    }

    static ImageNetwork network(long seed) {
        return ImageNetwork.create(tiny(), SCHEDULE, GaussianParameterisation.PAPER, seed);
    }

    @ParameterizedTest
    @EnumSource(OptimizerKind.class)
    @DisplayName("train 9 steps == pause at 5 with a checkpoint, resume a fresh network from the file, train to 9: bit-identical parameters and history")
    void resumeIsBitIdentical(OptimizerKind kind, @TempDir Path dir) throws Exception {
        INDArray data = structured(6, 23), heldOut = structured(3, 24);
        Path file = dir.resolve("image.ckpt");
        TrainResult<ImageNetwork> whole = ImageNetworkObjective.train(network(3), data, heldOut, config(7, 9, kind));

        ImageNetworkObjective.train(network(3), data, heldOut, config(7, 9, kind).withPauseAt(5).withCheckpoint(file, 5));
        assertEquals(5, Checkpoint.read(file).orElseThrow().step());
        Files.write(dir.resolve("image.ckpt.tmp"), new byte[] {1, 2, 3});   // what a kill during the next write leaves
        // another initialisation: everything the resumed run knows comes from the file
        TrainResult<ImageNetwork> resumed = ImageNetworkObjective.train(network(99), data, heldOut, config(7, 9, kind).withCheckpoint(file, 5));

        assertEquals(9, resumed.steps());
        assertArrayEquals(whole.kernel().parameterValues(), resumed.kernel().parameterValues());
        assertArrayEquals(whole.minibatchKBits(), resumed.minibatchKBits());
        Table a = whole.table(), b = resumed.table();
        double[] evalA = a.doubleColumn("K_eval_bits_per_pixel").asDoubleArray(), evalB = b.doubleColumn("K_eval_bits_per_pixel").asDoubleArray();
        for (int i : new int[] {3, 7, 8}) {   // steps 4, 8 and the end
            assertFalse(Double.isNaN(evalA[i]));
            assertEquals(evalA[i], evalB[i], "K evaluated at step " + (i + 1));
        }
        assertEquals(whole.evalKBits(), resumed.evalKBits());
        assertEquals(9, Checkpoint.read(file).orElseThrow().step());

        // the optimiser's moments matter: resuming without them lands elsewhere (so the comparison above can fail)
        Checkpoint c = Checkpoint.read(file).orElseThrow();
        Path noMoments = dir.resolve("no-moments.ckpt");
        ImageNetworkObjective.train(network(3), data, heldOut, config(7, 9, kind).withPauseAt(5).withCheckpoint(noMoments, 5));
        Checkpoint five = Checkpoint.read(noMoments).orElseThrow();
        new Checkpoint(five.fingerprint(), five.seed(), five.step(), five.skipped(), five.betas(), five.params(), new float[five.optimizerState().length],
                five.scheduleParams(), five.scheduleState(), five.history()).write(noMoments);
        TrainResult<ImageNetwork> forgetful = ImageNetworkObjective.train(network(3), data, heldOut, config(7, 9, kind).withCheckpoint(noMoments, 5));
        assertFalse(Arrays.equals(c.params(), forgetful.kernel().parameterValues()));
    }

    @ParameterizedTest
    @EnumSource(OptimizerKind.class)
    @DisplayName("learned schedule: train 9 == pause at 5 with a checkpoint, resume to 9: bit-identical parameters, betas and history; the schedule moved, beta_1 fixed, beta_2..T non-decreasing")
    void learnedScheduleResumesBitIdentical(OptimizerKind kind, @TempDir Path dir) {
        INDArray data = structured(6, 23), heldOut = structured(2, 24);   // 4 images: all evaluated
        Path file = dir.resolve("learned.ckpt");
        TrainConfig cfg = config(7, 9, kind).withLearnedSchedule(new ScheduleLearning(3e-2, 2));
        TrainResult<ImageNetwork> whole = ImageNetworkObjective.train(network(3), data, heldOut, cfg);
        assertSame(whole.kernel().schedule(), whole.schedule());
        BetaSchedule learned = whole.schedule();
        assertNotEquals(SCHEDULE, learned);
        assertEquals(SCHEDULE.beta(1), learned.beta(1), 0, "beta_1 is fixed");
        double moved = 0;
        for (int t = 2; t <= learned.T(); t++) {
            if (t > 2) assertTrue(learned.beta(t) >= learned.beta(t - 1), "beta_" + t + " < beta_" + (t - 1));
            moved = Math.max(moved, Math.abs(org.dpm4j.util.Logistic.logit(learned.beta(t)) - org.dpm4j.util.Logistic.logit(SCHEDULE.beta(t))));
        }
        assertTrue(moved > 1e-2, "largest change of logit(beta_t): " + moved);
        // the evaluations use the schedule of their step: the last one is K of the final network under the learned schedule
        ImageNetwork check = network(3);
        check.setParameterValues(whole.kernel().parameterValues());
        check.setSchedule(learned);
        assertEquals(new ImageObjective(check).kNats(heldOut, Trainer.evaluationSeed(7)) / Math.log(2), whole.evalKBits(), 1e-9);

        ImageNetworkObjective.train(network(3), data, heldOut, cfg.withPauseAt(5).withCheckpoint(file, 5));
        Checkpoint five = Checkpoint.read(file).orElseThrow();
        assertEquals(SCHEDULE.T() - 1, five.scheduleParams().length);
        TrainResult<ImageNetwork> resumed = ImageNetworkObjective.train(network(99), data, heldOut, cfg.withCheckpoint(file, 5));
        assertArrayEquals(whole.kernel().parameterValues(), resumed.kernel().parameterValues());
        assertArrayEquals(learned.betas(), resumed.schedule().betas());
        assertArrayEquals(whole.minibatchKBits(), resumed.minibatchKBits());
        assertEquals(whole.evalKBits(), resumed.evalKBits());
        assertArrayEquals(learned.betas(), Checkpoint.read(file).orElseThrow().betas());

        // the schedule's optimiser state matters (so the comparison above can fail), and a fixed configuration refuses the file
        Path noMoments = dir.resolve("no-moments.ckpt");
        new Checkpoint(five.fingerprint(), five.seed(), five.step(), five.skipped(), five.betas(), five.params(), five.optimizerState(), five.scheduleParams(),
                new float[five.scheduleState().length], five.history()).write(noMoments);
        TrainResult<ImageNetwork> forgetful = ImageNetworkObjective.train(network(3), data, heldOut, cfg.withCheckpoint(noMoments, 5));
        assertFalse(Arrays.equals(learned.betas(), forgetful.schedule().betas()));
        var fixed = assertThrows(IllegalArgumentException.class, () -> ImageNetworkObjective.train(network(3), data, heldOut, config(7, 9, kind).withCheckpoint(file, 5)));
        assertTrue(fixed.getMessage().contains("learnSchedule = "), fixed.getMessage());
    }

    @Test
    @DisplayName("a fixed-schedule run keeps the network's schedule object, and a DOUBLE network (the tests' reference graph) is refused for training naming its data type")
    void fixedScheduleAndDoubleRefusal() {
        INDArray data = structured(3, 23);
        TrainResult<ImageNetwork> r = ImageNetworkObjective.train(network(1), data, null, config(1, 2, OptimizerKind.ADAM).withEvaluation(0, 1));
        assertSame(SCHEDULE, r.schedule());
        ImageNetwork dbl = ImageNetwork.create(tiny(), SCHEDULE, GaussianParameterisation.PAPER, 1, org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        var e = assertThrows(IllegalArgumentException.class, () -> ImageNetworkObjective.train(dbl, data, null, config(1, 1, OptimizerKind.ADAM)));
        assertTrue(e.getMessage().contains("network data type = DOUBLE"), e.getMessage());
    }

    /** The image objective, poisoned: from its (after + 1)-th minibatch on every loss is infinite, as in a run that diverges. */
    static final class DivergesAfter implements org.dpm4j.train.Objective {
        final ImageNetworkObjective inner;
        final int after;
        int calls;

        DivergesAfter(ImageNetworkObjective inner, int after) { this.inner = inner; this.after = after; }

        @Override public int dimension() { return inner.dimension(); }
        @Override public float[] parameterValues() { return inner.parameterValues(); }
        @Override public float[] parameterGradients() { return inner.parameterGradients(); }
        @Override public void parametersChanged() { inner.parametersChanged(); }
        @Override public double evaluateNats(double[] x0, long seed) { return inner.evaluateNats(x0, seed); }
        @Override public String describe() { return inner.describe(); }

        @Override public Value evaluate(double[] x0, org.dpm4j.train.TimeSampler sampler, java.util.random.RandomGenerator rng, boolean gradient) {
            Value v = inner.evaluate(x0, sampler, rng, gradient);
            return ++calls > after ? new Value(Double.POSITIVE_INFINITY, v.ceilingNats()) : v;
        }
    }

    @Test
    @DisplayName("a loss that stays non-finite stops training naming the step, and the last good checkpoint is kept byte for byte")
    void nonFiniteStopsAndKeepsCheckpoint(@TempDir Path dir) throws Exception {
        INDArray data = structured(6, 23);
        Path file = dir.resolve("image.ckpt");
        TrainConfig cfg = config(8, 20, OptimizerKind.ADAM).withEvaluation(0, 1).withMaxNonFinite(3).withCheckpoint(file, 3);
        Trainer.train(new DivergesAfter(new ImageNetworkObjective(network(4)), Integer.MAX_VALUE), data, null, cfg.withPauseAt(6));
        byte[] good = Files.readAllBytes(file);
        assertEquals(6, Checkpoint.read(file).orElseThrow().step());
        // the same run resumed, diverging at once: steps 6, 7 and 8 (0-based) are non-finite
        ImageNetwork net = network(99);
        var e = assertThrows(NonFiniteTrainingException.class, () -> Trainer.train(new DivergesAfter(new ImageNetworkObjective(net), 0), data, null, cfg));
        assertEquals(8, e.step());
        assertTrue(e.getMessage().contains("step 8"), e.getMessage());
        assertArrayEquals(good, Files.readAllBytes(file));
        assertArrayEquals(Checkpoint.read(file).orElseThrow().params(), net.parameterValues(), "skipped updates leave the parameters alone");
    }

    @Test
    @DisplayName("K is evaluated every N steps and at the end, on held-out images with fixed noise; the table has K in bits/pixel, steps/s and the rate")
    void periodicEvaluationAndTable() {
        INDArray data = structured(6, 23), heldOut = structured(2, 25);
        TrainConfig cfg = config(9, 10, OptimizerKind.ADAM);
        ImageNetwork net = network(5);
        double before = new ImageObjective(net).kNats(heldOut, Trainer.evaluationSeed(cfg.seed())) / Math.log(2);
        TrainResult<ImageNetwork> r = ImageNetworkObjective.train(net, data, heldOut, cfg);
        Table t = r.table();
        assertEquals(10, t.rowCount());
        int pixels = 64;
        double[] eval = t.doubleColumn("K_eval_bits_per_pixel").asDoubleArray();
        for (int i = 0; i < 10; i++) {
            int step = t.intColumn("step").getInt(i);
            assertEquals(i + 1, step);
            assertEquals(step % 4 == 0 || step == 10, !Double.isNaN(eval[i]), "evaluated at step " + step);
            assertEquals(cfg.learningRate().at(step - 1), t.doubleColumn("learning_rate").getDouble(i));
            assertTrue(t.doubleColumn("steps_per_s").getDouble(i) > 0);
            assertEquals(r.minibatchKBits()[i] / pixels, t.doubleColumn("K_bits_per_pixel").getDouble(i), 1e-12);
        }
        // the last evaluation is K of the final network on the held-out images with the documented noise seed
        double after = new ImageObjective(net).kNats(heldOut, Trainer.evaluationSeed(cfg.seed())) / Math.log(2);
        assertEquals(after, r.evalKBits(), 1e-9);
        assertEquals(after / pixels, eval[9], 1e-12);
        assertEquals(after / pixels, r.evalKBitsPerUnit(), 1e-12);
        assertTrue(after > before + 1, "held-out K before " + before + ", after " + after + " bits/image");
    }

    @Test
    @DisplayName("evaluation reaching the target (bits per image) stops training at that evaluation")
    void stopsAtTarget() {
        INDArray data = structured(6, 23);
        ImageNetwork net = network(5);
        double start = new ImageObjective(net).kNats(data, Trainer.evaluationSeed(9)) / Math.log(2);
        TrainResult<ImageNetwork> r = ImageNetworkObjective.train(net, data, null, config(9, 40, OptimizerKind.ADAM).withEvaluation(2, 100).withTarget(start + 1));
        assertTrue(r.reachedTarget());
        assertTrue(r.steps() < 40 && r.steps() % 2 == 0, "stopped at " + r.steps());
        assertTrue(r.evalKBits() >= start + 1);
    }

    @Test
    @DisplayName("the progress bar is one line redrawn in place with step, K in bits/pixel and steps/s")
    void progressBar() {
        PrintStream old = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            ImageNetworkObjective.train(network(6), structured(3, 23), null, config(1, 3, OptimizerKind.ADAM).withEvaluation(0, 1).withProgress(true));
        } finally {
            System.setOut(old);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        // SameDiff prints while it builds the gradient graph; the bar's drawings are all on one line
        String[] bar = Arrays.stream(out.split("\n")).filter(l -> l.contains("bits/pixel")).toArray(String[]::new);
        assertEquals(1, bar.length, out);
        assertTrue(bar[0].startsWith("\r") && bar[0].contains("3/3") && bar[0].contains("steps/s"), bar[0]);
    }

    @Test
    @DisplayName("bad settings fail early naming them: non-finite data; a checkpoint of another network, seed or learning rate, naming the field and both values")
    void badSettings(@TempDir Path dir) {
        INDArray data = structured(3, 23);
        INDArray nan = data.dup();
        nan.putScalar(2, 5, Double.NaN);
        var e = assertThrows(IllegalArgumentException.class, () -> ImageNetworkObjective.train(network(1), nan, null, config(1, 1, OptimizerKind.ADAM)));
        assertTrue(e.getMessage().contains("data[2, 5] = NaN"), e.getMessage());

        Path file = dir.resolve("c.ckpt");
        ImageNetworkObjective.train(network(1), data, null, config(1, 1, OptimizerKind.ADAM).withEvaluation(0, 1).withCheckpoint(file, 1));
        ImageNetwork wider = ImageNetwork.create(tiny().withUpper(2, 5), SCHEDULE, GaussianParameterisation.PAPER, 1);
        var size = assertThrows(IllegalArgumentException.class, () -> ImageNetworkObjective.train(wider, data, null, config(1, 2, OptimizerKind.ADAM).withCheckpoint(file, 1)));
        assertTrue(size.getMessage().contains("model = ") && size.getMessage().contains("in the checkpoint"), size.getMessage());
        var seed = assertThrows(IllegalArgumentException.class, () -> ImageNetworkObjective.train(network(1), data, null, config(2, 2, OptimizerKind.ADAM).withCheckpoint(file, 1)));
        assertTrue(seed.getMessage().contains("seed = 1 in the checkpoint, but 2 in this configuration"), seed.getMessage());
        var rate = assertThrows(IllegalArgumentException.class, () -> ImageNetworkObjective.train(network(1), data, null,
                config(1, 1, OptimizerKind.ADAM).withLearningRate(5e-3).withCheckpoint(file, 1)));
        assertTrue(rate.getMessage().contains("learningRate = ") && rate.getMessage().contains(file.toString()), rate.getMessage());
    }
}
