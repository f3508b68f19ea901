package org.dpm4j.results;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The git commit the code was built from, for a result row's provenance. Read from the checkout's files (HEAD, the
 * loose ref, packed-refs; a worktree's {@code .git} file and its commondir) rather than by running git, so it works
 * where git is not installed; hand-written deliberately: JGit would be a large dependency for forty lines.
 */
public final class CodeVersion {
    /** What a row records when the code is not in a git checkout (or the checkout cannot be read). */
    public static final String UNKNOWN = "unknown";
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");

    private CodeVersion() {}

    /**
     * The commit the running library was built from (recorded in the jar at build time by git-commit-id-maven-plugin,
     * with "-dirty" when the tree had uncommitted changes), else the commit of the checkout around the working
     * directory, else {@link #UNKNOWN}. The build's commit comes first because a checkout's HEAD may have moved since
     * the jar a notebook runs was built.
     */
    public static String current() {
        String built = built();
        return built != null ? built : of(Path.of("").toAbsolutePath());
    }

    /** The commit recorded in the library's jar at build time, or null when there is none (a build without git). */
    static String built() {
        try (var in = CodeVersion.class.getResourceAsStream("/org/dpm4j/git.properties")) {
            if (in == null) return null;
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            String id = p.getProperty("git.commit.id", "");
            if (!SHA.matcher(id).matches()) return null;
            return "true".equals(p.getProperty("git.dirty")) ? id + "-dirty" : id;
        } catch (IOException e) {
            return null;
        }
    }

    /** The commit of the checkout that contains {@code start} (searching its parents), or {@link #UNKNOWN}. */
    public static String of(Path start) {
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            Path dotGit = p.resolve(".git");
            if (Files.exists(dotGit)) {
                try {
                    return commit(dotGit);
                } catch (IOException | RuntimeException e) {
                    return UNKNOWN;
                }
            }
        }
        return UNKNOWN;
    }

    private static String commit(Path dotGit) throws IOException {
        Path gitDir = dotGit;
        if (Files.isRegularFile(dotGit)) {   // a worktree or submodule: "gitdir: <path>"
            String line = firstLine(dotGit);
            if (!line.startsWith("gitdir:")) return UNKNOWN;
            gitDir = dotGit.getParent().resolve(line.substring("gitdir:".length()).trim()).normalize();
        }
        String head = firstLine(gitDir.resolve("HEAD"));
        if (SHA.matcher(head).matches()) return head;   // detached HEAD
        if (!head.startsWith("ref:")) return UNKNOWN;
        String ref = head.substring("ref:".length()).trim();
        // a worktree keeps its HEAD but shares refs with the main repository, named in its commondir file
        Path common = gitDir;
        Path commondir = gitDir.resolve("commondir");
        if (Files.isRegularFile(commondir)) common = gitDir.resolve(firstLine(commondir)).normalize();
        for (Path dir : List.of(gitDir, common)) {
            Path loose = dir.resolve(ref);
            if (Files.isRegularFile(loose)) {
                String sha = firstLine(loose);
                if (SHA.matcher(sha).matches()) return sha;
            }
        }
        Path packed = common.resolve("packed-refs");
        if (Files.isRegularFile(packed)) {
            for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 2 && parts[1].equals(ref) && SHA.matcher(parts[0]).matches()) return parts[0];
            }
        }
        return UNKNOWN;   // an unborn branch (no commit yet)
    }

    private static String firstLine(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return lines.isEmpty() ? "" : lines.get(0).trim();
    }
}
