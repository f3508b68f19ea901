package org.dpm4j.data;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UiucTexturesTest {
    @TempDir Path dir;

    /** Grey level of image k of class c: distinct per file, far apart so JPEG's loss cannot confuse two of them. */
    private static int level(int c, int k) { return 20 + 40 * c + 8 * k; }

    /** The set's layout in miniature: per class folder Txx, files Txx_01.jpg ..., each a constant grey 40 x 30 JPEG. */
    private void writeSet(List<String> classes, int perClass) throws Exception {
        for (int c = 0; c < classes.size(); c++) {
            Path folder = Files.createDirectories(dir.resolve(classes.get(c)));
            // written in reverse, so file-name order is not creation order
            for (int k = perClass - 1; k >= 0; k--) {
                BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < 30; y++) for (int x = 0; x < 40; x++) img.getRaster().setSample(x, y, 0, level(c, k));
                assertTrue(ImageIO.write(img, "jpg", folder.resolve(String.format("%s_%02d.jpg", classes.get(c), k + 1)).toFile()));
            }
        }
    }

    @Test
    @DisplayName("reads the layout: classes in the given order, files in name order, grey 30 x 40 pictures with the written levels (within JPEG's loss)")
    void readsLayout() throws Exception {
        writeSet(UiucTextures.BARK, 3);
        Files.writeString(dir.resolve("T02").resolve("README.txt"), "not an image");
        List<UiucTextures.Image> images = UiucTextures.read(dir, UiucTextures.BARK);
        assertEquals(12, images.size());
        for (int c = 0; c < 4; c++)
            for (int k = 0; k < 3; k++) {
                UiucTextures.Image im = images.get(3 * c + k);
                assertEquals(UiucTextures.BARK.get(c), im.textureClass());
                assertEquals(String.format("T%02d_%02d.jpg", c + 1, k + 1), im.file().getFileName().toString());
                assertEquals(ImageShape.grey(30, 40), im.picture().shape());
                for (double v : im.picture().values()) assertEquals(level(c, k) / 255.0, v, 2.5 / 255);
            }
    }

    @Test
    @DisplayName("split by image within each class: the last ceil(f n) files held out, none on both sides")
    void split() throws Exception {
        writeSet(List.of("T01", "T02"), 4);
        var s = UiucTextures.split(UiucTextures.read(dir, List.of("T01", "T02")), 0.25);
        assertEquals(6, s.train().size());
        assertEquals(2, s.heldOut().size());
        assertEquals(List.of("T01_04.jpg", "T02_04.jpg"), s.heldOut().stream().map(i -> i.file().getFileName().toString()).toList());
        for (var h : s.heldOut()) assertFalse(s.train().stream().anyMatch(t -> t.file().equals(h.file())));
        var third = UiucTextures.split(UiucTextures.read(dir, List.of("T01")), 0.3);   // ceil(1.2) = 2
        assertEquals(2, third.heldOut().size());
        assertThrows(IllegalArgumentException.class, () -> UiucTextures.split(UiucTextures.read(dir, List.of("T01")), 0.9));
        assertThrows(IllegalArgumentException.class, () -> UiucTextures.split(UiucTextures.read(dir, List.of("T01")), 0));
    }

    @Test
    @DisplayName("a missing folder or class names the path and the option that selects the set (dataset=uiuc, uiucPath)")
    void missing() throws Exception {
        Path nowhere = dir.resolve("nowhere");
        MissingDataException e = assertThrows(MissingDataException.class, () -> UiucTextures.read(nowhere, UiucTextures.BARK));
        assertEquals(nowhere, e.path());
        assertTrue(e.getMessage().contains("--set dataset=uiuc") && e.getMessage().contains("uiucPath=" + nowhere), e.getMessage());
        writeSet(List.of("T01", "T02"), 1);
        e = assertThrows(MissingDataException.class, () -> UiucTextures.read(dir, UiucTextures.BARK));
        assertEquals(dir.resolve("T03"), e.path());
        Files.createDirectories(dir.resolve("T05"));
        e = assertThrows(MissingDataException.class, () -> UiucTextures.read(dir, List.of("T05")));
        assertTrue(e.getMessage().contains("holds no"), e.getMessage());
    }

    @Test
    @DisplayName("a colour image is refused as corrupt, naming the file")
    void colourRefused() throws Exception {
        writeSet(List.of("T01"), 1);
        Path f = dir.resolve("T01").resolve("T01_02.png");
        assertTrue(ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", f.toFile()));
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> UiucTextures.read(dir, List.of("T01")));
        assertEquals(f, e.file());
        assertTrue(e.getMessage().contains("3 colour channels"), e.getMessage());
    }

    @Test
    @DisplayName("bad arguments are refused naming the parameter")
    void refusals() {
        org.dpm4j.testing.BadInput.assertRejected(() -> UiucTextures.read(dir, List.of()), "classes", "[]");
        org.dpm4j.testing.BadInput.assertRejected(() -> UiucTextures.split(List.of(), 0.25), "images", "[]");
    }
}
