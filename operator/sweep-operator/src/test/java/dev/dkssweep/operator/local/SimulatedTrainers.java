package dev.dkssweep.operator.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The trainer-image's {@code SimulatedTrainer} (its test classes) as a jar the runner starts with
 * {@code java -jar}, like the real trainer: a manifest naming the class and, as its class path,
 * those test classes and the real {@code trainer.jar} (whose own manifest brings its libraries).
 */
final class SimulatedTrainers {

  static final Path TEST_CLASSES =
      Path.of("..", "..", "trainer-image", "target", "test-classes").toAbsolutePath().normalize();

  private static final String CLASS = "dev.dkssweep.trainer.SimulatedTrainer";
  private static Class<?> simulated;

  private SimulatedTrainers() {}

  /** {@code SimulatedTrainer.points}: the points an attempt of so many epochs reports. */
  static long points(int epochs, int steps) throws ReflectiveOperationException, IOException {
    return ((Number)
            simulated().getMethod("points", int.class, int.class).invoke(null, epochs, steps))
        .longValue();
  }

  /** {@code SimulatedTrainer.valAccuracy}: a trial's validation accuracy after an epoch. */
  static double valAccuracy(int trialIndex, long seed, int epoch)
      throws ReflectiveOperationException, IOException {
    return (double)
        simulated()
            .getMethod("valAccuracy", int.class, long.class, int.class)
            .invoke(null, trialIndex, seed, epoch);
  }

  /** The class itself, loaded from where the runner's trainers load it. */
  private static synchronized Class<?> simulated() throws ClassNotFoundException, IOException {
    if (simulated == null) {
      java.net.URLClassLoader loader =
          new java.net.URLClassLoader(
              new java.net.URL[] {TEST_CLASSES.toUri().toURL(), AppProcess.TRAINER.toUri().toURL()},
              ClassLoader.getPlatformClassLoader());
      simulated = Class.forName(CLASS, false, loader);
    }
    return simulated;
  }

  /** Writes {@code <dir>/simulated-trainer.jar} and returns it. */
  static Path jar(Path dir) throws IOException {
    assertThat(TEST_CLASSES.resolve("dev/dkssweep/trainer/SimulatedTrainer.class"))
        .as("trainer-image's test classes (the reactor builds them first)")
        .isRegularFile();
    assertThat(AppProcess.TRAINER).isRegularFile();
    Manifest m = new Manifest();
    Attributes a = m.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.put(Attributes.Name.MAIN_CLASS, CLASS);
    a.put(Attributes.Name.CLASS_PATH, TEST_CLASSES.toUri() + " " + AppProcess.TRAINER.toUri());
    Path jar = dir.resolve("simulated-trainer.jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out, m)) {
      j.flush();
    }
    return jar;
  }
}
