package dev.lanes.kernels.vector;

import static dev.lanes.kernels.Numerics.EXP_LOWEST;
import static dev.lanes.kernels.Numerics.LN2_HI;
import static dev.lanes.kernels.Numerics.LN2_LO;
import static dev.lanes.kernels.Numerics.LOG2E;
import static dev.lanes.kernels.Numerics.P0;
import static dev.lanes.kernels.Numerics.P1;
import static dev.lanes.kernels.Numerics.P2;
import static dev.lanes.kernels.Numerics.P3;
import static dev.lanes.kernels.Numerics.P4;
import static dev.lanes.kernels.Numerics.P5;
import static dev.lanes.kernels.Numerics.PARTIALS;
import static dev.lanes.kernels.Numerics.ROUNDER;
import static dev.lanes.kernels.Numerics.ROUNDER_BITS_MINUS_BIAS;

import dev.lanes.kernels.Numerics;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Deterministic building blocks for the vector softmax kernels: the lanes' version of
 * {@link Numerics#exp} and of {@link Numerics#sum}, and the shuffles of a fixed-order cross-lane fold.
 *
 * <p>The Vector API's own {@code EXP} and {@code reduceLanes(ADD)} give different bits once C2 has
 * compiled them (another math library, another summation order), which would make training depend on
 * JIT timing and on the vector width. Everything here is a fixed sequence of correctly rounded IEEE
 * operations that reproduces the scalar contract in {@link Numerics} exactly, at any lane count, so the
 * bits are the same interpreted, compiled, on any JDK and on any CPU.
 */
final class VectorMath {

    private static final VectorSpecies<Float> F = VectorKernels.F;
    private static final int L = F.length();

    /**
     * The lane shuffles of a fixed-order fold: step {@code s} moves lane {@code i + L/2^(s+1)} onto lane
     * {@code i}, so adding (or taking the max of) a vector and its shuffle for every step folds the upper
     * half of the live lanes onto the lower half, then the upper quarter, and so on: a fixed binary tree
     * whose root ends in lane 0. Kernels write the loop inline ({@code for (fold : FOLDS) v = v.add(
     * v.rearrange(fold))}) rather than calling a helper, because a vector passed to a method that C2
     * declines to inline is boxed on the heap.
     */
    static final VectorShuffle<Float>[] FOLDS = folds();

    /**
     * {@code 0, 1, …, L−1}: the lane numbers, loaded as {@code FloatVector.fromArray(F, LANE_NUMBERS, 0)}
     * to mark the lanes of an overlapping last vector. {@code FloatVector.zero(F).addIndex(1)} computes
     * the same, but JDK 17's C2 left {@code addIndex} unintrinsified in some compilations of its callers,
     * which then allocated on every call: training 49-24-16-10 on two threads allocated 256 bytes a step
     * in 5 of 9 JVMs, all of it in the cross-entropy's exponentials (none of 8 JVMs since).
     */
    static final float[] LANE_NUMBERS = laneNumbers();

    private VectorMath() {
    }

    private static float[] laneNumbers() {
        float[] lanes = new float[L];
        for (int i = 0; i < L; i++) {
            lanes[i] = i;
        }
        return lanes;
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] folds() {
        VectorShuffle<Float>[] folds = (VectorShuffle<Float>[]) new VectorShuffle<?>[Integer.numberOfTrailingZeros(L)];
        for (int s = 0; s < folds.length; s++) {
            int distance = L >> (s + 1);
            folds[s] = VectorShuffle.fromOp(F, i -> (i + distance) & (L - 1));
        }
        return folds;
    }

    /**
     * Writes {@code y[i] = Numerics.exp(x[i] − shift)} for {@code n ≥ L} elements and returns their sum
     * in the order of {@link Numerics#sum}. {@code y} may be {@code x} itself (same array and offset).
     *
     * <p>Each exponential is within 1.02 ulp of the exact value for arguments in {@code [EXP_LOWEST, 0]}
     * (the worst case over every float of that range), 0 below {@code EXP_LOWEST} (where the true value
     * is subnormal or 0) and NaN for NaN; the argument must not exceed 0 (a softmax subtracts the row
     * maximum).
     *
     * <p>The last {@code n mod L} elements are covered by a vector ending at element {@code n − 1},
     * which overlaps the previous one. Its overlapping lanes are taken from {@code y} as already written
     * (in place they no longer hold inputs).
     */
    static float expShifted(int n, float[] x, int xOff, float[] y, int yOff, float shift) {
        exp(n, x, xOff, y, yOff, shift);
        return sum(n, y, yOff);
    }

    /** As {@link #expShifted}, without the sum: for callers that add the exponentials in another grouping. */
    static void exp(int n, float[] x, int xOff, float[] y, int yOff, float shift) {
        FloatVector iota = FloatVector.fromArray(F, LANE_NUMBERS, 0);
        for (int c = 0; c < n; c += L) {
            int at = Math.min(c, n - L);
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
        }
    }

    /**
     * {@link Numerics#sum} with vectors: the 16 partial sums are {@code 16/L} vectors, folded onto one
     * (partial {@code j} with {@code j+8} first, then {@code j+4} if there are four vectors), then folded
     * across lanes with {@link #FOLDS}; the tail is added in scalar code. Widths that do not divide 16
     * use the scalar definition itself.
     */
    static float sum(int n, float[] y, int off) {
        int blocks = n - n % PARTIALS;
        if (blocks == 0 || L > PARTIALS || L < 4) {
            return Numerics.sum(y, off, n);
        }
        FloatVector v;
        if (L == 16) {
            v = FloatVector.zero(F);
            for (int i = off; i < off + blocks; i += 16) {
                v = v.add(FloatVector.fromArray(F, y, i));
            }
        } else if (L == 8) {
            FloatVector a = FloatVector.zero(F);
            FloatVector b = FloatVector.zero(F);
            for (int i = off; i < off + blocks; i += 16) {
                a = a.add(FloatVector.fromArray(F, y, i));
                b = b.add(FloatVector.fromArray(F, y, i + 8));
            }
            v = a.add(b);
        } else {
            FloatVector a = FloatVector.zero(F);
            FloatVector b = FloatVector.zero(F);
            FloatVector c = FloatVector.zero(F);
            FloatVector d = FloatVector.zero(F);
            for (int i = off; i < off + blocks; i += 16) {
                a = a.add(FloatVector.fromArray(F, y, i));
                b = b.add(FloatVector.fromArray(F, y, i + 4));
                c = c.add(FloatVector.fromArray(F, y, i + 8));
                d = d.add(FloatVector.fromArray(F, y, i + 12));
            }
            // Partial j with j+8 (a with c, b with d), then j with j+4.
            v = a.add(c).add(b.add(d));
        }
        for (VectorShuffle<Float> fold : FOLDS) {
            v = v.add(v.rearrange(fold));
        }
        float total = v.lane(0);
        for (int i = off + blocks; i < off + n; i++) {
            total += y[i];
        }
        return total;
    }
}
