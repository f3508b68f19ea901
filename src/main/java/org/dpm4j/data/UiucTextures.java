package org.dpm4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.dpm4j.util.Check;

/**
 * The UIUC texture set (Lazebnik, Schmid and Ponce 2005, "A sparse texture representation using local affine
 * regions"), whose classes T01-T04 (bark1, bark2, bark3, wood1; 40 grey 640 x 480 JPEGs each) are the paper's bark
 * data. It cannot be installed here (no registry carries it); a user who has it unpacks it in its own layout, one
 * folder per class holding that class's images:
 * <pre>
 *   &lt;root&gt;/T01/T01_01.jpg ... T01_40.jpg
 *   &lt;root&gt;/T02/T02_01.jpg ...
 * </pre>
 * (any .jpg, .jpeg or .png in a class folder is read, in file-name order) and runs the bark experiment with
 * {@code --set dataset=uiuc --set uiucPath=<root>}. The default root is {@code DataCache.root()/uiuc-textures}.
 * Images are read by {@link Picture} into values k/255 in [0, 1]; a colour image is refused (the set is grey).
 */
public final class UiucTextures {
    /** The paper's classes: three barks and a wood. */
    public static final List<String> BARK = List.of("T01", "T02", "T03", "T04");
    /** The data cache's folder for the set when no path is given. */
    public static final String DIRECTORY = "uiuc-textures";

    private UiucTextures() {}

    /** DataCache.root()/uiuc-textures. */
    public static Path defaultRoot() { return DataCache.root().resolve(DIRECTORY); }

    /** What a user does when the set is not where it was looked for. */
    public static String howToGet(Path root) {
        return "The UIUC texture set (Lazebnik et al. 2005) is not installable by environment/setup.sh: download it, "
                + "unpack classes " + String.join(", ", BARK) + " as " + root + "/T01/T01_01.jpg ... (one folder per class), "
                + "and run the bark experiment with --set dataset=uiuc --set uiucPath=" + root
                + " (or leave dataset at its default, the packaged stand-in textures).";
    }

    /** One image of the set: its class folder's name, its file and its grey values. */
    public record Image(String textureClass, Path file, Picture picture) {
        public Image {
            if (textureClass == null) throw Check.bad("textureClass", null, "a class folder name such as T01");
            if (picture == null) throw Check.bad("picture", null, "a Picture");
        }
    }

    /** Training and held-out images, each class split the same way (see {@link #split}). */
    public record Split(List<Image> train, List<Image> heldOut) {}

    /**
     * Every image of the named classes, class by class in the given order, each class's files in name order.
     *
     * @throws MissingDataException when root or a class folder does not exist, or a class folder holds no image
     * @throws CorruptDataException when an image cannot be decoded or has colour channels
     */
    public static List<Image> read(Path root, List<String> classes) {
        if (root == null) throw Check.bad("root", null, "the folder that holds the class folders T01, T02, ...");
        if (classes == null || classes.isEmpty()) throw Check.bad("classes", classes, "at least one class folder name, such as " + BARK);
        DataCache.require(root, "UIUC texture set folder", howToGet(root));
        List<Image> out = new ArrayList<>();
        for (String c : classes) {
            if (c == null || c.isBlank()) throw Check.bad("classes", classes, "class folder names such as " + BARK);
            Path dir = DataCache.require(root.resolve(c), "UIUC texture class folder " + c, howToGet(root));
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(UiucTextures::isImage).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
            if (files.isEmpty()) throw new MissingDataException(dir.resolve(c + "_01.jpg"),
                    "images of UIUC texture class " + c + " (the folder holds no .jpg, .jpeg or .png)", howToGet(root));
            for (Path f : files) {
                Picture p = Picture.read(f);
                if (p.shape().channels() != 1) throw new CorruptDataException(f, 0, p.shape().channels()
                        + " colour channels, expected 1: the UIUC texture set is grey");
                out.add(new Image(c, f, p));
            }
        }
        return List.copyOf(out);
    }

    /**
     * Splits each class by image: the last ceil(heldOutFraction n) of its n images (in file-name order) are held out,
     * the others train, so no held-out pixel comes from a training image.
     *
     * @param heldOutFraction in (0, 1); each class must keep at least one image on each side
     */
    public static Split split(List<Image> images, double heldOutFraction) {
        if (images == null || images.isEmpty()) throw Check.bad("images", images == null ? null : "[]", "at least one image per class");
        if (!(heldOutFraction > 0 && heldOutFraction < 1)) throw Check.bad("heldOutFraction", heldOutFraction, "a number in (0, 1)");
        List<Image> train = new ArrayList<>(), held = new ArrayList<>();
        List<String> classes = images.stream().map(Image::textureClass).distinct().toList();
        for (String c : classes) {
            List<Image> of = images.stream().filter(i -> i.textureClass().equals(c)).toList();
            int n = of.size(), h = (int) Math.ceil(heldOutFraction * n);
            if (h >= n) throw Check.bad("heldOutFraction", heldOutFraction, "a fraction that leaves class " + c
                    + " (" + n + " images) at least one training image");
            train.addAll(of.subList(0, n - h));
            held.addAll(of.subList(n - h, n));
        }
        return new Split(List.copyOf(train), List.copyOf(held));
    }

    private static boolean isImage(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(f) && (n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png"));
    }
}
