package dev.lanes.spark;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import dev.lanes.data.IdxDirectory;
import dev.lanes.data.TrainTest;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Test data: a small learnable synthetic task and the repository's bundled MNIST. */
public final class Data {

    private static TrainTest mnist;

    private Data() {
    }

    /** Three classes, each a bright band in its own third of an 8×8 image, with noise. */
    public static Dataset blobs(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] px = new byte[n * 64];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(3);
            for (int p = 0; p < 64; p++) {
                int col = p % 8;
                boolean lit = col / 3 == y[i] || (y[i] == 2 && col == 7);
                px[i * 64 + p] = (byte) (lit ? 120 + rng.nextInt(136) : rng.nextInt(140));
            }
        }
        return new Dataset("blobs", px, y, n, 8, 8);
    }

    /** The MNIST files shipped in the repository's data/mnist (the build passes where). */
    public static synchronized TrainTest mnist() throws InputException {
        if (mnist == null) {
            mnist = IdxDirectory.load(Path.of(System.getProperty("lanes.mnist", "../data/mnist")));
        }
        return mnist;
    }
}
