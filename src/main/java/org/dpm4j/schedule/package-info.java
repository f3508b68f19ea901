/**
 * Forward-diffusion schedules beta_1..beta_T: {@link org.dpm4j.schedule.BetaSchedule} (the derived alpha_t,
 * alphabar_t, SNR), {@link org.dpm4j.schedule.Schedules} (the paper's binomial schedule, the reference code's
 * Gaussian schedule, linear, cosine, sigmoid, constant, explicit; each named for exactly what it is) and
 * {@link org.dpm4j.schedule.LearnableSchedule} (monotone, beta_1 fixed, trained by gradient ascent on K, Sec. 2.4.1).
 */
package org.dpm4j.schedule;
