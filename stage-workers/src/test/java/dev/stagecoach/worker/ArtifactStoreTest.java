package dev.stagecoach.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.events.ArtifactRef;
import dev.stagecoach.events.CommandAction;
import dev.stagecoach.events.StageCommand;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeping declared artifacts from a real working directory on disk. */
class ArtifactStoreTest {

    // sha256sum of a file holding "hello\n"
    static final String HELLO_SHA256 = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    @TempDir
    Path temp;
    Path work;
    Path store;
    final List<String> log = new ArrayList<>();
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @BeforeEach
    void layOut() throws IOException {
        work = Files.createDirectories(temp.resolve("work/run-1"));
        store = temp.resolve("artifacts");
        write("dist/app.tar.gz", "hello\n");
        write("dist/app.sha256", HELLO_SHA256 + "  dist/app.tar.gz\n");
        write("dist/notes.txt", "notes\n");
        write("reports/unit/TEST-a.xml", "<a/>");
        write("reports/it/deep/TEST-b.xml", "<b/>");
    }

    List<ArtifactRef> keep(String... declared) {
        StageCommand command = StageCommand.newBuilder().setRunId("run-1").setStage("build").setAttempt(2)
                .setAttemptId("run-1/build/2").setAction(CommandAction.EXECUTE).setKind("shell").setCommand("")
                .setArtifacts(List.of(declared)).setTimeoutMillis(1000).setIssuedAt(Instant.now()).build();
        return new ArtifactStore(store, Duration.ofDays(7), clock).keep(command, work, log::add);
    }

    @Test
    void theArtifactsOfARunIdleForLongerThanTheRetentionAreDeletedAndTheOthersKept() throws IOException {
        keep("dist/*.tar.gz");
        Files.createDirectories(store.resolve("run-old/build/1"));
        Files.writeString(store.resolve("run-old/build/1/app.tar.gz"), "old");
        FileTrees.touch(store.resolve("run-old"), NOW.minus(Duration.ofDays(8)));
        FileTrees.touch(store.resolve("run-1"), NOW.minus(Duration.ofDays(6)));

        new ArtifactStore(store, Duration.ofDays(7), clock).sweep();

        assertThat(store.resolve("run-old")).doesNotExist();
        assertThat(store.resolve("run-1/build/2/dist/app.tar.gz")).exists();
    }

    @Test
    void aGlobKeepsACopyOfEachMatchingFileWithItsSizeAndSha256() throws IOException {
        List<ArtifactRef> kept = keep("dist/*.tar.gz");

        assertThat(kept).hasSize(1);
        ArtifactRef tarball = kept.get(0);
        assertThat(tarball.getPath()).isEqualTo("dist/app.tar.gz");
        assertThat(tarball.getSizeBytes()).isEqualTo(6);
        assertThat(tarball.getSha256()).isEqualTo(HELLO_SHA256);
        Path copy = Path.of(URI.create(tarball.getLocation()));
        assertThat(copy).isEqualTo(store.resolve("run-1/build/2/dist/app.tar.gz")).hasContent("hello");
        assertThat(log).isEmpty();
    }

    @Test
    void aDirectoryKeepsEveryFileBelowItAndDoubleStarCrossesDirectories() {
        assertThat(keep("reports")).extracting(ArtifactRef::getPath)
                .containsExactlyInAnyOrder("reports/unit/TEST-a.xml", "reports/it/deep/TEST-b.xml");
        assertThat(keep("reports/**/TEST-*.xml")).extracting(ArtifactRef::getPath)
                .containsExactlyInAnyOrder("reports/unit/TEST-a.xml", "reports/it/deep/TEST-b.xml");
    }

    @Test
    void aFileNamedByTwoDeclarationsIsKeptOnce() {
        assertThat(keep("dist/*", "./dist/app.tar.gz")).extracting(ArtifactRef::getPath)
                .containsExactlyInAnyOrder("dist/app.tar.gz", "dist/app.sha256", "dist/notes.txt");
    }

    @Test
    void aDeclarationThatMatchesNothingIsAWarningNotAFailure() {
        assertThat(keep("coverage/*.xml", "dist/app.tar.gz")).extracting(ArtifactRef::getPath).containsExactly("dist/app.tar.gz");
        assertThat(log).containsExactly("[stagecoach] warning: artifact \"coverage/*.xml\" matched no file");
    }

    @Test
    void nothingOutsideTheWorkingDirectoryIsKept() throws IOException {
        Path secret = Files.writeString(temp.resolve("work/secret.txt"), "not yours\n");
        Files.createSymbolicLink(work.resolve("dist/link.txt"), secret);

        List<ArtifactRef> kept = keep("../secret.txt", "/etc/hostname", "dist/link.txt", "dist/*.txt");

        assertThat(kept).extracting(ArtifactRef::getPath).containsExactly("dist/notes.txt");
        assertThat(log).containsExactly(
                "[stagecoach] warning: artifact \"../secret.txt\" not kept: it leaves the working directory",
                "[stagecoach] warning: artifact \"/etc/hostname\" not kept: it leaves the working directory",
                "[stagecoach] warning: artifact \"dist/link.txt\" not kept: dist/link.txt is a link that leads outside the working directory",
                "[stagecoach] warning: artifact \"dist/*.txt\" not kept: dist/link.txt is a link that leads outside the working directory");
        try (var copies = Files.walk(store)) {
            assertThat(copies.filter(Files::isRegularFile)).noneMatch(p -> p.getFileName().toString().contains("secret")
                    || p.getFileName().toString().equals("link.txt"));
        }
    }

    @Test
    void theWorkersOwnScriptsAreNotTheStagesArtifacts() throws IOException {
        write(".stagecoach/build-2.sh", "echo hi\n");

        assertThat(keep("**")).extracting(ArtifactRef::getPath).doesNotContain(".stagecoach/build-2.sh").hasSize(5);
    }

    private void write(String path, String content) throws IOException {
        Path file = work.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
