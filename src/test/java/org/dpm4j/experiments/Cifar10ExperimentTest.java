package org.dpm4j.experiments;

import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.dpm4j.data.Cifar10;
import org.dpm4j.data.DataCache;
import org.dpm4j.results.Metric;
import org.dpm4j.results.Run;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10ExperimentTest {
    @TempDir Path dir;

    /** 8 x 8 patches, T = 20, one conv layer and a one-layer dense pathway: the whole experiment in seconds. */
    static Cifar10Experiment.Config tiny() {
        return Settings.change(Cifar10Experiment.Config.of(Profile.QUICK), "size", 8, "T", 20, "trainImages", 300,
                "validation", 50, "convLayers", 1, "convChannels", 4, "scales", 2, "denseLayers", 1, "denseOutputChannels", 1,
                "upperHidden", 4, "steps", 40, "batch", 8, "heldOut", 12, "eq9Images", 2, "eq9Trajectories", 2,
                "samples", 3, "denoiseImages", 3, "denoiseSamples", 2, "ridges", new double[] {1e-2, 1e-1});
    }

    @Test
    @DisplayName("profiles: T = 1000, the reference schedule, both pathways; paper at the reference CIFAR-10 sizes, checkpointed; stand-in by default")
    void profiles() {
        for (Profile p : Profile.values()) {
            var c = Cifar10Experiment.Config.of(p);
            assertEquals(1000, c.T());
            assertArrayEquals(Schedules.referenceGaussian(1000).betas(), Cifar10Experiment.schedule(c).betas(), 0.0);
            assertTrue(c.network().hasConv() && c.network().hasDense());
            assertEquals(3, c.shape().channels());
            assertEquals(Cifar10Experiment.Source.STAND_IN, c.dataset());
            assertEquals(p == Profile.PAPER, c.checkpointEvery() > 0);
            assertEquals(1.0, c.noiseVariance());
        }
        var paper = Cifar10Experiment.Config.of(Profile.PAPER);
        assertEquals(32, paper.size());
        assertEquals(6, paper.convLayers());
        assertEquals(100, paper.convChannels());
        assertEquals(1000, paper.denseHidden());
        assertEquals(5, paper.denseOutputChannels());
        assertEquals(4, paper.upperLayers());
        assertEquals(100, paper.upperHidden());
        assertEquals(200, paper.batch());
        assertEquals(850_000, paper.steps());
        assertEquals(32, Cifar10Experiment.Config.of(Profile.STANDARD).size());
        assertSame(Cifar10Experiment.EXPERIMENT, Experiments.get("cifar10"));
        var changed = Cifar10Experiment.EXPERIMENT.settings(Profile.QUICK, Map.of("dataset", "cifar10", "steps", "7"));
        assertEquals(Cifar10Experiment.Source.CIFAR10, changed.dataset());
        assertEquals(7, changed.steps());
        assertEquals(32, changed.size());
    }

    @Test
    @DisplayName("bad settings name the setting")
    void badSettings() {
        var q = Cifar10Experiment.Config.of(Profile.QUICK);
        assertRejected(() -> Settings.change(q, "denseLayers", 0), "convLayers/denseLayers", "2/0");
        assertEquals(32, Settings.change(q, "dataset", Cifar10Experiment.Source.CIFAR10).size(), "CIFAR-10's images are 32 x 32");
        assertRejected(() -> Settings.change(q, "size", 17), "scales", "2");
        assertRejected(() -> Settings.change(q, "noiseVariance", 0.0), "noiseVariance", "0.0");
        assertRejected(() -> Settings.change(q, "validation", q.trainImages()), "validation", String.valueOf(q.trainImages()));
    }

    /** n CIFAR-10 records: label, then 3072 bytes. */
    private static byte[] batch(int n, int first) {
        byte[] b = new byte[n * Cifar10.RECORD];
        for (int i = 0; i < n; i++) {
            b[i * Cifar10.RECORD] = (byte) ((first + i) % 10);
            for (int j = 1; j < Cifar10.RECORD; j++) b[i * Cifar10.RECORD + j] = (byte) (((first + i) * 31 + j * 7) % 256);
        }
        return b;
    }

    @Test
    @DisplayName("dataset = cifar10 reads the binary batches of cifarDir: not a stand-in, label CIFAR-10, the validation images split off")
    void cifarArchive() throws Exception {
        for (int k = 1; k <= 5; k++) Files.write(dir.resolve("data_batch_" + k + ".bin"), batch(6, 6 * k));
        Files.write(dir.resolve("test_batch.bin"), batch(5, 0));
        var c = Settings.change(tiny(), "dataset", Cifar10Experiment.Source.CIFAR10, "size", 32, "cifarDir", dir.toString(),
                "trainImages", 30, "validation", 4, "heldOut", 5);
        var data = Cifar10Experiment.data(c, 1);
        assertFalse(data.set().standIn());
        assertEquals("CIFAR-10", Cifar10Experiment.datasetLabel(c));
        assertEquals(26, data.train().rows());
        assertEquals(4, data.validation().rows());
        assertEquals(5, data.heldOut().rows());
        assertEquals(3072, data.train().columns());
    }

    @Test
    @DisplayName("a tiny stand-in run: rows labelled stand-in, K - L_null = K - L_null, the bits/dim bound from Scaling, finite PSNRs, Figure 3 titled")
    void tinyRun(@org.junit.jupiter.api.io.TempDir Path tmp) {
        Path skimage = DataCache.root().resolve("skimage");
        Assumptions.assumeTrue(Files.exists(skimage.resolve("astronaut.png")), "scikit-image photographs not installed in " + skimage);
        var c = tiny();
        long seed = 3;
        var data = Cifar10Experiment.data(c, seed);
        assertTrue(data.set().standIn());
        assertTrue(Cifar10Experiment.datasetLabel(c).contains("stand-in"));
        var net = Cifar10Experiment.network(c, seed);
        Cifar10Experiment.train(c, net, data, seed);
        var e = Cifar10Experiment.evaluate(c, net, data, seed);
        assertEquals(e.kBits() - e.lNullBits(), e.kMinusLNullBits(), 1e-9);
        var g = Cifar10Experiment.gaussian(c, data);
        var f = Cifar10Experiment.denoise(c, net, data, g, seed);
        assertEquals(c.denoiseImages() * c.denoiseSamples(), f.samples().rows());
        assertEquals(c.denoiseImages(), f.psnrMean().length);
        for (double[] p : new double[][] {f.psnrNoisy(), f.psnrSample(), f.psnrMean(), f.psnrWiener(), f.psnrExact(), f.psnrExactMean(), f.psnrOnePass()}) {
            for (double v : p) assertTrue(Double.isFinite(v) && v > 0, "PSNR " + v);
        }
        var fig = Cifar10Experiment.figure3(c, data, f, 4);
        assertTrue(fig.getWidth() >= 8 * 8 * 4 && fig.getHeight() > 3 * 8 * 4, "eight panels of 8 x 8 at zoom 4, three images and a title: "
                + fig.getWidth() + " x " + fig.getHeight());
        Run run = Cifar10Experiment.row(c, Profile.QUICK, seed, data, e, Cifar10Experiment.baseline(g, data), g.ridge(), f,
                org.dpm4j.results.RunClock.start().elapsed());
        assertTrue(run.rows().get(0).standIn());
        assertTrue(run.datasetLabel().contains("stand-in"), run.datasetLabel());
        assertEquals(e.kBits(), run.value(Metric.K), 1e-12);
        assertEquals(data.set().scaling().nllBitsPerDim(e.kBits(), 3), run.value(Cifar10Experiment.NLL_8BIT), 1e-12);
        assertEquals(seed, run.seed());
        assertEquals("3", run.configuration().get("denoiseImages"));
        Path file = Cifar10Experiment.figureFile(tmp, Profile.STANDARD, seed);
        assertEquals("cifar10-figure3-standard-seed3.png", file.getFileName().toString());
        org.dpm4j.plot.Plots.write(fig, file);
        try {
            var back = javax.imageio.ImageIO.read(file.toFile());
            assertEquals(fig.getWidth(), back.getWidth());
            assertEquals(fig.getRGB(fig.getWidth() / 2, fig.getHeight() / 2), back.getRGB(fig.getWidth() / 2, fig.getHeight() / 2), "a pixel read back");
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
