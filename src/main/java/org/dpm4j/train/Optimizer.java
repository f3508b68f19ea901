package org.dpm4j.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;

/**
 * Updates a flat parameter vector from a flat gradient vector of -K with ND4J's fused native updater (one array
 * operation per step, whatever the number of layers). Its whole state is one flat array, saved by checkpoints.
 */
public final class Optimizer {
    private final OptimizerKind kind;
    private final LearningRate learningRate;
    private final IUpdater config;
    private final INDArray state;
    private final GradientUpdater<?> updater;

    public Optimizer(OptimizerKind kind, LearningRate learningRate, long parameters) {
        this.kind = kind;
        this.learningRate = learningRate;
        this.config = kind == OptimizerKind.ADAM
                ? new Adam(learningRate.initial(), 0.9, 0.999, 1e-8)
                : new RmsProp(learningRate.initial(), 0.9, 1e-8);
        this.state = Nd4j.create(DataType.FLOAT, 1, config.stateSize(parameters));
        this.updater = config.instantiate(state, true);
    }

    public OptimizerKind kind() { return kind; }

    public LearningRate learningRate() { return learningRate; }

    /** The optimiser's moments, a live view; checkpoints save and restore it. */
    public INDArray state() { return state; }

    /** One descent step on -K: params -= update(grads); {@code grads} is overwritten. */
    public void step(INDArray params, INDArray grads, long step) {
        double lr = learningRate.at(step);
        if (config instanceof Adam a) a.setLearningRate(lr);
        else ((RmsProp) config).setLearningRate(lr);
        INDArray g = grads.reshape(1, grads.length());
        updater.applyUpdater(g, (int) step, 0);
        params.subi(grads);
    }
}
