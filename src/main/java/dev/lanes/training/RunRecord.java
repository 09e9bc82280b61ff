package dev.lanes.training;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The training-state section a command-line run stores in its model file: the settings that shaped
 * the run (in command-line terms, with a fingerprint of the training data) and the run's progress,
 * wrapped around the trainer's own {@link Trainer#state()}, {@linkplain TrainingState#encode() encoded}.
 * A resume compares every recorded setting with the new command line and refuses any difference by
 * name, so that a continued run is the run that was interrupted; {@code lanes info} shows the record.
 *
 * <p>Layout, little-endian: the ASCII magic {@code LANESRUN}, a u32 version (1), a u32 length T, T
 * bytes of UTF-8 text with one {@code key=value} line per entry, then the trainer's state bytes.
 * Keys and values contain no line break and keys no {@code =}.
 *
 * @param settings     what changes the result, by flag (e.g. {@code --hidden} → {@code 256,128}), in order
 * @param progress     how far the run got (e.g. {@code epochs_done} → {@code 3}); never compared
 * @param trainerState the bytes of {@link TrainingState#encode()}
 */
public record RunRecord(Map<String, String> settings, Map<String, String> progress, byte[] trainerState) {

    private static final byte[] MAGIC = "LANESRUN".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    /** Marks a progress entry in the text, so that settings and progress share one list. */
    private static final String PROGRESS = "progress.";

    /** Copies the maps (keeping their order) and checks that every entry can be stored. */
    public RunRecord {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        progress = Collections.unmodifiableMap(new LinkedHashMap<>(progress));
        Objects.requireNonNull(trainerState, "trainerState");
        for (Map<String, String> m : java.util.List.of(settings, progress)) {
            m.forEach((k, v) -> {
                if (k.isEmpty() || k.contains("=") || k.contains("\n") || v.contains("\n") || k.startsWith(PROGRESS)) {
                    throw new IllegalArgumentException("cannot record " + k + "=" + v);
                }
            });
        }
    }

    /** @return the record as the bytes of a model file's training-state section */
    public byte[] encode() {
        StringBuilder text = new StringBuilder();
        settings.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        progress.forEach((k, v) -> text.append(PROGRESS).append(k).append('=').append(v).append('\n'));
        byte[] t = text.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 8 + t.length + trainerState.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(VERSION).putInt(t.length).put(t).put(trainerState);
        return b.array();
    }

    /**
     * @param state a model file's training-state section
     * @return whether it holds a run record (rather than a bare trainer state, as a program using the
     *         library may store)
     */
    public static boolean isRecord(byte[] state) {
        return state != null && state.length >= MAGIC.length
                && Arrays.equals(Arrays.copyOf(state, MAGIC.length), MAGIC);
    }

    /**
     * @param state a training-state section for which {@link #isRecord} holds
     * @return the record
     * @throws IllegalArgumentException if it is malformed
     */
    public static RunRecord decode(byte[] state) {
        if (!isRecord(state)) {
            throw new IllegalArgumentException("not a run record");
        }
        ByteBuffer b = ByteBuffer.wrap(state).order(ByteOrder.LITTLE_ENDIAN);
        b.position(MAGIC.length);
        if (b.remaining() < 8) {
            throw new IllegalArgumentException("truncated run record");
        }
        int version = b.getInt();
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported run record version " + Integer.toUnsignedString(version));
        }
        int length = b.getInt();
        if (length < 0 || length > b.remaining()) {
            throw new IllegalArgumentException("truncated run record");
        }
        String text = new String(state, b.position(), length, StandardCharsets.UTF_8);
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> progress = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("malformed run record entry: " + line);
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1);
            if (key.startsWith(PROGRESS)) {
                progress.put(key.substring(PROGRESS.length()), value);
            } else {
                settings.put(key, value);
            }
        }
        byte[] trainer = Arrays.copyOfRange(state, b.position() + length, state.length);
        return new RunRecord(settings, progress, trainer);
    }

    /**
     * Names the first setting that differs between this (interrupted) run and a new one.
     *
     * @param now    the settings of the new command line, as the interrupted run recorded its own
     * @param ignore keys that may differ (for example {@code --epochs}, which may grow)
     * @return e.g. {@code "--hidden is 256,128 but the interrupted run used 10"}, or {@code null} if all agree
     */
    public String difference(Map<String, String> now, Set<String> ignore) {
        LinkedHashMap<String, String> keys = new LinkedHashMap<>(settings);
        now.forEach(keys::putIfAbsent);
        for (String key : keys.keySet()) {
            if (ignore.contains(key)) {
                continue;
            }
            String was = settings.get(key);
            String is = now.get(key);
            if (!Objects.equals(was, is)) {
                return key + " is " + (is == null ? "not given" : is) + " but the interrupted run "
                        + (was == null ? "did not use it" : "used " + was);
            }
        }
        return null;
    }
}
