package dev.dkssweep.trainer.engine;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The trial's optimiser over float arrays, with DL4J's exact update rules (so that the engine and a
 * DL4J network given the same configuration take the same steps): {@code w -= update}, where
 *
 * <ul>
 *   <li>SGD: update = lr g;
 *   <li>Nesterov momentum mu: v' = mu v - lr g, update = mu v - (1 + mu) v';
 *   <li>Adam: m' = b1 m + (1 - b1) g, v' = b2 v + (1 - b2) g^2, update = lr sqrt(1 - b2^t) / (1 -
 *       b1^t) m' / (sqrt(v') + eps), t = iteration + 1;
 * </ul>
 *
 * and decoupled weight decay (DL4J's {@code WeightDecay} with the learning rate applied) adds lr
 * coeff w to the update of weight matrices, never of biases. The learning rate comes from the
 * configuration's own schedule.
 */
final class Optimiser {

  private enum Kind {
    SGD,
    NESTEROV,
    ADAM
  }

  private final IUpdater config;
  private final Kind kind;
  private final float momentum;
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float weightDecay;

  Optimiser(IUpdater config, double weightDecay) {
    this.config = config;
    this.weightDecay = (float) weightDecay;
    if (config instanceof Adam a) {
      kind = Kind.ADAM;
      beta1 = (float) a.getBeta1();
      beta2 = (float) a.getBeta2();
      epsilon = (float) a.getEpsilon();
      momentum = 0f;
    } else if (config instanceof Nesterovs n) {
      kind = Kind.NESTEROV;
      momentum = (float) n.getMomentum();
      beta1 = beta2 = epsilon = 0f;
    } else if (config instanceof Sgd) {
      kind = Kind.SGD;
      momentum = beta1 = beta2 = epsilon = 0f;
    } else {
      throw new IllegalArgumentException("unsupported updater " + config);
    }
  }

  double learningRate(int iteration) {
    return config.getLearningRate(iteration, 0);
  }

  /** The state one parameter array needs: two arrays for Adam, one for momentum, none for SGD. */
  float[][] state(int length) {
    return switch (kind) {
      case SGD -> new float[0][];
      case NESTEROV -> new float[][] {new float[length]};
      case ADAM -> new float[][] {new float[length], new float[length]};
    };
  }

  /**
   * One step on {@code w} with gradient {@code g} at {@code iteration} (0-based).
   *
   * @param decays whether weight decay applies (weights, not biases)
   */
  void step(float[] w, float[] g, float[][] state, int iteration, boolean decays) {
    float lr = (float) learningRate(iteration);
    float wd = decays ? lr * weightDecay : 0f;
    int n = w.length;
    switch (kind) {
      case SGD -> {
        for (int i = 0; i < n; i++) {
          w[i] -= lr * g[i] + wd * w[i];
        }
      }
      case NESTEROV -> {
        float[] v = state[0];
        float mu = momentum;
        for (int i = 0; i < n; i++) {
          float previous = v[i];
          float next = mu * previous - lr * g[i];
          v[i] = next;
          w[i] -= mu * previous - (1f + mu) * next + wd * w[i];
        }
      }
      case ADAM -> {
        float[] m = state[0];
        float[] v = state[1];
        double t = iteration + 1.0;
        double corrected = lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
        float a = Double.isFinite(corrected) && corrected != 0 ? (float) corrected : epsilon;
        float b1 = beta1;
        float b2 = beta2;
        float c1 = 1f - beta1;
        float c2 = 1f - beta2;
        float eps = epsilon;
        for (int i = 0; i < n; i++) {
          float gi = g[i];
          float mi = b1 * m[i] + c1 * gi;
          float vi = b2 * v[i] + c2 * gi * gi;
          m[i] = mi;
          v[i] = vi;
          w[i] -= a * mi / ((float) Math.sqrt(vi) + eps) + wd * w[i];
        }
      }
    }
  }
}
