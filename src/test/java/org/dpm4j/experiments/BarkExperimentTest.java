package org.dpm4j.experiments;

import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.dpm4j.bound.BoundK;
import org.dpm4j.data.ImageShape;
import org.dpm4j.data.MissingDataException;
import org.dpm4j.data.Picture;
import org.dpm4j.nn.conv.ImageNetwork;
import org.dpm4j.results.Metric;
import org.dpm4j.results.Run;
import org.dpm4j.results.RunClock;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class BarkExperimentTest {
    @TempDir Path dir;

    /** 8 x 8 crops, Figure 5 at 24 x 24, T = 20, a one-layer network: the whole experiment in seconds. */
    static BarkExperiment.Config tiny() {
        return Settings.change(BarkExperiment.Config.of(Profile.QUICK), "size", 8, "inpaintSize", 24, "T", 20,
                "convLayers", 1, "convChannels", 6, "scales", 2, "upperHidden", 6, "trainCrops", 400, "steps", 150,
                "batch", 16, "learningRate", 1e-2, "finalLearningRate", 1e-3, "heldOut", 60, "eq9Images", 4,
                "eq9Trajectories", 4, "draws", 2);
    }

    /** A seeded 8-bit texture: oriented stripes plus noise, h x w. */
    static Picture stripes(int h, int w, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[h * w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double g = 0.5 + 0.25 * Math.sin(0.9 * x + 0.3 * y) + 0.1 * rng.nextGaussian();
                v[y * w + x] = Math.rint(255 * Math.max(0, Math.min(1, g))) / 255;
            }
        return new Picture(ImageShape.grey(h, w), v);
    }

    static BarkExperiment.Texture texture(Picture p, int split) {
        return new BarkExperiment.Texture("Stand-in data: test stripes", true,
                List.of(new BarkExperiment.Region("top", p, 0, split)), List.of(new BarkExperiment.Region("bottom", p, split, p.shape().height())));
    }

    @Test
    @DisplayName("every profile: T = 500 and the reference schedule, the convolutional pathway alone, Figure 5 three crops wide; paper checkpointed; registered as bark")
    void profiles() {
        for (Profile p : Profile.values()) {
            var c = BarkExperiment.Config.of(p);
            assertEquals(500, c.T());
            assertArrayEquals(Schedules.referenceGaussian(500).betas(), BarkExperiment.schedule(c).betas(), 0.0);
            assertFalse(c.network().hasDense());
            assertEquals(3 * c.size(), c.inpaintSize());
            assertTrue(c.standIn());
            assertEquals(p == Profile.PAPER, c.checkpointEvery() > 0);
        }
        assertSame(BarkExperiment.EXPERIMENT, Experiments.get("bark"));
        var changed = BarkExperiment.EXPERIMENT.settings(Profile.QUICK, Map.of("dataset", "uiuc", "uiucPath", "/x/y", "texture", "grass"));
        assertFalse(changed.standIn());
        assertEquals(Path.of("/x/y"), changed.uiucRoot());
        assertEquals("grass", changed.texture());
    }

    @Test
    @DisplayName("data: training crops only from the training rows, held-out crops and Figure 5's image only from the held-out rows; seeded; z-scored")
    void split() {
        int h = 120, w = 40, split = 90;
        double[] v = new double[h * w];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) v[y * w + x] = y / 255.0;   // a pixel's value names its row
        var t = texture(new Picture(ImageShape.grey(h, w), v), split);
        var c = tiny();
        var d = BarkExperiment.data(c, t, 3);
        var s = d.stored().scaling();
        double[] train = s.toStored(d.train()).dup().data().asDouble(), held = s.toStored(d.heldOut()).dup().data().asDouble(),
                image = s.toStored(d.image()).dup().data().asDouble();
        double tol = s.noiseWidth() * s.std();
        for (double x : train) assertTrue(x * 255 < split - 1 + 0.5, "training pixel from row " + x * 255);
        for (double x : held) assertTrue(x * 255 > split - 0.5, "held-out pixel from row " + x * 255);
        for (double x : image) assertTrue(x * 255 > split - 0.5, "image pixel from row " + x * 255);
        assertEquals(c.inpaintSize() * c.inpaintSize(), image.length);
        assertTrue(tol > 0);
        assertEquals(0, d.train().meanNumber().doubleValue(), 1e-3);
        assertEquals(1, d.train().stdNumber().doubleValue(), 1e-2);
        assertEquals(BarkExperiment.data(c, t, 3).heldOut(), d.heldOut());
        assertNotEquals(BarkExperiment.data(c, t, 4).heldOut(), d.heldOut());
        assertTrue(d.stored().standIn() && d.stored().description().startsWith("Stand-in data:"));
    }

    @Test
    @DisplayName("the packaged stand-in: the texture's bottom quarter held out, described as stand-in data and not bark")
    void standInTexture() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(org.dpm4j.data.DataCache.root().resolve("skimage").resolve("gravel.png")),
                "the scikit-image textures are installed by environment/fetch-data.sh");
        var t = BarkExperiment.texture(BarkExperiment.Config.of(Profile.QUICK));
        assertTrue(t.standIn());
        assertTrue(t.description().startsWith("Stand-in data:") && t.description().contains("not bark"), t.description());
        assertEquals(t.train().get(0).bottom(), t.heldOut().get(0).top());
        assertEquals(256 / 4, t.heldOut().get(0).rows());
    }

    @Test
    @DisplayName("dataset=uiuc reads T01-T04 from uiucPath and holds out whole images; a missing folder names the option")
    void uiuc() throws Exception {
        for (String cls : org.dpm4j.data.UiucTextures.BARK) {
            Path f = Files.createDirectories(dir.resolve(cls));
            for (int k = 1; k <= 4; k++) {
                Picture p = stripes(40, 48, k);
                BufferedImage img = new BufferedImage(48, 40, BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < 40; y++) for (int x = 0; x < 48; x++) img.getRaster().setSample(x, y, 0, (int) Math.round(p.values()[y * 48 + x] * 255));
                assertTrue(ImageIO.write(img, "png", f.resolve(cls + "_0" + k + ".png").toFile()));
            }
        }
        var c = Settings.change(tiny(), "dataset", "uiuc", "uiucPath", dir.toString(), "downscale", 1);
        var t = BarkExperiment.texture(c);
        assertFalse(t.standIn());
        assertEquals(12, t.train().size());
        assertEquals(4, t.heldOut().size());
        assertTrue(t.heldOut().stream().allMatch(r -> r.name().endsWith("_04.png")));
        assertFalse(BarkExperiment.data(c, t, 1).stored().standIn());
        var missing = Settings.change(c, "uiucPath", dir.resolve("none").toString());
        var e = assertThrows(MissingDataException.class, () -> BarkExperiment.texture(missing));
        assertTrue(e.getMessage().contains("--set dataset=uiuc"), e.getMessage());
    }

    @Test
    @DisplayName("a tiny run: untrained K near L_null, training raises it; inpainted draws keep every known pixel bit-identical, the Gaussian mean too; rows marked stand-in")
    void tinyRun() {
        var c = tiny();
        long seed = 5;
        RunClock clock = RunClock.start();
        var data = BarkExperiment.data(c, texture(stripes(160, 64, 9), 120), seed);
        ImageNetwork net = BarkExperiment.network(c, seed);
        var untrained = BoundK.gaussian(BarkExperiment.diffusion(c), net.kernel(), data.heldOut(), new Seeds(seed).bound());
        assertEquals(untrained.lNullBits(BarkExperiment.PER_PIXEL), untrained.kBits(BarkExperiment.PER_PIXEL), 0.3);
        BarkExperiment.train(c, net, data, seed);
        var e = BarkExperiment.evaluate(c, net, data, seed);
        assertTrue(e.kBits() > untrained.kBits(BarkExperiment.PER_PIXEL) + 0.1, "trained " + e.kBits());
        assertEquals(e.kBits() - e.lNullBits(), e.kMinusLNullBits(), 1e-9);
        var b = BarkExperiment.baselines(c, data);
        assertTrue(b.fullBits() > e.lNullBits() && b.stationaryBits() > e.lNullBits());

        var p = BarkExperiment.inpaint(c, net, data, seed);
        int D = 24 * 24;
        assertArrayEquals(new long[] {c.draws(), D}, p.draws().shape());
        int holes = 0;
        for (int i = 0; i < D; i++) {
            if (p.known().getDouble(0, i) == 0) { holes++; continue; }
            long bits = Double.doubleToRawLongBits(p.original().getDouble(0, i));
            for (int r = 0; r < c.draws(); r++) assertEquals(bits, Double.doubleToRawLongBits(p.draws().getDouble(r, i)), "draw " + r + " pixel " + i);
            assertEquals(bits, Double.doubleToRawLongBits(p.gaussianMean().getDouble(0, i)));
            assertEquals(bits, Double.doubleToRawLongBits(p.masked().getDouble(0, i)));
        }
        assertEquals(8 * 8, holes);
        assertFalse(java.util.Arrays.equals(p.hole(p.draws(), 0), p.hole(p.original(), 0)));
        assertFalse(java.util.Arrays.equals(p.hole(p.draws(), 0), p.hole(p.draws(), 1)), "draws differ in the hole");
        org.dpm4j.util.Check.allFinite("draws", p.draws().dup().data().asDouble());

        var t = BarkExperiment.compare(data, p);
        assertEquals(4, t.truth().power().length);
        assertEquals(c.draws(), t.w1Draws().length);
        assertEquals(1, java.util.Arrays.stream(t.histogramDraws()).sum(), 1e-9);
        assertNotNull(BarkExperiment.figure5(data, p, 2));
        assertNotNull(BarkExperiment.metricsPlots(t, "test"));
        Run run = BarkExperiment.row(c, Profile.QUICK, seed, data, e, b, t, clock.elapsed());
        assertEquals("Bark (stand-in)", run.datasetLabel());
        assertEquals(e.kBits(), run.value(Metric.K), 0);
        assertEquals(t.meanW1Draws(), run.value(BarkExperiment.W1_DIFFUSION), 0);
        assertTrue(run.configuration().get("data").startsWith("Stand-in data:"));
        assertEquals("1", run.configuration().get("convLayers"));
        assertEquals(Integer.toString(org.dpm4j.nn.conv.ImageNetwork.threads()), run.configuration().get("imageThreads"),
                "the image network's thread count is part of the run's provenance");
    }

    @Test
    @DisplayName("the mask: the central third of the side unknown, everything else known")
    void mask() {
        INDArray m = BarkExperiment.knownMask(9);
        assertEquals(81 - 9, m.sumNumber().intValue());
        for (int y = 3; y < 6; y++) for (int x = 3; x < 6; x++) assertEquals(0, m.getDouble(0, y * 9 + x));
        assertRejected(() -> BarkExperiment.knownMask(10), "side", "10");
    }

    @Test
    @DisplayName("bad settings are refused naming the parameter")
    void refusals() {
        var c = tiny();
        assertRejected(() -> Settings.change(c, "dataset", "bark"), "dataset", "bark");
        assertRejected(() -> Settings.change(c, "texture", "wood"), "texture", "wood");
        assertRejected(() -> Settings.change(c, "inpaintSize", 25), "inpaintSize", "25");
        assertRejected(() -> Settings.change(c, "inpaintSize", 27), "scales", "2");
        assertRejected(() -> Settings.change(c, "eq9Images", 61), "eq9Images", "61");
        var t = texture(stripes(40, 30, 1), 30);
        assertRejected(() -> BarkExperiment.data(Settings.change(c, "size", 12), t, 1), "size", "12");
    }
}
