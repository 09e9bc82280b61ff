package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vector kernels against the scalar reference, for every element-wise kernel of {@link Kernels}
 * (the matrix multiplies are in {@link GemmEqualityTest}).
 *
 * <p>Every kernel must give exactly the reference's bits: the vector code performs the same IEEE
 * operations in the same order lane by lane, the softmax kernels included ({@link Numerics}' {@code exp}
 * and summation order). The reference softmax itself is checked against the exact value, in double,
 * with the bound derived in {@link #probabilityTolerance}.
 *
 * <p>Sizes straddle every vector length up to 512 bits (1–3, 13, 15–17, 31–33, 63–65, 127, 1021), with
 * offsets, leading dimensions larger than the row, and guard values around each block.
 */
class KernelEqualityTest {

    static final int[] SIZES = {1, 2, 3, 13, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 1021};

    /** Unit roundoff of float: half an ulp of 1. */
    static final double U = 0x1p-24;

    private final Kernels scalar = new ScalarKernels();
    private final Kernels vector = KernelsProvider.vector().orElseThrow();

    static IntStream sizes() {
        return Arrays.stream(SIZES);
    }

    static IntStream sizesAndZero() {
        return IntStream.concat(IntStream.of(0), sizes());
    }

    /** A row count, an offset of the block and the gap between rows (leading dimension − cols). */
    record Layout(int rows, int off, int gap) {
    }

    /** Each 2-D kernel runs on a single row, contiguous rows, strided rows, and no rows at all. */
    static List<Layout> layouts(int cols) {
        List<Layout> layouts = new ArrayList<>();
        layouts.add(new Layout(1, 0, 0));
        layouts.add(new Layout(3, 5, 0));
        layouts.add(new Layout(7, 3, 5));
        layouts.add(new Layout(cols > 100 ? 2 : 16, 1, 9));
        layouts.add(new Layout(0, 2, 1));
        return layouts;
    }

    private static Random random(String kernel, int size) {
        return new Random(kernel.hashCode() * 1_000_003L + size);
    }

    // ---------------------------------------------------------------- bias and ReLU

    @ParameterizedTest
    @MethodSource("sizesAndZero")
    void addBiasReluIsBitwiseEqual(int cols) {
        Random rnd = random("addBiasRelu", cols);
        for (Layout l : layouts(cols)) {
            Block x = Block.gaussian(rnd, l.rows, cols, l.off, l.gap, 1f);
            Block bias = Block.vector(rnd, cols, 4, 0.5f);
            // Sums that are exactly ±0 and a NaN: Math.max(0f, s) keeps NaN and turns −0 into +0.
            if (l.rows > 0 && cols > 2) {
                x.set(0, 0, -bias.get(0, 0));
                x.set(0, 1, -0f);
                bias.set(0, 1, -0f);
                x.set(l.rows - 1, cols - 1, Float.NaN);
            }
            Block want = x.copy();
            scalar.addBiasRelu(l.rows, cols, want.a, want.off, want.ld, bias.a, bias.off);
            vector.addBiasRelu(l.rows, cols, x.a, x.off, x.ld, bias.a, bias.off);
            x.assertSameBits(want, "addBiasRelu");
            bias.assertGuardsIntact("addBiasRelu bias");
        }
    }

    @ParameterizedTest
    @MethodSource("sizesAndZero")
    void addBiasIsBitwiseEqual(int cols) {
        Random rnd = random("addBias", cols);
        for (Layout l : layouts(cols)) {
            Block x = Block.gaussian(rnd, l.rows, cols, l.off, l.gap, 3f);
            Block bias = Block.vector(rnd, cols, 1, 1f);
            Block want = x.copy();
            scalar.addBias(l.rows, cols, want.a, want.off, want.ld, bias.a, bias.off);
            vector.addBias(l.rows, cols, x.a, x.off, x.ld, bias.a, bias.off);
            x.assertSameBits(want, "addBias");
        }
    }

    @ParameterizedTest
    @MethodSource("sizesAndZero")
    void reluBackwardIsBitwiseEqual(int cols) {
        Random rnd = random("reluBackward", cols);
        float[] specials = {0f, -0f, Float.NaN, Float.MIN_VALUE, -Float.MIN_VALUE, Float.POSITIVE_INFINITY};
        for (Layout l : layouts(cols)) {
            Block grad = Block.gaussian(rnd, l.rows, cols, l.off, l.gap, 1f);
            Block act = Block.gaussian(rnd, l.rows, cols, l.off + 2, l.gap, 1f);
            for (int i = 0; i < specials.length && i < cols && l.rows > 0; i++) {
                act.set(l.rows - 1, i, specials[i]);
            }
            Block want = grad.copy();
            scalar.reluBackward(l.rows, cols, want.a, want.off, want.ld, act.a, act.off, act.ld);
            vector.reluBackward(l.rows, cols, grad.a, grad.off, grad.ld, act.a, act.off, act.ld);
            grad.assertSameBits(want, "reluBackward");
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void reluBackwardWithDifferentStridesIsBitwiseEqual(int cols) {
        Random rnd = random("reluBackwardStrides", cols);
        // Contiguous gradients but strided activations: the flat fast path must not be taken.
        Block grad = Block.gaussian(rnd, 5, cols, 0, 0, 1f);
        Block act = Block.gaussian(rnd, 5, cols, 3, 2, 1f);
        Block want = grad.copy();
        scalar.reluBackward(5, cols, want.a, want.off, want.ld, act.a, act.off, act.ld);
        vector.reluBackward(5, cols, grad.a, grad.off, grad.ld, act.a, act.off, act.ld);
        grad.assertSameBits(want, "reluBackward");
    }

    // ---------------------------------------------------------------- sums

    @ParameterizedTest
    @MethodSource("sizesAndZero")
    void columnSumsIsBitwiseEqual(int cols) {
        Random rnd = random("columnSums", cols);
        for (Layout l : layouts(cols)) {
            for (boolean accumulate : new boolean[] {false, true}) {
                Block x = Block.gaussian(rnd, l.rows, cols, l.off, l.gap, 2f);
                Block out = Block.vector(rnd, cols, 6, 1f);
                Block want = out.copy();
                scalar.columnSums(l.rows, cols, x.a, x.off, x.ld, want.a, want.off, accumulate);
                vector.columnSums(l.rows, cols, x.a, x.off, x.ld, out.a, out.off, accumulate);
                out.assertSameBits(want, "columnSums accumulate=" + accumulate + " over " + x.shape());
            }
        }
    }

    @Test
    void columnSumsOverManyRowsIsBitwiseEqual() {
        // A batch of 256 rows of 128 and 10 columns: the shapes of the bias gradients of the network.
        Random rnd = random("columnSumsBatch", 0);
        for (int cols : new int[] {10, 128, 256}) {
            Block x = Block.gaussian(rnd, 256, cols, 7, 3, 0.1f);
            Block out = Block.zeros(1, cols, 2, 0);
            Block want = out.copy();
            scalar.columnSums(256, cols, x.a, x.off, x.ld, want.a, want.off, false);
            vector.columnSums(256, cols, x.a, x.off, x.ld, out.a, out.off, false);
            out.assertSameBits(want, "columnSums 256 rows");
        }
    }

    @ParameterizedTest
    @MethodSource("sizesAndZero")
    void addIsBitwiseEqual(int n) {
        Random rnd = random("add", n);
        Block src = Block.vector(rnd, n, 3, 1f);
        Block dst = Block.vector(rnd, n, 5, 100f);
        Block want = dst.copy();
        scalar.add(n, src.a, src.off, want.a, want.off);
        vector.add(n, src.a, src.off, dst.a, dst.off);
        dst.assertSameBits(want, "add");
        src.assertGuardsIntact("add src");
    }

    // ---------------------------------------------------------------- optimizers

    @ParameterizedTest
    @MethodSource("sizesAndZero")
    void sgdIsBitwiseEqual(int n) {
        Random rnd = random("sgd", n);
        for (float weightDecay : new float[] {0f, 5e-4f}) {
            Block w = Block.vector(rnd, n, 2, 0.1f);
            Block g = Block.vector(rnd, n, 9, 0.01f);
            Block want = w.copy();
            scalar.sgd(n, want.a, want.off, g.a, g.off, 0.05f, weightDecay);
            vector.sgd(n, w.a, w.off, g.a, g.off, 0.05f, weightDecay);
            w.assertSameBits(want, "sgd wd=" + weightDecay);
        }
    }

    @ParameterizedTest
    @MethodSource("sizesAndZero")
    void momentumIsBitwiseEqual(int n) {
        Random rnd = random("momentum", n);
        for (boolean nesterov : new boolean[] {false, true}) {
            Block w = Block.vector(rnd, n, 2, 0.1f);
            Block v = Block.vector(rnd, n, 4, 0.01f);
            Block wantW = w.copy();
            Block wantV = v.copy();
            // Three steps, so that the velocity carries state from one call to the next.
            for (int step = 0; step < 3; step++) {
                Block g = Block.vector(rnd, n, 1, 0.01f);
                scalar.momentum(n, wantW.a, wantW.off, g.a, g.off, wantV.a, wantV.off, 0.1f, 0.9f, 1e-4f, nesterov);
                vector.momentum(n, w.a, w.off, g.a, g.off, v.a, v.off, 0.1f, 0.9f, 1e-4f, nesterov);
            }
            w.assertSameBits(wantW, "momentum weights nesterov=" + nesterov);
            v.assertSameBits(wantV, "momentum velocity nesterov=" + nesterov);
        }
    }

    @ParameterizedTest
    @MethodSource("sizesAndZero")
    void adamIsBitwiseEqual(int n) {
        Random rnd = random("adam", n);
        Block w = Block.vector(rnd, n, 2, 0.1f);
        Block m = Block.zeros(1, n, 3, 0);
        Block v = Block.zeros(1, n, 5, 0);
        Block wantW = w.copy();
        Block wantM = m.copy();
        Block wantV = v.copy();
        float beta1 = 0.9f;
        float beta2 = 0.999f;
        for (int t = 1; t <= 4; t++) {
            Block g = Block.vector(rnd, n, 7, 0.01f);
            if (n > 0) {
                g.set(0, 0, 0f); // a zero gradient meets eps in the denominator
            }
            float bc1 = (float) (1 - Math.pow(beta1, t));
            float bc2 = (float) (1 - Math.pow(beta2, t));
            scalar.adam(n, wantW.a, wantW.off, g.a, g.off, wantM.a, wantM.off, wantV.a, wantV.off,
                    1e-3f, beta1, beta2, 1e-8f, 1e-4f, bc1, bc2);
            vector.adam(n, w.a, w.off, g.a, g.off, m.a, m.off, v.a, v.off,
                    1e-3f, beta1, beta2, 1e-8f, 1e-4f, bc1, bc2);
        }
        w.assertSameBits(wantW, "adam weights");
        m.assertSameBits(wantM, "adam first moment");
        v.assertSameBits(wantV, "adam second moment");
    }

    // ---------------------------------------------------------------- data

    @ParameterizedTest
    @MethodSource("sizesAndZero")
    void bytesToFloatsIsBitwiseEqual(int n) {
        Random rnd = random("bytesToFloats", n);
        for (int srcOff : new int[] {0, 3}) {
            byte[] src = new byte[srcOff + n + 11];
            rnd.nextBytes(src);
            Block dst = Block.zeros(1, n, 5, 0);
            Block want = dst.copy();
            scalar.bytesToFloats(n, src, srcOff, want.a, want.off);
            vector.bytesToFloats(n, src, srcOff, dst.a, dst.off);
            dst.assertSameBits(want, "bytesToFloats srcOff=" + srcOff);
        }
    }

    @Test
    void bytesToFloatsCoversEveryByteValue() {
        byte[] src = new byte[256 * 3 + 1];
        for (int i = 0; i < src.length; i++) {
            src[i] = (byte) (i * 7);
        }
        Block dst = Block.zeros(1, src.length - 1, 2, 0);
        Block want = dst.copy();
        scalar.bytesToFloats(src.length - 1, src, 1, want.a, want.off);
        vector.bytesToFloats(src.length - 1, src, 1, dst.a, dst.off);
        dst.assertSameBits(want, "bytesToFloats");
    }

    // ---------------------------------------------------------------- argmax

    @ParameterizedTest
    @MethodSource("sizesAndZero")
    void argmaxRowsIsEqual(int cols) {
        Random rnd = random("argmax", cols);
        for (Layout l : layouts(cols)) {
            // Small integers: many ties, which must go to the first column.
            Block x = Block.zeros(l.rows, cols, l.off, l.gap).fill((r, c) -> rnd.nextInt(5));
            assertArgmaxEqual(l.rows, cols, x);
            assertArgmaxEqual(l.rows, cols, Block.gaussian(rnd, l.rows, cols, l.off, l.gap, 1f));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 9, 10, 17, 33})
    void argmaxRowsMatchesTheReferenceOnSpecialValues(int cols) {
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        float[][] rows = {
            {nan, 5f, 9f},              // a NaN in column 0 is never beaten: 0
            {1f, nan, 3f, nan},         // NaN elsewhere never wins
            {-inf, -inf, -inf},         // nothing beats column 0
            {nan, nan, nan},
            {-0f, 0f, -0f},             // −0 and +0 tie: first column
            {0f, -0f},
            {1f, inf, inf, 2f},
            {-inf, nan, -inf},
            {-3f, -2f, -2f, -1f, -1f},
        };
        Block x = Block.zeros(rows.length, cols, 1, 2);
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < cols; c++) {
                float[] pattern = rows[r];
                // Spread the pattern over the row, and a final copy of its first element in the tail.
                x.set(r, c, c < pattern.length ? pattern[c] : (c == cols - 1 ? pattern[0] : -100f));
            }
        }
        assertArgmaxEqual(rows.length, cols, x);
    }

    private void assertArgmaxEqual(int rows, int cols, Block x) {
        int[] want = new int[rows + 4];
        int[] got = new int[rows + 4];
        Arrays.fill(want, -7);
        Arrays.fill(got, -7);
        scalar.argmaxRows(rows, cols, x.a, x.off, x.ld, want, 2);
        vector.argmaxRows(rows, cols, x.a, x.off, x.ld, got, 2);
        assertArrayEquals(want, got, "argmaxRows " + x.shape() + ", output guards -7 included");
        x.assertGuardsIntact("argmaxRows input");
    }

    // ---------------------------------------------------------------- softmax

    /**
     * The bound on {@code |p − p_exact|} for one probability {@code p} of the reference softmax of a row
     * of {@code n}, against the softmax computed in double from the same float logits.
     *
     * <p>With {@code u = 2^-24}: each {@link Numerics#exp} is within 1.02 ulp (≤ 2.04u relative) of the
     * exact value; a float sum of {@code n} positive terms is within {@code (n−1)u} of its exact value
     * whatever the order, and the division adds ≤ u. Hence {@code |Δp| ≤ (n + 3.1)u·p} to first order;
     * {@code (n + 6)u·p} leaves room for the second-order terms. Exponentials below
     * {@code ln(Float.MIN_NORMAL)} are flushed to 0: that moves {@code p} by less than
     * {@code Float.MIN_NORMAL}, the absolute term.
     *
     * <p>It still fails on any real defect: a dropped or doubled element of a row moves the sum by that
     * element's share, about {@code 1/n} of it for the random logits used here, far above {@code nu}
     * for every tested {@code n}.
     */
    static double probabilityTolerance(int n, double p) {
        return (n + 6.0) * U * Math.abs(p) + Float.MIN_NORMAL;
    }

    @ParameterizedTest
    @MethodSource("sizesAndZero")
    void softmaxIsTheReferenceBitForBit(int cols) {
        Random rnd = random("softmax", cols);
        for (Layout l : layouts(cols)) {
            Block x = Block.gaussian(rnd, l.rows, cols, l.off, l.gap, 4f);
            assertSoftmaxSame(l.rows, cols, x, "random logits");
            assertReferenceSoftmaxNearExact(l.rows, cols, x, "random logits");
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void softmaxOfSpecialRowsIsTheReferenceBitForBit(int cols) {
        Block x = specialLogits(cols);
        assertSoftmaxSame(x.rows, cols, x, "special logits");
        assertReferenceSoftmaxNearExact(x.rows, cols, x, "special logits");
        Block p = x.copy();
        vector.softmax(p.rows, cols, p.a, p.off, p.ld);
        for (int r = 0; r < p.rows; r++) {
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                float v = p.get(r, c);
                assertTrue(v >= 0f && v <= 1f, "row " + r + " column " + c + " is not a probability: " + v);
                sum += v;
            }
            // Σp = Σ fl(e_c / S) with S = fl(Σ e_c): the sum is within (n−1)u of exact and each of the n
            // quotients within u, so Σp is within (2n − 1)u of 1 (added here in double, exactly enough).
            assertEquals(1.0, sum, (2.0 * cols) * U, "row " + r + " of special logits does not sum to 1");
        }
    }

    /**
     * Rows that stress the softmax: zeros, all equal, huge positive and negative logits (±1e4, where a
     * naive exp overflows), one dominant logit, −∞ entries, and logits that put the maximum in the tail.
     */
    static Block specialLogits(int cols) {
        Random rnd = new Random(cols);
        Block x = Block.zeros(8, cols, 3, 4);
        x.fill((r, c) -> {
            switch (r) {
                case 0: return 0f;
                case 1: return 3.75f;
                case 2: return c % 2 == 0 ? 1e4f : -1e4f;
                case 3: return c == cols / 2 ? 1e4f : (float) rnd.nextGaussian();
                case 4: return c % 3 == 1 ? Float.NEGATIVE_INFINITY : (float) rnd.nextGaussian();
                case 5: return c == cols - 1 ? 50f : -50f + c * 0.01f;
                case 6: return -1e4f + (float) rnd.nextGaussian() * 100f;
                default: return (float) rnd.nextGaussian() * 30f;
            }
        });
        if (cols > 1) {
            x.set(4, 0, 0f); // keep row 4 finite somewhere even when every other column is −∞
        }
        return x;
    }

    private void assertSoftmaxSame(int rows, int cols, Block x, String what) {
        Block want = x.copy();
        Block got = x.copy();
        scalar.softmax(rows, cols, want.a, want.off, want.ld);
        vector.softmax(rows, cols, got.a, got.off, got.ld);
        got.assertSameBits(want, "softmax " + what);
    }

    private void assertReferenceSoftmaxNearExact(int rows, int cols, Block x, String what) {
        Block p = x.copy();
        scalar.softmax(rows, cols, p.a, p.off, p.ld);
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, x.get(r, c));
            }
            double sum = 0;
            double weightedShift = 0;
            for (int c = 0; c < cols; c++) {
                double e = Math.exp(x.get(r, c) - max);
                sum += e;
                weightedShift += e * shiftMagnitude(x.get(r, c), max);
            }
            for (int c = 0; c < cols; c++) {
                double exact = Math.exp(x.get(r, c) - max) / sum;
                // The float kernel rounds each shifted logit z − max (relative error ≤ u), which exp turns
                // into a relative error of |z − max|·u in e_c, and of Σ (e_k/S)|z_k − max|·u in the sum;
                // the double reference subtracts exactly.
                double tol = probabilityTolerance(cols, exact)
                        + (shiftMagnitude(x.get(r, c), max) + weightedShift / sum) * U * exact;
                double got = p.get(r, c);
                if (!(Math.abs(got - exact) <= tol)) {
                    fail("reference softmax " + what + " " + p.shape() + ": [" + r + "][" + c + "] " + got
                            + ", exact " + exact + ", tolerance " + tol);
                }
            }
        }
    }

    /** {@code |z − max|}, 0 where it is undefined or infinite (then {@code e} is 0 or the row is NaN). */
    private static double shiftMagnitude(float z, double max) {
        double d = Math.abs(z - max);
        return Double.isFinite(d) ? d : 0;
    }

    @Test
    void softmaxOfNaNRowsIsNaNLikeTheReference() {
        for (int cols : new int[] {3, 10, 17, 40}) {
            Block x = Block.zeros(3, cols, 1, 1).fill((r, c) -> c);
            x.set(0, 0, Float.NaN);
            x.set(1, cols - 1, Float.NaN);
            x.set(2, cols / 2, Float.POSITIVE_INFINITY); // ∞ − ∞ is NaN in the reference too
            Block want = x.copy();
            scalar.softmax(3, cols, want.a, want.off, want.ld);
            vector.softmax(3, cols, x.a, x.off, x.ld);
            x.assertSameBits(want, "softmax with NaN/∞ (all NaN)");
            assertTrue(Float.isNaN(x.get(0, 1)), "a NaN logit makes the whole row NaN");
        }
    }

    // ---------------------------------------------------------------- softmax + cross-entropy

    @ParameterizedTest
    @MethodSource("sizes")
    void softmaxCrossEntropyIsTheReferenceBitForBit(int cols) {
        Random rnd = random("softmaxCrossEntropy", cols);
        for (Layout l : layouts(cols)) {
            Block logits = Block.gaussian(rnd, l.rows, cols, l.off, l.gap, 4f);
            int[] labels = labels(rnd, l.rows, cols);
            assertCrossEntropySame(l.rows, cols, logits, labels, 1f / Math.max(1, l.rows), "random logits");
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void softmaxCrossEntropyOfSpecialRowsIsTheReferenceBitForBit(int cols) {
        Block logits = specialLogits(cols);
        int[] labels = labels(new Random(cols), logits.rows, cols);
        assertCrossEntropySame(logits.rows, cols, logits, labels, 0.125f, "special logits");
        assertCrossEntropySame(logits.rows, cols, logits, labels, 1f, "special logits, scale 1");
    }

    /** Labels at both ends of the row (0 and cols − 1) and random ones, after two extra leading slots. */
    static int[] labels(Random rnd, int rows, int cols) {
        int[] labels = new int[rows + 2];
        labels[0] = -1;
        labels[1] = cols; // out of range on purpose: the kernels must start reading at labelsOff
        for (int r = 0; r < rows; r++) {
            labels[2 + r] = r % 3 == 0 ? 0 : r % 3 == 1 ? cols - 1 : rnd.nextInt(cols);
        }
        return labels;
    }

    private void assertCrossEntropySame(int rows, int cols, Block logits, int[] labels, float scale, String what) {
        Block want = Block.zeros(rows, cols, 2, 3);
        Block got = Block.zeros(rows, cols, 2, 3);
        double wantLoss = scalar.softmaxCrossEntropy(rows, cols, logits.a, logits.off, logits.ld, labels, 2,
                want.a, want.off, want.ld, scale);
        double gotLoss = vector.softmaxCrossEntropy(rows, cols, logits.a, logits.off, logits.ld, labels, 2,
                got.a, got.off, got.ld, scale);
        logits.assertGuardsIntact("softmaxCrossEntropy logits");
        got.assertSameBits(want, "softmaxCrossEntropy gradient, " + what);
        assertEquals(Double.doubleToRawLongBits(wantLoss), Double.doubleToRawLongBits(gotLoss),
                "softmaxCrossEntropy loss, " + what + " " + got.shape() + ": reference " + wantLoss + ", vector " + gotLoss);
        if (allFinite(logits)) {
            assertTrue(Double.isFinite(gotLoss), "the loss must stay finite for finite logits: " + what);
        }
    }

    private static boolean allFinite(Block x) {
        for (int r = 0; r < x.rows; r++) {
            for (int c = 0; c < x.cols; c++) {
                if (!Float.isFinite(x.get(r, c))) {
                    return false;
                }
            }
        }
        return true;
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void softmaxCrossEntropyInPlaceEqualsOutOfPlace(int cols) {
        Random rnd = random("softmaxCrossEntropyInPlace", cols);
        for (Layout l : layouts(cols)) {
            Block logits = Block.gaussian(rnd, l.rows, cols, l.off, l.gap, 4f);
            int[] labels = labels(rnd, l.rows, cols);
            Block separate = Block.zeros(l.rows, cols, 0, 1);
            double lossSeparate = vector.softmaxCrossEntropy(l.rows, cols, logits.a, logits.off, logits.ld,
                    labels, 2, separate.a, separate.off, separate.ld, 0.5f);
            Block inPlace = logits.copy();
            double lossInPlace = vector.softmaxCrossEntropy(l.rows, cols, inPlace.a, inPlace.off, inPlace.ld,
                    labels, 2, inPlace.a, inPlace.off, inPlace.ld, 0.5f);
            // The same arithmetic on the same values: in place must not change a single bit.
            inPlace.assertSameBits(separate, "softmaxCrossEntropy in place");
            assertEquals(lossSeparate, lossInPlace, 0.0, "in-place loss");

            Block reference = logits.copy();
            double lossReference = scalar.softmaxCrossEntropy(l.rows, cols, reference.a, reference.off,
                    reference.ld, labels, 2, reference.a, reference.off, reference.ld, 0.5f);
            Block referenceSeparate = Block.zeros(l.rows, cols, 0, 1);
            scalar.softmaxCrossEntropy(l.rows, cols, logits.a, logits.off, logits.ld, labels, 2,
                    referenceSeparate.a, referenceSeparate.off, referenceSeparate.ld, 0.5f);
            reference.assertSameBits(referenceSeparate, "reference softmaxCrossEntropy in place");
            assertEquals(lossReference, lossInPlace, 0.0, "loss");
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void crossEntropyGradientIsTheSoftmaxMinusTheLabel(int cols) {
        // Both vector kernels divide the same exponentials by the same sum: bitwise the same
        // probabilities, except at the label, where the gradient is p − 1.
        Random rnd = random("crossEntropyVsSoftmax", cols);
        Block logits = Block.gaussian(rnd, 6, cols, 2, 3, 5f);
        int[] labels = labels(rnd, 6, cols);
        Block grad = Block.zeros(6, cols, 0, 0);
        vector.softmaxCrossEntropy(6, cols, logits.a, logits.off, logits.ld, labels, 2, grad.a, grad.off, grad.ld, 1f);
        Block p = logits.copy();
        vector.softmax(6, cols, p.a, p.off, p.ld);
        for (int r = 0; r < 6; r++) {
            int label = labels[2 + r];
            for (int c = 0; c < cols; c++) {
                float want = c == label ? p.get(r, c) - 1f : p.get(r, c);
                assertEquals(want, grad.get(r, c), 0f, "[" + r + "][" + c + "] label " + label);
            }
        }
    }

    @Test
    void softmaxCrossEntropyWithNoRowsReturnsZero() {
        Block logits = Block.zeros(0, 10, 1, 0);
        assertEquals(0.0, vector.softmaxCrossEntropy(0, 10, logits.a, 1, 10, new int[0], 0, logits.a, 1, 10, 1f));
        logits.assertGuardsIntact("no rows");
    }
}
