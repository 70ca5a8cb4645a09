package dev.dkssweep.dashboard.api;

import dev.dkssweep.dashboard.api.BadRequestMapper.Problem;
import dev.dkssweep.dashboard.query.DashboardQueries;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may read the dashboard API. Off by default (local mode); configured by
 *
 * <ul>
 *   <li>{@code dks.dashboard.token}: every {@code /api/sweeps} and {@code /api/live} request needs
 *       it, as {@code Authorization: Bearer <token>} or the {@code dks_token} cookie (the web page
 *       asks for it once); the trainers' ingest API keeps its own per-trial tokens;
 *   <li>{@code dks.dashboard.namespaces}: only sweeps of these namespaces are listed or readable;
 *       another sweep is a 404, as if it did not exist.
 * </ul>
 */
@Provider
public class AccessFilter implements ContainerRequestFilter {

  public static final String COOKIE = "dks_token";

  // providers are set up before runtime configuration: look both up per request
  private final DashboardAccess access;
  private final Instance<DashboardQueries> queries;

  @Inject
  public AccessFilter(DashboardAccess access, Instance<DashboardQueries> queries) {
    this.access = access;
    this.queries = queries;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (!p.startsWith("api/sweeps") && !p.startsWith("api/live")) {
      return;
    }
    if (!access.allowsHost(request.getHeaderString(HttpHeaders.HOST))) {
      refuse(
          request,
          403,
          new Problem(
              "Host",
              "this dashboard answers only to its own host names (dks.dashboard.allowed-hosts)"));
      return;
    }
    Optional<String> token = access.token();
    if (token.isPresent() && !authorised(request, token.get())) {
      refuse(
          request,
          401,
          new Problem(
              "Authorization",
              "this dashboard needs its token: send Authorization: Bearer <token>"
                  + " or the dks_token cookie"));
      return;
    }
    Optional<String> nul = nulParameter(request);
    if (nul.isPresent()) {
      refuse(request, 400, new Problem(nul.get(), "must not contain a NUL character (U+0000)"));
      return;
    }
    Optional<Problem> malformed = malformedParameter(request);
    if (malformed.isPresent()) {
      refuse(request, 400, malformed.get());
      return;
    }
    String uid = request.getUriInfo().getPathParameters().getFirst("uid");
    if (uid != null && !visible(uid)) {
      refuse(request, 404, new Problem("uid", "no sweep " + uid));
    }
  }

  private static void refuse(ContainerRequestContext request, int status, Problem problem) {
    request.abortWith(BadRequestMapper.refusal(status, problem));
  }

  /** The first query or path parameter holding U+0000, which no query can take. */
  private static Optional<String> nulParameter(ContainerRequestContext request) {
    for (var parameters :
        List.of(
            request.getUriInfo().getPathParameters(), request.getUriInfo().getQueryParameters())) {
      for (var e : parameters.entrySet()) {
        if (e.getKey().indexOf('\0') >= 0
            || e.getValue().stream().anyMatch(v -> v != null && v.indexOf('\0') >= 0)) {
          return Optional.of(e.getKey());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The API's whole-number and yes/no parameters, checked before any of them is converted, so a
   * malformed one is a 400 naming it (the framework's conversion answers an empty 404).
   */
  private static Optional<Problem> malformedParameter(ContainerRequestContext request) {
    List<Map.Entry<String, String>> numbers = new ArrayList<>();
    String index = request.getUriInfo().getPathParameters().getFirst("index");
    if (index != null) {
      numbers.add(Map.entry("index", index));
    }
    var query = request.getUriInfo().getQueryParameters();
    for (String name : List.of("limit", "offset", "lines")) {
      String value = query.getFirst(name);
      if (value != null) {
        numbers.add(Map.entry(name, value));
      }
    }
    for (Map.Entry<String, String> n : numbers) {
      try {
        Integer.parseInt(n.getValue().strip());
      } catch (NumberFormatException e) {
        return Optional.of(
            new Problem(n.getKey(), "must be a whole number, got '" + n.getValue() + "'"));
      }
    }
    String desc = query.getFirst("desc");
    if (desc != null && !desc.equalsIgnoreCase("true") && !desc.equalsIgnoreCase("false")) {
      return Optional.of(new Problem("desc", "must be true or false, got '" + desc + "'"));
    }
    return Optional.empty();
  }

  /** The sweep exists and, when the dashboard is limited to namespaces, is in one of them. */
  boolean visible(String uid) {
    Optional<List<String>> allowed = access.namespaces();
    return queries
        .get()
        .sweep(uid)
        .map(s -> allowed.isEmpty() || allowed.get().contains(s.namespace()))
        .orElse(false);
  }

  private static boolean authorised(ContainerRequestContext request, String expected) {
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    String given = null;
    if (header != null && header.startsWith("Bearer ")) {
      given = header.substring(7).trim();
    } else {
      Cookie cookie = request.getCookies().get(COOKIE);
      given = cookie == null ? null : URLDecoder.decode(cookie.getValue(), StandardCharsets.UTF_8);
    }
    return given != null
        && MessageDigest.isEqual(
            given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }
}
