package org.dpm4j.bound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.util.Matrices;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Data larger than BoundK.MAX_ELEMENTS entries are evaluated in chunks of examples, with the same results per example. */
class ChunkingTest {

    @Test
    @DisplayName("K and Eq. 9 on data of more than 2^22 entries: the first chunk's per-example values equal a run on that chunk alone")
    void chunkedEvaluationMatchesSeparateRuns() {
        GaussianDiffusion g = new GaussianDiffusion(Schedules.referenceGaussian(3));
        int d = 2, chunk = BoundK.MAX_ELEMENTS / d, n = chunk + 3;
        INDArray x0 = Matrices.gaussian(n, d, new java.util.SplittableRandom(1));
        BoundResult all = BoundK.gaussian(g, g::forwardStep, x0, 5);
        INDArray first = x0.get(NDArrayIndex.interval(0, chunk), NDArrayIndex.all()).dup();
        BoundResult alone = BoundK.gaussian(g, g::forwardStep, first, 5);
        for (int i : new int[] {0, 1, chunk / 2, chunk - 1}) assertEquals(alone.perExampleNats()[i], all.perExampleNats()[i], 0, "example " + i);
        double sum = 0;
        for (double v : all.perExampleNats()) sum += v;
        assertEquals(sum / n, all.kNats(), 1e-9);

        int m = 4, eChunk = BoundK.MAX_ELEMENTS / (d * m);
        INDArray small = x0.get(NDArrayIndex.interval(0, eChunk + 2), NDArrayIndex.all()).dup();
        LikelihoodEstimate e = ImportanceSampledLikelihood.gaussian(g, g::forwardStep, small, m, 7);
        LikelihoodEstimate tail = ImportanceSampledLikelihood.gaussian(g, g::forwardStep, small.getRows(eChunk, eChunk + 1), m, 7);
        double[] lNull = g.logTerminal(small.getRows(eChunk, eChunk + 1));
        // the stationary kernel makes every weight pi(x_0), so chunk boundaries must not move values between examples
        assertEquals(lNull[0], e.logLikelihoodNats()[eChunk], 1e-9);
        assertEquals(lNull[1], e.logLikelihoodNats()[eChunk + 1], 1e-9);
        assertEquals(tail.logLikelihoodNats()[0], e.logLikelihoodNats()[eChunk], 1e-9);
    }
}
