package dev.dkssweep.trainer.dl4j;

import dev.dkssweep.dks.activation.Activation;
import dev.dkssweep.dks.activation.Activations;
import dev.dkssweep.dks.activation.LeakyRelu;
import dev.dkssweep.dks.activation.TransformedActivation;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * phi_hat(x) = gamma * (phi(alpha x + beta) + delta) as a DL4J activation, for every dks-core
 * activation, with the exact derivative gamma * alpha * phi'(alpha x + beta) in backprop
 * (docs/maths.md 2.2 and section 6: never folded into the previous layer's weights).
 *
 * <p>tanh, sigmoid, softplus, relu and leaky_relu run as in-place ND4J ops (vectorised, no copies:
 * about 2x the end-to-end training speed of the generic path). Every other activation is computed
 * with dks-core's own functions in double precision on the host, so the network realises exactly
 * the function the kernel analysis assumed (DL4J's own GELU, for one, is a different
 * approximation). Both paths are tested against each other. Serialisable with {@code
 * ModelSerializer}: the parameters are plain fields and the activation is stored by name.
 */
public final class DksActivation extends BaseActivationFunction {

  private static final long serialVersionUID = 1L;

  @JsonProperty private String activation;
  @JsonProperty private double negativeSlope = Double.NaN;
  @JsonProperty private double alpha = 1;
  @JsonProperty private double beta;
  @JsonProperty private double gamma = 1;
  @JsonProperty private double delta;
  @JsonIgnore private transient Activation phi;
  @JsonIgnore private transient boolean hostOnly;

  /** For deserialisation. */
  public DksActivation() {}

  public DksActivation(TransformedActivation t) {
    this.activation = t.base().id();
    this.negativeSlope = t.negativeSlope();
    this.alpha = t.alpha();
    this.beta = t.beta();
    this.gamma = t.gamma();
    this.delta = t.delta();
  }

  /** The same activation, always on the generic host path (for tests of the fast paths). */
  DksActivation hostOnly() {
    DksActivation copy = new DksActivation(transform());
    copy.hostOnly = true;
    return copy;
  }

  private boolean fast() {
    return !hostOnly
        && switch (activation) {
          case "tanh", "sigmoid", "softplus", "relu", "leaky_relu" -> true;
          default -> false;
        };
  }

  /** The transform this activation realises. */
  public TransformedActivation transform() {
    return new TransformedActivation(phi(), alpha, beta, gamma, delta);
  }

  private Activation phi() {
    if (phi == null) {
      phi =
          activation.equals("leaky_relu") && !Double.isNaN(negativeSlope)
              ? new LeakyRelu(negativeSlope)
              : Activations.byName(activation);
    }
    return phi;
  }

  @Override
  public INDArray getActivation(INDArray in, boolean training) {
    if (fast()) {
      INDArray u = in.muli(alpha).addi(beta);
      switch (activation) {
        case "tanh" -> Transforms.tanh(u, false);
        case "sigmoid" -> Transforms.sigmoid(u, false);
        case "softplus" -> Transforms.softPlus(u, false);
        case "relu" -> Transforms.relu(u, false);
        default -> Transforms.leakyRelu(u, negativeSlope, false);
      }
      return u.addi(delta).muli(gamma);
    }
    double[] v = evaluateHost(in)[0];
    for (int i = 0; i < v.length; i++) {
      v[i] = gamma * (v[i] + delta);
    }
    in.assign(Nd4j.create(v, in.shape(), 'c').castTo(in.dataType()));
    return in;
  }

  @Override
  public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
    assertShape(in, epsilon);
    if (fast()) {
      // in is DL4J's copy of the pre-activations: overwritten in place, as DL4J's own do
      INDArray u = in.muli(alpha).addi(beta);
      INDArray d =
          switch (activation) {
            case "tanh" -> {
              Transforms.tanh(u, false);
              yield u.muli(u).rsubi(1);
            }
            case "sigmoid" -> Transforms.sigmoidDerivative(u, false);
            case "softplus" -> Transforms.sigmoid(u, false);
            case "relu" -> Transforms.step(u, false);
            default -> Transforms.leakyReluDerivative(u, negativeSlope, false);
          };
      return new Pair<>(d.muli(gamma * alpha).muli(epsilon), null);
    }
    double[] d1 = evaluateHost(in)[1];
    double scale = gamma * alpha;
    for (int i = 0; i < d1.length; i++) {
      d1[i] *= scale;
    }
    INDArray dLdz = Nd4j.create(d1, in.shape(), 'c').castTo(epsilon.dataType()).muli(epsilon);
    return new Pair<>(dLdz, null);
  }

  /** phi and phi' at alpha x + beta for every element of x, in double precision. */
  private double[][] evaluateHost(INDArray x) {
    double[] u = x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    int n = u.length;
    for (int i = 0; i < n; i++) {
      u[i] = alpha * u[i] + beta;
    }
    double[] v = new double[n];
    double[] d1 = new double[n];
    double[] d2 = new double[n];
    phi().evaluate(u, n, v, d1, d2);
    return new double[][] {v, d1};
  }

  @Override
  public String toString() {
    return "DksActivation(" + transform() + ")";
  }
}
