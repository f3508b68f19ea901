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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;

class ImageTrainerTest {
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
    @DisplayName("train 9 steps == train 5, checkpoint, resume a fresh network from the file, train to 9: bit-identical parameters and history")
    void resumeIsBitIdentical(OptimizerKind kind, @TempDir Path dir) throws Exception {
        INDArray data = structured(6, 23), heldOut = structured(3, 24);
        Path file = dir.resolve("image.ckpt");
        ImageTrainer.Result whole = ImageTrainer.train(network(3), data, heldOut, config(7, 9, kind));

        ImageTrainer.train(network(3), data, heldOut, config(7, 5, kind).withCheckpoint(file, 5));
        assertEquals(5, Checkpoint.read(file).orElseThrow().step());
        Files.write(dir.resolve("image.ckpt.tmp"), new byte[] {1, 2, 3});   // what a kill during the next write leaves
        // another initialisation: everything the resumed run knows comes from the file
        ImageTrainer.Result resumed = ImageTrainer.train(network(99), data, heldOut, config(7, 9, kind).withCheckpoint(file, 5));

        assertEquals(9, resumed.steps());
        assertArrayEquals(whole.network().parameterValues(), resumed.network().parameterValues());
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
        ImageTrainer.train(network(3), data, heldOut, config(7, 5, kind).withCheckpoint(noMoments, 5));
        Checkpoint five = Checkpoint.read(noMoments).orElseThrow();
        new Checkpoint(five.seed(), five.step(), five.skipped(), five.betas(), five.params(), new float[five.optimizerState().length],
                five.history()).write(noMoments);
        ImageTrainer.Result forgetful = ImageTrainer.train(network(3), data, heldOut, config(7, 9, kind).withCheckpoint(noMoments, 5));
        assertFalse(Arrays.equals(c.params(), forgetful.network().parameterValues()));
    }

    @ParameterizedTest
    @EnumSource(OptimizerKind.class)
    @DisplayName("learned schedule: train 9 == train 5, checkpoint, resume to 9: bit-identical parameters, betas and history; the schedule moved, beta_1 fixed, beta_2..T non-decreasing")
    void learnedScheduleResumesBitIdentical(OptimizerKind kind, @TempDir Path dir) {
        INDArray data = structured(6, 23), heldOut = structured(2, 24);   // 4 images: all evaluated
        Path file = dir.resolve("learned.ckpt");
        TrainConfig cfg = config(7, 9, kind).withLearnedSchedule(new ScheduleLearning(3e-2, 2));
        ImageTrainer.Result whole = ImageTrainer.train(network(3), data, heldOut, cfg);
        assertSame(whole.network().schedule(), whole.schedule());
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
        check.setParameterValues(whole.network().parameterValues());
        check.setSchedule(learned);
        assertEquals(new ImageObjective(check).kNats(heldOut, ImageTrainer.evaluationSeed(7)) / Math.log(2), whole.evalKBits(), 1e-9);

        ImageTrainer.train(network(3), data, heldOut, cfg.withSteps(5).withCheckpoint(file, 5));
        Checkpoint five = Checkpoint.read(file).orElseThrow();
        assertEquals(SCHEDULE.T() - 1, five.scheduleParams().length);
        ImageTrainer.Result resumed = ImageTrainer.train(network(99), data, heldOut, cfg.withCheckpoint(file, 5));
        assertArrayEquals(whole.network().parameterValues(), resumed.network().parameterValues());
        assertArrayEquals(learned.betas(), resumed.schedule().betas());
        assertArrayEquals(whole.minibatchKBits(), resumed.minibatchKBits());
        assertEquals(whole.evalKBits(), resumed.evalKBits());
        assertArrayEquals(learned.betas(), Checkpoint.read(file).orElseThrow().betas());

        // the schedule's optimiser state matters (so the comparison above can fail), and a fixed configuration refuses the file
        Path noMoments = dir.resolve("no-moments.ckpt");
        new Checkpoint(five.seed(), five.step(), five.skipped(), five.betas(), five.params(), five.optimizerState(), five.scheduleParams(),
                new float[five.scheduleState().length], five.history()).write(noMoments);
        ImageTrainer.Result forgetful = ImageTrainer.train(network(3), data, heldOut, cfg.withCheckpoint(noMoments, 5));
        assertFalse(Arrays.equals(learned.betas(), forgetful.schedule().betas()));
        var fixed = assertThrows(IllegalArgumentException.class, () -> ImageTrainer.train(network(3), data, heldOut, config(7, 9, kind).withCheckpoint(file, 5)));
        assertTrue(fixed.getMessage().contains("checkpoint schedule"), fixed.getMessage());
    }

    @Test
    @DisplayName("a fixed-schedule run keeps the network's schedule object, and a DOUBLE network refuses schedule learning naming learnSchedule")
    void fixedScheduleAndDoubleRefusal() {
        INDArray data = structured(3, 23);
        ImageTrainer.Result r = ImageTrainer.train(network(1), data, config(1, 2, OptimizerKind.ADAM).withEvaluation(0, 1));
        assertSame(SCHEDULE, r.schedule());
        ImageNetwork dbl = ImageNetwork.create(tiny(), SCHEDULE, GaussianParameterisation.PAPER, 1, org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        var e = assertThrows(IllegalArgumentException.class, () -> ImageTrainer.train(dbl, data, config(1, 1, OptimizerKind.ADAM).withLearnedSchedule(1e-2)));
        assertTrue(e.getMessage().contains("learnSchedule"), e.getMessage());
    }

    @Test
    @DisplayName("a loss that stays non-finite stops training naming the step, and the last good checkpoint is kept byte for byte")
    void nonFiniteStopsAndKeepsCheckpoint(@TempDir Path dir) throws Exception {
        INDArray data = structured(6, 23);
        Path file = dir.resolve("image.ckpt");
        TrainConfig cfg = config(8, 6, OptimizerKind.ADAM).withEvaluation(0, 1).withCheckpoint(file, 3).withMaxNonFinite(3);
        ImageTrainer.train(network(4), data, cfg);
        byte[] good = Files.readAllBytes(file);
        // finite data whose squares overflow FLOAT: every loss from step 6 on is infinite, each update skipped
        INDArray overflow = Nd4j.valueArrayOf(data.shape(), 1e30f);
        ImageNetwork net = network(4);
        var e = assertThrows(NonFiniteTrainingException.class, () -> ImageTrainer.train(net, overflow, cfg.withSteps(20)));
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
        double before = new ImageObjective(net).kNats(heldOut, ImageTrainer.evaluationSeed(cfg.seed())) / Math.log(2);
        ImageTrainer.Result r = ImageTrainer.train(net, data, heldOut, cfg);
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
        double after = new ImageObjective(net).kNats(heldOut, ImageTrainer.evaluationSeed(cfg.seed())) / Math.log(2);
        assertEquals(after, r.evalKBits(), 1e-9);
        assertEquals(after / pixels, eval[9], 1e-12);
        assertEquals(after / pixels, r.evalKBitsPerPixel(), 1e-12);
        assertTrue(after > before + 1, "held-out K before " + before + ", after " + after + " bits/image");
    }

    @Test
    @DisplayName("evaluation reaching the target (bits per image) stops training at that evaluation")
    void stopsAtTarget() {
        INDArray data = structured(6, 23);
        ImageNetwork net = network(5);
        double start = new ImageObjective(net).kNats(data, ImageTrainer.evaluationSeed(9)) / Math.log(2);
        ImageTrainer.Result r = ImageTrainer.train(net, data, config(9, 40, OptimizerKind.ADAM).withEvaluation(2, 100).withTarget(start + 1));
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
            ImageTrainer.train(network(6), structured(3, 23), config(1, 3, OptimizerKind.ADAM).withEvaluation(0, 1).withProgress(true));
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
    @DisplayName("bad settings fail early naming them: non-finite data, a checkpoint of another network, a DOUBLE network with checkpoints")
    void badSettings(@TempDir Path dir) {
        INDArray data = structured(3, 23);
        INDArray nan = data.dup();
        nan.putScalar(2, 5, Double.NaN);
        var e = assertThrows(IllegalArgumentException.class, () -> ImageTrainer.train(network(1), nan, config(1, 1, OptimizerKind.ADAM)));
        assertTrue(e.getMessage().contains("data") && e.getMessage().contains("row 2"), e.getMessage());

        Path file = dir.resolve("c.ckpt");
        ImageTrainer.train(network(1), data, config(1, 1, OptimizerKind.ADAM).withEvaluation(0, 1).withCheckpoint(file, 1));
        ImageNetwork wider = ImageNetwork.create(tiny().withUpper(2, 5), SCHEDULE, GaussianParameterisation.PAPER, 1);
        var size = assertThrows(IllegalArgumentException.class, () -> ImageTrainer.train(wider, data, config(1, 2, OptimizerKind.ADAM).withCheckpoint(file, 1)));
        assertTrue(size.getMessage().contains("checkpoint parameters"), size.getMessage());
        var seed = assertThrows(IllegalArgumentException.class, () -> ImageTrainer.train(network(1), data, config(2, 2, OptimizerKind.ADAM).withCheckpoint(file, 1)));
        assertTrue(seed.getMessage().contains("checkpoint seed"), seed.getMessage());

        ImageNetwork dbl = ImageNetwork.create(tiny(), SCHEDULE, GaussianParameterisation.PAPER, 1, org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        var precision = assertThrows(IllegalArgumentException.class, () -> ImageTrainer.train(dbl, data, config(1, 1, OptimizerKind.ADAM).withCheckpoint(dir.resolve("d"), 1)));
        assertTrue(precision.getMessage().contains("checkpoint"), precision.getMessage());
    }
}
