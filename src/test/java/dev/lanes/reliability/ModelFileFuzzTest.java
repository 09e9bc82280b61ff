package dev.lanes.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.lanes.model.ModelFile;
import dev.lanes.network.Network;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;

/**
 * Coverage-guided fuzzing of the model-file decoder ({@link ModelFile#decode}). The format is
 * canonical (no optional or variable fields), so an accepted input must re-encode to exactly its own
 * bytes; anything the decoder accepts but would not have written is a validation gap. The loaded
 * network must then classify an image. Rejections must be one-line {@link dev.lanes.InputException}s naming
 * the file, and allocation must follow the input's length.
 *
 * <p>{@link #decodeWithValidCrc} repairs the CRC-32 of each input before decoding, so that the fuzzer
 * spends its time on the checks behind the checksum instead of on the checksum.
 */
class ModelFileFuzzTest {

    private static final String NAME = "fuzzed.lanes";

    @FuzzTest
    void decode(byte[] input) {
        FuzzSupport.limited(() -> check(input));
    }

    @FuzzTest
    void decodeWithValidCrc(byte[] input) {
        if (input.length >= 4) {
            CRC32 crc = new CRC32();
            crc.update(input, 0, input.length - 4);
            ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN).putInt(input.length - 4, (int) crc.getValue());
        }
        FuzzSupport.limited(() -> check(input));
    }

    private static void check(byte[] input) {
        byte[] copy = input.clone();
        FuzzSupport.Outcome<ModelFile.Model> o = FuzzSupport.readBounded(() -> ModelFile.decode(input, NAME),
                input.length, "ModelFile.decode");
        assertArrayEquals(copy, input, "decoding must not modify its input");
        if (o.rejection() != null) {
            FuzzSupport.assertCleanRejection(o.rejection(), NAME);
            FuzzSupport.assertNoNegativeNumber(o.rejection());
            return;
        }
        ModelFile.Model m = o.value();
        assertArrayEquals(input, ModelFile.encode(m.network(), m.trainingState()),
                "an accepted model file is exactly the encoding of what was loaded");
        Network net = m.network();
        int predicted = net.predict(new byte[net.inputs()], 0);
        assertTrue(predicted >= 0 && predicted < net.classes(), "prediction " + predicted);
    }
}
