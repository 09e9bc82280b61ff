package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.data.Dataset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunRecordTest {

    @Test
    void roundTripsSettingsProgressAndTheTrainerState() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("--hidden", "256,128");
        settings.put("training data", "60000 images of 28x28, labelled, crc32c 01234567.89abcdef");
        RunRecord r = new RunRecord(settings, Map.of("epochs_done", "3"), new byte[] {1, 2, 3});
        byte[] encoded = r.encode();
        assertTrue(RunRecord.isRecord(encoded));
        RunRecord back = RunRecord.decode(encoded);
        assertEquals(settings, back.settings());
        assertEquals(Map.of("epochs_done", "3"), back.progress());
        assertArrayEquals(new byte[] {1, 2, 3}, back.trainerState());
        assertFalse(RunRecord.isRecord(new byte[] {1, 0, 0, 0}), "a bare trainer state starts with its version");
        assertThrows(IllegalArgumentException.class, () -> RunRecord.decode(Arrays.copyOf(encoded, 14)));
    }

    @Test
    void theFirstDifferingSettingIsNamedAndIgnoredOnesAreNot() {
        RunRecord r = new RunRecord(Map.of("--hidden", "10"), Map.of(), new byte[0]);
        assertNull(r.difference(Map.of("--hidden", "10"), Set.of()));
        assertEquals("--hidden is 256,128 but the interrupted run used 10",
                r.difference(Map.of("--hidden", "256,128"), Set.of()));
        assertEquals("--classes is 12 but the interrupted run did not use it",
                r.difference(Map.of("--hidden", "10", "--classes", "12"), Set.of()));
        assertNull(r.difference(Map.of("--hidden", "10", "--epochs", "9"), Set.of("--epochs")));
    }

    @Test
    void theDataFingerprintChangesWithAnyPixelOrLabel() {
        byte[] pixels = new byte[3 * 4];
        int[] labels = {0, 1, 2};
        String base = new Dataset("a", pixels.clone(), labels.clone(), 3, 2, 2).fingerprint();
        assertEquals(base, new Dataset("b", pixels.clone(), labels.clone(), 3, 2, 2).fingerprint(), "same content");
        byte[] p = pixels.clone();
        p[11] = 1;
        assertFalse(base.equals(new Dataset("a", p, labels.clone(), 3, 2, 2).fingerprint()));
        assertFalse(base.equals(new Dataset("a", pixels.clone(), new int[] {0, 1, 3}, 3, 2, 2).fingerprint()));
        assertFalse(base.equals(new Dataset("a", pixels.clone(), labels.clone(), 3, 1, 4).fingerprint()));
        assertFalse(base.equals(new Dataset("a", pixels.clone(), null, 3, 2, 2).fingerprint()));
    }
}
