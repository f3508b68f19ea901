package org.dpm4j.data;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class StandInsTest {
    @TempDir Path dir;

    /** Writes every named photo as a w x h PNG whose red channel is the row, green the column, blue 7. */
    private void writePhotos(int w, int h, boolean grey, java.util.List<String> names) throws Exception {
        for (String name : names) {
            BufferedImage img = new BufferedImage(w, h, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    if (grey) img.getRaster().setSample(x, y, 0, y);
                    else img.setRGB(x, y, (y << 16) | (x << 8) | 7);
                }
            String file = name.replace(".jpg", ".png"); // lossless in tests
            ImageIO.write(img, "png", dir.resolve(file).toFile());
            if (name.endsWith(".jpg")) java.nio.file.Files.move(dir.resolve(file), dir.resolve(name));
        }
    }

    @Test
    @DisplayName("photo patches: channel-major RGB, training rows from the top 3/4 and held-out rows from the bottom 1/4")
    void photoPatchesSplit() throws Exception {
        writePhotos(60, 200, false, StandIns.PHOTOS);
        DataSet ds = StandIns.photoPatches(dir, 16, 1, 200, 100, new SplittableRandom(2));
        assertEquals(new ImageShape(3, 16, 16), ds.shape());
        INDArray train = ds.scaling().toStored(ds.train()), test = ds.scaling().toStored(ds.test());
        for (int i = 0; i < 200; i++) {
            int bottomRow = (int) Math.round(train.getDouble(i, ds.shape().index(0, 15, 0)) * 255);
            assertTrue(bottomRow < 150, "training patch reaches row " + bottomRow);
            assertEquals(7, Math.round(train.getDouble(i, ds.shape().index(2, 3, 3)) * 255));
        }
        for (int i = 0; i < 100; i++) assertTrue(Math.round(test.getDouble(i, 0) * 255) >= 150);
        int top = (int) Math.round(train.getDouble(0, ds.shape().index(0, 0, 0)) * 255);
        assertEquals(top + 5, Math.round(train.getDouble(0, ds.shape().index(0, 5, 0)) * 255)); // rows in order
    }

    @Test
    @DisplayName("stand-ins are labelled as such and never named after the paper's data sets")
    void labelled() throws Exception {
        writePhotos(64, 200, false, StandIns.PHOTOS);
        writePhotos(64, 200, true, StandIns.TEXTURES);
        for (DataSet ds : new DataSet[] {StandIns.photoPatches(dir, 32, 1, 4, 4, new SplittableRandom(1)),
                StandIns.textures(dir, 32, 4, 4, new SplittableRandom(1))}) {
            assertTrue(ds.standIn());
            assertTrue(ds.description().startsWith("Stand-in data:"), ds.description());
            String all = (ds.name() + " " + ds.description() + " " + ds).toLowerCase(Locale.ROOT);
            assertFalse(all.contains("cifar") || all.contains("bark"), all);
        }
        assertEquals(1, StandIns.textures(dir, 32, 4, 4, new SplittableRandom(1)).channels());
    }

    @Test
    @DisplayName("downscaling averages blocks and stays on the 8-bit grid")
    void downscale() {
        double[] levels = {0, 1, 10, 10, 1, 1, 20, 21};
        double[] v = new double[8];
        for (int i = 0; i < 8; i++) v[i] = levels[i] / 255;
        Picture p = new Picture(ImageShape.grey(2, 4), v).downscale(2);
        assertEquals(ImageShape.grey(1, 2), p.shape());
        assertEquals(1 / 255.0, p.values()[0], 1e-12);  // mean level 0.75 rounds to 1
        assertEquals(15 / 255.0, p.values()[1], 1e-12); // mean level 15.25 rounds to 15
    }

    @Test
    @DisplayName("a patch larger than the held-out quarter is refused naming size and the image")
    void patchTooLarge() throws Exception {
        writePhotos(64, 100, false, StandIns.PHOTOS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StandIns.photoPatches(dir, 32, 1, 4, 4, new SplittableRandom(1)));
        assertTrue(e.getMessage().startsWith("size = 32") && e.getMessage().contains("astronaut.png"), e.getMessage());
    }

    @Test
    @DisplayName("an unreadable image file is a CorruptDataException naming it")
    void corruptImage() throws Exception {
        Path f = dir.resolve("x.png");
        java.nio.file.Files.writeString(f, "not a png");
        assertEquals(f, assertThrows(CorruptDataException.class, () -> Picture.read(f)).file());
    }

    @Test
    @DisplayName("real scikit-image files: textures 512x512 grey and photos RGB, 8-bit values spanning [0, 1]")
    void realImages() {
        TestData.installed("skimage/brick.png");
        for (String t : StandIns.TEXTURES) {
            Picture p = StandIns.image(t);
            assertEquals(ImageShape.grey(512, 512), p.shape(), t);
        }
        Picture astronaut = StandIns.image("astronaut.png");
        assertEquals(ImageShape.colour(512, 512), astronaut.shape());
        assertEquals(new ImageShape(3, 300, 451), StandIns.image("chelsea.png").shape());
        DataSet patches = StandIns.photoPatches(50, 20, new SplittableRandom(1));
        assertEquals(new ImageShape(3, 32, 32), patches.shape());
        INDArray x = patches.scaling().toStored(patches.train());
        assertTrue(x.minNumber().doubleValue() >= 0 && x.maxNumber().doubleValue() <= 1);
        assertTrue(patches.standIn());
    }
}
