package dev.lanes.network;

/** How a new network's weights are drawn. Biases always start at zero. */
public enum Init {
    /** He initialisation: normal with standard deviation {@code sqrt(2 / inputs)}, suited to ReLU. */
    HE,
    /** The original from-scratch notebook's {@code uniform(−0.5, 0.5)} for weights and biases alike. */
    SEED
}
