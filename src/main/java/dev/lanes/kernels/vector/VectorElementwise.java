package dev.lanes.kernels.vector;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Bias, ReLU, column sums, array addition and pixel conversion on the Vector API.
 *
 * <p>Each computes exactly the reference's operations in the reference's order, lane by lane, so the
 * results are bitwise equal to {@link dev.lanes.kernels.ScalarKernels}. Row tails shorter than a vector
 * run the same expression in scalar code.
 */
final class VectorElementwise {

    private static final VectorSpecies<Float> F = VectorKernels.F;
    private static final int L = F.length();
    /** Ints with the float species' lane count, for the widening byte → int → float path. */
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    /**
     * Bytes with at least the float lane count (the narrowest byte shape is 64 bits): the low {@code L}
     * lanes of each load widen to one float vector.
     */
    private static final VectorSpecies<Byte> B =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, 8 * L)));

    private VectorElementwise() {
    }

    // ---------------------------------------------------------------- bias and ReLU

    static void addBiasRelu(int rows, int cols, float[] x, int xOff, int ldx, float[] bias, int biasOff) {
        for (int r = 0; r < rows; r++) {
            addBiasReluRow(cols, x, xOff + r * ldx, bias, biasOff);
        }
    }

    private static void addBiasReluRow(int cols, float[] x, int row, float[] bias, int biasOff) {
        int c = 0;
        for (; c <= cols - L; c += L) {
            FloatVector s = FloatVector.fromArray(F, x, row + c).add(FloatVector.fromArray(F, bias, biasOff + c));
            // Math.max(0f, s): NaN stays NaN, −0 and every negative become +0.
            s.blend(0f, s.compare(VectorOperators.LE, 0f)).intoArray(x, row + c);
        }
        for (; c < cols; c++) {
            x[row + c] = Math.max(0f, x[row + c] + bias[biasOff + c]);
        }
    }

    static void addBias(int rows, int cols, float[] x, int xOff, int ldx, float[] bias, int biasOff) {
        for (int r = 0; r < rows; r++) {
            addBiasRow(cols, x, xOff + r * ldx, bias, biasOff);
        }
    }

    private static void addBiasRow(int cols, float[] x, int row, float[] bias, int biasOff) {
        int c = 0;
        for (; c <= cols - L; c += L) {
            FloatVector.fromArray(F, x, row + c).add(FloatVector.fromArray(F, bias, biasOff + c)).intoArray(x, row + c);
        }
        for (; c < cols; c++) {
            x[row + c] += bias[biasOff + c];
        }
    }

    static void reluBackward(int rows, int cols, float[] grad, int gradOff, int ldg, float[] act, int actOff, int lda) {
        if (ldg == cols && lda == cols) {
            // Both blocks are contiguous: one long row has no per-row tails.
            reluBackwardRow(rows * cols, grad, gradOff, act, actOff);
            return;
        }
        for (int r = 0; r < rows; r++) {
            reluBackwardRow(cols, grad, gradOff + r * ldg, act, actOff + r * lda);
        }
    }

    private static void reluBackwardRow(int n, float[] grad, int g, float[] act, int a) {
        int i = 0;
        for (; i <= n - L; i += L) {
            // Kept where act > 0; zeroed where act ≤ 0 or NaN, as the reference's !(act > 0).
            VectorMask<Float> live = FloatVector.fromArray(F, act, a + i).compare(VectorOperators.GT, 0f);
            FloatVector.zero(F).blend(FloatVector.fromArray(F, grad, g + i), live).intoArray(grad, g + i);
        }
        for (; i < n; i++) {
            if (!(act[a + i] > 0f)) {
                grad[g + i] = 0f;
            }
        }
    }

    // ---------------------------------------------------------------- sums

    static void columnSums(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff,
                           boolean accumulate) {
        int c = 0;
        for (; c <= cols - 4 * L; c += 4 * L) {
            columnSums4(rows, x, xOff + c, ldx, out, outOff + c, accumulate);
        }
        for (; c <= cols - L; c += L) {
            columnSums1(rows, x, xOff + c, ldx, out, outOff + c, accumulate);
        }
        for (; c < cols; c++) {
            out[outOff + c] = columnSumScalar(rows, x, xOff + c, ldx, accumulate ? out[outOff + c] : 0f);
        }
    }

    /** Four vectors of columns at once: each column is still summed over rows in increasing order. */
    private static void columnSums4(int rows, float[] x, int col, int ldx, float[] out, int o, boolean accumulate) {
        FloatVector s0 = accumulate ? FloatVector.fromArray(F, out, o) : FloatVector.zero(F);
        FloatVector s1 = accumulate ? FloatVector.fromArray(F, out, o + L) : FloatVector.zero(F);
        FloatVector s2 = accumulate ? FloatVector.fromArray(F, out, o + 2 * L) : FloatVector.zero(F);
        FloatVector s3 = accumulate ? FloatVector.fromArray(F, out, o + 3 * L) : FloatVector.zero(F);
        for (int r = 0, i = col; r < rows; r++, i += ldx) {
            s0 = s0.add(FloatVector.fromArray(F, x, i));
            s1 = s1.add(FloatVector.fromArray(F, x, i + L));
            s2 = s2.add(FloatVector.fromArray(F, x, i + 2 * L));
            s3 = s3.add(FloatVector.fromArray(F, x, i + 3 * L));
        }
        s0.intoArray(out, o);
        s1.intoArray(out, o + L);
        s2.intoArray(out, o + 2 * L);
        s3.intoArray(out, o + 3 * L);
    }

    private static void columnSums1(int rows, float[] x, int col, int ldx, float[] out, int o, boolean accumulate) {
        FloatVector s = accumulate ? FloatVector.fromArray(F, out, o) : FloatVector.zero(F);
        for (int r = 0, i = col; r < rows; r++, i += ldx) {
            s = s.add(FloatVector.fromArray(F, x, i));
        }
        s.intoArray(out, o);
    }

    private static float columnSumScalar(int rows, float[] x, int col, int ldx, float start) {
        float sum = start;
        for (int r = 0, i = col; r < rows; r++, i += ldx) {
            sum += x[i];
        }
        return sum;
    }

    static void add(int n, float[] src, int srcOff, float[] dst, int dstOff) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(F, dst, dstOff + i).add(FloatVector.fromArray(F, src, srcOff + i))
                    .intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            dst[dstOff + i] += src[srcOff + i];
        }
    }

    // ---------------------------------------------------------------- data

    /** {@code 1/255} rounded to float. */
    private static final float INV_255 = 1f / 255f;

    /**
     * Sign-extends {@code L} bytes to ints, masks them back to 0..255 and converts them exactly to
     * float, then forms the correctly rounded {@code x/255} of the reference from the product with the
     * reciprocal and one fma correction (a plain reciprocal multiply rounds differently for some
     * bytes). This widening path measured fastest on JDK 17 and 25 among byte→float conversions tried.
     */
    static void bytesToFloats(int n, byte[] src, int srcOff, float[] dst, int dstOff) {
        int i = 0;
        // The byte load may be wider than L lanes: stop where it would run past the end.
        for (; i <= n - B.length(); i += L) {
            IntVector pixels = (IntVector) ByteVector.fromArray(B, src, srcOff + i)
                    .convertShape(VectorOperators.B2I, I, 0);
            FloatVector f = (FloatVector) pixels.and(0xFF).convert(VectorOperators.I2F, 0);
            // x/255 without a divide (several cycles per vector): the product with the reciprocal,
            // corrected once by its fma residual, is the correctly rounded quotient for every x in
            // 0…255 (checked exhaustively by KernelEqualityTest#bytesToFloatsCoversEveryByteValue).
            FloatVector q = f.mul(INV_255);
            FloatVector residual = q.neg().fma(FloatVector.broadcast(F, 255f), f);
            residual.fma(FloatVector.broadcast(F, INV_255), q).intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            dst[dstOff + i] = (src[srcOff + i] & 0xFF) / 255f;
        }
    }
}
