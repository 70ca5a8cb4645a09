package dev.dkssweep.trainer.dl4j;

import dev.dkssweep.dks.init.DeltaOrthogonal;
import dev.dkssweep.dks.init.ScaledGaussian;
import dev.dkssweep.dks.init.ScaledUniformOrthogonal;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A dks-core weight-initialisation plan as a DL4J {@link IWeightInit}, for dense layers ([nIn,
 * nOut]) and convolutions ([nOut, nIn, kH, kW]): scaled uniform orthogonal ({@code suo}; for a
 * convolution, Delta-orthogonal: SUO on the centre tap, zero elsewhere) or i.i.d. Gaussian with
 * variance gain^2 / fanIn, fanIn = nIn kH kW ({@code gaussian}: LeCun with gain 1, He with gain
 * sqrt 2). Seeded per layer, so a trial's network is the same on every run.
 */
public final class PlannedWeightInit implements IWeightInit {

  private static final long serialVersionUID = 1L;

  @JsonProperty private String kind;
  @JsonProperty private double gain = 1;
  @JsonProperty private long seed;

  public PlannedWeightInit() {}

  private PlannedWeightInit(String kind, double gain, long seed) {
    this.kind = kind;
    this.gain = gain;
    this.seed = seed;
  }

  public static PlannedWeightInit suo(long seed) {
    return new PlannedWeightInit("suo", 1, seed);
  }

  public static PlannedWeightInit gaussian(double gain, long seed) {
    return new PlannedWeightInit("gaussian", gain, seed);
  }

  @Override
  public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
    double[] w;
    if (shape.length == 2) {
      int nIn = Math.toIntExact(shape[0]);
      int nOut = Math.toIntExact(shape[1]);
      w =
          kind.equals("suo")
              ? new ScaledUniformOrthogonal(nIn, nOut, seed).sample()
              : new ScaledGaussian(nIn, nOut, 1, gain, seed).sample();
    } else if (shape.length == 4) {
      int nOut = Math.toIntExact(shape[0]);
      int nIn = Math.toIntExact(shape[1]);
      int kh = Math.toIntExact(shape[2]);
      int kw = Math.toIntExact(shape[3]);
      // i.i.d. Gaussians need no particular layout; Delta-orthogonal is laid out as DL4J's OIHW
      w =
          kind.equals("suo")
              ? new DeltaOrthogonal(kh, kw, nIn, nOut, seed).sampleOihw()
              : new ScaledGaussian(nIn, nOut, kh * kw, gain, seed).sample();
    } else {
      throw new IllegalArgumentException(
          "PlannedWeightInit supports dense [nIn, nOut] and convolution [nOut, nIn, kH, kW]"
              + " weights; got rank "
              + shape.length);
    }
    INDArray view = paramView.reshape(order, shape);
    view.assign(Nd4j.create(w, shape, 'c').castTo(paramView.dataType()));
    return view;
  }
}
