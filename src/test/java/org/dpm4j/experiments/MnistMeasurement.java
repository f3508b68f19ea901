package org.dpm4j.experiments;

import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.nn.conv.ImageNetwork;
import org.dpm4j.nn.conv.ImageNetworkObjective;
import org.dpm4j.train.TrainResult;

/**
 * Not a test: measures MNIST training at a short budget (seconds per step of a network size and batch, and held-out K
 * after a fixed number of steps per parameterisation). Run:
 * java -cp 'target/classes:target/test-classes:lib/*' org.dpm4j.experiments.MnistMeasurement time|param [steps] [settings...]
 */
public final class MnistMeasurement {
    public static void main(String[] args) {
        String mode = args[0];
        int steps = Integer.parseInt(args[1]);
        MnistExperiment.Config c = Settings.change(MnistExperiment.Config.of(Profile.STANDARD), "steps", steps, "evalExamples", 0,
                "heldOut", 100, "finalLearningRate", 1e-3);
        for (int i = mode.equals("cmp") ? 3 : 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            c = Settings.with(c, kv[0], kv[1]);
        }
        MnistExperiment.Data data = MnistExperiment.data(c, 1);
        if (mode.equals("cmp")) {   // arms separated by '|', each a comma list of key=value on top of the common settings
            for (String arm : args[2].split("\\|")) {
                MnistExperiment.Config ca = c;
                for (String kv : arm.split(",")) if (!kv.isBlank()) ca = Settings.with(ca, kv.split("=", 2)[0], kv.split("=", 2)[1]);
                MnistExperiment.Data d = MnistExperiment.data(ca, 1);
                ImageNetwork net = MnistExperiment.network(ca, 1);
                TrainResult<ImageNetwork> r = ImageNetworkObjective.train(net, d.train(), null, MnistExperiment.trainConfig(ca, 1).withProgress(false));
                var e = MnistExperiment.evaluate(Settings.change(ca, "eq9Examples", 1, "eq9Trajectories", 1), net, d, 1);
                System.out.printf("[%s] %d steps, %.0f s wall %.0f s cpu: held-out K %.4f +- %.4f bits/pixel (%d images)%n", arm, ca.steps(),
                        r.seconds(), r.cpuSeconds(), e.kBits(), e.bound().kStandardErrorBits(MnistExperiment.PER_PIXEL), ca.heldOut());
            }
            return;
        }
        if (mode.equals("time")) {
            ImageNetwork net = MnistExperiment.network(c, 1);
            TrainResult<ImageNetwork> r = ImageNetworkObjective.train(net, data.train(), null, MnistExperiment.trainConfig(c, 1).withProgress(false));
            System.out.printf("params %d batch %d: %.3f s/step wall, %.3f s/step cpu%n", net.parameterCount(), c.batch(),
                    r.seconds() / steps, r.cpuSeconds() / steps);
            long t0 = System.nanoTime();
            var e = MnistExperiment.evaluate(Settings.change(c, "eq9Examples", 1, "eq9Trajectories", 1), net, data, 1);
            System.out.printf("K on %d held-out: %.4f bits/pixel, %.1f s%n", c.heldOut(), e.kBits(), (System.nanoTime() - t0) / 1e9);
        } else {
            for (String p : mode.split(",")) {
                MnistExperiment.Config cp = Settings.with(c, "parameterisation", p);
                ImageNetwork net = MnistExperiment.network(cp, 1);
                TrainResult<ImageNetwork> r = ImageNetworkObjective.train(net, data.train(), null, MnistExperiment.trainConfig(cp, 1).withProgress(false));
                var e = MnistExperiment.evaluate(Settings.change(cp, "eq9Examples", 1, "eq9Trajectories", 1), net, data, 1);
                System.out.printf("%s: %d steps in %.0f s, held-out K %.4f +- %.4f bits/pixel (%d images)%n", p, steps, r.seconds(),
                        e.kBits(), e.bound().kStandardErrorBits(MnistExperiment.PER_PIXEL), c.heldOut());
            }
        }
    }
}
