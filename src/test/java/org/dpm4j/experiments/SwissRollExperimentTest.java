package org.dpm4j.experiments;

import org.dpm4j.data.SwissRoll;
import static org.junit.jupiter.api.Assertions.*;

import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.nn.NetworkFullGaussianKernel;
import org.dpm4j.nn.NetworkGaussianKernel;
import org.dpm4j.experiments.Profile;
import org.dpm4j.results.Elapsed;
import org.dpm4j.results.Metric;
import org.dpm4j.results.Run;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertThrows;
import org.nd4j.linalg.api.ndarray.INDArray;

class SwissRollExperimentTest {
    /** A small run: seconds, not minutes. */
    static final SwissRollExperiment.Config SMALL = new SwissRollExperiment.Config(40, org.dpm4j.schedule.ScheduleSpec.parse("log-snr-linear:beta1=1e-3,snrT=1e-3"),
            SwissRollExperiment.Net.FOURIER_TANH, GaussianParameterisation.POSTERIOR_V, 32, 16, 0.5, 5000, 600, 32, 1e-2, 1000, 40, 20, 50, SwissRollExperiment.Covariance.DIAGONAL);

    @Test
    @DisplayName("schedule: beta_1 is the configured value and log-SNR falls by equal steps to log(SNR_T)")
    void schedule() {
        BetaSchedule s = SwissRollExperiment.schedule(SwissRollExperiment.Config.of(Profile.STANDARD));
        assertEquals(1e-5, s.beta(1), 1e-18);
        assertEquals(40, s.T());
        double first = Math.log(s.snr(1)), last = Math.log(s.snr(40)), step = (last - first) / 39;
        assertEquals(Math.log(1e-3), last, 1e-9);
        for (int t = 2; t <= 40; t++) assertEquals(step, Math.log(s.snr(t)) - Math.log(s.snr(t - 1)), 1e-9, "t = " + t);
    }

    @Test
    @DisplayName("training raises held-out K by > 1 bit over the untrained kernel; K stays below the ceiling; Eq. 9 >= K - 3 s.e.; samples finite")
    void trainingImproves() {
        NetworkGaussianKernel kernel = SwissRollExperiment.kernel(SMALL, 5);
        var data = SwissRollExperiment.data(SMALL, 5);
        double untrained = SwissRollExperiment.evaluate(SMALL, kernel, data, 5).kBits();
        var result = SwissRollExperiment.train(SMALL, kernel, data, 5);
        assertEquals(SMALL.steps(), result.history().size());
        var e = SwissRollExperiment.evaluate(SMALL, kernel, data, 5);
        assertTrue(e.kBits() > untrained + 1, "K = " + e.kBits() + " after training, " + untrained + " before");
        assertEquals(-4.094, e.lNullBits(), 0.1, "L_null of unit-variance 2-D data");
        assertTrue(e.kBits() < e.ceilingBits(), "K = " + e.kBits() + " above the ceiling " + e.ceilingBits());
        double kSe = e.bound().kStandardErrorBits(SwissRollExperiment.PER_POINT);
        assertTrue(e.eq9Bits() > e.kBits() - 3 * Math.hypot(kSe, e.eq9StandardErrorBits()),
                "Eq. 9 " + e.eq9Bits() + " vs K " + e.kBits());
        INDArray x = SwissRollExperiment.samples(SMALL, kernel, 5).x0();
        assertArrayEquals(new long[] {50, 2}, x.shape());
        assertDoesNotThrow(() -> Check.allFinite("samples", x.dup().data().asDouble()));
        Run run = SwissRollExperiment.row(SMALL, Profile.QUICK, 5, e, new Elapsed(3, 4));
        assertEquals(BlurCeiling.bits(SwissRoll.get(), 1e-3), run.value(Metric.CEILING), 1e-12);
        assertEquals(e.lNullBits(), run.value(Metric.K) - run.value(Metric.K_MINUS_L_NULL), 1e-12);
        assertEquals(kSe, run.standardError(Metric.K), 1e-15);
        assertEquals("16", run.configuration().get("fourierFeatures"), run.configuration().toString());
        assertEquals("0.5", run.configuration().get("fourierScale"));
        assertEquals("POSTERIOR_V", run.configuration().get("parameterisation"));
    }

    @Test
    @DisplayName("learned schedule (Sec. 2.4.1): beta_1 unchanged, beta_2..beta_T moved and non-decreasing, K raised by > 1 bit and below the ceiling")
    void learnedSchedule() {
        NetworkGaussianKernel kernel = SwissRollExperiment.kernel(SMALL, 6);
        var data = SwissRollExperiment.data(SMALL, 6);
        double untrained = SwissRollExperiment.evaluate(SMALL, kernel, data, 6).kBits();
        var result = SwissRollExperiment.trainWithLearnedSchedule(SMALL, kernel, data, 6, 3e-2);
        BetaSchedule initial = SwissRollExperiment.schedule(SMALL), learned = result.schedule();
        assertEquals(initial.beta(1), learned.beta(1), 0, "beta_1 is fixed");
        double moved = 0;
        for (int t = 2; t <= learned.T(); t++) {
            moved = Math.max(moved, Math.abs(Math.log(learned.beta(t) / initial.beta(t))));
            if (t > 2) assertTrue(learned.beta(t) >= learned.beta(t - 1), "beta non-decreasing at t = " + t);
        }
        assertTrue(moved > 1e-3, "the schedule did not move: max |log ratio| = " + moved);
        var e = SwissRollExperiment.evaluate(SMALL, result.kernel(), data, 6);
        assertTrue(e.kBits() > untrained + 1 && e.kBits() < e.ceilingBits(), "K = " + e.kBits() + ", untrained " + untrained);
        assertThrows(IllegalArgumentException.class, () -> SwissRollExperiment.trainWithLearnedSchedule(SMALL, kernel, data, 6, 0));
    }

    @Test
    @DisplayName("full covariance: untrained it is the diagonal kernel; training raises held-out K by > 1 bit, below the ceiling and Eq. 9; samples finite; recorded in describe()")
    void fullCovariance() {
        SwissRollExperiment.Config full = SMALL.withCovariance(SwissRollExperiment.Covariance.FULL);
        assertTrue(full.describe().contains("covariance=full"), full.describe());
        assertTrue(SMALL.describe().contains("covariance=diagonal"), SMALL.describe());
        NetworkFullGaussianKernel kernel = SwissRollExperiment.fullKernel(full, 5);
        INDArray g = SwissRollExperiment.grid(4, 2);
        var diagonal = SwissRollExperiment.kernel(full, 5).step(g, 7);
        var start = kernel.step(g, 7);
        assertArrayEquals(diagonal.mean().data().asDouble(), start.mean().data().asDouble(), 1e-12);
        for (int i = 0; i < 16; i++) {
            assertEquals(Math.sqrt(diagonal.variance().getDouble(i, 0)), start.cholesky().getDouble(i, 0, 0), 1e-12);
            assertEquals(Math.sqrt(diagonal.variance().getDouble(i, 1)), start.cholesky().getDouble(i, 1, 1), 1e-12);
            assertEquals(0, start.cholesky().getDouble(i, 1, 0), 0, "off-diagonal starts at 0");
        }
        var data = SwissRollExperiment.data(full, 5);
        double untrained = SwissRollExperiment.evaluate(full, kernel, data, 5).kBits();
        SwissRollExperiment.train(full, kernel, data, 5);
        var e = SwissRollExperiment.evaluate(full, kernel, data, 5);
        assertTrue(e.kBits() > untrained + 1, "K = " + e.kBits() + " after training, " + untrained + " before");
        assertTrue(e.kBits() < e.ceilingBits(), "K = " + e.kBits() + " above the ceiling " + e.ceilingBits());
        double kSe = e.bound().kStandardErrorBits(SwissRollExperiment.PER_POINT);
        assertTrue(e.eq9Bits() > e.kBits() - 3 * Math.hypot(kSe, e.eq9StandardErrorBits()),
                "Eq. 9 " + e.eq9Bits() + " vs K " + e.kBits());
        INDArray x = SwissRollExperiment.samples(full, kernel, 5).x0();
        assertArrayEquals(new long[] {50, 2}, x.shape());
        assertDoesNotThrow(() -> Check.allFinite("samples", x.dup().data().asDouble()));
    }

    @Test
    @DisplayName("the drift on a grid has one 2-D vector per grid point, and is finite")
    void drift() {
        NetworkGaussianKernel kernel = SwissRollExperiment.kernel(SMALL, 1);
        INDArray g = SwissRollExperiment.grid(5, 2);
        assertArrayEquals(new long[] {25, 2}, g.shape());
        assertEquals(-2, g.getDouble(0, 0));
        assertEquals(2, g.getDouble(24, 1));
        INDArray d = SwissRollExperiment.drift(kernel, g, 5);
        assertArrayEquals(new long[] {25, 2}, d.shape());
        assertDoesNotThrow(() -> Check.allFinite("drift", d.dup().data().asDouble()));
    }

    @Test
    @DisplayName("bad settings are rejected, naming the parameter")
    void badConfig() {
        var e = assertThrows(IllegalArgumentException.class, () -> new SwissRollExperiment.Config(40, org.dpm4j.schedule.ScheduleSpec.parse("log-snr-linear:beta1=0"),
                SwissRollExperiment.Net.RBF, GaussianParameterisation.PAPER, 16, 0, 1, 100, 10, 8, 1e-3, 10, 10, 10, 10, SwissRollExperiment.Covariance.DIAGONAL));
        assertTrue(e.getMessage().startsWith("beta1 (schedule log-snr-linear) = 0"), e.getMessage());
        var f = assertThrows(IllegalArgumentException.class, () -> new SwissRollExperiment.Config(40, org.dpm4j.schedule.ScheduleSpec.parse("log-snr-linear:beta1=1e-3,snrT=1e-3"),
                SwissRollExperiment.Net.FOURIER_TANH, GaussianParameterisation.POSTERIOR_V, 16, 0, 1, 100, 10, 8, 1e-3, 10, 10, 10, 10, SwissRollExperiment.Covariance.DIAGONAL));
        assertTrue(f.getMessage().startsWith("fourierFeatures = 0"), f.getMessage());
    }
}
