package org.dpm4j.results;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeVersionTest {
    private static final String A = "1111111111111111111111111111111111111111";
    private static final String B = "2222222222222222222222222222222222222222";

    @Test
    @DisplayName("the commit read from the files equals `git rev-parse HEAD` for this checkout (skipped without git or a checkout)")
    void matchesGit() throws Exception {
        Path here = Path.of("").toAbsolutePath();
        Process p;
        try {
            p = new ProcessBuilder("git", "rev-parse", "HEAD").directory(here.toFile()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("git is not installed");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        Assumptions.assumeTrue(p.exitValue() == 0, "not a git checkout: " + out);
        assertEquals(out, CodeVersion.of(here));
        assertEquals(out, CodeVersion.of(here.resolve("src/main/java")), "found from a subdirectory");
    }

    @Test
    @DisplayName("a loose branch ref, a packed ref, a detached HEAD and a worktree's gitdir/commondir all resolve")
    void layouts(@TempDir Path dir) throws Exception {
        Path repo = dir.resolve("repo"), git = repo.resolve(".git");
        Files.createDirectories(git.resolve("refs/heads"));
        Files.writeString(git.resolve("HEAD"), "ref: refs/heads/main\n");
        Files.writeString(git.resolve("refs/heads/main"), A + "\n");
        assertEquals(A, CodeVersion.of(repo.resolve("sub/dir")));

        Files.delete(git.resolve("refs/heads/main"));
        Files.writeString(git.resolve("packed-refs"), "# pack-refs with: peeled fully-peeled sorted\n"
                + B + " refs/heads/main\n^" + A + "\n");
        assertEquals(B, CodeVersion.of(repo));

        Files.writeString(git.resolve("HEAD"), A + "\n");
        assertEquals(A, CodeVersion.of(repo));

        // a worktree: .git is a file naming its gitdir, whose HEAD names a branch kept in the common directory
        Path wt = dir.resolve("wt"), wtGit = git.resolve("worktrees/wt");
        Files.createDirectories(wt);
        Files.createDirectories(wtGit);
        Files.writeString(wt.resolve(".git"), "gitdir: " + wtGit + "\n");
        Files.writeString(wtGit.resolve("HEAD"), "ref: refs/heads/feature\n");
        Files.writeString(wtGit.resolve("commondir"), "../..\n");
        Files.writeString(git.resolve("refs/heads/feature"), B + "\n");
        assertEquals(B, CodeVersion.of(wt));
    }

    @Test
    @DisplayName("outside a checkout, on an unborn branch or with a garbled HEAD the version is \"unknown\"")
    void unknown(@TempDir Path dir) throws Exception {
        Path plain = dir.resolve("plain");
        Files.createDirectories(plain);
        for (Path p = dir; p != null; p = p.getParent()) Assumptions.assumeFalse(Files.exists(p.resolve(".git")), "temp is inside a checkout");
        assertEquals(CodeVersion.UNKNOWN, CodeVersion.of(plain));
        Path git = dir.resolve("r/.git");
        Files.createDirectories(git);
        Files.writeString(git.resolve("HEAD"), "ref: refs/heads/main\n");
        assertEquals(CodeVersion.UNKNOWN, CodeVersion.of(git.getParent()));
        Files.writeString(git.resolve("HEAD"), "garbage\n");
        assertEquals(CodeVersion.UNKNOWN, CodeVersion.of(git.getParent()));
    }

    @Test
    @DisplayName("the commit the build recorded in the jar (git.properties) is what current() gives first: 40 hex digits, -dirty when the tree was")
    void builtCommitFirst() throws Exception {
        String built = CodeVersion.built();
        org.junit.jupiter.api.Assumptions.assumeTrue(built != null, "built without a git checkout");
        org.junit.jupiter.api.Assertions.assertTrue(built.matches("[0-9a-f]{40}(-dirty)?"), built);
        assertEquals(built, CodeVersion.current());
    }
}
