package dev.dkssweep.operator.execution.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dkssweep.operator.ClusterFixtures;
import dev.dkssweep.sweep.control.ExitClassifier;
import dev.dkssweep.sweep.control.MutableClock;
import dev.dkssweep.sweep.execution.AttemptExit;
import dev.dkssweep.sweep.execution.AttemptObservation;
import dev.dkssweep.sweep.execution.AttemptState;
import dev.dkssweep.sweep.execution.TrialExecutor;
import dev.dkssweep.sweep.execution.TrialLaunch;
import dev.dkssweep.sweep.lifecycle.FailureKind;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.protocol.TrialKey;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Job executor's launches on Fabric8's mock API server (CRUD mode): created in the background
 * (the round does not wait on the API server), pending meanwhile, refused ones reported as never
 * started, stops of a launch still being created honoured, and a deletion asked once.
 */
class JobTrialExecutorTest {

  private static final SweepDefinition.Resources CPU = SweepDefinition.Resources.NONE;

  private KubernetesMockServer server;
  private KubernetesClient client;
  private final AtomicBoolean cacheLags = new AtomicBoolean();
  private final List<String> woken = new CopyOnWriteArrayList<>();
  private final AtomicInteger created = new AtomicInteger();

  /**
   * The server's Jobs and pods of the sweep, as up to date as a cache can be; or none (lagging).
   */
  private final WorkloadCache cache =
      new WorkloadCache() {
        @Override
        public List<Job> jobs(String sweepUid) {
          return cacheLags.get()
              ? List.of()
              : client
                  .batch()
                  .v1()
                  .jobs()
                  .inAnyNamespace()
                  .withLabel(WorkloadNames.SWEEP_UID, sweepUid)
                  .list()
                  .getItems();
        }

        @Override
        public List<Pod> pods(String sweepUid) {
          return List.of();
        }
      };

  @BeforeEach
  void start() {
    server = ClusterFixtures.crudServer();
    server.init();
    client = server.createClient();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  private JobTrialExecutor executor(KubernetesClient c) {
    return executor(c, cache);
  }

  private JobTrialExecutor executor(KubernetesClient c, WorkloadCache cache) {
    return executor(c, cache, Clock.systemUTC());
  }

  private JobTrialExecutor executor(KubernetesClient c, WorkloadCache cache, Clock clock) {
    return new JobTrialExecutor(
        c,
        new JobFactory(TrainerPodSettings.defaults()),
        cache,
        uid -> Optional.of(JobFactoryTest.SWEEP),
        Duration.ofMinutes(10),
        clock,
        created::incrementAndGet,
        woken::add);
  }

  private static TrialLaunch launch(int trial) {
    return JobFactoryTest.launch(trial, 1, CPU, List.of(), SweepDefinition.Placement.NONE);
  }

  private Job job(TrialKey key) {
    return client
        .batch()
        .v1()
        .jobs()
        .inNamespace("research")
        .withName(WorkloadNames.job("deep", key))
        .get();
  }

  @Test
  void launchesArePendingUnderTheirPlannedNamesUntilTheCacheShowsTheirJobs() {
    cacheLags.set(true);
    try (JobTrialExecutor executor = executor(client)) {
      TrialLaunch l = launch(3);

      List<TrialExecutor.Launched> out = executor.launchAll(List.of(l));

      assertThat(out).singleElement().satisfies(x -> assertThat(x.failure()).isNull());
      assertThat(out.get(0).worker()).isEqualTo(executor.plannedWorker(l));
      assertThat(executor.observe("uid-1"))
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.key()).isEqualTo(l.key());
                assertThat(o.state()).isEqualTo(AttemptState.PENDING);
                assertThat(o.worker()).isEqualTo(out.get(0).worker());
              });
      await().atMost(Duration.ofSeconds(10)).until(() -> job(l.key()) != null);
      assertThat(
              client
                  .secrets()
                  .inNamespace("research")
                  .withName(JobFactory.specsName(List.of(l)))
                  .get())
          .as("the Secret is created before the Job")
          .isNotNull();
      assertThat(created).hasValue(1);
      cacheLags.set(false);
      assertThat(executor.observe("uid-1"))
          .singleElement()
          .satisfies(o -> assertThat(o.key()).isEqualTo(l.key()));
    }
  }

  @Test
  void aWaveSharesOneSecretDeletedOnceNoneOfItsAttemptsNeedsIt() throws Exception {
    try (JobTrialExecutor executor = executor(client)) {
      List<TrialLaunch> wave = List.of(launch(1), launch(2), launch(3));
      String name = JobFactory.specsName(wave);

      executor.launchAll(wave);

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> wave.stream().allMatch(l -> job(l.key()) != null));
      assertThat(client.secrets().inNamespace("research").list().getItems())
          .as("one Secret for the round's three attempts")
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.getMetadata().getName()).isEqualTo(name);
                assertThat(keys(s))
                    .containsExactlyInAnyOrder("deep-t1-a1", "deep-t2-a1", "deep-t3-a1");
              });
      assertThat(executor.observe("uid-1")).hasSize(3);

      executor.release(wave.get(0).key());
      executor.retain(wave.get(1).key());
      executor.observe("uid-1");
      Thread.sleep(300); // a deletion of the Secret would have been sent by now
      assertThat(client.secrets().inNamespace("research").withName(name).get())
          .as("kept while an attempt of the wave still needs it")
          .isNotNull();

      executor.release(wave.get(2).key());
      executor.observe("uid-1");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(client.secrets().inNamespace("research").withName(name).get())
                      .as("deleted once no attempt of the wave needs it")
                      .isNull());
      assertThat(job(wave.get(1).key())).as("the retained Job stays for inspection").isNotNull();
    }
  }

  /** A Secret's keys, in its string data or its data (the mock server keeps what it was given). */
  private static java.util.Set<String> keys(io.fabric8.kubernetes.api.model.Secret s) {
    java.util.Set<String> all = new java.util.HashSet<>();
    if (s.getStringData() != null) {
      all.addAll(s.getStringData().keySet());
    }
    if (s.getData() != null) {
      all.addAll(s.getData().keySet());
    }
    return all;
  }

  @Test
  void aLaunchTheServerRefusesIsObservedAsNeverStartedAndWakesItsSweep() {
    // a client of a server that is gone: every call fails
    KubernetesClient unreachable =
        new KubernetesClientBuilder()
            .withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder()
                    .withMasterUrl("http://127.0.0.1:1")
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build();
    cacheLags.set(true);
    try (JobTrialExecutor executor = executor(unreachable)) {
      TrialLaunch l = launch(4);

      assertThat(executor.launchAll(List.of(l)))
          .singleElement()
          .satisfies(x -> assertThat(x.failure()).as("known only later").isNull());

      await().atMost(Duration.ofSeconds(30)).until(() -> woken.contains("uid-1"));
      List<AttemptObservation> seen = executor.observe("uid-1");
      assertThat(seen)
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.state()).isEqualTo(AttemptState.EXITED);
                assertThat(o.exit().termination()).isEqualTo(AttemptExit.Termination.NOT_STARTED);
                assertThat(o.exit().detail()).startsWith("its Job could not be created: ");
              });
      var outcome = ExitClassifier.classify(seen.get(0).exit());
      assertThat(outcome.state()).isEqualTo(TrialState.FAILED);
      assertThat(outcome.failureKind()).isEqualTo(FailureKind.LAUNCH_FAILED);
      assertThat(created).hasValue(0);

      executor.release(l.key());
      assertThat(executor.observe("uid-1")).as("released: forgotten").isEmpty();
    } finally {
      unreachable.close();
    }
  }

  @Test
  void anAttemptStoppedWhileItsJobIsBeingCreatedEndsWithoutAJob() {
    try (JobTrialExecutor executor = executor(client)) {
      TrialLaunch l = launch(5);

      executor.launchAll(List.of(l));
      executor.stop(l.key()); // before or after the creation: either way it ends deleted

      // the creation is done: by its own call, or by the stop's deletion (404) and then its own
      await().atMost(Duration.ofSeconds(10)).until(() -> created.get() == 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> job(l.key()) == null);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(executor.observe("uid-1")).isEmpty());
    }
  }

  @Test
  void aReleasedJobIsAskedToGoOnceAndNotObservedWhileTheCacheStillShowsIt() throws Exception {
    try (JobTrialExecutor executor = executor(client)) {
      TrialLaunch l = launch(6);
      executor.launchAll(List.of(l));
      await().atMost(Duration.ofSeconds(10)).until(() -> job(l.key()) != null);
      Job shown = job(l.key());
      // a cache that keeps showing the Job, as an informer does until the deletion reaches it
      WorkloadCache stale =
          new WorkloadCache() {
            @Override
            public List<Job> jobs(String sweepUid) {
              return List.of(shown);
            }

            @Override
            public List<Pod> pods(String sweepUid) {
              return List.of();
            }
          };
      try (JobTrialExecutor later = executor(client, stale)) {
        assertThat(later.observe("uid-1")).hasSize(1);
        int requests = server.getRequestCount();

        later.release(l.key());
        later.release(l.key()); // a round that saw it again before the deletion landed

        assertThat(later.observe("uid-1")).as("its deletion is under way").isEmpty();
        Thread.sleep(500); // any second deletion would have been sent by now
        assertThat(server.getRequestCount() - requests)
            .as("one deletion of the Job and one of its Secret (its wave's only attempt)")
            .isEqualTo(2);
        assertThat(job(l.key())).isNull();

        later.forget("uid-1"); // the Sweep was deleted
        assertThat(later.observe("uid-1"))
            .as("nothing kept of it: a Job still shown is observed again")
            .hasSize(1);
      }
    }
  }

  /**
   * An API server slower than the cache's lag allowance (its calls queued behind others, retried
   * with back-off): the attempt stays pending while its creation is under way, however long that
   * takes; it is not taken for deleted, which would relaunch its trial beside the Job the call then
   * creates. Here the server accepts the connection and answers nothing until the test closes it.
   */
  @Test
  void aLaunchWhoseCreationIsStillUnderWayIsPendingPastTheCacheLag() throws Exception {
    MutableClock clock = new MutableClock(java.time.Instant.parse("2026-12-04T12:00:00Z"));
    List<java.net.Socket> held = new CopyOnWriteArrayList<>();
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0)) {
      Thread accepting =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(silent.accept()); // read nothing, answer nothing
                  }
                } catch (java.io.IOException closed) {
                  // the test is done
                }
              });
      accepting.setDaemon(true);
      accepting.start();
      KubernetesClient slow =
          new KubernetesClientBuilder()
              .withConfig(
                  new io.fabric8.kubernetes.client.ConfigBuilder()
                      .withMasterUrl("http://127.0.0.1:" + silent.getLocalPort())
                      .withRequestTimeout(60_000)
                      .withRequestRetryBackoffLimit(0)
                      .build())
              .build();
      cacheLags.set(true);
      try (JobTrialExecutor executor = executor(slow, cache, clock)) {
        TrialLaunch l = launch(7);
        executor.launchAll(List.of(l));
        await().atMost(Duration.ofSeconds(10)).until(() -> !held.isEmpty()); // the call is out

        clock.advance(JobTrialExecutor.CACHE_LAG.multipliedBy(3));

        assertThat(executor.observe("uid-1"))
            .as("pending while its creation is under way, past the cache's lag")
            .singleElement()
            .satisfies(
                o -> {
                  assertThat(o.key()).isEqualTo(l.key());
                  assertThat(o.state()).isEqualTo(AttemptState.PENDING);
                });

        for (java.net.Socket s : held) {
          s.close(); // the call fails: the launch is refused, never lost
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> woken.contains("uid-1"));
        assertThat(executor.observe("uid-1"))
            .singleElement()
            .satisfies(o -> assertThat(o.state()).isEqualTo(AttemptState.EXITED));
      } finally {
        slow.close();
      }
    }
  }

  /** A Job created, then never shown by the cache, was deleted by someone else: not pending. */
  @Test
  void aCreatedJobTheCacheNeverShowsIsForgottenAfterTheCacheLag() {
    MutableClock clock = new MutableClock(java.time.Instant.parse("2026-12-04T12:00:00Z"));
    cacheLags.set(true);
    try (JobTrialExecutor executor = executor(client, cache, clock)) {
      TrialLaunch l = launch(8);
      executor.launchAll(List.of(l));
      await().atMost(Duration.ofSeconds(10)).until(() -> created.get() == 1);

      clock.advance(JobTrialExecutor.CACHE_LAG.minusSeconds(1));
      assertThat(executor.observe("uid-1")).as("within the lag: pending").hasSize(1);
      clock.advance(Duration.ofSeconds(2));
      assertThat(executor.observe("uid-1")).as("past the lag since it was created").isEmpty();
    }
  }
}
