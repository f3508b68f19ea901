package org.dpm4j.sampling;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The result of ancestral sampling: the samples x_0 [n, d], the state x_1 they were drawn from by the last step (kept
 * always: the last step's mean, what the samples are without that step's noise, is a function of it), and, if
 * captured, every state from x_T (index 0) to x_0 (index T); otherwise an empty list.
 */
public record Trajectory(INDArray x0, INDArray x1, List<INDArray> states, long seed) {
    /** x_t from a captured trajectory, t in 0..T. */
    public INDArray state(int t) {
        if (states.isEmpty()) throw org.dpm4j.util.Check.bad("states", "not captured", "sampling with captureTrajectory = true");
        org.dpm4j.util.Check.inRange("t", t, 0, states.size() - 1);
        return states.get(states.size() - 1 - t);
    }
}
