/**
 * Forward-diffusion schedules beta_1..beta_T: {@link org.dpm4j.schedule.BetaSchedule} (the derived alpha_t,
 * alphabar_t, SNR, and the spec that built it), {@link org.dpm4j.schedule.ScheduleSpec} (a schedule by name with its
 * parameters, e.g. {@code cosine} or {@code log-snr-linear:beta1=1e-5,snrT=1e-3}, what a configuration holds and a
 * result row records), {@link org.dpm4j.schedule.ScheduleRegistry} (every named schedule as a small pure function:
 * the paper's binomial schedule, the reference code's Gaussian schedule, linear, cosine, sigmoid, the log-SNR family,
 * constant, explicit, learned), {@link org.dpm4j.schedule.Schedules} (shorthands for the common ones) and
 * {@link org.dpm4j.schedule.LearnableSchedule} (monotone, beta_1 fixed, trained by gradient ascent on K, Sec. 2.4.1).
 */
package org.dpm4j.schedule;
