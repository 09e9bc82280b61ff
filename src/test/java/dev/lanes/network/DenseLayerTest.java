package dev.lanes.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The layers of a network are named views of its one parameter array, in the documented layout. */
class DenseLayerTest {

    @Test
    void layersTileTheParameterArrayInOrder() {
        Network net = Network.create(new int[] {784, 256, 128, 10}, Init.HE, 1);
        // W0 784×256, b0 256, W1 256×128, b1 128, W2 128×10, b2 10, back to back.
        assertEquals(List.of(
                new DenseLayer(784, 256, 0, 200_704, Activation.RELU),
                new DenseLayer(256, 128, 200_960, 233_728, Activation.RELU),
                new DenseLayer(128, 10, 233_856, 235_136, Activation.SOFTMAX)),
                List.of(net.layer(0), net.layer(1), net.layer(2)));
        int total = 0;
        for (int l = 0; l < net.layers(); l++) {
            DenseLayer layer = net.layer(l);
            assertEquals(total, layer.weightOffset(), "layer " + l + " starts where the previous one ends");
            assertEquals(layer.weightOffset() + layer.in() * layer.out(), layer.biasOffset(), "layer " + l);
            assertEquals(net.weightOffset(l), layer.weightOffset());
            assertEquals(net.biasOffset(l), layer.biasOffset());
            assertEquals(net.activation(l), layer.activation());
            total += layer.parameters();
        }
        assertEquals(net.parameterCount(), total);
        assertEquals(235_146, total);
    }
}
