package dev.lanes.training;

import dev.lanes.data.Dataset;
import dev.lanes.kernels.KernelsProvider;
import dev.lanes.network.Init;
import dev.lanes.network.Network;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Trains a network on random data through {@link CountingKernels} until every kernel has gone a whole
 * epoch without allocating, and says which kernels never did within the time allowed. A main class,
 * so that {@link KernelCallsAllocationTest} can run it in fresh JVMs: whether C2 leaves a Vector API
 * operation to its allocating Java fallback depends on how a compilation went, which differs from JVM
 * to JVM.
 *
 * <p>Arguments: layer sizes ({@code 49-24-16-10}), batch, threads, optimizer ({@code sgd} or
 * {@code adam}), seconds allowed. Exit status 0 when every kernel called reached zero bytes a call,
 * 1 otherwise, with one line per kernel that did not.
 */
public final class KernelCallsAllocationCheck {

    private KernelCallsAllocationCheck() {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = Arrays.stream(args[0].split("-")).mapToInt(Integer::parseInt).toArray();
        int batch = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        Optimizer optimizer = args[3].equals("adam") ? new Optimizer.Adam() : new Optimizer.Sgd();
        long deadline = System.nanoTime() + (long) (Double.parseDouble(args[4]) * 1e9);
        // Twenty steps an epoch, the last one partial, so that every shape a step uses recurs.
        int n = 20 * batch - batch / 2;
        SplittableRandom rnd = new SplittableRandom(7);
        byte[] pixels = new byte[n * sizes[0]];
        int[] labels = new int[n];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) rnd.nextInt(256);
        }
        int classes = sizes[sizes.length - 1];
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextInt(classes);
        }
        Dataset data = new Dataset("random", pixels, labels, n, sizes[0], 1);
        CountingKernels k = new CountingKernels(KernelsProvider.vector().orElseThrow());
        TrainingConfig config = TrainingConfig.builder().batchSize(batch).learningRate(0.001f).optimizer(optimizer)
                .threads(threads).build();
        double[] best = new double[CountingKernels.NAMES.length];
        Arrays.fill(best, Double.MAX_VALUE);
        boolean[] called = new boolean[best.length];
        int epochs = 0;
        try (Trainer trainer = new Trainer(Network.create(sizes, Init.HE, 3), config, k)) {
            boolean clean = false;
            while (!clean && System.nanoTime() < deadline) {
                k.reset();
                trainer.trainEpoch(data, null);
                epochs++;
                clean = true;
                for (int i = 0; i < best.length; i++) {
                    if (k.calls(i) > 0) {
                        called[i] = true;
                        best[i] = Math.min(best[i], k.bytes(i) / (double) k.calls(i));
                    }
                    clean &= !called[i] || best[i] < 1;
                }
            }
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < best.length; i++) {
                if (called[i] && best[i] >= 1) {
                    out.append(String.format("%s: %.1f bytes a call at best%n", CountingKernels.NAMES[i], best[i]));
                }
            }
            System.out.print(out);
            System.out.printf("%s, batch %d, %d thread(s): %d epochs%n", args[0], batch, threads, epochs);
            System.exit(clean ? 0 : 1);
        }
    }
}
