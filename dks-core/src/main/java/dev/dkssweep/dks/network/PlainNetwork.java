package dev.dkssweep.dks.network;

/**
 * A plain MLP or Delta-initialised convolutional net with {@code depth} activation layers: M(x, r)
 * = r^(L)(x), so mu(psi) = psi^L and kap(k) = L k (docs/maths.md 3.1).
 */
public record PlainNetwork(int depth) implements Architecture {

  public PlainNetwork {
    if (depth < 1) {
      throw new IllegalArgumentException("depth must be >= 1, got " + depth);
    }
  }

  @Override
  public <T> T propagate(T input, KernelAlgebra<T> algebra) {
    T x = input;
    for (int i = 0; i < depth; i++) {
      x = algebra.activation(x);
    }
    return x;
  }

  @Override
  public String key() {
    return "mlp" + depth;
  }
}
