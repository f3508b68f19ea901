package org.dpm4j.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * The record of a training run, one row per step: K in bits per example estimated on that step's minibatch, K on the
 * fixed evaluation set (NaN between evaluations), learning rate, wall and CPU seconds since the start (evaluation
 * included), the part of those spent evaluating, and skipped steps so far.
 */
public final class History {
    private int n;
    private int[] step = new int[1024], skipped = new int[1024];
    private double[] seconds = new double[1024], cpuSeconds = new double[1024], evalSeconds = new double[1024], evalCpuSeconds = new double[1024], kBits = new double[1024], kEvalBits = new double[1024], lr = new double[1024];

    /** Appends the row of step {@code stepNumber} with the evaluation time of the previous row; K in bits per example. */
    public void add(int stepNumber, double wallSeconds, double cpu, double minibatchKBits, double evalKBits, double learningRate, int skippedSoFar) {
        add(stepNumber, wallSeconds, cpu, n == 0 ? 0 : evalSeconds[n - 1], n == 0 ? 0 : evalCpuSeconds[n - 1], minibatchKBits, evalKBits,
                learningRate, skippedSoFar);
    }

    /**
     * Appends the row of step {@code stepNumber}; K in bits per example.
     *
     * @param wallSeconds wall seconds since the start of the run, evaluation included
     * @param cpu         process CPU seconds since the start of the run, evaluation included
     * @param evalWall    the part of wallSeconds spent evaluating K on the evaluation set
     * @param evalCpu     the part of cpu spent evaluating K on the evaluation set
     */
    public void add(int stepNumber, double wallSeconds, double cpu, double evalWall, double evalCpu, double minibatchKBits, double evalKBits,
                    double learningRate, int skippedSoFar) {
        if (n == step.length) {
            int m = 2 * n;
            step = Arrays.copyOf(step, m);
            skipped = Arrays.copyOf(skipped, m);
            seconds = Arrays.copyOf(seconds, m);
            cpuSeconds = Arrays.copyOf(cpuSeconds, m);
            evalSeconds = Arrays.copyOf(evalSeconds, m);
            evalCpuSeconds = Arrays.copyOf(evalCpuSeconds, m);
            kBits = Arrays.copyOf(kBits, m);
            kEvalBits = Arrays.copyOf(kEvalBits, m);
            lr = Arrays.copyOf(lr, m);
        }
        step[n] = stepNumber;
        seconds[n] = wallSeconds;
        cpuSeconds[n] = cpu;
        evalSeconds[n] = evalWall;
        evalCpuSeconds[n] = evalCpu;
        kBits[n] = minibatchKBits;
        kEvalBits[n] = evalKBits;
        lr[n] = learningRate;
        skipped[n] = skippedSoFar;
        n++;
    }

    public int size() { return n; }

    /** The last evaluated K in bits per example, NaN if none. */
    public double lastEvalKBits() {
        for (int i = n - 1; i >= 0; i--) if (!Double.isNaN(kEvalBits[i])) return kEvalBits[i];
        return Double.NaN;
    }

    /** Wall seconds of the last recorded step. */
    public double lastSeconds() { return n == 0 ? 0 : seconds[n - 1]; }

    /** Process CPU seconds of the last recorded step. */
    public double lastCpuSeconds() { return n == 0 ? 0 : cpuSeconds[n - 1]; }

    /** Wall seconds spent evaluating up to the last recorded step (included in {@link #lastSeconds()}). */
    public double lastEvalSeconds() { return n == 0 ? 0 : evalSeconds[n - 1]; }

    /** Process CPU seconds spent evaluating up to the last recorded step (included in {@link #lastCpuSeconds()}). */
    public double lastEvalCpuSeconds() { return n == 0 ? 0 : evalCpuSeconds[n - 1]; }

    /** One evaluation: its step, training wall and CPU seconds so far (evaluation excluded), evaluation time so far, K. */
    public record Evaluation(int step, double trainSeconds, double trainCpuSeconds, double evalSeconds, double evalCpuSeconds, double kBits) {}

    /** The rows with an evaluated K, in order. */
    public java.util.List<Evaluation> evaluations() {
        java.util.List<Evaluation> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!Double.isNaN(kEvalBits[i])) {
                out.add(new Evaluation(step[i], seconds[i] - evalSeconds[i], cpuSeconds[i] - evalCpuSeconds[i], evalSeconds[i], evalCpuSeconds[i], kEvalBits[i]));
            }
        }
        return out;
    }

    /** CPU seconds at the first evaluation whose K reached {@code bits}, NaN if none did. */
    public double cpuSecondsToReach(double bits) {
        for (int i = 0; i < n; i++) if (kEvalBits[i] >= bits) return cpuSeconds[i];
        return Double.NaN;
    }

    /** Wall seconds at the first evaluation whose K reached {@code bits}, NaN if none did. */
    public double secondsToReach(double bits) {
        for (int i = 0; i < n; i++) if (kEvalBits[i] >= bits) return seconds[i];
        return Double.NaN;
    }

    /**
     * Columns step, seconds (wall), cpu_seconds (this process, all threads: the honest clock on a shared machine),
     * eval_seconds and eval_cpu_seconds (the part of the two spent evaluating), K_bits (minibatch estimate),
     * K_eval_bits, learning_rate, skipped; K in bits per example.
     */
    public Table table(String name) {
        return Table.create(name,
                IntColumn.create("step", Arrays.copyOf(step, n)),
                DoubleColumn.create("seconds", Arrays.copyOf(seconds, n)),
                DoubleColumn.create("cpu_seconds", Arrays.copyOf(cpuSeconds, n)),
                DoubleColumn.create("eval_seconds", Arrays.copyOf(evalSeconds, n)),
                DoubleColumn.create("eval_cpu_seconds", Arrays.copyOf(evalCpuSeconds, n)),
                DoubleColumn.create("K_bits", Arrays.copyOf(kBits, n)),
                DoubleColumn.create("K_eval_bits", Arrays.copyOf(kEvalBits, n)),
                DoubleColumn.create("learning_rate", Arrays.copyOf(lr, n)),
                IntColumn.create("skipped", Arrays.copyOf(skipped, n)));
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(n);
        for (int i = 0; i < n; i++) {
            out.writeInt(step[i]);
            out.writeDouble(seconds[i]);
            out.writeDouble(cpuSeconds[i]);
            out.writeDouble(evalSeconds[i]);
            out.writeDouble(evalCpuSeconds[i]);
            out.writeDouble(kBits[i]);
            out.writeDouble(kEvalBits[i]);
            out.writeDouble(lr[i]);
            out.writeInt(skipped[i]);
        }
    }

    /** @param withEvalTimes whether the rows hold evaluation times (checkpoint version 4 on; older rows read as 0) */
    static History read(DataInputStream in, boolean withEvalTimes) throws IOException {
        History h = new History();
        int rows = in.readInt();
        if (rows < 0 || (long) rows * 64 > in.available()) throw new IOException("history of " + rows + " rows does not fit in the bytes left");
        for (int i = 0; i < rows; i++) {
            int s = in.readInt();
            double wall = in.readDouble(), cpu = in.readDouble();
            double evalWall = withEvalTimes ? in.readDouble() : 0, evalCpu = withEvalTimes ? in.readDouble() : 0;
            h.add(s, wall, cpu, evalWall, evalCpu, in.readDouble(), in.readDouble(), in.readDouble(), in.readInt());
        }
        return h;
    }
}
