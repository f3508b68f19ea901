package org.dpm4j.train;

import static org.dpm4j.train.TrainerTest.T;
import static org.dpm4j.train.TrainerTest.config;
import static org.dpm4j.train.TrainerTest.gaussianData;
import static org.dpm4j.train.TrainerTest.kernel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.nn.Activation;
import org.dpm4j.nn.Mlp;
import org.dpm4j.nn.NetworkGaussianKernel;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Checkpoints that know their run: fingerprint refusal field by field, checksums, length fields, kill -9. */
class CheckpointTest {
    /** One run, then the same run with exactly one field of its fingerprint changed. */
    static Stream<Arguments> changedRuns() {
        Supplier<NetworkGaussianKernel> wider = () -> NetworkGaussianKernel.mlp(1, new int[] {17}, Activation.SOFTPLUS, Mlp.Readout.PER_STEP,
                Schedules.referenceGaussian(T, 0.01), GaussianParameterisation.PAPER, 5);
        Supplier<NetworkGaussianKernel> reference = () -> NetworkGaussianKernel.mlp(1, new int[] {16}, Activation.SOFTPLUS, Mlp.Readout.PER_STEP,
                Schedules.referenceGaussian(T, 0.01), GaussianParameterisation.REFERENCE, 5);
        Supplier<NetworkGaussianKernel> schedule = () -> NetworkGaussianKernel.mlp(1, new int[] {16}, Activation.SOFTPLUS, Mlp.Readout.PER_STEP,
                Schedules.referenceGaussian(T, 0.02), GaussianParameterisation.PAPER, 5);
        TrainConfig c = config(20);
        return Stream.of(
                Arguments.of("model", wider, gaussianData(), c),
                Arguments.of("model", reference, gaussianData(), c),
                Arguments.of("schedule", schedule, gaussianData(), c),
                Arguments.of("data", (Supplier<NetworkGaussianKernel>) TrainerTest::kernel, gaussianData(0.25), c),
                Arguments.of("optimizer", (Supplier<NetworkGaussianKernel>) TrainerTest::kernel, gaussianData(), c.withOptimizer(OptimizerKind.RMSPROP, c.learningRate())),
                Arguments.of("learningRate", (Supplier<NetworkGaussianKernel>) TrainerTest::kernel, gaussianData(), c.withLearningRate(1e-3)),
                Arguments.of("estimator", (Supplier<NetworkGaussianKernel>) TrainerTest::kernel, gaussianData(), c.withEstimator(Estimator.SAMPLED_T)),
                Arguments.of("batch", (Supplier<NetworkGaussianKernel>) TrainerTest::kernel, gaussianData(), c.withBatch(17)),
                Arguments.of("steps", (Supplier<NetworkGaussianKernel>) TrainerTest::kernel, gaussianData(), c.withSteps(21)),
                Arguments.of("seed", (Supplier<NetworkGaussianKernel>) TrainerTest::kernel, gaussianData(),
                        c.withSeed(4)),
                Arguments.of("learnSchedule", (Supplier<NetworkGaussianKernel>) TrainerTest::kernel, gaussianData(), c.withLearnedSchedule(1e-3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changedRuns")
    @DisplayName("resuming with one field of the run changed is refused, naming that field, both values and the file")
    void refusesAnotherRun(String field, Supplier<NetworkGaussianKernel> kernel, INDArray data, TrainConfig changed, @TempDir Path dir) {
        Path file = dir.resolve("run.ckpt");
        Trainer.train(kernel(), gaussianData(), config(20).withPauseAt(10).withCheckpoint(file, 5));
        RunFingerprint saved = Checkpoint.read(file).orElseThrow().fingerprint();
        var e = assertThrows(IllegalArgumentException.class, () -> Trainer.train(kernel.get(), data, changed.withCheckpoint(file, 5)));
        String m = e.getMessage();
        assertTrue(m.contains(field + " = " + saved.fields().get(field) + " in the checkpoint, but "), m);
        assertTrue(m.contains(file.toString()), m);
        // and the unchanged run resumes from the same file
        assertEquals(20, Trainer.train(kernel(), gaussianData(), config(20).withCheckpoint(file, 5)).steps());
    }

    @Test
    @DisplayName("what only observes a run (evaluation, progress, target, time limit, pause) may change between the pieces of a run")
    void observersMayChange(@TempDir Path dir) {
        Path file = dir.resolve("run.ckpt");
        Trainer.train(kernel(), gaussianData(), config(20).withPauseAt(10).withCheckpoint(file, 5));
        var r = Trainer.train(kernel(), gaussianData(), config(20).withEvaluation(5, 32).withTarget(1e9).withMaxSeconds(1e6).withCheckpoint(file, 7));
        assertEquals(20, r.steps());
    }

    private static Path written(Path dir) {
        Path file = dir.resolve("c.ckpt");
        History h = new History();
        h.add(1, 0.1, 0.1, -1, Double.NaN, 1e-3, 0);
        new Checkpoint(new RunFingerprint(Map.of("seed", "7", "model", "m")), 7, 5, 0, new double[] {0.1, 0.2}, new float[] {1, 2, 3},
                new float[] {4, 5}, new float[0], new float[0], h).write(file);
        return file;
    }

    @Test
    @DisplayName("a checkpoint round-trips every field")
    void roundTrip(@TempDir Path dir) {
        Checkpoint c = Checkpoint.read(written(dir)).orElseThrow();
        assertEquals(Map.of("seed", "7", "model", "m"), c.fingerprint().fields());
        assertEquals(7, c.seed());
        assertEquals(5, c.step());
        assertArrayEquals(new double[] {0.1, 0.2}, c.betas());
        assertArrayEquals(new float[] {1, 2, 3}, c.params());
        assertArrayEquals(new float[] {4, 5}, c.optimizerState());
        assertEquals(1, c.history().size());
    }

    @Test
    @DisplayName("every single flipped byte of the payload is caught by the checksum, and the message names the file")
    void checksumCatchesCorruption(@TempDir Path dir) throws Exception {
        Path file = written(dir);
        byte[] good = Files.readAllBytes(file);
        for (int i = 16; i < good.length - 8; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            Files.write(file, bad);
            var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(file), "byte " + i);
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("checksum"), e.getMessage());
        }
    }

    @Test
    @DisplayName("a header that claims a huge payload, a truncated file, an empty file and a directory are refused naming the path, before allocating")
    void lengthsAndPaths(@TempDir Path dir) throws Exception {
        Path file = written(dir);
        byte[] good = Files.readAllBytes(file);
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).putLong(8, 1L << 40);   // the payload length field
        Files.write(file, huge);
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().contains("claims a payload of 1099511627776 bytes") && e.getMessage().contains(file.toString()), e.getMessage());
        Files.write(file, java.util.Arrays.copyOf(good, good.length - 3));
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("corrupt"), e.getMessage());
        Files.write(file, new byte[0]);
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().contains("0 bytes"), e.getMessage());
        Path folder = Files.createDirectory(dir.resolve("folder.ckpt"));
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(folder));
        assertTrue(e.getMessage().contains("not a directory") && e.getMessage().contains(folder.toString()), e.getMessage());
        Files.write(file, "not a checkpoint at all, but long enough".getBytes());
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().contains("does not start with DPM4"), e.getMessage());
    }

    @Test
    @DisplayName("an array length inside a checksummed payload that exceeds the bytes left is refused before allocating")
    void innerLengthChecked(@TempDir Path dir) throws Exception {
        // a payload whose fingerprint length field claims 2^30 bytes, with a valid checksum
        ByteBuffer payload = ByteBuffer.allocate(4).putInt(1 << 30);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(payload.array());
        ByteBuffer file = ByteBuffer.allocate(16 + 4 + 8).putInt(0x44504d34).putInt(5).putLong(4).put(payload.array()).putLong(crc.getValue());
        Path p = dir.resolve("inner.ckpt");
        Files.write(p, file.array());
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(p));
        assertTrue(e.getMessage().contains("fingerprint length 1073741824 does not fit"), e.getMessage());
    }

    /** The child process of {@link #killNineResumesBitIdentically}: trains with a checkpoint after every step. */
    public static void main(String[] args) {
        Trainer.train(kernel(), gaussianData(), config(Integer.parseInt(args[1])).withCheckpoint(Path.of(args[0]), 1));
    }

    @Test
    @DisplayName("kill -9 at three moments of a run writing a checkpoint every step: each resumes bit-identical to the uninterrupted run")
    void killNineResumesBitIdentically(@TempDir Path dir) throws Exception {
        int steps = 1500;
        var whole = Trainer.train(kernel(), gaussianData(), config(steps));
        for (int k = 0; k < 3; k++) {
            Path file = dir.resolve("kill" + k + ".ckpt");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"), CheckpointTest.class.getName(),
                    file.toString(), Integer.toString(steps))).redirectErrorStream(true).redirectOutput(dir.resolve("child" + k + ".log").toFile()).start();
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!Files.exists(file) && child.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
            Thread.sleep(50 + 150L * k);   // a few more checkpoints, so the kill lands at a different step each time
            child.destroyForcibly();        // SIGKILL: no shutdown hooks, a write may be cut anywhere
            child.waitFor();
            int stepAtKill = Checkpoint.read(file).orElseThrow().step();
            assertTrue(stepAtKill > 0 && stepAtKill < steps, "killed at step " + stepAtKill + " of " + steps + " (see child" + k + ".log)");
            var resumed = Trainer.train(kernel(), gaussianData(), config(steps).withCheckpoint(file, steps));
            assertArrayEquals(whole.kernel().network().params().values(), resumed.kernel().network().params().values(), "killed at step " + stepAtKill);
        }
    }
}
