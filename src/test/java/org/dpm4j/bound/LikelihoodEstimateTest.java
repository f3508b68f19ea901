package org.dpm4j.bound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LikelihoodEstimateTest {

    @Test
    @DisplayName("Eq. 9 reduction: log-mean-exp stable at log weights near -1e5, delta-method SE and ESS (sum w)^2 / sum w^2 by hand")
    void logMeanExpStandardErrorAndEss() {
        double a = -1e5;
        // example 0: weights e^a (1, 3); example 1: four equal weights
        LikelihoodEstimate e = LikelihoodEstimate.fromLogWeights("test", "s", 1, 1, 2, 0,
                new double[] {a, a + Math.log(3), a, a});
        assertEquals(a + Math.log(2), e.logLikelihoodNats()[0], 1e-9);
        assertEquals(16.0 / 10.0, e.effectiveSampleSize()[0], 1e-12);
        // w = (1, 3): mean 2, sample variance 2, SE of the mean 1, relative SE 1/2
        assertEquals(0.5, e.standardErrorNats()[0], 1e-12);
        assertEquals(a, e.logLikelihoodNats()[1], 1e-9);
        assertEquals(0, e.standardErrorNats()[1], 0);
        assertEquals(2, e.effectiveSampleSize()[1], 1e-12);
        assertEquals(a + Math.log(2) / 2, e.meanNats(), 1e-9);
        assertEquals(0.5 / 2, e.monteCarloErrorNats(), 1e-12);
    }
}
