package org.dpm4j.bench;

import org.dpm4j.nn.*;
import org.dpm4j.schedule.Schedules;
import org.dpm4j.train.*;

public class Quick {
    public static void main(String[] a) {
        String which = a[0];
        Estimator est = Estimator.valueOf(a[1]);
        int batch = Integer.parseInt(a[2]);
        double secs = Double.parseDouble(a[3]);
        double lr = a.length > 4 ? Double.parseDouble(a[4]) : 1e-3;
        TrainConfig cfg = TrainConfig.of(1, 10_000_000).withBatch(batch).withEstimator(est).withMaxSeconds(secs)
                .withLearningRate(lr).withEvaluation(a.length > 5 ? Integer.parseInt(a[5]) : 500, 200).withProgress(false);
        long t0 = System.nanoTime();
        TrainResult<?> r;
        if (which.equals("heart")) {
            var k = Models.heartbeat(Schedules.binomialPaper(2000), 0.2, 1);
            r = Trainer.train(k, Workloads.heartbeat(40), cfg);
        } else if (which.equals("rbf")) {
            var k = Models.swissRollRbf(Schedules.referenceGaussian(40), GaussianParameterisation.PAPER, 1);
            r = Trainer.train(k, Workloads.swissRoll(2000), cfg);
        } else {
            var k = Models.swissRollMlp(Schedules.referenceGaussian(40), GaussianParameterisation.PAPER, new int[] {128, 128}, 1);
            r = Trainer.train(k, Workloads.swissRoll(2000), cfg);
        }
        var t = r.table();
        var ev = t.where(t.doubleColumn("K_eval_bits").isNotMissing());
        System.out.println(ev.print(40));
        System.out.printf("steps %d in %.1f s: %.1f steps/s, eval K %.4f%n", r.steps(), r.seconds(), r.stepsPerSecond(), r.evalKBits());
    }
}
