package org.dpm4j.bound;

import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.*;

import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.util.Matrices;
import org.dpm4j.kernel.ExactBernoulliDataKernel;
import org.dpm4j.kernel.ExactGaussianDataKernel;
import org.dpm4j.kernel.FullGaussianReverseKernel;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.kernel.GaussianReverseKernel;
import org.dpm4j.kernel.Readout;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.Schedules;
import org.dpm4j.util.DataValues;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Issue 21's hostile inputs to K (Eq. 14) and Eq. 9: each refused up front, naming the parameter, value and limit. */
class MismatchInputTest {
    static final GaussianDiffusion G20 = new GaussianDiffusion(Schedules.referenceGaussian(20));
    static final BetaSchedule S10 = Schedules.referenceGaussian(10);
    static final INDArray X = Matrices.full(4, 2, 0.3);
    static final double[] ZERO = {0, 0}, ONE = {1, 1};

    @Test
    @DisplayName("a kernel built for T = 10 on a diffusion of T = 20 (and the reverse) is refused naming both T, by K, Eq. 9 and every form")
    void kernelTMismatch() {
        GaussianReverseKernel k10 = new ExactGaussianDataKernel(S10, ZERO, ONE);
        assertRejected(() -> BoundK.gaussian(G20, k10, X, 1), "kernel.steps()", "10");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BoundK.gaussian(G20, k10, X, 1));
        assertTrue(e.getMessage().contains("the diffusion's T = 20"), e.getMessage());
        assertRejected(() -> BoundK.gaussianFull(G20, FullGaussianReverseKernel.of(k10), X, 1), "kernel.steps()", "10");
        assertRejected(() -> ImportanceSampledLikelihood.gaussian(G20, k10, X, 2, 1), "kernel.steps()", "10");
        assertRejected(() -> ImportanceSampledLikelihood.gaussianFull(G20, FullGaussianReverseKernel.of(k10), X, 2, 1),
                "kernel.steps()", "10");
        // a longer kernel would silently run on the wrong steps: refused as well
        GaussianDiffusion g10 = new GaussianDiffusion(S10);
        GaussianReverseKernel k20 = new ExactGaussianDataKernel(G20.schedule(), ZERO, ONE);
        assertRejected(() -> BoundK.gaussian(g10, k20, X, 1), "kernel.steps()", "20");
        // a network-fed kernel knows its schedule's T too
        Readout.Function zeros = (xt, t) -> new Readout(xt.mul(0), xt.mul(0));
        assertRejected(() -> BoundK.gaussian(G20, GaussianParameterisation.PAPER.kernel(zeros, S10), X, 1), "kernel.steps()", "10");
        BinomialDiffusion b20 = new BinomialDiffusion(Schedules.binomialPaper(20));
        ExactBernoulliDataKernel bk10 = new ExactBernoulliDataKernel(Schedules.binomialPaper(10), 0.5, new double[] {0.3, 0.7});
        INDArray bits = Matrices.full(4, 2, 1);
        assertRejected(() -> BoundK.binomial(b20, bk10, bits, 1), "kernel.steps()", "10");
        assertRejected(() -> ImportanceSampledLikelihood.binomial(b20, bk10, bits, 2, 1), "kernel.steps()", "10");
    }

    @Test
    @DisplayName("matching T still evaluates, and a kernel that does not know its T (a lambda) is not refused")
    void matchingTAccepted() {
        GaussianReverseKernel k20 = new ExactGaussianDataKernel(G20.schedule(), ZERO, ONE);
        assertEquals(20, k20.steps().getAsInt());
        assertTrue(Double.isFinite(BoundK.gaussian(G20, k20, X, 1).kNats()));
        assertTrue(((GaussianReverseKernel) G20::forwardStep).steps().isEmpty());
        assertTrue(Double.isFinite(BoundK.gaussian(G20, G20::forwardStep, X, 1).kNats()));
    }

    @Test
    @DisplayName("data of 1e200 (whose square overflows) are refused naming x0 and the first offending row and column")
    void hugeData() {
        INDArray big = X.dup();
        big.putScalar(2, 1, 1e200);
        big.putScalar(3, 0, -1e200);
        GaussianReverseKernel k20 = new ExactGaussianDataKernel(G20.schedule(), ZERO, ONE);
        assertRejected(() -> BoundK.gaussian(G20, k20, big, 1), "x0[2, 1]", "1.0E200");
        assertRejected(() -> ImportanceSampledLikelihood.gaussian(G20, k20, big, 2, 1), "x0[2, 1]", "1.0E200");
        assertRejected(() -> BoundK.gaussianFull(G20, FullGaussianReverseKernel.of(k20), big, 1), "x0[2, 1]", "1.0E200");
        // at the limit itself the data are accepted: the bound's squares stay finite
        INDArray edge = X.dup();
        edge.putScalar(0, 0, DataValues.MAX_MAGNITUDE);
        BoundResult r = BoundK.gaussian(G20, G20::forwardStep, edge, 1);
        assertTrue(Double.isFinite(r.kNats()) && Double.isFinite(r.edgeNats()), r.toString());
    }

    @Test
    @DisplayName("10^9 trajectories are refused naming examples x trajectories and the array limit, or the heap, before any work")
    void tooManyTrajectories() {
        GaussianReverseKernel k20 = new ExactGaussianDataKernel(G20.schedule(), ZERO, ONE);
        assertRejected(() -> ImportanceSampledLikelihood.gaussian(G20, k20, X, 1_000_000_000, 1),
                "examples x trajectories", "4 x 1000000000 = 4000000000");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImportanceSampledLikelihood.gaussian(G20, k20, X, 1_000_000_000, 1));
        assertTrue(e.getMessage().contains("at most " + ImportanceSampledLikelihood.MAX_ARRAY), e.getMessage());
        // one example: within the array limit, beyond any heap smaller than 8 x 3e9 bytes = 22 GB
        INDArray one = Matrices.full(1, 2, 0.3);
        long heap = Runtime.getRuntime().maxMemory();
        if (8L * 3_000_000_000L > heap) {
            assertRejected(() -> ImportanceSampledLikelihood.gaussian(G20, k20, one, 1_000_000_000, 1), "trajectories", "1000000000");
        }
        INDArray wide = Matrices.full(1, 4, 0.3);
        assertRejected(() -> ImportanceSampledLikelihood.gaussian(G20, G20::forwardStep, wide, 1_000_000_000, 1),
                "trajectories x dimensions", "4000000000");
    }

    @Test
    @DisplayName("a null unit to a result's conversions is named, not a bare NullPointerException")
    void nullUnit() {
        BoundResult r = BoundK.gaussian(G20, G20::forwardStep, X, 1);
        assertRejected(() -> r.kBits(null), "per", "null");
        LikelihoodEstimate l = ImportanceSampledLikelihood.gaussian(G20, G20::forwardStep, X, 2, 1);
        assertRejected(() -> l.meanBits(null), "per", "null");
    }
}
