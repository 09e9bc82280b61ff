package dev.lanes.spark;

import dev.lanes.data.Dataset;
import java.io.Serializable;

/**
 * The training images of one partition, in ascending order of their index in the whole training set,
 * or the first defect found among them. Built once per partition and cached, so that every round
 * trains on exactly the same bytes wherever the task runs.
 */
final class Shard implements Serializable {

    private static final long serialVersionUID = 1L;

    final int partition;
    final String source;
    final byte[] pixels;
    final int[] labels;
    final int size;
    final int imageRows;
    final int imageCols;
    /** The defect of the lowest-indexed bad record of this partition, or {@code null}. */
    final String error;
    /** The index in the training set of the record {@link #error} is about. */
    final long errorIndex;

    Shard(int partition, String source, byte[] pixels, int[] labels, int size, int imageRows, int imageCols,
          String error, long errorIndex) {
        this.partition = partition;
        this.source = source;
        this.pixels = pixels;
        this.labels = labels;
        this.size = size;
        this.imageRows = imageRows;
        this.imageCols = imageCols;
        this.error = error;
        this.errorIndex = errorIndex;
    }

    static Shard failed(int partition, String source, int imageRows, int imageCols, String error, long index) {
        return new Shard(partition, source, new byte[0], new int[0], 0, imageRows, imageCols, error, index);
    }

    /** @return the images as a Lanes data set (sharing the arrays) */
    Dataset dataset() {
        return new Dataset(source + " (partition " + partition + ")", pixels, labels, size, imageRows, imageCols);
    }

    int classCount() {
        int max = -1;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        return max + 1;
    }

    /** What the driver needs to check a partition, without its pixels. */
    Summary summary() {
        return new Summary(partition, size, classCount(), error, errorIndex);
    }

    /** A partition's size, class count and first defect. */
    record Summary(int partition, int size, int classCount, String error, long errorIndex) implements Serializable {
        private static final long serialVersionUID = 1L;
    }
}
