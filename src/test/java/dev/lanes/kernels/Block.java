package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;

/**
 * A {@code rows×cols} block inside a larger {@code float[]}, at an offset and with a leading dimension,
 * surrounded by guard values: every element outside the block holds {@link #GUARD}.
 *
 * <p>The guard is a signalling NaN with a recognisable payload. A kernel that reads outside its block
 * pulls a NaN into its results (caught by the comparison), and one that writes outside it changes the
 * guard's bits (caught by {@link #assertGuardsIntact}).
 */
final class Block {

    static final float GUARD = Float.intBitsToFloat(0x7fa5a5a5);
    private static final int PAD = 19;

    final float[] a;
    final int off;
    final int ld;
    final int rows;
    final int cols;

    private Block(float[] a, int off, int ld, int rows, int cols) {
        this.a = a;
        this.off = off;
        this.ld = ld;
        this.rows = rows;
        this.cols = cols;
    }

    /** A guarded block whose elements are all 0; {@code ld = cols + gap}. */
    static Block zeros(int rows, int cols, int off, int gap) {
        int ld = cols + gap;
        float[] a = new float[off + rows * ld + PAD];
        Arrays.fill(a, GUARD);
        Block b = new Block(a, off, ld, rows, cols);
        b.fill((r, c) -> 0f);
        return b;
    }

    /** A guarded block of uniform values in {@code [lo, hi)}. */
    static Block uniform(Random rnd, int rows, int cols, int off, int gap, float lo, float hi) {
        Block b = zeros(rows, cols, off, gap);
        b.fill((r, c) -> lo + (hi - lo) * rnd.nextFloat());
        return b;
    }

    /** A guarded block of normal values with standard deviation {@code sigma}. */
    static Block gaussian(Random rnd, int rows, int cols, int off, int gap, float sigma) {
        Block b = zeros(rows, cols, off, gap);
        b.fill((r, c) -> (float) rnd.nextGaussian() * sigma);
        return b;
    }

    /** A one-row guarded block: a vector of {@code n} elements at {@code off}. */
    static Block vector(Random rnd, int n, int off, float sigma) {
        return gaussian(rnd, 1, n, off, 0, sigma);
    }

    interface Filler {
        float at(int r, int c);
    }

    Block fill(Filler f) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                a[index(r, c)] = f.at(r, c);
            }
        }
        return this;
    }

    int index(int r, int c) {
        return off + r * ld + c;
    }

    float get(int r, int c) {
        return a[index(r, c)];
    }

    void set(int r, int c, float v) {
        a[index(r, c)] = v;
    }

    Block copy() {
        return new Block(a.clone(), off, ld, rows, cols);
    }

    boolean inBlock(int i) {
        int rel = i - off;
        return rel >= 0 && rel < rows * ld && rel % ld < cols;
    }

    String shape() {
        return rows + "x" + cols + " (offset " + off + ", ld " + ld + ")";
    }

    /** Fails unless every element outside the block still holds the guard's exact bits. */
    void assertGuardsIntact(String what) {
        for (int i = 0; i < a.length; i++) {
            if (!inBlock(i) && Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(GUARD)) {
                fail(what + ": element " + i + " outside the " + shape() + " block was overwritten with " + a[i]);
            }
        }
    }

    /**
     * Fails unless both blocks hold the same bits (NaNs compare equal whatever their payload: the
     * reference and the vector unit may produce different NaN payloads) and this block's guards are
     * intact.
     */
    void assertSameBits(Block expected, String what) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                float want = expected.get(r, c);
                float got = get(r, c);
                if (Float.floatToIntBits(want) != Float.floatToIntBits(got)) {
                    fail(what + " " + shape() + ": [" + r + "][" + c + "] expected " + want + " ("
                            + Integer.toHexString(Float.floatToRawIntBits(want)) + ") but was " + got + " ("
                            + Integer.toHexString(Float.floatToRawIntBits(got)) + ")");
                }
            }
        }
        assertGuardsIntact(what);
    }
}
