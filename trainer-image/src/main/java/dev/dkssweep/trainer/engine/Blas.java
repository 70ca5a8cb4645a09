package dev.dkssweep.trainer.engine;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Row-major single-precision matrix products through the OpenBLAS that ND4J's CPU backend itself
 * loads (JavaCPP's {@code openblas_nolapack}), called directly: one native call per product, on
 * Java arrays, with no ND4J op dispatch around it. ND4J sets the library's thread count from
 * OMP_NUM_THREADS when it starts, so it is started first.
 */
final class Blas {

  private Blas() {}

  /** True when the CPU backend and its OpenBLAS are present (not in the CUDA image). */
  static boolean available() {
    try {
      if (!Nd4j.getBackend().getClass().getName().contains("Cpu")) {
        return false;
      }
      org.bytedeco.javacpp.Loader.load(openblas_nolapack.class);
      return true;
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
  }

  /**
   * c[m x n] = op(a) op(b) + beta c, every matrix row-major; op(a) is m x k, op(b) is k x n.
   *
   * @param ta whether a is stored transposed (k x m)
   * @param tb whether b is stored transposed (n x k)
   */
  static void gemm(
      boolean ta, boolean tb, int m, int n, int k, float[] a, float[] b, float beta, float[] c) {
    int lda = ta ? m : k;
    int ldb = tb ? k : n;
    openblas_nolapack.cblas_sgemm(
        CblasRowMajor,
        ta ? CblasTrans : CblasNoTrans,
        tb ? CblasTrans : CblasNoTrans,
        m,
        n,
        k,
        1f,
        a,
        lda,
        b,
        ldb,
        beta,
        c,
        n);
  }
}
