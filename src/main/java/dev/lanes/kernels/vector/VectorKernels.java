package dev.lanes.kernels.vector;

import dev.lanes.kernels.Kernels;
import dev.lanes.kernels.KernelsProvider;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernels. Loaded by name from {@link dev.lanes.kernels.KernelsProvider} only when the
 * {@code jdk.incubator.vector} module is present; nothing else in Lanes refers to this package.
 * Matrix multiplies live in {@link VectorGemm}; softmax, cross-entropy and argmax in {@link VectorSoftmax};
 * bias, ReLU, sums and pixel conversion in {@link VectorElementwise}; optimizer updates in
 * {@link VectorOptimizers}.
 *
 * <p>Every kernel gives the same bits on every call whatever the JIT has compiled (see
 * {@link VectorMath}), and every kernel is bitwise equal to {@link dev.lanes.kernels.ScalarKernels} at
 * any vector width: the softmax kernels reproduce {@link dev.lanes.kernels.Numerics}' {@code exp} and
 * summation order lane by lane.
 */
public final class VectorKernels implements Kernels {

    /** The species of every kernel: the CPU's widest, or the width {@code -Dlanes.vectorBits} asks for. */
    static final VectorSpecies<Float> F = species(KernelsProvider.requestedVectorBits());

    private static VectorSpecies<Float> species(int bits) {
        return bits == 0 ? FloatVector.SPECIES_PREFERRED : FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(bits));
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public String description() {
        String emulated = F.vectorBitSize() > FloatVector.SPECIES_PREFERRED.vectorBitSize()
                ? ", wider than this CPU's " + FloatVector.SPECIES_PREFERRED.vectorBitSize() + " bits: Java fallback, slow"
                : "";
        return "vector (" + F.vectorBitSize() + "-bit, " + F.length() + " float lanes" + emulated + ")";
    }

    @Override
    public void matmul(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc, boolean accumulate) {
        VectorGemm.matmul(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    @Override
    public void matmulTransB(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        VectorGemm.matmulTransB(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    @Override
    public void matmulTransA(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        VectorGemm.matmulTransA(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    @Override
    public void addBiasRelu(int rows, int cols, float[] x, int xOff, int ldx, float[] bias, int biasOff) {
        VectorElementwise.addBiasRelu(rows, cols, x, xOff, ldx, bias, biasOff);
    }

    @Override
    public void addBias(int rows, int cols, float[] x, int xOff, int ldx, float[] bias, int biasOff) {
        VectorElementwise.addBias(rows, cols, x, xOff, ldx, bias, biasOff);
    }

    @Override
    public void reluBackward(int rows, int cols, float[] grad, int gradOff, int ldg, float[] act, int actOff, int lda) {
        VectorElementwise.reluBackward(rows, cols, grad, gradOff, ldg, act, actOff, lda);
    }

    @Override
    public void softmax(int rows, int cols, float[] x, int xOff, int ldx) {
        VectorSoftmax.softmax(rows, cols, x, xOff, ldx);
    }

    @Override
    public double softmaxCrossEntropy(int rows, int cols, float[] logits, int logitsOff, int ldl, int[] labels,
                                      int labelsOff, float[] grad, int gradOff, int ldg, float scale) {
        return VectorSoftmax.softmaxCrossEntropy(rows, cols, logits, logitsOff, ldl, labels, labelsOff, grad, gradOff, ldg, scale);
    }

    @Override
    public void columnSums(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff, boolean accumulate) {
        VectorElementwise.columnSums(rows, cols, x, xOff, ldx, out, outOff, accumulate);
    }

    @Override
    public void add(int n, float[] src, int srcOff, float[] dst, int dstOff) {
        VectorElementwise.add(n, src, srcOff, dst, dstOff);
    }

    @Override
    public void sgd(int n, float[] w, int wOff, float[] g, int gOff, float lr, float weightDecay) {
        VectorOptimizers.sgd(n, w, wOff, g, gOff, lr, weightDecay);
    }

    @Override
    public void momentum(int n, float[] w, int wOff, float[] g, int gOff, float[] v, int vOff, float lr, float mu,
                         float weightDecay, boolean nesterov) {
        VectorOptimizers.momentum(n, w, wOff, g, gOff, v, vOff, lr, mu, weightDecay, nesterov);
    }

    @Override
    public void adam(int n, float[] w, int wOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff,
                     float lr, float beta1, float beta2, float eps, float weightDecay, float bc1, float bc2) {
        VectorOptimizers.adam(n, w, wOff, g, gOff, m, mOff, v, vOff, lr, beta1, beta2, eps, weightDecay, bc1, bc2);
    }

    @Override
    public void bytesToFloats(int n, byte[] src, int srcOff, float[] dst, int dstOff) {
        VectorElementwise.bytesToFloats(n, src, srcOff, dst, dstOff);
    }

    @Override
    public void argmaxRows(int rows, int cols, float[] x, int xOff, int ldx, int[] out, int outOff) {
        VectorSoftmax.argmaxRows(rows, cols, x, xOff, ldx, out, outOff);
    }
}
