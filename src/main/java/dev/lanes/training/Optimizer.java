package dev.lanes.training;

import dev.lanes.kernels.Kernels;

/**
 * A parameter update rule and its coefficients. Each rule {@linkplain #newState makes} the state it
 * keeps between steps, which applies the rule to a range of parameters.
 */
public sealed interface Optimizer permits Optimizer.Sgd, Optimizer.Momentum, Optimizer.Adam {

    /** @return the rule's name as a user types it: {@code sgd}, {@code momentum} or {@code adam} */
    String name();

    /** @return how many arrays laid out like the parameters the rule keeps between steps */
    int momentBuffers();

    /**
     * @param parameters the network's parameter count
     * @return a fresh state for that many parameters, its moments zero
     */
    State newState(int parameters);

    /** Plain stochastic gradient descent. */
    record Sgd() implements Optimizer {
        @Override
        public String name() {
            return "sgd";
        }

        @Override
        public int momentBuffers() {
            return 0;
        }

        @Override
        public SgdState newState(int parameters) {
            return new SgdState();
        }
    }

    /**
     * SGD with momentum.
     *
     * @param mu       the momentum coefficient μ, in [0, 1)
     * @param nesterov Nesterov momentum instead of classical
     */
    record Momentum(float mu, boolean nesterov) implements Optimizer {
        /** @throws InvalidSettingException if μ is out of range */
        public Momentum {
            Setting.MOMENTUM.require(mu >= 0 && mu < 1, "must be in [0, 1), got " + mu);
        }

        @Override
        public String name() {
            return "momentum";
        }

        @Override
        public int momentBuffers() {
            return 1;
        }

        @Override
        public MomentumState newState(int parameters) {
            return new MomentumState(this, new float[parameters]);
        }
    }

    /**
     * Adam, with bias correction.
     *
     * @param beta1 the first moment's decay, in [0, 1)
     * @param beta2 the second moment's decay, in [0, 1)
     * @param eps   the denominator's guard, positive and finite
     */
    record Adam(float beta1, float beta2, float eps) implements Optimizer {
        /** @throws InvalidSettingException naming the first coefficient out of range */
        public Adam {
            Setting.BETA1.require(beta1 >= 0 && beta1 < 1, "must be in [0, 1), got " + beta1);
            Setting.BETA2.require(beta2 >= 0 && beta2 < 1, "must be in [0, 1), got " + beta2);
            Setting.EPSILON.require(Float.isFinite(eps) && eps > 0, "must be a positive finite number, got " + eps);
        }

        /** Adam with the usual coefficients: β1 0.9, β2 0.999, ε 1e-8. */
        public Adam() {
            this(0.9f, 0.999f, 1e-8f);
        }

        @Override
        public String name() {
            return "adam";
        }

        @Override
        public int momentBuffers() {
            return 2;
        }

        @Override
        public AdamState newState(int parameters) {
            return new AdamState(this, new float[parameters], new float[parameters]);
        }
    }

    /**
     * What a rule keeps between steps, and the step itself. Workers may update disjoint ranges of the
     * parameters at the same time; an update allocates nothing.
     */
    sealed interface State permits SgdState, MomentumState, AdamState {

        /**
         * Applies one step of the rule to parameters {@code from … from+len−1}.
         *
         * @param k           the kernels to run on
         * @param w           all parameters, updated in place
         * @param g           their gradients, laid out like {@code w}
         * @param from        the first parameter of the range
         * @param len         the number of parameters in the range
         * @param lr          this step's learning rate
         * @param weightDecay the L2 penalty coefficient
         * @param step        the steps taken so far, this one included (from 1)
         */
        void update(Kernels k, float[] w, float[] g, int from, int len, float lr, float weightDecay, long step);

        /**
         * @return the moment buffers themselves, not copies, {@link Optimizer#momentBuffers()} of them,
         *         in the order the rule's state documents
         */
        float[][] moments();
    }

    /** SGD keeps nothing. */
    final class SgdState implements State {
        private static final float[][] NONE = new float[0][];

        private SgdState() {
        }

        @Override
        public void update(Kernels k, float[] w, float[] g, int from, int len, float lr, float weightDecay, long step) {
            k.sgd(len, w, from, g, from, lr, weightDecay);
        }

        /** @return no buffers */
        @Override
        public float[][] moments() {
            return NONE;
        }
    }

    /** Momentum keeps a velocity per parameter. */
    final class MomentumState implements State {
        private final Momentum rule;
        private final float[] velocity;
        private final float[][] moments;

        private MomentumState(Momentum rule, float[] velocity) {
            this.rule = rule;
            this.velocity = velocity;
            this.moments = new float[][] {velocity};
        }

        /** @return the velocity, laid out like the parameters (the buffer itself) */
        public float[] velocity() {
            return velocity;
        }

        @Override
        public void update(Kernels k, float[] w, float[] g, int from, int len, float lr, float weightDecay, long step) {
            k.momentum(len, w, from, g, from, velocity, from, lr, rule.mu(), weightDecay, rule.nesterov());
        }

        /** @return the velocity */
        @Override
        public float[][] moments() {
            return moments;
        }
    }

    /** Adam keeps a first and a second moment per parameter. */
    final class AdamState implements State {
        private final Adam rule;
        private final float[] first;
        private final float[] second;
        private final float[][] moments;

        private AdamState(Adam rule, float[] first, float[] second) {
            this.rule = rule;
            this.first = first;
            this.second = second;
            this.moments = new float[][] {first, second};
        }

        /** @return the first moment (the gradients' running mean), laid out like the parameters */
        public float[] firstMoment() {
            return first;
        }

        /** @return the second moment (the squared gradients' running mean), laid out like the parameters */
        public float[] secondMoment() {
            return second;
        }

        @Override
        public void update(Kernels k, float[] w, float[] g, int from, int len, float lr, float weightDecay, long step) {
            float bc1 = (float) (1 - Math.pow(rule.beta1(), step));
            float bc2 = (float) (1 - Math.pow(rule.beta2(), step));
            k.adam(len, w, from, g, from, first, from, second, from, lr, rule.beta1(), rule.beta2(), rule.eps(),
                    weightDecay, bc1, bc2);
        }

        /** @return the first moment, then the second */
        @Override
        public float[][] moments() {
            return moments;
        }
    }
}
