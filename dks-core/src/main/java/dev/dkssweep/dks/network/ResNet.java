package dev.dkssweep.dks.network;

import java.util.List;

/**
 * The ResNet family of docs/maths.md 3.2, with normalised sums w^2 * shortcut + (1 - w^2) *
 * residual and no normalisation layers.
 *
 * <p>V2 (pre-activation), bottleneck: each residual branch has 3 activation layers, the projection
 * shortcut of a group's first block takes the pre-activated input (one activation layer), and one
 * activation follows the last block. This is the reference's structure and is checked against its
 * vectors. Basic (non-bottleneck) blocks have 2 activation layers per branch.
 *
 * <p>V1 (post-activation), our generalisation of the same rules: the stem has one activation, a
 * residual branch has one activation fewer than in V2, one activation follows every sum, and the
 * projection shortcut has none. In both versions the extra subnetwork whose condition also counts
 * is a single residual path of {@link #activationsPerBlock()} activation layers.
 *
 * @param blocksPerGroup e.g. (3, 4, 23, 3) for ResNet-101
 * @param shortcutWeight w in [0, 1]; w = 0 gives a plain net
 */
public record ResNet(
    String name,
    List<Integer> blocksPerGroup,
    boolean bottleneck,
    boolean v2,
    double shortcutWeight)
    implements Architecture {

  public ResNet {
    blocksPerGroup = List.copyOf(blocksPerGroup);
    if (blocksPerGroup.isEmpty() || blocksPerGroup.stream().anyMatch(b -> b < 1)) {
      throw new IllegalArgumentException("blocksPerGroup must be non-empty and positive");
    }
    if (!(shortcutWeight >= 0 && shortcutWeight <= 1)) {
      throw new IllegalArgumentException("shortcutWeight must be in [0, 1], got " + shortcutWeight);
    }
  }

  /** Standard depths: 18 and 34 (basic blocks), 50, 101, 152, 200 (bottleneck). */
  public static ResNet ofDepth(int depth, boolean v2, double shortcutWeight) {
    List<Integer> blocks =
        switch (depth) {
          case 18 -> List.of(2, 2, 2, 2);
          case 34, 50 -> List.of(3, 4, 6, 3);
          case 101 -> List.of(3, 4, 23, 3);
          case 152 -> List.of(3, 8, 36, 3);
          case 200 -> List.of(3, 24, 36, 3);
          default ->
              throw new IllegalArgumentException(
                  "ResNet depth must be one of 18, 34, 50, 101, 152, 200; got " + depth);
        };
    return new ResNet("resnet" + depth, blocks, depth >= 50, v2, shortcutWeight);
  }

  /** Activation layers on one residual path (branch plus, in V1, the activation after the sum). */
  public int activationsPerBlock() {
    return bottleneck ? 3 : 2;
  }

  @Override
  public <T> T propagate(T input, KernelAlgebra<T> algebra) {
    double s = shortcutWeight * shortcutWeight;
    int inBranch = v2 ? activationsPerBlock() : activationsPerBlock() - 1;
    T branch = repeat(input, activationsPerBlock(), algebra);
    T x = v2 ? input : algebra.activation(input);
    for (int blocks : blocksPerGroup) {
      for (int j = 0; j < blocks; j++) {
        T residual = repeat(x, inBranch, algebra);
        T shortcut = (j == 0 && v2) ? algebra.activation(x) : x;
        x = algebra.normalisedSum(s, shortcut, residual);
        if (!v2) {
          x = algebra.activation(x);
        }
      }
    }
    if (v2) {
      x = algebra.activation(x);
    }
    return algebra.subnetworkMax(x, branch);
  }

  private static <T> T repeat(T x, int times, KernelAlgebra<T> algebra) {
    T y = x;
    for (int i = 0; i < times; i++) {
      y = algebra.activation(y);
    }
    return y;
  }

  @Override
  public String key() {
    return name + (v2 ? "_v2" : "_v1") + "_sw" + shortcutWeight;
  }
}
