package org.dpm4j.results;

/**
 * One number the paper prints (Sohl-Dickstein et al. 2015, arXiv:1503.03585 v8): its table, data set, model,
 * metric, value, the printed +- (NaN when none is printed) and unit, and a note on how it was printed.
 */
public record PaperValue(int table, String dataset, String model, String metric, double value, double plusMinus,
                         String unit, String note) {}
