package dev.lanes.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Deterministic building blocks for the vector softmax kernels: an {@code exp} made only of fma, mul,
 * add and bit manipulation, and the shuffles of a fixed-order cross-lane sum or maximum.
 *
 * <p>The Vector API's own {@code EXP} and {@code reduceLanes(ADD)} give different bits once C2 has
 * compiled them (another math library, another summation order), which would make training depend on
 * JIT timing. Everything here is a fixed sequence of correctly rounded IEEE operations, so the bits
 * are the same interpreted, compiled, on any JDK and on any CPU with the same lane count.
 *
 * <p>The vector {@code exp} has a scalar twin performing the same operations in the same order, so rows
 * shorter than a vector get exactly the values a lane would give.
 */
final class VectorMath {

    private static final VectorSpecies<Float> F = VectorKernels.F;

    /** {@code log2(e)}, rounded to float. */
    private static final float LOG2E = 1.44269504088896341f;
    /**
     * {@code ln 2} split Cody–Waite style: the high part has 9 significant bits, so {@code n·LN2_HI} is
     * exact for every {@code |n| ≤ 126} and the reduction {@code x − n·ln 2} loses nothing.
     */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /**
     * Cephes {@code expf} minimax coefficients for {@code (e^r − 1 − r)/r²} on {@code |r| ≤ ln2/2}.
     */
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;
    /**
     * {@code 1.5·2^23}: adding it to a value of magnitude below {@code 2^22} rounds that value to the
     * nearest integer (ties to even), and leaves the integer in the low mantissa bits.
     */
    private static final float ROUNDER = 12582912f;
    /** The bits of {@link #ROUNDER} less the float exponent bias 127: {@code bits(ROUNDER + n) − this = n + 127}. */
    private static final int ROUNDER_BITS_MINUS_BIAS = Float.floatToRawIntBits(ROUNDER) - 127;
    /**
     * {@code ln(Float.MIN_NORMAL)}: below it {@code e^x} is subnormal and this {@code exp} returns 0
     * (an absolute error below {@code 1.2e-38}); the clamp also keeps {@code 2^n} a normal float.
     */
    static final float EXP_LOWEST = -87.33654f;

    /**
     * The lane shuffles of a fixed-order fold: step {@code s} moves lane {@code i + L/2^(s+1)} onto lane
     * {@code i}, so adding (or taking the max of) a vector and its shuffle for every step folds the upper
     * half of the live lanes onto the lower half, then the upper quarter, and so on: a fixed binary tree
     * whose root ends in lane 0. Kernels write the loop inline ({@code for (fold : FOLDS) v = v.add(
     * v.rearrange(fold))}) rather than calling a helper, because a vector passed to a method that C2
     * declines to inline is boxed on the heap.
     */
    static final VectorShuffle<Float>[] FOLDS = folds();

    private VectorMath() {
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] folds() {
        int lanes = F.length();
        VectorShuffle<Float>[] folds = (VectorShuffle<Float>[]) new VectorShuffle<?>[Integer.numberOfTrailingZeros(lanes)];
        for (int s = 0; s < folds.length; s++) {
            int distance = lanes >> (s + 1);
            folds[s] = VectorShuffle.fromOp(F, i -> (i + distance) & (lanes - 1));
        }
        return folds;
    }

    /**
     * Rows shorter than this are summed in scalar code, left to right, straight from the values just
     * written: for a few vectors that is fewer instructions than folding the lanes (each shuffle carries
     * an index check on JDK 17), and it is the reference's summation order.
     */
    static final int FOLD_MIN_LENGTH = 4 * F.length();

    /**
     * Writes {@code y[i] = e^(x[i] − shift)} for {@code n ≥ L} elements and returns their sum, added
     * left to right when {@code n < FOLD_MIN_LENGTH}, otherwise lane-wise over the vectors and then
     * folded with {@link #FOLDS}. {@code y} may be {@code x} itself (same array and offset).
     *
     * <p>Each exponential is within 1.02 ulp of the exact value for arguments in {@code [EXP_LOWEST, 0]}
     * (the worst case over every float of that range), 0 below {@code EXP_LOWEST} (where the true value
     * is subnormal or 0) and NaN for NaN; the argument must not exceed 0 (a softmax subtracts the row
     * maximum). Cody–Waite reduction {@code x = n·ln 2 + r} with {@code |r| ≤ ln2/2}, the Cephes
     * degree-7 polynomial in {@code r}, and {@code 2^n} assembled in the exponent bits.
     *
     * <p>The last {@code n mod L} elements are covered by a vector ending at element {@code n − 1},
     * which overlaps the previous one. Its overlapping lanes are taken from {@code y} as already written
     * (in place they no longer hold inputs) and left out of the sum.
     */
    static float expShifted(int n, float[] x, int xOff, float[] y, int yOff, float shift) {
        FloatVector iota = FloatVector.zero(F).addIndex(1);
        FloatVector acc = FloatVector.zero(F);
        for (int c = 0; c < n; c += F.length()) {
            int at = Math.min(c, n - F.length());
            VectorMask<Float> fresh = iota.compare(VectorOperators.GE, (float) (c - at));
            FloatVector arg = FloatVector.fromArray(F, x, xOff + at).sub(shift);
            VectorMask<Float> under = arg.compare(VectorOperators.LT, EXP_LOWEST);
            arg = arg.blend(EXP_LOWEST, under);
            FloatVector t = arg.fma(LOG2E, ROUNDER);
            FloatVector k = t.sub(ROUNDER);
            FloatVector r = k.fma(FloatVector.broadcast(F, -LN2_HI), arg);
            r = k.fma(FloatVector.broadcast(F, -LN2_LO), r);
            FloatVector p = r.fma(P0, P1);
            p = p.fma(r, FloatVector.broadcast(F, P2));
            p = p.fma(r, FloatVector.broadcast(F, P3));
            p = p.fma(r, FloatVector.broadcast(F, P4));
            p = p.fma(r, FloatVector.broadcast(F, P5));
            FloatVector poly = p.fma(r.mul(r), r).add(1f);
            FloatVector scale = t.reinterpretAsInts()
                    .sub(ROUNDER_BITS_MINUS_BIAS)
                    .lanewise(VectorOperators.LSHL, 23)
                    .reinterpretAsFloats();
            FloatVector e = poly.mul(scale).blend(0f, under);
            FloatVector.fromArray(F, y, yOff + at).blend(e, fresh).intoArray(y, yOff + at);
            acc = acc.add(FloatVector.zero(F).blend(e, fresh));
        }
        if (n < FOLD_MIN_LENGTH) {
            float sum = 0f;
            for (int i = 0; i < n; i++) {
                sum += y[yOff + i];
            }
            return sum;
        }
        for (VectorShuffle<Float> fold : FOLDS) {
            acc = acc.add(acc.rearrange(fold));
        }
        return acc.lane(0);
    }

    /**
     * The scalar twin of {@link #expShifted}'s lanes: the same operations in the same order, hence the
     * same bits, for rows shorter than a vector.
     */
    static float exp(float x) {
        boolean under = x < EXP_LOWEST;
        float arg = under ? EXP_LOWEST : x;
        float t = Math.fma(arg, LOG2E, ROUNDER);
        float k = t - ROUNDER;
        float r = Math.fma(k, -LN2_HI, arg);
        r = Math.fma(k, -LN2_LO, r);
        float p = Math.fma(r, P0, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        float poly = Math.fma(p, r * r, r) + 1f;
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(t) - ROUNDER_BITS_MINUS_BIAS) << 23);
        return under ? 0f : poly * scale;
    }
}
