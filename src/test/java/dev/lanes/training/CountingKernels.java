package dev.lanes.training;

import dev.lanes.kernels.Kernels;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Kernels that pass every call to others and count, per kernel, the calls and the bytes the calling
 * thread allocated during them (HotSpot's per-thread counter, read just before and just after the
 * call, so the counting itself is not counted). For checking that compiled kernels allocate nothing.
 */
final class CountingKernels implements Kernels {

    /** The kernels counted, in the order of their indices. */
    static final String[] NAMES = {"matmul", "matmulTransB", "matmulTransA", "addBiasRelu", "addBias",
        "reluBackward", "softmax", "softmaxCrossEntropy", "columnSums", "add", "sgd", "momentum", "adam",
        "bytesToFloats", "argmaxRows"};

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final Kernels inner;
    private final AtomicLongArray calls = new AtomicLongArray(NAMES.length);
    private final AtomicLongArray bytes = new AtomicLongArray(NAMES.length);

    CountingKernels(Kernels inner) {
        this.inner = inner;
    }

    /** @return the calls of kernel {@code i} since the last {@link #reset} */
    long calls(int i) {
        return calls.get(i);
    }

    /** @return the bytes allocated in calls of kernel {@code i} since the last {@link #reset} */
    long bytes(int i) {
        return bytes.get(i);
    }

    void reset() {
        for (int i = 0; i < NAMES.length; i++) {
            calls.set(i, 0);
            bytes.set(i, 0);
        }
    }

    private static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    private void count(int kernel, long before) {
        long after = allocated();
        calls.incrementAndGet(kernel);
        bytes.addAndGet(kernel, after - before);
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public String description() {
        return "counting " + inner.description();
    }

    @Override
    public void matmul(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        long before = allocated();
        inner.matmul(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        count(0, before);
    }

    @Override
    public void matmulTransB(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        long before = allocated();
        inner.matmulTransB(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        count(1, before);
    }

    @Override
    public void matmulTransA(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        long before = allocated();
        inner.matmulTransA(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        count(2, before);
    }

    @Override
    public void addBiasRelu(int rows, int cols, float[] x, int xOff, int ldx, float[] bias, int biasOff) {
        long before = allocated();
        inner.addBiasRelu(rows, cols, x, xOff, ldx, bias, biasOff);
        count(3, before);
    }

    @Override
    public void addBias(int rows, int cols, float[] x, int xOff, int ldx, float[] bias, int biasOff) {
        long before = allocated();
        inner.addBias(rows, cols, x, xOff, ldx, bias, biasOff);
        count(4, before);
    }

    @Override
    public void reluBackward(int rows, int cols, float[] grad, int gradOff, int ldg, float[] act, int actOff, int lda) {
        long before = allocated();
        inner.reluBackward(rows, cols, grad, gradOff, ldg, act, actOff, lda);
        count(5, before);
    }

    @Override
    public void softmax(int rows, int cols, float[] x, int xOff, int ldx) {
        long before = allocated();
        inner.softmax(rows, cols, x, xOff, ldx);
        count(6, before);
    }

    @Override
    public double softmaxCrossEntropy(int rows, int cols, float[] logits, int logitsOff, int ldl, int[] labels, int labelsOff, float[] grad, int gradOff, int ldg, float scale) {
        long before = allocated();
        double r = inner.softmaxCrossEntropy(rows, cols, logits, logitsOff, ldl, labels, labelsOff, grad, gradOff, ldg, scale);
        count(7, before);
        return r;
    }

    @Override
    public void columnSums(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff, boolean accumulate) {
        long before = allocated();
        inner.columnSums(rows, cols, x, xOff, ldx, out, outOff, accumulate);
        count(8, before);
    }

    @Override
    public void add(int n, float[] src, int srcOff, float[] dst, int dstOff) {
        long before = allocated();
        inner.add(n, src, srcOff, dst, dstOff);
        count(9, before);
    }

    @Override
    public void sgd(int n, float[] w, int wOff, float[] g, int gOff, float lr, float weightDecay) {
        long before = allocated();
        inner.sgd(n, w, wOff, g, gOff, lr, weightDecay);
        count(10, before);
    }

    @Override
    public void momentum(int n, float[] w, int wOff, float[] g, int gOff, float[] v, int vOff, float lr, float mu, float weightDecay, boolean nesterov) {
        long before = allocated();
        inner.momentum(n, w, wOff, g, gOff, v, vOff, lr, mu, weightDecay, nesterov);
        count(11, before);
    }

    @Override
    public void adam(int n, float[] w, int wOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff, float lr, float beta1, float beta2, float eps, float weightDecay, float bc1, float bc2) {
        long before = allocated();
        inner.adam(n, w, wOff, g, gOff, m, mOff, v, vOff, lr, beta1, beta2, eps, weightDecay, bc1, bc2);
        count(12, before);
    }

    @Override
    public void bytesToFloats(int n, byte[] src, int srcOff, float[] dst, int dstOff) {
        long before = allocated();
        inner.bytesToFloats(n, src, srcOff, dst, dstOff);
        count(13, before);
    }

    @Override
    public void argmaxRows(int rows, int cols, float[] x, int xOff, int ldx, int[] out, int outOff) {
        long before = allocated();
        inner.argmaxRows(rows, cols, x, xOff, ldx, out, outOff);
        count(14, before);
    }
}
