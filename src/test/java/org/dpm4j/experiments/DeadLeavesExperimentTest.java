package org.dpm4j.experiments;

import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.dpm4j.bound.BoundK;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.nn.conv.ImageNetwork;
import org.dpm4j.results.Metric;
import org.dpm4j.results.Run;
import org.dpm4j.results.RunClock;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class DeadLeavesExperimentTest {
    /**
     * 8 x 8 images, T = 20, a one-layer network: the whole experiment in a few seconds. The reference schedule: the
     * profiles' log-SNR schedule is fixed by its ends at T = 1000, and at T = 20 its 19 steps of 0.69 in log-SNR leave
     * the untrained bound 0.36 bits/pixel below L_null (measured), more than tinyRun's tolerance of 0.3 for "near".
     */
    static DeadLeavesExperiment.Config tiny() {
        return Settings.change(DeadLeavesExperiment.Config.of(Profile.QUICK), "schedule", org.dpm4j.schedule.ScheduleSpec.parse("reference"),
                "size", 8, "rMax", 8.0, "T", 20,
                "convLayers", 1, "convChannels", 6, "scales", 2, "upperHidden", 6, "trainImages", 400, "steps", 150,
                "batch", 16, "learningRate", 1e-2, "finalLearningRate", 1e-3, "heldOut", 100, "eq9Images", 4,
                "eq9Trajectories", 4, "samples", 2, "largeSize", 16, "largeSamples", 1);
    }

    @Test
    @DisplayName("every profile: T = 1000, the log-SNR schedule between the reference schedule's ends (paper: the reference schedule), the convolutional pathway alone, larger samples than images; paper checkpointed")
    void profiles() {
        var reference = Schedules.referenceGaussian(1000);
        for (Profile p : Profile.values()) {
            var c = DeadLeavesExperiment.Config.of(p);
            assertEquals(1000, c.T());
            var schedule = DeadLeavesExperiment.schedule(c);
            if (p == Profile.PAPER) {
                assertArrayEquals(reference.betas(), schedule.betas(), 0.0);
            } else {
                // the same ends as the reference schedule, and log(alphabar_t / (1 - alphabar_t)) falling by equal steps between
                assertEquals(reference.beta(1), schedule.beta(1), 1e-15);
                assertEquals(reference.alphaBar(1000), schedule.alphaBar(1000), 1e-12);
                double first = snr(schedule, 2) - snr(schedule, 1);
                for (int t = 2; t < 1000; t++) assertEquals(first, snr(schedule, t + 1) - snr(schedule, t), 1e-9, "log-SNR step at t = " + t);
            }
            assertFalse(c.network().hasDense());
            assertTrue(c.largeSize() > c.size());
            assertEquals(p == Profile.PAPER, c.checkpointEvery() > 0);
        }
        assertTrue(DeadLeavesExperiment.Config.of(Profile.QUICK).steps() < DeadLeavesExperiment.Config.of(Profile.STANDARD).steps());
        assertSame(DeadLeavesExperiment.EXPERIMENT, Experiments.get("dead-leaves"));
        var changed = DeadLeavesExperiment.EXPERIMENT.settings(Profile.QUICK, Map.of("parameterisation", "paper", "steps", "7"));
        assertEquals(org.dpm4j.kernel.GaussianParameterisation.PAPER, changed.parameterisation());
        assertEquals(7, changed.steps());
    }

    @Test
    @DisplayName("the U-Net arm: each profile's data, schedule, rates and evaluation with the U-Net without GroupNorm in place of the multi-scale layers; a tiny run trains, and its row carries its own model, so Table 1 keeps the paper network's row")
    void unetArm() {
        for (Profile p : Profile.values()) {
            var base = DeadLeavesExperiment.Config.of(p);
            var u = DeadLeavesExperiment.Config.unet(p);
            assertEquals(DeadLeavesExperiment.Architecture.UNET, u.architecture(), p.id());
            assertFalse(u.unetGroupNorm(), p.id());
            assertTrue(u.network().hasUnet(), p.id());
            // the same images (so K is measured on the same held-out set) and the same bound
            assertEquals(base.generator().toString(), u.generator().toString(), p.id());
            assertEquals(base.trainImages(), u.trainImages(), p.id());
            assertEquals(base.heldOut(), u.heldOut(), p.id());
            assertEquals(base.eq9Images(), u.eq9Images(), p.id());
            assertEquals(base.schedule(), u.schedule(), p.id());
            assertEquals(base.parameterisation(), u.parameterisation(), p.id());
            assertEquals(base.parameterAverage(), u.parameterAverage(), p.id());
        }
        assertEquals(DeadLeavesExperiment.UNET_STANDARD_STEPS, DeadLeavesExperiment.Config.unet(Profile.STANDARD).steps());
        assertSame(DeadLeavesExperiment.UNET_EXPERIMENT, Experiments.get("dead-leaves-unet"));
        assertEquals("dead-leaves-unet-figure4-quick-seed2.png", DeadLeavesExperiment.figureFile(java.nio.file.Path.of("results"),
                DeadLeavesExperiment.Architecture.UNET, Profile.QUICK, 2).getFileName().toString());
        // the paper profile checkpoints both networks: each its own file
        assertEquals("dead-leaves-32-seed2.ckpt", DeadLeavesExperiment.checkpointFile(DeadLeavesExperiment.Config.of(Profile.PAPER), 2).getFileName().toString());
        assertEquals("dead-leaves-unet-32-seed2.ckpt", DeadLeavesExperiment.checkpointFile(DeadLeavesExperiment.Config.unet(Profile.PAPER), 2).getFileName().toString());

        var multiScale = tiny();
        var c = Settings.change(multiScale, "architecture", DeadLeavesExperiment.Architecture.UNET, "unetGroupNorm", false, "unetChannels", 8);
        long seed = 6;
        var data = DeadLeavesExperiment.data(c, seed);
        ImageNetwork net = DeadLeavesExperiment.network(c, seed);
        assertTrue(net.config().hasUnet());
        double untrained = BoundK.gaussian(DeadLeavesExperiment.diffusion(c), net.kernel(), data.heldOut(), new Seeds(seed).bound())
                .kBits(DeadLeavesExperiment.PER_PIXEL);
        DeadLeavesExperiment.train(c, net, data, seed);
        var e = DeadLeavesExperiment.evaluate(c, net, data, seed);
        assertTrue(e.kBits() > untrained + 0.1, "trained " + e.kBits() + " vs untrained " + untrained);
        var b = DeadLeavesExperiment.baselines(c, data);
        Run paperNetwork = DeadLeavesExperiment.row(multiScale, Profile.QUICK, seed, e, b, RunClock.start().elapsed());
        Run unet = DeadLeavesExperiment.row(c, Profile.QUICK, seed, e, b, RunClock.start().elapsed());
        assertEquals(DeadLeavesExperiment.UNET_MODEL, unet.model());
        assertEquals("dead-leaves-unet", unet.experiment());
        assertEquals("diffusion", paperNetwork.model());
        java.util.List<org.dpm4j.results.ResultRow> rows = new java.util.ArrayList<>(paperNetwork.rows());
        rows.addAll(unet.rows());   // the U-Net's run is the later one, and still not Table 1's
        var table1 = org.dpm4j.results.Table1.assemble(rows);
        assertEquals(1, table1.rowCount());
        assertTrue(table1.stringColumn("Configuration").get(0).contains("architecture=MULTISCALE"), table1.stringColumn("Configuration").get(0));
    }

    @Test
    @DisplayName("data: seeded, held-out images not among the training images, training values z-scored (mean 0, std 1 within the noise)")
    void data() {
        var c = tiny();
        var a = DeadLeavesExperiment.data(c, 3);
        var b = DeadLeavesExperiment.data(c, 3);
        assertEquals(a.train(), b.train());
        assertEquals(a.heldOut(), b.heldOut());
        assertNotEquals(a.heldOut(), DeadLeavesExperiment.data(c, 4).heldOut());
        assertEquals(0, a.train().meanNumber().doubleValue(), 1e-3);
        assertEquals(1, a.train().stdNumber().doubleValue(), 1e-3);
        assertEquals(a.heldOut().getRow(0), a.eq9Images().getRow(0));
        double[][] train = a.train().toDoubleMatrix(), held = a.heldOut().toDoubleMatrix();
        for (double[] h : held) for (double[] t : train) assertFalse(java.util.Arrays.equals(h, t));
        // one dequantisation draw: each value within half the noise width of a stored 8-bit level
        var s = a.stored().scaling();
        double[] z = a.heldOut().dup().data().asDouble();
        for (double v : z) {
            double stored = v * s.std() + s.mean(), level = Math.rint(stored * 255) / 255;
            assertTrue(Math.abs((stored - level) / s.std()) <= s.noiseWidth() / 2 + 1e-9, "value " + v);
        }
    }

    @Test
    @DisplayName("the radius law: KS distance below the 1% critical value, empirical CDF within it of the law at every grid point")
    void radiusLaw() {
        var law = DeadLeavesExperiment.radiusLaw(DeadLeavesExperiment.Config.of(Profile.QUICK), 20_000, 50);
        assertTrue(law.ksDistance() < law.criticalValue(), "KS " + law.ksDistance());
        for (int k = 0; k < law.radius().length; k++) assertEquals(law.law()[k], law.empirical()[k], law.ksDistance() + 1e-12);
        assertEquals(0, law.law()[0], 1e-12);
        assertEquals(1, law.law()[law.law().length - 1], 1e-12);
    }

    @Test
    @DisplayName("forward states: t = 0 is the image; at t the values are sqrt(alphabar_t) x_0 + sqrt(1 - alphabar_t) noise (standardised mean 0, variance 1 within 4 s.e.)")
    void forwardStates() {
        var c = DeadLeavesExperiment.Config.of(Profile.QUICK);
        var image = DeadLeavesExperiment.data(Settings.change(c, "trainImages", 20, "heldOut", 4), 1).heldOut().getRow(0, true);
        int t = 300;
        INDArray x = DeadLeavesExperiment.forwardStates(c, image, new int[] {0, t}, 2);
        assertEquals(image, x.getRow(0, true));
        double ab = DeadLeavesExperiment.schedule(c).alphaBar(t);
        INDArray e = x.getRow(1, true).sub(image.mul(Math.sqrt(ab))).divi(Math.sqrt(1 - ab));
        int d = (int) e.length();
        assertEquals(0, e.meanNumber().doubleValue(), 4 / Math.sqrt(d));
        assertEquals(1, e.varNumber().doubleValue(), 4 * Math.sqrt(2.0 / d));
    }

    @Test
    @DisplayName("a tiny run: untrained K near L_null, training raises it; rows marked stand-in, K - L_null consistent, both baselines, samples at both sizes")
    void tinyRun() {
        var c = tiny();
        long seed = 5;
        RunClock clock = RunClock.start();
        var data = DeadLeavesExperiment.data(c, seed);
        ImageNetwork net = DeadLeavesExperiment.network(c, seed);
        var untrained = BoundK.gaussian(DeadLeavesExperiment.diffusion(c), net.kernel(), data.heldOut(), new Seeds(seed).bound());
        assertEquals(untrained.lNullBits(DeadLeavesExperiment.PER_PIXEL), untrained.kBits(DeadLeavesExperiment.PER_PIXEL), 0.3);
        String estimate = DeadLeavesExperiment.estimate(c, data, seed);
        assertTrue(estimate.startsWith("estimated training time: 150 steps x ") && !estimate.contains("checkpoint"), estimate);
        assertTrue(DeadLeavesExperiment.secondsPerStep(c, data, seed, 20) > 0);
        DeadLeavesExperiment.train(c, net, data, seed);
        var e = DeadLeavesExperiment.evaluate(c, net, data, seed);
        assertTrue(e.kBits() > untrained.kBits(DeadLeavesExperiment.PER_PIXEL) + 0.1, "trained " + e.kBits() + " vs untrained " + untrained.kBits(DeadLeavesExperiment.PER_PIXEL));
        assertEquals(e.kBits() - e.lNullBits(), e.kMinusLNullBits(), 1e-9);
        assertEquals(-0.5 * Math.log(2 * Math.PI * Math.E) / Math.log(2), e.lNullBits(), 0.1);   // unit-variance data
        var b = DeadLeavesExperiment.baselines(c, data);
        assertTrue(b.fullBits() > e.lNullBits() && b.stationaryBits() > e.lNullBits(), "correlated pixels: both Gaussians beat N(0, I)");
        INDArray small = DeadLeavesExperiment.samples(c, net, seed).x0(), large = DeadLeavesExperiment.largeSamples(c, net, seed).x0();
        assertArrayEquals(new long[] {c.samples(), 64}, small.shape());
        assertArrayEquals(new long[] {c.largeSamples(), 256}, large.shape());
        org.dpm4j.util.Check.allFinite("samples", large.dup().data().asDouble());
        Run run = DeadLeavesExperiment.row(c, Profile.QUICK, seed, e, b, clock.elapsed());
        assertEquals("Dead leaves (stand-in)", run.datasetLabel());
        assertEquals(e.kBits(), run.value(Metric.K), 0);
        assertEquals(b.stationaryBits(), run.value(DeadLeavesExperiment.STATIONARY_GAUSSIAN), 0);
        assertEquals(b.fullBits(), run.value(DeadLeavesExperiment.FULL_GAUSSIAN), 0);
        assertEquals("bits/pixel", run.row(Metric.K).orElseThrow().unit());
        assertTrue(run.configuration().get("generator").contains("DeadLeaves[size=8"));
    }

    @Test
    @DisplayName("Figure 4: three titled panels side by side; the training panel shows the stored [0, 1] grey levels, not z-scores; wrong shapes refused")
    void figure4() {
        var c = tiny();
        var data = DeadLeavesExperiment.data(c, 2);
        var scaling = data.stored().scaling();
        INDArray samples = data.heldOut().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        INDArray large = org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 1, c.largeSize() * c.largeSize());
        java.awt.image.BufferedImage f = DeadLeavesExperiment.figure4(c, data, samples, large);
        int zoom = 160 / c.size();
        INDArray train = data.stored().train().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4), org.nd4j.linalg.indexing.NDArrayIndex.all());
        java.awt.image.BufferedImage grid = org.dpm4j.data.ImageGrid.of(scaling.toStored(train), c.shape(), 2, 0, 1, zoom);
        java.awt.image.BufferedImage first = org.dpm4j.plot.Plots.titled("training images (stand-in)", grid);
        // compared as drawn into an RGB picture (getRGB of a grey BufferedImage converts through a linear grey space)
        for (int x = 0; x < grid.getWidth(); x++)
            for (int y = 0; y < first.getHeight(); y++) assertEquals(first.getRGB(x, y), f.getRGB(x, y), "training panel pixel " + x + ", " + y);
        // the same panel drawn from z-scores clipped to [0, 1] would differ (the data have values below 0 in z units)
        java.awt.image.BufferedImage clipped = org.dpm4j.plot.Plots.titled("training images (stand-in)",
                org.dpm4j.data.ImageGrid.of(train, c.shape(), 2, 0, 1, zoom));
        assertFalse(java.util.Arrays.equals(first.getRGB(0, 0, grid.getWidth(), first.getHeight(), null, 0, grid.getWidth()),
                clipped.getRGB(0, 0, grid.getWidth(), first.getHeight(), null, 0, grid.getWidth())));
        assertTrue(f.getWidth() >= 2 * grid.getWidth() + 2 * c.largeSize(), "three panels, the last at least two large samples wide: width " + f.getWidth());
        assertRejected(() -> DeadLeavesExperiment.figure4(c, data, large, large), "samples", "[1, 256]");
        assertRejected(() -> DeadLeavesExperiment.figure4(c, data, samples, samples), "large", "[2, 64]");
        assertEquals("dead-leaves-figure4-standard-seed3.png",
                DeadLeavesExperiment.figureFile(java.nio.file.Path.of("results"), Profile.STANDARD, 3).getFileName().toString());
    }

    @Test
    @DisplayName("the sampler on a trivially learnable case: after training on one image repeated, samples are that image up to the last step's noise")
    void samplesReproduceTheOnlyTrainingImage() {
        // T = 100: sqrt(beta_1) = 0.105 is the noise of the last step, a floor on the samples' distance to the image
        var c = Settings.change(tiny(), "T", 100, "convLayers", 2, "convChannels", 8, "upperHidden", 8, "steps", 1500,
                "samples", 16);
        double[] img = new double[64];
        for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) img[y * 8 + x] = Math.hypot(x - 3.5, y - 3.5) < 2.6 ? 1.2 : -0.8;
        double[][] rows = new double[64][];
        java.util.Arrays.fill(rows, img);
        INDArray train = org.nd4j.linalg.factory.Nd4j.createFromArray(rows);
        ImageNetwork net = DeadLeavesExperiment.network(c, 1);
        double before = rmsTo(DeadLeavesExperiment.samples(c, net, 1).x0(), img);
        org.dpm4j.nn.conv.ImageNetworkObjective.train(net, train, null,
                DeadLeavesExperiment.trainConfig(c, 1).withEvaluation(0, 1).withProgress(false));
        double after = rmsTo(DeadLeavesExperiment.samples(c, net, 1).x0(), img);
        // measured 0.23 after 1500 steps (0.17 after 5000, towards the floor 0.105); untrained samples are N(0, I)-like, about 1.4 away
        assertTrue(before > 1, "untrained samples' rms distance to the image " + before);
        assertTrue(after < 0.35 && after > Math.sqrt(DeadLeavesExperiment.schedule(c).beta(1)) * 0.8, "trained samples' rms distance to the image " + after);
    }

    @Test
    @DisplayName("with parameterAverage the trained network holds the run's average and the last parameters are kept; without, it holds the last ones, as a run with the average's training otherwise")
    void parameterAverage() {
        var c = Settings.change(tiny(), "steps", 40);
        var data = DeadLeavesExperiment.data(c, 6);
        ImageNetwork plain = DeadLeavesExperiment.network(c, 6), averaged = DeadLeavesExperiment.network(c, 6);
        var p = DeadLeavesExperiment.train(c, plain, data, 6);
        var a = DeadLeavesExperiment.train(Settings.change(c, "parameterAverage", 0.9), averaged, data, 6);
        assertFalse(p.averaged());
        assertArrayEquals(p.lastParameters(), plain.parameterValues());
        assertTrue(a.averaged());
        assertArrayEquals(p.lastParameters(), a.lastParameters(), "averaging does not change the training");
        assertArrayEquals(a.result().averagedParameters(), averaged.parameterValues());
        assertFalse(java.util.Arrays.equals(a.lastParameters(), averaged.parameterValues()));
        assertEquals(0.9, DeadLeavesExperiment.trainConfig(Settings.change(c, "parameterAverage", 0.9), 6).average().decay());
        assertNull(DeadLeavesExperiment.trainConfig(c, 6).average());
        // the gain: K of the average and of the last parameters, each as BoundK gives it alone, and their paired difference
        var gain = DeadLeavesExperiment.averageGain(averaged, a, data, 6, 10);
        var x = data.heldOut().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 10), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        long noise = new Seeds(6).bound();
        assertEquals(BoundK.gaussian(DeadLeavesExperiment.diffusion(c), averaged.kernel(), x, noise).kBits(DeadLeavesExperiment.PER_PIXEL), gain.averagedBits(), 1e-12);
        assertEquals(BoundK.gaussian(DeadLeavesExperiment.diffusion(c), plain.kernel(), x, noise).kBits(DeadLeavesExperiment.PER_PIXEL), gain.lastBits(), 1e-12);
        assertEquals(gain.averagedBits() - gain.lastBits(), gain.gainBits().mean(), 1e-9);
        assertArrayEquals(a.result().averagedParameters(), averaged.parameterValues(), "the average is back in place");
        assertRejected(() -> DeadLeavesExperiment.averageGain(plain, p, data, 6, 10), "trained", "without a parameter average");
    }

    @Test
    @DisplayName("neighbour steps: a hand-made 3 x 3 image's 12 pairs counted by hand (through the scaling), and the generator's images mostly flat")
    void neighbourSteps() {
        var c = tiny();
        var data = DeadLeavesExperiment.data(c, 2);
        var s = data.stored().scaling();
        // grey levels, rows: 10 10 10 / 10 15 60 / 10 15 60: horizontal differences 0,0 | 5,45 | 5,45; vertical, column by column, 0,0 | 5,0 | 50,0
        double[] levels = {10, 10, 10, 10, 15, 60, 10, 15, 60};
        double[] z = new double[9];
        for (int i = 0; i < 9; i++) z[i] = (levels[i] / 255 - s.mean()) / s.std();
        var steps = DeadLeavesExperiment.neighbourSteps(data, org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {z}));
        assertEquals(6 / 12.0, steps.equal(), 1e-12);
        assertEquals(3 / 12.0, steps.small(), 1e-12);
        assertEquals(3 / 12.0, steps.edge(), 1e-12);
        var training = DeadLeavesExperiment.neighbourSteps(data, data.stored().train());
        assertTrue(training.equal() > 0.6 && training.small() < 0.1, training.toString());
        assertEquals(1, training.equal() + training.small() + training.edge(), 1e-12);
        assertRejected(() -> DeadLeavesExperiment.neighbourSteps(data, org.nd4j.linalg.factory.Nd4j.zeros(1, 10)), "z.columns", "10");
    }

    private static double snr(org.dpm4j.schedule.BetaSchedule s, int t) { return Math.log(s.alphaBar(t) / (1 - s.alphaBar(t))); }

    private static double rmsTo(INDArray samples, double[] img) {
        double s = 0;
        for (int i = 0; i < samples.rows(); i++)
            for (int j = 0; j < img.length; j++) s += Math.pow(samples.getDouble(i, j) - img[j], 2);
        return Math.sqrt(s / (samples.rows() * img.length));
    }

    @Test
    @DisplayName("bad settings are refused naming the parameter")
    void refusals() {
        var c = tiny();
        assertRejected(() -> Settings.change(c, "largeSize", 9), "scales", "2");
        assertRejected(() -> Settings.change(c, "eq9Images", 101), "eq9Images", "101");
        assertRejected(() -> Settings.change(c, "finalLearningRate", 1.0), "finalLearningRate", "1.0");
        assertRejected(() -> Settings.change(c, "rMax", 0.5), "rMax", "0.5");
        assertRejected(() -> Settings.change(c, "parameterAverage", 1.0), "parameterAverage", "1.0");
        assertRejected(() -> DeadLeavesExperiment.radiusLaw(c, 0, 10), "draws", "0");
    }

    @Test
    @DisplayName("denoising: an untrained POSTERIOR_V kernel (readout 0) implies x_0 = sqrt(alphabar_t) x_t, whose error share is alphabar (1 - alphabar) E[x_0^2] + alphabar^2 in closed form (Monte Carlo, 6 %)")
    void denoisingOfTheUntrainedKernelIsTheClosedForm() {
        var c = tiny();
        var data = DeadLeavesExperiment.data(c, 3);
        ImageNetwork untrained = DeadLeavesExperiment.network(c, 3);
        int[] times = {4, 10, 16};
        var d = DeadLeavesExperiment.denoising(untrained, data, 100, times, 3);
        INDArray x0 = data.heldOut();
        double m2 = x0.mul(x0).meanNumber().doubleValue();
        for (int i = 0; i < times.length; i++) {
            double ab = untrained.schedule().alphaBar(times[i]);
            assertEquals(ab * (1 - ab) * m2 + ab * ab, d.model()[i], 0.06 * (ab * (1 - ab) * m2 + ab * ab), "t = " + times[i]);
            assertTrue(d.filter()[i] > 0 && Double.isFinite(d.filter()[i]), "filter share " + d.filter()[i]);
        }
        assertRejected(() -> DeadLeavesExperiment.denoising(untrained, data, 100, new int[] {1}, 3), "times[0]", "1");
        assertRejected(() -> DeadLeavesExperiment.denoising(untrained, data, 0, times, 3), "images", "0");
    }

    @Test
    @DisplayName("the edge-keeping filter: a noise-free piecewise-constant image is a fixed point (edges kept exactly); on a flat noisy image it cuts the noise variance below 1/8 (25 pixels at most, 9 in the corners)")
    void edgeKeepingFilter() {
        int side = 16;
        double[] step = new double[side * side];
        for (int i = 0; i < step.length; i++) step[i] = (i % side) < 7 ? -1.0 : (i / side) < 5 ? 2.0 : 0.5;
        assertArrayEquals(step, DeadLeavesExperiment.edgeKeepingFilter(step, side, 0.01), 1e-12);
        var rng = new java.util.SplittableRandom(8);
        double[] noisy = new double[side * side];
        double sum = 0;
        int repeats = 50;
        for (int r = 0; r < repeats; r++) {
            for (int i = 0; i < noisy.length; i++) noisy[i] = 0.3 + 0.1 * rng.nextGaussian();
            double[] out = DeadLeavesExperiment.edgeKeepingFilter(noisy, side, 0.1);
            for (double v : out) sum += (v - 0.3) * (v - 0.3);
        }
        double share = sum / (repeats * noisy.length) / 0.01;
        assertTrue(share > 1.0 / 25 && share < 1.0 / 8, "flat image: error share " + share);
        assertRejected(() -> DeadLeavesExperiment.edgeKeepingFilter(step, side, 0), "noiseStd", "0");
        assertRejected(() -> DeadLeavesExperiment.edgeKeepingFilter(new double[3], side, 1), "z", "3");
    }

    @Test
    @DisplayName("lastStepMeans are the samples without the fixed first step's noise: every draw within 6 sqrt(beta_1) of its mean, and the residuals' variance beta_1 (Monte Carlo, 15 %)")
    void lastStepMeansAreTheDrawsWithoutTheLastNoise() {
        var c = Settings.change(tiny(), "samples", 6);
        ImageNetwork net = DeadLeavesExperiment.network(c, 2);
        var drawn = DeadLeavesExperiment.samples(c, net, 2);
        INDArray draws = drawn.x0(), means = DeadLeavesExperiment.lastStepMeans(net, drawn);
        double beta1 = net.schedule().beta(1);
        INDArray r = draws.sub(means);
        assertTrue(r.amaxNumber().doubleValue() < 6 * Math.sqrt(beta1), "largest residual " + r.amaxNumber());
        assertEquals(beta1, r.mul(r).meanNumber().doubleValue(), 0.15 * beta1);
    }
}
