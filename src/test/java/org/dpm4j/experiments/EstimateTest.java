package org.dpm4j.experiments;

import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.dpm4j.bound.BoundResult;
import org.dpm4j.bound.Per;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EstimateTest {
    @Test
    @DisplayName("paired difference: mean and standard error of a[i] - b[i] by hand; rescaling scales both")
    void pairedDifference() {
        Estimate e = Estimate.ofDifference(new double[] {3, 5, 10}, new double[] {1, 2, 4});   // differences 2, 3, 6
        assertEquals(11.0 / 3, e.mean(), 1e-15);
        double var = ((2 - 11.0 / 3) * (2 - 11.0 / 3) + (3 - 11.0 / 3) * (3 - 11.0 / 3) + (6 - 11.0 / 3) * (6 - 11.0 / 3)) / 2;
        assertEquals(Math.sqrt(var / 3), e.standardError(), 1e-15);
        Estimate half = e.times(-0.5);
        assertEquals(-11.0 / 6, half.mean(), 1e-15);
        assertEquals(e.standardError() / 2, half.standardError(), 1e-15);
        assertRejected(() -> Estimate.ofDifference(new double[] {1}, new double[] {1, 2}), "b.length", "2");
    }

    @Test
    @DisplayName("cumulative bound lost: 0 at t = 1, the running sum of E_q KL_t, ending at the total the steps lose")
    void cumulativeKl() {
        double[] steps = {-0.5, -0.2, -0.3, -0.1};   // nats; index 0 holds the entropy terms, not a KL
        BoundResult r = new BoundResult("binomial", "s", 4, 1, 1, 1, steps, -1.1, 0, -2, new double[] {-1.1}, 0);
        double[] c = r.cumulativeKlBits(Per.sequence(1));
        double ln2 = Math.log(2);
        assertEquals(0, c[0], 0);
        assertEquals(0.2 / ln2, c[1], 1e-15);
        assertEquals(0.5 / ln2, c[2], 1e-15);
        assertEquals(0.6 / ln2, c[3], 1e-15);
    }
}
