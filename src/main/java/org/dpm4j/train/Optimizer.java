package org.dpm4j.train;

/**
 * Updates a flat parameter array from the flat gradient of -K, in one plain Java loop per step. On the heartbeat
 * model's 2.1 M parameters this measured about 13 ms per step against 23 ms for ND4J's fused native Adam updater on
 * the same (shared, loaded) machine, and it keeps the parameters on the Java heap where the per-step readouts read them.
 * Its whole state is one float[] (Adam: first then second moments; RMSprop: the running mean square), which
 * checkpoints save.
 */
public final class Optimizer {
    private static final float BETA1 = 0.9f, BETA2 = 0.999f, EPSILON = 1e-8f, RMS_DECAY = 0.9f;

    private final OptimizerKind kind;
    private final LearningRate learningRate;
    private final int n;
    private final float[] state;

    public Optimizer(OptimizerKind kind, LearningRate learningRate, int parameters) {
        this.kind = kind;
        this.learningRate = learningRate;
        this.n = parameters;
        this.state = new float[kind == OptimizerKind.ADAM ? 2 * parameters : parameters];
    }

    public OptimizerKind kind() { return kind; }

    public LearningRate learningRate() { return learningRate; }

    /** The optimiser's moments, live; checkpoints save and restore it. */
    public float[] state() { return state; }

    /** True when every gradient entry is finite (the non-finite guard's test). */
    public static boolean allFinite(float[] g) {
        float s = 0;
        for (float v : g) s += v * 0f;   // 0 * inf and 0 * NaN are NaN, anything finite gives 0
        return s == 0f;
    }

    /** One descent step on -K at the given (0-based) step number. */
    public void step(float[] params, float[] grads, long step) {
        float lr = (float) learningRate.at(step);
        if (kind == OptimizerKind.ADAM) {
            double t = step + 1;
            float c1 = (float) (1 - Math.pow(BETA1, t)), c2 = (float) Math.sqrt(1 - Math.pow(BETA2, t));
            float a = lr * c2 / c1, eps = EPSILON * c2;   // lr * mhat / (sqrt(vhat) + eps), folded
            for (int i = 0; i < n; i++) {
                float g = grads[i];
                float m = state[i] = BETA1 * state[i] + (1 - BETA1) * g;
                float v = state[n + i] = BETA2 * state[n + i] + (1 - BETA2) * g * g;
                params[i] -= a * m / ((float) Math.sqrt(v) + eps);
            }
        } else {
            for (int i = 0; i < n; i++) {
                float g = grads[i];
                float r = state[i] = RMS_DECAY * state[i] + (1 - RMS_DECAY) * g * g;
                params[i] -= lr * g / ((float) Math.sqrt(r) + EPSILON);
            }
        }
    }
}
