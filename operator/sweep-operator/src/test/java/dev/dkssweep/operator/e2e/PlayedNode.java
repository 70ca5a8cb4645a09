package dev.dkssweep.operator.e2e;

import static dev.dkssweep.operator.e2e.PodStatuses.condition;
import static dev.dkssweep.operator.e2e.PodStatuses.running;
import static dev.dkssweep.operator.e2e.PodStatuses.terminated;

import dev.dkssweep.operator.OperatorReplica;
import dev.dkssweep.operator.execution.kubernetes.WorkloadNames;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays the node, the cluster DNS and the service proxy for the pods a Helm release of the chart
 * creates on a control plane without nodes (the trial pods are {@link PlayedKubelet}'s). Each pod
 * gets its own loopback address as its IP (127.0.1.n: its containers listen on their own ports
 * there, as in a pod's network namespace), and a Service's host name ({@code name.namespace.svc})
 * in an environment value or a command is replaced by the IP of a pod its selector matches (the
 * chart's Services forward to the same port). Then:
 *
 * <ul>
 *   <li>the bundled PostgreSQL's pod runs an embedded PostgreSQL set up as the official image's
 *       entrypoint sets up a new data directory: the superuser's password from the pod's
 *       environment, then the scripts of its {@code /docker-entrypoint-initdb.d} ConfigMap run by
 *       {@code sh} and {@code psql}, then password authentication for connections from other pods;
 *   <li>the operator's pod runs its init containers' commands ({@code sh}), then the packaged
 *       application with the pod's environment (values, Secret keys and fields resolved) and the
 *       Kubernetes credentials of the pod's service account: a token from the TokenRequest API, so
 *       what the chart's RBAC grants is all the operator may do;
 *   <li>the {@code helm test} pod's script runs with BusyBox's {@code sh} and {@code wget}, as its
 *       busybox image would.
 * </ul>
 *
 * A pod is reported Running when its process starts and Ready when its readiness probe passes (exec
 * or httpGet, as the pod spec says), through the status subresource; the real endpoints controller
 * then fills the Services. Needs {@code psql}, {@code pg_isready} and {@code busybox} on the PATH.
 */
final class PlayedNode implements AutoCloseable {

  private static final Pattern SERVICE_HOST =
      Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?)\\.([a-z0-9-]+)\\.svc(\\.cluster\\.local)?");

  private final KubernetesClient client;
  private final String namespace;
  private final Path work;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService players = Executors.newCachedThreadPool();
  private final Set<String> handled = ConcurrentHashMap.newKeySet();
  private final Map<String, String> podIps = new ConcurrentHashMap<>();
  private final Map<String, Process> processes = new ConcurrentHashMap<>();
  private final List<EmbeddedPostgres> databases =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AtomicInteger nextIp = new AtomicInteger(1);

  PlayedNode(KubernetesClient client, String namespace, Path work) {
    this.client = client;
    this.namespace = namespace;
    this.work = work;
    loop.scheduleWithFixedDelay(this::tick, 200, 500, TimeUnit.MILLISECONDS);
  }

  /** What went wrong while playing a pod (a test asserts there is nothing). */
  List<Throwable> failures() {
    return failures;
  }

  /** The IP the node gave a pod, if it plays it. */
  String podIp(String pod) {
    return podIps.get(pod);
  }

  /** Where a played pod's container logs go: {@code <work>/<pod>/<container>.log}. */
  Path log(String pod, String container) {
    return work.resolve(pod).resolve(container + ".log");
  }

  private void tick() {
    try {
      for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
        String name = pod.getMetadata().getName();
        if (pod.getMetadata().getDeletionTimestamp() != null) {
          processes.forEach(
              (key, p) -> {
                if (key.startsWith(name + "/")) {
                  p.destroy(); // SIGTERM, as a kubelet stops a deleted pod's containers
                }
              });
          continue;
        }
        if (isTrialPod(pod) || !handled.add(name)) {
          continue;
        }
        players.submit(
            () -> {
              try {
                play(pod);
              } catch (Exception | AssertionError e) {
                failures.add(e);
                e.printStackTrace();
              }
            });
      }
    } catch (RuntimeException e) {
      e.printStackTrace();
    }
  }

  private static boolean isTrialPod(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels != null && WorkloadNames.TRAINER.equals(labels.get(WorkloadNames.COMPONENT));
  }

  private void play(Pod pod) throws Exception {
    String name = pod.getMetadata().getName();
    String ip = "127.0.1." + nextIp.getAndIncrement();
    podIps.put(name, ip);
    Files.createDirectories(work.resolve(name));
    Container main = pod.getSpec().getContainers().get(0);
    switch (main.getName()) {
      case "postgresql" -> playPostgres(pod, main, ip);
      case "dks-sweep" -> playOperator(pod, main, ip);
      case "check" -> playTest(pod, main, ip);
      default -> throw new IllegalStateException("no player for pod " + name + " (" + main + ")");
    }
  }

  /** The official postgres image's first start, on an embedded PostgreSQL. */
  private void playPostgres(Pod pod, Container c, String ip) throws Exception {
    Map<String, String> env = env(pod, c, ip);
    int port = c.getPorts().get(0).getContainerPort();
    Path data = work.resolve(pod.getMetadata().getName()).resolve("data");
    EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setPort(port)
            .setDataDirectory(data)
            .setCleanDataDirectory(true)
            // 127.0.0.1 is the embedded server's own check; the pod's address is what others use
            .setServerConfig("listen_addresses", "127.0.0.1," + ip)
            .start();
    databases.add(pg);
    reportRunning(pod, ip);
    String superuser = env.getOrDefault("POSTGRES_USER", "postgres");
    try (Connection conn = pg.getPostgresDatabase().getConnection();
        Statement st = conn.createStatement()) {
      st.execute(
          "ALTER ROLE "
              + superuser
              + " PASSWORD '"
              + env.get("POSTGRES_PASSWORD").replace("'", "''")
              + "'");
    }
    // the init scripts, from the ConfigMap mounted at /docker-entrypoint-initdb.d
    Path initd = work.resolve(pod.getMetadata().getName()).resolve("docker-entrypoint-initdb.d");
    Files.createDirectories(initd);
    String initMap =
        pod.getSpec().getVolumes().stream()
            .filter(v -> v.getConfigMap() != null)
            .findFirst()
            .orElseThrow()
            .getConfigMap()
            .getName();
    ConfigMap scripts = client.configMaps().inNamespace(namespace).withName(initMap).get();
    for (var e : new java.util.TreeMap<>(scripts.getData()).entrySet()) {
      Files.writeString(
          initd.resolve(e.getKey()),
          e.getValue().replace("/docker-entrypoint-initdb.d/", initd + "/"));
    }
    for (var e : new java.util.TreeMap<>(scripts.getData()).entrySet()) {
      if (e.getKey().endsWith(".sh")) {
        Map<String, String> scriptEnv = new LinkedHashMap<>(env);
        scriptEnv.put("PGHOST", "127.0.0.1"); // the entrypoint's own connection (trusted)
        scriptEnv.put("PGPORT", Integer.toString(port));
        int code =
            run(List.of("sh", initd.resolve(e.getKey()).toString()), scriptEnv, pod, "init")
                .waitFor();
        if (code != 0) {
          throw new IllegalStateException(e.getKey() + " exited " + code);
        }
      }
    }
    // from now on other pods authenticate with passwords, as the image's pg_hba.conf says
    Path hba = data.resolve("pg_hba.conf");
    Files.writeString(
        hba,
        "local all all trust\n"
            + "host all all 127.0.0.1/32 trust\n"
            + "host all all 127.0.1.0/24 scram-sha-256\n");
    try (Connection conn = pg.getPostgresDatabase().getConnection();
        Statement st = conn.createStatement()) {
      st.execute("SELECT pg_reload_conf()");
    }
    awaitReady(pod, c, ip, env);
  }

  /** The operator's pod: its init containers, then the packaged application. */
  private void playOperator(Pod pod, Container c, String ip) throws Exception {
    for (Container init : pod.getSpec().getInitContainers()) {
      int code = run(command(init, ip), env(pod, init, ip), pod, init.getName()).waitFor();
      if (code != 0) {
        throw new IllegalStateException("init container " + init.getName() + " exited " + code);
      }
    }
    Map<String, String> env = env(pod, c, ip);
    String javaOptions = env.remove("JAVA_OPTS"); // the image's launcher reads it
    if (javaOptions != null) {
      env.put("JDK_JAVA_OPTIONS", javaOptions);
    }
    env.put("HOSTNAME", pod.getMetadata().getName()); // a container's host name is its pod's
    env.put("QUARKUS_HTTP_HOST", ip); // the pod's network namespace: its own address
    env.put("KUBECONFIG", serviceAccountKubeconfig(pod).toString());
    run(
        List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "-jar",
            OperatorReplica.APP.toString()),
        env,
        pod,
        c.getName());
    reportRunning(pod, ip);
    awaitReady(pod, c, ip, env);
  }

  /** The helm test pod: its script with BusyBox's sh and wget, then its exit as the pod's. */
  private void playTest(Pod pod, Container c, String ip) throws Exception {
    Path bin = work.resolve(pod.getMetadata().getName()).resolve("bin");
    Files.createDirectories(bin);
    for (String applet : List.of("sh", "wget", "grep", "echo")) {
      Path link = bin.resolve(applet);
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, Path.of("/usr/bin/busybox"));
      }
    }
    Map<String, String> env = env(pod, c, ip);
    env.put("PATH", bin.toString());
    reportRunning(pod, ip);
    Process p = run(command(c, ip), env, pod, c.getName());
    int code = p.waitFor();
    report(
        pod.getMetadata().getName(),
        code == 0 ? "Succeeded" : "Failed",
        ip,
        List.of(),
        terminated(c, code, null));
  }

  /** A pod's command and arguments with the played cluster DNS. */
  private List<String> command(Container c, String ip) {
    List<String> out = new ArrayList<>();
    if (c.getCommand() != null) {
      c.getCommand().forEach(s -> out.add(resolve(s, ip)));
    }
    if (c.getArgs() != null) {
      c.getArgs().forEach(s -> out.add(resolve(s, ip)));
    }
    return out;
  }

  /** The container's environment as a kubelet makes it: values, Secret keys, fields. */
  private Map<String, String> env(Pod pod, Container c, String ip) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("PATH", System.getenv("PATH"));
    out.put("HOME", work.resolve(pod.getMetadata().getName()).toString());
    for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
      if (e.getValueFrom() == null) {
        out.put(e.getName(), resolve(e.getValue() == null ? "" : e.getValue(), ip));
      } else if (e.getValueFrom().getSecretKeyRef() != null) {
        var ref = e.getValueFrom().getSecretKeyRef();
        Secret s = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
        if (s == null || s.getData() == null || !s.getData().containsKey(ref.getKey())) {
          throw new IllegalStateException(
              "pod " + pod.getMetadata().getName() + ": no Secret key " + ref);
        }
        out.put(
            e.getName(),
            new String(
                Base64.getDecoder().decode(s.getData().get(ref.getKey())), StandardCharsets.UTF_8));
      } else if (e.getValueFrom().getFieldRef() != null) {
        String path = e.getValueFrom().getFieldRef().getFieldPath();
        out.put(
            e.getName(),
            switch (path) {
              case "metadata.namespace" -> namespace;
              case "metadata.name" -> pod.getMetadata().getName();
              case "status.podIP" -> ip;
              default -> throw new IllegalStateException("no field " + path + " played");
            });
      } else {
        throw new IllegalStateException("env " + e.getName() + ": not played: " + e.getValueFrom());
      }
    }
    return out;
  }

  /**
   * {@code text} with every Service host name replaced by the IP of a pod the Service selects (it
   * waits until one is played); {@code 127.0.0.1} and {@code localhost} are the pod's own address.
   */
  private String resolve(String text, String ownIp) {
    Matcher m = SERVICE_HOST.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      if (!m.group(3).equals(namespace)) {
        throw new IllegalStateException("a Service of another namespace: " + m.group());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(serviceIp(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String serviceIp(String service) {
    Instant until = Instant.now().plus(Duration.ofMinutes(3));
    while (Instant.now().isBefore(until)) {
      Service s = client.services().inNamespace(namespace).withName(service).get();
      if (s != null) {
        for (Pod p : client.pods().inNamespace(namespace).list().getItems()) {
          Map<String, String> labels = p.getMetadata().getLabels();
          String ip = podIps.get(p.getMetadata().getName());
          if (ip != null
              && labels != null
              && labels.entrySet().containsAll(s.getSpec().getSelector().entrySet())) {
            return ip;
          }
        }
      }
      sleep(200);
    }
    throw new IllegalStateException("Service " + service + " has no played pod");
  }

  /** A kubeconfig with a token of the pod's service account, from the TokenRequest API. */
  private Path serviceAccountKubeconfig(Pod pod) throws Exception {
    String account = pod.getSpec().getServiceAccountName();
    ClusterE2E.Result token =
        ClusterE2E.kubectl("create", "token", account, "-n", namespace, "--duration=2h").expectOk();
    var config = client.getConfiguration();
    Path file = work.resolve(pod.getMetadata().getName()).resolve("serviceaccount.kubeconfig");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: played, cluster: {server: "%s", certificate-authority-data: %s}}]
        users: [{name: %s, user: {token: "%s"}}]
        contexts: [{name: played, context: {cluster: played, user: %s, namespace: %s}}]
        current-context: played
        """
            .formatted(
                config.getMasterUrl(),
                config.getCaCertData(),
                account,
                token.out().strip(),
                account,
                namespace));
    return file;
  }

  private Process run(List<String> command, Map<String, String> env, Pod pod, String container)
      throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(work.resolve(pod.getMetadata().getName()).toFile())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(
                    log(pod.getMetadata().getName(), container).toFile()));
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    processes.put(pod.getMetadata().getName() + "/" + container, p);
    return p;
  }

  /** Runs the container's readiness probe until it passes, then reports the pod Ready. */
  private void awaitReady(Pod pod, Container c, String ip, Map<String, String> env)
      throws Exception {
    Probe probe = c.getReadinessProbe();
    Instant until = Instant.now().plus(Duration.ofMinutes(3));
    while (!passes(probe, ip, env, pod)) {
      if (Instant.now().isAfter(until)) {
        throw new IllegalStateException("pod " + pod.getMetadata().getName() + " never ready");
      }
      sleep(1000);
    }
    report(
        pod.getMetadata().getName(),
        "Running",
        ip,
        List.of(
            condition("PodScheduled"),
            condition("Initialized"),
            condition("ContainersReady"),
            condition("Ready")),
        running(c, true));
  }

  private boolean passes(Probe probe, String ip, Map<String, String> env, Pod pod)
      throws Exception {
    if (probe == null) {
      return true;
    }
    if (probe.getExec() != null) {
      List<String> command =
          probe.getExec().getCommand().stream()
              .map(s -> s.equals("127.0.0.1") || s.equals("localhost") ? ip : s)
              .toList();
      Map<String, String> probeEnv = new LinkedHashMap<>(env);
      return run(command, probeEnv, pod, "probe").waitFor() == 0;
    }
    if (probe.getHttpGet() != null) {
      var get = probe.getHttpGet();
      int port =
          get.getPort().getIntVal() != null
              ? get.getPort().getIntVal()
              : pod.getSpec().getContainers().get(0).getPorts().stream()
                  .filter(p -> get.getPort().getStrVal().equals(p.getName()))
                  .findFirst()
                  .orElseThrow()
                  .getContainerPort();
      try {
        HttpResponse<Void> r =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + get.getPath()))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                    HttpResponse.BodyHandlers.discarding());
        return r.statusCode() >= 200 && r.statusCode() < 400;
      } catch (IOException e) {
        return false;
      }
    }
    throw new IllegalStateException("probe not played: " + probe);
  }

  private void reportRunning(Pod pod, String ip) {
    report(
        pod.getMetadata().getName(),
        "Running",
        ip,
        List.of(condition("PodScheduled"), condition("Initialized")),
        running(pod.getSpec().getContainers().get(0), false));
  }

  private void report(
      String pod,
      String phase,
      String ip,
      List<PodCondition> conditions,
      ContainerStatus container) {
    PodStatuses.report(client, namespace, pod, phase, ip, conditions, container);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    loop.shutdownNow();
    players.shutdownNow();
    for (Process p : processes.values()) {
      p.destroy();
    }
    for (Process p : processes.values()) {
      try {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (EmbeddedPostgres pg : databases) {
      pg.close();
    }
  }
}
