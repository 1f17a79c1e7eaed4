package org.jetsketch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Proves the user-style build: runs {@code mvn -q -B -o -f examples/standalone/pom.xml verify},
 * a project outside the reactor that depends on the installed org.jetsketch artifacts (runtime,
 * dsl-annotations, processor on the annotation processor path) exactly as a user's project
 * does, compiles its own circuit and runs its own test.
 *
 * <p>It uses this build's own artifacts: after a reactor {@code mvn install} they are installed
 * already; under {@code mvn verify} the test publishes the packaged jars to the local repository
 * first (see {@link #publishIfStale}). Offline, since every plugin it needs is pinned to a version
 * this build already fetched. Skipped only when {@code mvn} is not found or with
 * {@code -Djetsketch.skipStandalone=true}.
 */
class StandaloneBuildTest {

    @Test
    void standaloneProjectBuildsAgainstThePublishedArtifacts() throws IOException, InterruptedException {
        assumeFalse(Boolean.getBoolean("jetsketch.skipStandalone"), "skipped by -Djetsketch.skipStandalone=true");
        Path pom = Paths.get(System.getProperty("basedir", System.getProperty("user.dir")), "standalone", "pom.xml")
                .toAbsolutePath();
        assertTrue(Files.isRegularFile(pom), "no standalone project at " + pom);
        Path mvn = findMaven();
        assumeTrue(mvn != null, "mvn not found on PATH or under MAVEN_HOME/M2_HOME");
        String repo = System.getProperty("jetsketch.localRepository", "");
        Path localRepo = repo.isBlank() ? Paths.get(System.getProperty("user.home"), ".m2", "repository") : Paths.get(repo);
        Path root = pom.getParent().getParent().getParent();
        publishIfStale(root, localRepo);

        List<String> command = new ArrayList<>(List.of(mvn.toString(), "-q", "-B", "-o", "-f", pom.toString()));
        if (!repo.isBlank()) command.add("-Dmaven.repo.local=" + repo);
        command.add("verify");
        Path log = Files.createTempFile("jetsketch-standalone-", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean finished = process.waitFor(5, TimeUnit.MINUTES);
            if (!finished) process.destroyForcibly();
            String output = Files.readString(log, StandardCharsets.UTF_8);
            System.out.print(output);
            assertTrue(finished, "the standalone build did not finish in 5 minutes:\n" + output);
            assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + output);
            assertTrue(Files.isRegularFile(pom.resolveSibling(
                    "target/generated-sources/annotations/com/example/counts/PoissonRegression_Circuit.java")),
                    "the processor did not generate PoissonRegression_Circuit");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * Makes the local repository hold this build's own dsl-annotations, runtime and processor, as
     * {@code mvn install} would: under {@code mvn verify} they are packaged (each module's
     * {@code target/*.jar}) but not installed, so a missing or older installed copy is replaced
     * by the packaged jar and its pom, and the parent pom is copied beside them.
     */
    private static void publishIfStale(Path root, Path localRepo) throws IOException {
        String version = "0.1.0-SNAPSHOT";
        for (String module : new String[] {"dsl-annotations", "runtime", "processor"}) {
            Path dir = localRepo.resolve("org/jetsketch/" + module + "/" + version);
            Path jar = dir.resolve(module + "-" + version + ".jar");
            Path classes = root.resolve(module).resolve("target/classes");
            boolean stale = !Files.isRegularFile(jar) || newerThan(classes, Files.getLastModifiedTime(jar).toMillis());
            if (!stale) continue;
            Path packaged = root.resolve(module).resolve("target/" + module + "-" + version + ".jar");
            assertTrue(Files.isRegularFile(packaged), "neither an up-to-date installed " + module
                    + " nor a packaged " + packaged + ": build the reactor first (mvn verify packages it)");
            Files.createDirectories(dir);
            Files.copy(packaged, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(root.resolve(module).resolve("pom.xml"), dir.resolve(module + "-" + version + ".pom"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            System.out.println("published this build's " + module + " to " + dir);
        }
        Path parent = localRepo.resolve("org/jetsketch/jetsketch-parent/" + version);
        Files.createDirectories(parent);
        Files.copy(root.resolve("pom.xml"), parent.resolve("jetsketch-parent-" + version + ".pom"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Whether any file under {@code dir} was modified after {@code millis} (false if dir is absent). */
    private static boolean newerThan(Path dir, long millis) throws IOException {
        if (!Files.isDirectory(dir)) return false;
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).anyMatch(f -> {
                try {
                    return Files.getLastModifiedTime(f).toMillis() > millis;
                } catch (IOException e) {
                    return true;
                }
            });
        }
    }

    private static Path findMaven() {
        String executable = System.getProperty("os.name", "").startsWith("Windows") ? "mvn.cmd" : "mvn";
        List<Path> candidates = new ArrayList<>();
        for (String home : new String[] {System.getenv("MAVEN_HOME"), System.getenv("M2_HOME"),
                System.getProperty("maven.home")}) {
            if (home != null && !home.isBlank()) candidates.add(Paths.get(home, "bin", executable));
        }
        String path = System.getenv("PATH");
        if (path != null) for (String dir : path.split(File.pathSeparator)) candidates.add(Paths.get(dir, executable));
        for (Path p : candidates) if (Files.isExecutable(p)) return p;
        return null;
    }
}
