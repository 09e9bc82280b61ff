package dev.lanes.training;

/** The parameter update rule. */
public enum Optimizer {
    /** Plain stochastic gradient descent. */
    SGD,
    /** SGD with (optionally Nesterov) momentum. */
    MOMENTUM,
    /** Adam, with bias correction. */
    ADAM
}
