package dev.dkssweep.dks.init;

import dev.dkssweep.dks.exception.InvalidArgumentException;

/**
 * Delta-orthogonal initialisation of a convolution (docs/maths.md section 7): every tap zero except
 * the centre one, which is an SUO matrix with fan-in = input channels and fan-out = output
 * channels. At initialisation each spatial location then passes through like a dense SUO layer,
 * which is what makes the MLP kernel maps hold for conv nets. Kernel sizes must be odd.
 *
 * <p>{@link #sample()} has shape [kernelHeight, kernelWidth, inChannels, outChannels] (HWIO, as
 * JAX); {@link #sampleOihw()} has DL4J's [outChannels, inChannels, kernelHeight, kernelWidth].
 */
public record DeltaOrthogonal(
    int kernelHeight, int kernelWidth, int inChannels, int outChannels, long seed)
    implements WeightInitPlan {

  public DeltaOrthogonal {
    if (kernelHeight < 1 || kernelWidth < 1 || kernelHeight % 2 == 0 || kernelWidth % 2 == 0) {
      throw new InvalidArgumentException(
          "kernel",
          "Delta initialisation needs odd kernel sizes, got "
              + kernelHeight
              + "x"
              + kernelWidth
              + "; use an odd size such as 3x3");
    }
    if (inChannels < 1 || outChannels < 1) {
      throw new IllegalArgumentException("channels must be >= 1");
    }
  }

  @Override
  public int[] shape() {
    return new int[] {kernelHeight, kernelWidth, inChannels, outChannels};
  }

  @Override
  public double[] sample() {
    double[] centre = new ScaledUniformOrthogonal(inChannels, outChannels, seed).sample();
    double[] w = new double[kernelHeight * kernelWidth * inChannels * outChannels];
    int offset = ((kernelHeight / 2) * kernelWidth + kernelWidth / 2) * inChannels * outChannels;
    System.arraycopy(centre, 0, w, offset, centre.length);
    return w;
  }

  /** The same weights in [outChannels, inChannels, kernelHeight, kernelWidth] order. */
  public double[] sampleOihw() {
    double[] centre = new ScaledUniformOrthogonal(inChannels, outChannels, seed).sample();
    double[] w = new double[kernelHeight * kernelWidth * inChannels * outChannels];
    int ch = kernelHeight / 2;
    int cw = kernelWidth / 2;
    for (int i = 0; i < inChannels; i++) {
      for (int o = 0; o < outChannels; o++) {
        w[((o * inChannels + i) * kernelHeight + ch) * kernelWidth + cw] =
            centre[i * outChannels + o];
      }
    }
    return w;
  }
}
