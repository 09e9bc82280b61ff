package dev.lanes.training;

import dev.lanes.InputException;
import dev.lanes.data.Dataset;
import dev.lanes.kernels.Kernels;
import dev.lanes.model.ModelFile;
import dev.lanes.network.Init;
import dev.lanes.network.Network;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One training run that survives its process: after every epoch the model file is replaced,
 * atomically ({@link ModelFile#write}), by the network and a {@link RunRecord} holding the trainer's
 * exact state, so that an interrupted run can be {@linkplain #resume resumed} and ends with the same
 * bytes as one that was never interrupted. A run also keeps the per-epoch {@link MetricsLog} if asked,
 * and with a validation set it tracks the best epoch ({@link EarlyStopping}), stops early after a
 * patience, and can keep the best epoch in the model file instead of the last.
 *
 * <p>A run starts {@linkplain #fresh fresh} (new weights), {@linkplain #from from} a saved model's
 * weights with a fresh optimizer, or {@linkplain #resume resumes} a {@link Checkpoint}. Then
 * {@link #train} trains to {@link TrainingConfig#epochs()}. {@link #stop()} may be called from any
 * thread (a shutdown hook, say): once it returns, the run writes nothing more.
 *
 * <pre>{@code
 * TrainingRun.Options options = new TrainingRun.Options(Path.of("m.lanes"), null, 0, false);
 * try (TrainingRun run = TrainingRun.fresh(TrainingRun.layerSizes(784, new int[] {64}, 10), Init.HE, 1,
 *         config, options, kernels)) {
 *     run.train(train, null, null, Map.of(), null);
 * }
 * }</pre>
 */
public final class TrainingRun implements AutoCloseable {

    /**
     * Where and how a run saves.
     *
     * @param model    the model file, replaced after every epoch (with {@code keepBest}, after every new best epoch)
     * @param metrics  the metrics file, replaced after every epoch, or {@code null} for none
     * @param patience with a validation set, stop after this many epochs without a lower validation
     *                 loss; 0 never stops early
     * @param keepBest with a validation set, save only epochs with a new lowest validation loss, so
     *                 that the model file ends with the best epoch rather than the last
     */
    public record Options(Path model, Path metrics, int patience, boolean keepBest) {
        /** Checks the values. */
        public Options {
            Objects.requireNonNull(model, "model");
            if (patience < 0) {
                throw new IllegalArgumentException("patience must be ≥ 0, got " + patience);
            }
        }
    }

    /** Hears about a run as it goes; every method has a default that does nothing. */
    public interface Listener {
        /**
         * As {@link TrainingListener#onProgress(int, int, int, double)}.
         *
         * @param epoch    the epoch, from 1
         * @param batches  batches done in this epoch
         * @param total    batches in this epoch
         * @param meanLoss mean training loss of the epoch so far
         */
        default void onProgress(int epoch, int batches, int total, double meanLoss) {
        }

        /**
         * Called after each epoch has been saved, while {@link #stop()} waits, so that nothing reported
         * here is contradicted by a stop.
         *
         * @param stats the epoch's figures
         * @param best  whether it has the lowest validation loss so far (never without a validation set)
         */
        default void onEpoch(EpochStats stats, boolean best) {
        }
    }

    /**
     * A checkpoint that cannot continue as asked: a setting or the data changed, or the run is over.
     * {@link #problem()} says what, without the file name that the message starts with.
     */
    public static final class RefusedException extends InputException {
        private static final long serialVersionUID = 1L;
        private final String problem;
        private final transient TrainingState.Difference difference;

        RefusedException(Path model, String problem, TrainingState.Difference difference) {
            super(model + ": " + problem);
            this.problem = problem;
            this.difference = difference;
        }

        /** @return what is wrong, e.g. {@code "the run already finished 3 epochs; raise --epochs to train further"} */
        public String problem() {
            return problem;
        }

        /** @return the changed training setting, for a caller to name it its own way, or {@code null} if another thing differs */
        public TrainingState.Difference difference() {
            return difference;
        }
    }

    /**
     * What a model file written by a run holds to continue it.
     *
     * @param model   the file it was read from
     * @param network the network of the last saved epoch
     * @param record  the run's settings and progress
     * @param state   the trainer's state
     */
    public record Checkpoint(Path model, Network network, RunRecord record, TrainingState state) {

        /**
         * @param model a model file written by a run
         * @return its checkpoint
         * @throws InputException naming the file if it cannot be read or holds no run's state
         */
        public static Checkpoint read(Path model) throws InputException {
            ModelFile.Model saved = ModelFile.read(model);
            byte[] state = saved.trainingState();
            if (state == null) {
                throw new InputException(model + ": holds no training state to resume (it was not written by an interrupted train)");
            }
            if (!RunRecord.isRecord(state)) {
                throw new InputException(model + ": its training state has no record of the run's settings and data"
                        + " (it was written by a program, not by lanes train), so --resume cannot check that it continues the same run");
            }
            RunRecord record;
            try {
                record = RunRecord.decode(state);
            } catch (IllegalArgumentException e) {
                throw new InputException(model + ": " + e.getMessage());
            }
            try {
                return new Checkpoint(model, saved.network(), record, TrainingState.decode(record.trainerState()));
            } catch (IllegalArgumentException e) {
                throw new RefusedException(model, e.getMessage(), null);
            }
        }

        /**
         * Refuses a continuation that would not be the run that was interrupted.
         *
         * @param settings  the new run's settings, in the terms the record uses ({@link #train})
         * @param mayDiffer settings that may change, such as the number of epochs
         * @param config    the new run's training settings
         * @throws RefusedException naming the first difference
         */
        public void requireSameRun(Map<String, String> settings, Set<String> mayDiffer, TrainingConfig config)
                throws RefusedException {
            String diff = record.difference(settings, mayDiffer);
            if (diff != null) {
                throw new RefusedException(model, diff, null);
            }
            TrainingState.Difference changed = state.difference(config);
            if (changed != null) {
                throw new RefusedException(model, changed.message(), changed);
            }
        }
    }

    private final Trainer trainer;
    private final Options options;
    private final List<EpochStats> history = new ArrayList<>();
    private final int restoredBestEpoch;
    private final double restoredBestLoss;
    private EarlyStopping early;
    private Network best;
    private boolean stopped;
    private int savedEpoch;
    private int lastEpoch;

    private TrainingRun(Trainer trainer, Options options, int bestEpoch, double bestLoss) {
        this.trainer = trainer;
        this.options = options;
        this.restoredBestEpoch = bestEpoch;
        this.restoredBestLoss = bestLoss;
        this.savedEpoch = trainer.epochsDone();
        this.lastEpoch = trainer.epochsDone();
    }

    /**
     * The layer widths of a classifier: the data's inputs, the hidden layers, the classes.
     *
     * @param inputs  values per sample (pixels per image)
     * @param hidden  hidden layer widths, in order
     * @param classes the number of classes
     * @return {@code inputs, hidden..., classes}
     */
    public static int[] layerSizes(int inputs, int[] hidden, int classes) {
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = inputs;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = classes;
        return sizes;
    }

    /**
     * A new run on new weights.
     *
     * @param sizes   layer widths ({@link #layerSizes})
     * @param init    the initial weights' distribution
     * @param seed    seeds the initial weights
     * @param config  the training settings
     * @param options where and how to save
     * @param kernels the kernels to run on
     * @return the run, before its first epoch
     */
    public static TrainingRun fresh(int[] sizes, Init init, long seed, TrainingConfig config, Options options,
                                    Kernels kernels) {
        return from(Network.create(sizes, init, seed), config, options, kernels);
    }

    /**
     * A new run from given weights (a saved model's, from {@link ModelFile#read}) with a fresh
     * optimizer; the network is trained in place.
     *
     * @param network the starting weights
     * @param config  the training settings
     * @param options where and how to save
     * @param kernels the kernels to run on
     * @return the run, before its first epoch
     */
    public static TrainingRun from(Network network, TrainingConfig config, Options options, Kernels kernels) {
        return new TrainingRun(new Trainer(network, config, kernels), options, 0, Double.NaN);
    }

    /**
     * Continues an interrupted run where its checkpoint left off: the trainer's state, the best epoch
     * so far and (when {@code options} name the same metrics file) the earlier epochs' metrics.
     * {@link Checkpoint#requireSameRun} checks beforehand that the settings and data are the same.
     *
     * @param checkpoint the interrupted run
     * @param config     its training settings, with as many or more epochs
     * @param options    where and how to save; {@code model} is normally the checkpoint's own file
     * @param kernels    the kernels to run on
     * @return the run, after its last saved epoch
     * @throws RefusedException if a training setting differs, or the run already finished or stopped early
     * @throws InputException   if the checkpoint's progress or the metrics file is malformed
     */
    public static TrainingRun resume(Checkpoint checkpoint, TrainingConfig config, Options options, Kernels kernels)
            throws InputException {
        Path model = checkpoint.model();
        Trainer trainer;
        try {
            trainer = Trainer.resume(checkpoint.network(), config, checkpoint.state(), kernels);
        } catch (IllegalArgumentException e) {
            TrainingState.Difference changed = checkpoint.state().difference(config);
            throw new RefusedException(model, e.getMessage(), changed);
        }
        int done = trainer.epochsDone();
        if (done >= config.epochs()) {
            trainer.close();
            throw new RefusedException(model, "the run already finished "
                    + String.format(Locale.ROOT, "%,d epoch%s", done, done == 1 ? "" : "s")
                    + "; raise --epochs to train further", null);
        }
        Map<String, String> p = checkpoint.record().progress();
        int bestEpoch = 0;
        double bestLoss = Double.NaN;
        if (p.containsKey("best_epoch")) {
            try {
                bestEpoch = Integer.parseInt(p.get("best_epoch"));
                bestLoss = Double.parseDouble(p.get("best_validation_loss"));
            } catch (RuntimeException e) {
                trainer.close();
                throw new InputException(model + ": malformed best epoch in its run record");
            }
            EarlyStopping check = new EarlyStopping(options.patience());
            check.restore(bestEpoch, bestLoss, done);
            if (check.shouldStop()) {
                trainer.close();
                throw new RefusedException(model, "the run stopped early after epoch " + done
                        + " (no improvement since epoch " + check.bestEpoch() + "); there is nothing to continue", null);
            }
        }
        TrainingRun run = new TrainingRun(trainer, options, bestEpoch, bestLoss);
        if (options.metrics() != null) {
            try {
                run.history.addAll(MetricsLog.read(options.metrics(), done));
            } catch (InputException e) {
                trainer.close();
                throw e;
            }
        }
        return run;
    }

    /**
     * Trains the remaining epochs, saving after each one as the options say, until the configured
     * epochs are done, early stopping ends the run, or {@link #stop()} is called.
     *
     * @param train      the training set; it must fit the network
     * @param validation a held-out set, or {@code null}; early stopping and keep-best need one
     * @param test       a labelled test set to report on each epoch, or {@code null}
     * @param settings   what the checkpoints record about how the run was made (for example by
     *                   command-line flag, with a fingerprint of the data), for a resume to compare;
     *                   may be empty
     * @param listener   told about progress and each saved epoch, or {@code null}
     * @throws InputException    if the model or metrics file cannot be written
     * @throws DivergedException if training diverged; the model file holds the last good epoch saved
     */
    public void train(Dataset train, Dataset validation, Dataset test, Map<String, String> settings, Listener listener)
            throws InputException, DivergedException {
        Map<String, String> recorded = new LinkedHashMap<>(settings);
        Listener hears = listener == null ? new Listener() { } : listener;
        synchronized (this) {
            early = validation == null ? null : new EarlyStopping(options.patience());
            if (early != null && restoredBestEpoch > 0) {
                early.restore(restoredBestEpoch, restoredBestLoss, trainer.epochsDone());
            }
        }
        trainer.fit(train, validation, test, new TrainingListener() {
            @Override
            public void onProgress(int epoch, int batches, int total, double meanLoss) {
                hears.onProgress(epoch, batches, total, meanLoss);
            }

            @Override
            public void onEpoch(EpochStats s, Trainer t) throws InputException {
                saveEpoch(s, recorded, hears);
            }

            @Override
            public boolean stopRequested() {
                return stopped() || stoppedEarly();
            }
        });
    }

    private synchronized void saveEpoch(EpochStats s, Map<String, String> recorded, Listener listener)
            throws InputException {
        if (stopped) {
            return;
        }
        boolean isBest = early != null && early.record(s);
        if (isBest && options.keepBest()) {
            best = trainer.network().copy();
        }
        Map<String, String> done = new LinkedHashMap<>();
        done.put("epochs_done", Integer.toString(trainer.epochsDone()));
        if (early != null && early.bestEpoch() > 0) {
            done.put("best_epoch", Integer.toString(early.bestEpoch()));
            done.put("best_validation_loss", Double.toString(early.bestLoss()));
        }
        if (!options.keepBest() || isBest) {
            ModelFile.write(options.model(), trainer.network(),
                    new RunRecord(recorded, done, trainer.state().encode()).encode());
            savedEpoch = s.epoch();
        }
        history.add(s);
        lastEpoch = s.epoch();
        if (options.metrics() != null) {
            MetricsLog.write(options.metrics(), history, early == null ? null : bestEpochs());
        }
        listener.onEpoch(s, isBest);
    }

    /** The best epoch so far after each epoch of the history, for the metrics. */
    private int[] bestEpochs() {
        int[] bestAt = new int[history.size()];
        double lowest = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        for (int i = 0; i < bestAt.length; i++) {
            EpochStats s = history.get(i);
            if (s.validationLoss() < lowest) {
                lowest = s.validationLoss();
                bestEpoch = s.epoch();
            }
            bestAt[i] = bestEpoch;
        }
        return bestAt;
    }

    /**
     * Ends saving: once this returns, the run writes no file and reports no epoch, and training stops
     * after the current epoch. Safe to call from any thread, and more than once.
     *
     * @return whether this call stopped the run (false if it was stopped already)
     */
    public synchronized boolean stop() {
        boolean was = stopped;
        stopped = true;
        return !was;
    }

    /** @return whether {@link #stop()} was called */
    public synchronized boolean stopped() {
        return stopped;
    }

    /** @return whether early stopping ended the run after the last epoch */
    public synchronized boolean stoppedEarly() {
        return early != null && early.shouldStop();
    }

    /** @return the early stopping's tracking, or {@code null} before {@link #train} or without a validation set */
    public synchronized EarlyStopping earlyStopping() {
        return early;
    }

    /** @return the epoch whose model is in the model file, 0 if none was saved by this run or its checkpoint */
    public synchronized int savedEpoch() {
        return savedEpoch;
    }

    /** @return the last epoch completed, counting those of the checkpoint */
    public synchronized int lastEpoch() {
        return lastEpoch;
    }

    /** @return the model file's path as the options name it */
    public Path model() {
        return options.model();
    }

    /** @return the metrics of every epoch so far, the checkpoint's included where its metrics file was read */
    public synchronized List<EpochStats> history() {
        return Collections.unmodifiableList(new ArrayList<>(history));
    }

    /**
     * @return the network the run ends with: with keep-best, a copy of the best epoch's (the model
     *         file's), otherwise the trained network itself
     */
    public synchronized Network result() {
        return options.keepBest() && best != null ? best : trainer.network();
    }

    /** @return the trainer, for its network, threads and evaluation */
    public Trainer trainer() {
        return trainer;
    }

    /** Releases the trainer's threads. */
    @Override
    public void close() {
        trainer.close();
    }
}
