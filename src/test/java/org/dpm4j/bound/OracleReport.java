package org.dpm4j.bound;

import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.kernel.ExactGaussianDataKernel;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.Schedules;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Prints the Gaussian-oracle figures for the issue note (not a test). */
public final class OracleReport {
    public static void main(String[] args) {
        double m = 0.5, s2 = 0.6;
        System.out.println("closed form, 1-D data N(0.5, 0.6), referenceGaussian(T), nats/dim:");
        System.out.println("T      E[K]       E[ELBO]    E[log p_model]  E[log p_data]  data-K");
        for (int T : new int[] {10, 40, 200, 1000, 2000}) {
            GaussianOracleTest.Oracle o = new GaussianOracleTest.Oracle(Schedules.referenceGaussian(T).betas(), m, s2);
            double[][] mv = new ExactGaussianDataKernel(Schedules.referenceGaussian(T), new double[] {m}, new double[] {s2}).modelMarginal();
            double model = o.dataMean(x -> GaussianOracleTest.logNormal(x, mv[0][0], mv[1][0]));
            System.out.printf("%-6d %.6f  %.6f  %.6f      %.6f      %.6f%n", T, o.dataMean(o::k), o.dataMean(o::elbo), model,
                    o.dataMean(o::logData), o.dataMean(o::logData) - o.dataMean(o::k));
        }
        double[] mm = {0.5, -1}, ss = {0.6, 1.4};
        INDArray x0 = GaussianOracleTest.gaussianData(4000, mm, ss, 1);
        System.out.println("Monte Carlo, 2-D data N((0.5,-1), diag(0.6,1.4)), n = 4000, nats per example:");
        for (int T : new int[] {40, 200, 1000}) {
            BetaSchedule s = Schedules.referenceGaussian(T);
            ExactGaussianDataKernel k = new ExactGaussianDataKernel(s, mm, ss);
            long t0 = System.nanoTime();
            BoundResult r = BoundK.gaussian(new GaussianDiffusion(s), k, x0, 3);
            double secs = (System.nanoTime() - t0) / 1e9;
            double closed = 0;
            GaussianOracleTest.Oracle[] o = {new GaussianOracleTest.Oracle(s.betas(), mm[0], ss[0]), new GaussianOracleTest.Oracle(s.betas(), mm[1], ss[1])};
            for (int i = 0; i < 4000; i++) closed += o[0].k(x0.getDouble(i, 0)) + o[1].k(x0.getDouble(i, 1));
            closed /= 4000;
            double model = GaussianOracleTest.mean(k.modelLogLikelihood(x0)), data = GaussianOracleTest.mean(k.dataLogLikelihood(x0));
            INDArray sub = x0.getRows(java.util.stream.IntStream.range(0, 200).toArray());
            t0 = System.nanoTime();
            LikelihoodEstimate e = ImportanceSampledLikelihood.gaussian(new GaussianDiffusion(s), k, sub, 32, 5);
            double secs9 = (System.nanoTime() - t0) / 1e9;
            System.out.printf("T=%d: K(MC) = %.4f +- %.4f (SE over examples), K(closed form, same x0) = %.4f, ELBO = %.4f, model = %.4f, data = %.4f  [%.1f s]%n",
                    T, r.kNats(), r.kStandardErrorNats(), closed, r.elboNats(), model, data, secs);
            System.out.printf("      Eq. 9 on 200 examples x 32 trajectories = %.4f +- %.4f (MC SE), exact model = %.4f, min ESS %.1f  [%.1f s]%n",
                    e.meanNats(), e.monteCarloErrorNats(), GaussianOracleTest.mean(k.modelLogLikelihood(sub)), e.minEffectiveSampleSize(), secs9);
        }
    }
}
