package dev.dkssweep.operator.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays a Service's proxy for the operator replicas of an end-to-end test that run as local
 * processes: trainers post to one address, and each connection goes to the next replica that
 * accepts it, round robin, as kube-proxy spreads connections over a Service's ready endpoints. A
 * replica that died refuses its connections and is passed over, so what the trainers send after a
 * leader dies reaches a replica still alive (every replica serves ingest), and no trainer is left
 * retrying a dead address. Bytes are copied both ways until either side closes.
 */
final class PlayedService implements AutoCloseable {

  private static final int CONNECT_TIMEOUT_MS = 1_000;

  private final ServerSocket server;
  private final List<Integer> backends = new CopyOnWriteArrayList<>();
  private final AtomicInteger next = new AtomicInteger();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "played-service");
            t.setDaemon(true);
            return t;
          });

  PlayedService() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  /** The port trainers are given, as they would be given the Service's address. */
  int port() {
    return server.getLocalPort();
  }

  /** Adds a replica's port to the endpoints (the replica became ready). */
  void addEndpoint(int port) {
    backends.add(port);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket in = server.accept();
        threads.execute(() -> route(in));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void route(Socket in) {
    int n = backends.size();
    int start = Math.floorMod(next.getAndIncrement(), Math.max(n, 1));
    for (int i = 0; i < n; i++) {
      int port = backends.get((start + i) % n);
      Socket out = new Socket();
      try {
        out.connect(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MS);
      } catch (IOException refused) {
        closeQuietly(out);
        continue; // this endpoint is gone: the next one
      }
      AtomicInteger open = new AtomicInteger(2); // directions still copying
      threads.execute(() -> copy(out, in, open));
      copy(in, out, open);
      return;
    }
    closeQuietly(in); // no endpoint alive: the client sees the connection closed
  }

  /**
   * Copies {@code from} to {@code to} until {@code from} ends, then half-closes {@code to}; the
   * last direction to end closes both sockets, and a broken side (a killed replica) closes both at
   * once.
   */
  private static void copy(Socket from, Socket to, AtomicInteger open) {
    try {
      InputStream input = from.getInputStream(); // not closed here: that would close the socket
      OutputStream output = to.getOutputStream();
      input.transferTo(output);
      to.shutdownOutput();
      if (open.decrementAndGet() > 0) {
        return; // the other direction still copies
      }
    } catch (IOException e) {
      // a side went away: both are closed below
    }
    closeQuietly(from);
    closeQuietly(to);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing to do: it is being closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
