package org.dpm4j.baselines;

import java.util.random.RandomGenerator;
import org.dpm4j.util.Check;

/**
 * The denoising autoencoder's corruption (Vincent et al. 2008, Sec. 2.3): each input is set to 0 independently with
 * probability nu, the rest kept as they are. A destroyed input and a true 0 look alike, so the model must fill in from
 * the others: the same "fill in what was destroyed" idea as the diffusion model's inpainting.
 */
public final class MaskingNoise {
    private MaskingNoise() {}

    /** A copy of x with each value set to 0 with probability nu (in [0, 1)), drawn from rng. */
    public static double[] apply(double[] x, double nu, RandomGenerator rng) {
        if (x == null) throw Check.bad("x", null, "an array of inputs");
        if (!(nu >= 0 && nu < 1)) throw Check.bad("nu", nu, "a destruction rate in [0, 1)");
        if (rng == null) throw Check.bad("rng", null, "a seeded generator");
        double[] out = x.clone();
        for (int i = 0; i < out.length; i++) if (rng.nextDouble() < nu) out[i] = 0;
        return out;
    }

    /** A copy of x with the entries where known[i] == 0 set to 0: a given mask (inpainting's), not a random one. */
    public static double[] apply(double[] x, double[] known) {
        if (x == null || known == null || known.length != x.length) throw Check.bad("known.length", known == null ? null : known.length, "x.length = " + (x == null ? null : x.length));
        double[] out = x.clone();
        for (int i = 0; i < out.length; i++) {
            if (known[i] != 0 && known[i] != 1) throw Check.bad("known[" + i + "]", known[i], "0 (missing) or 1 (known)");
            if (known[i] == 0) out[i] = 0;
        }
        return out;
    }
}
