package org.dpm4j.experiments;

import org.dpm4j.util.Check;

/**
 * The one rule by which an experiment's random streams come from its root seed (the {@code --seed} of the command
 * line, the {@code seed} of a notebook): stream "name" of root r is seeded by
 * {@code mix(r ^ mix(h(name)))}, where mix is SplitMix64's finaliser and h the 64-bit FNV-1a hash of the name's
 * UTF-8 bytes. Streams of different names are independent for practical purposes, any root gives every stream, and a
 * new stream (a new stage of an experiment) never shifts an old one. The names the experiments use:
 * <ul>
 *   <li>{@code data}: the training set and, split off it, the held-out sets;</li>
 *   <li>{@code model}: the network's initial weights;</li>
 *   <li>{@code training}: the trainer's seed (its steps then draw from (seed, step), see Trainer);</li>
 *   <li>{@code bound}: the noise of K (Eq. 14) on held-out data;</li>
 *   <li>{@code eq9}: the forward trajectories of the Eq. 9 estimate;</li>
 *   <li>{@code samples}: the reverse process's draws;</li>
 *   <li>{@code baselines}, {@code oracle}, {@code figures}: whatever else an experiment draws.</li>
 * </ul>
 */
public record Seeds(long root) {
    /** The seed of the named stream (see the class comment). */
    public long of(String stream) {
        if (stream == null || stream.isBlank()) throw Check.bad("stream", stream, "a stream name such as data, model or samples");
        return mix(root ^ mix(fnv1a(stream)));
    }

    public long data() { return of("data"); }

    public long model() { return of("model"); }

    public long training() { return of("training"); }

    public long bound() { return of("bound"); }

    public long eq9() { return of("eq9"); }

    public long samples() { return of("samples"); }

    static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
