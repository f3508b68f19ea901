package org.dpm4j.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * A check on samples that needs no likelihood: a Tribuo classifier trained on labelled training images (multinomial
 * logistic regression on the 784 pixel values in [0, 1], {@link LinearSGDTrainer} with {@link LogMulticlass} and
 * AdaGrad) labels images; for samples it gives the class histogram (do all ten classes appear, in proportions like
 * the data's?) and the mean top-class probability (does the classifier recognise the samples as confidently as real
 * held-out images?). Tribuo keeps the trainer's configuration as provenance with the model.
 */
public final class SampleClassifier {
    public static final int CLASSES = 10;
    private final Model<Label> model;
    private final int d;

    private SampleClassifier(Model<Label> model, int d) {
        this.model = model;
        this.d = d;
    }

    /**
     * Trains on images [n, d] with pixel values in [0, 1] and their labels 0..9.
     *
     * @param epochs passes over the data (AdaGrad, learning rate 0.5, epsilon 0.1)
     * @param seed   Tribuo's shuffling seed
     */
    public static SampleClassifier train(INDArray images, int[] labels, int epochs, long seed) {
        if (images == null || images.rank() != 2) throw Check.bad("images", images == null ? null : images.shapeInfoToString(), "an [n, d] array");
        if (labels == null || labels.length != images.rows()) {
            throw Check.bad("labels", labels == null ? null : labels.length + " labels", images.rows() + " labels 0..9 (one per image)");
        }
        Check.positive("epochs", epochs);
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("training images", factory), factory);
        double[][] x = images.toDoubleMatrix();
        for (int i = 0; i < x.length; i++) {
            Check.inRange("labels[" + i + "]", labels[i], 0, CLASSES - 1);
            data.add(example(new Label(Integer.toString(labels[i])), x[i]));
        }
        LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.5, 0.1), epochs, seed);
        // Tribuo logs its loss every 1,000 iterations at INFO: dozens of lines in a notebook cell; quiet while training
        java.util.logging.Logger tribuo = java.util.logging.Logger.getLogger("org.tribuo");
        java.util.logging.Level before = tribuo.getLevel();
        tribuo.setLevel(java.util.logging.Level.WARNING);
        try {
            return new SampleClassifier(trainer.train(data), (int) images.columns());
        } finally {
            tribuo.setLevel(before);
        }
    }

    /** What the classifier says about a set of images. */
    public record Verdict(int[] predicted, double[] topProbability) {
        /** How many images fall in each class 0..9. */
        public int[] histogram() {
            int[] h = new int[CLASSES];
            for (int p : predicted) h[p]++;
            return h;
        }

        /** Mean probability the classifier gives its own top class. */
        public double meanTopProbability() {
            double s = 0;
            for (double p : topProbability) s += p;
            return s / topProbability.length;
        }

        /** Fraction of predictions equal to the labels. */
        public double accuracy(int[] labels) {
            if (labels == null || labels.length != predicted.length) throw Check.bad("labels", labels == null ? null : labels.length, predicted.length + " labels");
            int right = 0;
            for (int i = 0; i < labels.length; i++) if (labels[i] == predicted[i]) right++;
            return right / (double) labels.length;
        }
    }

    /** Labels images [n, d] (pixel values in [0, 1]). */
    public Verdict classify(INDArray images) {
        if (images == null || images.rank() != 2 || images.columns() != d) {
            throw Check.bad("images", images == null ? null : java.util.Arrays.toString(images.shape()), "an [n, " + d + "] array");
        }
        double[][] x = images.toDoubleMatrix();
        List<Example<Label>> examples = new ArrayList<>();
        for (double[] row : x) examples.add(example(LabelFactory.UNKNOWN_LABEL, row));
        List<Prediction<Label>> predictions = model.predict(examples);
        int[] cls = new int[x.length];
        double[] top = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            Label best = predictions.get(i).getOutput();
            cls[i] = Integer.parseInt(best.getLabel());
            Map<String, Label> scores = predictions.get(i).getOutputScores();
            top[i] = scores.get(best.getLabel()).getScore();
        }
        return new Verdict(cls, top);
    }

    /** Tribuo's record of how the classifier was made. */
    public String provenance() { return model.getProvenance().toString(); }

    /** Non-zero pixels only: Tribuo reads a missing feature as 0, and most MNIST pixels are 0. */
    private static ArrayExample<Label> example(Label label, double[] pixels) {
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int j = 0; j < pixels.length; j++) {
            if (pixels[j] != 0) {
                names.add(String.format("p%03d", j));
                values.add(pixels[j]);
            }
        }
        if (names.isEmpty()) {   // an all-black image still needs a feature to be a valid example
            names.add("p000");
            values.add(0.0);
        }
        return new ArrayExample<>(label, names.toArray(String[]::new), values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
