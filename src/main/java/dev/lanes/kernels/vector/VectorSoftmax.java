package dev.lanes.kernels.vector;

import dev.lanes.kernels.Numerics;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row-wise softmax, softmax with cross-entropy, and argmax on the Vector API.
 *
 * <p>A row of at least one vector is processed in whole vectors; its last {@code cols mod L} columns
 * are covered by one more vector that ends exactly at the row's end and so overlaps the previous one.
 * Lanes of that vector that an earlier vector already wrote keep the written value, which makes the
 * overlap safe in place. Rows shorter than one vector run the scalar definition itself. Vector values never cross a method boundary here: a vector handed to a method
 * that C2 declines to inline is boxed on the heap.
 *
 * <p>The row maximum is the reference's; the exponentials and their sum are {@link Numerics#exp} and
 * {@link Numerics#sum}, lane by lane (see {@link VectorMath}), so every result is bitwise the
 * reference's, at any vector width.
 */
final class VectorSoftmax {

    private static final VectorSpecies<Float> F = VectorKernels.F;
    private static final int L = F.length();
    /** Per thread: a transposed block of {@link #crossEntropyBlock}, its sums, maxima and labels. */
    private static final ThreadLocal<float[]> BLOCK =
            ThreadLocal.withInitial(() -> new float[(Numerics.PARTIALS + 2) * L]);

    private VectorSoftmax() {
    }

    // ---------------------------------------------------------------- softmax

    static void softmax(int rows, int cols, float[] x, int xOff, int ldx) {
        for (int r = 0; r < rows; r++) {
            int row = xOff + r * ldx;
            if (cols < L) {
                softmaxRowScalar(cols, x, row);
            } else {
                float max = rowMax(cols, x, row);
                float sum = expRow(cols, x, row, x, row, max);
                scaleRow(cols, x, row, sum, 1f);
            }
        }
    }

    private static void softmaxRowScalar(int cols, float[] x, int row) {
        float max = rowMaxScalar(cols, x, row);
        float sum = expRowScalar(cols, x, row, x, row, max);
        for (int c = 0; c < cols; c++) {
            x[row + c] /= sum;
        }
    }

    // ---------------------------------------------------------------- softmax + cross-entropy

    static double softmaxCrossEntropy(int rows, int cols, float[] logits, int logitsOff, int ldl, int[] labels,
                                      int labelsOff, float[] grad, int gradOff, int ldg, float scale) {
        double loss = 0;
        int r = 0;
        if (cols >= 1 && cols < Numerics.PARTIALS) {
            float[] block = BLOCK.get();
            for (; r + L <= rows; r += L) {
                loss = crossEntropyBlock(cols, logits, logitsOff + r * ldl, ldl, labels, labelsOff + r, grad,
                        gradOff + r * ldg, ldg, scale, loss, block);
            }
        }
        for (; r < rows; r++) {
            int in = logitsOff + r * ldl;
            int out = gradOff + r * ldg;
            int label = labels[labelsOff + r];
            if (cols < L) {
                loss += crossEntropyRowScalar(cols, logits, in, label, grad, out, scale);
            } else {
                loss += crossEntropyRow(cols, logits, in, label, grad, out, scale);
            }
        }
        return loss;
    }

    /**
     * {@code L} rows of fewer than {@link Numerics#PARTIALS} classes with the lanes over the rows: a
     * vector holds one class of every row, so ten classes fill every lane instead of one vector and a
     * quarter. The block is transposed into {@code block} and back with scalar copies. Rows this short
     * are summed left to right from zero by {@link Numerics#sum}, which is what adding the class
     * vectors in order does lane by lane; the exponentials are {@link VectorMath#exp}'s, and
     * the loss terms are added to {@code loss} row by row, so every result is the reference's bits.
     *
     * @return {@code loss} plus the block's loss terms, in row order
     */
    private static double crossEntropyBlock(int cols, float[] logits, int in, int ldl, int[] labels, int l0,
                                            float[] grad, int out, int ldg, float scale, double loss,
                                            float[] block) {
        int sums = cols * L;
        int maxes = sums + L;
        int labelsAt = maxes + L;
        for (int t = 0; t < L; t++) {
            for (int c = 0, i = in + t * ldl; c < cols; c++) {
                block[c * L + t] = logits[i + c];
            }
        }
        FloatVector max = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int c = 0; c < cols; c++) {
            max = max.lanewise(VectorOperators.MAX, FloatVector.fromArray(F, block, c * L));
        }
        for (int c = 0; c < cols; c++) {
            FloatVector.fromArray(F, block, c * L).sub(max).intoArray(block, c * L);
        }
        max.intoArray(block, maxes);
        // The shifts are already subtracted; subtracting 0 again changes no bit (−0 − 0 is −0).
        VectorMath.exp(sums, block, 0, block, 0, 0f);
        FloatVector sum = FloatVector.zero(F);
        for (int c = 0; c < cols; c++) {
            sum = sum.add(FloatVector.fromArray(F, block, c * L));
        }
        sum.intoArray(block, sums);
        for (int t = 0; t < L; t++) {
            // −log P[label] = log Σ exp(z − max) − (z[label] − max), finite even when P[label] underflows.
            float shiftedLabel = logits[in + t * ldl + labels[l0 + t]] - block[maxes + t];
            loss += Math.log(block[sums + t]) - shiftedLabel;
        }
        for (int t = 0; t < L; t++) {
            block[labelsAt + t] = labels[l0 + t];
        }
        FloatVector label = FloatVector.fromArray(F, block, labelsAt);
        for (int c = 0; c < cols; c++) {
            FloatVector p = FloatVector.fromArray(F, block, c * L).div(sum);
            p.blend(p.sub(1f), label.compare(VectorOperators.EQ, (float) c)).mul(scale).intoArray(block, c * L);
        }
        for (int t = 0; t < L; t++) {
            for (int c = 0, o = out + t * ldg; c < cols; c++) {
                grad[o + c] = block[c * L + t];
            }
        }
        return loss;
    }

    private static double crossEntropyRow(int cols, float[] logits, int in, int label, float[] grad, int out,
                                          float scale) {
        float max = rowMax(cols, logits, in);
        float shiftedLabel = logits[in + label] - max;
        float sum = expRow(cols, logits, in, grad, out, max);
        float eLabel = grad[out + label];
        scaleRow(cols, grad, out, sum, scale);
        grad[out + label] = (eLabel / sum - 1f) * scale;
        // −log P[label] = log Σ exp(z − max) − (z[label] − max), finite even when P[label] underflows.
        return Math.log(sum) - shiftedLabel;
    }

    private static double crossEntropyRowScalar(int cols, float[] logits, int in, int label, float[] grad, int out,
                                                float scale) {
        float max = rowMaxScalar(cols, logits, in);
        float shiftedLabel = logits[in + label] - max;
        float sum = expRowScalar(cols, logits, in, grad, out, max);
        for (int c = 0; c < cols; c++) {
            float p = grad[out + c] / sum;
            grad[out + c] = (c == label ? p - 1f : p) * scale;
        }
        return Math.log(sum) - shiftedLabel;
    }

    // ---------------------------------------------------------------- row passes (cols ≥ L)

    /**
     * The row maximum; the last vector may overlap, max being idempotent. A compare and a blend are
     * cheaper than {@link Math#max} semantics and give the same value for every row without NaN (up to
     * the sign of a zero maximum, which changes no shifted logit). A row with a NaN may get another
     * maximum than the reference, but its sum, probabilities and loss are NaN all the same.
     */
    private static float rowMax(int cols, float[] x, int row) {
        FloatVector m = FloatVector.fromArray(F, x, row);
        for (int c = L; c < cols; c += L) {
            FloatVector v = FloatVector.fromArray(F, x, row + Math.min(c, cols - L));
            m = m.blend(v, v.compare(VectorOperators.GT, m));
        }
        for (VectorShuffle<Float> fold : VectorMath.FOLDS) {
            FloatVector v = m.rearrange(fold);
            m = m.blend(v, v.compare(VectorOperators.GT, m));
        }
        return m.lane(0);
    }

    /** Writes {@code e^(x − max)} to {@code y} and returns its sum; {@code y} may be {@code x}. */
    private static float expRow(int cols, float[] x, int in, float[] y, int out, float max) {
        return VectorMath.expShifted(cols, x, in, y, out, max);
    }

    /**
     * In place: {@code y[c] = y[c] / sum · scale} (with {@code scale == 1} the product is exact). The
     * lanes of the overlapping last vector that an earlier vector already rescaled keep their value.
     */
    private static void scaleRow(int cols, float[] y, int out, float sum, float scale) {
        FloatVector iota = FloatVector.fromArray(F, VectorMath.LANE_NUMBERS, 0);
        for (int c = 0; c < cols; c += L) {
            int at = Math.min(c, cols - L);
            FloatVector v = FloatVector.fromArray(F, y, out + at);
            v.blend(v.div(sum).mul(scale), iota.compare(VectorOperators.GE, (float) (c - at))).intoArray(y, out + at);
        }
    }

    // ---------------------------------------------------------------- row passes (cols < L)

    private static float rowMaxScalar(int cols, float[] x, int row) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < cols; c++) {
            max = Math.max(max, x[row + c]);
        }
        return max;
    }

    private static float expRowScalar(int cols, float[] x, int in, float[] y, int out, float max) {
        for (int c = 0; c < cols; c++) {
            y[out + c] = Numerics.exp(x[in + c] - max);
        }
        return Numerics.sum(y, out, cols);
    }

    // ---------------------------------------------------------------- argmax

    static void argmaxRows(int rows, int cols, float[] x, int xOff, int ldx, int[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            out[outOff + r] = argmaxRow(cols, x, xOff + r * ldx);
        }
    }

    /**
     * Matches the reference's {@code x[c] > x[best]} scan: NaN never wins and a NaN in column 0 is never
     * beaten, so the answer is 0 then; otherwise it is the first column equal to the largest non-NaN value.
     */
    private static int argmaxRow(int cols, float[] x, int row) {
        if (cols <= 1 || Float.isNaN(x[row])) {
            return 0;
        }
        float max = rowMaxIgnoringNaN(cols, x, row);
        return firstEqual(cols, x, row, max);
    }

    private static float rowMaxIgnoringNaN(int cols, float[] x, int row) {
        FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int c = 0;
        for (; c <= cols - L; c += L) {
            FloatVector v = FloatVector.fromArray(F, x, row + c);
            m = m.blend(v, v.compare(VectorOperators.GT, m));
        }
        // No NaN can be in m, so Math.max semantics and the fold order do not matter here.
        for (VectorShuffle<Float> fold : VectorMath.FOLDS) {
            m = m.max(m.rearrange(fold));
        }
        float max = m.lane(0);
        for (; c < cols; c++) {
            if (x[row + c] > max) {
                max = x[row + c];
            }
        }
        return max;
    }

    private static int firstEqual(int cols, float[] x, int row, float max) {
        int c = 0;
        for (; c <= cols - L; c += L) {
            VectorMask<Float> hit = FloatVector.fromArray(F, x, row + c).compare(VectorOperators.EQ, max);
            if (hit.anyTrue()) {
                return c + hit.firstTrue();
            }
        }
        for (; c < cols; c++) {
            if (x[row + c] == max) {
                return c;
            }
        }
        // Unreachable: max is one of the row's values (or −∞, equal to column 0 when nothing beats it).
        return 0;
    }
}
