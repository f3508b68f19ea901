package org.dpm4j.nn;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * All trainable parameters of a network in one flat FLOAT vector, with a gradient vector of the same layout.
 * One flat vector lets an optimiser update every weight in a handful of array operations and lets a checkpoint
 * save the model as one array. Layers declare {@link Slot}s while they are built; {@link #allocate} then creates the
 * storage and initialises it from a seeded generator.
 */
public final class Params {
    /** How a slot is initialised: zeros, a constant, or N(0, scale^2). */
    public record Init(String kind, double value) {
        public static Init zeros() { return new Init("const", 0); }
        public static Init constant(double c) { return new Init("const", c); }
        public static Init gaussian(double scale) { return new Init("gaussian", scale); }
    }

    /** A named tensor inside the flat vector. Views are valid after {@link Params#allocate}. */
    public final class Slot {
        public final String name;
        public final long[] shape;
        public final int offset;
        public final int size;
        final Init init;
        private INDArray value, grad;

        private Slot(String name, long[] shape, int offset, int size, Init init) {
            this.name = name; this.shape = shape; this.offset = offset; this.size = size; this.init = init;
        }

        /** The parameter values, a view of the flat vector with this slot's shape. */
        public INDArray value() { requireAllocated(); return value; }

        /** The gradient accumulator, a view of the flat gradient vector with this slot's shape. */
        public INDArray grad() { requireAllocated(); return grad; }

        /** Index of this slot's first element in {@link Params#valueBuffer()} and {@link Params#gradBuffer()}. */
        public int offset() { return offset; }
    }

    private final List<Slot> slots = new ArrayList<>();
    private int total;
    private INDArray values, grads;
    private FloatBuffer valueBuf, gradBuf;

    /** Declares a parameter tensor; call before {@link #allocate}. */
    public Slot add(String name, Init init, long... shape) {
        if (values != null) throw new IllegalStateException("parameters already allocated; declare slot '" + name + "' before allocate()");
        long n = 1;
        for (long s : shape) n *= Check.positive("shape of " + name, (int) s);
        Slot slot = new Slot(name, shape.clone(), total, (int) n, init);
        slots.add(slot);
        total += (int) n;
        return slot;
    }

    /** Creates the storage and initialises every slot from {@code rng} in declaration order. */
    public Params allocate(RandomGenerator rng) {
        if (values != null) throw new IllegalStateException("parameters already allocated");
        float[] init = new float[Math.max(total, 1)];
        for (Slot s : slots) {
            for (int i = 0; i < s.size; i++) {
                init[s.offset + i] = (float) ("gaussian".equals(s.init.kind()) ? s.init.value() * rng.nextGaussian() : s.init.value());
            }
        }
        values = Nd4j.createFromArray(init);
        grads = Nd4j.create(DataType.FLOAT, Math.max(total, 1));
        for (Slot s : slots) {
            s.value = values.get(NDArrayIndex.interval(s.offset, s.offset + s.size)).reshape('c', s.shape);
            s.grad = grads.get(NDArrayIndex.interval(s.offset, s.offset + s.size)).reshape('c', s.shape);
        }
        valueBuf = values.data().asNioFloat();
        gradBuf = grads.data().asNioFloat();
        return this;
    }

    public int size() { return total; }

    public List<Slot> slots() { return Collections.unmodifiableList(slots); }

    /** The flat parameter vector [size] (FLOAT). */
    public INDArray values() { requireAllocated(); return values; }

    /** The flat gradient vector [size] (FLOAT). */
    public INDArray grads() { requireAllocated(); return grads; }

    /** Direct access to the parameter storage for per-row loops (absolute index = slot offset + element). */
    public FloatBuffer valueBuffer() { requireAllocated(); return valueBuf; }

    /** Direct access to the gradient storage for per-row loops. */
    public FloatBuffer gradBuffer() { requireAllocated(); return gradBuf; }

    public void zeroGrad() { grads.assign(0); }

    private void requireAllocated() {
        if (values == null) throw new IllegalStateException("parameters not allocated yet; call allocate(rng)");
    }
}
