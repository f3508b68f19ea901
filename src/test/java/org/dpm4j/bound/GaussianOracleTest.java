package org.dpm4j.bound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.diffusion.Matrices;
import org.dpm4j.kernel.ExactGaussianDataKernel;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Gaussian-data oracle: for x_0 ~ N(m, diag s^2) the exact reverse kernel and the exact log-likelihood of the
 * model it defines are closed forms. Ceilings used here:
 * - model log-likelihood: log p(x_0) of the model (N(0, I) prior, exact kernel for t >= 2, fixed first step),
 *   which K and Eq. 9 estimate; it is the data density blurred by the first step.
 * - data log-likelihood: log N(x_0; m, s^2), which the model approaches as beta_1 -> 0 and T grows.
 */
class GaussianOracleTest {

    static INDArray gaussianData(int n, double[] m, double[] s2, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        INDArray x = Matrices.gaussian(n, m.length, rng);
        for (int j = 0; j < m.length; j++) {
            x.getColumn(j).muli(Math.sqrt(s2[j])).addi(m[j]);
        }
        return x;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    @Test
    @DisplayName("exploratory numbers")
    void explore() {
        double[] m = {0.5, -1}, s2 = {0.6, 1.4};
        INDArray x0 = gaussianData(2000, m, s2, 1);
        for (int T : new int[] {10, 40, 200, 1000}) {
            BetaSchedule sch = Schedules.referenceGaussian(T);
            GaussianDiffusion diff = new GaussianDiffusion(sch);
            ExactGaussianDataKernel kern = new ExactGaussianDataKernel(sch, m, s2);
            long t0 = System.nanoTime();
            BoundResult k = BoundK.gaussian(diff, kern, x0, 7);
            long t1 = System.nanoTime();
            double model = mean(kern.modelLogLikelihood(x0)), data = mean(kern.dataLogLikelihood(x0));
            LikelihoodEstimate est = ImportanceSampledLikelihood.gaussian(diff, kern, x0.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 200), org.nd4j.linalg.indexing.NDArrayIndex.all()), 50, 3);
            long t2 = System.nanoTime();
            double model200 = mean(kern.modelLogLikelihood(x0.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 200), org.nd4j.linalg.indexing.NDArrayIndex.all())));
            double[] mm = kern.modelLogLikelihood(x0), kk = k.perExampleNats();
            double[] diffs = new double[mm.length];
            for (int i = 0; i < mm.length; i++) diffs[i] = kk[i] - mm[i];
            double md = mean(diffs), ss = 0; for (double v : diffs) ss += (v - md) * (v - md);
            System.out.printf("  paired K - model = %.5f +- %.5f ; edge %.5f%n", md, Math.sqrt(ss / (diffs.length - 1) / diffs.length), k.edgeNats());
            System.out.printf("T=%d K=%.5f+-%.5f elbo=%.5f model=%.5f data=%.5f | eq9=%.5f+-%.5f vs %.5f ess=%.1f  tK=%.2fs tIS=%.2fs%n",
                    T, k.kNats(), k.kStandardErrorNats(), k.elboNats(), model, data, est.meanNats(), est.monteCarloErrorNats(), model200,
                    est.minEffectiveSampleSize(), (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        }
    }
}
