package org.dpm4j.nn.conv;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dpm4j.train.LearningRate;
import org.dpm4j.train.Optimizer;
import org.dpm4j.train.OptimizerKind;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Adam or RMSprop (decay 0.9, as {@link Optimizer}) applied in place to each parameter array of an
 * {@link ImageNetwork}. FLOAT networks use the library's {@link Optimizer} (one Java loop over all parameters as one
 * flat vector: on the 28x28 reference network's 1.7 M parameters it and the copies in and out cost less than ND4J's
 * fused updater called per array); DOUBLE networks use ND4J's fused updaters, each moment array a view of one flat
 * vector. Either way the state that {@link #state()} gives and {@link #restore} takes is laid out as ND4J's: per
 * parameter array in declaration order, Adam's first then second moments (RMSprop: the running mean square), so
 * checkpoints are interchangeable between the two. (The two Adams differ only in where epsilon enters: ND4J adds it to
 * sqrt(v) before the bias correction, the library's Optimizer after, as the Adam paper does; with epsilon 1e-8 the
 * first update differs by a relative 3e-7 / |g|, so only for gradients near zero.) The step number (Adam's bias correction, the learning-rate
 * schedule) is passed in, so state plus step is all there is.
 */
final class ImageOptimizer {
    private final ImageNetwork network;
    private final OptimizerKind kind;
    private final int[] sizes;                          // parameter arrays' lengths, declaration order
    // FLOAT networks
    private final Optimizer flat;
    private final float[] params, grads;
    // DOUBLE networks (and the FLOAT path's reference in tests)
    private final INDArray state;                       // [1, total], the moments of every parameter array in order
    private final Map<String, GradientUpdater<?>> updaters = new LinkedHashMap<>();

    ImageOptimizer(ImageNetwork network, OptimizerKind kind, LearningRate lr) {
        this(network, kind, lr, network.dataType() == DataType.FLOAT);
    }

    /** With {@code javaLoop} false, ND4J's updaters whatever the network's type (the reference the tests compare against). */
    ImageOptimizer(ImageNetwork network, OptimizerKind kind, LearningRate lr, boolean javaLoop) {
        this.network = network;
        this.kind = kind;
        this.sizes = network.parameters().values().stream().mapToInt(a -> (int) a.length()).toArray();
        if (javaLoop) {
            int n = Math.toIntExact(network.parameterCount());
            flat = new Optimizer(kind, lr, n);
            params = new float[n];
            grads = new float[n];
            state = null;
            return;
        }
        flat = null;
        params = grads = null;
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

    /** Moves every parameter against its gradient of the loss (the ND4J path overwrites the gradients with the updates). */
    void step(Map<String, INDArray> gradients, int step) {
        if (flat == null) {
            for (var e : network.parameters().entrySet()) {
                INDArray g = gradients.get(e.getKey());
                updaters.get(e.getKey()).applyUpdater(g, step, 0);   // g becomes the update
                e.getValue().subi(g);
            }
            return;
        }
        int offset = 0;
        for (var e : network.parameters().entrySet()) {
            copy(e.getValue(), params, offset, true);
            copy(gradients.get(e.getKey()), grads, offset, true);
            offset += (int) e.getValue().length();
        }
        flat.step(params, grads, step);
        offset = 0;
        for (INDArray p : network.parameters().values()) {
            copy(p, params, offset, false);
            offset += (int) p.length();
        }
    }

    /** The moments as one FLOAT vector in ND4J's layout (see the class comment). */
    float[] state() {
        if (flat == null) return state.castTo(DataType.FLOAT).dup('c').data().asFloat();
        return kind == OptimizerKind.ADAM ? perArray(flat.state(), true) : flat.state();
    }

    void restore(float[] saved) {
        if (flat == null) {
            if (saved.length != state.length()) throw Check.bad("checkpoint optimiser state", saved.length, state.length() + " values");
            state.assign(Nd4j.createFromArray(saved).reshape(1, saved.length).castTo(state.dataType()));
            return;
        }
        int expected = (kind == OptimizerKind.ADAM ? 2 : 1) * params.length;
        if (saved.length != expected) throw Check.bad("checkpoint optimiser state", saved.length, expected + " values");
        flat.restore(kind == OptimizerKind.ADAM ? perArray(saved, false) : saved);
    }

    /**
     * Adam's moments between the flat optimiser's layout (all first moments, then all second) and ND4J's (per array,
     * first then second); {@code toPerArray} chooses the direction.
     */
    private float[] perArray(float[] v, boolean toPerArray) {
        int n = params.length;
        float[] out = new float[2 * n];
        int offset = 0;
        for (int size : sizes) {
            int[] from = {offset, n + offset}, to = {2 * offset, 2 * offset + size};
            for (int k = 0; k < 2; k++) {
                if (toPerArray) System.arraycopy(v, from[k], out, to[k], size);
                else System.arraycopy(v, to[k], out, from[k], size);
            }
            offset += size;
        }
        return out;
    }

    /** Bulk copy between a FLOAT array (contiguous, row-major) and v at offset, either way. */
    private static void copy(INDArray a, float[] v, int offset, boolean in) {
        int n = (int) a.length();
        if (a.dataType() != DataType.FLOAT || a.ordering() != 'c' || a.elementWiseStride() != 1) {
            if (!in) throw Check.bad("parameter array", a.dataType() + " " + a.ordering(), "a contiguous FLOAT array");
            System.arraycopy(a.castTo(DataType.FLOAT).dup('c').data().asFloat(), 0, v, offset, n);
            return;
        }
        FloatBuffer b = a.data().asNioFloat();
        if (in) b.get((int) a.offset(), v, offset, n);
        else b.put((int) a.offset(), v, offset, n);
    }

    /** The library's learning-rate schedule seen through ND4J's interface (iteration = 0-based step). */
    private record Schedule(LearningRate lr) implements ISchedule {
        @Override public double valueAt(int iteration, int epoch) { return lr.at(iteration); }

        @Override public ISchedule clone() { return new Schedule(lr); }
    }
}
