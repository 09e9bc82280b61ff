package dev.lanes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void theBarShowsLossThroughputAndTimeLeft() {
        // Half of epoch 1 of 3 in 2 s at batch 100, 50 of 100 batches: 2,500 samples/s; 2 s left in
        // this epoch and 4 s for each of the two epochs to come.
        String bar = Progress.bar(1, 3, 50, 100, 0.345678, 2.0, 100, 0);
        assertTrue(bar.startsWith("epoch 1/3 [===============>"), bar);
        assertTrue(bar.contains(" 50%"), bar);
        assertTrue(bar.contains("loss 0.3457"), bar);
        assertTrue(bar.contains("2,500 samples/s"), bar);
        assertTrue(bar.endsWith("ETA 0:10"), bar);
        assertEquals("1:02:03", Progress.clock(3723));
    }

    @Test
    void aDrawnBarIsEndedBeforeAMessageAndWipedBeforeAnEpochLine() {
        StringWriter s = new StringWriter();
        Progress p = new Progress(new PrintWriter(s), true, false, 64, 2);
        p.update(1, 10, 10, 0.5);
        assertTrue(s.toString().startsWith("\repoch 1/2 ["), s.toString());
        p.finishLine();
        assertTrue(s.toString().endsWith("\n"), "the interrupted bar's line is finished");
        p.update(2, 10, 10, 0.4);
        p.epochLine("epoch   2  ...", 1);
        assertTrue(s.toString().endsWith("\r" + "epoch   2  ...\n") || s.toString().matches("(?s).*\r +\repoch   2  \\.\\.\\.\n"),
                s.toString());
    }

    @Test
    void pipedOrQuietOutputHasNoBar() {
        StringWriter piped = new StringWriter();
        Progress p = new Progress(new PrintWriter(piped), false, false, 64, 1);
        p.update(1, 5, 10, 0.5);
        p.finishLine();
        p.epochLine("epoch   1", 1);
        assertEquals("epoch   1" + System.lineSeparator(), piped.toString());
        StringWriter quiet = new StringWriter();
        Progress q = new Progress(new PrintWriter(quiet), true, true, 64, 1);
        q.update(1, 5, 10, 0.5);
        q.epochLine("epoch   1", 1);
        assertEquals("", quiet.toString());
    }
}
