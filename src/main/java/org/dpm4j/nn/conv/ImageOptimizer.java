package org.dpm4j.nn.conv;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dpm4j.train.LearningRate;
import org.dpm4j.train.OptimizerKind;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * ND4J's fused Adam or RMSprop (decay 0.9, as {@link org.dpm4j.train.Optimizer}) applied in place to each parameter
 * array of an {@link ImageNetwork}. Every updater's moments are a view of one flat array, so the whole optimiser state
 * is one vector that a checkpoint saves and restores; the step number (Adam's bias correction, the learning-rate
 * schedule) is passed in, so state plus step is all there is.
 */
final class ImageOptimizer {
    private final ImageNetwork network;
    private final INDArray state;                       // [1, total], the moments of every parameter array in order
    private final Map<String, GradientUpdater<?>> updaters = new LinkedHashMap<>();

    ImageOptimizer(ImageNetwork network, OptimizerKind kind, LearningRate lr) {
        this.network = network;
        ISchedule schedule = new Schedule(lr);
        IUpdater config;
        if (kind == OptimizerKind.ADAM) {
            config = new Adam(schedule);
        } else {
            RmsProp r = new RmsProp(schedule);
            r.setRmsDecay(0.9);
            config = r;
        }
        long total = 0;
        for (INDArray p : network.parameters().values()) total += config.stateSize(p.length());
        state = Nd4j.zeros(network.dataType(), 1, total);
        long offset = 0;
        for (var e : network.parameters().entrySet()) {
            INDArray p = e.getValue();
            long size = config.stateSize(p.length());
            INDArray view = state.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(offset, offset + size));
            GradientUpdater<?> u = config.instantiate(view, false);
            u.setStateViewArray(view, p.shape(), p.ordering(), false);   // moments shaped as the parameter
            updaters.put(e.getKey(), u);
            offset += size;
        }
    }

    /** Moves every parameter against its gradient of the loss; the gradients are overwritten with the updates. */
    void step(Map<String, INDArray> gradients, int step) {
        for (var e : network.parameters().entrySet()) {
            INDArray g = gradients.get(e.getKey());
            updaters.get(e.getKey()).applyUpdater(g, step, 0);   // g becomes the update
            e.getValue().subi(g);
        }
    }

    /** The moments (Adam: per array, first then second; RMSprop: the running mean square) as one FLOAT vector. */
    float[] state() {
        return state.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
    }

    void restore(float[] saved) {
        if (saved.length != state.length()) throw Check.bad("checkpoint optimiser state", saved.length, state.length() + " values");
        state.assign(Nd4j.createFromArray(saved).reshape(1, saved.length).castTo(state.dataType()));
    }

    /** The library's learning-rate schedule seen through ND4J's interface (iteration = 0-based step). */
    private record Schedule(LearningRate lr) implements ISchedule {
        @Override public double valueAt(int iteration, int epoch) { return lr.at(iteration); }

        @Override public ISchedule clone() { return new Schedule(lr); }
    }
}
