package dev.stagecoach.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedLinesTest {

    @Test
    void linesWithinTheLimitComeAsWrittenWhateverTheirLineBreak() throws IOException {
        assertThat(read("one\r\n\ntwo\nlast without newline", 40)).containsExactly("one", "", "two", "last without newline");
    }

    @Test
    void aLongerLineKeepsItsStartAndSaysHowLongItWas() throws IOException {
        assertThat(read("abcdefghij\nok\n", 4)).containsExactly(
                "abcd [stagecoach: line cut at 4 of 10 characters (stagecoach.worker.max-log-line-chars)]", "ok");
    }

    @Test
    void aLineOfExactlyTheLimitIsKeptWhole() throws IOException {
        assertThat(read("abcd\n", 4)).containsExactly("abcd");
    }

    private static List<String> read(String text, int maxChars) throws IOException {
        BoundedLines lines = new BoundedLines(new StringReader(text), maxChars);
        List<String> read = new ArrayList<>();
        for (String line = lines.next(); line != null; line = lines.next()) {
            read.add(line);
        }
        return read;
    }
}
