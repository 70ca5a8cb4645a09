package dev.dkssweep.operator.ingest;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * Checks an ingest request's bearer token before anything of its body is read: a request without
 * the trial's token is refused at once (401), so an unauthenticated sender cannot make the server
 * buffer megabytes (it used to read up to 10 MB per request before {@link IngestResource} looked at
 * the token).
 */
@Provider
@PreMatching
public class IngestTokenFilter implements ContainerRequestFilter {

  private static final String PREFIX = "api/ingest/trials/";

  // providers are set up before runtime configuration: the tokens are looked up per request
  private final Instance<TrialTokens> tokens;

  @Inject
  public IngestTokenFilter(Instance<TrialTokens> tokens) {
    this.tokens = tokens;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (!p.startsWith(PREFIX)) {
      return;
    }
    int slash = p.indexOf('/', PREFIX.length());
    String trialId = slash < 0 ? p.substring(PREFIX.length()) : p.substring(PREFIX.length(), slash);
    if (tokens
        .get()
        .verify(trialId, request.getHeaderString(HttpHeaders.AUTHORIZATION))
        .isEmpty()) {
      request.abortWith(IngestResource.unauthorised(trialId));
    }
  }
}
