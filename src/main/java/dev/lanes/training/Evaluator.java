package dev.lanes.training;

import dev.lanes.data.Dataset;
import dev.lanes.kernels.Kernels;
import dev.lanes.kernels.KernelsProvider;
import dev.lanes.network.Network;
import dev.lanes.network.Workspace;
import java.util.concurrent.atomic.AtomicInteger;

/** Measures accuracy, loss and the confusion matrix of a network on labelled data. */
public final class Evaluator {

    private Evaluator() {
    }

    /**
     * Evaluates on {@code threads} threads, with the kernels {@link KernelsProvider#forWork} gives a
     * forward pass over the data (the results do not depend on which).
     *
     * @param net     the network
     * @param data    labelled images with {@code net.inputs()} pixels, labels below {@code net.classes()}
     * @param threads worker threads, ≥ 1
     * @return the evaluation
     */
    public static Evaluation evaluate(Network net, Dataset data, int threads) {
        return evaluate(net, data, threads, KernelsProvider.forWork(net.forwardFlops(data.size())));
    }

    /**
     * Evaluates on {@code threads} threads with the given kernels: those a trainer has been using, say,
     * which are compiled already.
     *
     * @param net     the network
     * @param data    labelled images with {@code net.inputs()} pixels, labels below {@code net.classes()}
     * @param threads worker threads, ≥ 1
     * @param k       the kernels
     * @return the evaluation
     */
    public static Evaluation evaluate(Network net, Dataset data, int threads, Kernels k) {
        try (WorkerPool pool = new WorkerPool(threads)) {
            Workspace[] ws = new Workspace[threads];
            for (int i = 0; i < threads; i++) {
                ws[i] = new Workspace(net, 256);
            }
            return evaluate(net, data, k, pool, ws);
        }
    }

    static Evaluation evaluate(Network net, Dataset data, Kernels k, WorkerPool pool, Workspace[] ws) {
        int n = data.size();
        int classes = net.classes();
        int features = net.inputs();
        int block = ws[0].capacity();
        int blocks = (n + block - 1) / block;
        double[] blockLoss = new double[blocks];
        long[][][] confusion = new long[pool.size()][classes][classes];
        AtomicInteger next = new AtomicInteger();
        byte[] pixels = data.pixels();
        int[] labels = data.labels();
        pool.run(worker -> {
            Workspace w = ws[worker];
            long[][] conf = confusion[worker];
            for (int b = next.getAndIncrement(); b < blocks; b = next.getAndIncrement()) {
                int first = b * block;
                int rows = Math.min(block, n - first);
                k.bytesToFloats(rows * features, pixels, first * features, w.input(), 0);
                System.arraycopy(labels, first, w.labels(), 0, rows);
                net.forward(k, w, rows);
                int[] predicted = w.predictions();
                for (int r = 0; r < rows; r++) {
                    conf[labels[first + r]][predicted[r]]++;
                }
                blockLoss[b] = net.loss(k, w, rows);
            }
        });
        long[][] total = new long[classes][classes];
        for (long[][] c : confusion) {
            for (int i = 0; i < classes; i++) {
                for (int j = 0; j < classes; j++) {
                    total[i][j] += c[i][j];
                }
            }
        }
        double loss = 0;
        for (double l : blockLoss) {
            loss += l;
        }
        long correct = 0;
        for (int i = 0; i < classes; i++) {
            correct += total[i][i];
        }
        return new Evaluation(n, n == 0 ? Double.NaN : (double) correct / n, n == 0 ? Double.NaN : loss / n, total);
    }
}
