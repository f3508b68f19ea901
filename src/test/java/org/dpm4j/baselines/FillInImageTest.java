package org.dpm4j.baselines;

import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The image fill-in's masks and scores against closed forms. */
class FillInImageTest {
    @Test
    @DisplayName("a centred block hides side^2 pixels per image, rows and columns [margin, margin + side), the same in every image")
    void centredBlock() {
        for (int side : new int[] {1, 12, 13, 28}) {
            double[] known = FillIn.centredBlockMask(3, 28, 28, side);
            int top = (28 - side) / 2;
            for (int i = 0; i < 3; i++) {
                int hidden = 0;
                for (int r = 0; r < 28; r++) {
                    for (int c = 0; c < 28; c++) {
                        boolean inBlock = r >= top && r < top + side && c >= top && c < top + side;
                        assertEquals(inBlock ? 0.0 : 1.0, known[i * 784 + r * 28 + c], 0, "side " + side + " pixel " + r + "," + c);
                        if (known[i * 784 + r * 28 + c] == 0) hidden++;
                    }
                }
                assertEquals(side * side, hidden);
            }
        }
        // an even margin: the block is symmetric under a half turn
        double[] k = FillIn.centredBlockMask(1, 28, 28, 12);
        for (int j = 0; j < 784; j++) assertEquals(k[j], k[783 - j], 0);
        assertRejected(() -> FillIn.centredBlockMask(1, 28, 28, 29), "side", "29");
    }

    @Test
    @DisplayName("MSE over hidden values only: a prediction off by c on hidden values and arbitrary on known ones scores c^2")
    void meanSquaredErrorClosedForm() {
        SplittableRandom rng = new SplittableRandom(2);
        double[] truth = new double[200], known = new double[200], pred = new double[200];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = rng.nextDouble();
            known[i] = rng.nextInt(2);
            pred[i] = known[i] == 1 ? 100 * rng.nextGaussian() : truth[i] + 0.3;
        }
        assertEquals(0.09, FillIn.meanSquaredError(pred, truth, known), 1e-12);
        assertRejected(() -> FillIn.meanSquaredError(pred, truth, new double[200 - 1]), "lengths", "200");
    }

    @Test
    @DisplayName("meanOfDraws averages each example's m rows; threshold maps [0, 1] to {0, 1} at 1/2 and refuses values outside")
    void drawsAndThreshold() {
        double[] draws = {0, 1, 0.5, 1, 1, 0.5, 0.2, 0.4, 0.6, 0.8, 0, 0};   // 2 examples, m = 2 draws, d = 3
        assertArrayEquals(new double[] {0.5, 1, 0.5, 0.5, 0.2, 0.3}, FillIn.meanOfDraws(draws, 2, 3), 1e-12);
        assertArrayEquals(new double[] {0, 0, 1, 1}, FillIn.threshold(new double[] {0, 0.4999, 0.5, 1}), 0);
        assertRejected(() -> FillIn.threshold(new double[] {0.2, 1.5}), "values[1]", "1.5");
        assertRejected(() -> FillIn.meanOfDraws(draws, 5, 3), "draws.length", "12");
        assertArrayEquals(new double[] {0, 1, 0.5, 0.2, 0.4, 0.6}, FillIn.firstDraws(draws, 2, 3), 0);
        assertArrayEquals(new double[] {0, 9, 0.5}, FillIn.composite(new double[] {0, 1, 0.5}, new double[] {1, 0, 1}, new double[] {7, 9, 7}), 0);
    }
}
